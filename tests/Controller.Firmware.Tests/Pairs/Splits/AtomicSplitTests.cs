// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Media;
using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.Scheduling;
using Controller.Firmware.Volumes;
using Controller.Workload;

namespace Controller.Firmware.Tests.Pairs.Splits;

/// <summary>
/// The atomic split under concurrent dependent writes, over many seeds of the deterministic scheduler: every split
/// checked by the consistency oracle, both mechanisms, both command forms (FIG 7 list, FIG 9 name).
/// </summary>
public sealed class AtomicSplitTests
{
    private const int Seeds = 150;

    // Volumes 0-2 are members; volume 3 is mirrored too but outside the set.
    private static readonly int[] Members = [0, 1, 2];

    [TestCaseSource(typeof(SplitMechanisms), nameof(SplitMechanisms.Both))]
    [Category("R0-16")]
    [Category("R0-18")]
    [Category("R0-19")]
    [Category("R0-20")]
    [Category("R0-21")]
    [Category("R0-22")]
    [Category("R0-36")]
    public void EverySplitUnderLoadIsAConsistentCutOverManySeeds(AtomicSplitMechanism mechanism)
    {
        long held = 0;
        for (ulong seed = 1; seed <= Seeds; seed++)
        {
            Outcome outcome = SplitUnderLoad(seed, mechanism, byName: seed % 2 == 0);
            string where = "seed " + seed + " (" + mechanism + "): ";
            Assert.That(outcome.Result.Succeeded, Is.True, where + outcome.Result.Message);
            Assert.That(outcome.Verdict.Consistent, Is.True, where + outcome.Verdict);
            Assert.That(outcome.ExactVerdict.Consistent, Is.True, where + "the split point is the moment the command was accepted: " + outcome.ExactVerdict);
            Assert.That(outcome.Verdict.WritesPresent, Is.GreaterThan(0), where + "the image holds the writes before the split");
            Assert.That(outcome.Verdict.WritesPresent, Is.LessThan(outcome.Verdict.WritesChecked), where + "and not those after it");
            Assert.That(outcome.MemberStates, Is.All.EqualTo(PairState.Psus), where + "every member is split");
            Assert.That(outcome.MemberSplitSequences, Is.All.EqualTo(outcome.Result.SplitSequence), where + "at one split point (R0-19)");
            Assert.That(outcome.OutsiderState, Is.EqualTo(PairState.Pair), where + "the pair outside the set stays PAIR (R0-22)");
            Assert.That(outcome.OutsiderInSync, Is.True, where + "and keeps receiving every write");
            if (mechanism == AtomicSplitMechanism.SequenceCut)
            {
                Assert.That(outcome.Result.Telemetry!.HeldWrites, Is.Zero, where + "a sequence cut holds no write");
            }

            held += outcome.Result.Telemetry!.HeldWrites;
        }

        if (mechanism == AtomicSplitMechanism.Freeze)
        {
            Assert.That(held, Is.GreaterThan(0), "over " + Seeds + " seeds the freeze held some writes (the hold is exercised)");
        }
    }

    [TestCaseSource(typeof(SplitMechanisms), nameof(SplitMechanisms.Both))]
    [Category("R0-13")]
    public void TheNameFormAndTheListFormGiveIdenticalResults(AtomicSplitMechanism mechanism)
    {
        for (ulong seed = 1; seed <= 20; seed++)
        {
            Outcome byList = SplitUnderLoad(seed, mechanism, byName: false, nameTheSetAnyway: true);
            Outcome byName = SplitUnderLoad(seed, mechanism, byName: true);
            string where = "seed " + seed + ": ";
            Assert.That(byName.Result.SplitSequence, Is.EqualTo(byList.Result.SplitSequence), where + "the same split point");
            Assert.That(byName.Result.Members, Is.EqualTo(byList.Result.Members), where + "the same members, in order");
            Assert.That(byName.SVolChecksums, Is.EqualTo(byList.SVolChecksums), where + "the same split images");
            Assert.That(byName.Verdict.CutPerChain, Is.EqualTo(byList.Verdict.CutPerChain), where + "the same cut");
        }
    }

    [Test]
    [Category("R0-20")]
    public void TheOracleReportsATornImageWhenMembersAreSplitOneAfterAnother()
    {
        // The test-only torn mode: each member split by its own PAIR SPLIT, with load between, no common point.
        for (ulong seed = 1; seed <= 30; seed++)
        {
            using SplitRig rig = new(new DeterministicScheduler(seed), volumes: 4, chains: 6);
            rig.CreatePairs();
            rig.Settle();
            rig.Start();
            rig.RunUntil(() => rig.Acks >= 40, "load before the splits");
            long issued = rig.Workload.Tick();
            foreach (int member in Members)
            {
                PairCommandResponse response = rig.Pairs.Execute(rig.PairOf(member).PVol, rig.PairOf(member).SVol, PairOperation.Split);
                Assert.That(response.Succeeded, Is.True, response.Message);
                long more = rig.Acks + 30;
                rig.RunUntil(() => rig.Acks >= more, "load between the splits");
            }

            long completed = rig.Workload.Tick();
            rig.Stop();
            rig.Settle();
            OracleVerdict verdict = rig.Check(Members, issued, completed);
            Assert.That(verdict.Consistent, Is.False, "seed " + seed + ": the oracle must see the torn image: " + verdict);
        }
    }

    [TestCaseSource(typeof(SplitMechanisms), nameof(SplitMechanisms.Both))]
    [Category("R0-35")]
    public void TheSplitLogOrdersHoldDrainCommitRelease(AtomicSplitMechanism mechanism)
    {
        Outcome outcome = SplitUnderLoad(7, mechanism, byName: false);
        AtomicSplitPhase[] expected = mechanism == AtomicSplitMechanism.Freeze
            ? [AtomicSplitPhase.Hold, AtomicSplitPhase.DrainDone, AtomicSplitPhase.Commit, AtomicSplitPhase.Release]
            : [AtomicSplitPhase.Hold, AtomicSplitPhase.DrainDone, AtomicSplitPhase.Commit];
        Assert.That(outcome.Events.Select(e => e.Phase), Is.EqualTo(expected), "hold < drain done < commit < release: " + string.Join("; ", outcome.Events));
        Assert.That(outcome.Events.Select(e => e.Time), Is.Ordered, "the steps carry non-decreasing times");
        Assert.That(outcome.Events.Select(e => e.SplitId), Is.All.EqualTo(outcome.Result.SplitId), "all of one split");
    }

    [TestCaseSource(typeof(SplitMechanisms), nameof(SplitMechanisms.Both))]
    public void TheDrainDoesNotWaitForHostWritesQueuedBehindTheHoldOrTheCut(AtomicSplitMechanism mechanism)
    {
        // One MP, one pair, host writes queued and not yet run when the split starts: they take their sequence
        // numbers (and meet the hold or the cut) only when they run, so the drain owes them nothing. Its later
        // round waits in the internal ring, behind the mirror writes, not behind them (docs/performance.md).
        using SplitRig rig = new(new DeterministicScheduler(5), volumes: 1, chains: 1, mpCount: 1);
        rig.CreatePairs();
        rig.Settle();
        Ldev pVol = rig.PVols[0];
        HostAnswers host = new();
        for (int i = 0; i < 20; i++)
        {
            Assert.That(rig.Subsystem.TrySubmit(new BlockCommand(BlockCommandKind.Write, pVol, 8L * (i % 16), new byte[4096], host, i)), Is.True, "host write " + i);
        }

        int queuedAtCommit = -1;
        rig.Pairs.BeforeSplitCommit = _ =>
        {
            queuedAtCommit = pVol.Owner!.QueuedCount;
            return TimeSpan.Zero;
        };
        AtomicSplit split = rig.Pairs.StartAtomicSplit(AtomicSplitRequest.ByList([rig.PairOf(0)], mechanism), null);
        rig.RunUntil(() => split.IsCompleted, "the split completes");
        Assert.That(split.Result!.Succeeded, Is.True, split.Result.Message);
        Assert.That(queuedAtCommit, Is.EqualTo(20), "the split committed before the twenty queued host writes ran");
        rig.Settle();
        Assert.That(host.Answered, Is.EqualTo(20), "and they ran after it");
    }

    internal static Outcome SplitUnderLoad(ulong seed, AtomicSplitMechanism mechanism, bool byName, bool nameTheSetAnyway = false)
    {
        using SplitRig rig = new(new DeterministicScheduler(seed), volumes: 4, chains: 6);
        rig.CreatePairs();
        rig.Settle();
        PairAddress[] members = [.. Members.Select(rig.PairOf)];
        if (byName || nameTheSetAnyway)
        {
            Assert.That(rig.Pairs.NameMirrors("AUXSET1", members).Succeeded, Is.True, "the set is named");
        }

        SplitMix64 random = new(seed);
        rig.Start();
        long before = 5 + random.Next(150);
        rig.RunUntil(() => rig.Acks >= before, "load before the split");
        long issued = rig.Workload.Tick();
        long completed = 0;
        AtomicSplitRequest request = byName ? AtomicSplitRequest.ByName("AUXSET1", mechanism) : AtomicSplitRequest.ByList(members, mechanism);
        AtomicSplit split = rig.Pairs.StartAtomicSplit(request, _ => completed = rig.Workload.Tick());
        rig.RunUntil(() => split.IsCompleted, "the split completes");
        long after = rig.Acks + 5 + random.Next(100);
        rig.RunUntil(() => rig.Acks >= after, "load after the split");
        rig.Stop();
        rig.Settle();
        Assert.That(rig.Failure, Is.Null, "seed " + seed + ": every host write is answered Good (a split delays, never fails)");
        return new Outcome(
            split.Result!,
            rig.Check(Members, issued, completed),

            // In deterministic mode the command is accepted atomically: nothing issued after it may be in the image
            // (no write after the hold, none numbered from the cut on), which is the oracle with a window of zero.
            rig.Check(Members, issued, issued),
            [.. Members.Select(v => rig.Pair(v).State)],
            [.. Members.Select(v => rig.Pair(v).SplitSequence)],
            rig.Pair(3).State,
            SplitRig.Checksum(rig.PVols[3]) == SplitRig.Checksum(rig.SVols[3]),
            [.. Members.Select(v => SplitRig.Checksum(rig.SVols[v]))],
            rig.Pairs.GetSplitEvents());
    }

    internal sealed record Outcome(
        AtomicSplitResult Result,
        OracleVerdict Verdict,
        OracleVerdict ExactVerdict,
        PairState[] MemberStates,
        long[] MemberSplitSequences,
        PairState OutsiderState,
        bool OutsiderInSync,
        string[] SVolChecksums,
        IReadOnlyList<AtomicSplitEvent> Events);

    private sealed class HostAnswers : IBlockCommandCompletion
    {
        public int Answered { get; private set; }

        public void Complete(in BlockCommand command, MediaStatus status)
        {
            Assert.That(status, Is.EqualTo(MediaStatus.Good), "host write " + command.Tag);
            Answered++;
        }
    }
}
