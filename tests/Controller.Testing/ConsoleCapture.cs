// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Testing;

/// <summary>Runs a command-line entry point with standard output and error captured (tests of hostsim and controllerd commands).</summary>
public static class ConsoleCapture
{
    /// <summary>Runs the entry point; the console is restored afterwards.</summary>
    /// <param name="run">Runs the program and returns its exit code.</param>
    /// <returns>The exit code and what it wrote to standard output and error.</returns>
    public static (int Code, string Output, string Error) Run(Func<int> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        TextWriter oldOut = Console.Out;
        TextWriter oldError = Console.Error;
        using StringWriter output = new();
        using StringWriter error = new();
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            int code = run();
            return (code, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldError);
        }
    }
}
