// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Controller.Addressing;
using Controller.Daemon.Configuration;
using Controller.Daemon.Logging;
using Controller.Firmware.Addressing;
using Controller.Target;
using Controller.Wire.Pcap;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Controller.Daemon.Hosting;

/// <summary>
/// The controller behind its FCIP listener, as a hosted service. Start: the trace, the audit trail, the port front and
/// the listener, then the start-up lines (<c>listening on ADDRESS (FCIP)</c> among them). Stop, on the first signal
/// (docs/controllerd.md, "Stopping"): no new connections, the commands in flight answered (or the stop timeout), the
/// connections closed; then, after the remote-copy paths are closed (<see cref="RemoteCopyPathService"/>), the stores
/// flushed, the pair state's clean-stop checkpoint and the exit code (<see cref="DaemonOutcome"/>).
/// </summary>
internal sealed class ControllerService : IHostedLifecycleService
{
    private readonly ConfiguredController _controller;
    private readonly DaemonSettings _settings;
    private readonly RemoteCopyPaths _paths;
    private readonly DaemonOutcome _outcome;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _reporting = new();
    private PcapFrameTap? _tap;
    private AuditTrail? _audit;
    private FcipListener? _listener;
    private Task _report = Task.CompletedTask;
    private bool _drained;

    /// <summary>Initializes the service.</summary>
    /// <param name="controller">The controller, built from the configuration.</param>
    /// <param name="settings">The address, the stop timeout and the trace.</param>
    /// <param name="paths">The remote-copy paths, whose frames the trace records too.</param>
    /// <param name="outcome">Where the exit code goes.</param>
    /// <param name="loggers">The loggers of the port front, the trace and the audit trail.</param>
    /// <param name="logger">The daemon's own lines.</param>
    public ControllerService(ConfiguredController controller, DaemonSettings settings, RemoteCopyPaths paths, DaemonOutcome outcome, ILoggerFactory loggers, ILogger<ControllerService> logger)
    {
        _controller = controller;
        _settings = settings;
        _paths = paths;
        _outcome = outcome;
        _loggers = loggers;
        _logger = logger;
    }

    /// <inheritdoc/>
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        PcapOptions? pcap = _settings.Pcap;
        _tap = pcap is null ? null : PcapFrameTap.Create(pcap.Path, pcap.LimitBytes, pcap.Files, _loggers.CreateLogger<PcapFrameTap>());
        if (_paths.Tap is not null)
        {
            _paths.Tap.Recorder = _tap;
        }

        try
        {
            _audit = AuditTrail.Open(_loggers.CreateLogger<AuditTrail>(), _controller.Config.AuditLogPath);
        }
        catch (IOException exception)
        {
            _tap?.Dispose();
            throw new DaemonStartException(1, exception.Message, exception);
        }

        ControllerFrontEnd frontEnd = new(_controller.Subsystem, _controller.Ports, Options(_audit));
        DaemonLog.Limits(_logger, _controller.Config.Limits.Describe());
        try
        {
            PcapFrameTap? tap = _tap;
            _listener = new FcipListener(frontEnd, _settings.EndPoint, tap is null ? null : _ => tap);
            _listener.Start();
        }
        catch (SocketException exception)
        {
            // "Address already in use" (EADDRINUSE) when another process listens there: the listener never shares its
            // address (FcipListener), so a second daemon stops here rather than taking half the logins.
            _audit.Dispose();
            _tap?.Dispose();
            throw new DaemonStartException(1, "cannot listen on " + _settings.EndPoint + ": " + (exception.SocketErrorCode == SocketError.AddressAlreadyInUse ? "address in use (is another controllerd running there?)" : exception.Message), exception);
        }

        List<string> ports = [];
        foreach (TargetPort port in _controller.Ports)
        {
            ports.Add(port.PortId.ToString());
        }

        DaemonLog.Store(_logger, _controller.DescribeStore());
        foreach (string note in _controller.StateNotes)
        {
            DaemonLog.StateNote(_logger, note);
        }

        DaemonLog.Listening(_logger, _listener.LocalEndPoint, string.Join(", ", ports));
        foreach (string warning in SecurityWarnings.Of(_controller.Config))
        {
            DaemonLog.SecurityWarning(_logger, warning);
        }

        if (_tap is not null)
        {
            LogRecording(pcap!);
            _report = ReportRecordingAsync(_tap, pcap!.Path, _reporting.Token);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    /// <remarks>Bounded by the stop timeout (plus at most 2 s for the connections), not by the host's token.</remarks>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        FcipListener listener = _listener!;
        TimeSpan stopTimeout = _settings.StopTimeout;
        DaemonLog.Stopping(_logger, _outcome.Signal ?? "stop", stopTimeout.TotalSeconds);
        long stopStart = Stopwatch.GetTimestamp();
        await _reporting.CancelAsync().ConfigureAwait(false);
        await _report.ConfigureAwait(false);

        // The listener first: a host write to a remote pair's P-VOL in flight still needs its remote-copy path.
        DrainReport drain = await listener.StopAsync(stopTimeout).ConfigureAwait(false);
        _drained = drain.Drained;
        if (drain.Drained)
        {
            DaemonLog.Drained(_logger, drain.Answered, drain.InFlightAtStop, drain.Connections, drain.Refused, drain.DrainTime.TotalMilliseconds, Stopwatch.GetElapsedTime(stopStart).TotalMilliseconds);
        }
        else
        {
            DaemonLog.StopTimedOut(_logger, stopTimeout.TotalSeconds, drain.Unanswered, drain.Answered, drain.InFlightAtStop, drain.Connections, drain.Refused, string.Join("; ", drain.StillInFlight));
        }

        await listener.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks>After every service's stop: the remote-copy paths are closed by now.</remarks>
    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        // A clean stop syncs every LDEV file, so write-back loses nothing acknowledged; a failure is said, not hidden.
        List<string> unflushed = _controller.FlushMedia();
        int ldevs = _controller.Config.Ldevs.Count;
        if (unflushed.Count > 0)
        {
            DaemonLog.SyncFailed(_logger, string.Join(", ", unflushed));
        }
        else if (_controller.Config.Store == StoreKind.File)
        {
            DaemonLog.FilesSynced(_logger, ldevs);
        }
        else
        {
            DaemonLog.RamFlushed(_logger, ldevs);
        }

        // The pair state's checkpoint comes after the last answer and the media flush: it records a clean stop. With
        // commands left in flight a write may still land after it, unrecorded in a bitmap: no clean-stop checkpoint
        // then, and the next start treats the state as after a crash (every track of a pair marked), which is safe.
        if (_drained)
        {
            try
            {
                _controller.KeepStateAtStop();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                DaemonLog.StateNotKept(_logger, ex.Message);
            }
        }
        else
        {
            DaemonLog.NoCleanStopCheckpoint(_logger);
        }

        PcapFrameTap? tap = _tap;
        if (tap is null)
        {
            DaemonLog.Stopped(_logger);
        }
        else
        {
            tap.Flush();
            DaemonLog.StoppedRecording(_logger, tap.FramesRecorded, ByteSize.Mib(tap.BytesWritten), tap.Rotations);
        }

        _outcome.ExitCode = _drained && unflushed.Count == 0 ? 0 : DaemonOutcome.ExitUnanswered;
        _audit?.Dispose();
        tap?.Dispose();
        _reporting.Dispose();
        return Task.CompletedTask;
    }

    private TargetOptions Options(AuditTrail audit)
    {
        ControllerConfig config = _controller.Config;
        HashSet<PortId> peers = [];
        Dictionary<PortId, byte[]> peerKeys = [];
        Dictionary<PortId, IPAddress> peerAddresses = [];
        foreach (PortId peer in config.RemoteCopyPeers)
        {
            peers.Add(peer);
            peerKeys.Add(peer, config.RemoteCopyPeerKeys[peer]);
            if (config.RemoteCopyPeerAddresses.TryGetValue(peer, out IPAddress? from))
            {
                peerAddresses.Add(peer, from);
            }
        }

        return new TargetOptions
        {
            LoggerFactory = _loggers,
            RemoteCopyPeers = peers,
            RemoteCopyPeerKeys = peerKeys,
            RemoteCopyPeerAddresses = peerAddresses,
            CommandDevices = config.GetCommandDevices(),
            AuditLog = audit.Write,
            Limits = config.Limits,
        };
    }

    private void LogRecording(PcapOptions pcap)
    {
        if (pcap.LimitBytes == 0)
        {
            DaemonLog.RecordingUnlimited(_logger, pcap.Path);
            return;
        }

        string kept = pcap.Files == 1 ? "1 file kept: a full " + pcap.Path + " is dropped and started again"
            : pcap.Files + " files kept: " + pcap.Path + " and " + PcapFrameTap.PartPath(pcap.Path, 1) + (pcap.Files > 2 ? " to " + PcapFrameTap.PartPath(pcap.Path, pcap.Files - 1) : string.Empty) + ", oldest last";
        DaemonLog.Recording(_logger, pcap.Path, ByteSize.Mib(pcap.LimitBytes), pcap.LimitBytes, kept);
    }

    // Every PcapProgress.Interval while recording, a line with what was written and how fast.
    private async Task ReportRecordingAsync(PcapFrameTap tap, string path, CancellationToken stopping)
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
                    DaemonLog.RecordingProgress(_logger, line);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
