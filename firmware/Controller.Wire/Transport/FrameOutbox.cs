// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.IO.Pipelines;

namespace Controller.Wire.Transport;

/// <summary>
/// The send side of one connection: sources posted from any thread are written by one drainer at a time,
/// woken by a compare-and-swap on a flag (Kestrel's IOQueue pattern): no thread waits while there is nothing
/// to send, and a burst of completions becomes one batch of frames and one flush.
/// </summary>
/// <remarks>
/// What it holds is bounded: a flush is made every <see cref="FlushThreshold"/> bytes, and a large answer is
/// written in pieces of that size (<see cref="OutboundFrameSource.WriteSomeFrames"/>), so the pipe under it holds
/// about one piece while the peer is slow; the sources waiting in the queue are bounded by the connection (its
/// exchange table and its send-queue budget, docs/controllerd.md "Bounded resources"). Once the outbox is closed
/// every source still queued, or posted later, is discarded (<see cref="OutboundFrameSource.Discard"/>) so that
/// its pooled buffers go back.
/// </remarks>
public sealed class FrameOutbox : IThreadPoolWorkItem
{
    /// <summary>The bytes written between two flushes, at most (plus one frame): 256 KiB.</summary>
    public const int FlushThreshold = 256 * 1024;

    private readonly OutboundQueue _queue = new();
    private readonly PipeWriter _writer;
    private readonly Action<string> _onFailure;
    private readonly IOutboxObserver? _observer;
    private readonly Action<IThreadPoolWorkItem>? _schedule;

    // The outbox whose posts the current thread defers until the end of its receive batch (see BeginDeferring).
    [ThreadStatic]
    private static FrameOutbox? s_deferring;

    // 1 while a drain is scheduled or running; the CAS 0 -> 1 elects the single drainer.
    private int _scheduled;

    // A source written in part (a large answer): the drainer finishes it before it takes the next. Drainer-owned.
    private OutboundFrameSource? _current;

    // 1 once the writer is completed: no drainer runs again, and a post discards its source itself. Set with a
    // full fence before the queue is emptied; a poster reads it after its enqueue (a full fence too), so either
    // the completer finds the source in the queue or the poster sees the flag (see Post).
    private int _completed;

    // 1 while some thread empties the queue of a completed outbox (the queue has a single consumer).
    private int _discarding;

    // Set by a deferred post; read and cleared by the same thread in EndDeferring.
    private bool _deferred;
    private volatile bool _closed;

    /// <summary>Initializes an outbox.</summary>
    /// <param name="writer">The connection's output.</param>
    /// <param name="tap">Optional: sees every frame sent.</param>
    /// <param name="onFailure">Told (once) when writing fails or the peer is gone, with the reason.</param>
    /// <param name="observer">Optional: hears each flush begin and end (send budget, send timeout).</param>
    /// <param name="schedule">Optional: runs the drainer (this outbox) where the owner's work runs, e.g. on a
    /// controller's scheduler, so that a deterministic run sends in its seeded order too; null queues it to the
    /// thread pool.</param>
    public FrameOutbox(PipeWriter writer, IFrameTap? tap, Action<string> onFailure, IOutboxObserver? observer = null, Action<IThreadPoolWorkItem>? schedule = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(onFailure);
        _writer = writer;
        _onFailure = onFailure;
        _observer = observer;
        _schedule = schedule;
        Emitter = new FcipFrameEmitter(writer, tap);
    }

    /// <summary>Gets the emitter the drainer writes with (the sources receive it).</summary>
    public FcipFrameEmitter Emitter { get; }

    /// <summary>Gets a value indicating whether the outbox stopped sending (peer gone or write failed).</summary>
    public bool IsClosed => _closed;

    /// <summary>Queues a source for sending and makes sure a drainer will run. Safe from any thread.</summary>
    /// <param name="source">The source.</param>
    public void Post(OutboundFrameSource source)
    {
        _queue.Enqueue(source);

        // After the enqueue's full fence: a completed outbox has no drainer, so the poster empties the queue.
        if (Volatile.Read(ref _completed) != 0)
        {
            DiscardQueued();
            return;
        }

        if (s_deferring == this)
        {
            _deferred = true;
            return;
        }

        Schedule();
    }

    /// <summary>
    /// From now until <see cref="EndDeferring"/>, posts made on this thread only queue: the connection's reader
    /// calls this around each batch of frames it received, so the answers to a batch leave in one flush (one
    /// send instead of one per frame). Posts from other threads are not affected.
    /// </summary>
    public void BeginDeferring()
    {
        s_deferring = this;
    }

    /// <summary>Ends deferring on this thread and schedules the drainer if anything was posted meanwhile.</summary>
    public void EndDeferring()
    {
        s_deferring = null;
        if (_deferred)
        {
            _deferred = false;
            Schedule();
        }
    }

    private void Schedule()
    {
        if (Interlocked.CompareExchange(ref _scheduled, 1, 0) == 0)
        {
            if (_schedule is null)
            {
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
            }
            else
            {
                _schedule(this);
            }
        }
    }

    /// <summary>Stops sending; sources posted later are discarded by the drainer.</summary>
    public void Close()
    {
        _closed = true;
    }

    /// <summary>
    /// Stops sending at once, a flush in progress included (it is cancelled): the end of a connection closed by a
    /// timeout, whose peer may not be reading. Sources still queued are discarded.
    /// </summary>
    public void Abort()
    {
        _closed = true;
        _writer.CancelPendingFlush();
    }

    /// <summary>
    /// Stops sending and completes the writer once no drain is using it: the writer belongs to the drainer alone (a
    /// PipeWriter is not thread-safe), so the drainer's flag is taken and kept, and no drain runs after this. A
    /// flush stuck on a peer that does not read is cancelled after a second. Every source still queued, and every
    /// one posted later, is discarded (its pooled buffers returned).
    /// </summary>
    /// <returns>When the writer is complete.</returns>
    public async ValueTask CompleteAsync()
    {
        _closed = true;
        await TakeDrainerFlagAsync().ConfigureAwait(false);
        await FinishAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Sends what is still queued, then completes the writer: the end of a connection that is closed on purpose
    /// (a controller stopping), whose last answers must leave before it closes, where <see cref="CompleteAsync"/>
    /// drops them. The caller must have stopped posting (the reader has ended and no command is outstanding);
    /// a source posted after this is discarded. A flush stuck on a peer that does not read is cancelled after a second.
    /// </summary>
    /// <returns>When the queued frames are flushed and the writer is complete.</returns>
    public async ValueTask DrainAndCompleteAsync()
    {
        // Take the drainer's flag as CompleteAsync does, but without closing first: a drain still running sends
        // what it holds; what it left (posted after its last look) is sent here, by the flag's owner alone.
        await TakeDrainerFlagAsync().ConfigureAwait(false);
        using (CancellationTokenSource stuck = new())
        {
            // A second for the whole drain, as before: the peer that does not read holds the stop no longer.
            stuck.CancelAfter(TimeSpan.FromSeconds(1));
            await WriteQueuedAsync(stuck.Token).ConfigureAwait(false);
        }

        await FinishAsync().ConfigureAwait(false);
    }

    /// <inheritdoc/>
    void IThreadPoolWorkItem.Execute()
    {
        _ = DrainAsync();
    }

    private async Task TakeDrainerFlagAsync()
    {
        for (int waited = 0; Interlocked.CompareExchange(ref _scheduled, 1, 0) != 0; waited++)
        {
            if (waited == 1000)
            {
                _writer.CancelPendingFlush();
            }

            await Task.Delay(1).ConfigureAwait(false);
        }
    }

    // With the drainer's flag taken for good: no more sending; what is queued and what is posted later is discarded.
    private async Task FinishAsync()
    {
        _closed = true;
        Interlocked.Exchange(ref _completed, 1);
        if (_current is OutboundFrameSource current)
        {
            _current = null;
            current.Discard();
        }

        DiscardQueued();
        await _writer.CompleteAsync().ConfigureAwait(false);
    }

    private void DiscardQueued()
    {
        // The queue has one consumer at a time: the thread that wins this flag. As in DrainAsync, look again after
        // giving the flag back, for a source posted while it was held.
        while (Interlocked.CompareExchange(ref _discarding, 1, 0) == 0)
        {
            while (_queue.TryDequeue(out OutboundFrameSource source))
            {
                source.Discard();
            }

            Interlocked.Exchange(ref _discarding, 0);
            if (_queue.IsEmpty)
            {
                return;
            }
        }
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            await WriteQueuedAsync(CancellationToken.None).ConfigureAwait(false);

            // A full fence, as MpWorker clears its flag: a release write may still sit in this core's store
            // buffer while the queue is read below, so a producer could enqueue, still see 1 and not schedule,
            // while this drainer still sees the queue empty: both walk away and the frame waits for the next
            // post (found by hostsim fuzz: a connection stopped answering).
            Interlocked.Exchange(ref _scheduled, 0);

            // A producer that enqueued after our last TryDequeue saw _scheduled == 1 and did not schedule:
            // look once more, and keep draining if we win the flag back.
            if (_queue.IsEmpty || Interlocked.CompareExchange(ref _scheduled, 1, 0) != 0)
            {
                return;
            }
        }
    }

    // Writes (or, once closed, discards) every source queued, flushing every FlushThreshold bytes and at the end.
    // Only the holder of the drainer's flag calls it.
    private async Task WriteQueuedAsync(CancellationToken cancellationToken)
    {
        try
        {
            long flushedAt = Emitter.BytesWritten;
            while (true)
            {
                OutboundFrameSource? source = _current;
                _current = null;
                if (source is null && !_queue.TryDequeue(out source))
                {
                    break;
                }

                if (_closed)
                {
                    source.Discard();
                    continue;
                }

                // Held as the current source while it writes: if writing throws, the catch below discards it, so
                // its pooled buffers and its exchange go back (a source dropped there kept them for good).
                _current = source;
                if (source.WriteSomeFrames(Emitter, FlushThreshold))
                {
                    _current = null;
                }

                if (Emitter.BytesWritten - flushedAt >= FlushThreshold)
                {
                    await FlushAsync(cancellationToken).ConfigureAwait(false);
                    flushedAt = Emitter.BytesWritten;
                }
            }

            if (Emitter.BytesWritten != flushedAt && !_closed)
            {
                await FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception exception)
        {
            // Whatever broke (the peer, or a source that could not encode its frames), the drainer must not
            // die silently with the flag set: the connection closes with the reason instead.
            Fail("sending failed: " + exception.GetType().Name + ": " + exception.Message);
            if (_current is OutboundFrameSource current)
            {
                _current = null;
                current.Discard();
            }
        }
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        _observer?.OnFlushStarting();
        try
        {
            FlushResult result = await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (result.IsCompleted || result.IsCanceled)
            {
                Fail("the peer closed the connection");
            }
        }
        finally
        {
            _observer?.OnFlushEnded();
        }
    }

    private void Fail(string reason)
    {
        if (!_closed)
        {
            _closed = true;
            _onFailure(reason);
        }
    }
}
