// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers;
using System.Buffers.Binary;
using Controller.Firmware.Pairs;

namespace Controller.Firmware.Persistence;

/// <summary>
/// The controller's non-volatile memory for its pair state, in a directory: <c>checkpoint</c>, the whole Copy
/// Management Table and every bitmap at one moment (replaced atomically: written beside, synced, renamed, directory
/// synced), and <c>journal</c>, every row change since that checkpoint (appended, synced at <see cref="Commit"/>).
/// The ordering that makes it correct is in docs/durability.md: a change is appended under the table's lock, in the
/// order the table made it, and committed before the command that made it is answered.
/// </summary>
public sealed class ControllerStateStore : IDisposable
{
    /// <summary>The checkpoint's file name.</summary>
    public const string CheckpointFile = "checkpoint";

    /// <summary>The journal's file name.</summary>
    public const string JournalFile = "journal";

    private const string CheckpointTemp = "checkpoint.tmp";

    private readonly Lock _appendLock = new();
    private readonly Lock _commitLock = new();
    private ArrayBufferWriter<byte> _pending = new();
    private long _appended;
    private long _durable;
    private long _appendedAtCheckpoint;
    private readonly IStateFileSystem _files;
    private IStateFile? _journal;

    private ControllerStateStore(string directory, IStateFileSystem files)
    {
        Directory = directory;
        _files = files;
    }

    /// <summary>Gets the file system the state files are on.</summary>
    public IStateFileSystem Files => _files;

    /// <summary>Gets the state directory.</summary>
    public string Directory { get; }

    /// <summary>Gets the generation of the checkpoint the journal follows.</summary>
    public long Generation { get; private set; }

    /// <summary>Gets the number of records committed (synced) since the store was opened.</summary>
    public long CommittedRecords => Volatile.Read(ref _durable);

    /// <summary>Gets the number of records in the journal since the last checkpoint (appended, committed or not).</summary>
    public long JournalLength => Volatile.Read(ref _appended) - _appendedAtCheckpoint;

    /// <summary>Gets the number of syncs of the journal since the store was opened (group commit makes it fewer than the records).</summary>
    public long JournalSyncs { get; private set; }

    /// <summary>Opens (creating if needed) a state directory. Nothing is read or written until <see cref="Load"/>.</summary>
    /// <param name="directory">The directory.</param>
    /// <returns>The store.</returns>
    public static ControllerStateStore Open(string directory)
    {
        return Open(directory, PosixStateFileSystem.Instance);
    }

    /// <summary>Opens (creating if needed) a state directory on a given file system (a power-cut model in tests).</summary>
    /// <param name="directory">The directory.</param>
    /// <param name="files">The file system.</param>
    /// <returns>The store.</returns>
    public static ControllerStateStore Open(string directory, IStateFileSystem files)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(files);
        files.CreateDirectory(directory);
        return new ControllerStateStore(directory, files);
    }

    /// <summary>
    /// Reads the checkpoint and the journal after it. A torn last journal record (a crash during its append, so never
    /// acknowledged) is dropped with a note; any other damage is an error, since guessing could resurrect or lose a pair.
    /// </summary>
    /// <returns>The state found.</returns>
    /// <exception cref="InvalidDataException">A file is damaged; the message names it and the offset.</exception>
    public ControllerStateImage Load()
    {
        ControllerStateImage image = new();
        string checkpointPath = Path.Combine(Directory, CheckpointFile);
        if (_files.Exists(Path.Combine(Directory, CheckpointTemp)))
        {
            image.Notes.Add("a checkpoint being written when the controller stopped was dropped (" + CheckpointTemp + "); the one before it is used");
        }

        if (_files.Exists(checkpointPath))
        {
            byte[] checkpoint = _files.ReadAll(checkpointPath);
            string? bad = StateFileHeader.TryRead(checkpoint, StateFileHeader.CheckpointMagic, out long generation, out byte flags);
            if (bad is not null)
            {
                throw new InvalidDataException(checkpointPath + ": " + bad);
            }

            image.Generation = generation;
            image.CleanStop = (flags & StateFileHeader.CleanStopFlag) != 0;
            int records = ReadRecords(checkpoint, checkpointPath, image, tornTailAllowed: false, out _);
            image.Notes.Add("checkpoint " + generation + ": " + records + " records" + (image.CleanStop ? ", written by a graceful stop" : string.Empty));
        }

        string journalPath = Path.Combine(Directory, JournalFile);
        if (_files.Exists(journalPath))
        {
            byte[] journal = _files.ReadAll(journalPath);
            string? bad = StateFileHeader.TryRead(journal, StateFileHeader.JournalMagic, out long generation, out _, out uint version);
            if (bad is not null)
            {
                // The journal is created (header synced) right after its checkpoint is renamed: a header torn by a
                // crash there follows a checkpoint that holds everything.
                image.Notes.Add(journalPath + ": " + bad + "; ignored (the checkpoint before it is whole)");
            }
            else if (generation != image.Generation)
            {
                image.Notes.Add("the journal follows checkpoint " + generation + ", not " + image.Generation + ": ignored (a newer checkpoint holds its records)");
            }
            else
            {
                image.JournalRecords = version >= 2
                    ? ReadCommits(journal, journalPath, image, out int end)
                    : ReadRecords(journal, journalPath, image, tornTailAllowed: true, out end);
                image.CleanStop &= image.JournalRecords == 0;

                // Go on appending after the last whole record (a torn tail is cut off, so later records follow it).
                _journal?.Dispose();
                _journal = _files.OpenAppend(journalPath);
                _journal.SetLength(end);
            }
        }

        Generation = image.Generation;
        return image;
    }

    /// <summary>Appends a row's new value (not yet durable: see <see cref="Commit"/>).</summary>
    /// <param name="row">The row as it is now.</param>
    public void Append(PairSnapshot row)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArrayBufferWriter<byte> payload = new();
        PairSnapshotCodec.Encode(row, payload);
        AppendFrame(StateRecordKind.PairRow, payload.WrittenSpan);
    }

    /// <summary>Appends a row's deletion (not yet durable: see <see cref="Commit"/>).</summary>
    /// <param name="entryId">The row's entry ID.</param>
    public void AppendDeleted(int entryId)
    {
        Span<byte> payload = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(payload, entryId);
        AppendFrame(StateRecordKind.PairDeleted, payload);
    }

    /// <summary>
    /// Makes every record appended so far durable: written to the journal, closed by a commit end, and synced. Group
    /// commit: a caller whose records another caller's sync already covered returns without a sync of its own. The
    /// records of one call are one commit: a crash during it keeps all of them or none (docs/durability.md).
    /// </summary>
    public void Commit()
    {
        long wanted = Volatile.Read(ref _appended);
        lock (_commitLock)
        {
            if (Volatile.Read(ref _durable) >= wanted)
            {
                return;
            }

            ArrayBufferWriter<byte> batch;
            long upTo;
            lock (_appendLock)
            {
                batch = _pending;
                upTo = _appended;
                _pending = new ArrayBufferWriter<byte>();
            }

            Span<byte> count = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(count, checked((int)(upTo - Volatile.Read(ref _durable))));
            StateFrame.Write(batch, StateRecordKind.CommitEnd, count);

            IStateFile journal = _journal ?? throw new InvalidOperationException("the state store has no journal to append to (none was loaded): write a checkpoint first");
            journal.Append(batch.WrittenSpan);
            journal.Sync();
            JournalSyncs++;
            Volatile.Write(ref _durable, upTo);
        }
    }

    /// <summary>
    /// Writes a checkpoint of the whole state and starts an empty journal after it. Records appended but not yet
    /// committed are dropped: the checkpoint holds the rows as they are now.
    /// </summary>
    /// <param name="rows">Every row.</param>
    /// <param name="bitmaps">Every marked bitmap leaf.</param>
    /// <param name="cleanStop">True only from a graceful stop, after the last write landed and the last command was answered.</param>
    public void Checkpoint(IEnumerable<PairSnapshot> rows, IEnumerable<BitmapRecord> bitmaps, bool cleanStop)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(bitmaps);
        lock (_commitLock)
        {
            long generation = Generation + 1;
            ArrayBufferWriter<byte> body = new();
            ArrayBufferWriter<byte> payload = new();
            foreach (PairSnapshot row in rows)
            {
                payload.ResetWrittenCount();
                PairSnapshotCodec.Encode(row, payload);
                StateFrame.Write(body, StateRecordKind.PairRow, payload.WrittenSpan);
            }

            foreach (BitmapRecord leaf in bitmaps)
            {
                payload.ResetWrittenCount();
                leaf.Encode(payload);
                StateFrame.Write(body, StateRecordKind.Bitmap, payload.WrittenSpan);
            }

            string temp = Path.Combine(Directory, CheckpointTemp);
            using (IStateFile file = _files.Create(temp))
            {
                file.Append(StateFileHeader.Create(StateFileHeader.CheckpointMagic, generation, cleanStop ? StateFileHeader.CleanStopFlag : (byte)0));
                file.Append(body.WrittenSpan);
                file.Sync();
            }

            _files.Move(temp, Path.Combine(Directory, CheckpointFile));
            _files.SyncDirectory(Directory);

            // The new journal names the new generation: an older journal left by a crash before this point is
            // recognized as stale at the next load.
            _journal?.Dispose();
            _journal = _files.Create(Path.Combine(Directory, JournalFile));
            _journal.Append(StateFileHeader.Create(StateFileHeader.JournalMagic, generation, 0));
            _journal.Sync();
            _files.SyncDirectory(Directory);
            lock (_appendLock)
            {
                _pending = new ArrayBufferWriter<byte>();
                Volatile.Write(ref _durable, _appended);
                _appendedAtCheckpoint = _appended;
            }

            Generation = generation;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_commitLock)
        {
            _journal?.Dispose();
            _journal = null;
        }
    }

    private void AppendFrame(StateRecordKind kind, ReadOnlySpan<byte> payload)
    {
        lock (_appendLock)
        {
            StateFrame.Write(_pending, kind, payload);
            _appended++;
        }
    }

    // Applies a format-2 journal's commits to the image, each only once its end is read; returns how many records.
    // Whatever follows the last whole commit (a torn record, or whole records whose commit end never came) is the
    // commit a crash cut, never acknowledged: dropped whole, and the next append starts where the last commit ended.
    private static int ReadCommits(byte[] file, string path, ControllerStateImage image, out int wholeEnd)
    {
        int offset = StateFileHeader.Bytes;
        int records = 0;
        List<(StateRecordKind Kind, byte[] Payload, int Offset)> commit = [];
        wholeEnd = offset;
        while (true)
        {
            string? end = StateFrame.TryRead(file.AsSpan(offset), out StateRecordKind kind, out ReadOnlySpan<byte> payload, out int consumed);
            if (end is not null)
            {
                if (end != "end" || commit.Count > 0)
                {
                    image.Notes.Add(path + ": the last " + (file.Length - wholeEnd) + " bytes (" + commit.Count + " whole records" + (end == "end" ? string.Empty : ", then " + end)
                        + ") are a commit torn by the stop, never acknowledged: dropped whole");
                }

                return records;
            }

            if (kind != StateRecordKind.CommitEnd)
            {
                commit.Add((kind, payload.ToArray(), offset));
                offset += consumed;
                continue;
            }

            if (payload.Length != 4 || BinaryPrimitives.ReadInt32LittleEndian(payload) != commit.Count)
            {
                throw new InvalidDataException(path + ": the commit end at offset " + offset + " counts " + (payload.Length == 4 ? BinaryPrimitives.ReadInt32LittleEndian(payload).ToString(System.Globalization.CultureInfo.InvariantCulture) : "?")
                    + " records, but " + commit.Count + " precede it");
            }

            foreach ((StateRecordKind recordKind, byte[] recordPayload, int at) in commit)
            {
                string? bad = Apply(recordKind, recordPayload, image);
                if (bad is not null)
                {
                    throw new InvalidDataException(path + ": record " + (records + 1) + " at offset " + at + ": " + bad);
                }

                records++;
            }

            commit.Clear();
            offset += consumed;
            wholeEnd = offset;
        }
    }

    // Applies the records of one file to the image; returns how many. A torn tail is allowed (and noted) only in the
    // journal (format 1: each record on its own).
    private static int ReadRecords(byte[] file, string path, ControllerStateImage image, bool tornTailAllowed, out int wholeEnd)
    {
        int offset = StateFileHeader.Bytes;
        int records = 0;
        while (true)
        {
            wholeEnd = offset;
            string? end = StateFrame.TryRead(file.AsSpan(offset), out StateRecordKind kind, out ReadOnlySpan<byte> payload, out int consumed);
            if (end == "end")
            {
                return records;
            }

            if (end is not null)
            {
                if (!tornTailAllowed)
                {
                    throw new InvalidDataException(path + ": " + end + " at offset " + offset);
                }

                image.Notes.Add(path + ": the last " + (file.Length - offset) + " bytes are " + end + " (a change torn by the stop, never acknowledged): dropped");
                return records;
            }

            string? bad = Apply(kind, payload, image);
            if (bad is not null)
            {
                throw new InvalidDataException(path + ": record " + (records + 1) + " at offset " + offset + ": " + bad);
            }

            offset += consumed;
            records++;
        }
    }

    private static string? Apply(StateRecordKind kind, ReadOnlySpan<byte> payload, ControllerStateImage image)
    {
        switch (kind)
        {
            case StateRecordKind.PairRow:
                string? badRow = PairSnapshotCodec.TryDecode(payload, out PairSnapshot? row);
                if (row is not null)
                {
                    image.Pairs[row.EntryId] = row;
                }

                return badRow;
            case StateRecordKind.PairDeleted:
                if (payload.Length != 4)
                {
                    return "a deletion of " + payload.Length + " bytes";
                }

                int entryId = BinaryPrimitives.ReadInt32LittleEndian(payload);
                image.Pairs.Remove(entryId);
                image.Bitmaps.RemoveAll(leaf => leaf.EntryId == entryId);
                return null;
            case StateRecordKind.Bitmap:
                string? badLeaf = BitmapRecord.TryDecode(payload, out BitmapRecord? leaf);
                if (leaf is not null)
                {
                    image.Bitmaps.Add(leaf);
                }

                return badLeaf;
            case StateRecordKind.CommitEnd:
                // Read one by one (a format-1 journal that a newer build went on appending to): nothing to apply.
                return null;
            default:
                return "a record of unknown kind " + (byte)kind;
        }
    }
}
