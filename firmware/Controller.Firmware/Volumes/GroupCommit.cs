// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Media;
using Controller.Firmware.Queues;
using Controller.Firmware.Scheduling;

namespace Controller.Firmware.Volumes;

/// <summary>
/// The group commit of one LDEV whose media can be synced (a file store): the owning MP writes (pwrite) and hands the
/// answer here instead of giving it; a flusher, scheduled like an MP and never the MP itself, runs one
/// <see cref="IBlockDevice.Flush"/> (fdatasync) that covers every write returned before it began, then gives all the
/// answers it covers. So the MP never waits for the disk, and N concurrent writes cost one sync, not N.
/// </summary>
/// <remarks>
/// Tickets: the MP counts each write that returned from the media (<see cref="Issue"/>); a held answer carries the
/// count at its write. A flush reads the count before it starts, so when it succeeds every write with a ticket at or
/// below that count is durable (it had returned before the flush began). Lock-free: a counter, a monotonic
/// high-water mark and a bounded ring. When the ring is full the MP syncs inline (slower, never wrong).
/// After a failed sync the page cache may have dropped the data's dirty state (Linux clears it on an fsync error), so
/// a later sync that "succeeds" proves nothing: a failure is sticky, and every answer after it is MEDIUM ERROR.
/// </remarks>
internal sealed class GroupCommit : ICommandHandler<DurableAck>
{
    private readonly IBlockDevice _media;
    private readonly BlockCommandHandler _handler;
    private readonly MpWorker<DurableAck> _flusher;

    // Writes that returned from the media. Raised by the owning MP after each successful write, before the answer is
    // handed here: a count read later includes every write whose answer is queued.
    private long _issued;

    // Every write with a ticket at or below this is on stable storage. Only raised (CAS), by the flusher or by an MP
    // syncing inline; read by the MP to answer a SYNCHRONIZE CACHE at once when nothing is new.
    private long _durableThrough;

    // 1 once a sync failed: set once, never cleared (see remarks).
    private int _failed;
    private long _flushes;

    /// <summary>Initializes the group commit of one LDEV.</summary>
    /// <param name="media">The LDEV's media.</param>
    /// <param name="handler">Gives the held answers.</param>
    /// <param name="scheduler">Where the flusher runs.</param>
    /// <param name="capacity">The most answers held at once (a power of two); beyond it the MP syncs inline.</param>
    public GroupCommit(IBlockDevice media, BlockCommandHandler handler, IScheduler scheduler, int capacity)
    {
        _media = media;
        _handler = handler;
        WriteThrough = media.CachePolicy == WriteCachePolicy.WriteThrough;
        // One drain at a time per LDEV (MpWorker's flag), so one sync in flight: the answers that arrive during it
        // form the next group.
        _flusher = new MpWorker<DurableAck>(capacity, this, scheduler);
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

    /// <summary>Holds an answer until a sync covers its ticket. Safe from any thread; never blocks.</summary>
    /// <param name="ack">The answer.</param>
    /// <returns>False when the group is full: the caller syncs inline (<see cref="SyncThrough"/>).</returns>
    public bool TryHold(in DurableAck ack)
    {
        return _flusher.TrySubmit(ack);
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

        // Read before the sync starts: everything counted so far had returned from pwrite, so the sync covers it.
        long covers = Volatile.Read(ref _issued);
        Interlocked.Increment(ref _flushes);
        MediaStatus status = _media.Flush();
        if (status != MediaStatus.Good)
        {
            Volatile.Write(ref _failed, 1);
            return status;
        }

        long seen = Volatile.Read(ref _durableThrough);
        while (seen < covers)
        {
            long previous = Interlocked.CompareExchange(ref _durableThrough, covers, seen);
            if (previous == seen)
            {
                break;
            }

            seen = previous;
        }

        return MediaStatus.Good;
    }

    /// <summary>Runs on the flusher: the first answer of a group syncs, the rest of the group finds itself covered.</summary>
    /// <param name="ack">The held answer.</param>
    void ICommandHandler<DurableAck>.Execute(in DurableAck ack)
    {
        _handler.OnDurable(ack, SyncThrough(ack.Ticket));
    }
}
