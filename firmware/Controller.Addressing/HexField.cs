// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;

namespace Controller.Addressing;

/// <summary>Parses the "0x" + fixed-width hex fields of the FIG 7 notation, with messages that say what is wrong.</summary>
internal static class HexField
{
    /// <summary>Parses "0x" followed by exactly <paramref name="digits"/> hex digits.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, int digits, string what, out uint value, out string? error)
    {
        value = 0;
        text = text.Trim();
        if (text.IsEmpty)
        {
            error = what + " is missing";
            return false;
        }

        if (text.Length < 2 || text[0] != '0' || (text[1] != 'x' && text[1] != 'X'))
        {
            error = what + " '" + text.ToString() + "' must start with 0x";
            return false;
        }

        ReadOnlySpan<char> hex = text.Slice(2);
        if (hex.Length != digits)
        {
            error = what + " '" + text.ToString() + "' must have exactly " + digits + " hex digits after 0x, not " + hex.Length;
            return false;
        }

        if (!uint.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value))
        {
            error = what + " '" + text.ToString() + "' has a character that is not a hex digit";
            return false;
        }

        error = null;
        return true;
    }
}
