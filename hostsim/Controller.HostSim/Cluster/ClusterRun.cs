// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics;
using Controller.Addressing;
using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.HostSim.Pairs;
using Controller.Traces;
using Controller.Wire.CopyManagement;

namespace Controller.HostSim.Cluster;

/// <summary>
/// One run of a cluster scenario: the site, the heartbeat network, the two hosts (H1 active on PV, H2 standby),
/// a console on each storage that reads the pair status for the report, and what happened: the steps, each with the
/// invariant R2-21 checked, the hosts' events and every pair command (R2-28).
/// </summary>
internal sealed class ClusterRun : IAsyncDisposable
{
    /// <summary>The mirror name of the cluster's two pairs (owned by the cluster: a rerun deletes them).</summary>
    public const string MirrorName = "CLUSTER";

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<ClusterStep> _steps = [];
    private readonly List<ClusterEvent> _events = [];
    private readonly List<PairCommandRecord> _commands = [];
    private readonly Lock _lock = new();
    private PairClient _console1 = null!;
    private PairClient _console2 = null!;

    private ClusterRun(ClusterSite site, ClusterOptions options)
    {
        Site = site;
        Options = options;
    }

    public ClusterSite Site { get; }

    public ClusterOptions Options { get; }

    public HeartbeatNetwork Heartbeat { get; } = new();

    public ClusterNode H1 { get; private set; } = null!;

    public ClusterNode H2 { get; private set; } = null!;

    public IReadOnlyList<ClusterStep> Steps => _steps;

    public IReadOnlyList<ClusterEvent> Events
    {
        get
        {
            lock (_lock)
            {
                return [.. _events];
            }
        }
    }

    public IReadOnlyList<PairCommandRecord> Commands
    {
        get
        {
            lock (_lock)
            {
                return [.. _commands];
            }
        }
    }

    /// <summary>Gets whether R2-21 held at every step.</summary>
    public bool InvariantHeld => _steps.TrueForAll(s => s.InvariantHeld);

    public TimeSpan Now => _clock.Elapsed;

    /// <summary>Gets how many pairs of an earlier run (named CLUSTER) were deleted before this one started.</summary>
    public int Leftovers { get; private set; }

    // The four volumes of the cluster: DV1 and PV at SD1, DV2 and SV at SD2.
    private static IEnumerable<TraceVolume> Volumes => [ClusterSite.Dv(1), ClusterSite.Data(1), ClusterSite.Dv(2), ClusterSite.Data(2)];

    /// <summary>Builds the site, arms it (R2-3) and starts the cluster.</summary>
    /// <param name="options">The configuration.</param>
    /// <param name="h1Timeout">H1's heartbeat timeout.</param>
    /// <param name="h2Timeout">H2's heartbeat timeout.</param>
    /// <returns>The run, the heartbeat flowing.</returns>
    public static async Task<ClusterRun> StartAsync(ClusterOptions options, TimeSpan h1Timeout, TimeSpan h2Timeout)
    {
        ClusterSite site = options.Sd1 is null ? await ClusterSite.EmbeddedAsync(options.Blocks, options.Pace, options.LinkLatency).ConfigureAwait(false) : ClusterSite.Daemons(options.Sd1, options.Sd2!);
        ClusterRun run = new(site, options);
        try
        {
            await run.BuildAsync(h1Timeout, h2Timeout).ConfigureAwait(false);
            return run;
        }
        catch
        {
            await run.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Records a step: the four volumes as their storages report them, who can write, and R2-21.</summary>
    /// <param name="figure">The figure it shows ("FIG 8"), or empty.</param>
    /// <param name="what">What happened.</param>
    /// <returns>The step.</returns>
    public async Task<ClusterStep> StepAsync(string figure, string what)
    {
        IReadOnlyList<PairStatusRow>? rows1 = Site.Sd1Failed ? null : await StatusAsync(_console1).ConfigureAwait(false);
        IReadOnlyList<PairStatusRow>? rows2 = await StatusAsync(_console2).ConfigureAwait(false);
        VolumeView Of(IReadOnlyList<PairStatusRow>? rows, TraceVolume volume) => rows is null ? VolumeView.Unknown : VolumeView.Of(rows, volume);
        VolumeView pv = Of(rows1, ClusterSite.Data(1));
        VolumeView sv = Of(rows2, ClusterSite.Data(2));
        List<string> writers = [];
        bool held = true;
        foreach ((ClusterNode node, VolumeView data) in new[] { (H1, pv), (H2, sv) })
        {
            if (await node.CanWriteAsync().ConfigureAwait(false))
            {
                writers.Add(node.Name);

                // The writer holds the data P-VOL (or, its partner gone, the S-VOL it took over read/write: SSWS).
                held &= data.Role == PairRole.PVol || data.State == PairState.Psus || !data.Known;
            }
        }

        held &= writers.Count <= 1;
        ClusterStep step = new(_steps.Count + 1, Now, figure, what, Of(rows1, ClusterSite.Dv(1)), Of(rows2, ClusterSite.Dv(2)), pv, sv, writers, held);
        _steps.Add(step);
        return step;
    }

    /// <summary>Waits for a host's decision on the current heartbeat failure.</summary>
    /// <param name="node">The host.</param>
    /// <returns>True when it won the reserve.</returns>
    public async Task<bool> DecisionOfAsync(ClusterNode node)
    {
        Task<bool> decision = node.Decision;
        if (await Task.WhenAny(decision, Task.Delay(Options.Patience)).ConfigureAwait(false) != decision)
        {
            throw new TimeoutException(node.Name + " decided nothing within " + Options.Patience.TotalSeconds + " s of the heartbeat failure");
        }

        return await decision.ConfigureAwait(false);
    }

    /// <summary>Waits until a host's volume reaches a state (as its own storage reports it).</summary>
    /// <param name="host">1 or 2.</param>
    /// <param name="volume">The volume.</param>
    /// <param name="state">The state.</param>
    /// <returns>True when it did within the patience.</returns>
    public async Task<bool> WaitForAsync(int host, TraceVolume volume, PairState state)
    {
        PairClient console = host == 1 ? _console1 : _console2;
        DateTime until = DateTime.UtcNow + Options.Patience;
        while (DateTime.UtcNow < until)
        {
            IReadOnlyList<PairStatusRow>? rows = await StatusAsync(console).ConfigureAwait(false);
            if (rows is not null && VolumeView.Of(rows, volume).State == state)
            {
                return true;
            }

            await Task.Delay(2).ConfigureAwait(false);
        }

        return false;
    }

    /// <summary>Waits until both sides report a volume pair in a state (the link up).</summary>
    /// <param name="lun">The LUN of the pair's volumes.</param>
    /// <param name="state">The state.</param>
    /// <returns>True when both did.</returns>
    public async Task<bool> WaitForBothAsync(ushort lun, PairState state)
    {
        return await WaitForAsync(1, new TraceVolume(ClusterSite.Sd1Port, lun), state).ConfigureAwait(false)
            && await WaitForAsync(2, new TraceVolume(ClusterSite.Sd2Port, lun), state).ConfigureAwait(false);
    }

    /// <summary>Waits until a host's clustering software hears the other again (the heartbeat restored).</summary>
    /// <param name="node">The host.</param>
    public async Task WaitForRecoveryAsync(ClusterNode node)
    {
        DateTime until = DateTime.UtcNow + Options.Patience;
        while (node.Decision.IsCompleted && DateTime.UtcNow < until)
        {
            await Task.Delay(2).ConfigureAwait(false);
        }
    }

    public void Note(string host, string what)
    {
        lock (_lock)
        {
            _events.Add(new ClusterEvent(Now, host, what));
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (H1 is not null)
        {
            await H1.DisposeAsync().ConfigureAwait(false);
        }

        if (H2 is not null)
        {
            await H2.DisposeAsync().ConfigureAwait(false);
        }

        await Site.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<PairStatusRow>?> StatusAsync(PairClient console)
    {
        try
        {
            return await console.StatusAsync().ConfigureAwait(false);
        }
        catch (Initiator.InitiatorException)
        {
            return null;
        }
    }

    private async Task BuildAsync(TimeSpan h1Timeout, TimeSpan h2Timeout)
    {
        (Initiator.InitiatorPort port1, PairClient client1) = await Site.ConnectAsync(1, ClusterSite.H1Port).ConfigureAwait(false);
        (Initiator.InitiatorPort port2, PairClient client2) = await Site.ConnectAsync(2, ClusterSite.H2Port).ConfigureAwait(false);
        (_, _console1) = await Site.ConnectAsync(1, ClusterSite.ConsolePort).ConfigureAwait(false);
        (_, _console2) = await Site.ConnectAsync(2, ClusterSite.ConsolePort).ConfigureAwait(false);
        long blocks = await Hosts.ScsiQueries.ReadCapacityBlocksAsync(port1, ClusterSite.Sd1Port, ClusterSite.DataLun).ConfigureAwait(false);

        // An earlier run's pairs (named CLUSTER) are deleted first; any other pair on the four volumes refuses the run.
        OwnedPairs owned = new([("SD1", _console1), ("SD2", _console2)], [.. Volumes.Select(PairClient.Wire)], [MirrorName]);
        Leftovers = await owned.ClearAsync(Options.Patience).ConfigureAwait(false);

        // R2-3: the determining pair created, copied and split (armed); the data pair PV -> SV in PAIR.
        await CreateAsync(client1, ClusterSite.DeterminingLun, determining: true).ConfigureAwait(false);
        Require(await client1.ExecuteAsync(CopyManagementRequest.ForPairSplit(Pair(ClusterSite.DeterminingLun), readWrite: false)).ConfigureAwait(false), "PAIR SPLIT of the determining pair");
        if (!await WaitForBothAsync(ClusterSite.DeterminingLun, PairState.Psus).ConfigureAwait(false))
        {
            throw new InvalidOperationException("the determining pair did not reach SUSPENDED (NORMAL)");
        }

        await CreateAsync(client1, ClusterSite.DataLun, determining: false).ConfigureAwait(false);

        PairedVolumeControl pvc1 = new("H1", port1, client1, ClusterSite.Dv(1), Options.Pvc, () => Now, Log);
        PairedVolumeControl pvc2 = new("H2", port2, client2, ClusterSite.Dv(2), Options.Pvc, () => Now, Log);
        H1 = new ClusterNode("H1", port1, pvc1, ClusterSite.Data(1), blocks - 1, Options.Timing, h1Timeout, active: true, Options.SelfFence, () => Now, Note);
        H2 = new ClusterNode("H2", port2, pvc2, ClusterSite.Data(2), blocks - 2, Options.Timing, h2Timeout, active: false, Options.SelfFence, () => Now, Note);
        H1.Peer = H2;
        H2.Peer = H1;
        H1.Start(Heartbeat);
        H2.Start(Heartbeat);
    }

    private async Task CreateAsync(PairClient client, ushort lun, bool determining)
    {
        Require(await client.ExecuteAsync(CopyManagementRequest.ForPairCreate(Pair(lun), fence: 0, noCopy: false, determining)).ConfigureAwait(false), "PAIR CREATE of LUN " + lun);

        // Named at once, so that a run stopped from here on leaves pairs the next run knows as its own.
        Require(await client.ExecuteAsync(CopyManagementRequest.ForNameMirrors(MirrorName, [.. ClusterPairsSoFar(lun)])).ConfigureAwait(false), "NAME MIRRORS " + MirrorName);
        if (!await WaitForBothAsync(lun, PairState.Pair).ConfigureAwait(false))
        {
            throw new InvalidOperationException("the pair of LUN " + lun + " did not reach PAIR");
        }
    }

    /// <summary>
    /// Names the cluster's pairs again where a swap resync took the name off (a swapped pair leaves its mirror name,
    /// docs/remote-copy.md), so that the next run against the same subsystems knows them as its own. Each pair is
    /// addressed as its owner lists it (P-VOL first); the command goes to the owner of the first unnamed one.
    /// </summary>
    /// <returns>How many pairs had lost the name.</returns>
    /// <exception cref="InvalidOperationException">The subsystems refused the name.</exception>
    public async Task<int> NameAgainAsync()
    {
        HashSet<WireVolumeId> volumes = [.. Volumes.Select(PairClient.Wire)];
        List<WirePair> members = [];
        int unnamed = 0;
        PairClient? to = null;
        foreach (PairClient console in new[] { _console1, _console2 })
        {
            foreach (PairStatusRow row in await console.StatusAsync().ConfigureAwait(false))
            {
                if (!row.IsSecondary && volumes.Contains(row.PVol) && volumes.Contains(row.SVol))
                {
                    members.Add(new WirePair(row.PVol, row.SVol));
                    if (row.MirrorName != MirrorName)
                    {
                        unnamed++;
                        to ??= console;
                    }
                }
            }
        }

        if (to is not null)
        {
            Require(await to.ExecuteAsync(CopyManagementRequest.ForNameMirrors(MirrorName, [.. members])).ConfigureAwait(false), "NAME MIRRORS " + MirrorName + " after the takeover");
        }

        return unnamed;
    }

    // The determining pair is created first, then the data pair: the name lists those that exist.
    private static IEnumerable<WirePair> ClusterPairsSoFar(ushort lun)
    {
        yield return Pair(ClusterSite.DeterminingLun);
        if (lun == ClusterSite.DataLun)
        {
            yield return Pair(ClusterSite.DataLun);
        }
    }

    private static WirePair Pair(ushort lun)
    {
        return new WirePair(new WireVolumeId(new PortId(ClusterSite.Sd1Port), lun), new WireVolumeId(new PortId(ClusterSite.Sd2Port), lun));
    }

    private static void Require(Initiator.ScsiResult result, string what)
    {
        if (!result.IsGood)
        {
            throw new InvalidOperationException(what + " failed: " + PairClient.Describe(result));
        }
    }

    private void Log(PairCommandRecord record)
    {
        lock (_lock)
        {
            _commands.Add(record);
        }
    }
}
