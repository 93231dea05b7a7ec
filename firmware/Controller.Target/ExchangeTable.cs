// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Numerics;

namespace Controller.Target;

/// <summary>
/// A connection's outstanding commands by OX_ID, sized to the commands it may have outstanding (twice the limit,
/// a power of two) instead of one slot per possible OX_ID (65,536 slots, 512 KiB per connection). Open addressing
/// with linear probing; the reader's alone: it adds, finds and cleans up, so nothing here is shared.
/// </summary>
/// <remarks>
/// A command leaves the table by its exchange's state word, from any thread (the writer before the FCP_RSP, an abort):
/// <see cref="ScsiExchange.HoldsSlot"/> turns false, and the entry is dead from then on. The reader reuses a dead entry
/// when it adds a command on its probe, and clears them all when three quarters of the entries are used (live or dead),
/// doubling only if more than half are live. Scans for aborts do not look here: they go through the connection's
/// exchanges (<see cref="ExchangePool.All"/>).
/// </remarks>
internal sealed class ExchangeTable
{
    private Entry[] _entries;
    private int _shift;
    private int _used;
    private int _limit;

    public ExchangeTable(int outstandingLimit)
    {
        _entries = [];
        _limit = outstandingLimit;
        Allocate(CapacityFor(outstandingLimit));
    }

    /// <summary>Gets the number of entries.</summary>
    public int Capacity => _entries.Length;

    /// <summary>The entries for a limit of outstanding commands: twice the limit, a power of two, at least 16.</summary>
    public static int CapacityFor(int outstandingLimit)
    {
        return (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(outstandingLimit, 8) * 2);
    }

    /// <summary>Grows the table when the connection's limit grows (it became a remote-copy peer).</summary>
    public void EnsureLimit(int outstandingLimit)
    {
        // Per command: one compare while the limit stays as it was.
        if (outstandingLimit <= _limit)
        {
            return;
        }

        _limit = outstandingLimit;
        int capacity = CapacityFor(outstandingLimit);
        if (capacity > _entries.Length)
        {
            Rebuild(capacity);
        }
    }

    /// <summary>Finds the command outstanding under an OX_ID, or null.</summary>
    public ScsiExchange? Find(ushort exchangeId)
    {
        Entry[] entries = _entries;
        int mask = entries.Length - 1;
        for (int i = Home(exchangeId); ; i = (i + 1) & mask)
        {
            ref Entry entry = ref entries[i];
            if (entry.Exchange is not ScsiExchange exchange)
            {
                // At most three quarters are ever used, so every probe ends at an empty entry.
                return null;
            }

            if (entry.ExchangeId == exchangeId && exchange.HoldsSlot(entry.Generation))
            {
                return exchange;
            }
        }
    }

    /// <summary>Adds a command that <see cref="Find"/> did not find (its exchange is in the table: <see cref="ScsiExchange.InTable"/>).</summary>
    public void Add(ScsiExchange exchange)
    {
        if (_used >= _entries.Length - (_entries.Length >> 2))
        {
            // In place, so a connection's table allocates only when its limit grows (or, never with the connection's
            // limit, when more than half are live).
            Purge();
            if (_used > _entries.Length / 2)
            {
                Rebuild(_entries.Length * 2);
            }
        }

        Place(exchange, exchange.OriginatorExchangeId, exchange.Generation);
    }

    private void Place(ScsiExchange exchange, ushort exchangeId, long generation)
    {
        Entry[] entries = _entries;
        int mask = entries.Length - 1;
        for (int i = Home(exchangeId); ; i = (i + 1) & mask)
        {
            ref Entry entry = ref entries[i];
            bool empty = entry.Exchange is null;
            if (empty || !entry.Exchange!.HoldsSlot(entry.Generation))
            {
                // An empty entry, or a dead one on the probe (reused: no probe passes through an empty entry the
                // reuse would create).
                _used += empty ? 1 : 0;
                entry = new Entry(exchange, generation, exchangeId);
                return;
            }
        }
    }

    // Clears the dead entries, then takes each live one out and places it again, walking from an empty entry: every
    // entry re-placed lies before the ones still to come on its probe, so none is cut off from its home by a hole.
    private void Purge()
    {
        Entry[] entries = _entries;
        int mask = entries.Length - 1;
        int used = 0;
        int empty = -1;
        for (int i = 0; i < entries.Length; i++)
        {
            ref Entry entry = ref entries[i];
            if (entry.Exchange is ScsiExchange exchange && exchange.HoldsSlot(entry.Generation))
            {
                used++;
                continue;
            }

            entry = default;
            empty = i;
        }

        _used = used;
        for (int step = 1; step <= entries.Length; step++)
        {
            int i = (empty + step) & mask;
            Entry entry = entries[i];
            if (entry.Exchange is ScsiExchange exchange)
            {
                entries[i] = default;
                _used--;
                Place(exchange, entry.ExchangeId, entry.Generation);
            }
        }
    }

    private void Rebuild(int capacity)
    {
        Entry[] old = _entries;
        int live = 0;
        foreach (Entry entry in old)
        {
            live += entry.Exchange is ScsiExchange exchange && exchange.HoldsSlot(entry.Generation) ? 1 : 0;
        }

        while (live > capacity / 2)
        {
            capacity *= 2;
        }

        Allocate(capacity);
        foreach (Entry entry in old)
        {
            if (entry.Exchange is ScsiExchange exchange && exchange.HoldsSlot(entry.Generation))
            {
                Place(exchange, entry.ExchangeId, entry.Generation);
            }
        }
    }

    private void Allocate(int capacity)
    {
        _entries = new Entry[capacity];
        _shift = 32 - BitOperations.Log2((uint)capacity);
        _used = 0;
    }

    // Fibonacci hashing: sequential OX_IDs spread, and no simple pattern of OX_IDs piles into one probe.
    private int Home(ushort exchangeId)
    {
        return (int)((exchangeId * 2654435769u) >> _shift);
    }

    private readonly record struct Entry(ScsiExchange? Exchange, long Generation, ushort ExchangeId);
}
