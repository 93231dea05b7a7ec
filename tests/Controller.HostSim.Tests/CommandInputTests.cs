// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.CommandLine;
using System.Net;
using Controller.HostSim.Cli;

namespace Controller.HostSim.Tests;

/// <summary>What a user types wrong is refused in one clear line and exit code 2, the same way in every command.</summary>
[NonParallelizable]
public sealed class CommandInputTests
{
    private static readonly string s_missing = Path.Combine(Path.GetTempPath(), "hostsim-no-such-" + Guid.NewGuid().ToString("N"), "t.pcap");

    private static IEnumerable<TestCaseData> MissingFiles()
    {
        yield return new TestCaseData(new[] { "replay", s_missing }, "hostsim replay: no such file: " + s_missing).SetName("replay");
        yield return new TestCaseData(new[] { "import", s_missing, s_missing + ".out" }, "hostsim import: no such file: " + s_missing).SetName("import");
        yield return new TestCaseData(new[] { "pair", "run", s_missing }, "hostsim pair run: no such file: " + s_missing).SetName("pair run");
        yield return new TestCaseData(new[] { "report", s_missing + ".html", "--load", s_missing }, "hostsim report: --load: no such file: " + s_missing).SetName("report --load");
        yield return new TestCaseData(new[] { "report", s_missing + ".html", "--bench", s_missing }, "hostsim report: --bench: no such file: " + s_missing).SetName("report --bench");
    }

    [TestCaseSource(nameof(MissingFiles))]
    public void AMissingInputFileIsNamedInOneLineWithExitCodeTwo(string[] args, string message)
    {
        (int code, _, string error) = CommandLine.Run(args);

        Assert.That(code, Is.EqualTo(2), "a missing input file is a bad usage");
        Assert.That(error.Trim(), Is.EqualTo(message), "one line naming the file, not the runtime's exception text");
    }

    [TestCase("load", "--lun", "0x40010,0x0001", "port ID '0x40010' must have exactly 6 hex digits after 0x, not 5")]
    [TestCase("load", "--lun", "0x400104,0x1", "LUN '0x1' must have exactly 4 hex digits after 0x, not 1")]
    [TestCase("pair", "create", "0x40010,0x0001", "port ID '0x40010' must have exactly 6 hex digits after 0x, not 5")]
    public void AShortPortIdOrLunIsRefusedAsTheDaemonsConfigurationRefusesIt(string command, string where, string volume, string message)
    {
        string[] args = command == "pair" ? ["pair", where, volume, "0x400104,0x0002"] : [command, where, volume, "--seconds", "1"];

        (int code, _, string error) = CommandLine.Run(args);

        Assert.That(code, Is.EqualTo(2), "a malformed volume is a bad usage");
        Assert.That(error, Does.Contain(message), "the field and the rule are named");
    }

    [TestCase("localhost:3226", "127.0.0.1", 3226)]
    [TestCase("localhost", "127.0.0.1", 3225)]
    [TestCase("127.0.0.1:3227", "127.0.0.1", 3227)]
    [TestCase("[::1]:3228", "::1", 3228)]
    public void ATargetMayBeAHostNameOrAnAddress(string text, string address, int port)
    {
        Option<IPEndPoint?> target = CliOptions.Target();
        RootCommand root = new() { target };

        ParseResult parsed = root.Parse(["--target", text]);

        Assert.That(parsed.Errors, Is.Empty, "accepted: " + string.Join("; ", parsed.Errors.Select(e => e.Message)));
        Assert.That(parsed.GetValue(target), Is.EqualTo(new IPEndPoint(IPAddress.Parse(address), port)), "resolved to IPv4 loopback first, port 3225 by default");
    }

    [TestCase("no-such-host.invalid:3225", "host 'no-such-host.invalid' does not resolve")]
    [TestCase("localhost:70000", "is not HOST:PORT")]
    [TestCase(":3225", "is not HOST:PORT")]
    public void ATargetThatIsNeitherIsRefusedSayingWhy(string text, string message)
    {
        (int code, _, string error) = CommandLine.Run(["pair", "status", "--target", text]);

        Assert.That(code, Is.EqualTo(2), "a bad target is a bad usage");
        Assert.That(error, Does.Contain("bad argument '--target'").And.Contain(message));
    }

    [Test]
    public void BenchSplitHelpShowsTheMemberDefaultInTheFormTheOptionTakes()
    {
        (int code, string output, _) = CommandLine.Run(["bench", "split", "--help"]);

        Assert.That(code, Is.Zero);
        Assert.That(output, Does.Contain("(default 1,8,64,512)").And.Not.Contain("1|8|64|512"), "commas, as --members takes them");
    }
}
