// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;

namespace Controller.Target;

/// <summary>
/// The timeouts of one connection (docs/controllerd.md, "Bounded resources"): login (PLOGI and PRLI within a time
/// of the accept), frame (a frame begun must be finished), send (a flush to the peer must end) and idle (nothing
/// received and nothing outstanding). One timer per connection on the port front's clock
/// (<see cref="TargetOptions.Time"/>, a fake one in tests) looks every quarter of the shortest timeout, so a
/// connection is closed between the timeout and 1.25 times it. The reader and the drainer only note times.
/// </summary>
internal sealed class ConnectionWatchdog : IDisposable
{
    private readonly TimeProvider _time;
    private readonly ConnectionLimits _limits;
    private readonly Func<int> _outstanding;
    private readonly Action<string> _expire;
    private readonly ITimer? _timer;
    private readonly long _acceptedAt;

    // No time stamp (a fake clock may well start at 0).
    private const long None = long.MinValue;

    // Time stamps on _time (None: none), written by the reader or the drainer, read by the timer: Volatile.
    private long _partialSince = None;
    private long _partialBytes;
    private long _flushSince = None;

    // Reader-owned: a frame was handled since the last batch ended, so a partial frame now is a new one.
    private bool _frameHandled;
    private long _lastReceived;
    private int _loggedIn;
    private int _expired;

    public ConnectionWatchdog(TimeProvider time, ConnectionLimits limits, Func<int> outstanding, Action<string> expire)
    {
        _time = time;
        _limits = limits;
        _outstanding = outstanding;
        _expire = expire;
        _acceptedAt = time.GetTimestamp();
        _lastReceived = _acceptedAt;
        TimeSpan shortest = Timeout.InfiniteTimeSpan;
        foreach (TimeSpan? timeout in (TimeSpan?[])[limits.LoginTimeout, limits.FrameTimeout, limits.SendTimeout, limits.IdleTimeout])
        {
            if (timeout is TimeSpan value && (shortest == Timeout.InfiniteTimeSpan || value < shortest))
            {
                shortest = value;
            }
        }

        if (shortest != Timeout.InfiniteTimeSpan)
        {
            TimeSpan tick = TimeSpan.FromTicks(Math.Max(shortest.Ticks / 4, TimeSpan.TicksPerMillisecond));
            _timer = time.CreateTimer(static state => ((ConnectionWatchdog)state!).Check(), this, tick, tick);
        }
    }

    /// <summary>Gets a value indicating whether part of a frame is waiting for the rest.</summary>
    public bool HasPartialFrame => Volatile.Read(ref _partialSince) != None;

    /// <summary>Gets a value indicating whether a flush to the peer is in progress.</summary>
    public bool IsFlushing => Volatile.Read(ref _flushSince) != None;

    /// <summary>The initiator has logged in (PRLI accepted): the login timeout no longer applies.</summary>
    public void OnLoggedIn()
    {
        Volatile.Write(ref _loggedIn, 1);
    }

    /// <summary>A batch of bytes was received; <paramref name="partialBytes"/> of a frame begun wait for the rest (0: none).</summary>
    public void OnReceived(long partialBytes)
    {
        long now = _time.GetTimestamp();
        Volatile.Write(ref _lastReceived, now);
        if (partialBytes == 0)
        {
            Volatile.Write(ref _partialSince, None);
        }
        else if (_frameHandled || Volatile.Read(ref _partialSince) == None)
        {
            // A frame begun in this batch: its time starts now (a frame that keeps the same start across batches
            // is one that is not being finished).
            Volatile.Write(ref _partialSince, now);
        }

        _frameHandled = false;
        Volatile.Write(ref _partialBytes, partialBytes);
    }

    /// <summary>The reader handled a whole frame.</summary>
    public void OnFrameHandled()
    {
        _frameHandled = true;
    }

    /// <summary>A flush to the peer begins.</summary>
    public void OnFlushStarting()
    {
        Volatile.Write(ref _flushSince, _time.GetTimestamp());
    }

    /// <summary>The flush has ended.</summary>
    public void OnFlushEnded()
    {
        Volatile.Write(ref _flushSince, None);
    }

    /// <summary>Looks at every timeout now; closes the connection (once) when one has run out. The timer calls it.</summary>
    public void Check()
    {
        if (Volatile.Read(ref _expired) != 0)
        {
            return;
        }

        long now = _time.GetTimestamp();
        string? reason = null;
        if (_limits.LoginTimeout is TimeSpan login && Volatile.Read(ref _loggedIn) == 0 && Elapsed(_acceptedAt, now) >= login)
        {
            reason = "not logged in (PLOGI and PRLI) within the login timeout of " + Seconds(login);
        }
        else if (_limits.FrameTimeout is TimeSpan frame && Volatile.Read(ref _partialSince) is long partial && partial != None && Elapsed(partial, now) >= frame)
        {
            reason = "a frame begun " + Seconds(Elapsed(partial, now)) + " ago is not complete (" + Volatile.Read(ref _partialBytes) + " bytes received; frame timeout " + Seconds(frame) + ")";
        }
        else if (_limits.SendTimeout is TimeSpan send && Volatile.Read(ref _flushSince) is long flush && flush != None && Elapsed(flush, now) >= send)
        {
            reason = "no send progress for " + Seconds(Elapsed(flush, now)) + ": the initiator does not take its answers (send timeout " + Seconds(send) + ")";
        }
        else if (_limits.IdleTimeout is TimeSpan idle && Volatile.Read(ref _loggedIn) != 0 && _outstanding() == 0 && Elapsed(Volatile.Read(ref _lastReceived), now) >= idle)
        {
            reason = "idle for " + Seconds(Elapsed(Volatile.Read(ref _lastReceived), now)) + " (idle timeout " + Seconds(idle) + ")";
        }

        if (reason is not null && Interlocked.Exchange(ref _expired, 1) == 0)
        {
            _timer?.Dispose();
            _expire(reason);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Interlocked.Exchange(ref _expired, 1);
        _timer?.Dispose();
    }

    private static string Seconds(TimeSpan span)
    {
        return span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
    }

    private TimeSpan Elapsed(long start, long now)
    {
        return _time.GetElapsedTime(start, now);
    }
}
