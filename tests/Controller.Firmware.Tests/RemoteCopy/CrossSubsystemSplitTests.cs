// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;

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
        // The scheduler replays a seed exactly, so a run without the fault measures the split's length in steps and
        // the fault is placed at a seeded step inside it: never after the split has answered.
        int length = SplitSteps(mechanism, seed);
        int faultAt = new Random(seed).Next(0, length);
        Assert.That(LinkFailureAt(mechanism, seed, faultAt), Is.AnyOf(SplitOutcome.Committed, SplitOutcome.Aborted));
    }

    // A freeze answers only once its held writes are released, steps after it committed: a fault in those steps finds
    // it committed. A sequence cut holds nothing and answers in the step that brings the peer's answer, so every
    // fault inside it comes before that and aborts it (as measured: 13 steps at seed 3, all aborted).
    [Category("R0-24")]
    [TestCase(AtomicSplitMechanism.Freeze, true)]
    [TestCase(AtomicSplitMechanism.SequenceCut, false)]
    public void EveryStepOfTheSplitIsAFaultPoint(AtomicSplitMechanism mechanism, bool someFaultsFindItCommitted)
    {
        // Every step of one seed's split, from its first to its last before the answer, each checked as it falls.
        const int Seed = 3;
        int length = SplitSteps(mechanism, Seed);
        Dictionary<SplitOutcome, int> outcomes = [];
        for (int faultAt = 0; faultAt < length; faultAt++)
        {
            SplitOutcome outcome = LinkFailureAt(mechanism, Seed, faultAt);
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        SplitOutcome[] expected = someFaultsFindItCommitted ? [SplitOutcome.Aborted, SplitOutcome.Committed] : [SplitOutcome.Aborted];
        Assert.That(outcomes.Keys, Is.EquivalentTo(expected), "faults over " + length + " steps: " + string.Join(", ", outcomes));
    }

    // The scheduler steps the split takes, without a fault, from its command to its answer.
    private static int SplitSteps(AtomicSplitMechanism mechanism, int seed)
    {
        using AuxiliarySystemRig aux = StartSplitRig(seed);
        AtomicSplit split = aux.Rig.Ss1.Pairs.StartAtomicSplit(AtomicSplitRequest.ByName(AuxiliarySystemRig.SetName, mechanism));
        int steps = 0;
        while (!split.IsCompleted)
        {
            Assert.That(aux.Rig.Scheduler.RunOne(), Is.True, "seed " + seed + ": the split answers without the clock");
            steps++;
        }

        Assert.That(split.Result!.Succeeded, Is.True, split.Result.Message);
        Assert.That(steps, Is.GreaterThan(1), "seed " + seed + ": the split spans steps a fault can fall between");
        return steps;
    }

    // The same rig and split as SplitSteps, the link failing after `faultAt` steps, before the split has answered.
    private static SplitOutcome LinkFailureAt(AtomicSplitMechanism mechanism, int seed, int faultAt)
    {
        string where = mechanism + ", seed " + seed + ", link down after step " + faultAt;
        using AuxiliarySystemRig aux = StartSplitRig(seed);
        AtomicSplit split = aux.Rig.Ss1.Pairs.StartAtomicSplit(AtomicSplitRequest.ByName(AuxiliarySystemRig.SetName, mechanism));
        for (int i = 0; i < faultAt; i++)
        {
            Assert.That(aux.Rig.Scheduler.RunOne(), Is.True, where);
        }

        Assert.That(split.IsCompleted, Is.False, where + ": the fault lands inside the split");
        aux.Rig.Path.Down();
        aux.Rig.Scheduler.RunUntilIdle();

        // The link comes back: the outcome reaches the peer (an abort undoes its tentative split).
        aux.Rig.Path.Up();
        aux.Rig.Scheduler.RunUntilIdle();
        Assert.That(split.IsCompleted, Is.True, where + ": the split answered");
        MirrorPair local = aux.Rig.Ss1.Pairs.Find(AuxiliarySystemRig.Local.PVol, AuxiliarySystemRig.Local.SVol)!;
        MirrorPair cascade = aux.Rig.Ss2.Pairs.Find(AuxiliarySystemRig.Cascade.PVol, AuxiliarySystemRig.Cascade.SVol)!;
        if (split.Result!.Succeeded)
        {
            // The coordinator had heard the peer split before the link failed: the split stands, everywhere.
            Assert.That(local.State, Is.EqualTo(PairState.Psus), where);
            Assert.That(cascade.State, Is.EqualTo(PairState.Psus), where + ": the peer kept its split and was confirmed");
            Assert.That(cascade.SplitSource, Is.EqualTo(local.SplitSource), where + ": one split identity");
            Assert.That(TwoSubsystemRig.Checksum(aux.Lv4), Is.EqualTo(TwoSubsystemRig.Checksum(aux.Lv3)), where);
            return SplitOutcome.Committed;
        }

        Assert.That(split.Result.Error, Is.EqualTo(PairErrorCode.LinkDown), where + ": " + split.Result.Message);
        Assert.That(local.State, Is.EqualTo(PairState.Pair), where + ": LV1 -> LV3 as it was");
        Assert.That(cascade.State, Is.EqualTo(PairState.Pair), where + ": LV2 -> LV4 as it was");
        Assert.That(TwoSubsystemRig.Checksum(aux.Lv3), Is.EqualTo(TwoSubsystemRig.Checksum(aux.Lv1)), where + ": LV3 still mirrors LV1");
        Assert.That(TwoSubsystemRig.Checksum(aux.Lv4), Is.EqualTo(TwoSubsystemRig.Checksum(aux.Lv2)), where + ": LV4 still mirrors LV2");

        // A retry after resyncing the production mirror succeeds (R0-27).
        Assert.That(aux.Rig.Command(aux.Rig.Ss1, 1, 2, PairOperation.Resync).Succeeded, Is.True, where);
        aux.Rig.Scheduler.RunUntilIdle();
        AtomicSplit retry = aux.Rig.Ss1.Pairs.StartAtomicSplit(AtomicSplitRequest.ByName(AuxiliarySystemRig.SetName, mechanism));
        aux.Rig.Scheduler.RunUntilIdle();
        Assert.That(retry.Result!.Succeeded, Is.True, where + ": " + retry.Result.Message);
        Assert.That(TwoSubsystemRig.Checksum(aux.Lv4), Is.EqualTo(TwoSubsystemRig.Checksum(aux.Lv3)), where);
        return SplitOutcome.Aborted;
    }

    // The rig a fault run and its measuring twin share: a chain of 200 writes, 50 steps of it run.
    private static AuxiliarySystemRig StartSplitRig(int seed)
    {
        AuxiliarySystemRig aux = new((ulong)(100 + seed));
        aux.StartChain(200);
        for (int i = 0; i < 50 && aux.Rig.Scheduler.RunOne(); i++)
        {
        }

        return aux;
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

    // How a split with a link failure inside it ended.
    private enum SplitOutcome
    {
        Aborted,
        Committed,
    }
}
