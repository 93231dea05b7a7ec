// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.PairVocabulary;
using Controller.HostSim.CrashTest;

namespace Controller.HostSim.Tests.CrashTest;

/// <summary>The restart table as the crash test accepts it (docs/durability.md), cell by cell.</summary>
public sealed class CrashRestartTableTests
{
    [TestCase(PairState.Smpl, true, new[] { PairState.Smpl })]
    [TestCase(PairState.Copy, true, new[] { PairState.Copy, PairState.Pair })]
    [TestCase(PairState.Pair, true, new[] { PairState.Pair, PairState.Psue })]
    [TestCase(PairState.Psus, true, new[] { PairState.Psus })]
    [TestCase(PairState.Psue, true, new[] { PairState.Psue })]
    [TestCase(PairState.CopyResync, true, new[] { PairState.CopyResync, PairState.Pair })]
    [TestCase(PairState.Rcpy, true, new[] { PairState.Rcpy, PairState.Pair })]
    [TestCase(PairState.Smpl, false, new[] { PairState.Smpl })]
    [TestCase(PairState.Copy, false, new[] { PairState.Copy, PairState.Pair })]
    [TestCase(PairState.Pair, false, new[] { PairState.Pair })]
    [TestCase(PairState.Psus, false, new[] { PairState.Psus })]
    [TestCase(PairState.Psue, false, new[] { PairState.Psue })]
    [TestCase(PairState.CopyResync, false, new[] { PairState.CopyResync, PairState.Pair })]
    [TestCase(PairState.Rcpy, false, new[] { PairState.Rcpy, PairState.Pair })]
    public void EachKeptStateAllowsExactlyTheStatesOfItsCell(PairState kept, bool afterCrash, PairState[] allowed)
    {
        Assert.That(CrashRestartTable.Allowed(kept, afterCrash), Is.EquivalentTo(allowed), "the cell of " + kept + (afterCrash ? " after a crash" : " after a graceful stop"));
    }

    [Test]
    public void AnAnsweredCommandLeavesOneKeptStateAndAnUnansweredOneLeavesBoth()
    {
        PairModel pair = new("P=S", default, 0);
        pair.Answered(PairState.Pair);
        Assert.That(pair.AllowedAfterRestart(afterCrash: true), Is.EquivalentTo(new[] { PairState.Pair, PairState.Psue }), "PAIR kept");
        pair.InDoubt(PairState.Psus);
        Assert.That(pair.AllowedAfterRestart(afterCrash: true), Is.EquivalentTo(new[] { PairState.Pair, PairState.Psue, PairState.Psus }), "a split the kill left unanswered: kept or not");
        pair.Answered(PairState.CopyResync);
        Assert.That(pair.AllowedAfterRestart(afterCrash: true), Is.EquivalentTo(new[] { PairState.CopyResync, PairState.Pair, PairState.Psue }), "a resync answered: COPY(RS), or PAIR if its end was kept by a later commit");
    }

    [Test]
    public void APairSeenInPairAfterARestartedCopyMayStillBeKeptAsCopying()
    {
        PairModel pair = new("P=S", default, 0);
        pair.Answered(PairState.Copy);
        HashSet<PairState> allowed = pair.AllowedAfterRestart(afterCrash: true);
        pair.SeenAfterRestart(PairState.Pair, allowed);
        Assert.That(pair.Kept, Is.EquivalentTo(new[] { PairState.Copy, PairState.Pair }), "the copy restarted at start and finished; its PAIR is not kept until a commit");
    }
}
