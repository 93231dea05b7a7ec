// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;

namespace Controller.Firmware.Scheduling;

/// <summary>
/// The SplitMix64 generator: a tiny, fixed algorithm, so a seed gives the same sequence on every .NET
/// version and machine (System.Random's algorithm is not a documented contract). Not thread-safe.
/// </summary>
public sealed class SplitMix64
{
    private ulong _state;

    /// <summary>Initializes a generator.</summary>
    /// <param name="seed">The seed.</param>
    public SplitMix64(ulong seed)
    {
        _state = seed;
    }

    /// <summary>Gets the next 64 random bits.</summary>
    /// <returns>The value.</returns>
    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Gets a value in 0..<paramref name="exclusiveMax"/>-1 without modulo bias worth noting.</summary>
    /// <param name="exclusiveMax">The bound (positive).</param>
    /// <returns>The value.</returns>
    public int Next(int exclusiveMax)
    {
        if (exclusiveMax <= 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(exclusiveMax), "bound must be positive");
        }

        // Lemire's multiply-shift: maps 32 random bits onto the range.
        return (int)(((NextUInt64() >> 32) * (ulong)exclusiveMax) >> 32);
    }
}
