// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim.Tests;

/// <summary>Runs a hostsim command line in-process with its standard output and error captured.</summary>
internal static class CommandLine
{
    public static (int Code, string Output, string Error) Run(string[] args)
    {
        TextWriter oldOut = Console.Out;
        TextWriter oldError = Console.Error;
        using StringWriter output = new();
        using StringWriter error = new();
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            int code = Program.Run(args);
            return (code, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldError);
        }
    }
}
