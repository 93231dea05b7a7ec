// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.CommandLine;
using System.Net;
using Controller.Firmware.PairVocabulary;
using Controller.HostSim.AuxSystem;
using Controller.HostSim.Cli;

namespace Controller.HostSim;

/// <summary><c>hostsim aux-system</c>: seed 000 FIG 5, embedded or against two controllerd processes.</summary>
internal static class AuxSystemCommand
{
    public static Command Create()
    {
        Option<bool> json = CliOptions.Json();
        Option<int> volumes = CliOptions.Int("--volumes", "production volumes (each with its LV2, LV3 and LV4)", 2, 1, 16);
        Option<string> mechanism = CliOptions.Choice("--mechanism", "how the atomic split cuts its set", "sequence-cut", "freeze", "sequence-cut");
        Option<int> writes = CliOptions.Int("--writes", "dependent production writes before the split (and as many after it)", 2_000, 1);
        Option<IPEndPoint?> ss1 = CliOptions.Target("--ss1", "SS1, a running controllerd (e.g. 127.0.0.1:3225 with docs/controllerd-ss1.conf); give --ss2 too");
        Option<IPEndPoint?> ss2 = CliOptions.Target("--ss2", "SS2, a running controllerd (e.g. 127.0.0.1:3226 with docs/controllerd-ss2.conf); give --ss1 too");
        Command command = new("aux-system", "create an auxiliary (test) system from a production one (seed 000 FIG 5) on two subsystems, embedded or two controllerd: remote mirror, local mirrors, a name, one atomic split by name under dependent writes, new mirrors without copy; exit 1 if a check fails") { json, volumes, mechanism, writes, ss1, ss2 };
        command.Validators.Add(result =>
        {
            if ((result.GetValue(ss1) is null) != (result.GetValue(ss2) is null))
            {
                result.AddError("bad argument: --ss1 and --ss2 go together (two controllerd), or neither (embedded)");
            }
        });
        command.SetAction(parsed => Run(parsed.GetValue(volumes), parsed.GetValue(mechanism) == "freeze" ? AtomicSplitMechanism.Freeze : AtomicSplitMechanism.SequenceCut, parsed.GetValue(writes), parsed.GetValue(ss1), parsed.GetValue(ss2), parsed.GetValue(json)));
        return command;
    }

    private static int Run(int volumes, AtomicSplitMechanism mechanism, int writes, IPEndPoint? ss1, IPEndPoint? ss2, bool json)
    {
        AuxSystemReport report;
        try
        {
            report = RunAsync(volumes, mechanism, writes, ss1, ss2).GetAwaiter().GetResult();
        }
        catch (Exception failure) when (IsExpected(failure))
        {
            // A refusal (pairs in the way), a refused pair command, a subsystem out of reach: one line, exit 1.
            Console.Error.WriteLine("hostsim aux-system: " + failure.Message);
            return 1;
        }

        Console.Out.WriteLine(json ? report.ToJson() : report.ToText());
        return report.Passed ? 0 : 1;
    }

    /// <summary>Gets whether a failure is one a run against real subsystems can meet (answered with a message and exit 1).</summary>
    /// <param name="failure">The failure.</param>
    /// <returns>True for a refused or failed command, a timeout, or a connection that failed.</returns>
    internal static bool IsExpected(Exception failure)
    {
        return failure is InvalidOperationException or TimeoutException or Controller.Initiator.InitiatorException or System.Net.Sockets.SocketException or IOException;
    }

    private static async Task<AuxSystemReport> RunAsync(int volumes, AtomicSplitMechanism mechanism, int writes, IPEndPoint? ss1, IPEndPoint? ss2)
    {
        long blocks = Math.Max(64L * 1024 * 1024 / 512, AuxSystemScenario.BlocksNeeded(volumes) * 2);
        await using AuxSystemSite site = ss1 is null ? await AuxSystemSite.EmbeddedAsync(volumes, blocks).ConfigureAwait(false) : AuxSystemSite.Daemons(ss1, ss2!);
        return await new AuxSystemScenario(site, volumes, mechanism, writes).RunAsync().ConfigureAwait(false);
    }
}
