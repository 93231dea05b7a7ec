// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Collections.Concurrent;
using System.Diagnostics;

namespace Controller.Daemon.Tests.EndToEnd;

/// <summary>
/// Issue #17: two atomic splits of overlapping sets in flight at once, from the command line. A <c>hostsim pair run</c>
/// line prefixed <c>&amp;</c> starts its command without waiting; the next line's command is posted after it on the
/// same connection. The first split, sent to SS1, has a member that SS2 owns (SS2's local pair), so SS1 must hear SS2
/// split it before it can answer; SS2 is frozen with SIGSTOP, so the first split cannot end before SS1 has read the
/// second, which is refused BUSY (SplitInProgress). SS2 is let go on only once that answer has been printed, and the
/// first split then ends. No timing decides the outcome.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class OverlappingSplitsFromAScriptTests
{
    private const string Ss1Pair = "0x400104,0x0001=0x400104,0x0011";
    private const string Ss2Pair = "0x421014,0x0001=0x421014,0x0011";

    [Test]
    [Category("R0-26")]
    public async Task TheSecondOfTwoOverlappingSplitsInFlightIsRefusedBusy()
    {
        await using TwoDaemons daemons = await TwoDaemons.StartAsync();
        foreach ((string pair, string target) in new[] { (Ss1Pair, daemons.Ss1), (Ss2Pair, daemons.Ss2) })
        {
            string[] volumes = pair.Split('=');
            Assert.That(TwoDaemons.HostSim("pair", "create", volumes[0], volumes[1], "--target", target).Code, Is.Zero, "the local pair " + pair + " is created");
            Assert.That(TwoDaemons.HostSim("pair", "wait", volumes[0], volumes[1], "--state", "pair", "--target", target).Code, Is.Zero, "and reaches PAIR");
        }

        string script = Path.Combine(Path.GetTempPath(), "overlap-" + Guid.NewGuid().ToString("N") + ".txt");
        File.WriteAllText(script, "& atomic-split " + Ss1Pair + " " + Ss2Pair + " --mechanism freeze\natomic-split " + Ss1Pair + " --mechanism freeze\njoin\n");
        ConcurrentQueue<string> output = new();
        bool resumed = false;
        try
        {
            daemons.SignalSs2("STOP");
            using Process hostsim = StartHostSim("pair", "run", script, "--target", daemons.Ss1);
            hostsim.OutputDataReceived += (_, line) =>
            {
                if (line.Data is null)
                {
                    return;
                }

                output.Enqueue(line.Data);
                if (line.Data.Contains("SplitInProgress", StringComparison.Ordinal) && !resumed)
                {
                    resumed = true;
                    daemons.SignalSs2("CONT");
                }
            };
            hostsim.ErrorDataReceived += (_, line) => output.Enqueue("stderr: " + line.Data);
            hostsim.BeginOutputReadLine();
            hostsim.BeginErrorReadLine();
            using CancellationTokenSource limit = new(TimeSpan.FromMinutes(2));
            await hostsim.WaitForExitAsync(limit.Token);
            hostsim.WaitForExit();

            string text = string.Join("\n", output);
            Assert.That(resumed, Is.True, "the second split was answered SplitInProgress while SS2 was frozen: " + text);
            Assert.That(hostsim.ExitCode, Is.EqualTo(1), "the refused line stops the script with exit 1: " + text);
            string[] lines = [.. output];
            int first = Array.FindIndex(lines, l => l.StartsWith("> & atomic-split", StringComparison.Ordinal));
            int busy = Array.FindIndex(lines, l => l.Contains("SplitInProgress", StringComparison.Ordinal));
            Assert.That(first, Is.GreaterThanOrEqualTo(0).And.LessThan(busy), "the background split started before the refusal: " + text);
            Assert.That(lines[busy], Does.Contain("CHECK CONDITION"), "BUSY is a pair error in the sense data: " + text);
            int firstAnswer = Array.FindIndex(lines, l => l.StartsWith("ATOMIC SPLIT of 2 pairs", StringComparison.Ordinal));
            Assert.That(firstAnswer, Is.GreaterThan(busy), "the first split is answered only after the second's refusal let SS2 go on: " + text);
        }
        finally
        {
            if (!resumed)
            {
                daemons.SignalSs2("CONT");
            }

            File.Delete(script);
        }

        await daemons.StopAsync();
    }

    private static Process StartHostSim(params string[] arguments)
    {
        string hostsim = Path.Combine(TestContext.CurrentContext.TestDirectory, "hostsim.dll");
        Assert.That(File.Exists(hostsim), Is.True, "hostsim.dll is built beside the tests: " + hostsim);
        ProcessStartInfo start = new("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(hostsim);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("hostsim did not start");
    }
}
