// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using Controller.Firmware.PairVocabulary;
using Controller.Wire.CopyManagement;

namespace Controller.HostSim.Replay;

/// <summary>
/// How a replay compares a PAIR STATUS answer with the recorded one: row by row on the fields the trace decides, not
/// byte by byte. A copy (COPY, COPY(RS), RCPY) runs in the background at its own pace, so how far it had got when the
/// recording asked, and when a split happened by the clock, are not the trace's to repeat:
/// <list type="bullet">
/// <item>always compared: the number of rows, and each row's entry, P-VOL, S-VOL, type, flags (side, determining),
/// split mode, mirror unit and mirror name;</item>
/// <item>the state: equal, or a recorded copy state where the replay's copy has already ended in PAIR (the state every
/// copy ends in);</item>
/// <item>when the recorded state is not a copy state (SMPL, PAIR, PSUS, PSUE): the percentage identical, the
/// differential tracks and the split's write sequence number too;</item>
/// <item>never: the split time (the controller's clock).</item>
/// </list>
/// Where the recording saw a copy ended and the replay's is still running, the replay asks again until it has ended
/// (<see cref="IsStillCopying"/>): the recorder had waited for the same.
/// </summary>
internal static class PairStatusComparison
{
    /// <summary>Tells whether a state is one a background copy leaves by itself (for PAIR).</summary>
    /// <param name="state">The state, as the wire carries it.</param>
    /// <returns>True for COPY, COPY(RS) and RCPY.</returns>
    public static bool IsCopying(byte state)
    {
        return (PairState)state is PairState.Copy or PairState.CopyResync or PairState.Rcpy;
    }

    /// <summary>Tells whether the replay should ask again: a pair the recording saw out of its copy is still copying now.</summary>
    /// <param name="recorded">The recorded rows.</param>
    /// <param name="replayed">The rows now.</param>
    /// <returns>True when some row, the same pair in both, is copying now and was not in the recording.</returns>
    public static bool IsStillCopying(IReadOnlyList<PairStatusRow> recorded, IReadOnlyList<PairStatusRow> replayed)
    {
        for (int i = 0; i < Math.Min(recorded.Count, replayed.Count); i++)
        {
            if (SamePair(recorded[i], replayed[i]) && IsCopying(replayed[i].State) && !IsCopying(recorded[i].State))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Compares two answers to PAIR STATUS on the fields the trace decides.</summary>
    /// <param name="recorded">The recorded rows.</param>
    /// <param name="replayed">The rows now.</param>
    /// <returns>Null when they agree; else the first difference, in words.</returns>
    public static string? Difference(IReadOnlyList<PairStatusRow> recorded, IReadOnlyList<PairStatusRow> replayed)
    {
        if (recorded.Count != replayed.Count)
        {
            return "PAIR STATUS has " + replayed.Count + " rows, the recording " + recorded.Count;
        }

        for (int i = 0; i < recorded.Count; i++)
        {
            PairStatusRow then = recorded[i];
            PairStatusRow now = replayed[i];
            string row = "PAIR STATUS row " + (i + 1) + " (" + then.PVol + " -> " + then.SVol + "): ";
            if (!SamePair(then, now) || then.Type != now.Type || then.Flags != now.Flags || then.SplitMode != now.SplitMode || then.MirrorName != now.MirrorName)
            {
                return row + "recorded entry " + then.EntryId + " " + Describe(then) + "; replayed entry " + now.EntryId + " " + Describe(now);
            }

            bool stateMatches = now.State == then.State || (IsCopying(then.State) && now.State == (byte)PairState.Pair);
            if (!stateMatches)
            {
                return row + "recorded " + Name(then.State) + "; replayed " + Name(now.State);
            }

            if (!IsCopying(then.State) && (then.Percent != now.Percent || then.DifferentialTracks != now.DifferentialTracks || then.SplitSequence != now.SplitSequence))
            {
                return row + Name(then.State) + " with " + Progress(then) + " recorded; " + Progress(now) + " replayed";
            }
        }

        return null;
    }

    private static bool SamePair(in PairStatusRow a, in PairStatusRow b)
    {
        return a.EntryId == b.EntryId && a.PVol == b.PVol && a.SVol == b.SVol && a.MirrorUnit == b.MirrorUnit;
    }

    private static string Name(byte state)
    {
        return PairStateNames.Of((PairState)state);
    }

    private static string Describe(in PairStatusRow row)
    {
        return row.PVol + " -> " + row.SVol + " MU " + row.MirrorUnit + " type " + row.Type + " flags 0x" + row.Flags.ToString("X2", CultureInfo.InvariantCulture)
            + " split mode " + row.SplitMode + (row.MirrorName.Length > 0 ? " mirror " + row.MirrorName : string.Empty);
    }

    private static string Progress(in PairStatusRow row)
    {
        return (row.Percent == PairStatusRow.PercentUnknown ? "-" : row.Percent.ToString(CultureInfo.InvariantCulture)) + " % identical, "
            + row.DifferentialTracks.ToString(CultureInfo.InvariantCulture) + " differential tracks, split sequence " + row.SplitSequence.ToString(CultureInfo.InvariantCulture);
    }
}
