// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;

namespace Controller.Traces;

/// <summary>A volume as a host addresses it: a target port ID and a LUN, written <c>0x400104,0x0001</c> (FIG 7's notation).</summary>
/// <param name="PortId">The 24-bit FC port ID of the target port.</param>
/// <param name="Lun">The LUN behind it (0 to 0x3FFF, SAM single-level).</param>
public readonly record struct TraceVolume(int PortId, ushort Lun)
{
    /// <summary>
    /// Parses <c>PORT-ID,LUN</c> as controllerd's configuration writes them: "0x" and exactly six hex digits, a comma,
    /// "0x" and exactly four (<c>0x400104,0x0001</c>). A short form such as <c>0x40010</c> is refused rather than read
    /// as another port, and the message says which field is wrong and why, in the configuration's words.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="volume">The volume.</param>
    /// <param name="error">What is wrong, when false.</param>
    /// <returns>True when the text is a volume.</returns>
    public static bool TryParse(string text, out TraceVolume volume, out string? error)
    {
        volume = default;
        string[] parts = text.Split(',');
        if (parts.Length != 2)
        {
            error = "'" + text + "' is not PORT-ID,LUN (e.g. 0x400104,0x0001)";
            return false;
        }

        if (!TryHexField(parts[0], 6, "port ID", out uint port, out error) || !TryHexField(parts[1], 4, "LUN", out uint lun, out error))
        {
            error = "volume '" + text + "': " + error;
            return false;
        }

        if (port == 0)
        {
            error = "volume '" + text + "': port ID 0x000000 is not an N_Port ID (0x000001 to 0xFFFFFF)";
            return false;
        }

        if (lun > 0x3FFF)
        {
            error = "volume '" + text + "': LUN " + parts[1].Trim() + " is above 0x3FFF (SAM single-level LUNs)";
            return false;
        }

        volume = new TraceVolume((int)port, (ushort)lun);
        error = null;
        return true;
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        return "0x" + PortId.ToString("X6", CultureInfo.InvariantCulture) + ",0x" + Lun.ToString("X4", CultureInfo.InvariantCulture);
    }

    // "0x" and exactly `digits` hex digits, with the messages controllerd's configuration gives (PortId, Lun).
    private static bool TryHexField(string field, int digits, string what, out uint value, out string? error)
    {
        value = 0;
        string text = field.Trim();
        if (text.Length == 0)
        {
            error = what + " is missing";
            return false;
        }

        if (!text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            error = what + " '" + text + "' must start with 0x";
            return false;
        }

        if (text.Length - 2 > digits && digits == 6
            && ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong wide) && wide > 0xFFFFFF)
        {
            error = what + " '" + text + "' is over 24 bits; the largest is 0xFFFFFF";
            return false;
        }

        if (text.Length - 2 != digits)
        {
            error = what + " '" + text + "' must have exactly " + digits + " hex digits after 0x, not " + (text.Length - 2);
            return false;
        }

        if (!uint.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value))
        {
            error = what + " '" + text + "' has a character that is not a hex digit";
            return false;
        }

        error = null;
        return true;
    }
}
