// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Net;
using System.Text.Json;

namespace Controller.Daemon.Tests.EndToEnd;

/// <summary>
/// A real controllerd with <c>store file</c>: a pair made by a host at run time survives SIGKILL and SIGTERM, and the
/// configuration's pair is not copied again over it (docs/durability.md).
/// </summary>
[NonParallelizable]
public sealed class KeptPairStateAcrossRestartsTests
{
    private const string PVol = "0x400104,0x0001";
    private const string SVol = "0x400104,0x0002";
    private string _folder = string.Empty;

    [SetUp]
    public void CreateFolder()
    {
        _folder = Directory.CreateTempSubdirectory("controllerd-kept-").FullName;
    }

    [TearDown]
    public void DeleteFolder()
    {
        Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public async Task APairMadeAtRunTimeSurvivesAKillAndAGracefulStop()
    {
        string config = Config();
        IPEndPoint endPoint;
        using (DaemonProcess first = DaemonProcess.Start("--config", config))
        {
            endPoint = await first.WaitUntilListeningAsync();
            string target = endPoint.ToString();
            Assert.That(TwoDaemons.HostSim("pair", "create", PVol, SVol, "--target", target).Code, Is.Zero, "create");
            Assert.That(TwoDaemons.HostSim("pair", "wait", PVol, SVol, "--state", "pair", "--timeout", "60", "--target", target).Code, Is.Zero, "PAIR");
            Assert.That(TwoDaemons.HostSim("pair", "split", PVol, SVol, "--rw", "--target", target).Code, Is.Zero, "split --rw: answered, so kept");

            // Disposed while running: SIGKILL, no graceful stop.
        }

        using (DaemonProcess second = DaemonProcess.Start("--config", config, "--listen", endPoint.ToString()))
        {
            string target = (await second.WaitUntilListeningAsync()).ToString();
            Assert.That(State(target), Is.EqualTo("PSUS"), "the split pair is back after kill -9");
            Assert.That(second.Output, Has.Some.Contains("pairs restored from").And.Contains("after a crash"));
            Assert.That(TwoDaemons.HostSim("pair", "resync", PVol, SVol, "--target", target).Code, Is.Zero, "resync");
            Assert.That(TwoDaemons.HostSim("pair", "wait", PVol, SVol, "--state", "pair", "--timeout", "60", "--target", target).Code, Is.Zero, "PAIR again");
            Assert.That(await second.TerminateAsync(), Is.Zero, "SIGTERM");
        }

        using DaemonProcess third = DaemonProcess.Start("--config", config, "--listen", endPoint.ToString());
        string again = (await third.WaitUntilListeningAsync()).ToString();
        Assert.That(State(again), Is.EqualTo("PAIR"), "a graceful stop keeps PAIR as PAIR");
        Assert.That(third.Output, Has.Some.Contains("as the graceful stop left them"));
    }

    private string Config()
    {
        string path = Path.Combine(_folder, "controllerd.conf");
        File.WriteAllText(path, "listen 127.0.0.1:0\nstore file " + Path.Combine(_folder, "store") + "\nldev 00:01 size 4MiB\nldev 00:02 size 4MiB\nldev 00:FE size 1MiB command-device\nport 0x400104 open\nlun 0x400104 0x0001 00:01\nlun 0x400104 0x0002 00:02\nlun 0x400104 0x00FE 00:FE\n");
        return path;
    }

    private static string State(string target)
    {
        (int code, string output, string error) = TwoDaemons.HostSim("pair", "status", "--target", target, "--json");
        Assert.That(code, Is.Zero, error + output);
        using JsonDocument status = JsonDocument.Parse(output);
        JsonElement row = status.RootElement.GetProperty("pairs").EnumerateArray().Single();
        return row.GetProperty("pStatus").GetString()!;
    }
}
