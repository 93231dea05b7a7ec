// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using Controller.Wire;

namespace Controller.HostSim.Core.Fuzz;

/// <summary>
/// Mutations of generated frames for <see cref="FrameFuzzer"/>: bit flips, bytes and words overwritten with boundary
/// values, frames cut short (even below the 24-byte header) or extended; every draw from the fuzzer's dice.
/// </summary>
internal sealed class FrameMutator
{
    /// <summary>How long a mutated input may grow: the largest FCIP frame and a little more.</summary>
    public const int MaxMutatedLength = 2240;

    private static readonly byte[] s_interesting8 = [0x00, 0x01, 0x7F, 0x80, 0xFF];
    private static readonly ushort[] s_interesting16 = [0x0000, 0xFFFF, 0x7FFF, 0x8000, 24, 32, 2048];
    private static readonly uint[] s_interesting32 = [0, uint.MaxValue, int.MaxValue, 0x80000000, 8 * 1024 * 1024, 2048, 24];

    private readonly FuzzDice _dice;

    /// <summary>Initializes the mutator.</summary>
    /// <param name="dice">The fuzzer's dice.</param>
    public FrameMutator(FuzzDice dice)
    {
        _dice = dice;
    }

    /// <summary>Applies 1 to 4 mutations (one in 60 % of inputs).</summary>
    /// <returns>The new length.</returns>
    public int Mutate(byte[] bytes, int length)
    {
        int count = _dice.Chance(60) ? 1 : 2 + _dice.Next(3);
        for (int i = 0; i < count; i++)
        {
            length = MutateOnce(bytes, length);
        }

        return length;
    }

    public int MutateOnce(byte[] bytes, int length)
    {
        int pick = length == 0 ? 80 : _dice.Next(100);
        switch (pick)
        {
            case < 30:
                int bit = _dice.Next(length * 8);
                bytes[bit / 8] ^= (byte)(1 << (bit % 8));
                return length;
            case < 48:
                bytes[_dice.Next(length)] = _dice.Chance(80) ? s_interesting8[_dice.Next(s_interesting8.Length)] : (byte)_dice.Next(256);
                return length;
            case < 60:
                if (length >= 4 && _dice.Chance(50))
                {
                    BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(_dice.Next(length - 3)), s_interesting32[_dice.Next(s_interesting32.Length)]);
                }
                else if (length >= 2)
                {
                    BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(_dice.Next(length - 1)), s_interesting16[_dice.Next(s_interesting16.Length)]);
                }

                return length;
            case < 68:
                // The header decides where a frame goes: hit it more often than its share of the bytes.
                bytes[_dice.Next(Math.Min(length, FcFrameHeader.Length))] = (byte)_dice.Next(256);
                return length;
            case < 78:
                return _dice.Next(length);
            case < 86:
                int added = Math.Min(1 + _dice.Next(64), MaxMutatedLength - length);
                _dice.Fill(bytes.AsSpan(length, added));
                return length + added;
            case < 93:
                int start = _dice.Next(length);
                _dice.Fill(bytes.AsSpan(start, 1 + _dice.Next(Math.Min(16, length - start))));
                return length;
            default:
                int from = _dice.Next(length);
                int to = _dice.Next(length);
                int moved = 1 + _dice.Next(Math.Min(32, length - Math.Max(from, to)));
                bytes.AsSpan(from, moved).CopyTo(bytes.AsSpan(to));
                return length;
        }
    }

}
