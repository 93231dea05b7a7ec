// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Addressing;
using Controller.Firmware.Bitmaps;
using Controller.Firmware.Volumes;

namespace Controller.Firmware.Pairs;

/// <summary>
/// One row of the Copy Management Table (seed 000 FIG 6): a mirror between a P-VOL and an S-VOL, its state,
/// its differential bitmaps (one per side) and its last split point. Mutated only by the
/// <see cref="CopyManagementTable"/> under its lock; the data path reads <see cref="State"/> without locking.
/// </summary>
public sealed class MirrorPair
{
    private int _state;

    internal MirrorPair(int entryId, VolumeAddress pVolAddress, Ldev pVol, VolumeAddress sVolAddress, Ldev sVol, int mirrorUnit, MirrorType type)
    {
        EntryId = entryId;
        PVolAddress = pVolAddress;
        PVol = pVol;
        SVolAddress = sVolAddress;
        SVol = sVol;
        MirrorUnit = mirrorUnit;
        Type = type;
        PVolBitmap = new DifferentialBitmap(pVol.BlockCount, pVol.Geometry);
        SVolBitmap = new DifferentialBitmap(sVol.BlockCount, sVol.Geometry);
    }

    /// <summary>Gets the row's entry ID, unique in this controller.</summary>
    public int EntryId { get; }

    /// <summary>Gets the P-VOL's address (after a swap resync, the former S-VOL).</summary>
    public VolumeAddress PVolAddress { get; private set; }

    /// <summary>Gets the P-VOL.</summary>
    public Ldev PVol { get; private set; }

    /// <summary>Gets the S-VOL's address.</summary>
    public VolumeAddress SVolAddress { get; private set; }

    /// <summary>Gets the S-VOL.</summary>
    public Ldev SVol { get; private set; }

    /// <summary>Gets the mirror unit (0-2) of this pair among the P-VOL's local mirrors.</summary>
    public int MirrorUnit { get; }

    /// <summary>Gets the mirror type.</summary>
    public MirrorType Type { get; }

    /// <summary>Gets the state; read lock-free by the data path.</summary>
    public PairState State
    {
        get => (PairState)Volatile.Read(ref _state);
        internal set => Volatile.Write(ref _state, (int)value);
    }

    /// <summary>Gets the mode of the last split.</summary>
    public SplitMode SplitMode { get; internal set; }

    /// <summary>Gets the mirror name, if the pair belongs to one (issue #5).</summary>
    public string? MirrorName { get; internal set; }

    /// <summary>Gets the write sequence number of the last split point, or 0 if never split.</summary>
    public long SplitSequence { get; internal set; }

    /// <summary>Gets the time of the last split point, if any.</summary>
    public DateTimeOffset? SplitTime { get; internal set; }

    /// <summary>Gets the P-side bitmap: tracks written on the P-VOL while the pair is not mirroring.</summary>
    public DifferentialBitmap PVolBitmap { get; private set; }

    /// <summary>Gets the S-side bitmap: tracks written on the S-VOL after a read/write split.</summary>
    public DifferentialBitmap SVolBitmap { get; private set; }

    /// <summary>
    /// Gets the tracks still to copy for the running copy (initial copy, resync, restore, swap), or null when no
    /// copy is pending. The copy engine claims tracks from it with <see cref="DifferentialBitmap.TryClear"/>.
    /// </summary>
    public DifferentialBitmap? CopySet { get; private set; }

    /// <summary>Gets the direction of the pending copy.</summary>
    public CopyDirection CopyDirection { get; private set; }

    /// <summary>Gets the number of tracks the pending copy started with (for progress).</summary>
    public long CopyTotalTracks { get; private set; }

    /// <summary>Counts the tracks a resync would copy: the union of both sides' bitmaps.</summary>
    /// <returns>The number of differential tracks.</returns>
    public long CountDifferentialTracks()
    {
        DifferentialBitmap union = new(PVol.BlockCount, PVol.Geometry);
        union.UnionWith(PVolBitmap);
        union.UnionWith(SVolBitmap);
        return union.CountSet();
    }

    /// <summary>Sets up a copy of every track (initial copy, resync after PSUE), discarding both sides' bitmaps.</summary>
    /// <param name="direction">Which way to copy.</param>
    internal void StartFullCopy(CopyDirection direction)
    {
        DifferentialBitmap all = new(PVol.BlockCount, PVol.Geometry);
        all.SetRange(0, all.TrackCount - 1);
        PVolBitmap.ClearAll();
        SVolBitmap.ClearAll();
        StartCopy(all, direction);
    }

    /// <summary>
    /// Sets up a differential copy of the union of both sides' bitmaps. Both bitmaps are swapped out for fresh
    /// ones (no bitmap is copied) and merged into the copy set.
    /// </summary>
    /// <param name="direction">Which way to copy.</param>
    internal void StartDifferentialCopy(CopyDirection direction)
    {
        DifferentialBitmap union = PVolBitmap.SwapInFresh();
        union.UnionWith(SVolBitmap.SwapInFresh());
        StartCopy(union, direction);
    }

    /// <summary>Drops the pending copy (suspend by error, delete).</summary>
    internal void CancelCopy()
    {
        CopySet = null;
        CopyTotalTracks = 0;
    }

    /// <summary>Exchanges the roles of the two volumes and their bitmaps (swap resync).</summary>
    internal void SwapRoles()
    {
        (PVolAddress, SVolAddress) = (SVolAddress, PVolAddress);
        (PVol, SVol) = (SVol, PVol);
        (PVolBitmap, SVolBitmap) = (SVolBitmap, PVolBitmap);
    }

    private void StartCopy(DifferentialBitmap copySet, CopyDirection direction)
    {
        CopySet = copySet;
        CopyDirection = direction;
        CopyTotalTracks = copySet.CountSet();
    }
}
