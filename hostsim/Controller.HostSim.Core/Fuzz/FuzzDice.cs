// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using Controller.Firmware.Scheduling;

namespace Controller.HostSim.Core.Fuzz;

/// <summary>
/// The fuzzer's one source of chance: every draw of <see cref="FrameFuzzer"/> and the frame writers it uses
/// (<see cref="ScsiCommandFrames"/>, <see cref="CopyManagementFrames"/>, <see cref="FrameMutator"/>) comes from this
/// seeded SplitMix64, in the order they ask, so a seed gives the same inputs byte for byte.
/// </summary>
internal sealed class FuzzDice
{
    private readonly SplitMix64 _random;

    /// <summary>Initializes the dice.</summary>
    /// <param name="seed">The seed.</param>
    public FuzzDice(ulong seed)
    {
        _random = new SplitMix64(seed);
    }

    /// <summary>A number from 0 to <paramref name="exclusiveMax"/> - 1.</summary>
    /// <param name="exclusiveMax">The bound.</param>
    /// <returns>The number.</returns>
    public int Next(int exclusiveMax)
    {
        return _random.Next(exclusiveMax);
    }

    /// <summary>True <paramref name="percent"/> times in a hundred.</summary>
    /// <param name="percent">The chance, 0 to 100.</param>
    /// <returns>Whether it came up.</returns>
    public bool Chance(int percent)
    {
        return _random.Next(100) < percent;
    }

    /// <summary>64 random bits.</summary>
    /// <returns>The bits.</returns>
    public ulong NextUInt64()
    {
        return _random.NextUInt64();
    }

    /// <summary>32 random bits (the high half of a 64-bit draw).</summary>
    /// <returns>The bits.</returns>
    public uint NextUInt32()
    {
        return (uint)(_random.NextUInt64() >> 32);
    }

    /// <summary>Fills bytes at random, eight per draw.</summary>
    /// <param name="destination">The bytes.</param>
    public void Fill(Span<byte> destination)
    {
        while (destination.Length >= 8)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(destination, _random.NextUInt64());
            destination = destination[8..];
        }

        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = (byte)_random.NextUInt64();
        }
    }
}
