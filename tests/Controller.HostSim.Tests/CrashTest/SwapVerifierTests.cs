// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.PairVocabulary;
using Controller.HostSim.CrashTest;
using Controller.Wire.CopyManagement;

namespace Controller.HostSim.Tests.CrashTest;

/// <summary>
/// The determining-swap scenario's check of the two subsystems' rows (docs/durability.md, the remote restart table),
/// fed forged rows: roles that disagree, a missing row, a row no longer determining, a swap answered GOOD yet not on
/// both sides, a state the table does not allow. Each must be found; the rows a swap may leave must pass. And the
/// table's cells one by one.
/// </summary>
[Category("R2-4")]
public sealed class SwapVerifierTests
{
    private static readonly WireVolumeId Ss1Volume = new(new PortId(0x400104), 0x0030);
    private static readonly WireVolumeId Ss2Volume = new(new PortId(0x421014), 0x0030);
    private static readonly WirePair Made = new(Ss1Volume, Ss2Volume);
    private static readonly WirePair Swapped = new(Ss2Volume, Ss1Volume);

    [TestCase("Before", true, new[] { PairState.Psus })]
    [TestCase("Before", false, new[] { PairState.Psus, PairState.Psue })]
    [TestCase("After", true, new[] { PairState.CopyResync, PairState.Pair, PairState.Psue })]
    [TestCase("After", false, new[] { PairState.CopyResync, PairState.Pair, PairState.Psue })]
    [TestCase("TwoSVols", true, new[] { PairState.CopyResync, PairState.Psue })]
    [TestCase("TwoSVols", false, new[] { PairState.Psus, PairState.Psue })]
    public void EachOutcomeAndSideAllowsExactlyTheStatesOfItsCell(string outcome, bool atSs1, PairState[] allowed)
    {
        SwapSides sides = Enum.Parse<SwapSides>(outcome);
        Assert.That(SwapRestartTable.Allowed(sides, atSs1), Is.EquivalentTo(allowed), "the cell of " + sides + " at " + (atSs1 ? "SS1" : "SS2"));
    }

    [Test]
    public void RowsThatDisagreeAllowNoState()
    {
        Assert.That(() => SwapRestartTable.Allowed(SwapSides.Inconsistent, atSs1: true), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [TestCase(false, PairState.Psus, PairState.Psus)]
    [TestCase(false, PairState.Psus, PairState.Psue)]
    public void AnUnansweredSwapMayComeBackNotTaken(bool answered, PairState atSs1, PairState atSs2)
    {
        CrashFindings findings = new();
        SwapSides sides = SwapVerifier.Check(Made, Row(Made, atSs1, secondary: false), Row(Made, atSs2, secondary: true), answered, findings);
        Assert.That(sides, Is.EqualTo(SwapSides.Before));
        Assert.That((findings.IsClean, findings.SwapsNotTaken, findings.PairsChecked), Is.EqualTo((true, 1L, 2L)), string.Join("; ", findings.Problems));
    }

    [TestCase(true, PairState.CopyResync, PairState.CopyResync)]
    [TestCase(true, PairState.Pair, PairState.Pair)]
    [TestCase(false, PairState.CopyResync, PairState.Psue)]
    [TestCase(true, PairState.Psue, PairState.CopyResync)]
    public void ASwapMayComeBackTakenAnsweredOrNot(bool answered, PairState atSs1, PairState atSs2)
    {
        CrashFindings findings = new();
        SwapSides sides = SwapVerifier.Check(Made, Row(Swapped, atSs1, secondary: true), Row(Swapped, atSs2, secondary: false), answered, findings);
        Assert.That(sides, Is.EqualTo(SwapSides.After));
        Assert.That((findings.IsClean, findings.SwapsTaken), Is.EqualTo((true, 1L)), string.Join("; ", findings.Problems));
    }

    [Test]
    public void ASwapAnsweredGoodThatCameBackNotTakenIsFound()
    {
        CrashFindings findings = new();
        SwapVerifier.Check(Made, Row(Made, PairState.Psus, secondary: false), Row(Made, PairState.Psus, secondary: true), answered: true, findings);
        Assert.That(findings.RoleViolations, Is.EqualTo(1), "the requester answers only after both commits: an answered swap is on both sides");
        Assert.That(findings.IsClean, Is.False);
        Assert.That(findings.Problems[0], Does.Contain("answered GOOD").And.Contain("not swapped"));
    }

    [Test]
    public void TwoSVolRowsAfterAnUnansweredSwapAreCountedAndAfterAnAnsweredOneFound()
    {
        CrashFindings unanswered = new();
        SwapSides sides = SwapVerifier.Check(Made, Row(Swapped, PairState.Psue, secondary: true), Row(Made, PairState.Psus, secondary: true), answered: false, unanswered);
        Assert.That(sides, Is.EqualTo(SwapSides.TwoSVols));
        Assert.That((unanswered.IsClean, unanswered.SwapsWithTwoSVols), Is.EqualTo((true, 1L)), "the requester crashed between the owner's commit and its own: the host sends the swap again");

        CrashFindings answered = new();
        SwapVerifier.Check(Made, Row(Swapped, PairState.CopyResync, secondary: true), Row(Made, PairState.Psus, secondary: true), answered: true, answered);
        Assert.That(answered.RoleViolations, Is.EqualTo(1), "answered GOOD: the requester's turn was kept before the answer");
    }

    [Test]
    public void TwoPVolRowsAreFound()
    {
        CrashFindings findings = new();
        SwapSides sides = SwapVerifier.Check(Made, Row(Made, PairState.Psus, secondary: false), Row(Swapped, PairState.CopyResync, secondary: false), answered: false, findings);
        Assert.That(sides, Is.EqualTo(SwapSides.Inconsistent));
        Assert.That(findings.RoleViolations, Is.EqualTo(1), "two owners");
        Assert.That(findings.Problems[0], Does.Contain("disagree on its roles").And.Contain("SS1 P-VOL").And.Contain("SS2 P-VOL"));
    }

    [Test]
    public void AMissingRowOrOneNoLongerDeterminingIsFound()
    {
        CrashFindings missing = new();
        Assert.That(SwapVerifier.Check(Made, Row(Made, PairState.Psus, secondary: false), null, answered: false, missing), Is.EqualTo(SwapSides.Inconsistent));
        Assert.That(missing.RoleViolations, Is.EqualTo(1), "SS2 lost its row");
        Assert.That(missing.Problems[0], Does.Contain("SS2 no row"));

        CrashFindings plain = new();
        PairStatusRow notDetermining = Row(Made, PairState.Psus, secondary: true) with { Flags = PairStatusRow.SecondaryFlag };
        Assert.That(SwapVerifier.Check(Made, Row(Made, PairState.Psus, secondary: false), notDetermining, answered: false, plain), Is.EqualTo(SwapSides.Inconsistent));
        Assert.That(plain.Problems[0], Does.Contain("(not determining)"), "the determining flag is kept with the row");
    }

    [TestCase("Before", PairState.Psue, PairState.Psus)]
    [TestCase("Before", PairState.Pair, PairState.Psus)]
    [TestCase("After", PairState.CopyResync, PairState.Psus)]
    [TestCase("After", PairState.Copy, PairState.Pair)]
    public void AStateTheTableDoesNotAllowIsFound(string outcome, PairState atSs1, PairState atSs2)
    {
        CrashFindings findings = new();
        bool before = Enum.Parse<SwapSides>(outcome) == SwapSides.Before;
        SwapVerifier.Check(Made, Row(before ? Made : Swapped, atSs1, secondary: !before), Row(before ? Made : Swapped, atSs2, secondary: before), answered: false, findings);
        Assert.That(findings.PairStateViolations, Is.EqualTo(1), "one side's state is outside its cell: " + string.Join("; ", findings.Problems));
        Assert.That(findings.Problems[0], Does.Contain("remote restart table allows"));
    }

    private static PairStatusRow Row(WirePair pair, PairState state, bool secondary)
    {
        return new PairStatusRow(1, pair.PVol, pair.SVol, 1, (byte)state, 0, 0, 0, 0, 0, 0, string.Empty)
        {
            Flags = (byte)(PairStatusRow.DeterminingFlag | (secondary ? PairStatusRow.SecondaryFlag : 0)),
        };
    }
}
