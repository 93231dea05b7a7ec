// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers;
using Controller.Firmware.Bitmaps;
using Controller.Firmware.Media;
using Controller.Firmware.Scheduling;
using Controller.Firmware.Volumes;
using Microsoft.Extensions.ObjectPool;

namespace Controller.Firmware.Pairs;

/// <summary>
/// One background copy of a pair (initial copy, resync, restore, swap resync), run as MP work: every step runs on
/// the MP that owns the copy's source volume, in order with that volume's host commands, so a host write and the
/// copy of the same track never interleave. A step claims up to <see cref="CopyPace.TracksPerStep"/> tracks from
/// the copy set, reads each from the source and queues it to the target's MP as a mirror write; the next step
/// starts when all of them have landed (cascades included). When a step finds the copy set empty, nothing is in
/// flight and no host write of the source can come between: the pair moves to PAIR from that step.
/// </summary>
/// <remarks>
/// Start-up is two hops, the first a barrier: the job is queued once on the target volume's MP, so every host
/// command the target admitted under the old state (an S-VOL write after a read/write split, marking the S-side
/// bitmap) has finished; then on the source's MP it builds the copy set from both bitmaps. Writes to the source
/// that arrive between the state change and that moment mark the source-side bitmap, which the build takes in.
/// </remarks>
internal sealed class CopyJob : IMpTask, IWorkItem, IBlockCommandCompletion
{
    // How long to wait before queueing again when an MP queue is full.
    private static readonly TimeSpan QueueFullRetry = TimeSpan.FromMilliseconds(1);

    private readonly CopyManagementTable _table;
    private readonly MirrorPair _pair;
    private readonly Ldev _source;
    private readonly Ldev _target;
    private readonly bool _full;
    private readonly CopyPace _pace;
    private readonly IScheduler _scheduler;
    private readonly ObjectPool<WriteFanIn> _fanIns;

    private DifferentialBitmap? _copySet;
    private bool _barrierPassed;
    private long _cursor;
    private long _lastStepBytes;
    private long _totalTracks;
    private long _tracksCopied;
    private int _outstanding;
    private volatile bool _cancelled;
    private volatile bool _finished;

    /// <summary>Initializes a job; <see cref="Start"/> queues it.</summary>
    /// <param name="table">Told when the copy completes or fails.</param>
    /// <param name="pair">The pair (its roles as they are after any swap).</param>
    /// <param name="operation">The command that started the copy (for the event log).</param>
    /// <param name="direction">P to S, or S to P for a restore.</param>
    /// <param name="full">Copy every track (initial copy, resync after PSUE) instead of the union of the bitmaps.</param>
    /// <param name="pace">How fast.</param>
    /// <param name="scheduler">For paced steps and retries.</param>
    /// <param name="fanIns">The pool of fan-ins for the copied tracks.</param>
    public CopyJob(CopyManagementTable table, MirrorPair pair, PairOperation operation, CopyDirection direction, bool full, CopyPace pace, IScheduler scheduler, ObjectPool<WriteFanIn> fanIns)
    {
        _table = table;
        _pair = pair;
        Operation = operation;
        Direction = direction;
        _source = direction == CopyDirection.PVolToSVol ? pair.PVol : pair.SVol;
        _target = direction == CopyDirection.PVolToSVol ? pair.SVol : pair.PVol;
        _full = full;
        _pace = pace;
        _scheduler = scheduler;
        _fanIns = fanIns;
    }

    /// <summary>Gets the command that started the copy.</summary>
    public PairOperation Operation { get; }

    /// <summary>Gets the direction.</summary>
    public CopyDirection Direction { get; }

    /// <summary>Gets whether every track is copied rather than the differential.</summary>
    public bool IsFull => _full;

    /// <summary>
    /// Gets the tracks still to copy, or null while the set is being built (the source-side bitmap collects
    /// writes until then). The write path reads it on the source's MP to decide whether a write needs mirroring.
    /// </summary>
    public DifferentialBitmap? CopySet => Volatile.Read(ref _copySet);

    /// <summary>Gets the number of tracks the copy set started with (0 until it is built).</summary>
    public long TotalTracks => Volatile.Read(ref _totalTracks);

    /// <summary>Gets the number of tracks copied and landed so far.</summary>
    public long TracksCopied => Volatile.Read(ref _tracksCopied);

    /// <summary>Gets whether the copy completed (the pair went to PAIR).</summary>
    public bool IsFinished => _finished;

    /// <summary>Gets the progress in percent (0-100).</summary>
    public int PercentCopied
    {
        get
        {
            if (_finished)
            {
                return 100;
            }

            long total = TotalTracks;
            if (CopySet is null)
            {
                return 0;
            }

            return total == 0 ? 100 : (int)Math.Min(99, TracksCopied * 100 / total);
        }
    }

    /// <summary>Queues the job's barrier on the target's MP. Called once, after the pair's new state is visible.</summary>
    public void Start()
    {
        Queue();
    }

    /// <summary>Stops the job: steps still queued do nothing; tracks in flight land harmlessly.</summary>
    public void Cancel()
    {
        _cancelled = true;
    }

    /// <summary>Runs on an MP: the barrier on the target's, every step on the source's.</summary>
    public void Run()
    {
        if (_cancelled)
        {
            return;
        }

        if (!_barrierPassed)
        {
            // Every command the target admitted before the state change has finished.
            _barrierPassed = true;
            Queue();
            return;
        }

        if (_copySet is null)
        {
            Build();
        }

        Step();
    }

    /// <summary>A copied track landed on the target and on every mirror downstream of it.</summary>
    /// <param name="command">The origin mirror write of the track (its buffer is the job's).</param>
    /// <param name="status">Good (a failed write has suspended the pair already).</param>
    public void Complete(in BlockCommand command, MediaStatus status)
    {
        ArrayPool<byte>.Shared.Return(command.Buffer.Array!);
        Interlocked.Increment(ref _tracksCopied);
        EndPart();
    }

    /// <summary>A paced step or a retry is due: queue it on its MP.</summary>
    void IThreadPoolWorkItem.Execute()
    {
        Queue();
    }

    private void Queue()
    {
        if (_cancelled)
        {
            return;
        }

        Ldev ldev = _barrierPassed ? _source : _target;
        if (!ldev.Owner!.TrySubmit(BlockCommand.ForTask(ldev, this)))
        {
            _scheduler.ScheduleAfter(QueueFullRetry, this);
        }
    }

    private void Build()
    {
        DifferentialBitmap set;
        if (_full)
        {
            set = new DifferentialBitmap(_source.BlockCount, _source.Geometry);
            set.SetRange(0, set.TrackCount - 1);

            // A full copy makes both sides' marks meaningless.
            _pair.PVolBitmap.ClearAll();
            _pair.SVolBitmap.ClearAll();
        }
        else
        {
            // The union of both sides, without copying a bitmap: each is swapped for a fresh one.
            set = _pair.PVolBitmap.SwapInFresh();
            set.UnionWith(_pair.SVolBitmap.SwapInFresh());
        }

        Volatile.Write(ref _totalTracks, set.CountSet());
        Volatile.Write(ref _copySet, set);
    }

    private void Step()
    {
        DifferentialBitmap set = _copySet!;
        TrackGeometry geometry = _source.Geometry;

        // The step holds one part of its own so that tracks landing during the loop cannot start the next step.
        Volatile.Write(ref _outstanding, 1);
        int claimed = 0;
        long stepBytes = 0;
        bool blocked = false;
        while (claimed < _pace.TracksPerStep && TryClaim(set, out long track))
        {
            long lba = geometry.FirstBlockOfTrack(track);
            int bytes = (int)(Math.Min(geometry.BlocksPerTrack, _source.BlockCount - lba) * TrackGeometry.BlockSize);
            byte[] buffer = ArrayPool<byte>.Shared.Rent(bytes);
            ArraySegment<byte> data = new(buffer, 0, bytes);
            MediaStatus status = _source.Media.Read(lba, data);
            if (status != MediaStatus.Good)
            {
                set.Set(track);
                ArrayPool<byte>.Shared.Return(buffer);
                _table.SuspendOnFault(_pair, PairEventCause.CopyReadError);
                break;
            }

            WriteFanIn fanIn = _fanIns.Get();
            fanIn.Arm(BlockCommand.MirrorWrite(_pair, _target, lba, data, this, track), 1);
            Interlocked.Increment(ref _outstanding);
            if (!_target.Owner!.TrySubmit(BlockCommand.MirrorWrite(_pair, _target, lba, data, fanIn, track)))
            {
                // The target's queue is full: the track stays owed and the job comes back later.
                Interlocked.Decrement(ref _outstanding);
                _fanIns.Return(fanIn);
                ArrayPool<byte>.Shared.Return(buffer);
                set.Set(track);
                blocked = true;
                break;
            }

            claimed++;
            stepBytes += bytes;
        }

        if (claimed == 0)
        {
            Volatile.Write(ref _outstanding, 0);
            if (blocked)
            {
                _scheduler.ScheduleAfter(QueueFullRetry, this);
            }
            else if (!_cancelled)
            {
                // Nothing left, nothing in flight, and no host write of the source can come between.
                _finished = _table.CompleteCopy(_pair, this);
            }

            return;
        }

        _lastStepBytes = stepBytes;
        EndPart();
    }

    private void EndPart()
    {
        if (Interlocked.Decrement(ref _outstanding) != 0 || _cancelled)
        {
            return;
        }

        long rate = _pace.BytesPerSecond;
        if (rate > 0)
        {
            _scheduler.ScheduleAfter(TimeSpan.FromSeconds((double)_lastStepBytes / rate), this);
        }
        else
        {
            Queue();
        }
    }

    // The next marked track from the cursor, claimed with TryClear; one more sweep from track 0 before the set
    // counts as empty, for tracks put back behind the cursor (a full queue).
    private bool TryClaim(DifferentialBitmap set, out long track)
    {
        for (int sweep = 0; sweep < 2; sweep++)
        {
            SetTrackEnumerator scan = set.EnumerateSet(_cursor);
            while (scan.MoveNext())
            {
                long candidate = scan.Current;
                _cursor = candidate + 1;
                if (set.TryClear(candidate))
                {
                    track = candidate;
                    return true;
                }
            }

            if (_cursor == 0)
            {
                break;
            }

            _cursor = 0;
        }

        track = -1;
        return false;
    }
}
