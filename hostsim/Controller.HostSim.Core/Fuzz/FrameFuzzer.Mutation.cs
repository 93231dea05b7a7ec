// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using Controller.Wire;

namespace Controller.HostSim.Core.Fuzz;

/// <content>Mutations of generated frames, and the FCIP encapsulation of byte-level inputs.</content>
public sealed partial class FrameFuzzer
{
    // How long a mutated input may grow: the largest FCIP frame and a little more.
    private const int MaxMutatedLength = 2240;

    private static readonly byte[] s_starts = [0x28, 0x29, 0x2D, 0x2E, 0x31, 0x35, 0x36, 0x39];
    private static readonly byte[] s_ends = [0x41, 0x42, 0x44, 0x46, 0x49, 0x4E, 0x4F, 0x50];
    private static readonly byte[] s_interesting8 = [0x00, 0x01, 0x7F, 0x80, 0xFF];
    private static readonly ushort[] s_interesting16 = [0x0000, 0xFFFF, 0x7FFF, 0x8000, 24, 32, 2048];
    private static readonly uint[] s_interesting32 = [0, uint.MaxValue, int.MaxValue, 0x80000000, 8 * 1024 * 1024, 2048, 24];

    /// <summary>Applies 1 to 4 mutations (one in 60 % of inputs).</summary>
    /// <returns>The new length.</returns>
    private int Mutate(byte[] bytes, int length)
    {
        int count = Chance(60) ? 1 : 2 + Next(3);
        for (int i = 0; i < count; i++)
        {
            length = MutateOnce(bytes, length);
        }

        return length;
    }

    private int MutateOnce(byte[] bytes, int length)
    {
        int pick = length == 0 ? 80 : Next(100);
        switch (pick)
        {
            case < 30:
                int bit = Next(length * 8);
                bytes[bit / 8] ^= (byte)(1 << (bit % 8));
                return length;
            case < 48:
                bytes[Next(length)] = Chance(80) ? s_interesting8[Next(s_interesting8.Length)] : (byte)Next(256);
                return length;
            case < 60:
                if (length >= 4 && Chance(50))
                {
                    BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(Next(length - 3)), s_interesting32[Next(s_interesting32.Length)]);
                }
                else if (length >= 2)
                {
                    BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(Next(length - 1)), s_interesting16[Next(s_interesting16.Length)]);
                }

                return length;
            case < 68:
                // The header decides where a frame goes: hit it more often than its share of the bytes.
                bytes[Next(Math.Min(length, FcFrameHeader.Length))] = (byte)Next(256);
                return length;
            case < 78:
                return Next(length);
            case < 86:
                int added = Math.Min(1 + Next(64), MaxMutatedLength - length);
                Fill(bytes.AsSpan(length, added));
                return length + added;
            case < 93:
                int start = Next(length);
                Fill(bytes.AsSpan(start, 1 + Next(Math.Min(16, length - start))));
                return length;
            default:
                int from = Next(length);
                int to = Next(length);
                int moved = 1 + Next(Math.Min(32, length - Math.Max(from, to)));
                bytes.AsSpan(from, moved).CopyTo(bytes.AsSpan(to));
                return length;
        }
    }

    /// <summary>
    /// A byte-level input: a generated frame (a quarter of them mutated first), padded to a word with its fill
    /// bytes counted in F_CTL as the target's emitter does, FCIP-encapsulated, then in 80 % of inputs the
    /// encapsulated bytes mutated; one in ten carries the frame twice, as a stream would.
    /// </summary>
    private int WriteEncapsulated(byte[] destination)
    {
        int length = WriteBase(_scratch, trackData: false);
        if (Chance(25))
        {
            length = Mutate(_scratch, length);
        }

        length = Math.Clamp(length, FcFrameHeader.Length, FcipEncapsulation.MaxFcFrameLength);
        int fill = (4 - (length & 3)) & 3;
        _scratch.AsSpan(length, fill).Clear();
        _scratch[11] = (byte)((_scratch[11] & ~FcFrameControl.FillBytesMask) | fill);
        length += fill;
        byte start = Chance(85) ? FcDelimiter.StartInitiate3 : s_starts[Next(s_starts.Length)];
        byte end = Chance(85) ? FcDelimiter.EndTerminate : s_ends[Next(s_ends.Length)];
        FcipEncapsulation.TryWrite(_scratch.AsSpan(0, length), start, end, NextUInt32(), NextUInt32(), destination, out int written);
        if (Chance(10) && 2 * written <= MaxMutatedLength)
        {
            destination.AsSpan(0, written).CopyTo(destination.AsSpan(written));
            written *= 2;
        }

        if (Chance(80))
        {
            // Half the time aim at the 32 bytes of encapsulation header and SOF, which are checked first.
            int count = 1 + Next(3);
            for (int i = 0; i < count; i++)
            {
                if (Chance(50))
                {
                    destination[Next(FcipEncapsulation.FrameOffset)] ^= (byte)(1 << Next(8));
                }
                else
                {
                    written = MutateOnce(destination, written);
                }
            }
        }

        return written;
    }
}
