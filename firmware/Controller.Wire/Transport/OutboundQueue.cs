// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Wire.Transport;

/// <summary>
/// An unbounded intrusive multi-producer single-consumer queue (Vyukov's node-based MPSC queue): producers
/// (the connection's reader, MP completions) enqueue wait-free with one exchange of the tail; the single
/// consumer (the writer) dequeues without locks. Nodes are the sources themselves, so nothing is allocated.
/// </summary>
/// <remarks>
/// Unbounded is safe here because every node is an exchange or an ELS reply that already exists: the
/// number of outstanding exchanges per connection is what bounds it (a full exchange table answers TASK SET FULL).
/// </remarks>
public sealed class OutboundQueue
{
    private readonly OutboundFrameSource _stub = new StubSource();

    // Consumer-owned: the node before the next one to return (the stub or the last node returned's successor).
    private OutboundFrameSource _head;

    // Producer end: swapped with Interlocked.Exchange, so every producer links behind exactly one predecessor.
    private OutboundFrameSource _tail;

    /// <summary>Initializes an empty queue.</summary>
    public OutboundQueue()
    {
        _head = _stub;
        _tail = _stub;
    }

    /// <summary>Gets a value indicating whether the queue looks empty to the consumer (a producer may be mid-enqueue; it schedules the consumer after).</summary>
    public bool IsEmpty => _head == Volatile.Read(ref _tail) && Volatile.Read(ref _head._next) is null;

    /// <summary>Adds a source at the tail. Safe from any thread.</summary>
    /// <param name="source">The source, not in any queue.</param>
    public void Enqueue(OutboundFrameSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        source._next = null;
        OutboundFrameSource previous = Interlocked.Exchange(ref _tail, source);

        // Until this write the chain is broken between previous and source; the consumer sees that as
        // "empty for now", and this producer schedules the consumer after it returns.
        Volatile.Write(ref previous._next, source);
    }

    /// <summary>Takes the source at the head. Only the single consumer may call this.</summary>
    /// <param name="source">The source.</param>
    /// <returns>False when the queue is empty, or a producer has not finished linking its node.</returns>
    public bool TryDequeue(out OutboundFrameSource source)
    {
        OutboundFrameSource head = _head;
        OutboundFrameSource? next = Volatile.Read(ref head._next);
        if (head == _stub)
        {
            if (next is null)
            {
                source = null!;
                return false;
            }

            _head = next;
            head = next;
            next = Volatile.Read(ref head._next);
        }

        if (next is not null)
        {
            _head = next;
            source = head;
            return true;
        }

        if (head != Volatile.Read(ref _tail))
        {
            // A producer swapped the tail but has not linked yet.
            source = null!;
            return false;
        }

        // head is the last node: put the stub behind it so head can be handed out.
        Enqueue(_stub);
        next = Volatile.Read(ref head._next);
        if (next is not null)
        {
            _head = next;
            source = head;
            return true;
        }

        source = null!;
        return false;
    }

    private sealed class StubSource : OutboundFrameSource
    {
        public override void WriteFrames(FcipFrameEmitter emitter)
        {
        }
    }
}
