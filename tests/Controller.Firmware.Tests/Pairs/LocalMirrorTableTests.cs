// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Pairs;
using Controller.Testing;

namespace Controller.Firmware.Tests.Pairs;

/// <summary>
/// Every cell of the local-mirror command table, against an expectation written here independently of the
/// firmware's table, from vendor table T2 (and T3 for restore and swap): "->X" accepted into X, "=" no-op
/// (T2's "Acceptable"), "!Code" rejected with that error.
/// </summary>
[Category("R0-5")]
public sealed class LocalMirrorTableTests
{
    private static readonly PairOperation[] Columns =
    [
        PairOperation.Create, PairOperation.Split, PairOperation.SuspendByError, PairOperation.Resync,
        PairOperation.Restore, PairOperation.SwapResync, PairOperation.Delete,
    ];

    private static readonly (PairState State, string Cells)[] Expected =
    [
        //                       Create           Split            SuspendByError  Resync          Restore            SwapResync         Delete
        (PairState.Smpl,       "->Copy           !NotPaired       !NotPaired      !NotPaired      !NotPaired         !NotPaired         ="),
        (PairState.Copy,       "=                !CopyInProgress  ->Psue          =               !CopyInProgress    !CopyInProgress    ->Smpl"),
        (PairState.Pair,       "=                ->Psus           ->Psue          =               !NotSplit          !NotSplit          ->Smpl"),
        (PairState.Psus,       "!PairSuspended   =                ->Psue          ->CopyResync    ->Rcpy             ->CopyResync       ->Smpl"),
        (PairState.Psue,       "!PairSuspended   =                =               ->CopyResync    !SuspendedByError  !SuspendedByError  ->Smpl"),
        (PairState.CopyResync, "=                !CopyInProgress  ->Psue          =               !CopyInProgress    !CopyInProgress    ->Smpl"),
        (PairState.Rcpy,       "=                !CopyInProgress  ->Psue          =               =                  !CopyInProgress    ->Smpl"),
    ];

    public static IEnumerable<TestCaseData> Cells()
    {
        foreach ((PairState state, string cells) in Expected)
        {
            string[] tokens = cells.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            for (int i = 0; i < Columns.Length; i++)
            {
                yield return new TestCaseData(state, Columns[i], tokens[i]).SetName(state + " x " + Columns[i] + " is " + tokens[i]);
            }
        }
    }

    [TestCaseSource(nameof(Cells))]
    public void EveryCellMatchesTheVendorTable(PairState state, PairOperation operation, string expected)
    {
        TransitionRule rule = LocalMirrorTable.Instance.Lookup(state, operation);
        string context = PairStateNames.Of(state) + " x " + operation;
        if (expected.StartsWith("->", StringComparison.Ordinal))
        {
            Assert.That(rule.Result, Is.EqualTo(CommandResult.Accepted), context + " is accepted");
            Assert.That(rule.NextState, Is.EqualTo(Enum.Parse<PairState>(expected[2..])), context + " next state");
            Assert.That(rule.Error, Is.EqualTo(PairErrorCode.None), context + " carries no error");
        }
        else if (expected == "=")
        {
            Assert.That(rule.Result, Is.EqualTo(CommandResult.NoOp), context + " is a no-op that returns success");
            Assert.That(rule.NextState, Is.EqualTo(state), context + " leaves the state alone");
        }
        else
        {
            Assert.That(rule.Result, Is.EqualTo(CommandResult.Rejected), context + " is rejected");
            Assert.That(rule.Error, Is.EqualTo(Enum.Parse<PairErrorCode>(expected[1..])), context + " error code");
            Assert.That(rule.NextState, Is.EqualTo(state), context + ": a rejection changes nothing");
        }
    }

    [Test]
    public void TheExpectationCoversEveryStateAndOperation()
    {
        Assert.That(Expected.Select(row => row.State), Is.EquivalentTo(Enum.GetValues<PairState>()), "one expected row per state");
        Assert.That(Columns, Is.EquivalentTo(Enum.GetValues<PairOperation>()), "one expected column per operation");
    }

    [Test]
    public void TheRenderedTableIsStable()
    {
        Snapshot.Verify(LocalMirrorTable.Instance.ToMarkdown());
    }

    [Test]
    public void TheSVolShowsASplitPairAsSsus()
    {
        Assert.That(PairStateNames.OfSVol(PairState.Psus), Is.EqualTo("SSUS"), "pairdisplay's S-side name for a split pair");
        Assert.That(PairStateNames.OfSVol(PairState.Pair), Is.EqualTo("PAIR"), "other states read the same on both sides");
        Assert.That(PairStateNames.Of(PairState.CopyResync), Is.EqualTo("COPY(RS)"), "resync in progress");
    }
}
