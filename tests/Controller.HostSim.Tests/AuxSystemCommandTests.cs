// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Text.Json;
using Controller.Testing;

namespace Controller.HostSim.Tests;

/// <summary>
/// <c>hostsim aux-system</c> embedded: seed 000 FIG 5 on two subsystems joined by a real FCP remote-copy link, both
/// mechanisms; every check of the report must hold, and the report must say what it checked.
/// </summary>
[Category("R0-33")]
[Category("R0-30")]
[Category("R0-32")]
public sealed class AuxSystemCommandTests
{
    [TestCase("freeze")]
    [TestCase("sequence-cut")]
    public void TheAuxiliarySystemIsCreatedWithConsistentIdenticalImagesAndNothingCopied(string mechanism)
    {
        (int code, string output, string error) = ConsoleCapture.Run(() => Program.Run(["aux-system", "--mechanism", mechanism, "--volumes", "3", "--writes", "800", "--json"]));
        Assert.That(code, Is.Zero, error + output);
        using JsonDocument report = JsonDocument.Parse(output);
        JsonElement root = report.RootElement;
        Assert.That(root.GetProperty("passed").GetBoolean(), Is.True);
        Assert.That(root.GetProperty("volumes").GetInt32(), Is.EqualTo(3));
        Assert.That(root.GetProperty("lv3Oracle").GetProperty("consistent").GetBoolean(), Is.True, "G1/G2 on SS1's images");
        Assert.That(root.GetProperty("lv4Oracle").GetProperty("consistent").GetBoolean(), Is.True, "G1/G2 on SS2's images");
        Assert.That(root.GetProperty("lv3Oracle").GetProperty("writesInImage").GetInt32(), Is.EqualTo(root.GetProperty("lv4Oracle").GetProperty("writesInImage").GetInt32()), "G3: one cut in both subsystems");
        Assert.That(root.GetProperty("lv3Oracle").GetProperty("writesInImage").GetInt32(), Is.GreaterThan(0));
        Assert.That(root.GetProperty("lv3EqualsLv4").GetBoolean(), Is.True, "G3");
        Assert.That(root.GetProperty("productionMirrorPaired").GetBoolean(), Is.True, "G5");
        Assert.That(root.GetProperty("productionRefused").GetBoolean(), Is.False, "G5");
        Assert.That(root.GetProperty("auxCopyBlocksOverLink").GetInt64(), Is.Zero, "R0-30/R0-33: no block crossed the link for the auxiliary system");
        Assert.That(root.GetProperty("auxWritesMirrored").GetBoolean(), Is.True, "R0-32");
        Assert.That(root.GetProperty("productionIsolated").GetBoolean(), Is.True, "R0-32");
        Assert.That(root.GetProperty("steps").EnumerateArray().Select(step => step.GetProperty("id").GetString()), Is.EqualTo(new[] { "S500", "S530", "S540", "S550", "S560", "S570" }));
    }

    [Test]
    public void DaemonsOutOfReachAreOneLineAndExit1NotAnUnhandledException()
    {
        // Nothing listens on these (a listener is started and stopped to find free ports).
        (int code, string output, string error) = ConsoleCapture.Run(() => Program.Run(["aux-system", "--ss1", FreePort(), "--ss2", FreePort(), "--writes", "10"]));
        Assert.That(code, Is.EqualTo(1), error + output);
        Assert.That(output, Is.Empty);
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), error);
        Assert.That(error, Does.StartWith("hostsim aux-system: "));

        (code, output, error) = ConsoleCapture.Run(() => Program.Run(["cluster", "--scenario", "case-a", "--sd1", FreePort(), "--sd2", FreePort()]));
        Assert.That(code, Is.EqualTo(1), error + output);
        Assert.That(output, Is.Empty);
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), error);
        Assert.That(error, Does.StartWith("hostsim cluster: "));
    }

    [Test]
    public void OneDaemonWithoutTheOtherIsABadUsage()
    {
        (int code, _, string error) = ConsoleCapture.Run(() => Program.Run(["aux-system", "--ss1", "127.0.0.1:3225"]));
        Assert.That(code, Is.EqualTo(2), error);
        Assert.That(error, Does.Contain("--ss1 and --ss2 go together"));
    }

    private static string FreePort()
    {
        using System.Net.Sockets.TcpListener probe = new(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return probe.LocalEndpoint.ToString()!;
    }
}
