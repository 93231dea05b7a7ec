// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Daemon;

/// <summary>controllerd: runs one controller from a configuration file.</summary>
internal static class Program
{
    /// <summary>The entry point.</summary>
    /// <param name="args">The command line.</param>
    /// <returns>The exit code.</returns>
    public static int Main(string[] args)
    {
        _ = args;
        return 0;
    }
}
