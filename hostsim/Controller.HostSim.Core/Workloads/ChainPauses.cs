// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim.Core.Workloads;

/// <summary>
/// The times the dependent write chains were held between two writes (while the consistency oracle read their log):
/// how many, how long in all, the longest. Kept apart from write latency, which counts only the writes.
/// </summary>
public sealed class ChainPauses
{
    private readonly Lock _lock = new();
    private long _count;
    private long _totalNanoseconds;
    private long _maxNanoseconds;

    /// <summary>Gets the number of pauses.</summary>
    public long Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    /// <summary>Gets the pauses' total length, in nanoseconds.</summary>
    public long TotalNanoseconds
    {
        get
        {
            lock (_lock)
            {
                return _totalNanoseconds;
            }
        }
    }

    /// <summary>Gets the longest pause, in nanoseconds (0 when none).</summary>
    public long MaxNanoseconds
    {
        get
        {
            lock (_lock)
            {
                return _maxNanoseconds;
            }
        }
    }

    /// <summary>Records one pause.</summary>
    /// <param name="nanoseconds">How long the chains were held.</param>
    public void Record(long nanoseconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nanoseconds);
        lock (_lock)
        {
            _count++;
            _totalNanoseconds += nanoseconds;
            _maxNanoseconds = Math.Max(_maxNanoseconds, nanoseconds);
        }
    }
}
