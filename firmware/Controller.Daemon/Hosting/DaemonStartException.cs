// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Daemon.Hosting;

/// <summary>
/// A hosted service could not start (the audit file cannot be opened, the address is in use): the run prints the
/// message on standard error and exits with the code, without a stack trace (docs/style.md item 5).
/// </summary>
internal sealed class DaemonStartException : Exception
{
    /// <summary>Initializes the exception.</summary>
    /// <param name="exitCode">The exit code (1: could not run).</param>
    /// <param name="message">What went wrong, for the operator.</param>
    /// <param name="innerException">The cause.</param>
    public DaemonStartException(int exitCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ExitCode = exitCode;
    }

    /// <summary>Gets the exit code.</summary>
    public int ExitCode { get; }
}
