// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.PairVocabulary;

namespace Controller.Firmware.Pairs;

/// <summary>One cell of a command table: what a command does to a pair in one state.</summary>
/// <param name="Result">Accepted, no-op or rejected.</param>
/// <param name="NextState">The state after an accepted command (the copy state for copying commands); else the current state.</param>
/// <param name="Error">The reason for a rejection, else <see cref="PairErrorCode.None"/>.</param>
public readonly record struct TransitionRule(CommandResult Result, PairState NextState, PairErrorCode Error)
{
    /// <summary>An accepted command moving the pair to <paramref name="next"/>.</summary>
    /// <param name="next">The next state.</param>
    /// <returns>The rule.</returns>
    public static TransitionRule To(PairState next)
    {
        return new TransitionRule(CommandResult.Accepted, next, PairErrorCode.None);
    }

    /// <summary>A no-op that returns success in state <paramref name="state"/>.</summary>
    /// <param name="state">The state, unchanged.</param>
    /// <returns>The rule.</returns>
    public static TransitionRule NoOp(PairState state)
    {
        return new TransitionRule(CommandResult.NoOp, state, PairErrorCode.None);
    }

    /// <summary>A rejection in state <paramref name="state"/>.</summary>
    /// <param name="state">The state, unchanged.</param>
    /// <param name="error">Why.</param>
    /// <returns>The rule.</returns>
    public static TransitionRule Reject(PairState state, PairErrorCode error)
    {
        return new TransitionRule(CommandResult.Rejected, state, error);
    }
}
