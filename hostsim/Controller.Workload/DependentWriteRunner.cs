// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Workload;

/// <summary>
/// Runs the dependent write chains against any target: each chain issues its next write from the acknowledgement
/// of the last (one write in flight per chain), through a submit delegate the caller provides (a controller's MP
/// queue in tests and in the demo, SCSI WRITEs over the wire in hostsim's other commands). The caller reports each
/// completion with <see cref="Completed"/>. <see cref="Pause"/> holds every chain between two writes (none in flight,
/// so no write's latency includes the pause) until <see cref="Resume"/>: the oracle reads the chains' log then.
/// </summary>
public sealed class DependentWriteRunner
{
    private readonly DependentWriteChains _chains;
    private readonly Action<int, WriteRecord, byte[]> _submit;
    private readonly WriteRecord?[] _current;
    private readonly byte[][] _buffers;
    private readonly Lock _pauseLock = new();
    private readonly List<int> _parked = [];
    private volatile bool _stopping;
    private volatile bool _pausing;
    private int _active;
    private long _acks;
    private string? _failure;

    /// <summary>Initializes a runner.</summary>
    /// <param name="chains">The chains (and their log).</param>
    /// <param name="submit">Sends one write: chain, the write, its stamped data (the chain's own buffer, valid until completion).</param>
    public DependentWriteRunner(DependentWriteChains chains, Action<int, WriteRecord, byte[]> submit)
    {
        ArgumentNullException.ThrowIfNull(chains);
        ArgumentNullException.ThrowIfNull(submit);
        _chains = chains;
        _submit = submit;
        _current = new WriteRecord?[chains.ChainCount];
        _buffers = new byte[chains.ChainCount][];
        for (int c = 0; c < _buffers.Length; c++)
        {
            _buffers[c] = new byte[chains.BlocksPerWrite * BlockStamp.BlockSize];
        }
    }

    /// <summary>Gets the good acknowledgements so far.</summary>
    public long Acks => Interlocked.Read(ref _acks);

    /// <summary>Gets the chains with a write in flight.</summary>
    public int Active => Volatile.Read(ref _active);

    /// <summary>Gets the chains held by <see cref="Pause"/>: their last write answered, the next not yet issued.</summary>
    public int Parked
    {
        get
        {
            lock (_pauseLock)
            {
                return _parked.Count;
            }
        }
    }

    /// <summary>Gets whether the runner is paused and no write is in flight: every running chain is parked.</summary>
    public bool IsQuiescent
    {
        get
        {
            lock (_pauseLock)
            {
                return _pausing && _parked.Count == Volatile.Read(ref _active);
            }
        }
    }

    /// <summary>Gets the first write not answered good, if any (its chain stopped).</summary>
    public string? Failure => Volatile.Read(ref _failure);

    /// <summary>Starts every chain.</summary>
    public void Start()
    {
        _stopping = false;
        for (int c = 0; c < _current.Length; c++)
        {
            Interlocked.Increment(ref _active);
            Issue(c);
        }
    }

    /// <summary>Chains stop issuing; the writes in flight finish.</summary>
    public void Stop()
    {
        _stopping = true;
        lock (_pauseLock)
        {
            // A parked chain has nothing in flight: it stops where it is.
            Interlocked.Add(ref _active, -_parked.Count);
            _parked.Clear();
        }
    }

    /// <summary>
    /// Holds every chain once its write in flight is answered: the next write is not issued until
    /// <see cref="Resume"/>. <see cref="IsQuiescent"/> tells when the last write in flight has been answered.
    /// </summary>
    public void Pause()
    {
        _pausing = true;
    }

    /// <summary>Ends a pause: each parked chain issues its next write.</summary>
    public void Resume()
    {
        int[] parked;
        lock (_pauseLock)
        {
            _pausing = false;
            parked = [.. _parked];
            _parked.Clear();
        }

        foreach (int chain in parked)
        {
            Issue(chain);
        }
    }

    /// <summary>Resubmits a chain's write in flight (the target was busy: TASK SET FULL).</summary>
    /// <param name="chain">The chain.</param>
    public void Retry(int chain)
    {
        _submit(chain, _current[chain]!, _buffers[chain]);
    }

    /// <summary>A chain's write in flight has completed.</summary>
    /// <param name="chain">The chain.</param>
    /// <param name="good">Whether it was answered good.</param>
    /// <param name="detail">What the target answered, for the failure message.</param>
    public void Completed(int chain, bool good, string detail = "")
    {
        WriteRecord write = _current[chain]!;
        if (!good)
        {
            Interlocked.CompareExchange(ref _failure, "write 0x" + write.Id.ToString("X", System.Globalization.CultureInfo.InvariantCulture) + " (chain " + chain + ") answered " + detail, null);
            Interlocked.Decrement(ref _active);
            return;
        }

        _chains.Acknowledge(write);
        Interlocked.Increment(ref _acks);
        if (_stopping)
        {
            Interlocked.Decrement(ref _active);
            return;
        }

        if (_pausing)
        {
            lock (_pauseLock)
            {
                // Checked again under the lock: a Resume or Stop that has already taken the parked chains would miss
                // this one.
                if (_stopping)
                {
                    Interlocked.Decrement(ref _active);
                    return;
                }

                if (_pausing)
                {
                    _parked.Add(chain);
                    return;
                }
            }
        }

        Issue(chain);
    }

    private void Issue(int chain)
    {
        WriteRecord write = _chains.Issue(chain, _buffers[chain]);
        _current[chain] = write;
        _submit(chain, write, _buffers[chain]);
    }
}
