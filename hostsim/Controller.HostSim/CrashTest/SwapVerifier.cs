// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.PairVocabulary;
using Controller.Wire.CopyManagement;

namespace Controller.HostSim.CrashTest;

/// <summary>
/// The determining-swap scenario's check of the two subsystems' rows after a restart: the roles they give the pair
/// agree (one owner, one S-VOL side, the same volumes, both still determining), a swap answered GOOD is on both, and
/// each row's state is one <see cref="SwapRestartTable"/> allows.
/// </summary>
internal static class SwapVerifier
{
    /// <summary>Checks the rows.</summary>
    /// <param name="made">The pair as it was made (SS1's volume the P-VOL).</param>
    /// <param name="atSs1">SS1's row of the pair (either orientation), or null.</param>
    /// <param name="atSs2">SS2's row of the pair (either orientation), or null.</param>
    /// <param name="answered">Whether the swap resync was answered GOOD before the kill.</param>
    /// <param name="findings">Receives what is wrong.</param>
    /// <returns>What the rows say about the swap.</returns>
    public static SwapSides Check(WirePair made, PairStatusRow? atSs1, PairStatusRow? atSs2, bool answered, CrashFindings findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        findings.PairsChecked += 2;
        string shown = "SS1 " + Describe(atSs1) + ", SS2 " + Describe(atSs2);
        SwapSides sides = Classify(made, atSs1, atSs2);
        if (sides == SwapSides.Inconsistent)
        {
            findings.RoleViolations++;
            findings.Describe("determining pair " + made + ": the two sides disagree on its roles after the restart: " + shown);
            return sides;
        }

        if (answered && sides != SwapSides.After)
        {
            // The requester answers only after its own commit, and the owner commits before it replies.
            findings.RoleViolations++;
            findings.Describe("determining pair " + made + ": the swap resync was answered GOOD, yet after the restart " + shown + (sides == SwapSides.Before ? " (not swapped)" : " (two S-VOL rows)"));
        }
        else if (sides == SwapSides.Before)
        {
            findings.SwapsNotTaken++;
        }
        else if (sides == SwapSides.After)
        {
            findings.SwapsTaken++;
        }
        else
        {
            // The round's line shows the rows; the run sends the swap again and checks the pair whole after it.
            findings.SwapsWithTwoSVols++;
        }

        Expect(made, "SS1", atSs1!.Value, SwapRestartTable.Allowed(sides, atSs1: true), sides, findings);
        Expect(made, "SS2", atSs2!.Value, SwapRestartTable.Allowed(sides, atSs1: false), sides, findings);
        return sides;
    }

    /// <summary>What the rows say about the swap, states aside.</summary>
    /// <param name="made">The pair as it was made.</param>
    /// <param name="atSs1">SS1's row, or null.</param>
    /// <param name="atSs2">SS2's row, or null.</param>
    /// <returns>The roles they give the pair.</returns>
    public static SwapSides Classify(WirePair made, PairStatusRow? atSs1, PairStatusRow? atSs2)
    {
        if (atSs1 is not PairStatusRow one || atSs2 is not PairStatusRow two || !one.IsDetermining || !two.IsDetermining)
        {
            return SwapSides.Inconsistent;
        }

        bool oneMade = IsMade(made, one);
        bool twoMade = IsMade(made, two);
        bool oneSwapped = IsSwapped(made, one);
        bool twoSwapped = IsSwapped(made, two);
        if (oneMade && !one.IsSecondary && twoMade && two.IsSecondary)
        {
            return SwapSides.Before;
        }

        if (oneSwapped && one.IsSecondary && twoSwapped && !two.IsSecondary)
        {
            return SwapSides.After;
        }

        return oneSwapped && one.IsSecondary && twoMade && two.IsSecondary ? SwapSides.TwoSVols : SwapSides.Inconsistent;
    }

    /// <summary>A row as the report shows it: its side, volumes and state.</summary>
    /// <param name="row">The row, or null.</param>
    /// <returns>E.g. "S-VOL 0x421014,0x0030 -> 0x400104,0x0030 COPY(RS)".</returns>
    public static string Describe(PairStatusRow? row)
    {
        return row is PairStatusRow found
            ? (found.IsSecondary ? "S-VOL " : "P-VOL ") + new WirePair(found.PVol, found.SVol) + " " + PairStateNames.Of((PairState)found.State) + (found.IsDetermining ? string.Empty : " (not determining)")
            : "no row";
    }

    private static bool IsMade(WirePair made, PairStatusRow row) => row.PVol == made.PVol && row.SVol == made.SVol;

    private static bool IsSwapped(WirePair made, PairStatusRow row) => row.PVol == made.SVol && row.SVol == made.PVol;

    private static void Expect(WirePair made, string side, PairStatusRow row, IReadOnlyList<PairState> allowed, SwapSides sides, CrashFindings findings)
    {
        PairState seen = (PairState)row.State;
        foreach (PairState state in allowed)
        {
            if (state == seen)
            {
                return;
            }
        }

        List<string> names = [];
        foreach (PairState state in allowed)
        {
            names.Add(PairStateNames.Of(state));
        }

        findings.PairStateViolations++;
        findings.Describe("determining pair " + made + ": " + side + "'s row is " + PairStateNames.Of(seen) + " after the restart (" + sides + " the swap), but the remote restart table allows {" + string.Join(", ", names) + "} there");
    }
}
