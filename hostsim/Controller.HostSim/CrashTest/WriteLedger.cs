// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim.CrashTest;

/// <summary>
/// Every write the crash test sent in the current round, per volume and block, on top of what each block held when
/// the round began (its base: the write ID read back and checked at the end of the last round, 0 for zeros). Two
/// writes that share a block are never in flight together (<see cref="TryBegin"/> refuses the second), so a block's
/// writes are in one order: issue order is the order they were applied in, and "the latest acknowledged write" of a
/// block is well defined. Times are ticks of one logical clock (<see cref="Tick"/>), taken before a command is sent
/// and after its answer arrives, so "A was answered before B was sent" is <c>A.AckedAt &lt; B.IssuedAt</c>.
/// </summary>
internal sealed class WriteLedger
{
    private static readonly List<LedgerWrite> s_none = [];
    private readonly Lock _lock = new();
    private readonly long[][] _base;
    private readonly Dictionary<long, List<LedgerWrite>>[] _histories;
    private readonly List<LedgerWrite>[] _inFlight;
    private long _clock;
    private long _lastId;

    /// <summary>Initializes a ledger of volumes that hold zeros.</summary>
    /// <param name="volumes">How many volumes.</param>
    /// <param name="blocksPerVolume">Blocks per volume.</param>
    public WriteLedger(int volumes, long blocksPerVolume)
    {
        Volumes = volumes;
        BlocksPerVolume = blocksPerVolume;
        _base = new long[volumes][];
        _histories = new Dictionary<long, List<LedgerWrite>>[volumes];
        _inFlight = new List<LedgerWrite>[volumes];
        for (int i = 0; i < volumes; i++)
        {
            _base[i] = new long[blocksPerVolume];
            _histories[i] = [];
            _inFlight[i] = [];
        }
    }

    /// <summary>Gets how many volumes.</summary>
    public int Volumes { get; }

    /// <summary>Gets blocks per volume.</summary>
    public long BlocksPerVolume { get; }

    /// <summary>Gets the writes answered GOOD, in the whole run.</summary>
    public long Acknowledged { get; private set; }

    /// <summary>Gets the writes the kill left unanswered, in the whole run.</summary>
    public long InDoubt { get; private set; }

    /// <summary>Gets the writes answered BUSY or TASK SET FULL (not run), in the whole run.</summary>
    public long Refused { get; private set; }

    /// <summary>Gets the writes answered with another status, in the whole run.</summary>
    public long NotGood { get; private set; }

    /// <summary>Gets the first write answered with another status, for the report.</summary>
    public string? FirstNotGood { get; private set; }

    /// <summary>Takes the next tick of the logical clock.</summary>
    /// <returns>A tick later than every tick taken before.</returns>
    public long Tick()
    {
        // Interlocked: the senders and the answer handlers take ticks on many threads; each must be unique and ordered.
        return Interlocked.Increment(ref _clock);
    }

    /// <summary>Registers a write about to be sent, unless a write in flight shares one of its blocks.</summary>
    /// <param name="volume">The volume index.</param>
    /// <param name="lba">The first block.</param>
    /// <param name="blocks">How many blocks.</param>
    /// <returns>The write (its ID and issue tick taken), or null when it would overlap one in flight.</returns>
    public LedgerWrite? TryBegin(int volume, long lba, int blocks)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lba);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lba + blocks, BlocksPerVolume);
        lock (_lock)
        {
            foreach (LedgerWrite other in _inFlight[volume])
            {
                if (lba < other.Lba + other.Blocks && other.Lba < lba + blocks)
                {
                    return null;
                }
            }

            LedgerWrite write = new(++_lastId, volume, lba, blocks, Tick());
            _inFlight[volume].Add(write);
            Dictionary<long, List<LedgerWrite>> history = _histories[volume];
            for (long block = lba; block < lba + blocks; block++)
            {
                if (!history.TryGetValue(block, out List<LedgerWrite>? writes))
                {
                    history[block] = writes = [];
                }

                writes.Add(write);
            }

            return write;
        }
    }

    /// <summary>Records what became of a write: its answer, or the kill.</summary>
    /// <param name="write">The write.</param>
    /// <param name="outcome">What became of it.</param>
    /// <param name="answer">The answer, for a write not GOOD.</param>
    public void Complete(LedgerWrite write, WriteOutcome outcome, string? answer = null)
    {
        ArgumentNullException.ThrowIfNull(write);
        long tick = outcome == WriteOutcome.Acknowledged ? Tick() : 0;
        lock (_lock)
        {
            write.AckedAt = tick;
            write.Outcome = outcome;
            _inFlight[write.Volume].Remove(write);
            switch (outcome)
            {
                case WriteOutcome.Acknowledged:
                    Acknowledged++;
                    break;
                case WriteOutcome.InDoubt:
                    InDoubt++;
                    break;
                case WriteOutcome.Refused:
                    Refused++;
                    break;
                case WriteOutcome.NotGood:
                    NotGood++;
                    FirstNotGood ??= write + ": " + answer;
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "a write completes with an answer or the kill");
            }
        }
    }

    /// <summary>Gets the writes of this round to a block, in issue order (read only while nothing is in flight).</summary>
    /// <param name="volume">The volume index.</param>
    /// <param name="lba">The block.</param>
    /// <returns>The writes, maybe none.</returns>
    public IReadOnlyList<LedgerWrite> HistoryOf(int volume, long lba)
    {
        return _histories[volume].TryGetValue(lba, out List<LedgerWrite>? writes) ? writes : s_none;
    }

    /// <summary>Gets the write a block held when this round began (0: zeros, never written).</summary>
    /// <param name="volume">The volume index.</param>
    /// <param name="lba">The block.</param>
    /// <returns>The write ID.</returns>
    public long BaseOf(int volume, long lba)
    {
        return _base[volume][lba];
    }

    /// <summary>Gets the writes still in flight (none once a round's load has ended).</summary>
    public int InFlight
    {
        get
        {
            lock (_lock)
            {
                int count = 0;
                foreach (List<LedgerWrite> writes in _inFlight)
                {
                    count += writes.Count;
                }

                return count;
            }
        }
    }

    /// <summary>Starts a round: each block's base becomes what was read and checked, and the round's writes are dropped.</summary>
    /// <param name="held">Per volume, the write ID each block was read holding.</param>
    /// <exception cref="InvalidOperationException">A write is still in flight.</exception>
    public void NextRound(IReadOnlyList<long[]> held)
    {
        ArgumentNullException.ThrowIfNull(held);
        lock (_lock)
        {
            if (InFlight != 0)
            {
                throw new InvalidOperationException("a round ends only when no write is in flight");
            }

            for (int volume = 0; volume < Volumes; volume++)
            {
                held[volume].CopyTo(_base[volume], 0);
                _histories[volume].Clear();
            }
        }
    }
}
