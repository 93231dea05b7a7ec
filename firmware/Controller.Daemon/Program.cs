// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using Controller.Daemon.Configuration;
using Controller.Daemon.Store;
using Controller.Firmware.Addressing;
using Controller.Firmware.Scheduling;
using Controller.Target;
using Controller.Target.RemoteCopy;
using Controller.Wire.Pcap;
using Controller.Wire.Transport;

namespace Controller.Daemon;

/// <summary>
/// controllerd: runs one controller from a configuration file, its target ports behind one FCIP listener.
/// Exit codes: 0 stopped cleanly (SIGINT/SIGTERM: every command answered, stores flushed), 1 could not run (the
/// address is in use, the store directory is locked by another daemon), 2 bad command line, 3 bad configuration
/// (the message names file, line and reason), 4 stopped without answering every command (the stop timeout ran
/// out, or a second signal).
/// </summary>
internal static class Program
{
    private const string Usage = "usage: controllerd --config FILE [--listen ADDRESS:PORT] [--stop-timeout SECONDS] [--pcap FILE [--pcap-limit SIZE] [--pcap-files N]] [--reset-state] [--check]";

    // How long a stop waits for the commands in flight (docs/controllerd.md, "Stopping").
    private const int DefaultStopTimeoutSeconds = 10;
    private const int MaxStopTimeoutSeconds = 3600;

    // The exit code of a stop that left commands unanswered.
    private const int ExitUnanswered = 4;

    // A trace rotates at 256 MiB into FILE.1 to FILE.3: at most 1 GiB of disk by default (docs/controllerd.md).
    private const long DefaultPcapLimit = 256L << 20;
    private const int DefaultPcapFiles = 4;

    /// <summary>The entry point.</summary>
    /// <param name="args">The command line.</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> Main(string[] args)
    {
        SocketTuning.UseInlineCompletions();
        string? configPath = null;
        string? listen = null;
        string? pcapPath = null;
        string? pcapLimitText = null;
        string? pcapFilesText = null;
        string? stopTimeoutText = null;
        bool checkOnly = false;
        bool resetState = false;
        for (int i = 0; i < args.Length; i++)
        {
            string option = args[i];
            if (option is "--help" or "-h")
            {
                Console.WriteLine(Usage);
                return 0;
            }

            if (option == "--check")
            {
                checkOnly = true;
                continue;
            }

            if (option == "--reset-state")
            {
                resetState = true;
                continue;
            }

            if (i + 1 >= args.Length || option is not ("--config" or "--listen" or "--stop-timeout" or "--pcap" or "--pcap-limit" or "--pcap-files"))
            {
                Console.Error.WriteLine("controllerd: " + (option.StartsWith('-') ? "option " + option + (i + 1 >= args.Length ? " needs a value" : " is unknown") : "unexpected argument " + option));
                Console.Error.WriteLine(Usage);
                return 2;
            }

            string value = args[++i];
            switch (option)
            {
                case "--config":
                    configPath = value;
                    break;
                case "--listen":
                    listen = value;
                    break;
                case "--pcap-limit":
                    pcapLimitText = value;
                    break;
                case "--pcap-files":
                    pcapFilesText = value;
                    break;
                case "--stop-timeout":
                    stopTimeoutText = value;
                    break;
                default:
                    pcapPath = value;
                    break;
            }
        }

        if (configPath is null)
        {
            Console.Error.WriteLine("controllerd: --config is required");
            Console.Error.WriteLine(Usage);
            return 2;
        }

        if (!TryParsePcapOptions(pcapPath, pcapLimitText, pcapFilesText, out PcapOptions? pcap))
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        int stopTimeoutSeconds = DefaultStopTimeoutSeconds;
        if (stopTimeoutText is not null && (!int.TryParse(stopTimeoutText, NumberStyles.None, CultureInfo.InvariantCulture, out stopTimeoutSeconds) || stopTimeoutSeconds > MaxStopTimeoutSeconds))
        {
            Console.Error.WriteLine("controllerd: --stop-timeout " + stopTimeoutText + " is not a number of seconds from 0 to " + MaxStopTimeoutSeconds);
            Console.Error.WriteLine(Usage);
            return 2;
        }

        ControllerConfig config;
        try
        {
            config = ControllerConfigParser.ParseFile(configPath);
        }
        catch (ConfigException exception)
        {
            Console.Error.WriteLine("controllerd: " + exception.Message);
            return 3;
        }

        IPEndPoint endPoint = config.Listen;
        if (listen is not null && !IPEndPoint.TryParse(listen, out endPoint!))
        {
            Console.Error.WriteLine("controllerd: --listen " + listen + " is not an address:port, e.g. 127.0.0.1:3225");
            return 2;
        }

        ConfiguredController controller;
        List<FcpRemotePath> paths = [];
        LateFrameTap? pathTap = pcap is null ? null : new LateFrameTap();
        try
        {
            controller = ConfiguredController.Build(config, RealTimeScheduler.Instance, resetState && !checkOnly, checkOnly, path => OpenRemotePath(path, pathTap, paths));
        }
        catch (ConfigException exception)
        {
            Console.Error.WriteLine("controllerd: " + exception.Message);
            return 3;
        }
        catch (StoreInUseException exception)
        {
            Console.Error.WriteLine("controllerd: " + exception.Message);
            return 1;
        }

        using (controller)
        {
            if (checkOnly)
            {
                Console.WriteLine("controllerd: " + configPath + " is valid: " + controller.Ports.Count + " ports, " + config.Ldevs.Count + " LDEVs, " + config.Pairs.Count + " pairs");
                foreach (string note in controller.StateNotes)
                {
                    Console.WriteLine("controllerd: " + note);
                }

                return 0;
            }

            return await ServeAsync(controller, paths, pathTap, endPoint, pcap, TimeSpan.FromSeconds(stopTimeoutSeconds)).ConfigureAwait(false);
        }
    }

    private static bool TryParsePcapOptions(string? path, string? limitText, string? filesText, out PcapOptions? options)
    {
        options = null;
        if (path is null)
        {
            if (limitText is not null || filesText is not null)
            {
                Console.Error.WriteLine("controllerd: " + (limitText is not null ? "--pcap-limit" : "--pcap-files") + " needs --pcap FILE");
                return false;
            }

            return true;
        }

        long limit = DefaultPcapLimit;
        if (limitText is not null && (!ByteSize.TryParse(limitText, out limit) || (limit != 0 && limit < PcapFrameTap.MinimumLimitBytes)))
        {
            Console.Error.WriteLine("controllerd: --pcap-limit " + limitText + " is not a size of at least 64k (a number with k, M or G, e.g. 256M), or 0 for no limit");
            return false;
        }

        int files = DefaultPcapFiles;
        if (filesText is not null && (!int.TryParse(filesText, NumberStyles.None, CultureInfo.InvariantCulture, out files) || files < 1 || files > 1000))
        {
            Console.Error.WriteLine("controllerd: --pcap-files " + filesText + " is not a number of files from 1 to 1000");
            return false;
        }

        options = new PcapOptions(path, limit, files);
        return true;
    }

    private static string DescribeRecording(PcapOptions pcap)
    {
        if (pcap.LimitBytes == 0)
        {
            return "recording frames to " + pcap.Path + " with no size limit (--pcap-limit 0)";
        }

        string kept = pcap.Files == 1 ? "1 file kept: a full " + pcap.Path + " is dropped and started again"
            : pcap.Files + " files kept: " + pcap.Path + " and " + PcapFrameTap.PartPath(pcap.Path, 1) + (pcap.Files > 2 ? " to " + PcapFrameTap.PartPath(pcap.Path, pcap.Files - 1) : string.Empty) + ", oldest last";
        return "recording frames to " + pcap.Path + ", rotated at " + ByteSize.Mib(pcap.LimitBytes) + " (" + pcap.LimitBytes + " bytes), " + kept;
    }

    // Every PcapProgress.Interval while recording, a line with what was written and how fast.
    private static async Task ReportRecordingAsync(PcapFrameTap tap, string path, CancellationToken stopping)
    {
        PcapProgress progress = new(path, tap.BytesWritten);
        long start = Stopwatch.GetTimestamp();
        using PeriodicTimer timer = new(PcapProgress.Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                string? line = progress.Next(tap.BytesWritten, tap.FramesRecorded, tap.Rotations, Stopwatch.GetElapsedTime(start));
                if (line is not null)
                {
                    Log(line);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private static async Task<int> ServeAsync(ConfiguredController controller, List<FcpRemotePath> paths, LateFrameTap? pathTap, IPEndPoint endPoint, PcapOptions? pcap, TimeSpan stopTimeout)
    {
        using PcapFrameTap? tap = pcap is null ? null : PcapFrameTap.Create(pcap.Path, pcap.LimitBytes, pcap.Files, Log);
        if (pathTap is not null)
        {
            pathTap.Recorder = tap;
        }

        HashSet<int> peers = [];
        Dictionary<int, byte[]> peerKeys = [];
        Dictionary<int, IPAddress> peerAddresses = [];
        foreach (PortId peer in controller.Config.RemoteCopyPeers)
        {
            peers.Add((int)peer.Value);
            peerKeys.Add((int)peer.Value, controller.Config.RemoteCopyPeerKeys[peer]);
            if (controller.Config.RemoteCopyPeerAddresses.TryGetValue(peer, out IPAddress? from))
            {
                peerAddresses.Add((int)peer.Value, from);
            }
        }

        AuditTrail audit;
        try
        {
            audit = AuditTrail.Open(Log, controller.Config.AuditLogPath);
        }
        catch (IOException exception)
        {
            Console.Error.WriteLine("controllerd: " + exception.Message);
            return 1;
        }

        using AuditTrail auditTrail = audit;
        ControllerFrontEnd frontEnd = new(controller.Subsystem, controller.Ports, new TargetOptions
        {
            Log = Log,
            RemoteCopyPeers = peers,
            RemoteCopyPeerKeys = peerKeys,
            RemoteCopyPeerAddresses = peerAddresses,
            CommandDevices = controller.Config.GetCommandDevices(),
            AuditLog = audit.Write,
            Limits = controller.Config.Limits,
        });
        Log("limits: " + controller.Config.Limits.Describe());
        FcipListener listener;
        try
        {
            listener = new FcipListener(frontEnd, endPoint, tap is null ? null : _ => tap);
            listener.Start();
        }
        catch (System.Net.Sockets.SocketException exception)
        {
            // "Address already in use" (EADDRINUSE) when another process listens there: the listener never shares
            // its address (FcipListener), so a second daemon stops here rather than taking half the logins.
            Console.Error.WriteLine("controllerd: cannot listen on " + endPoint + ": " + (exception.SocketErrorCode == System.Net.Sockets.SocketError.AddressAlreadyInUse ? "address in use (is another controllerd running there?)" : exception.Message));
            return 1;
        }

        TaskCompletionSource<string> stop = new(TaskCreationOptions.RunContinuationsAsynchronously);
        using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Stop(context, stop));
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Stop(context, stop));

        List<string> ports = [];
        foreach (TargetPort port in controller.Ports)
        {
            ports.Add(port.PortId.ToString());
        }

        Log(controller.DescribeStore());
        foreach (string note in controller.StateNotes)
        {
            Log(note);
        }

        Log("listening on " + listener.LocalEndPoint + " (FCIP), target ports " + string.Join(", ", ports));
        foreach (string warning in SecurityWarnings.Of(controller.Config))
        {
            Log("warning: " + warning);
        }

        using CancellationTokenSource reporting = new();
        Task report = Task.CompletedTask;
        if (tap is not null)
        {
            Log(DescribeRecording(pcap!));
            report = ReportRecordingAsync(tap, pcap!.Path, reporting.Token);
        }

        StartRemoteCopyPaths(paths);
        string signal = await stop.Task.ConfigureAwait(false);
        Log(signal + " received: stopping: no new connections; new commands are answered NOT READY (02/04/0C); waiting up to " + stopTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s for the commands in flight (a second signal stops at once)");
        long stopStart = Stopwatch.GetTimestamp();
        await reporting.CancelAsync().ConfigureAwait(false);
        await report.ConfigureAwait(false);

        // The listener first: a host write to a remote pair's P-VOL in flight still needs its remote-copy path.
        DrainReport drain = await listener.StopAsync(stopTimeout).ConfigureAwait(false);
        string counts = drain.InFlightAtStop + " in flight at the signal on " + drain.Connections + " connections, " + drain.Refused + " new commands refused";
        if (drain.Drained)
        {
            Log("drained " + drain.Answered + " commands (" + counts + ") in " + drain.DrainTime.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture) + " ms; connections closed after " + Stopwatch.GetElapsedTime(stopStart).TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture) + " ms");
        }
        else
        {
            Log("stop timeout of " + stopTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s ran out: " + drain.Unanswered + " commands left unanswered (" + drain.Answered + " answered, " + counts + "): " + string.Join("; ", drain.StillInFlight));
        }

        await listener.DisposeAsync().ConfigureAwait(false);
        foreach (FcpRemotePath path in paths)
        {
            await path.DisposeAsync().ConfigureAwait(false);
        }

        // A clean stop syncs every LDEV file, so write-back loses nothing acknowledged; a failure is said, not hidden.
        List<string> unflushed = controller.FlushMedia();
        int ldevs = controller.Config.Ldevs.Count;
        Log(unflushed.Count > 0 ? "sync FAILED for " + string.Join(", ", unflushed) + ": acknowledged writes may be lost on a power cut"
            : controller.Config.Store == StoreKind.File ? "stores flushed: synced " + ldevs + " LDEV files" : "stores flushed (" + ldevs + " RAM LDEVs: nothing to sync)");

        // The pair state's checkpoint comes after the last answer and the media flush: it records a clean stop. With
        // commands left in flight a write may still land after it, unrecorded in a bitmap: no clean-stop checkpoint
        // then, and the next start treats the state as after a crash (every track of a pair marked), which is safe.
        if (drain.Drained)
        {
            try
            {
                controller.KeepStateAtStop();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Log("could not keep the pair state at the stop: " + ex.Message + "; the next start restores it as after a crash (docs/durability.md)");
            }
        }
        else
        {
            Log("no clean-stop checkpoint of the pair state: commands were left in flight; the next start restores it as after a crash");
        }

        tap?.Flush();
        Log("stopped" + (tap is null ? string.Empty : " (" + tap.FramesRecorded + " frames recorded, " + ByteSize.Mib(tap.BytesWritten) + ", " + tap.Rotations + " rotations)"));
        return drain.Drained && unflushed.Count == 0 ? 0 : ExitUnanswered;
    }

    // A 'remote-copy-path' line's path, made with the controller (its kept remote pairs follow it) and started later.
    private static FcpRemotePath OpenRemotePath(RemoteCopyPathConfig config, LateFrameTap? tap, List<FcpRemotePath> paths)
    {
        List<int> peerPorts = [];
        foreach (PortId port in config.PeerPorts)
        {
            peerPorts.Add((int)port.Value);
        }

        string name = "remote-copy path " + config.Initiator + " -> " + config.Peer;
        FcpRemotePath path = FcpRemotePath.OverTcp(name, (int)config.Initiator.Value, peerPorts, config.Peer, tap);
        path.ReconnectInterval = TimeSpan.FromSeconds(1);
        path.Key = config.Key;
        path.ConnectFailed += reason => Log(name + " cannot come up: " + reason);
        path.StateChanged += up => Log(name + (up ? " is up (logged in to " + string.Join(", ", config.PeerPorts) + ", authenticated)" : " is down: " + path.LastError));
        paths.Add(path);
        return path;
    }

    // Each remote-copy path connects to its secondary in the background, and again whenever the link is lost.
    private static void StartRemoteCopyPaths(List<FcpRemotePath> paths)
    {
        foreach (FcpRemotePath path in paths)
        {
            path.Start();
        }
    }

    private static void Stop(PosixSignalContext context, TaskCompletionSource<string> stop)
    {
        // Keep the runtime from terminating the process: the stop answers the commands in flight first.
        context.Cancel = true;
        if (!stop.TrySetResult(context.Signal.ToString()))
        {
            // The operator does not want to wait: the kernel closes the connections and the files; what was
            // written is in the page cache, but commands in flight are not answered and nothing is flushed.
            Log("second signal (" + context.Signal + ") during the stop: exiting at once, commands in flight unanswered, stores not flushed (exit code " + ExitUnanswered + ")");
            Environment.Exit(ExitUnanswered);
        }
    }

    private static void Log(string message)
    {
        Console.WriteLine(DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture) + " controllerd: " + message);
    }
}
