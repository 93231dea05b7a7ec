// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.Media;
using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.Persistence;
using Controller.Firmware.Scheduling;
using Controller.Firmware.Volumes;

namespace Controller.Firmware.Tests.Persistence;

public sealed class PairStateKeeperTests
{
    private string _folder = string.Empty;

    [SetUp]
    public void CreateFolder()
    {
        _folder = Directory.CreateTempSubdirectory("pair-keeper-").FullName;
    }

    [TearDown]
    public void DeleteFolder()
    {
        Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public void EveryAnsweredChangeIsKeptAndALongJournalIsCheckpointedOnItsOwn()
    {
        DeterministicScheduler scheduler = new(21);
        using StorageSubsystem subsystem = new(scheduler);
        CopyManagementTable table = subsystem.Pairs;
        (VolumeAddress P, Ldev PLdev, VolumeAddress S, Ldev SLdev)[] pairs = [.. Enumerable.Range(0, 3).Select(i => Volumes(subsystem, i))];
        using (PairStateKeeper keeper = PairStateKeeper.Open(_folder))
        {
            keeper.Store.Load();
            keeper.Checkpoint(table, cleanStop: false);
            keeper.CheckpointAfterRecords = 6;
            keeper.Serve(table);
            foreach ((VolumeAddress p, Ldev pLdev, VolumeAddress s, Ldev sLdev) in pairs)
            {
                Assert.That(table.Create(p, pLdev, s, sLdev).Succeeded, Is.True);
                table.CommitState();
            }

            scheduler.RunUntilIdle();
            table.CommitState();
            Assert.That(table.Execute(pairs[1].P, pairs[1].S, PairOperation.Split, SplitMode.ReadWrite).Succeeded, Is.True);
            table.CommitState();
            Assert.That(table.Execute(pairs[2].P, pairs[2].S, PairOperation.Delete).Succeeded, Is.True);
            table.CommitState();

            // The checkpoint runs on the thread pool once the journal holds 6 records (3 creates, 3 PAIRs, ...).
            Assert.That(SpinWait.SpinUntil(() => keeper.Store.Generation >= 2, TimeSpan.FromSeconds(30)), Is.True, "a checkpoint of its own");
            Assert.That(SpinWait.SpinUntil(() => keeper.Store.JournalLength < 6, TimeSpan.FromSeconds(30)), Is.True, "which emptied the journal");
        }

        using PairStateKeeper reopened = PairStateKeeper.Open(_folder);
        ControllerStateImage image = reopened.Store.Load();
        Assert.That(image.Pairs.Values.Select(row => (row.PVol, row.State)), Is.EqualTo(new[] { (pairs[0].P, PairState.Pair), (pairs[1].P, PairState.Psus) }), "the rows as the last answers left them");
        Assert.That(image.Pairs.Values.Last().SplitMode, Is.EqualTo(SplitMode.ReadWrite));
    }

    [Test]
    public void AfterACrashAWriteInFlightOnAPVolMarksItsRegionInEveryPairOfItsCascadeAndNowhereElse()
    {
        const long regionBlocks = 128L * WriteIntent.RegionTracks;
        const long blocks = 4 * regionBlocks;
        VolumeAddress[] at = [.. Enumerable.Range(1, 5).Select(lun => new VolumeAddress(new PortId(0x400104), new Lun((ushort)lun)))];
        DeterministicScheduler scheduler = new(31);
        using (StorageSubsystem subsystem = new(scheduler))
        using (PairStateKeeper keeper = PairStateKeeper.Open(_folder))
        {
            Ldev[] ldevs = [.. Enumerable.Range(1, 5).Select(id => subsystem.CreateLdev(new LdevId((ushort)id), blocks))];
            keeper.Store.Load();
            keeper.Checkpoint(subsystem.Pairs, cleanStop: false);
            keeper.Serve(subsystem.Pairs);
            keeper.KeepWriteIntents(subsystem, ldevs);
            Assert.That(subsystem.Pairs.Create(at[0], ldevs[0], at[1], ldevs[1]).Succeeded, Is.True);
            Assert.That(subsystem.Pairs.Create(at[3], ldevs[3], at[4], ldevs[4]).Succeeded, Is.True);
            scheduler.RunUntilIdle();
            Assert.That(subsystem.Pairs.Create(at[1], ldevs[1], at[2], ldevs[2]).Succeeded, Is.True, "the cascade LDEV 1 -> 2 -> 3");
            scheduler.RunUntilIdle();
            subsystem.Pairs.CommitState();

            // One host write into region 1 of LDEV 1, answered; the crash comes before any sweep.
            Acks acks = new();
            Assert.That(subsystem.TrySubmit(new BlockCommand(BlockCommandKind.Write, ldevs[0], regionBlocks + 8, new ArraySegment<byte>(new byte[4096]), acks, 1)), Is.True);
            while (scheduler.ReadyCount > 0)
            {
                scheduler.RunOne();
            }

            Assert.That(acks.Good, Is.EqualTo(1));
        }

        using StorageSubsystem restarted = new(new DeterministicScheduler(32));
        Ldev[] again = [.. Enumerable.Range(1, 5).Select(id => restarted.CreateLdev(new LdevId((ushort)id), blocks))];
        using PairStateKeeper reopened = PairStateKeeper.Open(_folder);
        ControllerStateImage image = reopened.Store.Load();
        List<string> notes = [];
        Dictionary<LdevId, ulong[]?> intents = WriteIntentLog.ReadAll(_folder, again, notes);
        Assert.That(intents[new LdevId(1)], Is.EqualTo(new ulong[] { 0b10 }), "only the P-VOL the write entered kept the region");
        Assert.That(reopened.RestoreInto(image, restarted.Pairs, restarted.FindLdev, notes, intents), Is.Empty);
        long[] region1 = [.. Enumerable.Range(WriteIntent.RegionTracks, WriteIntent.RegionTracks).Select(t => (long)t)];
        foreach ((VolumeAddress p, VolumeAddress s) in new[] { (at[0], at[1]), (at[1], at[2]) })
        {
            MirrorPair pair = restarted.Pairs.Find(p, s)!;
            Assert.That(pair.State, Is.EqualTo(PairState.Psue), p + " -> " + s + ": the write may have stopped anywhere down the cascade");
            Assert.That(Marked(pair.PVolBitmap), Is.EqualTo(region1), p + " -> " + s + ": region 1 marked");
        }

        MirrorPair apart = restarted.Pairs.Find(at[3], at[4])!;
        Assert.That(apart.State, Is.EqualTo(PairState.Pair), "a pair of other volumes had nothing in flight");
    }

    private static long[] Marked(Controller.Firmware.Bitmaps.DifferentialBitmap bitmap)
    {
        List<long> tracks = [];
        foreach (long track in bitmap.EnumerateSet())
        {
            tracks.Add(track);
        }

        return [.. tracks];
    }

    private sealed class Acks : IBlockCommandCompletion
    {
        public int Good { get; private set; }

        public void Complete(in BlockCommand command, MediaStatus status)
        {
            Good += status == MediaStatus.Good ? 1 : 0;
        }
    }

    private static (VolumeAddress, Ldev, VolumeAddress, Ldev) Volumes(StorageSubsystem subsystem, int i)
    {
        Ldev p = subsystem.CreateLdev(new LdevId((ushort)((2 * i) + 1)), 2048);
        Ldev s = subsystem.CreateLdev(new LdevId((ushort)((2 * i) + 2)), 2048);
        return (new VolumeAddress(new PortId(0x400104), new Lun((ushort)((2 * i) + 1))), p, new VolumeAddress(new PortId(0x400104), new Lun((ushort)((2 * i) + 2))), s);
    }
}
