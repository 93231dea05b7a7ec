// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim.Cli;

/// <summary>
/// The one check every command makes on a file it reads before it opens it, so that a missing file is one line in
/// the same words everywhere ("hostsim replay: no such file: t.pcap") and exit code 2, never the runtime's text.
/// </summary>
internal static class InputFile
{
    /// <summary>Says "hostsim COMMAND: no such file: PATH" on standard error when the file is not there.</summary>
    /// <param name="command">The command's name, e.g. "replay" or "pair run".</param>
    /// <param name="path">The file named on the command line.</param>
    /// <param name="option">The option that named it, if any (e.g. "--load").</param>
    /// <returns>True when the file is missing (the command then returns <see cref="Program.BadUsage"/>).</returns>
    public static bool IsMissing(string command, string path, string? option = null)
    {
        if (File.Exists(path))
        {
            return false;
        }

        string what = Directory.Exists(path) ? "a folder, not a file: " : "no such file: ";
        Console.Error.WriteLine("hostsim " + command + ": " + (option is null ? string.Empty : option + ": ") + what + path);
        return true;
    }
}
