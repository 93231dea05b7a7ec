// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Media;
using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.Scheduling;
using Controller.Firmware.Volumes;

namespace Controller.Firmware.Tests.Pairs.Splits;

/// <summary>
/// The pre-check (all or nothing), the abort paths (hold timeout, a member suspended between freeze and commit),
/// overlapping splits, and what a freeze holds and what it never holds.
/// </summary>
public sealed class AtomicSplitAbortTests
{
    private static readonly int[] Members = [0, 1, 2];

    private static IEnumerable<TestCaseData> Refusals()
    {
        yield return new TestCaseData("unknown name", PairErrorCode.UnknownMirrorName).SetName("AnUnknownNameIsRefused");
        yield return new TestCaseData("unknown pair", PairErrorCode.PairNotFound).SetName("AnUnknownPairIsRefused");
        yield return new TestCaseData("duplicate", PairErrorCode.DuplicatePair).SetName("ADuplicatePairIsRefused");
        yield return new TestCaseData("empty", PairErrorCode.EmptyPairList).SetName("AnEmptyListIsRefused");
        yield return new TestCaseData("member split", PairErrorCode.PairSuspended).SetName("AMemberNotInPairIsRefused");
    }

    [TestCaseSource(nameof(Refusals))]
    [Category("R0-14")]
    [Category("R0-16")]
    [Category("R0-23")]
    public void ThePreCheckRefusesAndNothingChanges(string what, PairErrorCode expected)
    {
        using SplitRig rig = new(new DeterministicScheduler(1), volumes: 4, chains: 2);
        rig.CreatePairs();
        rig.Settle();
        PairAddress[] members = [.. Members.Select(rig.PairOf)];
        if (what == "member split")
        {
            rig.Pairs.Execute(members[2].PVol, members[2].SVol, PairOperation.Split);
        }

        AtomicSplitRequest request = what switch
        {
            "unknown name" => AtomicSplitRequest.ByName("NOSUCH", AtomicSplitMechanism.Freeze),
            "unknown pair" => AtomicSplitRequest.ByList([members[0], new PairAddress(members[1].PVol, members[0].SVol)], AtomicSplitMechanism.Freeze),
            "duplicate" => AtomicSplitRequest.ByList([members[0], members[1], members[0]], AtomicSplitMechanism.Freeze),
            "empty" => AtomicSplitRequest.ByList([], AtomicSplitMechanism.Freeze),
            _ => AtomicSplitRequest.ByList(members, AtomicSplitMechanism.Freeze),
        };
        PairState[] before = [.. Members.Select(v => rig.Pair(v).State)];
        AtomicSplit split = rig.Pairs.StartAtomicSplit(request);
        Assert.Multiple(() =>
        {
            Assert.That(split.IsCompleted, Is.True, "a refusal is answered at once");
            Assert.That(split.Result!.Error, Is.EqualTo(expected), split.Result.Message);
            Assert.That(Members.Select(v => rig.Pair(v).State), Is.EqualTo(before), "no member changed state");
            Assert.That(Members.Select(v => rig.PVols[v].Hold), Is.All.Null, "no hold is left");
            Assert.That(Members.Select(v => rig.Pair(v).Cut), Is.All.Null, "no cut is left");
        });
        if (expected is PairErrorCode.PairNotFound or PairErrorCode.DuplicatePair or PairErrorCode.PairSuspended)
        {
            Assert.That(split.Result!.FailedPair, Is.Not.Null, "the error names the failing pair");
            Assert.That(split.Result.Message, Does.Contain(split.Result.FailedPair!.Value.ToString()), "and says why");
        }
    }

    [TestCaseSource(typeof(SplitMechanisms), nameof(SplitMechanisms.Both))]
    [Category("R0-24")]
    [Category("R0-25")]
    [Category("R0-27")]
    public void AHoldThatOutlastsItsTimeoutAbortsAndLeavesEveryMemberAsItWas(AtomicSplitMechanism mechanism)
    {
        for (ulong seed = 1; seed <= 40; seed++)
        {
            using SplitRig rig = UnderLoad(seed);

            // A drain that takes 10 s on the virtual clock against the default 5 s timeout.
            rig.Pairs.BeforeSplitCommit = _ => TimeSpan.FromSeconds(10);
            AtomicSplit split = rig.Pairs.StartAtomicSplit(AtomicSplitRequest.ByList([.. Members.Select(rig.PairOf)], mechanism));

            // Virtual time moves only when nothing is ready: after some writes under the split (marked by a cut,
            // held by a freeze) the load stops, and the clock reaches the timeout.
            long more = rig.Acks + 20;
            rig.RunUntil(() => rig.Acks >= more || split.IsCompleted || rig.Deterministic.ReadyCount == 0, "writes under the split");
            rig.Stop();
            rig.RunUntil(() => split.IsCompleted, "the split ends");
            AssertAbortedAsItWas(rig, split, PairErrorCode.SplitTimeout, "seed " + seed);
            Assert.That(split.Result!.Telemetry!.Latency, Is.EqualTo(TimeSpan.FromSeconds(5)).Within(TimeSpan.FromMilliseconds(50)), "seed " + seed + ": answered at the 5 s timeout (virtual clock)");

            // R0-27: nothing stale is left; the same command succeeds when retried.
            rig.Pairs.BeforeSplitCommit = null;
            AtomicSplit retry = rig.Pairs.StartAtomicSplit(AtomicSplitRequest.ByList([.. Members.Select(rig.PairOf)], mechanism));
            rig.RunUntil(() => retry.IsCompleted, "the retry ends");
            Assert.That(retry.Result!.Succeeded, Is.True, "seed " + seed + ": a retry succeeds: " + retry.Result.Message);
        }
    }

    [TestCaseSource(typeof(SplitMechanisms), nameof(SplitMechanisms.Both))]
    [Category("R0-24")]
    public void AMemberSuspendedBetweenFreezeAndCommitAbortsTheSplit(AtomicSplitMechanism mechanism)
    {
        for (ulong seed = 1; seed <= 40; seed++)
        {
            using SplitRig rig = UnderLoad(seed);
            PairAddress failing = rig.PairOf(1);
            rig.Pairs.BeforeSplitCommit = _ =>
            {
                // The fault: a forced PSUE of one member after the drain, before the commit.
                rig.Pairs.Execute(failing.PVol, failing.SVol, PairOperation.SuspendByError);
                return TimeSpan.Zero;
            };
            AtomicSplit split = rig.Pairs.StartAtomicSplit(AtomicSplitRequest.ByList([.. Members.Select(rig.PairOf)], mechanism));
            rig.RunUntil(() => split.IsCompleted, "the split ends");
            Assert.That(split.Result!.FailedPair, Is.EqualTo(failing), "seed " + seed + ": the error names the member: " + split.Result.Message);
            Assert.That(rig.Pair(1).State, Is.EqualTo(PairState.Psue), "the failed member is suspended by error, not split");
            AssertAbortedAsItWas(rig, split, PairErrorCode.MemberFailed, "seed " + seed, skip: 1);
        }
    }

    [TestCaseSource(typeof(SplitMechanisms), nameof(SplitMechanisms.Both))]
    [Category("R0-26")]
    public void AnOverlappingSplitIsRefusedBusyAndADisjointOneRunsBeside(AtomicSplitMechanism mechanism)
    {
        using SplitRig rig = new(new DeterministicScheduler(3), volumes: 4, chains: 4);
        rig.CreatePairs();
        rig.Settle();
        rig.Start();
        rig.RunUntil(() => rig.Acks >= 20, "load");
        AtomicSplit first = rig.Pairs.StartAtomicSplit(AtomicSplitRequest.ByList([rig.PairOf(0), rig.PairOf(1)], mechanism));
        AtomicSplit overlapping = rig.Pairs.StartAtomicSplit(AtomicSplitRequest.ByList([rig.PairOf(1), rig.PairOf(2)], mechanism));
        AtomicSplit disjoint = rig.Pairs.StartAtomicSplit(AtomicSplitRequest.ByList([rig.PairOf(2), rig.PairOf(3)], mechanism));
        Assert.That(overlapping.Result?.Error, Is.EqualTo(PairErrorCode.SplitInProgress), "the overlapping split is refused BUSY at once: " + overlapping.Result?.Message);
        Assert.That(overlapping.Result!.FailedPair, Is.EqualTo(rig.PairOf(1)), "naming the pair in the running split");
        rig.RunUntil(() => first.IsCompleted && disjoint.IsCompleted, "both splits end");
        rig.Stop();
        rig.Settle();
        Assert.Multiple(() =>
        {
            Assert.That(first.Result!.Succeeded, Is.True, first.Result.Message);
            Assert.That(disjoint.Result!.Succeeded, Is.True, disjoint.Result.Message);
            Assert.That(Enumerable.Range(0, 4).Select(v => rig.Pair(v).State), Is.All.EqualTo(PairState.Psus), "every pair is split by one of the two");
        });
    }

    [TestCaseSource(typeof(SplitMechanisms), nameof(SplitMechanisms.Both))]
    public void APlainCommandOnAMemberOfARunningSplitIsRefusedBusyAndTheSplitCompletes(AtomicSplitMechanism mechanism)
    {
        // Found by the power-cut run (seed 1,787): a plain split accepted during a sequence-cut split left the writes
        // between the cut's point and the plain split on neither side of the image.
        using SplitRig rig = new(new DeterministicScheduler(4), volumes: 2, chains: 2);
        rig.CreatePairs();
        rig.Settle();
        rig.Start();
        rig.RunUntil(() => rig.Acks >= 20, "load");
        AtomicSplit split = rig.Pairs.StartAtomicSplit(AtomicSplitRequest.ByList([rig.PairOf(0), rig.PairOf(1)], mechanism));
        Assert.That(split.IsCompleted, Is.False, "the split is still running");
        foreach (PairOperation operation in new[] { PairOperation.Split, PairOperation.Delete, PairOperation.Resync })
        {
            PairCommandResponse plain = rig.Pairs.Execute(rig.PairOf(1).PVol, rig.PairOf(1).SVol, operation);
            Assert.That(plain.Error, Is.EqualTo(PairErrorCode.SplitInProgress), operation + " on a member is BUSY while the split runs");
        }

        rig.RunUntil(() => split.IsCompleted, "the split ends");
        rig.Stop();
        rig.Settle();
        Assert.That(split.Result!.Succeeded, Is.True, split.Result.Message);
        Assert.That(rig.Pair(1).State, Is.EqualTo(PairState.Psus));
    }

    [Test]
    [Category("R0-17")]
    public void AFreezeHoldsMemberWritesButNeverWritesToOtherVolumesNorReads()
    {
        using SplitRig rig = new(new DeterministicScheduler(5), volumes: 4, chains: 1);
        rig.CreatePairs();
        rig.Settle();
        rig.Pairs.BeforeSplitCommit = _ => TimeSpan.FromSeconds(1);
        AtomicSplit split = rig.Pairs.StartAtomicSplit(AtomicSplitRequest.ByList([.. Members.Select(rig.PairOf)], AtomicSplitMechanism.Freeze));
        rig.RunUntil(() => rig.Pairs.GetSplitEvents().Any(e => e.Phase == AtomicSplitPhase.DrainDone), "the drain is done and the hold lasts");

        Probe memberWrite = new();
        Probe outsideWrite = new();
        Probe memberRead = new();
        byte[] data = new byte[4096];
        data[0] = 0xA5;
        Assert.That(rig.Subsystem.TrySubmit(new BlockCommand(BlockCommandKind.Write, rig.PVols[0], 0, data, memberWrite, 1)), Is.True);
        Assert.That(rig.Subsystem.TrySubmit(new BlockCommand(BlockCommandKind.Write, rig.PVols[3], 0, new byte[4096], outsideWrite, 2)), Is.True);
        Assert.That(rig.Subsystem.TrySubmit(new BlockCommand(BlockCommandKind.Read, rig.PVols[1], 0, new byte[4096], memberRead, 3)), Is.True);
        rig.RunUntil(() => outsideWrite.Done && memberRead.Done, "the outside write and the member read complete");
        Assert.Multiple(() =>
        {
            Assert.That(split.IsCompleted, Is.False, "while the split still holds");
            Assert.That(memberWrite.Done, Is.False, "the member write is held: neither failed nor acknowledged");
            Assert.That(rig.PVols[0].Hold!.HeldCount, Is.EqualTo(1), "parked on its P-VOL");
        });
        rig.RunUntil(() => split.IsCompleted && memberWrite.Done, "the split and the held write complete");
        Assert.Multiple(() =>
        {
            Assert.That(memberWrite.Status, Is.EqualTo(MediaStatus.Good), "the held write is acknowledged after the release");
            Assert.That(split.Result!.Telemetry!.HeldWrites, Is.EqualTo(1), "the telemetry counts it");
            Assert.That(rig.Pair(0).PVolBitmap.CountSet(), Is.EqualTo(1), "released after the commit, it only marked its track (R0-21)");
            Assert.That(SplitRig.Checksum(rig.SVols[0]), Is.Not.EqualTo(SplitRig.Checksum(rig.PVols[0])), "and never reached the split S-VOL");
        });
    }

    [TestCaseSource(typeof(SplitMechanisms), nameof(SplitMechanisms.Both))]
    public void TheTelemetryTimesTheCommitAndTheReleaseAsTheSplitLogDoes(AtomicSplitMechanism mechanism)
    {
        // A bench reads a split's stages from its telemetry, not from the shared split log: they must agree.
        using SplitRig rig = new(new DeterministicScheduler(7), volumes: 4, chains: 1);
        rig.CreatePairs();
        rig.Settle();
        rig.Pairs.BeforeSplitCommit = _ => TimeSpan.FromSeconds(1);
        AtomicSplit split = rig.Pairs.StartAtomicSplit(AtomicSplitRequest.ByList([.. Members.Select(rig.PairOf)], mechanism));
        rig.RunUntil(() => rig.Pairs.GetSplitEvents().Any(e => e.Phase == AtomicSplitPhase.DrainDone), "the drain is done");
        Probe memberWrite = new();
        Assert.That(rig.Subsystem.TrySubmit(new BlockCommand(BlockCommandKind.Write, rig.PVols[0], 0, new byte[4096], memberWrite, 1)), Is.True);
        rig.RunUntil(() => split.IsCompleted && memberWrite.Done, "the split and the member write complete");

        AtomicSplitEvent[] log = [.. rig.Pairs.GetSplitEvents().Where(e => e.SplitId == split.Result!.SplitId)];
        DateTimeOffset drained = log.Single(e => e.Phase == AtomicSplitPhase.DrainDone).Time;
        DateTimeOffset committed = log.Single(e => e.Phase == AtomicSplitPhase.Commit).Time;
        AtomicSplitTelemetry telemetry = split.Result!.Telemetry!;
        Assert.Multiple(() =>
        {
            Assert.That(telemetry.Commit, Is.EqualTo(committed - drained).Within(TimeSpan.FromMicroseconds(1)), "drain done -> commit, as logged");
            Assert.That(telemetry.Commit, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(1)), "the commit waited the second the fault hook asked for");
            if (mechanism == AtomicSplitMechanism.Freeze)
            {
                DateTimeOffset released = log.Single(e => e.Phase == AtomicSplitPhase.Release).Time;
                Assert.That(telemetry.HeldWrites, Is.EqualTo(1), "the member write was held");
                Assert.That(telemetry.Release, Is.EqualTo(released - committed).Within(TimeSpan.FromMicroseconds(1)), "commit -> release, as logged");
            }
            else
            {
                Assert.That(log.Any(e => e.Phase == AtomicSplitPhase.Release), Is.False, "a sequence cut releases nothing");
                Assert.That(telemetry.Release, Is.Null, "so it has no release time");
            }
        });
    }

    // Four mirrored volumes in PAIR, six chains running, 30 writes acknowledged.
    [TestCaseSource(typeof(SplitMechanisms), nameof(SplitMechanisms.Both))]
    [Category("R0-25")]
    public void AHoldTimeoutRightAfterTheStartLeavesTheLockEndsTheSplitOnce(AtomicSplitMechanism mechanism)
    {
        for (ulong seed = 1; seed <= 10; seed++)
        {
            using SplitRig rig = UnderLoad(seed);
            int answers = 0;

            // The window: the start has left the table's lock and not yet decided whether it was refused; the hold
            // timer (a short timeout, as a peer may send) fires there.
            rig.Pairs.AfterStartUnlocked = started => rig.Pairs.OnSplitTimeout(started);
            AtomicSplit split = rig.Pairs.StartAtomicSplit(AtomicSplitRequest.ByList([.. Members.Select(rig.PairOf)], mechanism), _ => answers++);
            rig.Pairs.AfterStartUnlocked = null;
            rig.RunUntil(() => split.IsCompleted, "the split ends");

            Assert.That(split.CompletionAttempts, Is.EqualTo(1), "seed " + seed + ": one owner ends the split (the timer), the start does not end it again");
            Assert.That(answers, Is.EqualTo(1), "seed " + seed + ": one answer to the host");
            AssertAbortedAsItWas(rig, split, PairErrorCode.SplitTimeout, "seed " + seed);
        }
    }

    [TestCaseSource(typeof(SplitMechanisms), nameof(SplitMechanisms.Both))]
    [Category("R0-25")]
    public void AHoldTimeoutAtEveryStepOfTheSplitEndsItExactlyOnceAndWhole(AtomicSplitMechanism mechanism)
    {
        HashSet<PairErrorCode> outcomes = [];
        for (int step = 0; ; step++)
        {
            // No load: each step is one of the split's own work items (holds or cut, drain, commit, release).
            using SplitRig rig = new(new DeterministicScheduler(7), volumes: 4, chains: 2);
            rig.CreatePairs();
            rig.Settle();
            int answers = 0;
            AtomicSplit split = rig.Pairs.StartAtomicSplit(AtomicSplitRequest.ByList([.. Members.Select(rig.PairOf)], mechanism), _ => answers++);
            for (int i = 0; i < step && !split.IsCompleted; i++)
            {
                rig.Deterministic.RunOne();
            }

            bool endedFirst = split.IsCompleted;
            rig.Pairs.OnSplitTimeout(split);
            rig.RunUntil(() => split.IsCompleted, "the split ends");
            rig.Stop();
            rig.Settle();

            Assert.That(split.CompletionAttempts, Is.EqualTo(1), "timeout after step " + step + ": ended exactly once");
            Assert.That(answers, Is.EqualTo(1), "timeout after step " + step + ": one answer");
            PairState[] states = [.. Members.Select(v => rig.Pair(v).State)];
            Assert.That(states.Distinct().Count(), Is.EqualTo(1), "timeout after step " + step + ": whole (" + string.Join(", ", states) + ")");
            Assert.That(states[0], Is.EqualTo(split.Result!.Succeeded ? PairState.Psus : PairState.Pair), "timeout after step " + step + ": the states match the answer " + split.Result.Error);
            Assert.That(Members.Select(v => rig.PVols[v].Hold), Is.All.Null, "timeout after step " + step + ": no hold is left");
            Assert.That(rig.Failure, Is.Null, "timeout after step " + step + ": every host write answered Good");
            outcomes.Add(split.Result.Error);
            if (endedFirst)
            {
                break;
            }
        }

        Assert.That(outcomes, Is.EquivalentTo(new[] { PairErrorCode.SplitTimeout, PairErrorCode.None }), "early steps abort at the timeout, the last ones commit first");
    }

    private static SplitRig UnderLoad(ulong seed)
    {
        SplitRig rig = new(new DeterministicScheduler(seed), volumes: 4, chains: 6);
        rig.CreatePairs();
        rig.Settle();
        rig.Start();
        rig.RunUntil(() => rig.Acks >= 30, "load");
        return rig;
    }

    private static void AssertAbortedAsItWas(SplitRig rig, AtomicSplit split, PairErrorCode error, string where, int skip = -1)
    {
        Assert.That(split.Result!.Error, Is.EqualTo(error), where + ": " + split.Result.Message);
        rig.Stop();
        rig.Settle();
        Assert.That(rig.Failure, Is.Null, where + ": every host write is answered Good");
        foreach (int v in Members.Where(v => v != skip))
        {
            MirrorPair pair = rig.Pair(v);
            Assert.That(pair.State, Is.EqualTo(PairState.Pair), where + ": member " + v + " ends PAIR, not split");
            Assert.That(pair.PVolBitmap.CountSet() + pair.SVolBitmap.CountSet(), Is.Zero, where + ": member " + v + " has no marks left");
            Assert.That(SplitRig.Checksum(rig.SVols[v]), Is.EqualTo(SplitRig.Checksum(rig.PVols[v])), where + ": member " + v + "'s S-VOL still tracks its P-VOL");
            Assert.That(rig.PVols[v].Hold, Is.Null, where + ": no hold is left");
            Assert.That(pair.Cut, Is.Null, where + ": no cut is left");
        }

        Assert.That(rig.Pairs.GetSplitEvents().Where(e => e.SplitId == split.Id).Select(e => e.Phase), Does.Contain(AtomicSplitPhase.Abort).And.Not.Contain(AtomicSplitPhase.Commit), where + ": the log shows the abort and no commit");
    }

    private sealed class Probe : IBlockCommandCompletion
    {
        public bool Done { get; private set; }

        public MediaStatus Status { get; private set; }

        public void Complete(in BlockCommand command, MediaStatus status)
        {
            Status = status;
            Done = true;
        }
    }
}
