// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim;

/// <summary>
/// The hostsim command line: one command per file (<c>DemoCommand</c>, ...). Exit codes: 0 success; 1 a check
/// failed (an inconsistent verdict, a command answered with an error); 2 bad usage (the message
/// says what was wrong).
/// </summary>
internal static class Program
{
    private static readonly (string Name, string Usage, Func<string[], int> Run)[] s_commands =
    [
        ("demo", DemoCommand.Usage, DemoCommand.Run),
        ("fuzz", FuzzCommand.Usage, FuzzCommand.Run),
        ("loopback", LoopbackCommand.Usage, LoopbackCommand.Run),
        ("bench", BenchCommand.Usage, BenchCommand.Run),
    ];

    private static string Usage
    {
        get
        {
            string usage = "usage: hostsim COMMAND [options]\n\n";
            foreach ((string _, string text, Func<string[], int> _) in s_commands)
            {
                usage += text.TrimEnd() + "\n\n";
            }

            return usage + "exit codes: 0 success, 1 a check failed, 2 bad usage";
        }
    }

    private static int Main(string[] args)
    {
        Controller.Wire.Transport.SocketTuning.UseInlineCompletions();
        return Run(args);
    }

    /// <summary>Runs one command line; returns the exit code.</summary>
    /// <param name="args">The arguments: the command, then its options.</param>
    /// <returns>The exit code.</returns>
    internal static int Run(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.Out.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        foreach ((string name, string _, Func<string[], int> run) in s_commands)
        {
            if (args[0] == name)
            {
                return run(args);
            }
        }

        Console.Error.WriteLine("hostsim: unknown command '" + args[0] + "'");
        Console.Error.WriteLine(Usage);
        return 2;
    }
}
