// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics;
using Controller.HostSim.Core.Measurement;

namespace Controller.HostSim.Core.Load;

/// <summary>
/// The load generator: one async loop per queue slot, each drawing its next command from its own random stream
/// (xorshift64*), timing it and recording it in its own histograms and timeline (one writer each, merged at the
/// end: nothing shared on the hot path but the optional rate limit and sequential cursors). A target that answers
/// synchronously (the null target) would keep a loop on one thread forever, so a loop yields every 64 synchronous
/// answers and the slots share the cores.
/// </summary>
public sealed class LoadGenerator
{
    private const int YieldEvery = 64;
    private readonly LoadSpec _spec;
    private readonly ILoadTarget _target;
    private readonly long[] _cursors;
    private readonly Lock _overlapGate = new();
    private readonly LoadIo?[] _outstanding;
    private long _started;
    private long _startTimestamp;
    private long _deadline;
    private volatile bool _stopped;

    /// <summary>Initializes a generator.</summary>
    /// <param name="spec">The load.</param>
    /// <param name="target">Where its commands go.</param>
    public LoadGenerator(LoadSpec spec, ILoadTarget target)
    {
        _spec = spec;
        _target = target;
        _cursors = new long[spec.Volumes.Count];
        _outstanding = new LoadIo?[spec.QueueDepth];
    }

    /// <summary>Gets the commands completed so far (for a progress display; approximate while running).</summary>
    public long Completed => Volatile.Read(ref _started);

    /// <summary>Stops the load early: each slot finishes its command and stops.</summary>
    public void Stop()
    {
        _stopped = true;
    }

    /// <summary>Runs the load for its time.</summary>
    /// <returns>What it did.</returns>
    public async Task<LoadResult> RunAsync()
    {
        int slots = _spec.QueueDepth;
        SlotState[] states = new SlotState[slots];
        Task[] loops = new Task[slots];
        _startTimestamp = Stopwatch.GetTimestamp();
        _deadline = _startTimestamp + (long)(_spec.Seconds * Stopwatch.Frequency);
        for (int slot = 0; slot < slots; slot++)
        {
            states[slot] = new SlotState(_spec, slot);
            SlotState state = states[slot];
            loops[slot] = Task.Run(() => RunSlotAsync(state));
        }

        await Task.WhenAll(loops).ConfigureAwait(false);
        double seconds = Stopwatch.GetElapsedTime(_startTimestamp).TotalSeconds;
        LatencyHistogram all = new();
        LatencyHistogram reads = new();
        LatencyHistogram writes = new();
        LoadTimeline timeline = new(_spec.Seconds);
        long readCount = 0, writeCount = 0, failed = 0, redrawn = 0, bytes = 0;
        foreach (SlotState state in states)
        {
            reads.Add(state.ReadLatency);
            writes.Add(state.WriteLatency);
            timeline.Add(state.Timeline);
            readCount += state.Reads;
            writeCount += state.Writes;
            failed += state.Failed;
            redrawn += state.Redrawn;
            bytes += state.Bytes;
        }

        all.Add(reads);
        all.Add(writes);
        return new LoadResult
        {
            Reads = readCount,
            Writes = writeCount,
            Failed = failed,
            Redrawn = redrawn,
            Bytes = bytes,
            Seconds = seconds,
            Latency = all,
            ReadLatency = reads,
            WriteLatency = writes,
            Timeline = timeline,
        };
    }

    private async Task RunSlotAsync(SlotState state)
    {
        int synchronous = 0;
        double ticksPerNanosecond = Stopwatch.Frequency / 1e9;
        while (!_stopped)
        {
            long number = Interlocked.Increment(ref _started);
            if (_spec.MaxCommands > 0 && number > _spec.MaxCommands)
            {
                break;
            }

            if (_spec.RateLimit > 0)
            {
                await PaceAsync(number).ConfigureAwait(false);
            }

            LoadIo io = Draw(state);
            if (_spec.SerializeOverlap)
            {
                io = Claim(state, io);
            }

            long sent = Stopwatch.GetTimestamp();
            if (sent >= _deadline)
            {
                break;
            }

            ValueTask<bool> pending = _target.ExecuteAsync(state.Slot, io);
            bool good;
            if (pending.IsCompletedSuccessfully)
            {
                good = pending.Result;
                if (++synchronous == YieldEvery)
                {
                    synchronous = 0;
                    await Task.Yield();
                }
            }
            else
            {
                good = await pending.ConfigureAwait(false);
            }

            long answered = Stopwatch.GetTimestamp();
            if (_spec.SerializeOverlap)
            {
                _outstanding[state.Slot] = null;
            }

            long latency = (long)((answered - sent) / ticksPerNanosecond);
            state.Record(io, good, latency, (long)((answered - _startTimestamp) / ticksPerNanosecond));
        }

        if (_spec.SerializeOverlap)
        {
            _outstanding[state.Slot] = null;
        }
    }

    // Starts command n no earlier than n / rate seconds after the start.
    private async Task PaceAsync(long number)
    {
        long due = _startTimestamp + (long)(number * (double)Stopwatch.Frequency / _spec.RateLimit);
        long wait = due - Stopwatch.GetTimestamp();
        if (wait <= 0)
        {
            return;
        }

        // This slot may be running on an initiator's frame reader (answers complete inline): leave it before
        // waiting, so that no other slot's answer waits behind the spin.
        await Task.Yield();
        if (wait > Stopwatch.Frequency / 500)
        {
            await Task.Delay(TimeSpan.FromSeconds((double)(wait - (Stopwatch.Frequency / 1000)) / Stopwatch.Frequency)).ConfigureAwait(false);
        }

        while (Stopwatch.GetTimestamp() < due && !_stopped)
        {
            Thread.SpinWait(20);
        }
    }

    private LoadIo Draw(SlotState state)
    {
        int volume = _spec.Volumes.Count == 1 ? 0 : (int)(state.Next() % (ulong)_spec.Volumes.Count);
        bool isWrite = _spec.ReadPercent == 0 || (_spec.ReadPercent < 100 && (int)(state.Next() % 100) >= _spec.ReadPercent);
        int blocks = _spec.BlockSizes.Pick((int)(state.Next() % 100));
        long capacity = _spec.Volumes[volume].Blocks;
        long lba;
        if (_spec.Sequential)
        {
            long at = Interlocked.Add(ref _cursors[volume], blocks) - blocks;
            lba = at % Math.Max(1, capacity - blocks + 1);
        }
        else
        {
            // Aligned to the command's size, as fio's random offsets are (blockalign = bs).
            long slots = Math.Max(1, capacity / blocks);
            lba = (long)(state.Next() % (ulong)slots) * blocks;
        }

        return new LoadIo(volume, isWrite, lba, blocks);
    }

    // Serialize overlap: publish the command as outstanding unless it touches an outstanding one's blocks (one of
    // them writing), in which case draw another. Under a lock: two slots must not both pass the check.
    private LoadIo Claim(SlotState state, LoadIo io)
    {
        while (true)
        {
            lock (_overlapGate)
            {
                if (!Overlaps(io))
                {
                    _outstanding[state.Slot] = io;
                    return io;
                }
            }

            state.Redrawn++;
            io = Draw(state);
        }
    }

    private bool Overlaps(LoadIo io)
    {
        foreach (LoadIo? other in _outstanding)
        {
            if (other is LoadIo busy && busy.Volume == io.Volume && (busy.IsWrite || io.IsWrite) && busy.Lba < io.Lba + io.Blocks && io.Lba < busy.Lba + busy.Blocks)
            {
                return true;
            }
        }

        return false;
    }

    // One queue slot's own state: its random stream, counters, histograms and timeline.
    private sealed class SlotState(LoadSpec spec, int slot)
    {
        private ulong _random = (spec.Seed * 0x9E3779B97F4A7C15UL) + ((ulong)slot * 0xBF58476D1CE4E5B9UL) + 1;

        public int Slot { get; } = slot;

        public long Reads { get; private set; }

        public long Writes { get; private set; }

        public long Failed { get; private set; }

        public long Bytes { get; private set; }

        public long Redrawn { get; set; }

        public LatencyHistogram ReadLatency { get; } = new();

        public LatencyHistogram WriteLatency { get; } = new();

        public LoadTimeline Timeline { get; } = new(spec.Seconds);

        // xorshift64* (Vigna): a full-period 64-bit generator, a few instructions per draw.
        public ulong Next()
        {
            _random ^= _random >> 12;
            _random ^= _random << 25;
            _random ^= _random >> 27;
            return _random * 0x2545F4914F6CDD1DUL;
        }

        public void Record(in LoadIo io, bool good, long latency, long elapsed)
        {
            if (!good)
            {
                Failed++;
            }

            if (io.IsWrite)
            {
                Writes++;
                WriteLatency.Record(latency);
            }
            else
            {
                Reads++;
                ReadLatency.Record(latency);
            }

            Bytes += io.Blocks * 512L;
            Timeline.Record(elapsed, latency, io.IsWrite);
        }
    }
}
