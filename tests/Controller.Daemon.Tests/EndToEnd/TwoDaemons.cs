// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics;
using System.Net;
using Controller.Testing;

namespace Controller.Daemon.Tests.EndToEnd;

/// <summary>
/// SS1 and SS2 as docs/controllerd-ss1.conf and -ss2.conf make them, on loopback, joined both ways (each
/// configuration's remote-copy path pointed at wherever the other listens), both links up: the site of both hostsim
/// aux-system and hostsim cluster against daemons.
/// </summary>
internal sealed class TwoDaemons : IAsyncDisposable
{
    private readonly string _folder;
    private readonly DaemonProcess _ss1;
    private readonly DaemonProcess _ss2;

    private TwoDaemons(string folder, DaemonProcess ss1, DaemonProcess ss2, IPEndPoint ss1EndPoint, IPEndPoint ss2EndPoint)
    {
        _folder = folder;
        _ss1 = ss1;
        _ss2 = ss2;
        Ss1 = ss1EndPoint.ToString();
        Ss2 = ss2EndPoint.ToString();
    }

    /// <summary>Gets SS1's FCIP listener.</summary>
    public string Ss1 { get; }

    /// <summary>Gets SS2's FCIP listener.</summary>
    public string Ss2 { get; }

    public static async Task<TwoDaemons> StartAsync()
    {
        string folder = Directory.CreateTempSubdirectory("two-daemons-").FullName;
        IPEndPoint ss1EndPoint;
        using (System.Net.Sockets.TcpListener probe = new(IPAddress.Loopback, 0))
        {
            probe.Start();
            ss1EndPoint = (IPEndPoint)probe.LocalEndpoint;
        }

        File.Copy(RepositoryRoot.PathOf("docs/remote-copy.key"), Path.Combine(folder, "remote-copy.key"), overwrite: true);
        string ss2Config = Path.Combine(folder, "controllerd-ss2.conf");
        File.WriteAllText(ss2Config, File.ReadAllText(RepositoryRoot.PathOf("docs/controllerd-ss2.conf")).Replace("to 127.0.0.1:3225", "to " + ss1EndPoint, StringComparison.Ordinal));
        DaemonProcess ss2 = DaemonProcess.Start("--config", ss2Config, "--listen", "127.0.0.1:0");
        IPEndPoint ss2EndPoint = await ss2.WaitUntilListeningAsync();
        string ss1Config = Path.Combine(folder, "controllerd-ss1.conf");
        File.WriteAllText(ss1Config, File.ReadAllText(RepositoryRoot.PathOf("docs/controllerd-ss1.conf")).Replace("to 127.0.0.1:3226", "to " + ss2EndPoint, StringComparison.Ordinal));
        DaemonProcess ss1 = DaemonProcess.Start("--config", ss1Config, "--listen", ss1EndPoint.ToString());
        await ss1.WaitUntilListeningAsync();
        TwoDaemons daemons = new(folder, ss1, ss2, ss1EndPoint, ss2EndPoint);
        await WaitForLinkAsync(ss1);
        await WaitForLinkAsync(ss2);
        return daemons;
    }

    /// <summary>Runs hostsim in this process.</summary>
    /// <param name="args">The command line.</param>
    /// <returns>The exit code and what it wrote.</returns>
    public static (int Code, string Output, string Error) HostSim(params string[] args)
    {
        return ConsoleCapture.Run(() => Controller.HostSim.Program.Run(args));
    }

    /// <summary>Reads both Copy Management Tables as hostsim pair status prints them.</summary>
    /// <returns>SS1's and SS2's tables.</returns>
    public string PairStatus()
    {
        (int code1, string one, string error1) = HostSim("pair", "status", "--target", Ss1);
        (int code2, string two, string error2) = HostSim("pair", "status", "--target", Ss2, "--command-device", "0x421014,0x0001");
        Assert.That(code1 + code2, Is.Zero, error1 + error2);
        return "SS1:\n" + one + "SS2:\n" + two;
    }

    /// <summary>Sends SS2's process a signal (STOP freezes it, CONT lets it go on): a peer that stops answering.</summary>
    /// <param name="signal">The signal's name, e.g. "STOP".</param>
    public void SignalSs2(string signal)
    {
        using Process kill = Process.Start("kill", ["-" + signal, _ss2.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        Assert.That(kill.ExitCode, Is.Zero, "kill -" + signal + " SS2");
    }

    /// <summary>Stops both daemons; each must exit 0.</summary>
    public async Task StopAsync()
    {
        Assert.That(await _ss1.TerminateAsync(), Is.Zero, "SS1 stopped cleanly");
        Assert.That(await _ss2.TerminateAsync(), Is.Zero, "SS2 stopped cleanly");
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _ss1.Dispose();
        _ss2.Dispose();
        Directory.Delete(_folder, recursive: true);
        return ValueTask.CompletedTask;
    }

    private static async Task WaitForLinkAsync(DaemonProcess daemon)
    {
        static bool Up(DaemonProcess daemon) => daemon.Output.Any(line => line.Contains(" is up (logged in to", StringComparison.Ordinal));
        for (int i = 0; i < 600 && !Up(daemon); i++)
        {
            await Task.Delay(50);
        }

        Assert.That(Up(daemon), Is.True, "the remote-copy path came up: " + string.Join(" | ", daemon.Output));
    }
}
