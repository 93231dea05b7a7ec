// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers;

namespace Controller.Target;

/// <summary>
/// The data buffers of a port front's exchanges (read data to send, write data received), rented per command and
/// returned when the exchange ends or is discarded with its connection. Buffers up to 1 MiB come from the shared
/// pool, as before; larger ones from a pool of this port front that keeps at most <see cref="LargeBuffersKept"/>
/// idle buffers of each size (the shared pool keeps dozens of 8 MiB arrays per core, for minutes).
/// </summary>
/// <remarks>
/// When a connection that queued more than <see cref="ReclaimAfterPeak"/> of answers closes (a large reader, or a
/// peer that stopped reading them), the memory it made the process take is given back to the system a second after
/// the last such close: the large pool is replaced by an empty one and an aggressive collection runs (blocking,
/// compacting, decommitting what it can). A forced collection alone freed the arrays but kept their memory
/// committed (heap 66 MiB, committed 107 MiB, measured), so an idle daemon stayed 42 MiB above its level before
/// the attack; the aggressive one gave it back (docs/performance.md, "Bounded resources").
/// </remarks>
internal sealed class ExchangeDataBuffers
{
    /// <summary>The idle buffers of each size above 1 MiB kept for reuse.</summary>
    public const int LargeBuffersKept = 4;

    /// <summary>A connection that queued more answer bytes than this at once leaves memory to reclaim when it closes: 16 MiB.</summary>
    public const long ReclaimAfterPeak = 16L * 1024 * 1024;

    private const int LargeBuffer = 1024 * 1024;

    private static readonly TimeSpan ReclaimDelay = TimeSpan.FromSeconds(1);

    private readonly int _largest;
    private readonly ITimer _reclaim;
    private ArrayPool<byte> _large;

    // Buffers rented and not yet returned, and their bytes: Interlocked (readers, drainers and MPs rent and return).
    private long _outstanding;
    private long _outstandingBytes;
    private long _reclaims;

    public ExchangeDataBuffers(int maxTransferBytes, TimeProvider time)
    {
        _largest = Math.Max(maxTransferBytes, LargeBuffer * 2);
        _large = NewLargePool();
        _reclaim = time.CreateTimer(static state => ((ExchangeDataBuffers)state!).Reclaim(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Gets the buffers rented and not returned (0 when every exchange has ended).</summary>
    public long Outstanding => Volatile.Read(ref _outstanding);

    /// <summary>Gets the bytes of the buffers rented and not returned.</summary>
    public long OutstandingBytes => Volatile.Read(ref _outstandingBytes);

    /// <summary>Gets how many times memory was given back after large connections closed.</summary>
    public long Reclaims => Interlocked.Read(ref _reclaims);

    public byte[] Rent(int length)
    {
        byte[] buffer = length > LargeBuffer ? Volatile.Read(ref _large).Rent(length) : ArrayPool<byte>.Shared.Rent(length);
        Interlocked.Increment(ref _outstanding);
        Interlocked.Add(ref _outstandingBytes, buffer.Length);
        return buffer;
    }

    public void Return(byte[] buffer)
    {
        Interlocked.Decrement(ref _outstanding);
        Interlocked.Add(ref _outstandingBytes, -buffer.Length);
        if (buffer.Length > LargeBuffer)
        {
            Volatile.Read(ref _large).Return(buffer);
        }
        else
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>A connection has closed (and returned its buffers); <paramref name="peakQueued"/> is the most answer bytes it queued at once.</summary>
    public void OnConnectionClosed(long peakQueued)
    {
        if (peakQueued > ReclaimAfterPeak)
        {
            // Re-armed by every such close: one reclaim a second after the last of a crowd leaving.
            _reclaim.Change(ReclaimDelay, Timeout.InfiniteTimeSpan);
        }
    }

    private ArrayPool<byte> NewLargePool()
    {
        return ArrayPool<byte>.Create(_largest, LargeBuffersKept);
    }

    private void Reclaim()
    {
        // Buffers still rented go back into the new pool when they return (same sizes); the idle ones of the old
        // pool become garbage, and the collection gives their pages back to the system. Once a second at most,
        // and only after a connection that queued large answers closed: it stops every thread for a few ms.
        Volatile.Write(ref _large, NewLargePool());
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        Interlocked.Increment(ref _reclaims);
    }
}
