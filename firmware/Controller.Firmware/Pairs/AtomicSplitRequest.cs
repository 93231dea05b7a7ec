// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.PairVocabulary;

namespace Controller.Firmware.Pairs;

/// <summary>
/// An ATOMIC SPLIT: by a list of pairs (seed 000 FIG 7) or by a mirror name (FIG 9), with the mechanism and the
/// S-VOL access after the split. Exactly one of <see cref="Pairs"/> and <see cref="MirrorName"/> is given.
/// </summary>
public sealed record AtomicSplitRequest
{
    /// <summary>The default bound on a split's hold (R0-25: well below a host's I/O timeout).</summary>
    public static readonly TimeSpan DefaultHoldTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Gets the pairs to split at one point, in order (FIG 7), or null for a split by name.</summary>
    public IReadOnlyList<PairAddress>? Pairs { get; init; }

    /// <summary>Gets the mirror name whose members to split (FIG 9), or null for a split by list.</summary>
    public string? MirrorName { get; init; }

    /// <summary>Gets how the split point is taken.</summary>
    public AtomicSplitMechanism Mechanism { get; init; } = AtomicSplitMechanism.Freeze;

    /// <summary>Gets whether the S-VOLs become read/write (pairsplit -rw) or stay read-only.</summary>
    public SplitMode SplitMode { get; init; } = SplitMode.ReadOnly;

    /// <summary>Gets the longest the split may take from its hold to its commit before it aborts (R0-25).</summary>
    public TimeSpan HoldTimeout { get; init; } = DefaultHoldTimeout;

    /// <summary>Makes a split by list.</summary>
    /// <param name="pairs">The pairs.</param>
    /// <param name="mechanism">The mechanism.</param>
    /// <param name="splitMode">The S-VOL access after the split.</param>
    /// <returns>The request.</returns>
    public static AtomicSplitRequest ByList(IReadOnlyList<PairAddress> pairs, AtomicSplitMechanism mechanism, SplitMode splitMode = SplitMode.ReadOnly)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        return new AtomicSplitRequest { Pairs = pairs, Mechanism = mechanism, SplitMode = splitMode };
    }

    /// <summary>Makes a split by mirror name.</summary>
    /// <param name="mirrorName">The name.</param>
    /// <param name="mechanism">The mechanism.</param>
    /// <param name="splitMode">The S-VOL access after the split.</param>
    /// <returns>The request.</returns>
    public static AtomicSplitRequest ByName(string mirrorName, AtomicSplitMechanism mechanism, SplitMode splitMode = SplitMode.ReadOnly)
    {
        ArgumentNullException.ThrowIfNull(mirrorName);
        return new AtomicSplitRequest { MirrorName = mirrorName, Mechanism = mechanism, SplitMode = splitMode };
    }
}
