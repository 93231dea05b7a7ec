// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Addressing;
using Controller.Firmware.Pairs;
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

    private static (VolumeAddress, Ldev, VolumeAddress, Ldev) Volumes(StorageSubsystem subsystem, int i)
    {
        Ldev p = subsystem.CreateLdev(new LdevId((ushort)((2 * i) + 1)), 2048);
        Ldev s = subsystem.CreateLdev(new LdevId((ushort)((2 * i) + 2)), 2048);
        return (new VolumeAddress(new PortId(0x400104), new Lun((ushort)((2 * i) + 1))), p, new VolumeAddress(new PortId(0x400104), new Lun((ushort)((2 * i) + 2))), s);
    }
}
