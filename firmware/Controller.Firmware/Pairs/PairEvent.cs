// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.PairVocabulary;

namespace Controller.Firmware.Pairs;

/// <summary>One entry of the pair event log: a command's effect on a pair, with time, write sequence and cause.</summary>
/// <param name="Time">When, on the controller's clock.</param>
/// <param name="Sequence">The controller's write sequence number at that moment.</param>
/// <param name="EntryId">The pair's Copy Management Table entry.</param>
/// <param name="PVol">The pair's P-VOL.</param>
/// <param name="SVol">The pair's S-VOL.</param>
/// <param name="Operation">The command.</param>
/// <param name="Result">Accepted, no-op or rejected.</param>
/// <param name="From">The state before.</param>
/// <param name="To">The state after.</param>
/// <param name="Error">The rejection's code, else None.</param>
/// <param name="Cause">A command, or the controller (copy complete, a fault).</param>
public readonly record struct PairEvent(
    DateTimeOffset Time,
    long Sequence,
    int EntryId,
    VolumeAddress PVol,
    VolumeAddress SVol,
    PairOperation Operation,
    CommandResult Result,
    PairState From,
    PairState To,
    PairErrorCode Error,
    PairEventCause Cause);
