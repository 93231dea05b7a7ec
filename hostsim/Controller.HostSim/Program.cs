// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.CommandLine;
using System.CommandLine.Parsing;

namespace Controller.HostSim;

/// <summary>
/// The hostsim command line (System.CommandLine): one command per file (<c>DemoCommand</c>, ...), each building
/// its <see cref="Command"/>. Exit codes, for every command: 0 success; 1 a check failed (an inconsistent verdict,
/// a command answered with an error, a replay that diverged); 2 bad usage or a bad input file (the message says
/// what was wrong, and where); commands with more outcomes document theirs (<c>pair wait</c>).
/// </summary>
internal static class Program
{
    /// <summary>The exit code of a bad command line or a bad input file.</summary>
    public const int BadUsage = 2;

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
        RootCommand root = new("hostsim: the host simulator. It drives a storage controller (embedded, or controllerd with --target) with SCSI commands in FC frames.")
        {
            DemoCommand.Create(),
            FuzzCommand.Create(),
            LoopbackCommand.Create(),
            BenchCommand.Create(),
            ImportCommand.Create(),
            ReplayCommand.Create(),
            LoadCommand.Create(),
            LoadCommand.CreateRecord(),
            PairCommand.Create(),
            AuxSystemCommand.Create(),
            ClusterCommand.Create(),
            CrashTestCommand.Create(),
            SlowReaderCommand.Create(),
            ReportCommand.Create(),
        };

        ParseResult parsed = root.Parse(args);
        if (args.Length == 0)
        {
            Console.Error.WriteLine("hostsim: a command is needed (hostsim --help lists them)");
            return BadUsage;
        }

        if (parsed.Errors.Count > 0)
        {
            string command = CommandPath(parsed.CommandResult);
            foreach (ParseError error in parsed.Errors)
            {
                // An unknown command also leaves "Required command was not provided": one message is enough.
                if (parsed.Errors.Count == 1 || !error.Message.StartsWith("Required command", StringComparison.Ordinal))
                {
                    Console.Error.WriteLine(command + ": " + Describe(error.Message, parsed.CommandResult.Command));
                }
            }

            Console.Error.WriteLine("(" + command + " --help shows the options)");
            return BadUsage;
        }

        InvocationConfiguration invocation = new() { Output = Console.Out, Error = Console.Error, EnableDefaultExceptionHandler = false };
        return parsed.Invoke(invocation);
    }

    // "hostsim bench split" for the command the parser stopped in.
    private static string CommandPath(CommandResult? result)
    {
        string path = string.Empty;
        for (; result is not null && result.Command is not RootCommand; result = result.Parent as CommandResult)
        {
            path = " " + result.Command.Name + path;
        }

        return "hostsim" + path;
    }

    // System.CommandLine's own messages, reworded where they would not say which argument was wrong.
    private static string Describe(string message, Command command)
    {
        if (message.StartsWith("Required command", StringComparison.Ordinal))
        {
            List<string> names = [];
            foreach (Command subcommand in command.Subcommands)
            {
                names.Add("'" + subcommand.Name + "'");
            }

            return "a command is needed: " + string.Join(", ", names);
        }

        const string Unrecognized = "Unrecognized command or argument '";
        if (message.StartsWith(Unrecognized, StringComparison.Ordinal))
        {
            string argument = message[Unrecognized.Length..].TrimEnd('.').TrimEnd('\'');
            return argument.StartsWith('-') ? "bad argument '" + argument + "': no such option" : "unknown command '" + argument + "'";
        }

        const string Missing = "Required argument missing for option: '";
        if (message.StartsWith(Missing, StringComparison.Ordinal))
        {
            return "bad argument '" + message[Missing.Length..].TrimEnd('.').TrimEnd('\'') + "': a value is needed";
        }

        return message;
    }
}
