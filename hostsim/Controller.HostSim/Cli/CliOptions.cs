// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Net;

namespace Controller.HostSim.Cli;

/// <summary>
/// The options every hostsim command shares, and typed options with their ranges checked at parse time, so a bad
/// value is refused by the parser (exit code 2) with a message naming the option and what it takes.
/// </summary>
internal static class CliOptions
{
    /// <summary>The FCIP port a controller listens on unless told otherwise (3225, as controllerd).</summary>
    public const int DefaultFcipPort = 3225;

    /// <summary><c>--json</c>: print one JSON object instead of the text report.</summary>
    /// <returns>The option.</returns>
    public static Option<bool> Json()
    {
        return new Option<bool>("--json") { Description = "print one JSON object instead of the text report" };
    }

    /// <summary><c>--seed N</c>: the seed of a run's random choices.</summary>
    /// <param name="description">What the seed chooses.</param>
    /// <returns>The option; default 1.</returns>
    public static Option<ulong> Seed(string description = "seed of the run's random choices")
    {
        return new Option<ulong>("--seed")
        {
            Description = description,
            DefaultValueFactory = _ => 1,
            HelpName = "N",
            CustomParser = result =>
            {
                if (ulong.TryParse(Text(result), NumberStyles.None, CultureInfo.InvariantCulture, out ulong seed))
                {
                    return seed;
                }

                Refuse(result, "a non-negative integer is expected, not '" + Text(result) + "'");
                return 0;
            },
        };
    }

    /// <summary><c>--target HOST:PORT</c>: a running controller instead of an embedded one (an IP address or a host name).</summary>
    /// <returns>The option; null (embedded) by default.</returns>
    public static Option<IPEndPoint?> Target()
    {
        return Target("--target", "drive a running controller (e.g. controllerd at 127.0.0.1:3225) instead of an embedded one");
    }

    /// <summary>An option naming a running controller's FCIP listener.</summary>
    /// <param name="name">The option's name.</param>
    /// <param name="description">What it is for.</param>
    /// <returns>The option; null (embedded) by default.</returns>
    public static Option<IPEndPoint?> Target(string name, string description)
    {
        return new Option<IPEndPoint?>(name)
        {
            Description = description,
            HelpName = "HOST:PORT",
            CustomParser = ParseEndPoint,
        };
    }

    /// <summary>An integer option that must lie in a range.</summary>
    /// <param name="name">The option's name, with its dashes.</param>
    /// <param name="description">What it sets.</param>
    /// <param name="defaultValue">Its value when not given.</param>
    /// <param name="min">The smallest value accepted.</param>
    /// <param name="max">The largest value accepted.</param>
    /// <returns>The option.</returns>
    public static Option<int> Int(string name, string description, int defaultValue, int min, int max = int.MaxValue)
    {
        return new Option<int>(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            HelpName = "N",
            CustomParser = result => (int)ParseInteger(result, min, max),
        };
    }

    /// <summary>A 64-bit integer option that must lie in a range.</summary>
    /// <param name="name">The option's name, with its dashes.</param>
    /// <param name="description">What it sets.</param>
    /// <param name="defaultValue">Its value when not given.</param>
    /// <param name="min">The smallest value accepted.</param>
    /// <param name="max">The largest value accepted.</param>
    /// <returns>The option.</returns>
    public static Option<long> Long(string name, string description, long defaultValue, long min, long max = long.MaxValue)
    {
        return new Option<long>(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            HelpName = "N",
            CustomParser = result => ParseInteger(result, min, max),
        };
    }

    /// <summary>A number option (seconds, a factor) that must be at least a minimum.</summary>
    /// <param name="name">The option's name, with its dashes.</param>
    /// <param name="description">What it sets.</param>
    /// <param name="defaultValue">Its value when not given.</param>
    /// <param name="min">The smallest value accepted.</param>
    /// <param name="exclusive">True when the minimum itself is refused (a positive number).</param>
    /// <returns>The option.</returns>
    public static Option<double> Number(string name, string description, double defaultValue, double min, bool exclusive)
    {
        return new Option<double>(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            HelpName = "N",
            CustomParser = result => ParseNumber(result, min, exclusive),
        };
    }

    /// <summary>An option that takes one of a few words.</summary>
    /// <param name="name">The option's name, with its dashes.</param>
    /// <param name="description">What it sets.</param>
    /// <param name="defaultValue">Its value when not given.</param>
    /// <param name="values">The words accepted.</param>
    /// <returns>The option.</returns>
    public static Option<string> Choice(string name, string description, string defaultValue, params string[] values)
    {
        return new Option<string>(name)
        {
            Description = description + " (" + string.Join(", ", values) + ")",
            DefaultValueFactory = _ => defaultValue,
            HelpName = "WORD",
            CustomParser = result =>
            {
                string text = Text(result);
                if (Array.IndexOf(values, text) >= 0)
                {
                    return text;
                }

                Refuse(result, "one of " + string.Join(", ", values) + " is expected, not '" + text + "'");
                return defaultValue;
            },
        };
    }

    /// <summary>The first token of an option's value (empty when there is none).</summary>
    /// <param name="result">The option's tokens.</param>
    /// <returns>The text.</returns>
    public static string Text(ArgumentResult result)
    {
        return result.Tokens.Count == 0 ? string.Empty : result.Tokens[0].Value;
    }

    /// <summary>Adds the parse error "bad argument '--name': problem" to an option's result.</summary>
    /// <param name="result">The option's tokens.</param>
    /// <param name="problem">What is wrong, and what is expected.</param>
    public static void Refuse(ArgumentResult result, string problem)
    {
        result.AddError("bad argument '" + OptionName(result) + "': " + problem);
    }

    // Parse errors are reported through the result, never thrown: the parser then prints every one of them.
    private static long ParseInteger(ArgumentResult result, long min, long max)
    {
        string text = Text(result);
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
        {
            Refuse(result, "'" + text + "' is not an integer");
            return min;
        }

        if (value < min || value > max)
        {
            string range = max is long.MaxValue or int.MaxValue
                ? "at least " + min.ToString(CultureInfo.InvariantCulture)
                : min.ToString(CultureInfo.InvariantCulture) + " to " + max.ToString(CultureInfo.InvariantCulture);
            Refuse(result, range + " is expected, not " + value.ToString(CultureInfo.InvariantCulture));
            return min;
        }

        return value;
    }

    // Invariant culture: '.' is the decimal point on every machine.
    private static double ParseNumber(ArgumentResult result, double min, bool exclusive)
    {
        string text = Text(result);
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
        {
            Refuse(result, "'" + text + "' is not a number");
            return min;
        }

        if (value < min || (exclusive && value == min))
        {
            Refuse(result, (exclusive ? "a number above " : "a number of at least ") + min.ToString(CultureInfo.InvariantCulture) + " is expected, not " + text);
            return min;
        }

        return value;
    }

    // An address:port, or a host name that resolves (localhost:3225); the port defaults to 3225. A name is resolved
    // here, once, preferring IPv4 because controllerd listens on 127.0.0.1 unless told otherwise.
    private static IPEndPoint? ParseEndPoint(ArgumentResult result)
    {
        string text = Text(result);
        if (IPEndPoint.TryParse(text, out IPEndPoint? endPoint))
        {
            return endPoint.Port == 0 ? new IPEndPoint(endPoint.Address, DefaultFcipPort) : endPoint;
        }

        int colon = text.LastIndexOf(':');
        string host = colon < 0 ? text : text[..colon];
        int port = DefaultFcipPort;
        if (host.Length == 0 || host.Contains(':', StringComparison.Ordinal)
            || (colon >= 0 && !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port)) || port is < 1 or > 65535)
        {
            Refuse(result, "'" + text + "' is not HOST:PORT (e.g. 127.0.0.1:3225 or localhost:3225)");
            return null;
        }

        IPAddress[] addresses;
        try
        {
            addresses = Dns.GetHostAddresses(host);
        }
        catch (Exception failure) when (failure is System.Net.Sockets.SocketException or ArgumentException)
        {
            Refuse(result, "host '" + host + "' does not resolve (" + failure.Message + "); give an IP address such as 127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture));
            return null;
        }

        IPAddress? chosen = Array.Find(addresses, a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork) ?? (addresses.Length > 0 ? addresses[0] : null);
        if (chosen is null)
        {
            Refuse(result, "host '" + host + "' has no address; give an IP address such as 127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture));
            return null;
        }

        return new IPEndPoint(chosen, port);
    }

    private static string OptionName(ArgumentResult result)
    {
        return result.Parent is OptionResult option ? option.Option.Name : result.Argument.Name;
    }
}
