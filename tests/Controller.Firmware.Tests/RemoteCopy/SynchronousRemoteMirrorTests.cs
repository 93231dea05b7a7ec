// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Media;
using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.RemoteCopy;
using Controller.Firmware.Volumes;

namespace Controller.Firmware.Tests.RemoteCopy;

/// <summary>
/// Synchronous remote mirrors between two subsystems over the scheduled link: the initial copy, the acknowledgement
/// only after the S-VOL (and its cascade) have a write, the S-VOL's protection, split and resync of marked tracks,
/// and the pair state as both subsystems show it.
/// </summary>
public sealed class SynchronousRemoteMirrorTests
{
    private const long Blocks = 2048; // 16 tracks of 64 KiB

    [Test]
    [Category("R0-1")]
    [Category("R0-9")]
    public void CreateCopiesEveryTrackOverTheLinkThenBothSidesShowPair()
    {
        using TwoSubsystemRig rig = new(seed: 1);
        Ldev lv1 = rig.Volume1(1, Blocks);
        Ldev lv2 = rig.Volume2(2, Blocks);
        TwoSubsystemRig.Fill(lv1, 11);

        PairCommandResponse created = rig.CreateRemote(1, 2);
        Assert.That(created.Result, Is.EqualTo(CommandResult.Accepted), created.Message);
        Assert.That(created.State, Is.EqualTo(PairState.Copy));
        rig.Scheduler.RunUntilIdle();

        MirrorPair primary = rig.Primary(1, 2);
        MirrorPair secondary = rig.Secondary(1, 2)!;
        Assert.That(primary.State, Is.EqualTo(PairState.Pair), "the primary finished its initial copy");
        Assert.That(secondary.State, Is.EqualTo(PairState.Pair), "the secondary was told, over the link");
        Assert.That(primary.Type, Is.EqualTo(MirrorType.Remote));
        Assert.That(secondary.IsSecondary, Is.True);
        Assert.That(primary.TracksCopied, Is.EqualTo(16), "every track crossed the link");
        Assert.That(rig.Path.BlocksDelivered, Is.EqualTo(Blocks));
        Assert.That(TwoSubsystemRig.Checksum(lv2), Is.EqualTo(TwoSubsystemRig.Checksum(lv1)));
    }

    [Category("R0-6")]
    [Category("R0-10")]
    [TestCase(2UL)]
    [TestCase(12UL)]
    [TestCase(22UL)]
    [TestCase(32UL)]
    public void AWriteIsAcknowledgedOnlyOnceTheRemoteSVolAndItsCascadeHaveIt(ulong seed)
    {
        using TwoSubsystemRig rig = new(seed);
        Ldev lv1 = rig.Volume1(1, Blocks);
        Ldev lv2 = rig.Volume2(2, Blocks);
        Ldev lv4 = rig.Volume2(4, Blocks);
        rig.CreateRemote(1, 2);
        rig.Scheduler.RunUntilIdle();

        // The cascade of FIG 3: LV2 (the remote S-VOL) is the P-VOL of a local mirror in SS2.
        Assert.That(rig.Ss2.Pairs.Create(TwoSubsystemRig.At2(2), lv2, TwoSubsystemRig.At2(4), lv4).Succeeded, Is.True);
        rig.Scheduler.RunUntilIdle();

        // Forty writes in flight at once, in seeded order and lengths, each to its own 48-block slot (several share a
        // track): no write replaces another's blocks, so every one of them can be checked exactly at its answer.
        rig.WatchAtAck = [lv1, lv2, lv4];
        Random random = new((int)seed);
        int[] slots = [.. Enumerable.Range(0, 40)];
        random.Shuffle(slots);
        foreach (int slot in slots)
        {
            int blocks = random.Next(1, 17);
            rig.SubmitWrite(lv1, (slot * 48) + random.Next(0, 48 - blocks + 1), TwoSubsystemRig.Pattern((seed * 100) + (ulong)slot, blocks));
        }

        rig.Scheduler.RunUntilIdle();
        Assert.That(rig.Writes.Count(), Is.EqualTo(40));
        foreach (TwoSubsystemRig.HostWrite write in rig.Writes)
        {
            string which = "seed " + seed + ", the write of " + (write.Data.Length / 512) + " blocks at LBA " + write.Lba;
            Assert.That(write.IsComplete, Is.True, which + " was answered");
            Assert.That(write.Status, Is.EqualTo(MediaStatus.Good), which);
            Assert.That(write.SeenAtAck[0], Is.EqualTo(write.Data), which + ": LV1 (the P-VOL) held it when it was answered");
            Assert.That(write.SeenAtAck[1], Is.EqualTo(write.Data), which + ": LV2 in SS2 held it when it was answered");
            Assert.That(write.SeenAtAck[2], Is.EqualTo(write.Data), which + ": LV4 (LV2's cascade) held it when it was answered");
        }

        Assert.That(TwoSubsystemRig.Checksum(lv2), Is.EqualTo(TwoSubsystemRig.Checksum(lv1)));
        Assert.That(TwoSubsystemRig.Checksum(lv4), Is.EqualTo(TwoSubsystemRig.Checksum(lv1)));
    }

    [Test]
    [Category("R0-7")]
    public void TheRemoteSVolRefusesHostWritesUntilASplitMakesItReadWrite()
    {
        using TwoSubsystemRig rig = new(seed: 3);
        rig.Volume1(1, Blocks);
        Ldev lv2 = rig.Volume2(2, Blocks);
        rig.CreateRemote(1, 2);
        rig.Scheduler.RunUntilIdle();

        Assert.That(rig.Write(lv2, 0, TwoSubsystemRig.Pattern(1, 8)), Is.EqualTo(MediaStatus.WriteProtected), "PAIR");
        PairCommandResponse split = rig.Command(rig.Ss1, 1, 2, PairOperation.Split, SplitMode.ReadWrite);
        Assert.That(split.Result, Is.EqualTo(CommandResult.Accepted), split.Message);
        rig.Scheduler.RunUntilIdle();
        Assert.That(rig.Secondary(1, 2)!.State, Is.EqualTo(PairState.Psus), "the secondary shows the split (SSUS)");
        Assert.That(rig.Write(lv2, 0, TwoSubsystemRig.Pattern(1, 8)), Is.EqualTo(MediaStatus.Good), "PSUS read/write");
    }

    [Test]
    [Category("R0-8")]
    [Category("R0-34")]
    public void AResyncCopiesOnlyTheTracksMarkedOnEitherSide()
    {
        using TwoSubsystemRig rig = new(seed: 4);
        Ldev lv1 = rig.Volume1(1, Blocks);
        Ldev lv2 = rig.Volume2(2, Blocks);
        rig.CreateRemote(1, 2);
        rig.Scheduler.RunUntilIdle();
        rig.Command(rig.Ss1, 1, 2, PairOperation.Split, SplitMode.ReadWrite);
        rig.Scheduler.RunUntilIdle();
        long deliveredBefore = rig.Path.BlocksDelivered;

        // Tracks 1 and 3 on the P-VOL, 3 and 9 on the S-VOL: the union is three tracks.
        rig.Write(lv1, 1 * 128, TwoSubsystemRig.Pattern(5, 8));
        rig.Write(lv1, 3 * 128 + 16, TwoSubsystemRig.Pattern(6, 8));
        rig.Write(lv2, 3 * 128, TwoSubsystemRig.Pattern(7, 8));
        rig.Write(lv2, 9 * 128, TwoSubsystemRig.Pattern(8, 8));
        Assert.That(rig.Path.BlocksDelivered, Is.EqualTo(deliveredBefore), "nothing crosses the link while split");

        PairCommandResponse resync = rig.Command(rig.Ss1, 1, 2, PairOperation.Resync);
        Assert.That(resync.Result, Is.EqualTo(CommandResult.Accepted), resync.Message);
        rig.Scheduler.RunUntilIdle();
        MirrorPair primary = rig.Primary(1, 2);
        Assert.That(primary.State, Is.EqualTo(PairState.Pair));
        Assert.That(rig.Secondary(1, 2)!.State, Is.EqualTo(PairState.Pair));
        Assert.That(primary.CopyTotalTracks, Is.EqualTo(3), "the union of both sides' marks");
        Assert.That(rig.Path.BlocksDelivered - deliveredBefore, Is.EqualTo(3 * 128), "three tracks of blocks crossed the link");
        Assert.That(TwoSubsystemRig.Checksum(lv2), Is.EqualTo(TwoSubsystemRig.Checksum(lv1)));
    }

    [Test]
    [Category("R0-4")]
    [Category("R0-35")]
    public void BothSubsystemsShowThePairAndLogEveryAgreedChange()
    {
        using TwoSubsystemRig rig = new(seed: 5);
        rig.Volume1(1, Blocks);
        rig.Volume2(2, Blocks);
        rig.CreateRemote(1, 2, FenceLevel.Data);
        rig.Scheduler.RunUntilIdle();
        rig.Command(rig.Ss1, 1, 2, PairOperation.Split);
        rig.Scheduler.RunUntilIdle();
        rig.Command(rig.Ss1, 1, 2, PairOperation.Resync);
        rig.Scheduler.RunUntilIdle();
        rig.Command(rig.Ss1, 1, 2, PairOperation.Delete);
        rig.Scheduler.RunUntilIdle();

        string[] expected = ["SMPL->COPY", "COPY->PAIR", "PAIR->PSUS", "PSUS->COPY(RS)", "COPY(RS)->PAIR", "PAIR->SMPL"];
        Assert.That(Transitions(rig.Ss1.Pairs), Is.EqualTo(expected), "the primary");
        Assert.That(Transitions(rig.Ss2.Pairs), Is.EqualTo(expected), "the secondary followed every change");
        Assert.That(rig.Ss1.Pairs.GetPairs(), Is.Empty);
        Assert.That(rig.Ss2.Pairs.GetPairs(), Is.Empty, "the delete reached the secondary: the S-VOL is simplex");
    }

    [Test]
    public void CommandsThatChangeThePairAreRefusedAtTheSecondary()
    {
        using TwoSubsystemRig rig = new(seed: 6);
        rig.Volume1(1, Blocks);
        rig.Volume2(2, Blocks);
        rig.CreateRemote(1, 2);
        rig.Scheduler.RunUntilIdle();
        foreach (PairOperation operation in new[] { PairOperation.Split, PairOperation.Resync, PairOperation.Delete, PairOperation.SuspendByError })
        {
            PairCommandResponse answer = rig.Command(rig.Ss2, 1, 2, operation);
            Assert.That(answer.Result, Is.EqualTo(CommandResult.Rejected), operation.ToString());
            Assert.That(answer.Error, Is.EqualTo(PairErrorCode.NotPrimary), operation.ToString());
        }

        Assert.That(rig.Secondary(1, 2)!.State, Is.EqualTo(PairState.Pair));
    }

    [Test]
    public void ACreateTheSecondaryCannotTakeIsRefusedWithItsReason()
    {
        using TwoSubsystemRig rig = new(seed: 7);
        rig.Volume1(1, Blocks);
        rig.Volume2(2, Blocks / 2);
        Assert.That(rig.CreateRemote(1, 2).Error, Is.EqualTo(PairErrorCode.CapacityMismatch));
        Assert.That(rig.CreateRemote(1, 9).Error, Is.EqualTo(PairErrorCode.RemoteVolumeNotMapped), "no LDEV at that LUN of SS2");
        Task<PairCommandResponse> elsewhere = rig.Ss1.Pairs.CreateRemoteAsync(TwoSubsystemRig.At1(1), rig.Ss1.FindLdev(new(1))!, new(new(0x500000), new(1)), FenceLevel.Never);
        Assert.That(rig.Await(elsewhere).Error, Is.EqualTo(PairErrorCode.NoRemotePath), "a port no path reaches");
        Assert.That(rig.Ss1.Pairs.GetPairs(), Is.Empty);
        Assert.That(rig.Ss2.Pairs.GetPairs(), Is.Empty);
    }

    private static string[] Transitions(CopyManagementTable table)
    {
        return [.. table.GetEvents().Where(e => e.Result == CommandResult.Accepted && e.From != e.To).Select(e => PairStateNames.Of(e.From) + "->" + PairStateNames.Of(e.To))];
    }
}
