// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.Scheduling;
using Controller.Firmware.Volumes;

namespace Controller.Firmware.Pairs;

/// <summary>
/// The rows of the Copy Management Table and the one lock over them (docs/architecture.md, "The Pairs core"): every
/// row added, re-addressed or removed goes through here, which publishes each volume's <see cref="VolumePairing"/>
/// to the write path and keeps the secondary rows the update copies look up without the lock. The other owners of the
/// core (the state machine, the splits, the replication link, the mirror names, the takeover) change rows only while
/// holding <see cref="Lock"/>; none of them has a lock of its own, so there is no lock order to get wrong. What is
/// kept across a restart is marked here too, at the rows' boundary (PairRegistry.Persistence.cs).
/// </summary>
internal sealed partial class PairRegistry
{
    // Pulsed after every state change (under its own monitor, never while a waiter could hold Lock): pairevtwait.
    private readonly object _changed = new();
    private readonly List<MirrorPair> _rows = [];

    // The rows by (P-VOL, S-VOL) address: every command and every member of an atomic split is looked up by it.
    private readonly Dictionary<PairAddress, MirrorPair> _byAddress = [];
    private readonly Dictionary<Ldev, MirrorPair> _bySVolScratch = [];
    private readonly IScheduler _scheduler;

    // The secondary rows by S-VOL address: copy-on-write, read without the lock by every update copy.
    private Dictionary<VolumeAddress, MirrorPair> _secondaryBySVol = [];
    private long _changeCount;
    private int _nextEntryId = 1;

    /// <summary>Initializes an empty registry.</summary>
    /// <param name="scheduler">Runs the commits scheduled for copies waiting on kept state.</param>
    public PairRegistry(IScheduler scheduler)
    {
        _scheduler = scheduler;
    }

    /// <summary>Gets the lock of the whole Copy Management Table: control plane only, never on the host write path (only its rare fault path).</summary>
    public Lock Lock { get; } = new();

    /// <summary>Gets the rows in entry order; read, never changed, by the owners, under <see cref="Lock"/>.</summary>
    public List<MirrorPair> RowsUnsynchronized => _rows;

    /// <summary>Takes the next entry ID for a new row (under the lock).</summary>
    /// <returns>The ID.</returns>
    public int NextEntryIdUnsynchronized()
    {
        return _nextEntryId++;
    }

    /// <summary>Keeps a restored row's entry ID from being given again (under the lock).</summary>
    /// <param name="entryId">The restored row's ID.</param>
    public void ReserveEntryIdUnsynchronized(int entryId)
    {
        _nextEntryId = Math.Max(_nextEntryId, entryId + 1);
    }

    /// <summary>Finds the pair of two volumes.</summary>
    /// <param name="pVolAddress">The P-VOL's address.</param>
    /// <param name="sVolAddress">The S-VOL's address.</param>
    /// <returns>The pair, or null.</returns>
    public MirrorPair? Find(VolumeAddress pVolAddress, VolumeAddress sVolAddress)
    {
        lock (Lock)
        {
            return FindUnsynchronized(pVolAddress, sVolAddress);
        }
    }

    /// <summary>Finds the pair of two volumes (under the lock).</summary>
    /// <param name="pVolAddress">The P-VOL's address.</param>
    /// <param name="sVolAddress">The S-VOL's address.</param>
    /// <returns>The pair, or null.</returns>
    public MirrorPair? FindUnsynchronized(VolumeAddress pVolAddress, VolumeAddress sVolAddress)
    {
        return _byAddress.GetValueOrDefault(new PairAddress(pVolAddress, sVolAddress));
    }

    /// <summary>Lists the pairs a volume takes part in, in either role.</summary>
    /// <param name="volume">The volume's address.</param>
    /// <returns>The pairs, in entry order.</returns>
    public IReadOnlyList<MirrorPair> FindByVolume(VolumeAddress volume)
    {
        lock (Lock)
        {
            List<MirrorPair> found = [];
            foreach (MirrorPair pair in _rows)
            {
                if (pair.PVolAddress == volume || pair.SVolAddress == volume)
                {
                    found.Add(pair);
                }
            }

            return found;
        }
    }

    /// <summary>Lists every pair, in entry order.</summary>
    /// <returns>A copy of the rows.</returns>
    public IReadOnlyList<MirrorPair> GetPairs()
    {
        lock (Lock)
        {
            return _rows.ToArray();
        }
    }

    /// <summary>Whether the row is still in the table (not deleted): by its address, not a scan of the rows.</summary>
    /// <param name="pair">The row.</param>
    /// <returns>True while it is.</returns>
    public bool IsInTableUnsynchronized(MirrorPair pair)
    {
        return _byAddress.TryGetValue(new PairAddress(pair.PVolAddress, pair.SVolAddress), out MirrorPair? found) && ReferenceEquals(found, pair);
    }

    /// <summary>Finds the secondary row of an S-VOL, lock-free (the update copies' path).</summary>
    /// <param name="sVolAddress">The S-VOL's address.</param>
    /// <returns>The row, or null.</returns>
    public MirrorPair? FindSecondary(VolumeAddress sVolAddress)
    {
        return Volatile.Read(ref _secondaryBySVol).GetValueOrDefault(sVolAddress);
    }

    /// <summary>Adds a row and publishes both its volumes' pairings (under the lock).</summary>
    /// <param name="row">The new row.</param>
    public void AddRowUnsynchronized(MirrorPair row)
    {
        _rows.Add(row);
        _byAddress.Add(new PairAddress(row.PVolAddress, row.SVolAddress), row);
        if (row.IsSecondary)
        {
            Volatile.Write(ref _secondaryBySVol, new Dictionary<VolumeAddress, MirrorPair>(_secondaryBySVol) { [row.SVolAddress] = row });
        }

        PublishPairingUnsynchronized(row);
    }

    /// <summary>Removes a row and publishes both its volumes' pairings (under the lock).</summary>
    /// <param name="row">The row.</param>
    public void RemoveRowUnsynchronized(MirrorPair row)
    {
        _rows.Remove(row);
        _byAddress.Remove(new PairAddress(row.PVolAddress, row.SVolAddress));
        if (row.IsSecondary)
        {
            Dictionary<VolumeAddress, MirrorPair> rows = new(_secondaryBySVol);
            rows.Remove(row.SVolAddress);
            Volatile.Write(ref _secondaryBySVol, rows);
        }

        PublishPairingUnsynchronized(row);
    }

    /// <summary>Swaps a local row's roles (a swap resync) under its new address, and publishes it (under the lock).</summary>
    /// <param name="pair">The row.</param>
    /// <param name="mirrorUnit">The new P-VOL's free mirror unit.</param>
    public void SwapRolesUnsynchronized(MirrorPair pair, int mirrorUnit)
    {
        _byAddress.Remove(new PairAddress(pair.PVolAddress, pair.SVolAddress));
        pair.SwapRoles(mirrorUnit);
        _byAddress.Add(new PairAddress(pair.PVolAddress, pair.SVolAddress), pair);
        PublishPairingUnsynchronized(pair);
    }

    /// <summary>Publishes, for both volumes of a pair, the pairs each now takes part in (after create, swap, delete, takeover).</summary>
    /// <param name="changed">The row.</param>
    public void PublishPairingUnsynchronized(MirrorPair changed)
    {
        PublishPairingUnsynchronized(changed.PVol);
        PublishPairingUnsynchronized(changed.SVol);
    }

    /// <summary>Counts a state change and wakes the waiters of <see cref="WaitForState"/>.</summary>
    public void NotifyChanged()
    {
        Interlocked.Increment(ref _changeCount);
        lock (_changed)
        {
            Monitor.PulseAll(_changed);
        }
    }

    /// <summary>
    /// Blocks until the pair of two volumes is in a state, or the time runs out (pairevtwait). Real-time mode
    /// only: in deterministic mode nothing else would run, so run the scheduler instead.
    /// </summary>
    /// <param name="pVolAddress">The P-VOL's address.</param>
    /// <param name="sVolAddress">The S-VOL's address.</param>
    /// <param name="state">The state to wait for (SMPL: the pair is gone).</param>
    /// <param name="timeout">How long to wait at most.</param>
    /// <returns>True when the pair reached the state, false on timeout.</returns>
    public bool WaitForState(VolumeAddress pVolAddress, VolumeAddress sVolAddress, PairState state, TimeSpan timeout)
    {
        if (_scheduler is DeterministicScheduler)
        {
            ThrowHelper.ThrowInvalidOperation("WaitForState blocks the only thread of a deterministic scheduler: run the scheduler until the pair is " + PairStateNames.Of(state));
        }

        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (true)
        {
            // The change count is read before the state, and the wait happens only if no change came since: a
            // change between the two is never slept through. Lock is never taken inside _changed.
            long seen = Volatile.Read(ref _changeCount);
            if ((Find(pVolAddress, sVolAddress)?.State ?? PairState.Smpl) == state)
            {
                return true;
            }

            long left = deadline - Environment.TickCount64;
            if (left <= 0)
            {
                return false;
            }

            lock (_changed)
            {
                if (Volatile.Read(ref _changeCount) == seen)
                {
                    Monitor.Wait(_changed, (int)Math.Min(left, int.MaxValue));
                }
            }
        }
    }

    /// <summary>Whether a pair is split (PSUS or PSUE).</summary>
    /// <param name="pair">The pair.</param>
    /// <returns>True when split.</returns>
    public static bool IsSplit(MirrorPair pair)
    {
        return pair.State is PairState.Psus or PairState.Psue;
    }

    /// <summary>Whether another pair feeds this pair's S-VOL now (FIG 12's new mirror): this one may not copy into it.</summary>
    /// <param name="pair">The pair.</param>
    /// <returns>True when another unsplit pair has the same S-VOL.</returns>
    public bool SVolFedByAnotherUnsynchronized(MirrorPair pair)
    {
        foreach (MirrorPair other in _rows)
        {
            if (!ReferenceEquals(other, pair) && ReferenceEquals(other.SVol, pair.SVol) && !IsSplit(other))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether volume 'from' feeds volume 'to' through a chain of pairs (from is the P-VOL of a pair whose S-VOL is
    /// the P-VOL of ... a pair whose S-VOL is 'to'), ignoring one pair.
    /// </summary>
    /// <param name="from">The upstream volume.</param>
    /// <param name="to">The downstream volume.</param>
    /// <param name="ignoring">A pair to leave out (a swap's own), or null.</param>
    /// <returns>True when it does.</returns>
    public bool FeedsUnsynchronized(Ldev from, Ldev to, MirrorPair? ignoring)
    {
        // Walked upstream from 'to' over every pair whose S-VOL is on the way: a volume is fed by one pair at a time,
        // but it may also be the S-VOL of pairs that are split (FIG 12), which a resync would make feed it again.
        // Following only the first such pair missed the one feeding it, and the loop 2 -> 4 (PAIR), 4 -> 2 was
        // accepted beside a split 3 -> 4: its copy then went round the loop for ever (found by hostsim fuzz, seed 42,
        // deterministic). Control plane: it may allocate.
        Stack<Ldev> upstream = new();
        HashSet<Ldev> seen = new(ReferenceEqualityComparer.Instance);
        upstream.Push(to);
        while (upstream.TryPop(out Ldev? current))
        {
            if (ReferenceEquals(current, from))
            {
                return true;
            }

            if (!seen.Add(current))
            {
                continue;
            }

            foreach (MirrorPair pair in _rows)
            {
                if (!ReferenceEquals(pair, ignoring) && ReferenceEquals(pair.SVol, current))
                {
                    upstream.Push(pair.PVol);
                }
            }
        }

        return false;
    }

    /// <summary>The split pair a volume is the S-VOL of, left by an atomic split (the origin of its image), if any.</summary>
    /// <param name="volume">The volume.</param>
    /// <returns>The pair, or null.</returns>
    public MirrorPair? SplitPairOfUnsynchronized(Ldev volume)
    {
        foreach (MirrorPair pair in _rows)
        {
            if (ReferenceEquals(pair.SVol, volume) && pair.State == PairState.Psus && pair.SplitSource.IsSome)
            {
                return pair;
            }
        }

        return null;
    }

    /// <summary>The most pairs a write passes through, P-VOL to the last cascade (a drain needs one round per hop).</summary>
    /// <returns>The hops; 0 with no pair.</returns>
    public int LongestChainUnsynchronized()
    {
        // A scratch map kept between splits (under the lock): a split of 512 members asks this once.
        Dictionary<Ldev, MirrorPair> bySVol = _bySVolScratch;
        bySVol.Clear();
        foreach (MirrorPair pair in _rows)
        {
            bySVol[pair.SVol] = pair;
        }

        int longest = 0;
        foreach (MirrorPair pair in _rows)
        {
            int hops = 1;
            Ldev volume = pair.PVol;
            while (hops <= _rows.Count && bySVol.TryGetValue(volume, out MirrorPair? upstream))
            {
                hops++;
                volume = upstream.PVol;
            }

            longest = Math.Max(longest, hops);
        }

        // Holds no row past the call (a deleted pair's volumes are not kept alive by it).
        bySVol.Clear();
        return longest;
    }

    /// <summary>The remote row of an entry (a swap resync keeps the entry while it turns the row).</summary>
    /// <param name="entryId">The entry.</param>
    /// <returns>The row, or null.</returns>
    public MirrorPair? RemoteRowOfEntryUnsynchronized(int entryId)
    {
        foreach (MirrorPair row in _rows)
        {
            if (row.EntryId == entryId && row.Type == MirrorType.Remote)
            {
                return row;
            }
        }

        return null;
    }

    private void PublishPairingUnsynchronized(Ldev volume)
    {
        List<MirrorPair> asPVol = [];
        List<MirrorPair> asSVols = [];
        foreach (MirrorPair pair in _rows)
        {
            if (ReferenceEquals(pair.PVol, volume))
            {
                asPVol.Add(pair);
            }
            else if (ReferenceEquals(pair.SVol, volume))
            {
                asSVols.Add(pair);
            }
        }

        volume.Pairing = asPVol.Count == 0 && asSVols.Count == 0 ? VolumePairing.None : new VolumePairing(asPVol.ToArray(), asSVols.ToArray());
    }
}
