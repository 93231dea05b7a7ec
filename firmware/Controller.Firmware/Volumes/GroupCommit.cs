// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.Media;
using Controller.Firmware.Queues;
using Controller.Firmware.Scheduling;

namespace Controller.Firmware.Volumes;

/// <summary>
/// The group commit of one LDEV whose media can be synced (a file store): the owning MP writes (pwrite) and hands the
/// answer here instead of giving it; sync slots, scheduled like MPs and never the MP itself, run
/// <see cref="IBlockDevice.Flush"/> (fdatasync), each covering every write returned before it began, and give the
/// answers covered. So the MP never waits for the disk, and N concurrent writes cost one sync, not N.
/// </summary>
/// <remarks>
/// <para>
/// Tickets: the MP counts each write that returned from the media (<see cref="Issue"/>); a held answer carries the
/// count at its write. A sync reads the count before it starts, so when it succeeds every write with a ticket at or
/// below that count is durable (it had returned before the sync began; fdatasync makes durable everything written
/// before the call, whatever other syncs run meanwhile).
/// </para>
/// <para>
/// Pipelined: up to <c>syncsInFlight</c> syncs run at once. A new one starts when an answer is held that no started
/// sync covers and a slot is free, so the writes that arrive while a sync runs do not wait for it to end before their
/// own sync begins; the kernel joins concurrent syncs' cache flushes. Syncs may end in any order: the high-water mark
/// of durable tickets only rises, and answers are given in ticket order up to it.
/// </para>
/// <para>
/// After a failed sync the page cache may have dropped the data's dirty state (Linux clears it on an fsync error), so
/// a later sync that "succeeds" proves nothing: a failure is sticky, and every answer after it is MEDIUM ERROR. With
/// syncs in parallel that needs each concurrent sync to see the error: the file store runs each on its own file
/// handle (<see cref="FileBlockStore"/>), since Linux reports a write-back error once per open file.
/// </para>
/// </remarks>
internal sealed class GroupCommit
{
    /// <summary>The most syncs run at once per LDEV by default (measured: docs/performance.md, "Durable 4 KiB writes").</summary>
    public const int DefaultSyncsInFlight = 4;

    /// <summary>
    /// Every this many held answers the MP starts the write-back of the file's dirty pages (media that can,
    /// <see cref="IWritebackStart"/>), so the disk is busy with a group's writes while the rest of it still arrives,
    /// instead of getting them all at the sync. Measured against none, 1, 2, 3, 6, 8 and 16 at QD 32
    /// (docs/performance.md, "Starting write-back early"): 4 gave the most, about +12 to +24 % IOPS.
    /// </summary>
    public const int WritebackStartEvery = 4;

    private readonly IBlockDevice _media;
    private readonly IWritebackStart? _writeback;
    private int _heldSinceWriteback;
    private readonly IDurableAnswers _answers;
    private readonly IScheduler _scheduler;

    // Held answers in ticket order (the owning MP holds them as it writes). Consumed only by the thread that holds
    // _answering; _carry is the one taken out of the ring but not yet covered.
    private readonly MpscRing<DurableAck> _held;
    private DurableAck _carry;
    private bool _hasCarry;
    private int _answering;
    private long _answerRequests;

    // Guards the start of syncs: the idle slots, whether one is scheduled but has not read its coverage yet, and the
    // highest coverage a started sync read. Never held across a sync or an answer.
    private readonly Lock _gate = new();
    private readonly SyncSlot[] _idle;
    private int _idleCount;
    private bool _starting;
    private long _startedThrough;

    // Writes that returned from the media. Raised by the owning MP after each successful write, before the answer is
    // handed here: a count read later includes every write whose answer is queued.
    private long _issued;

    // The highest ticket held so far (raised before a sync is asked for, so a slot that starts sees it).
    private long _heldThrough;

    // Every write with a ticket at or below this is on stable storage. Only raised (CAS), by a slot or by an MP
    // syncing inline; read by the MP to answer a SYNCHRONIZE CACHE at once when nothing is new.
    private long _durableThrough;

    // 1 once a sync failed: set once, never cleared (see remarks).
    private int _failed;
    private long _flushes;

    /// <summary>Initializes the group commit of one LDEV.</summary>
    /// <param name="media">The LDEV's media.</param>
    /// <param name="answers">Gives the held answers.</param>
    /// <param name="scheduler">Where the syncs run.</param>
    /// <param name="capacity">The most answers held at once (a power of two); beyond it the MP syncs inline.</param>
    /// <param name="syncsInFlight">The most syncs run at once, 1 or more.</param>
    public GroupCommit(IBlockDevice media, IDurableAnswers answers, IScheduler scheduler, int capacity, int syncsInFlight = DefaultSyncsInFlight)
    {
        if (syncsInFlight < 1)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(syncsInFlight), "a group commit runs at least one sync at a time, not " + syncsInFlight);
        }

        _media = media;
        _writeback = media as IWritebackStart;
        _answers = answers;
        _scheduler = scheduler;
        WriteThrough = media.CachePolicy == WriteCachePolicy.WriteThrough;
        _held = new MpscRing<DurableAck>(capacity);
        _idle = new SyncSlot[syncsInFlight];
        for (int i = 0; i < syncsInFlight; i++)
        {
            _idle[i] = new SyncSlot(this);
        }

        _idleCount = syncsInFlight;
    }

    /// <summary>Gets whether every write must be durable before its answer (else only FUA writes and SYNCHRONIZE CACHE wait).</summary>
    public bool WriteThrough { get; }

    /// <summary>Gets the count of writes that returned from the media so far.</summary>
    public long Issued => Volatile.Read(ref _issued);

    /// <summary>Gets the number of syncs run so far (diagnostics and tests: fewer than writes means grouping works).</summary>
    public long FlushCount => Volatile.Read(ref _flushes);

    /// <summary>Counts a write that returned from the media; called by the owning MP before it hands the answer here.</summary>
    /// <returns>The write's ticket.</returns>
    public long Issue()
    {
        return Interlocked.Increment(ref _issued);
    }

    /// <summary>Tells whether every write up to a ticket is already on stable storage.</summary>
    /// <param name="ticket">The ticket.</param>
    /// <returns>True when no sync is needed for it.</returns>
    public bool IsDurable(long ticket)
    {
        return Volatile.Read(ref _failed) == 0 && ticket <= Volatile.Read(ref _durableThrough);
    }

    /// <summary>Holds an answer until a sync covers its ticket, starting a sync when none started covers it. Never blocks.</summary>
    /// <param name="ack">The answer.</param>
    /// <returns>False when the group is full: the caller syncs inline (<see cref="SyncThrough"/>).</returns>
    public bool TryHold(in DurableAck ack)
    {
        if (!_held.TryEnqueue(ack))
        {
            return false;
        }

        RaiseTo(ref _heldThrough, ack.Ticket);

        // The owning MP holds the answers: a plain count (a race would only move the next start).
        if (_writeback is not null && ++_heldSinceWriteback >= WritebackStartEvery)
        {
            _heldSinceWriteback = 0;
            _writeback.StartWriteback();
        }

        StartSyncIfNeeded();

        // A sync may have covered it (or failed) after the caller looked and before it was queued, and the answers
        // may have been given already: give it now rather than leave it to a sync that may never come.
        if (!IsDurable(ack.Ticket) && Volatile.Read(ref _failed) == 0)
        {
            return true;
        }

        AnswerCovered();
        return true;
    }

    /// <summary>Makes every write up to a ticket durable, syncing unless a sync already covered it. Blocks for the sync.</summary>
    /// <param name="ticket">The ticket.</param>
    /// <returns>Good, or MediumError (sticky) when a sync failed.</returns>
    public MediaStatus SyncThrough(long ticket)
    {
        if (Volatile.Read(ref _failed) != 0)
        {
            return MediaStatus.MediumError;
        }

        if (ticket <= Volatile.Read(ref _durableThrough))
        {
            return MediaStatus.Good;
        }

        MediaStatus status = Sync();
        AnswerCovered();
        return status;
    }

    private static void RaiseTo(ref long mark, long value)
    {
        long seen = Volatile.Read(ref mark);
        while (seen < value)
        {
            long previous = Interlocked.CompareExchange(ref mark, value, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }

    // One sync: reads the count before it starts (everything counted had returned from pwrite, so the sync covers
    // it), then raises the durable mark to it, or sets the sticky failure.
    private MediaStatus Sync()
    {
        long covers = Volatile.Read(ref _issued);
        lock (_gate)
        {
            if (covers > _startedThrough)
            {
                _startedThrough = covers;
            }
        }

        return Finish(covers);
    }

    private MediaStatus Finish(long covers)
    {
        if (Volatile.Read(ref _failed) != 0)
        {
            // A sync started before another failed: it would prove nothing now (see remarks).
            return MediaStatus.MediumError;
        }

        Interlocked.Increment(ref _flushes);
        MediaStatus status = _media.Flush();
        if (status != MediaStatus.Good)
        {
            Volatile.Write(ref _failed, 1);
            return status;
        }

        RaiseTo(ref _durableThrough, covers);
        return MediaStatus.Good;
    }

    // Schedules a slot when an answer is held that no started sync covers, no slot is about to start (it will cover
    // it) and a slot is idle. Called after every hold, when a slot has read its coverage and when a slot ends.
    private void StartSyncIfNeeded()
    {
        SyncSlot? slot = null;
        lock (_gate)
        {
            if (!_starting && _idleCount > 0 && Volatile.Read(ref _failed) == 0 && Volatile.Read(ref _heldThrough) > _startedThrough)
            {
                _starting = true;
                slot = _idle[--_idleCount];
            }
        }

        if (slot is not null)
        {
            _scheduler.Schedule(slot);
        }
    }

    // A slot's run: read the coverage, let another slot start for answers beyond it, sync, go idle, answer.
    private void RunSlot(SyncSlot slot)
    {
        long covers = Volatile.Read(ref _issued);
        lock (_gate)
        {
            if (covers > _startedThrough)
            {
                _startedThrough = covers;
            }

            _starting = false;
        }

        StartSyncIfNeeded();
        _ = Finish(covers);
        lock (_gate)
        {
            _idle[_idleCount++] = slot;
        }

        AnswerCovered();
        StartSyncIfNeeded();
    }

    // Gives, in ticket order, every held answer a successful sync covered (all of them, MEDIUM ERROR, after a failed
    // sync). One thread at a time; a caller that finds another answering leaves a request it will see before it stops.
    private void AnswerCovered()
    {
        Interlocked.Increment(ref _answerRequests);
        while (Interlocked.CompareExchange(ref _answering, 1, 0) == 0)
        {
            long requests = Volatile.Read(ref _answerRequests);
            while (true)
            {
                if (!_hasCarry)
                {
                    if (!_held.TryDequeue(out _carry))
                    {
                        break;
                    }

                    _hasCarry = true;
                }

                bool failed = Volatile.Read(ref _failed) != 0;
                if (!failed && _carry.Ticket > Volatile.Read(ref _durableThrough))
                {
                    break;
                }

                DurableAck ack = _carry;
                _carry = default;
                _hasCarry = false;
                _answers.OnDurable(ack, failed ? MediaStatus.MediumError : MediaStatus.Good);
            }

            Interlocked.Exchange(ref _answering, 0);
            if (Volatile.Read(ref _answerRequests) == requests)
            {
                return;
            }
        }
    }

    // One sync in flight: a reusable work item, idle in the gate's stack between runs.
    private sealed class SyncSlot(GroupCommit owner) : IWorkItem
    {
        void IThreadPoolWorkItem.Execute()
        {
            owner.RunSlot(this);
        }
    }
}
