// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Pairs;

namespace Controller.Firmware.Persistence;

/// <summary>
/// What the state directory holds after <see cref="ControllerStateStore.Load"/>: the last checkpoint with the journal
/// after it applied, and what was found on the way (a torn last record, a stale journal).
/// </summary>
public sealed class ControllerStateImage
{
    /// <summary>Gets or sets the checkpoint's generation (0: no checkpoint, a controller that never kept state).</summary>
    public long Generation { get; set; }

    /// <summary>
    /// Gets or sets whether the state was written by a graceful stop, after every command was answered and every
    /// write had landed, with nothing journaled after it: its bitmaps are then exact.
    /// </summary>
    public bool CleanStop { get; set; }

    /// <summary>Gets the rows, by entry ID.</summary>
    public SortedDictionary<int, PairSnapshot> Pairs { get; } = [];

    /// <summary>Gets the bitmap leaves of the checkpoint (rows deleted after it are dropped).</summary>
    public List<BitmapRecord> Bitmaps { get; } = [];

    /// <summary>Gets the journal records applied after the checkpoint.</summary>
    public int JournalRecords { get; set; }

    /// <summary>Gets what the load noticed, one line each (for the daemon's log).</summary>
    public List<string> Notes { get; } = [];

    /// <summary>Gets whether there was any state to restore.</summary>
    public bool IsEmpty => Generation == 0 && JournalRecords == 0;
}
