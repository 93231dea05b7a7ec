// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.Scheduling;

namespace Controller.Firmware.Tests.Pairs.Splits;

/// <summary>
/// The per-split coordinator: it ends a split exactly once by construction (its stage moves forward only, by a
/// compare-and-swap, and one caller alone reaches Finished), and the words of its log and its answer, formatted
/// outside the table's lock from values taken under it, are the ones the split did.
/// </summary>
public sealed class SplitCoordinatorTests
{
    private static readonly int[] Members = [0, 1, 2];

    [TestCaseSource(typeof(SplitMechanisms), nameof(SplitMechanisms.Both))]
    [Category("R0-25")]
    public void ASecondFinishOfAFinishedSplitIsRefusedAndAnswersNothing(AtomicSplitMechanism mechanism)
    {
        using SplitRig rig = new(new DeterministicScheduler(3), volumes: 4, chains: 2);
        rig.CreatePairs();
        rig.Settle();
        int answers = 0;
        AtomicSplit split = rig.Pairs.StartAtomicSplit(AtomicSplitRequest.ByList([.. Members.Select(rig.PairOf)], mechanism), _ => answers++);
        rig.RunUntil(() => split.IsCompleted, "the split ends");
        rig.Settle();
        int logged = rig.Pairs.GetSplitEvents().Count;
        SplitCoordinator coordinator = split.Coordinator;
        Assert.That(coordinator.Stage, Is.EqualTo(SplitStage.Finished), "the split ended");

        // A late second ending (a timer that fired as the split finished, a duplicated release) is refused.
        bool again;
        lock (rig.Pairs.Registry.Lock)
        {
            again = coordinator.TryFinishUnsynchronized();
        }

        if (again)
        {
            // What a second finish would go on to do: answer a second time.
            coordinator.AnswerFinished();
        }

        Assert.Multiple(() =>
        {
            Assert.That(again, Is.False, "Finished is entered once: a second finish attempt is refused");
            Assert.That(split.CompletionAttempts, Is.EqualTo(1), "the split was answered by one caller only");
            Assert.That(answers, Is.EqualTo(1), "one answer to the host");
            Assert.That(rig.Pairs.GetSplitEvents(), Has.Count.EqualTo(logged), "a refused finish logs nothing");
            Assert.That(split.Result!.Succeeded, Is.True, "the answer stands: " + split.Result.Message);
        });
    }

    [TestCaseSource(typeof(SplitMechanisms), nameof(SplitMechanisms.Both))]
    [Category("R0-25")]
    public void AnAbortOfACommittedSplitIsRefusedAndLeavesEveryMemberSplit(AtomicSplitMechanism mechanism)
    {
        using SplitRig rig = new(new DeterministicScheduler(5), volumes: 4, chains: 2);
        rig.CreatePairs();
        rig.Settle();
        AtomicSplit split = rig.Pairs.StartAtomicSplit(AtomicSplitRequest.ByList([.. Members.Select(rig.PairOf)], mechanism));
        rig.RunUntil(() => split.IsCompleted, "the split ends");
        rig.Settle();
        int logged = rig.Pairs.GetSplitEvents().Count;

        bool? aborted;
        lock (rig.Pairs.Registry.Lock)
        {
            aborted = split.Coordinator.AbortUnsynchronized(PairErrorCode.SplitTimeout, null, SplitNote.Text("a late timer"));
        }

        rig.Settle();
        Assert.Multiple(() =>
        {
            Assert.That(aborted, Is.Null, "only a holding split can abort: nothing to answer, nothing to release");
            Assert.That(split.Coordinator.Stage, Is.EqualTo(SplitStage.Finished), "the stage never moves back");
            Assert.That(Members.Select(v => rig.Pair(v).State), Is.All.EqualTo(PairState.Psus), "every member stays split");
            Assert.That(rig.Pairs.GetSplitEvents(), Has.Count.EqualTo(logged), "a refused abort logs nothing");
            Assert.That(split.Result!.Succeeded, Is.True, "the answer stands: " + split.Result.Message);
        });
    }

    [Test]
    [Category("R0-35")]
    public void AFreezesLogAndAnswerSayWhatItDid()
    {
        using SplitRig rig = new(new DeterministicScheduler(9), volumes: 4, chains: 2);
        rig.CreatePairs();
        rig.Settle();
        AtomicSplit split = rig.Pairs.StartAtomicSplit(AtomicSplitRequest.ByList([.. Members.Select(rig.PairOf)], AtomicSplitMechanism.Freeze));
        rig.RunUntil(() => split.IsCompleted, "the split ends");
        rig.Settle();

        string point = split.Result!.SplitSequence.ToString(CultureInfo.InvariantCulture);
        string[] details = [.. rig.Pairs.GetSplitEvents().Where(e => e.SplitId == split.Id).Select(e => e.Phase + ": " + e.Detail)];
        Assert.That(details, Is.EqualTo(new[]
        {
            "Hold: freeze: 3 members, 3 P-VOLs held",
            "DrainDone: every write admitted before the hold has completed",
            "Commit: 3 members split at sequence " + point + " (split 1#" + split.Id + ")",
            "Release: 0 held writes released in arrival order",
        }), "the log's words, formatted when read");
        Assert.That(split.Result.Message, Is.EqualTo("3 pairs split at sequence " + point), "the answer's words");
    }

    [Test]
    [Category("R0-35")]
    public void ASequenceCutsLogSaysWhatItDid()
    {
        using SplitRig rig = new(new DeterministicScheduler(9), volumes: 4, chains: 2);
        rig.CreatePairs();
        rig.Settle();
        AtomicSplit split = rig.Pairs.StartAtomicSplit(AtomicSplitRequest.ByList([.. Members.Select(rig.PairOf)], AtomicSplitMechanism.SequenceCut));
        rig.RunUntil(() => split.IsCompleted, "the split ends");

        string[] details = [.. rig.Pairs.GetSplitEvents().Where(e => e.SplitId == split.Id).Select(e => e.Phase + ": " + e.Detail)];
        Assert.That(details, Has.Length.EqualTo(3), "hold, drain done, commit: " + string.Join(" | ", details));
        Assert.Multiple(() =>
        {
            Assert.That(details[0], Does.Match("^Hold: sequence cut at [0-9]+: 3 members, no write held$"), "the cut");
            Assert.That(details[1], Is.EqualTo("DrainDone: every write admitted before the cut has completed"), "the drain");
            Assert.That(details[2], Is.EqualTo("Commit: 3 members split at sequence " + split.Result!.SplitSequence.ToString(CultureInfo.InvariantCulture) + " (split 1#" + split.Id + ")"), "the commit");
        });
    }

    [Test]
    [Category("R0-25")]
    public void ATimeoutsAnswerGivesTheTimeoutInMilliseconds()
    {
        using SplitRig rig = new(new DeterministicScheduler(11), volumes: 4, chains: 2);
        rig.CreatePairs();
        rig.Settle();
        rig.Pairs.BeforeSplitCommit = _ => TimeSpan.FromSeconds(1);
        AtomicSplitRequest request = AtomicSplitRequest.ByList([.. Members.Select(rig.PairOf)], AtomicSplitMechanism.Freeze) with { HoldTimeout = TimeSpan.FromMicroseconds(2_500) };
        AtomicSplit split = rig.Pairs.StartAtomicSplit(request);
        rig.RunUntil(() => split.IsCompleted, "the split ends");

        const string Reason = "the split did not commit within its hold timeout of 2.5 ms";
        Assert.Multiple(() =>
        {
            Assert.That(split.Result!.Error, Is.EqualTo(PairErrorCode.SplitTimeout), "aborted by its timer");
            Assert.That(split.Result.Message, Is.EqualTo("atomic split " + split.Id + " aborted, no member split: " + Reason), "the answer's words");
            Assert.That(rig.Pairs.GetSplitEvents().Where(e => e.SplitId == split.Id && e.Phase == AtomicSplitPhase.Abort).Select(e => e.Detail), Is.EqualTo(new[] { Reason }), "the log's words");
        });
    }
}
