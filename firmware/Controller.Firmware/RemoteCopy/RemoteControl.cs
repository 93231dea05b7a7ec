// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.PairVocabulary;

namespace Controller.Firmware.RemoteCopy;

/// <summary>One pair-control message from a remote pair's primary to its secondary.</summary>
/// <param name="Kind">What to do.</param>
/// <param name="Pair">The pair: P-VOL in the primary's namespace, S-VOL in the secondary's.</param>
public sealed record RemoteControl(RemoteControlKind Kind, PairAddress Pair)
{
    /// <summary>Gets, for <see cref="RemoteControlKind.SetState"/>, the state the S side takes.</summary>
    public PairState State { get; init; }

    /// <summary>Gets, for a split to PSUS, whether the S-VOL becomes read/write.</summary>
    public SplitMode SplitMode { get; init; }

    /// <summary>Gets, for <see cref="RemoteControlKind.Create"/>, the pair's fence level.</summary>
    public FenceLevel Fence { get; init; }

    /// <summary>Gets, for <see cref="RemoteControlKind.Create"/>, the P-VOL's capacity in blocks (the S-VOL must match); for a resync, the pair's (its bitmap's size).</summary>
    public long BlockCount { get; init; }

    /// <summary>Gets, for <see cref="RemoteControlKind.Create"/> and a resync, the primary's track size (both bitmaps must agree).</summary>
    public int TrackSizeBytes { get; init; }

    /// <summary>Gets, for <see cref="RemoteControlKind.NameMirrors"/>, the name.</summary>
    public string? MirrorName { get; init; }

    /// <summary>Gets, for a name, all its members in order; for a split's prepare or commit, the peer's members.</summary>
    public IReadOnlyList<PairAddress> Members { get; init; } = [];

    /// <summary>Gets, for the split messages, which split (the coordinator's serial and split number).</summary>
    public SplitIdentity Split { get; init; }

    /// <summary>Gets, for the split messages, the mechanism.</summary>
    public AtomicSplitMechanism Mechanism { get; init; }

    /// <summary>Gets, for a prepare or a freeze's commit, the longest the peer may hold before it aborts by itself.</summary>
    public TimeSpan HoldTimeout { get; init; }

    /// <summary>
    /// Gets, for a no-copy create, the P-VOL of the pair the new P-VOL was split from (with <see cref="Split"/>, the
    /// split): the secondary proves its S-VOL holds the same image (FIG 12); null for a create with a copy.
    /// </summary>
    public VolumeAddress? NoCopyOrigin { get; init; }

    /// <summary>Gets, for a commit, the split time every member records.</summary>
    public DateTimeOffset SplitTime { get; init; }

    /// <summary>Gets, for <see cref="RemoteControlKind.PairCommand"/>, the command.</summary>
    public PairOperation Operation { get; init; }

    /// <summary>Gets, for <see cref="RemoteControlKind.Create"/>, whether the pair is a determining pair (seed 002: FIG 4 decides its resyncs).</summary>
    public bool Determining { get; init; }

    /// <inheritdoc/>
    public override string ToString()
    {
        return Kind switch
        {
            RemoteControlKind.SetState => "SET STATE " + PairStateNames.Of(State) + " " + Pair,
            RemoteControlKind.NameMirrors => "NAME MIRRORS '" + MirrorName + "' (" + Members.Count + " pairs)",
            RemoteControlKind.PairCommand => "PAIR COMMAND " + Operation.ToString().ToUpperInvariant() + " " + Pair,
            _ when Kind.IsSplitMessage() => Kind.ToString().ToUpperInvariant() + " " + Split + " (" + Members.Count + " pairs here)",
            _ => Kind.ToString().ToUpperInvariant() + " " + Pair,
        };
    }
}
