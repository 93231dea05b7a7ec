// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Testing;

namespace Controller.Firmware.Tests.Pairs;

/// <summary>
/// Every cell of the remote-mirror command table against vendor table T1 (CCI "Pair status versus TrueCopy/Universal
/// Replicator commands", newer generation), transcribed here column by column: paircreate = Create, paircreate
/// -nocopy = CreateNoCopy, pairsplit -r/-rw = Split, pairsplit -P = SplitProtectPVol, pairsplit -S = Delete,
/// pairresync = Resync; "Accepted -> 2/3/4/1" = COPY/PAIR/PSUS/SMPL, "Acceptable" = no-op, "Rejected" = rejected.
/// T1's COPY row stands for COPY and COPY(RS). The columns T1 lacks are this simulator's (RemoteMirrorTable says why).
/// One departure: SMPL x paircreate -nocopy enters COPY (of the tracks changed since the common split), not PAIR.
/// </summary>
[Category("R0-5")]
public sealed class RemoteMirrorTableTests
{
    private static readonly (PairState State, string Cells)[] Expected =
    [
        //                       Create           Split    SuspendByError  Resync          Restore                     SwapResync                  Delete   CreateNoCopy     SplitProtectPVol
        (PairState.Smpl,       "->Copy           !NotPaired !NotPaired     !NotPaired      !NotPaired                  !NotPaired                  =        ->Copy           !NotPaired"),
        (PairState.Copy,       "=                ->Psus   ->Psue          =               !NotSupportedForMirrorType  !CopyInProgress            ->Smpl   =                !CopyInProgress"),
        (PairState.Pair,       "=                ->Psus   ->Psue          =               !NotSupportedForMirrorType  !NotSplit                  ->Smpl   =                ->Psus"),
        (PairState.Psus,       "!PairSuspended   =        ->Psue          ->CopyResync    !NotSupportedForMirrorType  ->CopyResync               ->Smpl   !PairSuspended   ="),
        (PairState.Psue,       "!PairSuspended   =        =               ->CopyResync    !NotSupportedForMirrorType  ->CopyResync               ->Smpl   !PairSuspended   ="),
        (PairState.CopyResync, "=                ->Psus   ->Psue          =               !NotSupportedForMirrorType  !CopyInProgress            ->Smpl   =                !CopyInProgress"),
        (PairState.Rcpy,       "!NotSupportedForMirrorType !NotSupportedForMirrorType !NotSupportedForMirrorType !NotSupportedForMirrorType !NotSupportedForMirrorType !NotSupportedForMirrorType ->Smpl !NotSupportedForMirrorType !NotSupportedForMirrorType"),
    ];

    public static IEnumerable<TestCaseData> Cells()
    {
        return CommandTableExpectation.Cells(Expected);
    }

    [TestCaseSource(nameof(Cells))]
    public void EveryCellMatchesTheVendorTable(PairState state, PairOperation operation, string expected)
    {
        CommandTableExpectation.AssertCell(RemoteMirrorTable.Instance, state, operation, expected);
    }

    [Test]
    public void TheExpectationCoversEveryState()
    {
        Assert.That(Expected.Select(row => row.State), Is.EquivalentTo(Enum.GetValues<PairState>()), "one expected row per state");
    }

    [Test]
    public void TheRenderedTableIsStable()
    {
        Snapshot.Verify(RemoteMirrorTable.Instance.ToMarkdown());
    }
}
