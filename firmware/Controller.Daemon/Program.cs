// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Wire.Transport;

namespace Controller.Daemon;

/// <summary>
/// controllerd: runs one controller from a configuration file, its target ports behind one FCIP listener. The command
/// line is <see cref="ControllerdCommand"/>'s, the run (a Generic Host) <see cref="Hosting.ControllerdRun"/>'s.
/// Exit codes: 0 stopped cleanly (SIGINT/SIGTERM: every command answered, stores flushed), 1 could not run (the
/// address is in use, the store directory is locked by another daemon), 2 bad command line, 3 bad configuration
/// (the message names file, line and reason), 4 stopped without answering every command (the stop timeout ran
/// out, or a second signal).
/// </summary>
internal static class Program
{
    /// <summary>The entry point.</summary>
    /// <param name="args">The command line.</param>
    /// <returns>The exit code.</returns>
    public static int Main(string[] args)
    {
        SocketTuning.UseInlineCompletions();
        return ControllerdCommand.Run(args);
    }
}
