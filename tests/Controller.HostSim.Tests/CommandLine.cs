// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim.Tests;

/// <summary>Runs a hostsim command line in-process with its standard output and error captured.</summary>
internal static class CommandLine
{
    public static (int Code, string Output, string Error) Run(string[] args)
    {
        return Controller.Testing.ConsoleCapture.Run(() => Program.Run(args));
    }
}
