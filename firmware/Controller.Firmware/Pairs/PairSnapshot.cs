// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.RemoteCopy;

namespace Controller.Firmware.Pairs;

/// <summary>
/// One Copy Management Table row as plain values: everything a restart needs to bring the pair back as it was (the
/// bitmaps travel apart). What the table hands its <see cref="IPairStateSink"/> and takes back in a restore; the
/// state files' codec (Persistence) reads and writes it, so the table does not depend on the files.
/// </summary>
public sealed record PairSnapshot
{
    /// <summary>Gets the row's entry ID.</summary>
    public required int EntryId { get; init; }

    /// <summary>Gets the P-VOL's address.</summary>
    public required VolumeAddress PVol { get; init; }

    /// <summary>Gets the P-VOL's LDEV in this subsystem (meaningful when it holds the P-VOL).</summary>
    public required LdevId PVolLdev { get; init; }

    /// <summary>Gets the S-VOL's address.</summary>
    public required VolumeAddress SVol { get; init; }

    /// <summary>Gets the S-VOL's LDEV in this subsystem (meaningful when it holds the S-VOL).</summary>
    public required LdevId SVolLdev { get; init; }

    /// <summary>Gets the mirror unit.</summary>
    public int MirrorUnit { get; init; }

    /// <summary>Gets the mirror type.</summary>
    public MirrorType Type { get; init; }

    /// <summary>Gets which volume this subsystem holds.</summary>
    public PairRole Role { get; init; }

    /// <summary>Gets the fence level (remote pairs).</summary>
    public FenceLevel Fence { get; init; }

    /// <summary>Gets, at a secondary, the primary's link identity.</summary>
    public int Peer { get; init; }

    /// <summary>Gets whether the pair is a determining pair.</summary>
    public bool Determining { get; init; }

    /// <summary>Gets the state.</summary>
    public PairState State { get; init; }

    /// <summary>Gets the last split's mode.</summary>
    public SplitMode SplitMode { get; init; }

    /// <summary>Gets whether the last split protected the P-VOL (pairsplit -P).</summary>
    public bool PVolProtected { get; init; }

    /// <summary>Gets the mirror name, if any.</summary>
    public string? MirrorName { get; init; }

    /// <summary>Gets the write sequence number of the last split point (0: never split).</summary>
    public long SplitSequence { get; init; }

    /// <summary>Gets the time of the last split point.</summary>
    public DateTimeOffset? SplitTime { get; init; }

    /// <summary>Gets the atomic split that last split the pair.</summary>
    public SplitIdentity SplitSource { get; init; }

    /// <summary>
    /// Gets whether a command moved tracks into the bitmaps (a copy stopped with tracks owed) since the last checkpoint
    /// taken after a drain: the kept bitmaps may then lack them, so a crash marks every track of the pair.
    /// </summary>
    public bool BitmapsAheadOfCheckpoint { get; init; }

    /// <summary>Gets whether a local PSUE's bitmaps mark every track that may differ (its resync is differential).</summary>
    public bool SuspendedWithValidMarks { get; init; }

    /// <summary>Gets the cascade's upstream P-VOL at the last atomic split, if any.</summary>
    public VolumeAddress? SplitUpstream { get; init; }
}
