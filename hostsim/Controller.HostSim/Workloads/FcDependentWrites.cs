// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics;
using Controller.HostSim.Core.Measurement;
using Controller.HostSim.Core.Workloads;
using Controller.Initiator;
using Controller.Traces;
using Controller.Wire;
using Controller.Wire.Scsi;
using Controller.Workload;

namespace Controller.HostSim.Workloads;

/// <summary>
/// Dependent write chains (seed 000 G2) as a host runs them: WRITE(16) in FC frames, each chain's next write sent
/// from the answer to its last, and the split images read back with READ(16) for the consistency oracle. Used by
/// <c>hostsim demo</c> and <c>hostsim load --dependent</c>. The oracle reads the chains' log while they are paused
/// between writes (<see cref="WhilePausedAsync"/>): the pause is recorded in <see cref="OraclePauses"/>, never in
/// <see cref="WriteLatency"/>, which counts only from a write's command to its answer.
/// </summary>
internal sealed class FcDependentWrites
{
    private static readonly TimeSpan s_patience = TimeSpan.FromMinutes(1);
    private readonly IReadOnlyList<TraceVolume> _pVols;
    private readonly IReadOnlyList<InitiatorPort> _ports;
    private readonly byte[][] _cdbs;
    private readonly int _blocksPerWrite;
    private long _startTimestamp = Stopwatch.GetTimestamp();

    /// <summary>Initializes the chains; <see cref="Start"/> sends their first writes.</summary>
    /// <param name="pVols">The volumes written (the workload's volume i is pVols[i]).</param>
    /// <param name="ports">The host port logged in to each volume's target port, in the same order.</param>
    /// <param name="chains">How many chains (each has one write outstanding).</param>
    /// <param name="blocksPerWrite">Blocks per write.</param>
    /// <param name="slotsPerChain">Slots per chain and volume: a chain rewrites its slots in turn.</param>
    public FcDependentWrites(IReadOnlyList<TraceVolume> pVols, IReadOnlyList<InitiatorPort> ports, int chains, int blocksPerWrite, int slotsPerChain)
    {
        _pVols = pVols;
        _ports = ports;
        _blocksPerWrite = blocksPerWrite;
        Chains = new DependentWriteChains(chains, pVols.Count, blocksPerWrite, slotsPerChain);
        Runner = new DependentWriteRunner(Chains, Submit);
        _cdbs = new byte[chains][];
        for (int i = 0; i < chains; i++)
        {
            _cdbs[i] = new byte[BlockCdb.Length16];
        }
    }

    /// <summary>Gets the chains and their log.</summary>
    public DependentWriteChains Chains { get; }

    /// <summary>Gets the runner.</summary>
    public DependentWriteRunner Runner { get; }

    /// <summary>Gets the latency of every write, host-measured.</summary>
    public LatencyHistogram WriteLatency { get; } = new();

    /// <summary>Gets the write latencies over time, for the report's timeline (writes only).</summary>
    public Core.Load.LoadTimeline? Timeline { get; init; }

    /// <summary>Gets the times the chains were held for the oracle, apart from the writes' latency.</summary>
    public ChainPauses OraclePauses { get; } = new();

    /// <summary>Gets the clock latencies and pauses are measured with (<see cref="Stopwatch"/> ticks; tests set their own).</summary>
    public Func<long> Clock { get; init; } = Stopwatch.GetTimestamp;

    /// <summary>Starts every chain.</summary>
    public void Start()
    {
        _startTimestamp = Clock();
        Runner.Start();
    }

    /// <summary>
    /// Holds every chain between two writes, runs <paramref name="work"/> on the thread pool once no write is in
    /// flight, then lets the chains go on; the time they were held is recorded in <see cref="OraclePauses"/>.
    /// </summary>
    /// <typeparam name="T">What the work returns.</typeparam>
    /// <param name="work">Runs while the chains are held (reads their log).</param>
    /// <returns>What the work returned.</returns>
    public async Task<T> WhilePausedAsync<T>(Func<T> work)
    {
        long pausedAt = Clock();
        Runner.Pause();
        try
        {
            await WaitForAsync(() => Runner.IsQuiescent).ConfigureAwait(false);

            // Not on the caller's thread: after an await that may be an initiator's frame reader.
            return await Task.Run(work).ConfigureAwait(false);
        }
        finally
        {
            long resumedAt = Clock();
            Runner.Resume();
            OraclePauses.Record((long)Stopwatch.GetElapsedTime(pausedAt, resumedAt).TotalNanoseconds);
        }
    }

    /// <summary>Stops the chains and waits until no write is outstanding.</summary>
    /// <returns>A task that completes when every chain has stopped.</returns>
    public async Task StopAsync()
    {
        Runner.Stop();
        await WaitForAsync(() => Runner.Active == 0).ConfigureAwait(false);
    }

    /// <summary>Waits until the chains have had a number of writes acknowledged in all.</summary>
    /// <param name="acks">The acknowledgements awaited.</param>
    /// <returns>A task that completes then.</returns>
    public Task WaitForAcksAsync(long acks)
    {
        return WaitForAsync(() => Runner.Acks >= acks);
    }

    /// <summary>Reads the split images of the volumes and checks them with the consistency oracle.</summary>
    /// <param name="sVols">The S-VOL of each of the workload's volumes, in its order.</param>
    /// <param name="sPorts">The host port logged in to each S-VOL's target port.</param>
    /// <param name="splitIssuedAt">The chains' tick just before the split command was sent.</param>
    /// <param name="splitCompletedAt">The chains' tick just after its answer came.</param>
    /// <returns>The verdict.</returns>
    public Task<OracleVerdict> CheckSplitAsync(IReadOnlyList<TraceVolume> sVols, IReadOnlyList<InitiatorPort> sPorts, long splitIssuedAt, long splitCompletedAt)
    {
        List<int> members = [];
        for (int i = 0; i < sVols.Count; i++)
        {
            members.Add(i);
        }

        return CheckSplitAsync(members, sVols, sPorts, splitIssuedAt, splitCompletedAt);
    }

    /// <summary>Reads the split images of some of the volumes and checks them with the consistency oracle.</summary>
    /// <param name="members">The workload's volumes that were split (their S-VOLs are read).</param>
    /// <param name="sVols">The S-VOL of each member, in the order of <paramref name="members"/>.</param>
    /// <param name="sPorts">The host port logged in to each S-VOL's target port.</param>
    /// <param name="splitIssuedAt">The chains' tick just before the split command was sent.</param>
    /// <param name="splitCompletedAt">The chains' tick just after its answer came.</param>
    /// <returns>The verdict.</returns>
    public async Task<OracleVerdict> CheckSplitAsync(IReadOnlyList<int> members, IReadOnlyList<TraceVolume> sVols, IReadOnlyList<InitiatorPort> sPorts, long splitIssuedAt, long splitCompletedAt)
    {
        byte[][] read = await ReadImagesAsync(sVols, sPorts).ConfigureAwait(false);
        byte[][] images = new byte[_pVols.Count][];
        for (int i = 0; i < members.Count; i++)
        {
            images[members[i]] = read[i];
        }

        // The oracle reads every chain's log, which a running chain appends to: the chains are held meanwhile.
        int[] checkedMembers = [.. members];
        return await WhilePausedAsync(() => ConsistencyOracle.Check(Chains, checkedMembers, (volume, lba, block) => Image(images, volume, lba, block), splitIssuedAt, splitCompletedAt)).ConfigureAwait(false);
    }

    // The chains' blocks of each S-VOL, read back in 1 MiB READ(16)s.
    private async Task<byte[][]> ReadImagesAsync(IReadOnlyList<TraceVolume> sVols, IReadOnlyList<InitiatorPort> sPorts)
    {
        const int ChunkBlocks = 2048;
        long blocks = Chains.BlocksPerVolume;
        byte[][] images = new byte[sVols.Count][];
        for (int volume = 0; volume < sVols.Count; volume++)
        {
            images[volume] = new byte[blocks * 512];
            for (long lba = 0; lba < blocks; lba += ChunkBlocks)
            {
                int count = (int)Math.Min(ChunkBlocks, blocks - lba);
                ScsiResult read = await sPorts[volume].ExecuteAsync(sVols[volume].PortId, sVols[volume].Lun, BlockCdb.Create(BlockCdb.Read16, lba, (uint)count), dataIn: images[volume].AsMemory((int)(lba * 512), count * 512)).ConfigureAwait(false);
                if (!read.IsGood)
                {
                    throw new InitiatorException("READ(16) of the split image " + sVols[volume] + " at LBA " + lba + ": " + read);
                }
            }
        }

        return images;
    }

    private static bool Image(byte[][] images, int volume, long lba, Span<byte> block)
    {
        if (images[volume] is null || (lba + 1) * 512 > images[volume].Length)
        {
            return false;
        }

        images[volume].AsSpan((int)(lba * 512), 512).CopyTo(block);
        return true;
    }

    // Polls with a timer, never spins: after an await this code may be running on an initiator's frame reader, and
    // spinning there would hold back the very answers it waits for.
    private async Task WaitForAsync(Func<bool> condition)
    {
        long start = Stopwatch.GetTimestamp();
        while (!condition() && Runner.Failure is null)
        {
            if (Stopwatch.GetElapsedTime(start) > s_patience)
            {
                throw new InitiatorException("the dependent write chains stalled: no answer for a minute");
            }

            await Task.Delay(1).ConfigureAwait(false);
        }

        if (Runner.Failure is string failure)
        {
            throw new InitiatorException("the dependent write chains stopped: " + failure);
        }
    }

    // The runner asks for a chain's next write; the answer comes back on the initiator's frame reader.
    private void Submit(int chain, WriteRecord write, byte[] data)
    {
        TraceVolume volume = _pVols[write.Volume];
        BlockCdb.Write(_cdbs[chain], BlockCdb.Write16, write.Lba, (uint)_blocksPerWrite);
        long sent = Clock();
        ValueTask<ScsiResult> pending = _ports[write.Volume].ExecuteAsync(volume.PortId, volume.Lun, _cdbs[chain], dataOut: data.AsMemory(0, _blocksPerWrite * 512));
        _ = AnsweredAsync(chain, pending, sent);
    }

    private async Task AnsweredAsync(int chain, ValueTask<ScsiResult> pending, long sent)
    {
        ScsiResult result;
        try
        {
            result = await pending.ConfigureAwait(false);
        }
        catch (InitiatorException failure)
        {
            Runner.Completed(chain, good: false, failure.Message);
            return;
        }

        if (result.Status is FcpResponse.TaskSetFull or FcpResponse.Busy)
        {
            Runner.Retry(chain);
            return;
        }

        long answered = Clock();
        long latency = (long)Stopwatch.GetElapsedTime(sent, answered).TotalNanoseconds;
        lock (WriteLatency)
        {
            WriteLatency.Record(latency);
            Timeline?.Record((long)Stopwatch.GetElapsedTime(_startTimestamp, answered).TotalNanoseconds, latency, isWrite: true);
        }

        Runner.Completed(chain, result.IsGood, result.ToString());
    }
}
