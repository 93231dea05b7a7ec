// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Media;
using Controller.Firmware.Pairs;

namespace Controller.Firmware;

/// <summary>How a <see cref="StorageSubsystem"/> is sized and paced.</summary>
public sealed record SubsystemOptions
{
    private readonly int _mpCount = Math.Clamp(Environment.ProcessorCount, 1, 8);
    private readonly int _queueDepth = 4096;

    /// <summary>Gets the number of MPs (1 or more); default one per core, at most 8.</summary>
    public int MpCount
    {
        get => _mpCount;
        init => _mpCount = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "a subsystem has at least one MP");
    }

    /// <summary>Gets the depth of each MP's queue: a power of two, at least 4; host commands in flight are held to a quarter of it.</summary>
    public int QueueDepth
    {
        get => _queueDepth;
        init => _queueDepth = value >= 4 && (value & (value - 1)) == 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "the MP queue depth must be a power of two, at least 4");
    }

    /// <summary>Gets the track geometry of every LDEV (default 64 KiB tracks).</summary>
    public TrackGeometry Geometry { get; init; } = TrackGeometry.Default;

    /// <summary>
    /// Gets the subsystem's serial number, which names it to its peers: the atomic splits it coordinates are known
    /// by (serial, split number) in both subsystems' tables (default 1; give two linked subsystems different ones).
    /// </summary>
    public int Serial { get; init; } = 1;

    /// <summary>Gets how fast the copy engine runs.</summary>
    public CopyPace CopyPace { get; init; } = CopyPace.Default;

    /// <summary>
    /// Gets whether a split of a determining pair suspended by error (PSUE), sent to its primary once the link is back,
    /// re-arms it to SUSPEND (NORMAL) (seed 002 FIG 3 T8, the operator's recovery; default true). Off, T1 decides (a
    /// no-op) and the pair must be deleted and created again.
    /// </summary>
    public bool DeterminingRearmFromSuspendAbnormal { get; init; } = true;

    /// <summary>Gets whether a determining pair may be split while it copies (FIG 3 T9, as T1; default true). Off, the split waits for PAIRED.</summary>
    public bool DeterminingSplitWhileCopying { get; init; } = true;
}
