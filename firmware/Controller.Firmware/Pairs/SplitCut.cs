// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Volumes;

namespace Controller.Firmware.Pairs;

/// <summary>
/// The split point of a sequence cut, armed on every member pair before it is known. Writes numbered below the
/// point still reach the S-VOLs; writes from it on only mark the bitmaps.
/// </summary>
/// <remarks>
/// Why the point is taken after arming, and why any write may take it: a write takes its sequence number (a full
/// fence) and then reads the pair's cut. The split arms the cut on every member (a store) and only then takes the
/// point from the sequencer (a full fence). So a write that saw no cut took its number before the point was taken:
/// it is below the point and is mirrored, correctly. A write that sees the cut armed but its point not yet set
/// cannot tell which side it is on, and must not wait for the control thread (it may be preempted): it takes a
/// number itself and offers it with a CAS. Whichever offer wins is the point, taken after the arming and after the
/// write's own number, so every write decides against one point. The offers that lose, and the point itself, are
/// numbers no write carries: holes in the sequence, which is only required to grow.
/// </remarks>
internal sealed class SplitCut
{
    private readonly WriteSequencer _sequencer;

    // 0 until taken; then the first write sequence number outside the split image.
    private long _point;

    public SplitCut(WriteSequencer sequencer)
    {
        _sequencer = sequencer;
    }

    private SplitCut(long point)
    {
        _sequencer = null!;
        _point = point;
    }

    /// <summary>
    /// The sequence number a peer gives an update copy its coordinator marked beyond the cut of a cross-subsystem
    /// split: <see cref="StreamCut"/> excludes it and nothing else a write can carry.
    /// </summary>
    public const long BeyondStreamCut = long.MaxValue - 1;

    /// <summary>
    /// Gets the cut a peer arms on its members fed by the coordinator's replication stream: the decision came with
    /// each update (beyond the coordinator's cut, numbered <see cref="BeyondStreamCut"/>, or not).
    /// </summary>
    public static SplitCut StreamCut { get; } = new(BeyondStreamCut);

    /// <summary>Returns the point, taking it (a sequence number) if no one has yet.</summary>
    /// <returns>The first write sequence number outside the split image.</returns>
    public long TakePoint()
    {
        long point = Volatile.Read(ref _point);
        if (point != 0)
        {
            return point;
        }

        long offer = _sequencer.Next();
        Interlocked.CompareExchange(ref _point, offer, 0);
        return Volatile.Read(ref _point);
    }

    /// <summary>Tells whether a write belongs to the split image (is numbered below the point).</summary>
    /// <param name="sequence">The origin host write's sequence number.</param>
    /// <returns>True when the write must still reach the S-VOL.</returns>
    public bool Includes(long sequence)
    {
        return sequence < TakePoint();
    }
}
