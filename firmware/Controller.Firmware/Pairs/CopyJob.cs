// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Bitmaps;
using Controller.Firmware.Media;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.Queues;
using Controller.Firmware.Scheduling;
using Controller.Firmware.Volumes;
using Microsoft.Extensions.ObjectPool;

namespace Controller.Firmware.Pairs;

/// <summary>
/// One background copy of a pair (initial copy, resync, restore, swap resync), run as MP work: every step runs on
/// the MP that owns the copy's source volume, in order with that volume's host commands, so a host write and the
/// copy of the same track never interleave. A step claims up to <see cref="CopyPace.TracksPerStep"/> tracks from
/// the copy set, reads each from the source and queues it to the target's MP as a mirror write; at most two
/// steps' worth are in flight (one step's when paced), so reading and writing overlap on the two MPs. When a step
/// finds the copy set empty and nothing in flight (cascades included), no host write of the source can come
/// between: the pair moves to PAIR from that step.
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

    private readonly TrackBufferPool _buffers;

    // The most tracks in flight: two steps' worth unpaced (one being read, one being written), one step paced.
    private readonly int _window;

    private DifferentialBitmap? _copySet;
    private bool _barrierPassed;
    private long _cursor;
    private long _totalTracks;
    private long _tracksCopied;
    private int _inFlight;
    private int _waitingForRoom;

    // The in-flight count at or below which the landing that reaches it queues the waiting step.
    private int _resumeAt;
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
    /// <param name="buffers">The subsystem's pool of track buffers.</param>
    public CopyJob(CopyManagementTable table, MirrorPair pair, PairOperation operation, CopyDirection direction, bool full, CopyPace pace, IScheduler scheduler, ObjectPool<WriteFanIn> fanIns, TrackBufferPool buffers)
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
        _buffers = buffers;
        _window = pace.BytesPerSecond > 0 ? pace.TracksPerStep : 2 * pace.TracksPerStep;
    }

    /// <summary>Gets the command that started the copy.</summary>
    public PairOperation Operation { get; }

    /// <summary>Gets the direction.</summary>
    public CopyDirection Direction { get; }

    /// <summary>Gets whether the copy sends every track (initial copy, local resync after PSUE).</summary>
    public bool IsFull => _full;

    /// <summary>
    /// Gets or sets other pairs' bitmaps the copy set takes in when it is built (read, not swapped): a no-copy create
    /// copies what changed on either volume since the atomic split both came from (FIG 12). Set before Start.
    /// </summary>
    public DifferentialBitmap[] Inherited { get; set; } = [];

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
        if (_cancelled || _finished)
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
    /// <param name="command">The origin write of the track: its buffer is the job's, or the storage the target replaced with it, or none.</param>
    /// <param name="status">Good (a failed write has suspended the pair already).</param>
    public void Complete(in BlockCommand command, MediaStatus status)
    {
        if (command.Buffer.Array is byte[] buffer)
        {
            // The track's buffer, or the storage the target replaced with it (the zeros track is never pooled).
            _buffers.Return(buffer);
        }

        Interlocked.Increment(ref _tracksCopied);
        int inFlight = Interlocked.Decrement(ref _inFlight);

        // A step is waiting for this much room (or, at the end, for every track to land): this landing queues it
        // (exactly one side does).
        if (Volatile.Read(ref _waitingForRoom) == 1 && inFlight <= Volatile.Read(ref _resumeAt) && Interlocked.CompareExchange(ref _waitingForRoom, 0, 1) == 1)
        {
            Queue();
        }
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
            foreach (DifferentialBitmap inherited in Inherited)
            {
                set.UnionWith(inherited);
            }
        }

        Volatile.Write(ref _totalTracks, set.CountSet());
        Volatile.Write(ref _copySet, set);
    }

    // One step: claims up to a step's worth of tracks (fewer if the window is nearly full), reads each and queues
    // it to the target's MP. Unpaced, the next step is queued at once, behind the host commands that arrived
    // meanwhile, so reading on this MP overlaps writing on the target's; paced, it waits out the step's bytes at
    // the configured rate.
    private void Step()
    {
        DifferentialBitmap set = _copySet!;
        TrackGeometry geometry = _source.Geometry;
        int budget = Math.Min(_pace.TracksPerStep, _window - Volatile.Read(ref _inFlight));
        int claimed = 0;
        long stepBytes = 0;
        bool blocked = false;

        // Mirror writes keep half of the target's internal ring, which copied tracks share with them: a step starts
        // only while it is less than half full (checked once per step: reading another MP's queue indices per track
        // slows both MPs).
        MpWorker<BlockCommand> targetMp = _target.Owner!;
        if (targetMp.InternalQueuedCount >= targetMp.Capacity / 2)
        {
            blocked = true;
            budget = 0;
        }

        while (claimed < budget && !_cancelled)
        {
            if (!TryClaim(set, out long track))
            {
                break;
            }

            long lba = geometry.FirstBlockOfTrack(track);
            int bytes = (int)(Math.Min(geometry.BlocksPerTrack, _source.BlockCount - lba) * TrackGeometry.BlockSize);
            byte[] buffer;
            MediaStatus status = MediaStatus.Good;
            ITrackStore? store = _source.Media as ITrackStore;
            if (store is not null && !store.IsTrackWritten(track))
            {
                // Never written: it reads as zeros, and the shared zeros track says so without a read or a buffer.
                buffer = _buffers.Zeros;
            }
            else
            {
                buffer = _buffers.Rent();
                status = store is not null && bytes == buffer.Length
                    ? store.ReadTrack(track, buffer)
                    : _source.Media.Read(lba, buffer.AsSpan(0, bytes));
            }

            ArraySegment<byte> data = new(buffer, 0, bytes);
            if (status != MediaStatus.Good)
            {
                set.Set(track);
                _buffers.Return(buffer);
                _table.SuspendOnFault(_pair, PairEventCause.CopyReadError);
                return;
            }

            WriteFanIn fanIn = _fanIns.Get();
            fanIn.Arm(BlockCommand.MirrorWrite(_pair, _target, lba, data, this, track, long.MaxValue), 1);
            Interlocked.Increment(ref _inFlight);
            if (!_target.Owner!.TrySubmitInternal(BlockCommand.CopyWrite(_pair, _target, lba, data, fanIn, track)))
            {
                // The target's queue is full: the track stays owed and the job comes back later.
                Interlocked.Decrement(ref _inFlight);
                _fanIns.Return(fanIn);
                _buffers.Return(buffer);
                set.Set(track);
                blocked = true;
                break;
            }

            claimed++;
            stepBytes += bytes;
        }

        if (_cancelled)
        {
            return;
        }

        if (blocked && claimed == 0 && Volatile.Read(ref _inFlight) == 0)
        {
            _scheduler.ScheduleAfter(QueueFullRetry, this);
        }
        else if (blocked)
        {
            WaitForRoom(Volatile.Read(ref _inFlight) - 1);
        }
        else if (claimed > 0 && _pace.BytesPerSecond > 0)
        {
            _scheduler.ScheduleAfter(TimeSpan.FromSeconds((double)stepBytes / _pace.BytesPerSecond), this);
        }
        else if (claimed > 0 && Volatile.Read(ref _inFlight) <= _window - _pace.TracksPerStep)
        {
            Queue();
        }
        else if (claimed > 0 || budget <= 0)
        {
            // The window is full: resume when a full step fits again.
            WaitForRoom(_window - _pace.TracksPerStep);
        }
        else if (Volatile.Read(ref _inFlight) == 0)
        {
            // Nothing left, nothing in flight, and no host write of the source can come between.
            _finished = _table.CompleteCopy(_pair, this);
        }
        else
        {
            // Nothing left to claim: the last landing queues the step that finishes.
            WaitForRoom(0);
        }
    }

    // Leaves the next step to the landing that brings the in-flight count down to resumeAt. The flag is set with
    // a full fence before the count is read again (store then load: without the fence the two could pass each
    // other in a store buffer), and both sides take it with a CAS, so exactly one queues the step.
    private void WaitForRoom(int resumeAt)
    {
        Volatile.Write(ref _resumeAt, Math.Max(0, resumeAt));
        Interlocked.Exchange(ref _waitingForRoom, 1);
        if (Volatile.Read(ref _inFlight) <= resumeAt && Interlocked.CompareExchange(ref _waitingForRoom, 0, 1) == 1)
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
