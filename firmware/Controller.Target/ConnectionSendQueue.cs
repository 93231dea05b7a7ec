// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Wire;
using Controller.Wire.Transport;
using Microsoft.Extensions.Logging;

namespace Controller.Target;

/// <summary>
/// One connection's answer bytes queued for sending, and the gate of its reader (docs/controllerd.md, "Bounded
/// resources"): a read command whose data would take the connection over <see cref="ConnectionLimits.SendQueueLimit"/>,
/// or all connections over <see cref="ConnectionLimits.SendQueueTotal"/>, is left unread until enough has been sent.
/// The MPs never wait on a slow peer: their answers are queued to the outbox as before; it is the reading of new
/// commands that stops, and with it (TCP's window) the peer.
/// </summary>
/// <remarks>
/// Bytes are counted from the moment a command's data buffer is rented (<see cref="Add"/>, on the reader when the
/// command starts) until the flush that carried the last of them to the peer ends (<see cref="Sent"/>, then
/// <see cref="IOutboxObserver.OnFlushEnded"/>), or until the exchange is discarded with its connection
/// (<see cref="Release"/>). Write data is not counted: it is what the peer sends, and holding the reader back for it
/// would wait for data that only the reader can receive.
/// </remarks>
internal sealed class ConnectionSendQueue : IReceiveGate, IOutboxObserver
{
    private readonly SendQueueBudget _total;
    private readonly long _limit;
    private readonly int _maxTransferBytes;
    private readonly ConnectionWatchdog _watchdog;
    private readonly Func<bool> _admitAll;
    private readonly Func<bool> _closed;
    private readonly ILogger _logger;
    private readonly string _peer;

    // This connection's bytes: Interlocked (reader, drainer and MPs change it).
    private long _queued;
    private long _peak;

    // What TryAdmit reserved for the frame being handled; taken over by the command's RentData, or given back by AfterFrame.
    private long _reserved;

    // Drainer-owned: bytes written to the pipe since the last flush began, and those the running flush carries.
    private long _unflushed;
    private long _flushing;

    // The reader's wait: set (with a full fence) before the reader looks again, taken by whoever wakes it.
    private TaskCompletionSource? _waiter;
    private int _holds;

    public ConnectionSendQueue(SendQueueBudget total, long limit, int maxTransferBytes, ConnectionWatchdog watchdog, Func<bool> admitAll, Func<bool> closed, ILogger logger, string peer)
    {
        _total = total;
        _limit = limit;
        _maxTransferBytes = maxTransferBytes;
        _watchdog = watchdog;
        _admitAll = admitAll;
        _closed = closed;
        _logger = logger;
        _peer = peer;
    }

    /// <summary>Gets the answer bytes queued on this connection now.</summary>
    public long Queued => Volatile.Read(ref _queued);

    /// <summary>Gets the most answer bytes ever queued on this connection at once.</summary>
    public long Peak => Volatile.Read(ref _peak);

    /// <summary>Gets how many times the reader was held back.</summary>
    public int Holds => Volatile.Read(ref _holds);

    /// <summary>Gets a value indicating whether the reader is held back now.</summary>
    public bool IsHolding => Volatile.Read(ref _waiter) is not null;

    /// <inheritdoc/>
    public bool TryAdmit(in FcFrameHeader header, ReadOnlySpan<byte> payload)
    {
        if (_closed())
        {
            // The connection is being closed (a timeout, a failed send): no frame of the batch already read is
            // handled any more; the reader sees its cancellation when it waits.
            return false;
        }

        if (header.RoutingControl != FcRoutingControl.Command || header.Type != FcFrameHeader.TypeFcp || _admitAll())
        {
            return true;
        }

        if (!FcpCommand.TryRead(payload, out FcpCommand command, out _) || !command.ReadData || command.DataLength == 0 || command.DataLength > (uint)_maxTransferBytes)
        {
            // No answer data will be queued for it (a malformed or oversized command is refused without data).
            return true;
        }

        long bytes = command.DataLength;
        if (TryReserve(bytes, out bool totalFull))
        {
            return true;
        }

        // Not now. Register the wait first, then look again: a release between the first look and the
        // registration would otherwise wake nobody.
        TaskCompletionSource waiter = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _waiter, waiter);
        if (totalFull)
        {
            _total.Wait(this, bytes);
        }

        if (TryReserve(bytes, out _))
        {
            Interlocked.CompareExchange(ref _waiter, null, waiter);
            return true;
        }

        if (Interlocked.Increment(ref _holds) == 1)
        {
            // Once per connection: a peer that does not read its answers is held again and again.
            ConnectionLog.ReadingPaused(_logger, _peer, Volatile.Read(ref _queued), _total.Queued, totalFull ? "send-queue-total" : "send-queue-limit", totalFull ? _total.Limit : _limit);
        }

        return false;
    }

    /// <inheritdoc/>
    public void AfterFrame()
    {
        _watchdog.OnFrameHandled();
        long reserved = Interlocked.Exchange(ref _reserved, 0);
        if (reserved != 0)
        {
            // The command queued no data after all (refused, or its data will be rented later).
            Release(reserved);
        }
    }

    /// <inheritdoc/>
    public ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource? waiter = Volatile.Read(ref _waiter);
        return waiter is null ? default : new ValueTask(waiter.Task.WaitAsync(cancellationToken));
    }

    /// <inheritdoc/>
    public void OnPartialFrame(long partialBytes)
    {
        _watchdog.OnReceived(partialBytes);
    }

    /// <inheritdoc/>
    public void OnFlushStarting()
    {
        _flushing += _unflushed;
        _unflushed = 0;
        _watchdog.OnFlushStarting();
    }

    /// <inheritdoc/>
    public void OnFlushEnded()
    {
        _watchdog.OnFlushEnded();
        long carried = _flushing;
        _flushing = 0;
        if (carried != 0)
        {
            Release(carried);
        }
    }

    /// <summary>Counts the answer buffer of a command: the reservation its FCP_CMND made, if any, becomes these bytes.</summary>
    public void Add(long bytes)
    {
        long delta = bytes - Interlocked.Exchange(ref _reserved, 0);
        if (delta > 0)
        {
            PeakGauge.Raise(ref _peak, Interlocked.Add(ref _queued, delta));
            _total.Add(delta);
        }
        else if (delta < 0)
        {
            Release(-delta);
        }
    }

    /// <summary>The bytes of an answer are in the pipe: counted until the next flush ends. Only the drainer calls it.</summary>
    public void Sent(long bytes)
    {
        _unflushed += bytes;
    }

    /// <summary>Gives bytes back (sent, or dropped) and wakes the reader, which looks again.</summary>
    public void Release(long bytes)
    {
        Interlocked.Add(ref _queued, -bytes);
        _total.Release(bytes);
        Wake();
    }

    /// <summary>Gives back what the pipe still held when the connection closed (never flushed). After the outbox is complete.</summary>
    public void ReleaseUnflushed()
    {
        long left = _unflushed + _flushing;
        _unflushed = 0;
        _flushing = 0;
        if (left != 0)
        {
            Release(left);
        }
    }

    /// <summary>Wakes the reader if it waits: it looks again (a release, the total's release, a stop).</summary>
    public void Wake()
    {
        Interlocked.Exchange(ref _waiter, null)?.TrySetResult();
    }

    private bool TryReserve(long bytes, out bool totalFull)
    {
        totalFull = false;
        long own = Volatile.Read(ref _queued);
        if (own > 0 && own + bytes > _limit)
        {
            return false;
        }

        // Within the guaranteed share the total is not asked: small I/O keeps flowing whatever others queued.
        if (own + bytes <= ConnectionLimits.GuaranteedSendQueue)
        {
            _total.Add(bytes);
        }
        else if (!_total.TryTake(bytes))
        {
            totalFull = true;
            return false;
        }

        PeakGauge.Raise(ref _peak, Interlocked.Add(ref _queued, bytes));
        Interlocked.Add(ref _reserved, bytes);
        return true;
    }
}
