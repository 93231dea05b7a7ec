// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Pairs;

namespace Controller.Firmware.Tests.RemoteCopy;

/// <summary>
/// One ATOMIC SPLIT by name issued to SS1 whose members are LV1 -> LV3 (SS1) and LV2 -> LV4 (SS2, a cascade of the
/// production mirror), under a dependent write chain, for both mechanisms and many seeds: every member split at one
/// point (G1), each image a prefix of the chain (G2), LV3 identical to LV4 (G3), all or nothing (G4), and production
/// never refused, its mirror LV1 -> LV2 in PAIR throughout (G5).
/// </summary>
[Category("R0-15")]
[Category("R0-29")]
public sealed class CrossSubsystemSplitTests
{
    public static IEnumerable<TestCaseData> Seeds()
    {
        foreach (AtomicSplitMechanism mechanism in new[] { AtomicSplitMechanism.Freeze, AtomicSplitMechanism.SequenceCut })
        {
            for (int seed = 1; seed <= 25; seed++)
            {
                yield return new TestCaseData(mechanism, seed).SetName(mechanism + ", seed " + seed);
            }
        }
    }

    [Test]
    public void TheNameResolvesOnBothSubsystems()
    {
        using AuxiliarySystemRig aux = new(seed: 1);
        PairAddress[] members = [AuxiliarySystemRig.Local, AuxiliarySystemRig.Cascade];
        Assert.That(aux.Rig.Ss1.Pairs.GetMirrorNames()[AuxiliarySystemRig.SetName], Is.EqualTo(members));
        Assert.That(aux.Rig.Ss2.Pairs.GetMirrorNames()[AuxiliarySystemRig.SetName], Is.EqualTo(members), "the peer knows the whole set, in order");
        Assert.That(aux.Rig.Ss2.Pairs.Find(AuxiliarySystemRig.Cascade.PVol, AuxiliarySystemRig.Cascade.SVol)!.MirrorName, Is.EqualTo(AuxiliarySystemRig.SetName));
    }

    [Category("R0-19")]
    [Category("R0-20")]
    [Category("R0-22")]
    [TestCaseSource(nameof(Seeds))]
    public void ASplitByNameAtSs1SplitsBothSubsystemsAtOnePoint(AtomicSplitMechanism mechanism, int seed)
    {
        using AuxiliarySystemRig aux = new((ulong)seed);
        aux.StartChain(400);
        Random random = new(seed);
        int before = random.Next(40, 400);
        for (int i = 0; i < before && aux.Rig.Scheduler.RunOne(); i++)
        {
        }

        AtomicSplit split = aux.Rig.Ss1.Pairs.StartAtomicSplit(AtomicSplitRequest.ByName(AuxiliarySystemRig.SetName, mechanism));
        aux.Rig.Scheduler.RunUntilIdle();

        Assert.That(split.Result!.Succeeded, Is.True, split.Result.Message);
        Assert.That(aux.Failed, Is.Zero, "G5: no production write was refused");
        Assert.That(aux.Answered, Is.EqualTo(400), "the chain ran to its end through the split");
        MirrorPair local = aux.Rig.Ss1.Pairs.Find(AuxiliarySystemRig.Local.PVol, AuxiliarySystemRig.Local.SVol)!;
        MirrorPair cascade = aux.Rig.Ss2.Pairs.Find(AuxiliarySystemRig.Cascade.PVol, AuxiliarySystemRig.Cascade.SVol)!;
        Assert.That(local.State, Is.EqualTo(PairState.Psus));
        Assert.That(cascade.State, Is.EqualTo(PairState.Psus), "G4: the member in SS2 is split too");
        Assert.That(cascade.SplitSource, Is.EqualTo(local.SplitSource), "R0-19: one split identity in both subsystems");
        Assert.That(cascade.SplitTime, Is.EqualTo(local.SplitTime), "R0-19: one split time");

        int prefix3 = aux.PrefixOf(aux.Lv3, out bool exact3);
        int prefix4 = aux.PrefixOf(aux.Lv4, out bool exact4);
        Assert.That(exact3 && exact4, Is.True, "G2: each image is a prefix of the dependent chain");
        Assert.That(prefix4, Is.EqualTo(prefix3), "G1/G3: both images are cut at the same write");
        Assert.That(TwoSubsystemRig.Checksum(aux.Lv4), Is.EqualTo(TwoSubsystemRig.Checksum(aux.Lv3)), "G3: LV3 and LV4 are identical");
        Assert.That(aux.Rig.Primary(1, 2).State, Is.EqualTo(PairState.Pair), "G5 / R0-22: the production mirror stayed in PAIR");
        Assert.That(TwoSubsystemRig.Checksum(aux.Lv2), Is.EqualTo(TwoSubsystemRig.Checksum(aux.Lv1)), "LV2 got every production write");
        Assert.That(aux.PrefixOf(aux.Lv1, out _), Is.EqualTo(400));
    }

    [Category("R0-24")]
    [TestCaseSource(nameof(Seeds))]
    public void ALinkFailureDuringTheSplitLeavesEveryMemberAsItWas(AtomicSplitMechanism mechanism, int seed)
    {
        using AuxiliarySystemRig aux = new((ulong)(100 + seed));
        aux.StartChain(200);
        for (int i = 0; i < 50 && aux.Rig.Scheduler.RunOne(); i++)
        {
        }

        AtomicSplit split = aux.Rig.Ss1.Pairs.StartAtomicSplit(AtomicSplitRequest.ByName(AuxiliarySystemRig.SetName, mechanism));

        // The link fails at a seeded step of the split, before the coordinator has heard that the peer split.
        int steps = new Random(seed).Next(0, 12);
        for (int i = 0; i < steps && !split.IsCompleted && aux.Rig.Scheduler.RunOne(); i++)
        {
        }

        if (split.IsCompleted)
        {
            Assert.Pass("the split finished within " + steps + " steps: no mid-split fault at this seed");
        }

        aux.Rig.Path.Down();
        aux.Rig.Scheduler.RunUntilIdle();

        // The link comes back: the outcome reaches the peer (an abort undoes its tentative split).
        aux.Rig.Path.Up();
        aux.Rig.Scheduler.RunUntilIdle();
        MirrorPair local = aux.Rig.Ss1.Pairs.Find(AuxiliarySystemRig.Local.PVol, AuxiliarySystemRig.Local.SVol)!;
        MirrorPair cascade = aux.Rig.Ss2.Pairs.Find(AuxiliarySystemRig.Cascade.PVol, AuxiliarySystemRig.Cascade.SVol)!;
        if (split.Result!.Succeeded)
        {
            // The coordinator had heard the peer split before the link failed: the split stands, everywhere.
            Assert.That(local.State, Is.EqualTo(PairState.Psus), "seed " + seed);
            Assert.That(cascade.State, Is.EqualTo(PairState.Psus), "seed " + seed + ": the peer kept its split and was confirmed");
            Assert.That(TwoSubsystemRig.Checksum(aux.Lv4), Is.EqualTo(TwoSubsystemRig.Checksum(aux.Lv3)));
            return;
        }

        Assert.That(split.Result.Error, Is.EqualTo(PairErrorCode.LinkDown), split.Result.Message);
        Assert.That(local.State, Is.EqualTo(PairState.Pair), "seed " + seed + ": LV1 -> LV3 as it was");
        Assert.That(cascade.State, Is.EqualTo(PairState.Pair), "seed " + seed + ": LV2 -> LV4 as it was");
        Assert.That(TwoSubsystemRig.Checksum(aux.Lv3), Is.EqualTo(TwoSubsystemRig.Checksum(aux.Lv1)), "LV3 still mirrors LV1");
        Assert.That(TwoSubsystemRig.Checksum(aux.Lv4), Is.EqualTo(TwoSubsystemRig.Checksum(aux.Lv2)), "LV4 still mirrors LV2");

        // A retry after resyncing the production mirror succeeds (R0-27).
        Assert.That(aux.Rig.Command(aux.Rig.Ss1, 1, 2, PairOperation.Resync).Succeeded, Is.True);
        aux.Rig.Scheduler.RunUntilIdle();
        AtomicSplit retry = aux.Rig.Ss1.Pairs.StartAtomicSplit(AtomicSplitRequest.ByName(AuxiliarySystemRig.SetName, mechanism));
        aux.Rig.Scheduler.RunUntilIdle();
        Assert.That(retry.Result!.Succeeded, Is.True, retry.Result.Message);
        Assert.That(TwoSubsystemRig.Checksum(aux.Lv4), Is.EqualTo(TwoSubsystemRig.Checksum(aux.Lv3)));
    }

    [Test]
    [Category("R0-16")]
    public void APeerMemberNotInPairRefusesTheWholeSplit([Values] AtomicSplitMechanism mechanism)
    {
        using AuxiliarySystemRig aux = new(seed: 7);
        PairCommandResponse split = aux.Rig.Ss2.Pairs.Execute(AuxiliarySystemRig.Cascade.PVol, AuxiliarySystemRig.Cascade.SVol, PairOperation.Split);
        Assert.That(split.Succeeded, Is.True);
        AtomicSplit atomic = aux.Rig.Ss1.Pairs.StartAtomicSplit(AtomicSplitRequest.ByName(AuxiliarySystemRig.SetName, mechanism));
        aux.Rig.Scheduler.RunUntilIdle();
        Assert.That(atomic.Result!.Succeeded, Is.False);
        Assert.That(atomic.Result.Error, Is.EqualTo(PairErrorCode.PairSuspended), atomic.Result.Message);
        Assert.That(aux.Rig.Ss1.Pairs.Find(AuxiliarySystemRig.Local.PVol, AuxiliarySystemRig.Local.SVol)!.State, Is.EqualTo(PairState.Pair), "the member here is untouched");
    }
}
