// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.PairVocabulary;

namespace Controller.Firmware.Pairs;

/// <summary>
/// The answer to an ATOMIC SPLIT (R0-23): success with the split point shared by every member, or the error with
/// the failing pair and why; in both cases nothing is half done (G4).
/// </summary>
public sealed record AtomicSplitResult
{
    /// <summary>Gets the split's number in its controller (0 when the pre-check refused it).</summary>
    public int SplitId { get; init; }

    /// <summary>Gets whether every member was split.</summary>
    public bool Succeeded => Error == PairErrorCode.None;

    /// <summary>Gets why the split was refused or aborted (None on success).</summary>
    public PairErrorCode Error { get; init; }

    /// <summary>Gets the pair the error is about, if one.</summary>
    public PairAddress? FailedPair { get; init; }

    /// <summary>Gets the answer in words (names the failing pair and the reason).</summary>
    public string Message { get; init; } = string.Empty;

    /// <summary>Gets the members, in the order of the command (or of the name's list).</summary>
    public IReadOnlyList<PairAddress> Members { get; init; } = [];

    /// <summary>Gets the split point: the last write sequence number in the split image (0 unless split).</summary>
    public long SplitSequence { get; init; }

    /// <summary>Gets the time of the split point (null unless split).</summary>
    public DateTimeOffset? SplitTime { get; init; }

    /// <summary>Gets the split's timings and holds (null when the pre-check refused it).</summary>
    public AtomicSplitTelemetry? Telemetry { get; init; }
}
