// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Controller.Daemon.Hosting;
using Controller.Wire.Pcap;
using Microsoft.Extensions.Logging;

namespace Controller.Daemon;

/// <summary>
/// The controllerd command line (System.CommandLine, in hostsim's option style): the options, their checks at parse
/// time, and the messages of a bad command line (exit code 2), each followed by the usage line.
/// </summary>
internal static class ControllerdCommand
{
    /// <summary>The usage line printed after a bad command line.</summary>
    public const string Usage = "usage: controllerd --config FILE [--listen ADDRESS:PORT] [--stop-timeout SECONDS] [--pcap FILE [--pcap-limit SIZE] [--pcap-files N]] [--reset-state] [--check] [--log-level LEVEL]";

    /// <summary>The exit code of a bad command line.</summary>
    public const int BadUsage = 2;

    // How long a stop waits for the commands in flight (docs/controllerd.md, "Stopping").
    private const int DefaultStopTimeoutSeconds = 10;
    private const int MaxStopTimeoutSeconds = 3600;

    // A trace rotates at 256 MiB into FILE.1 to FILE.3: at most 1 GiB of disk by default (docs/controllerd.md).
    private const long DefaultPcapLimit = 256L << 20;
    private const int DefaultPcapFiles = 4;

    // The --log-level words, as Microsoft.Extensions.Logging names the levels.
    private static readonly string[] LevelNames = ["trace", "debug", "information", "warning", "error", "critical", "none"];

    /// <summary>Parses a command line and runs controllerd.</summary>
    /// <param name="args">The arguments.</param>
    /// <returns>The exit code.</returns>
    public static int Run(string[] args)
    {
        Option<string> config = new("--config") { Description = "the configuration file (docs/controllerd.md)", HelpName = "FILE", Required = true };
        Option<string?> listen = new("--listen") { Description = "overrides the file's 'listen' (port 0 picks a free port)", HelpName = "ADDRESS:PORT" };
        Option<int> stopTimeout = new("--stop-timeout")
        {
            Description = "how long a stop waits for the commands in flight (0 to " + MaxStopTimeoutSeconds + ")",
            HelpName = "SECONDS",
            DefaultValueFactory = _ => DefaultStopTimeoutSeconds,
            CustomParser = result => ParseCount(result, "--stop-timeout", 0, MaxStopTimeoutSeconds, "is not a number of seconds from 0 to " + MaxStopTimeoutSeconds),
        };
        Option<string?> pcap = new("--pcap") { Description = "record every frame of every connection, both ways, as a pcap trace (LINKTYPE_FC_2)", HelpName = "FILE" };
        Option<long> pcapLimit = new("--pcap-limit")
        {
            Description = "rotate the trace at this size (k, M, G; at least 64k, or 0 for no limit; default 256M)",
            HelpName = "SIZE",
            DefaultValueFactory = _ => DefaultPcapLimit,
            CustomParser = ParsePcapLimit,
        };
        Option<int> pcapFiles = new("--pcap-files")
        {
            Description = "the trace files kept, FILE included (1 to 1000; default 4)",
            HelpName = "N",
            DefaultValueFactory = _ => DefaultPcapFiles,
            CustomParser = result => ParseCount(result, "--pcap-files", 1, 1000, "is not a number of files from 1 to 1000"),
        };
        Option<bool> resetState = new("--reset-state") { Description = "with 'store file': drop the kept pair state and create the configuration's pairs as on a first start" };
        Option<bool> check = new("--check") { Description = "parse and build the configuration, then exit" };
        Option<LogLevel> logLevel = new("--log-level")
        {
            Description = "the least level logged: " + string.Join(", ", LevelNames) + " (default information: every line)",
            HelpName = "LEVEL",
            DefaultValueFactory = _ => LogLevel.Information,
            CustomParser = ParseLogLevel,
        };
        RootCommand root = new("controllerd: runs one simulated controller from a configuration file, its target ports behind one FCIP listener. Exit codes: 0 stopped cleanly (or --check passed), 1 could not run, 2 bad command line, 3 bad configuration, 4 stopped with commands unanswered.")
        {
            config, listen, stopTimeout, pcap, pcapLimit, pcapFiles, resetState, check, logLevel,
        };
        root.Validators.Add(result =>
        {
            // The size and count of a rotation mean nothing without a trace to rotate.
            if (result.GetResult(pcap) is null && (result.GetResult(pcapLimit) is { Implicit: false } || result.GetResult(pcapFiles) is { Implicit: false }))
            {
                result.AddError("controllerd: " + (result.GetResult(pcapLimit) is { Implicit: false } ? "--pcap-limit" : "--pcap-files") + " needs --pcap FILE");
            }
        });
        root.SetAction(parsed =>
        {
            string? pcapPath = parsed.GetValue(pcap);
            DaemonOptions options = new(
                parsed.GetValue(config)!,
                parsed.GetValue(listen),
                TimeSpan.FromSeconds(parsed.GetValue(stopTimeout)),
                pcapPath is null ? null : new PcapOptions(pcapPath, parsed.GetValue(pcapLimit), parsed.GetValue(pcapFiles)),
                parsed.GetValue(resetState),
                parsed.GetValue(check),
                parsed.GetValue(logLevel));
            return ControllerdRun.RunAsync(options).GetAwaiter().GetResult();
        });

        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // One message for the first error, as controllerd has always said it, then the usage line.
            Console.Error.WriteLine(Describe(parsed.Errors[0].Message));
            Console.Error.WriteLine(Usage);
            return BadUsage;
        }

        InvocationConfiguration invocation = new() { Output = Console.Out, Error = Console.Error, EnableDefaultExceptionHandler = false };
        return parsed.Invoke(invocation);
    }

    // System.CommandLine's own messages, in controllerd's words; the options' own checks already are.
    private static string Describe(string message)
    {
        const string Unrecognized = "Unrecognized command or argument '";
        if (message.StartsWith(Unrecognized, StringComparison.Ordinal))
        {
            string argument = message[Unrecognized.Length..].TrimEnd('.').TrimEnd('\'');
            return "controllerd: " + (argument.StartsWith('-') ? "option " + argument + " is unknown" : "unexpected argument " + argument);
        }

        const string Missing = "Required argument missing for option: '";
        if (message.StartsWith(Missing, StringComparison.Ordinal))
        {
            return "controllerd: option " + message[Missing.Length..].TrimEnd('.').TrimEnd('\'') + " needs a value";
        }

        if (message.StartsWith("Option '--config' is required", StringComparison.Ordinal))
        {
            return "controllerd: --config is required";
        }

        return message.StartsWith("controllerd: ", StringComparison.Ordinal) ? message : "controllerd: " + message;
    }

    private static int ParseCount(ArgumentResult result, string name, int min, int max, string problem)
    {
        string text = result.Tokens.Count == 0 ? string.Empty : result.Tokens[0].Value;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value < min || value > max)
        {
            result.AddError("controllerd: " + name + " " + text + " " + problem);
            return min;
        }

        return value;
    }

    private static long ParsePcapLimit(ArgumentResult result)
    {
        string text = result.Tokens.Count == 0 ? string.Empty : result.Tokens[0].Value;
        if (!ByteSize.TryParse(text, out long limit) || (limit != 0 && limit < PcapFrameTap.MinimumLimitBytes))
        {
            result.AddError("controllerd: --pcap-limit " + text + " is not a size of at least 64k (a number with k, M or G, e.g. 256M), or 0 for no limit");
            return DefaultPcapLimit;
        }

        return limit;
    }

    private static LogLevel ParseLogLevel(ArgumentResult result)
    {
        string text = result.Tokens.Count == 0 ? string.Empty : result.Tokens[0].Value;
        int index = Array.IndexOf(LevelNames, text.ToLowerInvariant());
        if (index < 0)
        {
            result.AddError("controllerd: --log-level " + text + " is not one of " + string.Join(", ", LevelNames));
            return LogLevel.Information;
        }

        return (LogLevel)index;
    }
}
