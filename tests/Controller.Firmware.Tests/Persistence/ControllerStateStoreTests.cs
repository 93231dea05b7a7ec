// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers;
using Controller.Firmware.Bitmaps;
using Controller.Firmware.Media;
using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.Persistence;

namespace Controller.Firmware.Tests.Persistence;

public sealed class ControllerStateStoreTests
{
    private string _folder = string.Empty;

    [SetUp]
    public void CreateFolder()
    {
        _folder = Directory.CreateTempSubdirectory("controller-state-").FullName;
    }

    [TearDown]
    public void DeleteFolder()
    {
        Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public void ANewDirectoryHoldsNoState()
    {
        using ControllerStateStore store = ControllerStateStore.Open(Path.Combine(_folder, "state"));
        ControllerStateImage image = store.Load();

        Assert.That(image.IsEmpty, Is.True);
        Assert.That(image.Pairs, Is.Empty);
    }

    [Test]
    public void CommittedChangesSurviveAndUncommittedOnesDoNot()
    {
        Random random = new(11);
        PairSnapshot first = PairSnapshotCodecTests.Draw(random, 1);
        PairSnapshot second = PairSnapshotCodecTests.Draw(random, 2);
        PairSnapshot firstLater = first with { State = PairState.Psus, SplitSequence = 42 };
        using (ControllerStateStore store = ControllerStateStore.Open(_folder))
        {
            store.Load();
            store.Checkpoint([first], [], cleanStop: false);
            store.Append(second);
            store.Append(firstLater);
            store.Commit();
            store.Append(first with { State = PairState.Psue });

            // No commit: a crash here loses the last change, which was never acknowledged.
        }

        using ControllerStateStore reopened = ControllerStateStore.Open(_folder);
        ControllerStateImage image = reopened.Load();

        Assert.That(image.Pairs.Values, Is.EqualTo(new[] { firstLater, second }), "the checkpoint, then the journal in order");
        Assert.That(image.JournalRecords, Is.EqualTo(2));
        Assert.That(image.CleanStop, Is.False);
    }

    [Test]
    public void ADeletionRemovesTheRowAndItsBitmaps()
    {
        Random random = new(12);
        PairSnapshot row = PairSnapshotCodecTests.Draw(random, 5);
        DifferentialBitmap bitmap = new(128 * 1000, TrackGeometry.Default);
        bitmap.Set(17);
        List<BitmapRecord> leaves = [];
        BitmapRecord.FromBitmap(bitmap, 5, PairRole.PVol, leaves.Add);
        using (ControllerStateStore store = ControllerStateStore.Open(_folder))
        {
            store.Load();
            store.Checkpoint([row], leaves, cleanStop: false);
            store.AppendDeleted(5);
            store.Commit();
        }

        using ControllerStateStore reopened = ControllerStateStore.Open(_folder);
        ControllerStateImage image = reopened.Load();
        Assert.That(image.Pairs, Is.Empty);
        Assert.That(image.Bitmaps, Is.Empty);
    }

    [Test]
    public void ACheckpointReplacesTheJournalAndAGracefulStopIsCleanUntilTheNextChange()
    {
        Random random = new(13);
        PairSnapshot row = PairSnapshotCodecTests.Draw(random, 3);
        DifferentialBitmap bitmap = new(128 * 1000, TrackGeometry.Default);
        bitmap.SetRange(10, 20);
        List<BitmapRecord> leaves = [];
        BitmapRecord.FromBitmap(bitmap, 3, PairRole.PVol, leaves.Add);
        using (ControllerStateStore store = ControllerStateStore.Open(_folder))
        {
            store.Load();
            store.Checkpoint([], [], cleanStop: false);
            store.Append(row);
            store.Commit();
            store.Checkpoint([row], leaves, cleanStop: true);
        }

        ControllerStateImage stopped;
        using (ControllerStateStore store = ControllerStateStore.Open(_folder))
        {
            stopped = store.Load();
            store.Append(row with { State = PairState.Psue });
            store.Commit();
        }

        Assert.That(stopped.CleanStop, Is.True, "written by a graceful stop");
        Assert.That(stopped.Generation, Is.EqualTo(2));
        Assert.That(stopped.JournalRecords, Is.Zero, "the checkpoint took the journal's records");
        Assert.That(stopped.Bitmaps.Single().Words[0], Is.EqualTo(0x1FFC00UL), "tracks 10 to 20");
        using ControllerStateStore reopened = ControllerStateStore.Open(_folder);
        ControllerStateImage later = reopened.Load();
        Assert.That(later.CleanStop, Is.False, "a change after the clean checkpoint: the bitmaps may be stale");
        Assert.That(later.Pairs[3].State, Is.EqualTo(PairState.Psue));
    }

    [Test]
    public void ATornLastCommitIsDroppedWholeWithANote()
    {
        Random random = new(14);
        PairSnapshot kept = PairSnapshotCodecTests.Draw(random, 1);
        using (ControllerStateStore store = ControllerStateStore.Open(_folder))
        {
            store.Load();
            store.Checkpoint([], [], cleanStop: false);
            store.Append(kept);
            store.Commit();
            store.Append(PairSnapshotCodecTests.Draw(random, 2));
            store.Append(PairSnapshotCodecTests.Draw(random, 4));
            store.Commit();
        }

        // The second commit's end torn off: its two whole rows go with it.
        string journal = Path.Combine(_folder, ControllerStateStore.JournalFile);
        byte[] bytes = File.ReadAllBytes(journal);
        File.WriteAllBytes(journal, bytes.AsSpan(0, bytes.Length - 5).ToArray());

        PairSnapshot after = PairSnapshotCodecTests.Draw(random, 3);
        using (ControllerStateStore reopened = ControllerStateStore.Open(_folder))
        {
            ControllerStateImage image = reopened.Load();
            Assert.That(image.Pairs.Values, Is.EqualTo(new[] { kept }));
            Assert.That(image.Notes, Has.Some.Contains("never acknowledged"));
            reopened.Append(after);
            reopened.Commit();
        }

        using ControllerStateStore third = ControllerStateStore.Open(_folder);
        Assert.That(third.Load().Pairs.Values, Is.EqualTo(new[] { kept, after }), "a record appended after the torn tail was cut off is read");
    }

    [Test]
    public void AFormatOneJournalWithoutCommitEndsIsStillReadRecordByRecord()
    {
        Random random = new(15);
        PairSnapshot first = PairSnapshotCodecTests.Draw(random, 1);
        PairSnapshot second = PairSnapshotCodecTests.Draw(random, 2);
        using (ControllerStateStore store = ControllerStateStore.Open(_folder))
        {
            store.Load();
            store.Checkpoint([], [], cleanStop: false);
        }

        // As a build before commit ends wrote it: a format-1 header, then the records, the last one torn.
        System.Buffers.ArrayBufferWriter<byte> file = new();
        file.Write(HeaderOfVersion(1, StateFileHeader.JournalMagic, generation: 1));
        WriteRow(file, first);
        WriteRow(file, second);
        File.WriteAllBytes(Path.Combine(_folder, ControllerStateStore.JournalFile), file.WrittenSpan[..^3].ToArray());

        using ControllerStateStore reopened = ControllerStateStore.Open(_folder);
        ControllerStateImage image = reopened.Load();

        Assert.That(image.Pairs.Values, Is.EqualTo(new[] { first }), "each whole record applies on its own; the torn one is dropped");
        Assert.That(image.JournalRecords, Is.EqualTo(1));
    }

    [Test]
    public void ACommitEndThatMiscountsItsRecordsStopsTheLoadAndNamesTheOffset()
    {
        using (ControllerStateStore store = ControllerStateStore.Open(_folder))
        {
            store.Load();
            store.Checkpoint([], [], cleanStop: false);
        }

        System.Buffers.ArrayBufferWriter<byte> file = new();
        file.Write(StateFileHeader.Create(StateFileHeader.JournalMagic, 1, 0));
        WriteRow(file, PairSnapshotCodecTests.Draw(new Random(16), 1));
        int endAt = file.WrittenCount;
        StateFrame.Write(file, StateRecordKind.CommitEnd, [2, 0, 0, 0]);
        File.WriteAllBytes(Path.Combine(_folder, ControllerStateStore.JournalFile), file.WrittenSpan.ToArray());

        using ControllerStateStore reopened = ControllerStateStore.Open(_folder);
        InvalidDataException? damage = Assert.Throws<InvalidDataException>(() => reopened.Load());
        Assert.That(damage!.Message, Does.Contain("commit end at offset " + endAt + " counts 2 records, but 1 precede it"), "damage, not a torn tail: the start stops and says where");
    }

    [Test]
    public void ADamagedCheckpointStopsTheLoadAndNamesTheFile()
    {
        using (ControllerStateStore store = ControllerStateStore.Open(_folder))
        {
            store.Load();
            store.Checkpoint([PairSnapshotCodecTests.Draw(new Random(15), 1)], [], cleanStop: false);
        }

        string checkpoint = Path.Combine(_folder, ControllerStateStore.CheckpointFile);
        byte[] bytes = File.ReadAllBytes(checkpoint);
        bytes[^3] ^= 0x40;
        File.WriteAllBytes(checkpoint, bytes);

        using ControllerStateStore reopened = ControllerStateStore.Open(_folder);
        InvalidDataException? damage = Assert.Throws<InvalidDataException>(() => reopened.Load());
        Assert.That(damage!.Message, Does.Contain(checkpoint).And.Contain("CRC-32C"));
    }

    [Test]
    public void AJournalOfAnOlderGenerationAndAHalfWrittenCheckpointAreIgnored()
    {
        PairSnapshot row = PairSnapshotCodecTests.Draw(new Random(16), 1);
        using (ControllerStateStore store = ControllerStateStore.Open(_folder))
        {
            store.Load();
            store.Checkpoint([], [], cleanStop: false);
            store.Append(row with { State = PairState.Psue });
            store.Commit();
        }

        // A crash after the new checkpoint was renamed into place and before the journal was started again.
        string journal = Path.Combine(_folder, ControllerStateStore.JournalFile);
        byte[] oldJournal = File.ReadAllBytes(journal);
        using (ControllerStateStore store = ControllerStateStore.Open(_folder))
        {
            store.Load();
            store.Checkpoint([row], [], cleanStop: false);
        }

        File.WriteAllBytes(journal, oldJournal);
        File.WriteAllBytes(Path.Combine(_folder, "checkpoint.tmp"), [1, 2, 3]);

        using ControllerStateStore reopened = ControllerStateStore.Open(_folder);
        ControllerStateImage image = reopened.Load();
        Assert.That(image.Pairs[1], Is.EqualTo(row), "the checkpoint's row, not the stale journal's");
        Assert.That(image.Notes, Has.Some.Contains("not 2: ignored"));
        Assert.That(image.Notes, Has.Some.Contains("checkpoint.tmp"));
    }

    [Test]
    public void ConcurrentCommitsShareSyncs()
    {
        using ControllerStateStore store = ControllerStateStore.Open(_folder);
        store.Load();
        store.Checkpoint([], [], cleanStop: false);
        Random random = new(17);
        PairSnapshot[] rows = [.. Enumerable.Range(1, 400).Select(i => PairSnapshotCodecTests.Draw(random, i))];
        using Barrier start = new(4);
        Task[] committers = [.. Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            start.SignalAndWait();
            for (int i = t; i < rows.Length; i += 4)
            {
                store.Append(rows[i]);
                store.Commit();
            }
        }))];
        Task.WaitAll(committers);

        Assert.That(store.CommittedRecords, Is.EqualTo(400), "every record durable");
        Assert.That(store.JournalSyncs, Is.LessThanOrEqualTo(400), "never more syncs than commits");
        using ControllerStateStore reopened = ControllerStateStore.Open(_folder);
        Assert.That(reopened.Load().Pairs.Count, Is.EqualTo(400));
    }

    private static void WriteRow(System.Buffers.ArrayBufferWriter<byte> file, PairSnapshot row)
    {
        System.Buffers.ArrayBufferWriter<byte> payload = new();
        PairSnapshotCodec.Encode(row, payload);
        StateFrame.Write(file, StateRecordKind.PairRow, payload.WrittenSpan);
    }

    private static byte[] HeaderOfVersion(uint version, byte[] magic, long generation)
    {
        byte[] header = StateFileHeader.Create(magic, generation, 0);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), version);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(28), Crc32C.Compute(header.AsSpan(0, 28)));
        return header;
    }
}
