// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;

namespace Controller.HostSim.Core.Load;

/// <summary>
/// The block sizes a load draws from, with weights, in fio's bssplit notation: <c>4k</c>, or
/// <c>4k/50:8k/20:64k/30</c> (sizes in bytes with k or m, percentages that sum to 100; sizes are whole 512-byte
/// blocks).
/// </summary>
public sealed class BlockSizeMix
{
    private readonly int[] _blocks;

    // Cumulative weights out of 100, one per size.
    private readonly int[] _upTo;

    private BlockSizeMix(int[] blocks, int[] upTo, string text)
    {
        _blocks = blocks;
        _upTo = upTo;
        Text = text;
    }

    /// <summary>Gets the notation it was parsed from.</summary>
    public string Text { get; }

    /// <summary>Gets the largest size, in 512-byte blocks.</summary>
    public int MaxBlocks { get; private init; }

    /// <summary>Parses the notation.</summary>
    /// <param name="text">E.g. <c>4k</c> or <c>4k/50:64k/50</c>.</param>
    /// <param name="mix">The mix.</param>
    /// <param name="error">What is wrong, when false.</param>
    /// <returns>True when well formed.</returns>
    public static bool TryParse(string text, out BlockSizeMix mix, out string? error)
    {
        mix = null!;
        string[] parts = text.Split(':');
        int[] blocks = new int[parts.Length];
        int[] upTo = new int[parts.Length];
        int total = 0;
        for (int i = 0; i < parts.Length; i++)
        {
            string[] sizeAndWeight = parts[i].Split('/');
            int weight = 100;
            if (sizeAndWeight.Length > 2 || (sizeAndWeight.Length == 1 && parts.Length > 1)
                || (sizeAndWeight.Length == 2 && (!int.TryParse(sizeAndWeight[1], NumberStyles.None, CultureInfo.InvariantCulture, out weight) || weight is < 1 or > 100)))
            {
                error = "'" + parts[i] + "' is not SIZE/PERCENT (e.g. 4k/50); a single size needs no percent";
                return false;
            }

            if (!TryParseSize(sizeAndWeight[0], out long bytes) || bytes <= 0 || bytes % 512 != 0 || bytes > 16 << 20)
            {
                error = "'" + sizeAndWeight[0] + "' is not a block size: whole 512-byte blocks up to 16m, with k or m (e.g. 4k)";
                return false;
            }

            blocks[i] = (int)(bytes / 512);
            total += weight;
            upTo[i] = total;
        }

        if (total != 100)
        {
            error = "the percentages of '" + text + "' sum to " + total + ", not 100";
            return false;
        }

        int max = 0;
        foreach (int size in blocks)
        {
            max = Math.Max(max, size);
        }

        mix = new BlockSizeMix(blocks, upTo, text) { MaxBlocks = max };
        error = null;
        return true;
    }

    /// <summary>Picks a size.</summary>
    /// <param name="percentile">A uniform draw from 0 to 99.</param>
    /// <returns>The size in 512-byte blocks.</returns>
    public int Pick(int percentile)
    {
        for (int i = 0; i < _upTo.Length; i++)
        {
            if (percentile < _upTo[i])
            {
                return _blocks[i];
            }
        }

        return _blocks[^1];
    }

    private static bool TryParseSize(string text, out long bytes)
    {
        long unit = 1;
        if (text.EndsWith('k') || text.EndsWith('K'))
        {
            unit = 1024;
            text = text[..^1];
        }
        else if (text.EndsWith('m') || text.EndsWith('M'))
        {
            unit = 1024 * 1024;
            text = text[..^1];
        }

        bool parsed = long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out bytes) && bytes <= int.MaxValue;
        bytes *= unit;
        return parsed;
    }
}
