// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;

namespace Controller.HostSim.CrashTest;

/// <summary>
/// A pair row's value as the run observes it in the Copy Management Table (what a commit or a checkpoint could keep),
/// or its absence (never created, or deleted).
/// </summary>
/// <param name="Exists">False when the table has no such pair.</param>
/// <param name="EntryId">The row's entry ID.</param>
/// <param name="State">The pair state.</param>
/// <param name="SplitMode">The split mode.</param>
/// <param name="MirrorName">The mirror name, or null.</param>
internal readonly record struct PowerCutRow(bool Exists, int EntryId, PairState State, SplitMode SplitMode, string? MirrorName)
{
    /// <summary>Gets the absent row.</summary>
    public static PowerCutRow Absent => default;

    /// <summary>Reads a pair's row.</summary>
    /// <param name="pair">The pair, or null.</param>
    /// <returns>Its value.</returns>
    public static PowerCutRow Of(MirrorPair? pair)
    {
        return pair is null ? Absent : new PowerCutRow(true, pair.EntryId, pair.State, pair.SplitMode, pair.MirrorName);
    }

    /// <summary>
    /// Tells whether a restart may bring this kept row back as another (the restart table after a crash, docs/durability.md):
    /// COPY, COPY(RS), RCPY, PSUS and PSUE keep their state; PAIR comes back PAIR or PSUE (PAIR only where the
    /// write-intent log shows the mirror writes durable on both sides). Entry ID, mirror name and a split's mode are kept.
    /// </summary>
    /// <param name="restored">The row after the restart.</param>
    /// <returns>True when allowed.</returns>
    public bool MayRestartAs(PowerCutRow restored)
    {
        if (!Exists || !restored.Exists)
        {
            return Exists == restored.Exists;
        }

        bool state = State == PairState.Pair ? restored.State is PairState.Pair or PairState.Psue : restored.State == State;
        bool mode = State != PairState.Psus || restored.SplitMode == SplitMode;
        return state && mode && restored.EntryId == EntryId && restored.MirrorName == MirrorName;
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        return Exists ? "entry " + EntryId + " " + PairStateNames.Of(State) + (State == PairState.Psus ? " " + SplitMode : string.Empty) + (MirrorName is null ? string.Empty : " in " + MirrorName) : "no pair";
    }
}
