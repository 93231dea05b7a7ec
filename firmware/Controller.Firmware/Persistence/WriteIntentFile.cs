// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using Controller.Firmware.Volumes;

namespace Controller.Firmware.Persistence;

/// <summary>
/// One LDEV's write intents on disk (docs/durability.md, "The write-intent log"): a file of two slots, each a whole
/// record (header, region words, CRC-32C). A keep writes the slot the previous keep did not and syncs it, so a power
/// cut in the middle of a keep tears only the new slot, whose CRC then fails, and the other slot, the last whole
/// record, is used; no write relied on a record whose keep did not finish.
/// </summary>
public sealed class WriteIntentFile : IWriteIntentMedium, IDisposable
{
    /// <summary>The file's magic, first in each slot.</summary>
    public static ReadOnlySpan<byte> Magic => "CTLINTN1"u8;

    private const int Version = 1;

    // Magic (8), version (4), words (4), generation (8), CRC-32C over the header's first 24 bytes and the words (4), zero (4).
    private const int HeaderBytes = 32;
    private const int SlotAlignment = 4096;

    private readonly IStateFile _file;
    private readonly int _words;
    private readonly int _slotBytes;
    private readonly byte[] _slot;
    private long _generation;

    private WriteIntentFile(string path, IStateFile file, int words, long generation)
    {
        Path = path;
        _file = file;
        _words = words;
        _slotBytes = SlotBytesFor(words);
        _slot = new byte[_slotBytes];
        _generation = generation;
    }

    /// <summary>Gets the path.</summary>
    public string Path { get; }

    /// <summary>Gets the generation of the last record written (or found).</summary>
    public long Generation => Volatile.Read(ref _generation);

    /// <summary>Gets the file name of an LDEV's intents in the state directory, e.g. "intent-00-01".</summary>
    /// <param name="id">The LDEV.</param>
    /// <returns>The name.</returns>
    public static string FileName(Controller.Addressing.LdevId id)
    {
        return "intent-" + id.ToString().Replace(':', '-');
    }

    /// <summary>
    /// Reads the last whole record of an LDEV's intents without opening it for writing (a restart reads every LDEV's
    /// before it restores the pairs).
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="words">The region words the LDEV has now.</param>
    /// <param name="note">Why nothing usable was found (missing, both slots damaged, another size), else null.</param>
    /// <param name="files">The file system (null: the real one).</param>
    /// <returns>The regions, or null when the file does not say which regions are clean: then every region is suspect.</returns>
    public static ulong[]? Read(string path, int words, out string? note, IStateFileSystem? files = null)
    {
        files ??= PosixStateFileSystem.Instance;
        if (!files.Exists(path))
        {
            note = path + ": no write-intent record (kept state from before the log, or a new LDEV)";
            return null;
        }

        byte[] bytes = files.ReadAll(path);
        int slotBytes = SlotBytesFor(words);
        ulong[]? best = null;
        long bestGeneration = -1;
        List<string> bad = [];
        for (int slot = 0; slot < 2; slot++)
        {
            int offset = slot * slotBytes;
            string? why = TryReadSlot(bytes.AsSpan(Math.Min(offset, bytes.Length)), words, out long generation, out ulong[]? regions);
            if (why is not null)
            {
                bad.Add("slot " + slot + ": " + why);
            }
            else if (generation > bestGeneration)
            {
                bestGeneration = generation;
                best = regions;
            }
        }

        note = best is null ? path + ": no whole record (" + string.Join("; ", bad) + ")" : null;
        return best;
    }

    /// <summary>
    /// Opens an LDEV's intent file for keeping, creating it when missing, and writes <paramref name="regions"/> as its
    /// next record (durably): the record the controller starts from.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="words">The LDEV's region words.</param>
    /// <param name="regions">The record to start with (all zero once a restart has marked the pairs).</param>
    /// <param name="files">The file system (null: the real one).</param>
    /// <returns>The file.</returns>
    /// <exception cref="IOException">The file cannot be created or written.</exception>
    public static WriteIntentFile Create(string path, int words, ReadOnlySpan<ulong> regions, IStateFileSystem? files = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        files ??= PosixStateFileSystem.Instance;
        long generation = 0;
        bool created = !files.Exists(path);
        if (!created)
        {
            byte[] bytes = files.ReadAll(path);
            int slotBytes = SlotBytesFor(words);
            for (int slot = 0; slot < 2; slot++)
            {
                if (TryReadSlot(bytes.AsSpan(Math.Min(slot * slotBytes, bytes.Length)), words, out long found, out _) is null)
                {
                    generation = Math.Max(generation, found);
                }
            }
        }

        IStateFile file = created ? files.Create(path) : files.OpenAppend(path);
        WriteIntentFile intents = new(path, file, words, generation);
        try
        {
            if (created)
            {
                // Both slots exist, zero ("never written"), before the first record; a new file's name is on stable
                // storage only once its directory is synced.
                file.SetLength(2L * intents._slotBytes);
                file.Sync();
                files.SyncDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
            }

            if (!intents.Keep(regions))
            {
                throw new IOException(path + ": the write-intent record could not be written and synced");
            }

            return intents;
        }
        catch
        {
            intents.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public bool Keep(ReadOnlySpan<ulong> regions)
    {
        long generation = _generation + 1;
        Span<byte> slot = _slot;
        slot.Clear();
        Magic.CopyTo(slot);
        BinaryPrimitives.WriteInt32LittleEndian(slot[8..], Version);
        BinaryPrimitives.WriteInt32LittleEndian(slot[12..], _words);
        BinaryPrimitives.WriteInt64LittleEndian(slot[16..], generation);
        for (int w = 0; w < Math.Min(_words, regions.Length); w++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(slot[(HeaderBytes + (w * 8))..], regions[w]);
        }

        uint crc = Crc32C.Append(Crc32C.Compute(slot[..24]), slot.Slice(HeaderBytes, _words * 8));
        BinaryPrimitives.WriteUInt32LittleEndian(slot[24..], crc);
        try
        {
            // The slot the last record is not in: a tear here leaves that record whole.
            _file.WriteAt((generation & 1) * _slotBytes, _slot);
            _file.Sync();
        }
        catch (IOException)
        {
            return false;
        }

        Volatile.Write(ref _generation, generation);
        return true;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _file.Dispose();
    }

    private static int SlotBytesFor(int words)
    {
        int bytes = HeaderBytes + (words * 8);
        return (bytes + SlotAlignment - 1) / SlotAlignment * SlotAlignment;
    }

    private static string? TryReadSlot(ReadOnlySpan<byte> slot, int words, out long generation, out ulong[]? regions)
    {
        generation = 0;
        regions = null;
        if (slot.Length < HeaderBytes)
        {
            return "short";
        }

        if (slot[..8].IndexOfAnyExcept((byte)0) < 0)
        {
            return "never written";
        }

        if (!slot[..8].SequenceEqual(Magic))
        {
            return "not a write-intent record";
        }

        if (BinaryPrimitives.ReadInt32LittleEndian(slot[8..]) != Version)
        {
            return "format version " + BinaryPrimitives.ReadInt32LittleEndian(slot[8..]) + ", expected " + Version;
        }

        int kept = BinaryPrimitives.ReadInt32LittleEndian(slot[12..]);
        if (kept != words || slot.Length < HeaderBytes + (words * 8))
        {
            return "it has " + kept + " region words, the LDEV now " + words + " (resized?)";
        }

        uint crc = Crc32C.Append(Crc32C.Compute(slot[..24]), slot.Slice(HeaderBytes, words * 8));
        if (crc != BinaryPrimitives.ReadUInt32LittleEndian(slot[24..]))
        {
            return "CRC mismatch (torn by a crash during its keep)";
        }

        generation = BinaryPrimitives.ReadInt64LittleEndian(slot[16..]);
        regions = new ulong[words];
        for (int w = 0; w < words; w++)
        {
            regions[w] = BinaryPrimitives.ReadUInt64LittleEndian(slot[(HeaderBytes + (w * 8))..]);
        }

        return null;
    }
}
