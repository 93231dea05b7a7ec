// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.PairVocabulary;

/// <summary>The names pairdisplay prints for a state, per side of the pair.</summary>
public static class PairStateNames
{
    /// <summary>Gets the state's name as the P side (or a table) shows it: SMPL, COPY, PAIR, PSUS, PSUE, COPY(RS), RCPY.</summary>
    /// <param name="state">The state.</param>
    /// <returns>The name.</returns>
    public static string Of(PairState state)
    {
        return state switch
        {
            PairState.Smpl => "SMPL",
            PairState.Copy => "COPY",
            PairState.Pair => "PAIR",
            PairState.Psus => "PSUS",
            PairState.Psue => "PSUE",
            PairState.CopyResync => "COPY(RS)",
            PairState.Rcpy => "RCPY",
            _ => "state " + (int)state,
        };
    }

    /// <summary>Gets the state's name as the S side shows it: a split pair is SSUS there.</summary>
    /// <param name="state">The state.</param>
    /// <returns>The name.</returns>
    public static string OfSVol(PairState state)
    {
        return state == PairState.Psus ? "SSUS" : Of(state);
    }
}
