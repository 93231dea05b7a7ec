// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics;
using Controller.HostSim.Core.Hosts;
using Controller.HostSim.Core.Load;
using Controller.HostSim.Hosts;
using Controller.HostSim.Pairs;
using Controller.HostSim.Workloads;
using Controller.Initiator;
using Controller.Traces;
using Controller.Wire.Pcap;

namespace Controller.HostSim.Load;

/// <summary>
/// <c>hostsim load</c> end to end: the controller (embedded, remote, or the null target), the mirrors, the
/// generator, the splits at their times (each resynced before the next), the progress bar and the report.
/// </summary>
internal static class LoadRun
{
    private static readonly TimeSpan s_pairTimeout = TimeSpan.FromMinutes(5);

    public static async Task<LoadReport> RunAsync(LoadRunOptions options)
    {
        if (options.NullTarget)
        {
            LoadSpec spec = options.Spec with { Volumes = WithCapacity(options.Luns, _ => options.CapacityBlocks) };
            LoadResult result = await GenerateAsync(new LoadGenerator(spec, new NullLoadTarget()), spec, options).ConfigureAwait(false);
            return new LoadReport { Options = options, Spec = spec, Target = "null target (in-process, answers at once)", Result = result };
        }

        using PcapFrameTap? tap = options.RecordPath is null ? null : PcapFrameTap.Create(options.RecordPath);
        EmbeddedController? created;
        try
        {
            created = options.Target is null ? EmbeddedController.Create(EmbeddedVolumes(options), options.Store) : null;
        }
        catch (IOException failure)
        {
            return new LoadReport { Options = options, Spec = options.Spec, Target = "embedded controller", Failure = "--store: " + failure.Message };
        }

        using EmbeddedController? embedded = created;
        LoadProvisioning? provisioning = embedded is null || options.Store is not null ? null : LoadProvisioning.Prepare(embedded, options.Sparse);
        await using HostConnections hosts = embedded is not null ? HostConnections.ToEmbedded(embedded, tap) : HostConnections.ToRemote(options.Target!, tap);
        LoadReport report;
        long syncsBefore = embedded?.SyncCount ?? 0;
        try
        {
            report = await RunOnControllerAsync(hosts, options).ConfigureAwait(false);
        }
        catch (Exception failure) when (failure is InitiatorException or System.Net.Sockets.SocketException or IOException)
        {
            return new LoadReport { Options = options, Spec = options.Spec, Target = hosts.Description, Failure = failure.Message };
        }

        report.Provisioning = provisioning;
        if (embedded?.Store is EmbeddedStore store)
        {
            report.Store = new LoadStore(store.Directory, store.PolicyName, embedded.SyncCount - syncsBefore);
        }

        return report;
    }

    private static async Task<LoadReport> RunOnControllerAsync(HostConnections hosts, LoadRunOptions options)
    {
        InitiatorPort[] ports = new InitiatorPort[options.Luns.Count];
        long[] capacities = new long[options.Luns.Count];
        for (int i = 0; i < ports.Length; i++)
        {
            TraceVolume volume = options.Luns[i];
            ports[i] = await hosts.GetAsync(LoadRunOptions.InitiatorPortId, volume.PortId).ConfigureAwait(false);
            capacities[i] = await ScsiQueries.ReadCapacityBlocksAsync(ports[i], volume.PortId, volume.Lun).ConfigureAwait(false);
        }

        // A recording sends each copy-management command alone, the order replay keeps (see CommandBarrier).
        CommandBarrier? barrier = options.RecordPath is null ? null : new CommandBarrier();
        PairClient? pairs = null;
        if (options.Mirrors.Count > 0)
        {
            // Pair commands go to controllerd's command device on the P-VOL's port; an embedded controller takes them on
            // any LUN, so there the P-VOL itself (and no look-up commands in a recorded trace).
            TraceVolume pVol = options.Mirrors[0].PVol;
            InitiatorPort commandPort = await hosts.GetAsync(LoadRunOptions.InitiatorPortId, pVol.PortId).ConfigureAwait(false);
            TraceVolume commandDevice = options.Target is not null && await CommandDeviceFinder.FindAsync(commandPort, pVol.PortId).ConfigureAwait(false) is ushort lun ? new TraceVolume(pVol.PortId, lun) : pVol;
            pairs = new PairClient(commandPort, commandDevice, barrier, findCommandDevice: false);
            await pairs.CreateAndWaitAsync(options.Mirrors, s_pairTimeout).ConfigureAwait(false);
        }

        LoadSpec spec = options.Spec with { Volumes = WithCapacity(options.Luns, i => capacities[i]) };
        if (spec.Dependent)
        {
            return await RunDependentAsync(hosts, options, spec, ports, pairs).ConfigureAwait(false);
        }

        ScsiLoadTarget target = new(options.Luns, ports, spec.QueueDepth, spec.BlockSizes.MaxBlocks) { Barrier = barrier };
        LoadGenerator generator = new(spec, target);
        List<LoadSplit> splits = [];
        Task splitting = pairs is null ? Task.CompletedTask : SplitAsync(pairs, options, splits);
        LoadResult result;
        try
        {
            result = await GenerateAsync(generator, spec, options).ConfigureAwait(false);
        }
        finally
        {
            await splitting.ConfigureAwait(false);
        }

        LoadReport report = new() { Options = options, Spec = spec, Target = hosts.Description, Result = result };
        report.Splits.AddRange(splits);
        if (pairs is not null)
        {
            report.Pairs.AddRange(await pairs.RowsAsync(options.Mirrors).ConfigureAwait(false));
        }

        return report;
    }

    // Dependent-write mode: one chain per queue slot over the LUN set, splits at their times, each split image of the
    // mirrored LUNs read back and checked by the consistency oracle, then resynced.
    private static async Task<LoadReport> RunDependentAsync(HostConnections hosts, LoadRunOptions options, LoadSpec spec, InitiatorPort[] ports, PairClient? pairs)
    {
        int blocks = spec.BlockSizes.MaxBlocks;
        long smallest = long.MaxValue;
        foreach ((TraceVolume _, long capacity) in spec.Volumes)
        {
            smallest = Math.Min(smallest, capacity);
        }

        int slots = (int)Math.Min(64, smallest / ((long)spec.QueueDepth * blocks));
        if (slots < 1)
        {
            throw new InitiatorException("the LUNs are too small for " + spec.QueueDepth + " chains of " + (blocks * 512) + "-byte writes");
        }

        List<int> members = [];
        List<TraceVolume> sVols = [];
        List<InitiatorPort> sPorts = [];
        for (int i = 0; i < options.Luns.Count; i++)
        {
            foreach ((TraceVolume pVol, TraceVolume sVol) in options.Mirrors)
            {
                if (pVol == options.Luns[i])
                {
                    members.Add(i);
                    sVols.Add(sVol);
                    sPorts.Add(await hosts.GetAsync(LoadRunOptions.InitiatorPortId, sVol.PortId).ConfigureAwait(false));
                }
            }
        }

        LoadTimeline timeline = new(spec.Seconds);
        FcDependentWrites chains = new(options.Luns, ports, spec.QueueDepth, blocks, slots) { Timeline = timeline };
        List<LoadSplit> splits = [];
        long start = Stopwatch.GetTimestamp();
        chains.Start();
        for (int i = 0; i < options.SplitTimes.Count && pairs is not null; i++)
        {
            TimeSpan due = TimeSpan.FromSeconds(options.SplitTimes[i]) - Stopwatch.GetElapsedTime(start);
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due).ConfigureAwait(false);
            }

            double at = Stopwatch.GetElapsedTime(start).TotalSeconds;
            long issued = chains.Chains.Tick();
            (ScsiResult result, TimeSpan latency) = await pairs.AtomicSplitAsync(options.Mirrors, options.Mechanism).ConfigureAwait(false);
            long completed = chains.Chains.Tick();
            Workload.OracleVerdict? verdict = result.IsGood && members.Count > 0 ? await chains.CheckSplitAsync(members, sVols, sPorts, issued, completed).ConfigureAwait(false) : null;
            double resync = 0;
            if (result.IsGood && i + 1 < options.SplitTimes.Count)
            {
                long resyncStart = Stopwatch.GetTimestamp();
                await pairs.ResyncAndWaitAsync(options.Mirrors, s_pairTimeout).ConfigureAwait(false);
                resync = Stopwatch.GetElapsedTime(resyncStart).TotalSeconds;
            }

            splits.Add(new LoadSplit(at, PairClient.Describe(result), result.IsGood, latency.TotalMicroseconds, resync) { Verdict = verdict });
        }

        TimeSpan left = TimeSpan.FromSeconds(spec.Seconds) - Stopwatch.GetElapsedTime(start);
        if (left > TimeSpan.Zero)
        {
            await Task.Delay(left).ConfigureAwait(false);
        }

        await chains.StopAsync().ConfigureAwait(false);
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        LoadResult loadResult = new()
        {
            Writes = chains.Runner.Acks,
            Bytes = chains.Runner.Acks * blocks * 512L,
            Seconds = seconds,
            Latency = chains.WriteLatency,
            ReadLatency = new Core.Measurement.LatencyHistogram(),
            WriteLatency = chains.WriteLatency,
            Timeline = timeline,
            OraclePauses = chains.OraclePauses,
        };
        LoadReport report = new() { Options = options, Spec = spec, Target = hosts.Description, Result = loadResult };
        report.Splits.AddRange(splits);
        if (pairs is not null)
        {
            report.Pairs.AddRange(await pairs.RowsAsync(options.Mirrors).ConfigureAwait(false));
        }

        return report;
    }

    private static async Task<LoadResult> GenerateAsync(LoadGenerator generator, LoadSpec spec, LoadRunOptions options)
    {
        using LoadProgress? progress = options.Progress ? new LoadProgress(generator, spec.Seconds) : null;
        return await generator.RunAsync().ConfigureAwait(false);
    }

    // The splits run beside the load: at each time, ATOMIC SPLIT by list; then, when another split follows, resync
    // and wait for PAIR, so that it finds the members splittable.
    private static async Task SplitAsync(PairClient pairs, LoadRunOptions options, List<LoadSplit> splits)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < options.SplitTimes.Count; i++)
        {
            TimeSpan due = TimeSpan.FromSeconds(options.SplitTimes[i]) - Stopwatch.GetElapsedTime(start);
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due).ConfigureAwait(false);
            }

            double at = Stopwatch.GetElapsedTime(start).TotalSeconds;
            (ScsiResult result, TimeSpan latency) = await pairs.AtomicSplitAsync(options.Mirrors, options.Mechanism).ConfigureAwait(false);
            double resync = 0;
            if (result.IsGood && i + 1 < options.SplitTimes.Count)
            {
                long resyncStart = Stopwatch.GetTimestamp();
                await pairs.ResyncAndWaitAsync(options.Mirrors, s_pairTimeout).ConfigureAwait(false);
                resync = Stopwatch.GetElapsedTime(resyncStart).TotalSeconds;
            }

            splits.Add(new LoadSplit(at, PairClient.Describe(result), result.IsGood, latency.TotalMicroseconds, resync));
        }
    }

    private static List<(TraceVolume, long)> EmbeddedVolumes(LoadRunOptions options)
    {
        List<(TraceVolume, long)> volumes = [];
        HashSet<TraceVolume> seen = [];
        foreach (TraceVolume volume in options.Luns)
        {
            if (seen.Add(volume))
            {
                volumes.Add((volume, options.CapacityBlocks));
            }
        }

        foreach ((TraceVolume pVol, TraceVolume sVol) in options.Mirrors)
        {
            foreach (TraceVolume volume in (ReadOnlySpan<TraceVolume>)[pVol, sVol])
            {
                if (seen.Add(volume))
                {
                    volumes.Add((volume, options.CapacityBlocks));
                }
            }
        }

        return volumes;
    }

    private static List<(TraceVolume, long)> WithCapacity(IReadOnlyList<TraceVolume> luns, Func<int, long> capacity)
    {
        List<(TraceVolume, long)> volumes = [];
        for (int i = 0; i < luns.Count; i++)
        {
            volumes.Add((luns[i], capacity(i)));
        }

        return volumes;
    }
}
