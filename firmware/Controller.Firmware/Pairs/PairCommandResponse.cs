// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.PairVocabulary;

namespace Controller.Firmware.Pairs;

/// <summary>The answer to a pair command: the table's verdict, the pair's state after it, and a message for people.</summary>
/// <remarks>
/// The message of an answer the state machine decided is formatted when it is read, not when the command is answered:
/// most callers read only the verdict (a bench resyncing 512 pairs between splits, a copy that finished), and the
/// words cost half a dozen strings per pair.
/// </remarks>
public readonly record struct PairCommandResponse
{
    private readonly string? _message;
    private readonly PairDecision _decision;

    /// <summary>Initializes an answer with its words.</summary>
    /// <param name="result">Accepted, no-op or rejected.</param>
    /// <param name="state">The pair's state after the command (SMPL when there is no pair).</param>
    /// <param name="error">The rejection's code, else None.</param>
    /// <param name="message">What happened, naming the pair.</param>
    public PairCommandResponse(CommandResult result, PairState state, PairErrorCode error, string message)
    {
        Result = result;
        State = state;
        Error = error;
        _message = message;
    }

    /// <summary>Initializes the answer to a decision of the state machine; its words are made when read.</summary>
    /// <param name="decision">The decision.</param>
    internal PairCommandResponse(in PairDecision decision)
    {
        Result = decision.Result;
        State = decision.To;
        Error = decision.Error;
        _decision = decision;
    }

    /// <summary>Gets the verdict: accepted, no-op or rejected.</summary>
    public CommandResult Result { get; }

    /// <summary>Gets the pair's state after the command (SMPL when there is no pair).</summary>
    public PairState State { get; }

    /// <summary>Gets the rejection's code, else None.</summary>
    public PairErrorCode Error { get; }

    /// <summary>Gets what happened, naming the pair (e.g. "0x400104, 0x0001 -> 0x400104, 0x0002: PAIR x Restore rejected: NotSplit").</summary>
    public string Message => _message ?? _decision.Words();

    /// <summary>Gets a value indicating whether the command succeeded (accepted or no-op).</summary>
    public bool Succeeded => Result != CommandResult.Rejected;
}
