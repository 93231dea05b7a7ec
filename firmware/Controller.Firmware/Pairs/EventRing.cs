// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.Pairs;

/// <summary>
/// A bounded event log: the newest <see cref="Capacity"/> events, oldest first, and a count of those dropped to
/// make room. A controller that runs for days must not grow its logs without bound (nor copy ever larger arrays
/// while it does). Not thread-safe: the Copy Management Table uses it under its lock.
/// </summary>
/// <typeparam name="T">The event type.</typeparam>
internal sealed class EventRing<T>
{
    private readonly List<T> _events = [];
    private int _oldest;

    public EventRing(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    /// <summary>Gets the most events kept.</summary>
    public int Capacity { get; }

    /// <summary>Gets the number of events dropped (the oldest) to keep within the capacity.</summary>
    public long Dropped { get; private set; }

    /// <summary>Adds an event, dropping the oldest when full.</summary>
    /// <param name="item">The event.</param>
    public void Add(T item)
    {
        if (_events.Count < Capacity)
        {
            _events.Add(item);
            return;
        }

        _events[_oldest] = item;
        _oldest = (_oldest + 1) % Capacity;
        Dropped++;
    }

    /// <summary>Copies the events kept, oldest first.</summary>
    /// <returns>The events.</returns>
    public T[] ToArray()
    {
        T[] copy = new T[_events.Count];
        for (int i = 0; i < copy.Length; i++)
        {
            copy[i] = _events[(_oldest + i) % _events.Count];
        }

        return copy;
    }
}
