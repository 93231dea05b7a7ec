// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.PairVocabulary;

namespace Controller.Firmware.Pairs;

/// <summary>
/// A pair command as the state machine decided it, in plain values: taken under the table's lock, made into a
/// <see cref="PairCommandResponse"/> by <see cref="ToResponse"/> after the lock is left, and into words only when
/// someone reads the answer's message. A decision nobody answers (a suspension by a fault on an MP, a finished copy),
/// or whose answer is read only for its verdict, is never formatted at all.
/// </summary>
/// <param name="PVol">The P-VOL's address.</param>
/// <param name="SVol">The S-VOL's address.</param>
/// <param name="Operation">The command.</param>
/// <param name="Result">Accepted, no-op or rejected.</param>
/// <param name="From">The state the command found.</param>
/// <param name="To">The state it left (the found one unless accepted).</param>
/// <param name="Error">The rejection's code, else None.</param>
internal readonly record struct PairDecision(VolumeAddress PVol, VolumeAddress SVol, PairOperation Operation, CommandResult Result, PairState From, PairState To, PairErrorCode Error)
{
    /// <summary>Gets text that follows the verdict in the message (a reason, the peer's words), or null.</summary>
    public string? Note { get; init; }

    /// <summary>Makes the answer (outside the lock); its words are formatted only if they are read.</summary>
    /// <returns>The answer.</returns>
    public PairCommandResponse ToResponse()
    {
        return new PairCommandResponse(this);
    }

    /// <summary>Formats the answer's words.</summary>
    /// <returns>What happened, naming the pair.</returns>
    public string Words()
    {
        string verdict = Result switch
        {
            CommandResult.Accepted => "accepted -> " + PairStateNames.Of(To),
            CommandResult.NoOp => "no-op",
            _ => "rejected: " + Error,
        };
        return PVol + " -> " + SVol + ": " + PairStateNames.Of(From) + " x " + Operation + " " + verdict + Note;
    }
}
