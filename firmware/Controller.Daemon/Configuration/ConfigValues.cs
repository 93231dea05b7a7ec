// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Controller.Addressing;

namespace Controller.Daemon.Configuration;

/// <summary>
/// Parses the values of configuration lines (sizes, counts, port IDs, volume addresses, the listener address),
/// each with a message that quotes the text and says what was expected.
/// </summary>
internal static class ConfigValues
{
    /// <summary>The longest host group name accepted.</summary>
    public const int MaxHostGroupNameLength = 64;

    private const string SizeForm = "a whole number of bytes with an optional KiB, MiB, GiB or TiB suffix, e.g. 64MiB";

    /// <summary>
    /// Parses a size: decimal digits and an optional binary suffix (KiB, MiB, GiB, TiB, case-sensitive, no
    /// space before it). No decimal point and no SI units: "1GB" would be ambiguous between 10^9 and 2^30.
    /// </summary>
    /// <param name="text">The text, e.g. "64MiB" or "65536".</param>
    /// <param name="what">What the size is, for the message, e.g. "LDEV size".</param>
    /// <param name="bytes">The size in bytes.</param>
    /// <param name="error">Why the text is not a size, or null.</param>
    /// <returns>True when the text is a size.</returns>
    public static bool TryParseSize(string text, string what, out long bytes, out string? error)
    {
        bytes = 0;
        int digits = 0;
        while (digits < text.Length && char.IsAsciiDigit(text[digits]))
        {
            digits++;
        }

        long multiplier = text.AsSpan(digits) switch
        {
            "" => 1,
            "KiB" => 1L << 10,
            "MiB" => 1L << 20,
            "GiB" => 1L << 30,
            "TiB" => 1L << 40,
            _ => 0,
        };
        if (digits == 0 || multiplier == 0)
        {
            error = what + " '" + text + "' must be " + SizeForm;
            return false;
        }

        if (!long.TryParse(text.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out long number) || number > long.MaxValue / multiplier)
        {
            error = what + " '" + text + "' is too large";
            return false;
        }

        bytes = number * multiplier;
        error = null;
        return true;
    }

    /// <summary>Parses a count: decimal digits only, no sign, within a range.</summary>
    /// <param name="text">The text.</param>
    /// <param name="what">What the count is, for the message, e.g. "MP count".</param>
    /// <param name="min">The smallest value accepted.</param>
    /// <param name="max">The largest value accepted.</param>
    /// <param name="value">The count.</param>
    /// <param name="error">Why the text is not an accepted count, or null.</param>
    /// <returns>True when the text is an accepted count.</returns>
    public static bool TryParseCount(string text, string what, int min, int max, out int value, out string? error)
    {
        value = 0;
        if (text.Length == 0 || !IsAllDigits(text))
        {
            error = what + " '" + text + "' is not a whole number";
            return false;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) || value < min || value > max)
        {
            error = what + " must be " + min + " to " + max + ", not " + text;
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>
    /// Parses a port ID, "0x" and six hex digits, saying "over 24 bits" when that is the problem rather than
    /// only "six digits" (PortId's own message, which is right but does not name the limit).
    /// </summary>
    /// <param name="text">The text, e.g. "0x400104".</param>
    /// <param name="portId">The port ID.</param>
    /// <param name="error">Why the text is not a port ID, or null.</param>
    /// <returns>True when the text is a port ID.</returns>
    public static bool TryParsePortId(string text, out PortId portId, out string? error)
    {
        if (PortId.TryParse(text, out portId, out error))
        {
            return true;
        }

        if (text.Length > 8 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')
            && ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong value)
            && value > PortId.MaxValue)
        {
            error = "port ID '" + text + "' is over 24 bits; the largest is 0xFFFFFF";
        }

        return false;
    }

    /// <summary>
    /// Parses a volume address written as one word, "0x400104,0x0001" or "0x400104/0x0001", optionally in
    /// parentheses (the parser joins "0x400104, 0x0001" into one word first).
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="address">The address.</param>
    /// <param name="error">Why the text is not an address, or null.</param>
    /// <returns>True when the text is an address.</returns>
    public static bool TryParseVolumeAddress(string text, out VolumeAddress address, out string? error)
    {
        address = default;
        string body = text;
        if (body.Length >= 2 && body[0] == '(' && body[^1] == ')')
        {
            body = body.Substring(1, body.Length - 2);
        }

        int separator = body.IndexOfAny([',', '/']);
        if (separator < 0 || body.IndexOfAny([',', '/'], separator + 1) >= 0)
        {
            error = "volume address '" + text + "' must be a port ID and a LUN separated by one ',' or '/', e.g. 0x400104,0x0001";
            return false;
        }

        if (!TryParsePortId(body.Substring(0, separator), out PortId portId, out string? portError))
        {
            error = "volume address '" + text + "': " + portError;
            return false;
        }

        if (!Lun.TryParse(body.AsSpan(separator + 1), out Lun lun, out string? lunError))
        {
            error = "volume address '" + text + "': " + lunError;
            return false;
        }

        address = new VolumeAddress(portId, lun);
        error = null;
        return true;
    }

    /// <summary>
    /// Parses the listener address: an IPv4 address in dotted-quad form and a port ("127.0.0.1:3225"), or an
    /// IPv6 address in brackets and a port ("[::1]:3225"). Host names are refused: the daemon must not depend on
    /// name resolution at start, and a name that resolves to several addresses would make "the" listener ambiguous.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="endPoint">The address.</param>
    /// <param name="error">Why the text is not an address, or null.</param>
    /// <returns>True when the text is an address.</returns>
    public static bool TryParseListen(string text, out IPEndPoint endPoint, out string? error)
    {
        endPoint = ControllerConfig.DefaultListen;
        const string Form = " must be IPv4-ADDRESS:PORT or [IPv6-ADDRESS]:PORT, e.g. 127.0.0.1:3225 or [::1]:3225";
        string host;
        string portText;
        AddressFamily family;
        if (text.StartsWith('['))
        {
            int close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || close + 1 >= text.Length || text[close + 1] != ':')
            {
                error = "listen address '" + text + "'" + Form;
                return false;
            }

            host = text.Substring(1, close - 1);
            portText = text.Substring(close + 2);
            family = AddressFamily.InterNetworkV6;
        }
        else
        {
            int colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0 || colon != text.LastIndexOf(':'))
            {
                error = "listen address '" + text + "'" + Form;
                return false;
            }

            host = text.Substring(0, colon);
            portText = text.Substring(colon + 1);
            family = AddressFamily.InterNetwork;
        }

        // IPAddress.TryParse also takes "127.1" and "2130706433" as IPv4; only the dotted quad people expect is taken.
        if (!IPAddress.TryParse(host, out IPAddress? address) || address.AddressFamily != family
            || (family == AddressFamily.InterNetwork && CountOf(host, '.') != 3))
        {
            error = "listen address '" + text + "': '" + host + "' is not an " + (family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")
                + " address; write an IP address, not a host name, e.g. 127.0.0.1:3225 or [::1]:3225";
            return false;
        }

        if (portText.Length == 0 || !IsAllDigits(portText)
            || !int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > IPEndPoint.MaxPort)
        {
            error = "listen address '" + text + "': port '" + portText + "' must be a number from 0 to 65535";
            return false;
        }

        endPoint = new IPEndPoint(address, port);
        error = null;
        return true;
    }

    /// <summary>
    /// Tells whether a host group name is acceptable: 1 to 64 letters, digits, '-', '_' or '.', so that it
    /// prints unquoted in displays and logs and never looks like a port ID or a keyword of the line.
    /// </summary>
    /// <param name="name">The name.</param>
    /// <param name="error">Why the name is refused, or null.</param>
    /// <returns>True when acceptable.</returns>
    public static bool IsValidHostGroupName(string name, out string? error)
    {
        bool ok = name.Length is > 0 and <= MaxHostGroupNameLength;
        for (int i = 0; ok && i < name.Length; i++)
        {
            char c = name[i];
            ok = char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.';
        }

        if (ok && (name.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || name is "initiators" or "luns"))
        {
            ok = false;
        }

        error = ok ? null : "host group name '" + name + "' must be 1 to " + MaxHostGroupNameLength
            + " letters, digits, '-', '_' or '.', and not start with 0x or be 'initiators' or 'luns'";
        return ok;
    }

    private static bool IsAllDigits(string text)
    {
        foreach (char c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static int CountOf(string text, char c)
    {
        int count = 0;
        foreach (char x in text)
        {
            if (x == c)
            {
                count++;
            }
        }

        return count;
    }
}
