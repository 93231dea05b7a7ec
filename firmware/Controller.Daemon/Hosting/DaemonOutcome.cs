// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Daemon.Hosting;

/// <summary>
/// What a run of controllerd ends with, written by its hosted services and its lifetime, read by
/// <see cref="ControllerdRun"/> once the host has stopped: the signal that stopped it and the exit code.
/// </summary>
internal sealed class DaemonOutcome
{
    /// <summary>The exit code of a stop that left commands unanswered or an LDEV unsynced (docs/controllerd.md, "Stopping").</summary>
    public const int ExitUnanswered = 4;

    private string? _signal;

    /// <summary>Gets or sets the first signal (<c>SIGTERM</c>, <c>SIGINT</c>); null until one came.</summary>
    public string? Signal
    {
        get => Volatile.Read(ref _signal);
        set => Volatile.Write(ref _signal, value);
    }

    /// <summary>Gets or sets the exit code: 0 unless the stop said otherwise.</summary>
    public int ExitCode { get; set; }
}
