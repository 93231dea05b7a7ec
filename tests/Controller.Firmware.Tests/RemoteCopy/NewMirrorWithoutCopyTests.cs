// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Media;
using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.RemoteCopy;

namespace Controller.Firmware.Tests.RemoteCopy;

/// <summary>
/// Seed 000 FIG 12: after the atomic split of LV1 -> LV3 and LV2 -> LV4, the new remote mirror LV3 -> LV4 needs no
/// initial copy; a volume written since the split has only its changed tracks copied; volumes from different splits
/// are refused; and the new mirror carries the auxiliary host's writes while production never reaches it.
/// </summary>
public sealed class NewMirrorWithoutCopyTests
{
    [Test]
    [Category("R0-30")]
    public void TwoVolumesOfOneSplitBecomeAPairWithNothingCopied([Values] AtomicSplitMechanism mechanism)
    {
        using AuxiliarySystemRig aux = Split(seed: 31, mechanism, SplitMode.ReadOnly);
        Assert.That(TwoSubsystemRig.Checksum(aux.Lv4), Is.EqualTo(TwoSubsystemRig.Checksum(aux.Lv3)), "LV3 == LV4 before the create");
        long before = aux.Rig.Path.BlocksDelivered;

        PairCommandResponse created = aux.Rig.Await(aux.Rig.Ss1.Pairs.CreateRemoteAsync(TwoSubsystemRig.At1(3), aux.Lv3, TwoSubsystemRig.At2(4), FenceLevel.Never, noCopy: true));
        Assert.That(created.Result, Is.EqualTo(CommandResult.Accepted), created.Message);
        aux.Rig.Scheduler.RunUntilIdle();

        MirrorPair newMirror = aux.Rig.Primary(3, 4);
        Assert.That(newMirror.State, Is.EqualTo(PairState.Pair));
        Assert.That(aux.Rig.Secondary(3, 4)!.State, Is.EqualTo(PairState.Pair));
        Assert.That(newMirror.CopyTotalTracks, Is.Zero, "no track to copy");
        Assert.That(aux.Rig.Path.BlocksDelivered - before, Is.Zero, "no block crossed the link for the auxiliary system");
    }

    [Test]
    [Category("R0-31")]
    public void AVolumeWrittenSinceTheSplitHasOnlyItsChangedTracksCopied()
    {
        using AuxiliarySystemRig aux = Split(seed: 32, AtomicSplitMechanism.Freeze, SplitMode.ReadWrite);
        Assert.That(aux.Rig.Write(aux.Lv4, 5 * 128, TwoSubsystemRig.Pattern(9, 8)), Is.EqualTo(MediaStatus.Good), "LV4 written after the split");
        Assert.That(aux.Rig.Write(aux.Lv3, 2 * 128, TwoSubsystemRig.Pattern(8, 8)), Is.EqualTo(MediaStatus.Good), "LV3 too");
        Assert.That(TwoSubsystemRig.Checksum(aux.Lv4), Is.Not.EqualTo(TwoSubsystemRig.Checksum(aux.Lv3)));

        Task<PairCommandResponse> create = aux.Rig.Ss1.Pairs.CreateRemoteAsync(TwoSubsystemRig.At1(3), aux.Lv3, TwoSubsystemRig.At2(4), FenceLevel.Never, noCopy: true);
        PairCommandResponse created = aux.Rig.Await(create);
        Assert.That(created.State, Is.EqualTo(PairState.Copy), "never PAIR while the volumes differ: " + created.Message);
        aux.Rig.Scheduler.RunUntilIdle();
        MirrorPair newMirror = aux.Rig.Primary(3, 4);
        Assert.That(newMirror.State, Is.EqualTo(PairState.Pair));
        Assert.That(newMirror.CopyTotalTracks, Is.EqualTo(2), "the two tracks written since the split, no more");
        Assert.That(TwoSubsystemRig.Checksum(aux.Lv4), Is.EqualTo(TwoSubsystemRig.Checksum(aux.Lv3)));
    }

    [Test]
    [Category("R0-31")]
    public void VolumesNotFromOneAtomicSplitAreRefused()
    {
        using AuxiliarySystemRig aux = new(seed: 33);
        aux.Rig.Scheduler.RunUntilIdle();

        // Two plain splits, one in each subsystem: the images are of two moments.
        Assert.That(aux.Rig.Ss1.Pairs.Execute(AuxiliarySystemRig.Local.PVol, AuxiliarySystemRig.Local.SVol, PairOperation.Split).Succeeded, Is.True);
        aux.Rig.Write(aux.Lv1, 0, TwoSubsystemRig.Pattern(1, 8));
        Assert.That(aux.Rig.Ss2.Pairs.Execute(AuxiliarySystemRig.Cascade.PVol, AuxiliarySystemRig.Cascade.SVol, PairOperation.Split).Succeeded, Is.True);
        PairCommandResponse refused = aux.Rig.Await(aux.Rig.Ss1.Pairs.CreateRemoteAsync(TwoSubsystemRig.At1(3), aux.Lv3, TwoSubsystemRig.At2(4), FenceLevel.Never, noCopy: true));
        Assert.That(refused.Error, Is.EqualTo(PairErrorCode.NoCopyRefused), refused.Message);
        Assert.That(aux.Rig.Secondary(3, 4), Is.Null, "nothing was created on either side");
        Assert.That(aux.Rig.Ss1.Pairs.Find(TwoSubsystemRig.At1(3), TwoSubsystemRig.At2(4)), Is.Null);

        // A full copy is always possible.
        PairCommandResponse full = aux.Rig.CreateRemote(3, 4);
        Assert.That(full.Result, Is.EqualTo(CommandResult.Accepted), full.Message);
        aux.Rig.Scheduler.RunUntilIdle();
        Assert.That(TwoSubsystemRig.Checksum(aux.Lv4), Is.EqualTo(TwoSubsystemRig.Checksum(aux.Lv3)));
    }

    [Test]
    [Category("R0-32")]
    public void TheNewMirrorCarriesTheAuxiliaryHostsWritesAndProductionNeverReachesIt()
    {
        using AuxiliarySystemRig aux = Split(seed: 34, AtomicSplitMechanism.SequenceCut, SplitMode.ReadWrite);
        aux.Rig.Await(aux.Rig.Ss1.Pairs.CreateRemoteAsync(TwoSubsystemRig.At1(3), aux.Lv3, TwoSubsystemRig.At2(4), FenceLevel.Never, noCopy: true));
        aux.Rig.Scheduler.RunUntilIdle();
        string auxImage = TwoSubsystemRig.Checksum(aux.Lv3);

        // Production writes LV1: they reach LV2, never LV3 or LV4.
        for (int i = 0; i < 16; i++)
        {
            Assert.That(aux.Rig.Write(aux.Lv1, i * 64, TwoSubsystemRig.Pattern((ulong)(50 + i), 8)), Is.EqualTo(MediaStatus.Good));
        }

        Assert.That(TwoSubsystemRig.Checksum(aux.Lv2), Is.EqualTo(TwoSubsystemRig.Checksum(aux.Lv1)), "production reaches its DR copy");
        Assert.That(TwoSubsystemRig.Checksum(aux.Lv3), Is.EqualTo(auxImage), "and not the auxiliary system");
        Assert.That(TwoSubsystemRig.Checksum(aux.Lv4), Is.EqualTo(auxImage));

        // The auxiliary host writes LV3: each write is on LV4 when it is answered.
        aux.Rig.WatchAtAck = [aux.Lv4];
        byte[] data = TwoSubsystemRig.Pattern(77, 16);
        long tag = aux.Rig.SubmitWrite(aux.Lv3, 300, data);
        aux.Rig.Scheduler.RunUntilIdle();
        Assert.That(aux.Rig.Completed(tag).Status, Is.EqualTo(MediaStatus.Good));
        Assert.That(aux.Rig.Completed(tag).SeenAtAck[0], Is.EqualTo(data), "the aux write was on LV4 before its answer");
        Assert.That(TwoSubsystemRig.Checksum(aux.Lv4), Is.EqualTo(TwoSubsystemRig.Checksum(aux.Lv3)));
    }

    [Test]
    [Category("R0-34")]
    public void ARefreshAfterTestingCopiesOnlyWhatChangedAndASecondSplitIsConsistentAgain()
    {
        using AuxiliarySystemRig aux = Split(seed: 35, AtomicSplitMechanism.Freeze, SplitMode.ReadWrite);
        aux.Rig.Await(aux.Rig.Ss1.Pairs.CreateRemoteAsync(TwoSubsystemRig.At1(3), aux.Lv3, TwoSubsystemRig.At2(4), FenceLevel.Never, noCopy: true));
        aux.Rig.Scheduler.RunUntilIdle();

        // Testing: the auxiliary host writes two tracks of LV3 (they reach LV4 over the new mirror); production one of LV1.
        aux.Rig.Write(aux.Lv3, 3 * 128, TwoSubsystemRig.Pattern(61, 8));
        aux.Rig.Write(aux.Lv3, 6 * 128, TwoSubsystemRig.Pattern(62, 8));
        aux.Rig.Write(aux.Lv1, 4 * 128, TwoSubsystemRig.Pattern(63, 8));

        // Refresh: the test system's mirror goes, LV1 -> LV3 and LV2 -> LV4 are resynced.
        Assert.That(aux.Rig.Command(aux.Rig.Ss1, 3, 4, PairOperation.Delete).Succeeded, Is.True);
        aux.Rig.Scheduler.RunUntilIdle();
        Assert.That(aux.Rig.Ss1.Pairs.Execute(AuxiliarySystemRig.Local.PVol, AuxiliarySystemRig.Local.SVol, PairOperation.Resync).Succeeded, Is.True);
        Assert.That(aux.Rig.Ss2.Pairs.Execute(AuxiliarySystemRig.Cascade.PVol, AuxiliarySystemRig.Cascade.SVol, PairOperation.Resync).Succeeded, Is.True);
        aux.Rig.Scheduler.RunUntilIdle();
        MirrorPair local = aux.Rig.Ss1.Pairs.Find(AuxiliarySystemRig.Local.PVol, AuxiliarySystemRig.Local.SVol)!;
        MirrorPair cascade = aux.Rig.Ss2.Pairs.Find(AuxiliarySystemRig.Cascade.PVol, AuxiliarySystemRig.Cascade.SVol)!;
        Assert.That(local.State, Is.EqualTo(PairState.Pair));
        Assert.That(cascade.State, Is.EqualTo(PairState.Pair));
        // The chain's last writes after the split touched tracks 0-1 too: the resyncs copy what changed, not all 8 tracks.
        Assert.That(local.CopyTotalTracks, Is.InRange(3, 5), "the tracks the test and production wrote since the split");
        Assert.That(cascade.CopyTotalTracks, Is.InRange(3, 5), "the same on LV4: the test's writes reached it through the new mirror, and were marked");
        Assert.That(TwoSubsystemRig.Checksum(aux.Lv3), Is.EqualTo(TwoSubsystemRig.Checksum(aux.Lv1)));
        Assert.That(TwoSubsystemRig.Checksum(aux.Lv4), Is.EqualTo(TwoSubsystemRig.Checksum(aux.Lv2)));

        AtomicSplit again = aux.Rig.Ss1.Pairs.StartAtomicSplit(AtomicSplitRequest.ByName(AuxiliarySystemRig.SetName, AtomicSplitMechanism.SequenceCut));
        aux.Rig.Scheduler.RunUntilIdle();
        Assert.That(again.Result!.Succeeded, Is.True, again.Result.Message);
        Assert.That(TwoSubsystemRig.Checksum(aux.Lv4), Is.EqualTo(TwoSubsystemRig.Checksum(aux.Lv3)), "a new identical auxiliary image");
    }

    private static AuxiliarySystemRig Split(ulong seed, AtomicSplitMechanism mechanism, SplitMode mode)
    {
        AuxiliarySystemRig aux = new(seed);
        aux.StartChain(100);
        for (int i = 0; i < 60 && aux.Rig.Scheduler.RunOne(); i++)
        {
        }

        AtomicSplit split = aux.Rig.Ss1.Pairs.StartAtomicSplit(AtomicSplitRequest.ByName(AuxiliarySystemRig.SetName, mechanism, mode));
        aux.Rig.Scheduler.RunUntilIdle();
        Assert.That(split.Result!.Succeeded, Is.True, split.Result.Message);
        return aux;
    }
}
