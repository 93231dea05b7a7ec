// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.Media;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.Scheduling;
using Controller.Firmware.Volumes;

namespace Controller.Firmware.Tests.Volumes;

/// <summary>
/// The honest write cache (issue #18): on a write-through store every write is durable before it is answered; on a
/// write-back store writes are answered from the page cache, and FUA and SYNCHRONIZE CACHE wait for a sync; the sync
/// is grouped off the MP (GroupCommit). The media is <see cref="SyncRecordingDevice"/>, which knows which writes a
/// completed sync covered, so an answer given before its sync fails the test.
/// </summary>
[TestFixture]
public sealed class GroupCommitTests
{
    private const long Blocks = 1 << 16;
    private static readonly TrackGeometry Geometry = new(TrackGeometry.TrackSize64K);

    [Test]
    public void EveryAcknowledgedWriteOnAWriteThroughStoreWasSyncedBeforeItsAnswer([Range(1UL, 40UL)] ulong seed)
    {
        using Rig rig = new(seed, WriteCachePolicy.WriteThrough);
        SplitMix64 random = new(seed);
        long tag = 0;
        for (int wave = 0; wave < 8; wave++)
        {
            // Waves of writes with a seeded number of steps between them, so syncs overlap later writes.
            int count = 1 + (int)(random.NextUInt64() % 16);
            for (int i = 0; i < count; i++)
            {
                tag++;
                rig.Submit(BlockCommandKind.Write, tag * 8, tag);
            }

            int steps = (int)(random.NextUInt64() % 4);
            for (int s = 0; s < steps && rig.Scheduler.RunOne(); s++)
            {
            }
        }

        rig.Scheduler.RunUntilIdle();
        Assert.That(rig.Answers.Count, Is.EqualTo(tag), "seed " + seed + ": every write is answered");
        for (long t = 1; t <= tag; t++)
        {
            Assert.That(rig.Answers[t].Status, Is.EqualTo(MediaStatus.Good), "seed " + seed + ": write " + t);
            Assert.That(rig.Answers[t].DurableAtAnswer, Is.True, "seed " + seed + ": write-through answers write " + t + " only after a sync that began after it returned");
        }
    }

    [Test]
    public void WritesQueuedTogetherShareOneSyncAndTheMpWritesThemAllWithoutWaiting()
    {
        using Rig rig = new(7, WriteCachePolicy.WriteThrough);
        for (long tag = 1; tag <= 48; tag++)
        {
            rig.Submit(BlockCommandKind.Write, tag * 8, tag);
        }

        rig.Scheduler.RunUntilIdle();
        Assert.Multiple(() =>
        {
            Assert.That(rig.Answers.Count, Is.EqualTo(48), "all 48 writes answered");
            Assert.That(rig.Device.Syncs, Is.EqualTo(1), "the MP wrote all 48 in one drain, handing each answer on instead of syncing, so one sync covered them all");
            Assert.That(rig.Device.SyncCovered, Is.EqualTo(new long[] { 48 }), "the one sync began after the 48th write returned");
            Assert.That(rig.Ldev.Commit!.FlushCount, Is.EqualTo(1), "the group commit counts the same one sync");
        });
    }

    [Test]
    public void AWriteBackStoreAnswersWritesWithoutASync()
    {
        using Rig rig = new(3, WriteCachePolicy.WriteBack);
        for (long tag = 1; tag <= 10; tag++)
        {
            rig.Submit(BlockCommandKind.Write, tag * 8, tag);
        }

        rig.Scheduler.RunUntilIdle();
        Assert.Multiple(() =>
        {
            Assert.That(rig.Answers.Count, Is.EqualTo(10), "all answered");
            Assert.That(rig.Device.Syncs, Is.Zero, "write-back answers from the page cache: no sync");
            Assert.That(rig.Answers[1].DurableAtAnswer, Is.False, "and the write was not durable at its answer (what WCE 1 says)");
        });
    }

    [TestCase(1UL)]
    [TestCase(2UL)]
    [TestCase(3UL)]
    public void SynchronizeCacheOnWriteBackIsAnsweredAfterASyncCoveringEveryEarlierWrite(ulong seed)
    {
        using Rig rig = new(seed, WriteCachePolicy.WriteBack);
        for (long tag = 1; tag <= 10; tag++)
        {
            rig.Submit(BlockCommandKind.Write, tag * 8, tag);
        }

        rig.Submit(BlockCommandKind.Synchronize, 0, 100);
        rig.Scheduler.RunUntilIdle();
        Assert.Multiple(() =>
        {
            Assert.That(rig.Answers[100].Status, Is.EqualTo(MediaStatus.Good), "SYNCHRONIZE CACHE answers GOOD");
            Assert.That(rig.Answers[100].DurableAtAnswer, Is.True, "seed " + seed + ": at its answer every write queued before it is durable");
            Assert.That(rig.Device.Syncs, Is.EqualTo(1), "one fdatasync");
        });
    }

    [Test]
    public void SynchronizeCacheWithNothingWrittenSinceTheLastSyncSyncsNoMore()
    {
        using Rig rig = new(5, WriteCachePolicy.WriteBack);
        rig.Submit(BlockCommandKind.Write, 8, 1);
        rig.Submit(BlockCommandKind.Synchronize, 0, 2);
        rig.Scheduler.RunUntilIdle();
        rig.Submit(BlockCommandKind.Synchronize, 0, 3);
        rig.Scheduler.RunUntilIdle();
        Assert.Multiple(() =>
        {
            Assert.That(rig.Answers[3].Status, Is.EqualTo(MediaStatus.Good), "the second sync is GOOD");
            Assert.That(rig.Device.Syncs, Is.EqualTo(1), "and costs no fdatasync: nothing was written since the first");
        });
    }

    [Test]
    public void AFuaWriteOnWriteBackIsDurableBeforeItsAnswer()
    {
        using Rig rig = new(11, WriteCachePolicy.WriteBack);
        rig.Submit(BlockCommandKind.Write, 8, 1);
        rig.Submit(BlockCommandKind.Write, 16, 2, forceUnitAccess: true);
        rig.Scheduler.RunUntilIdle();
        Assert.Multiple(() =>
        {
            Assert.That(rig.Answers[1].DurableAtAnswer, Is.False, "a plain write-back write is answered from the cache");
            Assert.That(rig.Answers[2].Status, Is.EqualTo(MediaStatus.Good), "the FUA write is GOOD");
            Assert.That(rig.Answers[2].DurableAtAnswer, Is.True, "and durable when answered (SBC-3 FUA)");
            Assert.That(rig.Device.Syncs, Is.EqualTo(1), "one sync, for the FUA write");
        });
    }

    [Test]
    public void AFailedSyncAnswersMediumErrorAndEveryLaterDurableAnswerToo()
    {
        using Rig rig = new(13, WriteCachePolicy.WriteThrough);
        rig.Device.FailNextSyncs = 1;
        rig.Submit(BlockCommandKind.Write, 8, 1);
        rig.Scheduler.RunUntilIdle();
        rig.Submit(BlockCommandKind.Write, 16, 2);
        rig.Submit(BlockCommandKind.Synchronize, 0, 3);
        rig.Scheduler.RunUntilIdle();
        Assert.Multiple(() =>
        {
            Assert.That(rig.Answers[1].Status, Is.EqualTo(MediaStatus.MediumError), "the write whose sync failed is not acknowledged GOOD");
            Assert.That(rig.Answers[2].Status, Is.EqualTo(MediaStatus.MediumError), "after a failed fdatasync the page cache may have dropped the dirty data: a later write is not trusted either");
            Assert.That(rig.Answers[3].Status, Is.EqualTo(MediaStatus.MediumError), "nor a later SYNCHRONIZE CACHE");
        });
    }

    [Test]
    public void ARamVolumeHasNoGroupCommitAndAnswersSynchronizeCacheAtOnce()
    {
        DeterministicScheduler scheduler = new(1);
        using StorageSubsystem subsystem = new(scheduler, new SubsystemOptions { MpCount = 1, QueueDepth = 256 });
        Ldev ldev = subsystem.CreateLdev(new LdevId(1), Blocks);
        AnswerLog answers = new();
        Assert.That(subsystem.TrySubmit(new BlockCommand(BlockCommandKind.Synchronize, ldev, 0, default, answers, 1)), Is.True);
        scheduler.RunUntilIdle();
        Assert.Multiple(() =>
        {
            Assert.That(ldev.Commit, Is.Null, "RAM has nothing to sync: no group commit");
            Assert.That(answers[1].Status, Is.EqualTo(MediaStatus.Good), "SYNCHRONIZE CACHE on RAM is GOOD");
            Assert.That(subsystem.HostCommandsInFlight, Is.Zero, "and leaves the in-flight count");
        });
    }

    [TestCase(1UL)]
    [TestCase(2UL)]
    [TestCase(3UL)]
    [TestCase(4UL)]
    public void AMirroredWriteOnWriteThroughVolumesIsAnsweredOnlyWhenBothCopiesAreDurable(ulong seed)
    {
        DeterministicScheduler scheduler = new(seed);
        using StorageSubsystem subsystem = new(scheduler, new SubsystemOptions { MpCount = 2, QueueDepth = 256 });
        SyncRecordingDevice pDevice = new(new RamBlockStore(Blocks, Geometry), WriteCachePolicy.WriteThrough);
        SyncRecordingDevice sDevice = new(new RamBlockStore(Blocks, Geometry), WriteCachePolicy.WriteThrough);
        Ldev pVol = subsystem.Attach(new Ldev(new LdevId(1), pDevice, Geometry));
        Ldev sVol = subsystem.Attach(new Ldev(new LdevId(2), sDevice, Geometry));
        VolumeAddress pAddress = new(new PortId(0x400104), new Lun(1));
        VolumeAddress sAddress = new(new PortId(0x400104), new Lun(2));
        Assert.That(subsystem.Pairs.Create(pAddress, pVol, sAddress, sVol).Succeeded, Is.True);
        scheduler.RunUntilIdle();
        Assert.That(subsystem.Pairs.Find(pAddress, sAddress)!.State, Is.EqualTo(PairState.Pair), "the initial copy ends");

        AnswerLog answers = new() { Watched = [pDevice, sDevice] };
        for (long tag = 1; tag <= 16; tag++)
        {
            Assert.That(subsystem.TrySubmit(new BlockCommand(BlockCommandKind.Write, pVol, tag * 8, new ArraySegment<byte>(new byte[4096]), answers, tag)), Is.True);
        }

        scheduler.RunUntilIdle();
        for (long tag = 1; tag <= 16; tag++)
        {
            Assert.That(answers[tag].Status, Is.EqualTo(MediaStatus.Good), "seed " + seed + ": write " + tag);
            Assert.That(answers[tag].DurableAtAnswer, Is.True, "seed " + seed + ": write " + tag + " is answered only when durable on the P-VOL and on the S-VOL");
        }
    }

    [Test]
    public void AWriteThroughFileStoreAnswersItsWritesAfterARealFdatasyncAndTheDataIsInTheFile()
    {
        string directory = Path.Combine(Path.GetTempPath(), "ctl-commit-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            string path = Path.Combine(directory, "ldev-00-01.img");
            DeterministicScheduler scheduler = new(9);
            SyncRecordingDevice device = new(FileBlockStore.Create(path, Blocks, WriteCachePolicy.WriteThrough), WriteCachePolicy.WriteThrough);
            byte[] data = new byte[4096];
            new Random(9).NextBytes(data);
            using (StorageSubsystem subsystem = new(scheduler, new SubsystemOptions { MpCount = 2, QueueDepth = 256 }))
            {
                Ldev ldev = subsystem.Attach(new Ldev(new LdevId(1), device, Geometry));
                AnswerLog answers = new() { Watched = [device] };
                for (long tag = 1; tag <= 8; tag++)
                {
                    Assert.That(subsystem.TrySubmit(new BlockCommand(BlockCommandKind.Write, ldev, tag * 8, new ArraySegment<byte>(data), answers, tag)), Is.True);
                }

                scheduler.RunUntilIdle();
                for (long tag = 1; tag <= 8; tag++)
                {
                    Assert.That(answers[tag].Status, Is.EqualTo(MediaStatus.Good), "write " + tag + " over a real file");
                    Assert.That(answers[tag].DurableAtAnswer, Is.True, "write " + tag + " answered after the fdatasync that covers it");
                }
            }

            using FileBlockStore reopened = FileBlockStore.Open(path, Blocks);
            byte[] back = new byte[4096];
            Assert.That(reopened.Read(64, back), Is.EqualTo(MediaStatus.Good));
            Assert.That(back, Is.EqualTo(data), "the last write is in the file");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private sealed class Rig : IDisposable
    {
        public Rig(ulong seed, WriteCachePolicy policy)
        {
            Scheduler = new DeterministicScheduler(seed);
            Subsystem = new StorageSubsystem(Scheduler, new SubsystemOptions { MpCount = 2, QueueDepth = 256 });
            Device = new SyncRecordingDevice(new RamBlockStore(Blocks, Geometry), policy);
            Ldev = Subsystem.Attach(new Ldev(new LdevId(1), Device, Geometry));
            Answers = new AnswerLog { Watched = [Device] };
        }

        public DeterministicScheduler Scheduler { get; }

        public StorageSubsystem Subsystem { get; }

        public SyncRecordingDevice Device { get; }

        public Ldev Ldev { get; }

        public AnswerLog Answers { get; }

        public void Submit(BlockCommandKind kind, long lba, long tag, bool forceUnitAccess = false)
        {
            ArraySegment<byte> data = kind == BlockCommandKind.Write ? new ArraySegment<byte>(new byte[4096]) : default;
            Assert.That(Subsystem.TrySubmit(new BlockCommand(kind, Ldev, lba, data, Answers, tag, forceUnitAccess)), Is.True, "the queue takes command " + tag);
        }

        public void Dispose()
        {
            Subsystem.Dispose();
        }
    }
}
