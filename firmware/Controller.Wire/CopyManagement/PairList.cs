// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using Controller.Addressing;

namespace Controller.Wire.CopyManagement;

/// <summary>
/// The pair list block of a copy-management parameter list (FIG 7), big-endian: a 4-byte header (the number of
/// pair descriptors n, 2 reserved bytes), then n 16-byte descriptors in order, each a reserved byte, the P-VOL's
/// 3-byte port ID and 2-byte LUN, 2 reserved bytes, then the same for the S-VOL.
/// </summary>
public static class PairList
{
    /// <summary>The header's length.</summary>
    public const int HeaderLength = 4;

    /// <summary>One pair descriptor's length.</summary>
    public const int DescriptorLength = 16;

    /// <summary>The most descriptors the 2-byte count carries.</summary>
    public const int MaxPairs = ushort.MaxValue;

    /// <summary>The length of the largest pair list (<see cref="MaxPairs"/> descriptors).</summary>
    public const int MaxLength = HeaderLength + (MaxPairs * DescriptorLength);

    // Within a descriptor: the P-VOL at 0 (reserved byte, port ID, LUN, 2 reserved), the S-VOL at 8.
    private const int SVolOffset = 8;

    /// <summary>Gets the encoded length of a pair list.</summary>
    /// <param name="pairCount">The number of pairs (0 to <see cref="MaxPairs"/>).</param>
    /// <returns>4 + 16 x <paramref name="pairCount"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The count does not fit the 2-byte field.</exception>
    public static int GetEncodedLength(int pairCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pairCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pairCount, MaxPairs);
        return HeaderLength + (pairCount * DescriptorLength);
    }

    /// <summary>Encodes a pair list.</summary>
    /// <param name="pairs">The pairs, in order.</param>
    /// <param name="destination">At least <see cref="GetEncodedLength"/> bytes.</param>
    /// <param name="bytesWritten">The bytes written, when true.</param>
    /// <param name="reason">Why not, when false.</param>
    /// <returns>False (nothing written) for more than <see cref="MaxPairs"/> pairs, a port ID over 24 bits, or a short destination.</returns>
    public static bool TryWrite(ReadOnlySpan<WirePair> pairs, Span<byte> destination, out int bytesWritten, out string? reason)
    {
        bytesWritten = 0;

        // Checked before the first byte is written, so a refused list leaves the destination untouched.
        if (!CanEncode(pairs, out reason))
        {
            return false;
        }

        int length = GetEncodedLength(pairs.Length);
        if (destination.Length < length)
        {
            reason = "a pair list of " + pairs.Length + " pairs needs " + length + " bytes, the buffer has " + destination.Length;
            return false;
        }

        destination[..length].Clear();
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)pairs.Length);
        for (int i = 0; i < pairs.Length; i++)
        {
            Span<byte> descriptor = destination.Slice(HeaderLength + (i * DescriptorLength), DescriptorLength);
            WriteVolume(descriptor, pairs[i].PVol);
            WriteVolume(descriptor[SVolOffset..], pairs[i].SVol);
        }

        bytesWritten = length;
        reason = null;
        return true;
    }

    /// <summary>
    /// Decodes a pair list that fills <paramref name="source"/> exactly (it is always the last block of a parameter
    /// list). Every reserved field is checked here, once; the view then reads descriptors without allocating.
    /// </summary>
    /// <param name="source">The pair list's bytes, no more.</param>
    /// <param name="pairs">A view of the descriptors, when true.</param>
    /// <param name="error">Why not, when false: PARAMETER LIST LENGTH ERROR when the bytes are not 4 + 16n for the header's n, INVALID FIELD IN PARAMETER LIST for a reserved field that is not zero.</param>
    /// <returns>False when the list is malformed.</returns>
    public static bool TryRead(ReadOnlySpan<byte> source, out PairListView pairs, out CopyManagementError error)
    {
        pairs = default;
        if (source.Length < HeaderLength)
        {
            error = CopyManagementError.LengthError("pair list of " + source.Length + " bytes, shorter than its 4-byte header");
            return false;
        }

        int count = BinaryPrimitives.ReadUInt16BigEndian(source);
        int expected = GetEncodedLength(count);
        if (source.Length != expected)
        {
            error = CopyManagementError.LengthError("pair list header says " + count + " pairs (" + expected + " bytes), the parameter list leaves " + source.Length + " bytes for it");
            return false;
        }

        if (BinaryPrimitives.ReadUInt16BigEndian(source[2..]) != 0)
        {
            error = CopyManagementError.InvalidField("pair list header: reserved bytes 2-3 are not zero");
            return false;
        }

        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> descriptor = source.Slice(HeaderLength + (i * DescriptorLength), DescriptorLength);
            int reserved = FirstNonZeroReserved(descriptor);
            if (reserved >= 0)
            {
                error = CopyManagementError.InvalidField("pair descriptor " + i + ": reserved byte " + reserved + " (parameter list offset " + (HeaderLength + (i * DescriptorLength) + reserved) + ") is not zero");
                return false;
            }
        }

        pairs = new PairListView(source[HeaderLength..], count);
        error = default;
        return true;
    }

    // Whether the pairs fit the list's fields: the 2-byte count (a port ID always fits its 3 bytes: a PortId has 24 bits).
    internal static bool CanEncode(ReadOnlySpan<WirePair> pairs, out string? reason)
    {
        if (pairs.Length > MaxPairs)
        {
            reason = "a pair list carries at most " + MaxPairs + " pairs, not " + pairs.Length;
            return false;
        }

        reason = null;
        return true;
    }

    // Reads descriptor i of a list TryRead has checked.
    internal static WirePair ReadDescriptor(ReadOnlySpan<byte> descriptors, int index)
    {
        ReadOnlySpan<byte> descriptor = descriptors.Slice(index * DescriptorLength, DescriptorLength);
        return new WirePair(ReadVolume(descriptor), ReadVolume(descriptor[SVolOffset..]));
    }

    // A volume is 8 bytes: reserved (0), port ID (3), LUN (2), reserved (2).
    private static void WriteVolume(Span<byte> volume, WireVolumeId id)
    {
        BinaryPrimitives.WriteUInt32BigEndian(volume, id.PortId.Value);
        BinaryPrimitives.WriteUInt16BigEndian(volume[4..], id.Lun);
    }

    private static WireVolumeId ReadVolume(ReadOnlySpan<byte> volume)
    {
        // The reserved top byte was checked to be zero: the port ID is the next three bytes.
        return new WireVolumeId(PortId.FromBytes(volume[1], volume[2], volume[3]), BinaryPrimitives.ReadUInt16BigEndian(volume[4..]));
    }

    // The reserved bytes of a descriptor: 0, 6-7 (P-VOL), 8, 14-15 (S-VOL). Returns the first set one, or -1.
    private static int FirstNonZeroReserved(ReadOnlySpan<byte> descriptor)
    {
        for (int half = 0; half < DescriptorLength; half += SVolOffset)
        {
            if (descriptor[half] != 0)
            {
                return half;
            }

            if (descriptor[half + 6] != 0)
            {
                return half + 6;
            }

            if (descriptor[half + 7] != 0)
            {
                return half + 7;
            }
        }

        return -1;
    }
}
