// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.Bitmaps;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.RemoteCopy;
using Controller.Firmware.Volumes;

namespace Controller.Firmware.Pairs;

/// <summary>
/// One row of the Copy Management Table (seed 000 FIG 6): a mirror between a P-VOL and an S-VOL, its state,
/// its differential bitmaps (one per side), its last split point and its copy job. Mutated only by the
/// <see cref="CopyManagementTable"/> under its lock (and the bitmaps by the MPs, lock-free); the data path reads
/// <see cref="State"/> without locking.
/// </summary>
public sealed class MirrorPair : VolumeRelation
{
    private int _state;
    private CopyJob? _job;
    private SplitCut? _cut;
    private SplitCut? _streamCut;

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
    public int MirrorUnit { get; private set; }

    /// <summary>Gets the mirror type.</summary>
    public MirrorType Type { get; }

    /// <summary>
    /// Gets which volume of a remote pair this subsystem holds: the P-VOL (this is the primary, which owns the
    /// pair's state) or the S-VOL (the secondary, whose row follows the primary's messages). PVol for a local pair.
    /// </summary>
    public PairRole LocalRole { get; init; }

    /// <summary>Gets the fence level of a remote pair (<see cref="FenceLevel.Never"/> for a local one).</summary>
    public FenceLevel Fence { get; init; }

    /// <summary>Gets, at a remote pair's primary, the link to the S-VOL's subsystem; else null.</summary>
    public IRemoteCopyPath? Path { get; init; }

    /// <summary>Gets, at a remote pair's secondary, the peer (the primary's link identity) the row follows; else 0.</summary>
    public int Peer { get; init; }

    /// <summary>
    /// Gets whether this is a determining pair (seed 002): a remote pair used as a lock by a two-host cluster, whose
    /// resync and swap resync FIG 4 decides (<see cref="DeterminingPairTable"/>) instead of T1.
    /// </summary>
    public bool Determining { get; init; }

    /// <summary>Gets whether this row is the secondary's copy of a remote pair.</summary>
    public bool IsSecondary => LocalRole == PairRole.SVol;

    /// <summary>Gets whether the last split was pairsplit -P: the P-VOL refuses host writes while the pair is PSUS.</summary>
    public bool PVolProtected { get; internal set; }

    /// <summary>Gets or sets, for a no-copy create, the split pairs' bitmaps its copy takes in (FIG 12); consumed by the create.</summary>
    internal DifferentialBitmap[] NoCopyInherited { get; set; } = [];

    /// <summary>Gets or sets whether a command on this remote pair is waiting for the peer (under the table's lock).</summary>
    internal bool ControlBusy { get; set; }

    /// <summary>Gets the state; read lock-free by the data path.</summary>
    public PairState State
    {
        get => (PairState)Volatile.Read(ref _state);
        internal set => Volatile.Write(ref _state, (int)value);
    }

    /// <summary>
    /// Gets whether the pair is a local PSUE whose bitmaps mark every track that may differ (it was suspended by a
    /// restart, with the write-intent regions marked): its resync copies the marked tracks only, where a PSUE by a
    /// fault copies everything.
    /// </summary>
    public bool SuspendedWithValidMarks { get; internal set; }

    /// <summary>
    /// Gets or sets, under the table's lock, the table's owed-marks stamp when a command last moved tracks into the
    /// bitmaps other than by host writes (a copy stopped with tracks still owed); 0 once a checkpoint taken after a
    /// drain of every write holds them. Until then a crash marks every track (docs/durability.md).
    /// </summary>
    internal long OwedStamp { get; set; }

    /// <summary>Gets the mode of the last split.</summary>
    public SplitMode SplitMode { get; internal set; }

    /// <summary>Gets the mirror name, if the pair belongs to one (issue #5).</summary>
    public string? MirrorName { get; internal set; }

    /// <summary>Gets the write sequence number of the last split point, or 0 if never split.</summary>
    public long SplitSequence { get; internal set; }

    /// <summary>Gets the time of the last split point, if any.</summary>
    public DateTimeOffset? SplitTime { get; internal set; }

    /// <summary>Gets the atomic split that last split this pair (default when it was split by a plain split or never).</summary>
    public SplitIdentity SplitSource { get; internal set; }

    /// <summary>
    /// Gets, when the atomic split found this pair's P-VOL fed by a pair in PAIR (a cascade), that pair's P-VOL: the
    /// split image then equals that volume's image at the split point too (G3). Null otherwise.
    /// </summary>
    public VolumeAddress? SplitUpstream { get; internal set; }

    /// <summary>
    /// Gets, at a remote pair's primary, the sequence cut of a cross-subsystem atomic split whose members in the peer
    /// are fed by this pair: each update copy says whether its write is beyond the cut, so the peer's members cut the
    /// stream at the coordinator's point (the split point travels with the replication stream). Read lock-free.
    /// </summary>
    internal SplitCut? StreamCut
    {
        get => Volatile.Read(ref _streamCut);
        set => Volatile.Write(ref _streamCut, value);
    }

    /// <summary>Gets the P-side bitmap: tracks written on the P-VOL while the pair is not mirroring.</summary>
    public DifferentialBitmap PVolBitmap { get; private set; }

    /// <summary>Gets the S-side bitmap: tracks written on the S-VOL after a read/write split.</summary>
    public DifferentialBitmap SVolBitmap { get; private set; }

    /// <summary>
    /// Gets the tracks still to copy for the running copy (initial copy, resync, restore, swap), or null when no
    /// copy is running or its set is still being built.
    /// </summary>
    public DifferentialBitmap? CopySet
    {
        get
        {
            CopyJob? job = Job;
            return job is null || job.IsFinished ? null : job.CopySet;
        }
    }

    /// <summary>Gets the direction of the last copy.</summary>
    public CopyDirection CopyDirection => Job?.Direction ?? CopyDirection.PVolToSVol;

    /// <summary>Gets the number of tracks the last copy started with (R0-8's count of a resync).</summary>
    public long CopyTotalTracks => Job?.TotalTracks ?? 0;

    /// <summary>Gets the number of tracks the last copy has copied so far.</summary>
    public long TracksCopied => Job?.TracksCopied ?? 0;

    /// <summary>
    /// Gets the share of the volume in which both sides agree, in percent, as pairdisplay's "%" column: the copy's
    /// progress while COPY, COPY(RS) or RCPY; 100 in PAIR; while split, the tracks marked on neither side; null in
    /// SMPL, and in PSUE for a local pair (no valid differential: a resync copies everything; a remote pair keeps
    /// marking while suspended, as TrueCopy does, and shows the share like a split).
    /// </summary>
    public int? PercentIdentical => PercentIdenticalIn(State);

    /// <summary>
    /// Gets <see cref="PercentIdentical"/> for a state read once by the caller, so that a row that shows both agrees
    /// with itself: a copy that ends between two reads of <see cref="State"/> would otherwise show PAIR at 0 %.
    /// </summary>
    /// <param name="state">The state the caller read (and shows).</param>
    /// <returns>The share in percent, or null.</returns>
    public int? PercentIdenticalIn(PairState state)
    {
        switch (state)
        {
            case PairState.Pair:
                return 100;
            case PairState.Copy:
            case PairState.CopyResync:
            case PairState.Rcpy:
                return Job?.PercentCopied ?? 0;
            case PairState.Psus:
            case PairState.Psue when Type == MirrorType.Remote:
                long tracks = PVolBitmap.TrackCount;
                return (int)((tracks - CountDifferentialTracks()) * 100 / tracks);
            default:
                return null;
        }
    }

    /// <summary>
    /// Gets the cut of the sequence-cut split this pair is in, or null: while it is set, the write path mirrors
    /// only writes numbered below the cut's point and marks the rest. Read lock-free by the data path.
    /// </summary>
    internal SplitCut? Cut
    {
        get => Volatile.Read(ref _cut);
        set => Volatile.Write(ref _cut, value);
    }

    /// <summary>Gets or sets the atomic split this pair is a member of while it runs (under the table's lock).</summary>
    internal AtomicSplit? ActiveSplit { get; set; }

    /// <summary>Gets the last copy job of the pair (running, finished or cancelled), if any.</summary>
    internal CopyJob? Job
    {
        get => Volatile.Read(ref _job);
        set => Volatile.Write(ref _job, value);
    }

    /// <summary>Counts the tracks in which the two sides may differ: marked on either side, or still to copy.</summary>
    /// <returns>The number of differential tracks.</returns>
    public long CountDifferentialTracks()
    {
        DifferentialBitmap union = new(PVol.BlockCount, PVol.Geometry);
        union.UnionWith(PVolBitmap);
        union.UnionWith(SVolBitmap);
        DifferentialBitmap? copySet = CopySet;
        if (copySet is not null)
        {
            union.UnionWith(copySet);
        }
        else
        {
            // A no-copy create's set is not built yet: the split pairs' changes it will take in count too.
            foreach (DifferentialBitmap inherited in Job is { IsFinished: false } job ? job.Inherited : NoCopyInherited)
            {
                union.UnionWith(inherited);
            }
        }

        return union.CountSet();
    }

    /// <summary>Exchanges the roles of the two volumes and their bitmaps (swap resync).</summary>
    /// <param name="mirrorUnit">The pair's mirror unit among the new P-VOL's mirrors.</param>
    internal void SwapRoles(int mirrorUnit)
    {
        MirrorUnit = mirrorUnit;
        (PVolAddress, SVolAddress) = (SVolAddress, PVolAddress);
        (PVol, SVol) = (SVol, PVol);
        (PVolBitmap, SVolBitmap) = (SVolBitmap, PVolBitmap);
    }
}
