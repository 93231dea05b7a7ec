// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.IO.Pipelines;

namespace Controller.Wire.Transport;

/// <summary>
/// The send side of one connection: sources posted from any thread are written by one drainer at a time,
/// woken by a compare-and-swap on a flag (Kestrel's IOQueue pattern): no thread waits while there is nothing
/// to send, and a burst of completions becomes one batch of frames and one flush.
/// </summary>
public sealed class FrameOutbox : IThreadPoolWorkItem
{
    private readonly OutboundQueue _queue = new();
    private readonly PipeWriter _writer;
    private readonly Action<string> _onFailure;
    private readonly Action<IThreadPoolWorkItem>? _schedule;

    // The outbox whose posts the current thread defers until the end of its receive batch (see BeginDeferring).
    [ThreadStatic]
    private static FrameOutbox? s_deferring;

    // 1 while a drain is scheduled or running; the CAS 0 -> 1 elects the single drainer.
    private int _scheduled;

    // Set by a deferred post; read and cleared by the same thread in EndDeferring.
    private bool _deferred;
    private volatile bool _closed;

    /// <summary>Initializes an outbox.</summary>
    /// <param name="writer">The connection's output.</param>
    /// <param name="tap">Optional: sees every frame sent.</param>
    /// <param name="onFailure">Told (once) when writing fails or the peer is gone, with the reason.</param>
    /// <param name="schedule">Optional: runs the drainer (this outbox) where the owner's work runs, e.g. on a
    /// controller's scheduler, so that a deterministic run sends in its seeded order too; null queues it to the
    /// thread pool.</param>
    public FrameOutbox(PipeWriter writer, IFrameTap? tap, Action<string> onFailure, Action<IThreadPoolWorkItem>? schedule = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(onFailure);
        _writer = writer;
        _onFailure = onFailure;
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

    /// <summary>Stops sending; sources posted later are dropped by the drainer.</summary>
    public void Close()
    {
        _closed = true;
    }

    /// <summary>
    /// Stops sending and completes the writer once no drain is using it: the writer belongs to the drainer alone (a
    /// PipeWriter is not thread-safe), so the drainer's flag is taken and kept, and no drain runs after this. A
    /// flush stuck on a peer that does not read is cancelled after a second.
    /// </summary>
    /// <returns>When the writer is complete.</returns>
    public async ValueTask CompleteAsync()
    {
        _closed = true;
        for (int waited = 0; Interlocked.CompareExchange(ref _scheduled, 1, 0) != 0; waited++)
        {
            if (waited == 1000)
            {
                _writer.CancelPendingFlush();
            }

            await Task.Delay(1).ConfigureAwait(false);
        }

        await _writer.CompleteAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Sends what is still queued, then completes the writer: the end of a connection that is closed on purpose
    /// (a controller stopping), whose last answers must leave before it closes, where <see cref="CompleteAsync"/>
    /// drops them. The caller must have stopped posting (the reader has ended and no command is outstanding);
    /// a source posted after this is dropped. A flush stuck on a peer that does not read is cancelled after a second.
    /// </summary>
    /// <returns>When the queued frames are flushed and the writer is complete.</returns>
    public async ValueTask DrainAndCompleteAsync()
    {
        // Take the drainer's flag as CompleteAsync does, but without closing first: a drain still running sends
        // what it holds; what it left (posted after its last look) is sent here, by the flag's owner alone.
        for (int waited = 0; Interlocked.CompareExchange(ref _scheduled, 1, 0) != 0; waited++)
        {
            if (waited == 1000)
            {
                _writer.CancelPendingFlush();
            }

            await Task.Delay(1).ConfigureAwait(false);
        }

        try
        {
            int written = 0;
            while (_queue.TryDequeue(out OutboundFrameSource source))
            {
                if (!_closed)
                {
                    source.WriteFrames(Emitter);
                }

                written++;
            }

            if (written > 0 && !_closed)
            {
                using CancellationTokenSource stuck = new(TimeSpan.FromSeconds(1));
                FlushResult result = await _writer.FlushAsync(stuck.Token).ConfigureAwait(false);
                if (result.IsCompleted || result.IsCanceled)
                {
                    Fail("the peer closed the connection");
                }
            }
        }
        catch (Exception exception)
        {
            Fail("sending failed: " + exception.GetType().Name + ": " + exception.Message);
        }

        _closed = true;
        await _writer.CompleteAsync().ConfigureAwait(false);
    }

    /// <inheritdoc/>
    void IThreadPoolWorkItem.Execute()
    {
        _ = DrainAsync();
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            int written = 0;
            try
            {
                while (_queue.TryDequeue(out OutboundFrameSource source))
                {
                    if (!_closed)
                    {
                        source.WriteFrames(Emitter);
                    }

                    written++;
                }

                if (written > 0 && !_closed)
                {
                    FlushResult result = await _writer.FlushAsync().ConfigureAwait(false);
                    if (result.IsCompleted || result.IsCanceled)
                    {
                        Fail("the peer closed the connection");
                    }
                }
            }
            catch (Exception exception)
            {
                // Whatever broke (the peer, or a source that could not encode its frames), the drainer must not
                // die silently with the flag set: the connection closes with the reason instead.
                Fail("sending failed: " + exception.GetType().Name + ": " + exception.Message);
            }

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

    private void Fail(string reason)
    {
        if (!_closed)
        {
            _closed = true;
            _onFailure(reason);
        }
    }
}
