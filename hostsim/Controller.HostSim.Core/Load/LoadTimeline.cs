// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim.Core.Load;

/// <summary>
/// Latency over time in 100 ms buckets: per bucket the commands, their total latency and the largest, for reads
/// and writes apart. One writer per timeline (one per queue slot), merged at the end.
/// </summary>
public sealed class LoadTimeline
{
    /// <summary>The width of a bucket.</summary>
    public const long BucketNanoseconds = 100_000_000;

    private readonly long[] _writes;
    private readonly long[] _writeNanoseconds;
    private readonly long[] _writeMax;
    private readonly long[] _reads;
    private readonly long[] _readNanoseconds;

    /// <summary>Initializes a timeline long enough for a run.</summary>
    /// <param name="seconds">The run's length.</param>
    public LoadTimeline(double seconds)
    {
        int buckets = (int)Math.Ceiling(seconds * 1e9 / BucketNanoseconds) + 2;
        _writes = new long[buckets];
        _writeNanoseconds = new long[buckets];
        _writeMax = new long[buckets];
        _reads = new long[buckets];
        _readNanoseconds = new long[buckets];
    }

    /// <summary>Gets the number of buckets.</summary>
    public int Buckets => _writes.Length;

    /// <summary>Records one command.</summary>
    /// <param name="elapsedNanoseconds">When it completed, from the start of the run.</param>
    /// <param name="latencyNanoseconds">Its latency.</param>
    /// <param name="isWrite">True for a write.</param>
    public void Record(long elapsedNanoseconds, long latencyNanoseconds, bool isWrite)
    {
        int bucket = (int)Math.Min(elapsedNanoseconds / BucketNanoseconds, _writes.Length - 1);
        if (isWrite)
        {
            _writes[bucket]++;
            _writeNanoseconds[bucket] += latencyNanoseconds;
            _writeMax[bucket] = Math.Max(_writeMax[bucket], latencyNanoseconds);
        }
        else
        {
            _reads[bucket]++;
            _readNanoseconds[bucket] += latencyNanoseconds;
        }
    }

    /// <summary>Adds another timeline of the same length into this one.</summary>
    /// <param name="other">The other timeline.</param>
    public void Add(LoadTimeline other)
    {
        for (int i = 0; i < _writes.Length; i++)
        {
            _writes[i] += other._writes[i];
            _writeNanoseconds[i] += other._writeNanoseconds[i];
            _writeMax[i] = Math.Max(_writeMax[i], other._writeMax[i]);
            _reads[i] += other._reads[i];
            _readNanoseconds[i] += other._readNanoseconds[i];
        }
    }

    /// <summary>
    /// Gets the commands answered in the run's first whole second and in its slowest whole second: what a user asks
    /// of a start-up ("is it at speed from the first second?"). A second counts once the run has lasted all of it.
    /// </summary>
    /// <param name="elapsedSeconds">How long the run lasted.</param>
    /// <returns>The first second's commands, the slowest second's, and how many whole seconds there were.</returns>
    public (long FirstSecond, long SlowestSecond, int Seconds) WholeSeconds(double elapsedSeconds)
    {
        const int bucketsPerSecond = (int)(1_000_000_000 / BucketNanoseconds);
        int seconds = (int)Math.Min(Math.Floor(elapsedSeconds), (_writes.Length - 1) / bucketsPerSecond);
        long first = 0;
        long slowest = long.MaxValue;
        for (int second = 0; second < seconds; second++)
        {
            long commands = 0;
            for (int bucket = second * bucketsPerSecond; bucket < (second + 1) * bucketsPerSecond; bucket++)
            {
                commands += _writes[bucket] + _reads[bucket];
            }

            first = second == 0 ? commands : first;
            slowest = Math.Min(slowest, commands);
        }

        return (first, seconds == 0 ? 0 : slowest, seconds);
    }

    /// <summary>Gets a bucket's commands, mean write latency and largest write latency.</summary>
    /// <param name="bucket">The bucket.</param>
    /// <returns>The commands in it, the mean and the largest write latency in nanoseconds (0 with no write).</returns>
    public (long Commands, long MeanWriteNanoseconds, long MaxWriteNanoseconds) Get(int bucket)
    {
        long writes = _writes[bucket];
        return (writes + _reads[bucket], writes == 0 ? 0 : _writeNanoseconds[bucket] / writes, _writeMax[bucket]);
    }
}
