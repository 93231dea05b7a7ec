// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;

namespace Controller.Firmware.Tests.Pairs;

/// <summary>Every (state, role, split mode) cell of host write access, from vendor tables T4b/T4c and issue #3.</summary>
[Category("R0-7")]
public sealed class HostWriteAccessTests
{
    // P-VOL, S-VOL after a read-only split, S-VOL after a read/write split: W = write allowed, - = DATA PROTECT.
    private static readonly (PairState State, string Cells)[] Expected =
    [
        (PairState.Smpl, "W W W"),
        (PairState.Copy, "W - -"),
        (PairState.Pair, "W - -"),
        (PairState.Psus, "W - W"),
        (PairState.Psue, "W - -"),
        (PairState.CopyResync, "W - -"),
        (PairState.Rcpy, "- - -"),
    ];

    public static IEnumerable<TestCaseData> Cells()
    {
        foreach ((PairState state, string cells) in Expected)
        {
            string[] marks = cells.Split(' ');
            yield return new TestCaseData(state, PairRole.PVol, SplitMode.ReadOnly, marks[0] == "W").SetName(state + " P-VOL write " + marks[0]);
            yield return new TestCaseData(state, PairRole.PVol, SplitMode.ReadWrite, marks[0] == "W").SetName(state + " P-VOL write after -rw " + marks[0]);
            yield return new TestCaseData(state, PairRole.SVol, SplitMode.ReadOnly, marks[1] == "W").SetName(state + " S-VOL write after -r " + marks[1]);
            yield return new TestCaseData(state, PairRole.SVol, SplitMode.ReadWrite, marks[2] == "W").SetName(state + " S-VOL write after -rw " + marks[2]);
        }
    }

    [TestCaseSource(nameof(Cells))]
    public void EveryCellMatchesTheAccessTable(PairState state, PairRole role, SplitMode mode, bool allowed)
    {
        Assert.That(HostWriteAccess.IsAllowed(state, role, mode), Is.EqualTo(allowed),
            PairStateNames.Of(state) + " " + role + " (" + mode + " split): write " + (allowed ? "allowed" : "refused with DATA PROTECT"));
    }

    [Test]
    public void TheExpectationCoversEveryState()
    {
        Assert.That(Expected.Select(row => row.State), Is.EquivalentTo(Enum.GetValues<PairState>()), "one expected row per state");
    }
}
