// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;

namespace Controller.Daemon;

/// <summary>Sizes on the command line: a whole number with an optional binary unit (64k, 256M, 1G, 1GiB).</summary>
internal static class ByteSize
{
    /// <summary>Parses a size.</summary>
    /// <param name="text">Digits, then optionally k, M or G (KiB, MiB, GiB; case and a trailing "iB" or "B" ignored).</param>
    /// <param name="bytes">The size in bytes.</param>
    /// <returns>False if it is not a size or does not fit 63 bits.</returns>
    public static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        string unit = text.TrimStart("0123456789".ToCharArray());
        string digits = text[..^unit.Length];
        int shift = unit.ToUpperInvariant() switch
        {
            "" or "B" => 0,
            "K" or "KB" or "KIB" => 10,
            "M" or "MB" or "MIB" => 20,
            "G" or "GB" or "GIB" => 30,
            _ => -1,
        };
        if (shift < 0 || digits.Length == 0 || !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long number) || number > (long.MaxValue >> shift))
        {
            return false;
        }

        bytes = number << shift;
        return true;
    }

    /// <summary>Formats a size in MiB with one decimal, as the log lines show it.</summary>
    /// <param name="bytes">The size.</param>
    /// <returns>For example "12.5 MiB".</returns>
    public static string Mib(long bytes)
    {
        return (bytes / (1024.0 * 1024.0)).ToString("F1", CultureInfo.InvariantCulture) + " MiB";
    }
}
