// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;

namespace Controller.Firmware.Persistence;

/// <summary>
/// The 32-byte header of a state file: an 8-byte magic naming the file's kind, the format version, the generation,
/// flags, and a CRC-32C of the header's first 28 bytes.
/// </summary>
/// <remarks>
/// Format 2 ends each journal commit with a <see cref="StateRecordKind.CommitEnd"/> record. Format 1 files (written
/// before commits had ends) are still read: their journal's records apply one by one, as they did then.
/// </remarks>
internal static class StateFileHeader
{
    public const int Bytes = 32;
    public const uint Version = 2;
    public const uint FirstVersion = 1;
    public const byte CleanStopFlag = 1;

    public static readonly byte[] CheckpointMagic = "CTLCKPT1"u8.ToArray();
    public static readonly byte[] JournalMagic = "CTLJRNL1"u8.ToArray();

    public static byte[] Create(byte[] magic, long generation, byte flags)
    {
        byte[] header = new byte[Bytes];
        magic.CopyTo(header, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), Version);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(12), generation);
        header[20] = flags;
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(28), Crc32C.Compute(header.AsSpan(0, 28)));
        return header;
    }

    // Null when the header is whole and of the kind expected; else what is wrong.
    public static string? TryRead(ReadOnlySpan<byte> file, byte[] magic, out long generation, out byte flags)
    {
        return TryRead(file, magic, out generation, out flags, out _);
    }

    // The same, with the file's format version (1 or 2).
    public static string? TryRead(ReadOnlySpan<byte> file, byte[] magic, out long generation, out byte flags, out uint version)
    {
        generation = 0;
        flags = 0;
        version = 0;
        if (file.Length < Bytes)
        {
            return "a header cut short (" + file.Length + " of " + Bytes + " bytes)";
        }

        if (!file.Slice(0, 8).SequenceEqual(magic))
        {
            return "not a " + System.Text.Encoding.ASCII.GetString(magic) + " file";
        }

        if (Crc32C.Compute(file.Slice(0, 28)) != BinaryPrimitives.ReadUInt32LittleEndian(file.Slice(28)))
        {
            return "a header whose CRC-32C does not match";
        }

        version = BinaryPrimitives.ReadUInt32LittleEndian(file.Slice(8));
        if (version is < FirstVersion or > Version)
        {
            return "format version " + version + " (this build reads " + FirstVersion + " to " + Version + ")";
        }

        generation = BinaryPrimitives.ReadInt64LittleEndian(file.Slice(12));
        flags = file[20];
        return null;
    }
}
