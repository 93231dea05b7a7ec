// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
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
    private static readonly (PairState State, string Cells)[] Expected =
    [
        //                       Create           Split            SuspendByError  Resync          Restore            SwapResync         Delete   CreateNoCopy     SplitProtectPVol
        (PairState.Smpl,       "->Copy           !NotPaired       !NotPaired      !NotPaired      !NotPaired         !NotPaired         =        ->Copy           !NotPaired"),
        (PairState.Copy,       "=                ->Psus           ->Psue          =               !CopyInProgress    !CopyInProgress    ->Smpl   =                !NotSupportedForMirrorType"),
        (PairState.Pair,       "=                ->Psus           ->Psue          =               !NotSplit          !NotSplit          ->Smpl   =                !NotSupportedForMirrorType"),
        (PairState.Psus,       "!PairSuspended   =                ->Psue          ->CopyResync    ->Rcpy             ->CopyResync       ->Smpl   !PairSuspended   !NotSupportedForMirrorType"),
        (PairState.Psue,       "!PairSuspended   =                =               ->CopyResync    !SuspendedByError  !SuspendedByError  ->Smpl   !PairSuspended   !NotSupportedForMirrorType"),
        (PairState.CopyResync, "=                !CopyInProgress  ->Psue          =               !CopyInProgress    !CopyInProgress    ->Smpl   =                !NotSupportedForMirrorType"),
        (PairState.Rcpy,       "=                !CopyInProgress  ->Psue          =               =                  !CopyInProgress    ->Smpl   =                !NotSupportedForMirrorType"),
    ];

    public static IEnumerable<TestCaseData> Cells()
    {
        return CommandTableExpectation.Cells(Expected);
    }

    [TestCaseSource(nameof(Cells))]
    public void EveryCellMatchesTheVendorTable(PairState state, PairOperation operation, string expected)
    {
        CommandTableExpectation.AssertCell(LocalMirrorTable.Instance, state, operation, expected);
    }

    [Test]
    public void TheExpectationCoversEveryStateAndOperation()
    {
        Assert.That(Expected.Select(row => row.State), Is.EquivalentTo(Enum.GetValues<PairState>()), "one expected row per state");
        Assert.That(Expected.All(row => row.Cells.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == CommandTableExpectation.Columns.Length), Is.True, "one expected column per operation");
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
