// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Wire;

namespace Controller.HostSim.Core.Fuzz;

/// <content>The FCIP encapsulation of byte-level inputs.</content>
public sealed partial class FrameFuzzer
{
    // SOF and EOF delimiters other than SOFi3 and EOFt, for the encapsulations that do not use those.
    private static readonly byte[] s_starts = [0x28, 0x29, 0x2D, 0x2E, 0x31, 0x35, 0x36, 0x39];
    private static readonly byte[] s_ends = [0x41, 0x42, 0x44, 0x46, 0x49, 0x4E, 0x4F, 0x50];

    /// <summary>
    /// A byte-level input: a generated frame (a quarter of them mutated first), padded to a word with its fill
    /// bytes counted in F_CTL as the target's emitter does, FCIP-encapsulated, then in 80 % of inputs the
    /// encapsulated bytes mutated; one in ten carries the frame twice, as a stream would.
    /// </summary>
    private int WriteEncapsulated(byte[] destination)
    {
        int length = WriteBase(_scratch, trackData: false);
        if (_dice.Chance(25))
        {
            length = _mutator.Mutate(_scratch, length);
        }

        length = Math.Clamp(length, FcFrameHeader.Length, FcipEncapsulation.MaxFcFrameLength);
        int fill = (4 - (length & 3)) & 3;
        _scratch.AsSpan(length, fill).Clear();
        _scratch[11] = (byte)((_scratch[11] & ~FcFrameControl.FillBytesMask) | fill);
        length += fill;
        byte start = _dice.Chance(85) ? FcDelimiter.StartInitiate3 : s_starts[_dice.Next(s_starts.Length)];
        byte end = _dice.Chance(85) ? FcDelimiter.EndTerminate : s_ends[_dice.Next(s_ends.Length)];
        FcipEncapsulation.TryWrite(_scratch.AsSpan(0, length), start, end, _dice.NextUInt32(), _dice.NextUInt32(), destination, out int written);
        if (_dice.Chance(10) && 2 * written <= FrameMutator.MaxMutatedLength)
        {
            destination.AsSpan(0, written).CopyTo(destination.AsSpan(written));
            written *= 2;
        }

        if (_dice.Chance(80))
        {
            // Half the time aim at the 32 bytes of encapsulation header and SOF, which are checked first.
            int count = 1 + _dice.Next(3);
            for (int i = 0; i < count; i++)
            {
                if (_dice.Chance(50))
                {
                    destination[_dice.Next(FcipEncapsulation.FrameOffset)] ^= (byte)(1 << _dice.Next(8));
                }
                else
                {
                    written = _mutator.MutateOnce(destination, written);
                }
            }
        }

        return written;
    }
}
