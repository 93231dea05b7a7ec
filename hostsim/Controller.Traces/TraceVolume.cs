// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;

namespace Controller.Traces;

/// <summary>A volume as a host addresses it: a target port ID and a LUN, written <c>0x400104,0x0001</c> (FIG 7's notation).</summary>
/// <param name="PortId">The 24-bit FC port ID of the target port.</param>
/// <param name="Lun">The LUN behind it (0 to 0x3FFF, SAM single-level).</param>
public readonly record struct TraceVolume(int PortId, ushort Lun)
{
    /// <summary>Parses <c>PORT-ID,LUN</c> in hex, each with or without 0x (<c>0x400104,0x0001</c>).</summary>
    /// <param name="text">The text.</param>
    /// <param name="volume">The volume.</param>
    /// <param name="error">What is wrong, when false.</param>
    /// <returns>True when the text is a volume.</returns>
    public static bool TryParse(string text, out TraceVolume volume, out string? error)
    {
        volume = default;
        string[] parts = text.Split(',');
        if (parts.Length != 2 || !TryHex(parts[0].Trim(), out long port) || !TryHex(parts[1].Trim(), out long lun))
        {
            error = "'" + text + "' is not PORT-ID,LUN in hex (e.g. 0x400104,0x0001)";
            return false;
        }

        if (port is < 1 or > 0xFFFFFF)
        {
            error = "port ID in '" + text + "' is not a 24-bit FC port ID (0x000001 to 0xFFFFFF)";
            return false;
        }

        if (lun > 0x3FFF)
        {
            error = "LUN in '" + text + "' is above 0x3FFF (SAM single-level LUNs)";
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

    private static bool TryHex(string text, out long value)
    {
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            text = text[2..];
        }

        return long.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value) && text.Length is > 0 and <= 8;
    }
}
