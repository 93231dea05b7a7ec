// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using Controller.Addressing;

namespace Controller.Firmware.Queues;

/// <summary>
/// A bounded, preallocated, lock-free ring for many producers and one consumer: Vyukov's bounded queue
/// with a sequence number per slot, as in dotnet/runtime's ConcurrentQueueSegment. A full ring refuses
/// the item (back-pressure, reported to the initiator as TASK SET FULL) rather than growing.
/// </summary>
/// <typeparam name="T">The command type: a small struct copied into the slot.</typeparam>
/// <remarks>
/// Slot invariant: a slot at position p is free for the producer that claims p when its sequence equals
/// p, and holds a published item for the consumer when its sequence equals p + 1. After the consumer takes
/// the item it sets the sequence to p + capacity, freeing the slot for the next lap.
/// </remarks>
public sealed class MpscRing<T>
    where T : struct
{
    private readonly Slot[] _slots;
    private readonly long _mask;

    // Producers claim positions by CAS on _tail; only the consumer moves _head. The two live on separate
    // cache lines so producers and the consumer do not invalidate each other's line on every operation
    // (2 producers + 1 consumer on the 2-core reference machine: 118 ns per item padded, 167 ns unpadded;
    // docs/performance.md).
    private PaddedPosition _tail;
    private PaddedPosition _head;

    /// <summary>Initializes an empty ring.</summary>
    /// <param name="capacity">The number of slots: a power of two, at least 2.</param>
    public MpscRing(int capacity)
    {
        if (capacity < 2 || !BitOperations.IsPow2(capacity))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(capacity), "ring capacity " + capacity + " must be a power of two, at least 2");
        }

        _slots = new Slot[capacity];
        _mask = capacity - 1;
        for (int i = 0; i < capacity; i++)
        {
            _slots[i].Sequence = i;
        }
    }

    /// <summary>Gets the number of slots.</summary>
    public int Capacity => _slots.Length;

    /// <summary>Gets an instantaneous count of queued items (exact only when no producer is mid-enqueue).</summary>
    public int Count
    {
        get
        {
            long count = Volatile.Read(ref _tail.Value) - Volatile.Read(ref _head.Value);
            return (int)Math.Clamp(count, 0, _slots.Length);
        }
    }

    /// <summary>
    /// Gets a value indicating whether the consumer would find an item now. Called by the consumer only:
    /// it reads the slot at the consumer's own position.
    /// </summary>
    public bool HasPublishedItem
    {
        get
        {
            long head = _head.Value;
            return Volatile.Read(ref _slots[head & _mask].Sequence) == head + 1;
        }
    }

    /// <summary>Adds an item; safe from any number of threads.</summary>
    /// <param name="item">The item.</param>
    /// <returns>False when the ring is full (back-pressure): nothing was added.</returns>
    public bool TryEnqueue(in T item)
    {
        long position = Volatile.Read(ref _tail.Value);
        while (true)
        {
            ref Slot slot = ref _slots[position & _mask];
            long sequence = Volatile.Read(ref slot.Sequence);
            long lag = sequence - position;
            if (lag == 0)
            {
                // The slot is free for this lap: claim the position, then fill and publish the slot.
                long observed = Interlocked.CompareExchange(ref _tail.Value, position + 1, position);
                if (observed == position)
                {
                    slot.Item = item;

                    // Publishes the item: the consumer reads Item only after it sees this sequence.
                    Volatile.Write(ref slot.Sequence, position + 1);
                    return true;
                }

                position = observed;
            }
            else if (lag < 0)
            {
                // The consumer has not yet freed this slot from the previous lap: full.
                return false;
            }
            else
            {
                // Another producer claimed this position first; move on.
                position = Volatile.Read(ref _tail.Value);
            }
        }
    }

    /// <summary>Takes the oldest published item. Only the single consumer may call this.</summary>
    /// <param name="item">The item, or default when none.</param>
    /// <returns>False when no item is published at the head (empty, or a producer is still filling it).</returns>
    public bool TryDequeue(out T item)
    {
        long head = _head.Value;
        ref Slot slot = ref _slots[head & _mask];
        if (Volatile.Read(ref slot.Sequence) != head + 1)
        {
            item = default;
            return false;
        }

        item = slot.Item;
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            // Do not keep a consumed command's buffers alive until the slot's next lap.
            slot.Item = default;
        }

        // Frees the slot for the producer one lap ahead; the write to Item above happens before it.
        Volatile.Write(ref slot.Sequence, head + _slots.Length);
        Volatile.Write(ref _head.Value, head + 1);
        return true;
    }

    // Mutable struct! Don't make this readonly: Sequence and Item are written in place in the array.
    [DebuggerDisplay("Sequence = {Sequence}")]
    private struct Slot
    {
        public long Sequence;
        public T Item;
    }
}
