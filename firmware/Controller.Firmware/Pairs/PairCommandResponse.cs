// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.PairVocabulary;

namespace Controller.Firmware.Pairs;

/// <summary>The answer to a pair command: the table's verdict, the pair's state after it, and a message for people.</summary>
/// <param name="Result">Accepted, no-op or rejected.</param>
/// <param name="State">The pair's state after the command (SMPL when there is no pair).</param>
/// <param name="Error">The rejection's code, else None.</param>
/// <param name="Message">What happened, naming the pair (e.g. "0x400104, 0x0001 -> 0x400104, 0x0002: PAIR x Restore rejected: NotSplit").</param>
public readonly record struct PairCommandResponse(CommandResult Result, PairState State, PairErrorCode Error, string Message)
{
    /// <summary>Gets a value indicating whether the command succeeded (accepted or no-op).</summary>
    public bool Succeeded => Result != CommandResult.Rejected;
}
