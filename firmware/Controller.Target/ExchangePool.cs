// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Target;

/// <summary>
/// The exchanges of one connection: every exchange it ever made, kept for reuse (a lock-free free list) and listed
/// for the scans of aborts and of a closing connection. Nothing made is ever dropped, so a connection allocates an
/// exchange only when more are in use at once than ever before: a TASK SET FULL at the limit reuses the one made for
/// the last (a pool with a maximum, as before, dropped the extra one each time the others came back, and made a new
/// one at the next refusal).
/// </summary>
/// <remarks>
/// <see cref="Get"/> runs on the connection's reader only (the single consumer of the free list, so a pop cannot meet
/// the ABA problem: only it removes nodes); <see cref="Return"/> on any thread (the writer, an MP, a closer).
/// </remarks>
internal sealed class ExchangePool
{
    private readonly Func<ScsiExchange> _create;

    // Every exchange made; grown by the reader (copy, then publish the array, then the count), read by any thread.
    private ScsiExchange[] _all = new ScsiExchange[16];
    private int _count;

    // The top of the free list (a Treiber stack through ScsiExchange.NextFree): pushed by any thread, popped by the reader.
    private ScsiExchange? _free;

    public ExchangePool(Func<ScsiExchange> create)
    {
        _create = create;
    }

    /// <summary>Gets how many exchanges this connection has made.</summary>
    public int Created => Volatile.Read(ref _count);

    /// <summary>Takes a free exchange, or makes one. The reader only.</summary>
    public ScsiExchange Get()
    {
        ScsiExchange? top = Volatile.Read(ref _free);
        while (top is not null)
        {
            ScsiExchange? seen = Interlocked.CompareExchange(ref _free, top.NextFree, top);
            if (ReferenceEquals(seen, top))
            {
                top.NextFree = null;
                return top;
            }

            top = seen;
        }

        return Add(_create());
    }

    /// <summary>Puts an exchange back on the free list. Any thread.</summary>
    public void Return(ScsiExchange exchange)
    {
        ScsiExchange? top = Volatile.Read(ref _free);
        while (true)
        {
            exchange.NextFree = top;
            ScsiExchange? seen = Interlocked.CompareExchange(ref _free, exchange, top);
            if (ReferenceEquals(seen, top))
            {
                return;
            }

            top = seen;
        }
    }

    /// <summary>Gets every exchange made so far (the first <paramref name="count"/> of the array). Any thread.</summary>
    public ScsiExchange[] All(out int count)
    {
        // The count first: the array it was published after holds at least that many.
        count = Volatile.Read(ref _count);
        return Volatile.Read(ref _all);
    }

    private ScsiExchange Add(ScsiExchange exchange)
    {
        ScsiExchange[] all = _all;
        int count = _count;
        if (count == all.Length)
        {
            ScsiExchange[] grown = new ScsiExchange[all.Length * 2];
            Array.Copy(all, grown, count);
            Volatile.Write(ref _all, grown);
            all = grown;
        }

        all[count] = exchange;
        Volatile.Write(ref _count, count + 1);
        return exchange;
    }
}
