// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;

namespace Controller.Firmware.Tests.Pairs;

public sealed class PairCommandTableTests
{
    [Test]
    public void ATableWithoutARowForEveryStateIsRefused()
    {
        List<(PairState, TransitionRule[])> rows = CompleteRows();
        rows.RemoveAt(3);
        ArgumentException? ex = Assert.Throws<ArgumentException>(() => _ = new PairCommandTable("t", rows));
        Assert.That(ex!.Message, Does.Contain("state Psus has no row"), "the message names the missing state");
    }

    [Test]
    public void ATableWithARepeatedRowIsRefused()
    {
        List<(PairState, TransitionRule[])> rows = CompleteRows();
        rows.Add(rows[0]);
        ArgumentException? ex = Assert.Throws<ArgumentException>(() => _ = new PairCommandTable("t", rows));
        Assert.That(ex!.Message, Does.Contain("state Smpl has two rows"), "the message names the repeated state");
    }

    [Test]
    public void AShortRowIsRefused()
    {
        List<(PairState, TransitionRule[])> rows = CompleteRows();
        rows[1] = (PairState.Copy, [TransitionRule.NoOp(PairState.Copy)]);
        ArgumentException? ex = Assert.Throws<ArgumentException>(() => _ = new PairCommandTable("t", rows));
        Assert.That(ex!.Message, Does.Contain("state Copy has 1 rules, not 9"), "the message names the short row");
    }

    [Test]
    public void ANoOpThatChangesStateIsRefused()
    {
        List<(PairState, TransitionRule[])> rows = CompleteRows();
        rows[2].Item2[0] = TransitionRule.NoOp(PairState.Smpl);
        ArgumentException? ex = Assert.Throws<ArgumentException>(() => _ = new PairCommandTable("t", rows));
        Assert.That(ex!.Message, Does.Contain("Pair x Create changes state without being accepted"), "no-ops and rejections never move the pair");
    }

    private static List<(PairState, TransitionRule[])> CompleteRows()
    {
        List<(PairState, TransitionRule[])> rows = [];
        foreach (PairState state in Enum.GetValues<PairState>())
        {
            TransitionRule[] rules = new TransitionRule[Enum.GetValues<PairOperation>().Length];
            Array.Fill(rules, TransitionRule.NoOp(state));
            rows.Add((state, rules));
        }

        return rows;
    }
}
