// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Net;
using Microsoft.Extensions.Logging;

namespace Controller.Daemon.Logging;

/// <summary>
/// The daemon's own log lines (docs/controllerd.md, "Log"): its start, the remote-copy paths, the stop. Source-generated
/// <see cref="LoggerMessageAttribute"/> methods with structured fields; the text is the line controllerd prints after
/// its time stamp. Information: the run; Warning: what an operator should look at (an open port, a path that cannot
/// come up, a stop that left commands); Error: what may have lost data (a failed sync, a state not kept).
/// </summary>
internal static partial class DaemonLog
{
    [LoggerMessage(EventId = 900, Level = LogLevel.Information, Message = "limits: {Limits}")]
    public static partial void Limits(ILogger logger, string limits);

    [LoggerMessage(EventId = 901, Level = LogLevel.Information, Message = "{Store}")]
    public static partial void Store(ILogger logger, string store);

    [LoggerMessage(EventId = 902, Level = LogLevel.Information, Message = "{Note}")]
    public static partial void StateNote(ILogger logger, string note);

    [LoggerMessage(EventId = 903, Level = LogLevel.Information, Message = "listening on {EndPoint} (FCIP), target ports {Ports}")]
    public static partial void Listening(ILogger logger, EndPoint endPoint, string ports);

    // The line has always said "warning: ", and scripts and tests look for it (the console format prints no level).
#pragma warning disable SYSLIB1012 // The level is also in the message.
    [LoggerMessage(EventId = 904, Level = LogLevel.Warning, Message = "warning: {Warning}")]
    public static partial void SecurityWarning(ILogger logger, string warning);
#pragma warning restore SYSLIB1012

    [LoggerMessage(EventId = 910, Level = LogLevel.Information, Message = "recording frames to {Path} with no size limit (--pcap-limit 0)")]
    public static partial void RecordingUnlimited(ILogger logger, string path);

    [LoggerMessage(EventId = 911, Level = LogLevel.Information, Message = "recording frames to {Path}, rotated at {Limit} ({LimitBytes} bytes), {Kept}")]
    public static partial void Recording(ILogger logger, string path, string limit, long limitBytes, string kept);

    [LoggerMessage(EventId = 912, Level = LogLevel.Information, Message = "{Progress}")]
    public static partial void RecordingProgress(ILogger logger, string progress);

    [LoggerMessage(EventId = 920, Level = LogLevel.Warning, Message = "{Path} cannot come up: {Reason}")]
    public static partial void PathCannotComeUp(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 921, Level = LogLevel.Information, Message = "{Path} is up (logged in to {Ports}, authenticated)")]
    public static partial void PathUp(ILogger logger, string path, string ports);

    [LoggerMessage(EventId = 922, Level = LogLevel.Warning, Message = "{Path} is down: {Reason}")]
    public static partial void PathDown(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 930, Level = LogLevel.Information, Message = "{Signal} received: stopping: no new connections; new commands are answered NOT READY (02/04/0C); waiting up to {TimeoutSeconds} s for the commands in flight (a second signal stops at once)")]
    public static partial void Stopping(ILogger logger, string signal, double timeoutSeconds);

    [LoggerMessage(EventId = 931, Level = LogLevel.Information, Message = "drained {Answered} commands ({InFlight} in flight at the signal on {Connections} connections, {Refused} new commands refused) in {DrainMilliseconds:F0} ms; connections closed after {CloseMilliseconds:F0} ms")]
    public static partial void Drained(ILogger logger, int answered, int inFlight, int connections, int refused, double drainMilliseconds, double closeMilliseconds);

    [LoggerMessage(EventId = 932, Level = LogLevel.Warning, Message = "stop timeout of {TimeoutSeconds} s ran out: {Unanswered} commands left unanswered ({Answered} answered, {InFlight} in flight at the signal on {Connections} connections, {Refused} new commands refused): {Commands}")]
    public static partial void StopTimedOut(ILogger logger, double timeoutSeconds, int unanswered, int answered, int inFlight, int connections, int refused, string commands);

    [LoggerMessage(EventId = 933, Level = LogLevel.Error, Message = "sync FAILED for {Ldevs}: acknowledged writes may be lost on a power cut")]
    public static partial void SyncFailed(ILogger logger, string ldevs);

    [LoggerMessage(EventId = 934, Level = LogLevel.Information, Message = "stores flushed: synced {Count} LDEV files")]
    public static partial void FilesSynced(ILogger logger, int count);

    [LoggerMessage(EventId = 935, Level = LogLevel.Information, Message = "stores flushed ({Count} RAM LDEVs: nothing to sync)")]
    public static partial void RamFlushed(ILogger logger, int count);

    [LoggerMessage(EventId = 936, Level = LogLevel.Error, Message = "could not keep the pair state at the stop: {Reason}; the next start restores it as after a crash (docs/durability.md)")]
    public static partial void StateNotKept(ILogger logger, string reason);

    [LoggerMessage(EventId = 937, Level = LogLevel.Warning, Message = "no clean-stop checkpoint of the pair state: commands were left in flight; the next start restores it as after a crash")]
    public static partial void NoCleanStopCheckpoint(ILogger logger);

    [LoggerMessage(EventId = 938, Level = LogLevel.Information, Message = "stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(EventId = 939, Level = LogLevel.Information, Message = "stopped ({Frames} frames recorded, {Recorded}, {Rotations} rotations)")]
    public static partial void StoppedRecording(ILogger logger, long frames, string recorded, int rotations);

    [LoggerMessage(EventId = 940, Level = LogLevel.Error, Message = "second signal ({Signal}) during the stop: exiting at once, commands in flight unanswered, stores not flushed (exit code {ExitCode})")]
    public static partial void SecondSignal(ILogger logger, string signal, int exitCode);

    [LoggerMessage(EventId = 950, Level = LogLevel.Information, Message = "{Line}")]
    public static partial void Audit(ILogger logger, string line);

    [LoggerMessage(EventId = 951, Level = LogLevel.Error, Message = "could not append to the audit log: {Reason}")]
    public static partial void AuditFileFailed(ILogger logger, string reason);
}
