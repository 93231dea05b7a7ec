// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Workload;

/// <summary>
/// The dependent-write workload of the consistency oracle (R0-20): chains of writes, each write of a chain issued
/// only after the previous one was acknowledged and stamped with the ID of the write it depends on. A chain walks
/// the volumes in turn (write k of chain c goes to volume (c + k) mod V), so chains cross every volume; each chain
/// owns its own LBAs on every volume, so the writes to one LBA are ordered by their chain. The history is logged on
/// a logical clock that orders every issue, acknowledgement and split event of the run.
/// </summary>
/// <remarks>
/// Thread-safe as the workloads use it: a chain issues one write at a time (the next only after the last one's
/// acknowledgement), so each chain's log has one writer at a time; the clock is one atomic counter.
/// </remarks>
public sealed class DependentWriteChains
{
    private readonly List<WriteRecord>[] _chains;
    private readonly int _slotsPerChain;
    private long _clock;

    /// <summary>Initializes the chains.</summary>
    /// <param name="chains">How many chains run at once (the workload's queue depth).</param>
    /// <param name="volumes">How many volumes they cross.</param>
    /// <param name="blocksPerWrite">Blocks per write (8 for 4 KiB).</param>
    /// <param name="slotsPerChain">How many write-sized slots a chain owns on each volume (its LBAs cycle through them).</param>
    public DependentWriteChains(int chains, int volumes, int blocksPerWrite, int slotsPerChain)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chains, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(volumes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(blocksPerWrite, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(slotsPerChain, 1);
        VolumeCount = volumes;
        BlocksPerWrite = blocksPerWrite;
        _slotsPerChain = slotsPerChain;
        _chains = new List<WriteRecord>[chains];
        for (int i = 0; i < chains; i++)
        {
            _chains[i] = [];
        }
    }

    /// <summary>Gets the number of chains.</summary>
    public int ChainCount => _chains.Length;

    /// <summary>Gets the number of volumes.</summary>
    public int VolumeCount { get; }

    /// <summary>Gets the blocks per write.</summary>
    public int BlocksPerWrite { get; }

    /// <summary>Gets the blocks each volume needs: every chain's slots.</summary>
    public long BlocksPerVolume => (long)_chains.Length * _slotsPerChain * BlocksPerWrite;

    /// <summary>Gets the chains' logs (read them once the workload has stopped).</summary>
    public IReadOnlyList<IReadOnlyList<WriteRecord>> Chains => _chains;

    /// <summary>Takes the next tick of the logical clock (for split events: issued, completed).</summary>
    /// <returns>The tick.</returns>
    public long Tick()
    {
        return Interlocked.Increment(ref _clock);
    }

    /// <summary>Plans a chain's next write, stamps its data and logs it as issued.</summary>
    /// <param name="chain">The chain (its previous write must have been acknowledged).</param>
    /// <param name="data">Receives the stamped data: <see cref="BlocksPerWrite"/> blocks.</param>
    /// <returns>The write.</returns>
    public WriteRecord Issue(int chain, Span<byte> data)
    {
        List<WriteRecord> log = _chains[chain];
        int index = log.Count;
        int volume = (chain + index) % VolumeCount;
        long slot = ((long)chain * _slotsPerChain) + (index / VolumeCount % _slotsPerChain);
        long lba = slot * BlocksPerWrite;
        long id = ((long)(chain + 1) << 32) | (uint)(index + 1);
        long dependsOn = index == 0 ? 0 : log[index - 1].Id;
        WriteRecord record = new(id, chain, index, volume, lba, dependsOn);
        BlockStamp.Write(data[..(BlocksPerWrite * BlockStamp.BlockSize)], id, volume, lba, dependsOn);
        record.IssuedAt = Tick();
        log.Add(record);
        return record;
    }

    /// <summary>Logs a write's good acknowledgement.</summary>
    /// <param name="record">The write.</param>
    public void Acknowledge(WriteRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        record.AckedAt = Tick();
    }
}
