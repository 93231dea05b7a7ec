// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics;
using Controller.Firmware.Pairs;
using Controller.HostSim.Hosts;
using Controller.HostSim.Pairs;
using Controller.Initiator;
using Controller.Traces;
using Controller.Wire.CopyManagement;

namespace Controller.HostSim.CrashTest;

/// <summary>
/// <c>hostsim crash-test</c>'s run: starts the controller, makes the mirrors PAIR and names them, then runs seeded
/// rounds. A round starts the stamped load, drives its scenario, kills the controller at a seeded moment inside it,
/// starts it again on the same store and checks what it shows (<see cref="CrashVerifier"/>): pair states by the
/// restart table, every acknowledged write on the P-VOLs, split images, atomic splits whole, then every suspended
/// pair resynced and each S-VOL equal to its P-VOL. The run stops after the first round whose checks found
/// something. Last, a graceful stop (exit 0) and a start: every pair as it was, the data unchanged.
/// </summary>
internal sealed partial class CrashTestRun
{
    private const int CommandInitiator = TraceImporter.DefaultInitiatorPortId;
    private const int LoadInitiator = 0x010300;
    private static readonly TimeSpan s_copyPatience = TimeSpan.FromSeconds(120);

    // How long any one step may take (an answer, the load's end, a kill): a run never hangs, it fails naming the step.
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(60);
    private readonly CrashTestOptions _options;
    private readonly ICrashTarget _target;
    private readonly CrashTopology _topology;
    private readonly WriteLedger _ledger;
    private readonly IReadOnlyList<TraceVolume> _loadVolumes;
    private readonly Random _random;
    private readonly Dictionary<CrashScenario, ScenarioTally> _tallies = [];
    private readonly List<CrashRound> _rounds = [];
    private HostConnections? _hosts;
    private double _splitMicroseconds = 50_000;

    /// <summary>Initializes a run.</summary>
    /// <param name="options">The options.</param>
    /// <param name="target">The controller to drive and kill.</param>
    /// <param name="topology">Its volumes and pairs (the configuration it was started with).</param>
    /// <param name="swap">The determining-swap scenario's second subsystem and its volumes, or null when that scenario does not run.</param>
    /// <param name="ss2">SS2, started and killed like the target; null with <paramref name="swap"/>.</param>
    public CrashTestRun(CrashTestOptions options, ICrashTarget target, CrashTopology topology, SwapTopology? swap = null, ICrashTarget? ss2 = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(topology);
        if ((swap is null) != (ss2 is null) || (swap is null) == options.Scenarios.Contains(CrashScenario.DeterminingSwap))
        {
            throw new ArgumentException("the determining-swap scenario runs with SS2 and its topology, and they are given only for it", nameof(swap));
        }

        _options = options;
        _target = target;
        _topology = topology;
        _swap = swap;
        _ss2 = ss2;

        // The load writes the configuration's P-VOLs and, with SS2, the determining pair's volume at SS1 (a plain
        // volume outside its rounds), the last of the ledger's volumes.
        _loadVolumes = swap is null ? topology.PVols : [.. topology.PVols, swap.Ss1Volume];
        _ledger = new WriteLedger(_loadVolumes.Count, topology.Blocks);
        _remote = swap is null ? null : new PairModel(swap.Made + " (determining)", swap.Made, topology.PVols.Count);
        _random = new Random(unchecked((int)options.Seed ^ (int)(options.Seed >> 32)));
        foreach (CrashScenario scenario in options.Scenarios)
        {
            _tallies[scenario] = new ScenarioTally();
        }
    }

    /// <summary>Gets what the checks found.</summary>
    public CrashFindings Findings { get; } = new();

    /// <summary>Gets the ledger (the write counts).</summary>
    public WriteLedger Ledger => _ledger;

    /// <summary>Gets the rounds run.</summary>
    public IReadOnlyList<CrashRound> Rounds => _rounds;

    /// <summary>Gets each runnable scenario's tally.</summary>
    public IReadOnlyDictionary<CrashScenario, ScenarioTally> Tallies => _tallies;

    /// <summary>Gets the SIGKILLs sent (each followed by a restart).</summary>
    public int Crashes { get; private set; }

    /// <summary>Gets the exit codes of the graceful stops at the end (empty if the run stopped before).</summary>
    public List<int> GracefulStopExitCodes { get; } = [];

    /// <summary>Gets the exit code of SS2's graceful stop at the end (null without SS2, or when the run stopped before).</summary>
    public int? Ss2GracefulStopExitCode { get; private set; }

    /// <summary>Gets the seconds the run took.</summary>
    public double Seconds { get; private set; }

    /// <summary>Runs the crash test.</summary>
    /// <returns>A task that completes when it has ended (see <see cref="Findings"/>).</returns>
    public async Task RunAsync()
    {
        long start = Stopwatch.GetTimestamp();
        try
        {
            _hosts = await _target.StartAsync().ConfigureAwait(false);
            if (_ss2 is not null)
            {
                await StartSs2Async().ConfigureAwait(false);
            }

            await SetUpAsync().ConfigureAwait(false);
            CrashScenario[] order = CrashScenarios.Order(_options.Crashes, _random, _options.Scenarios);
            for (int round = 0; round < order.Length && Findings.IsClean; round++)
            {
                await RoundAsync(round + 1, order[round]).ConfigureAwait(false);
            }

            if (Findings.IsClean)
            {
                await GracefulStopAsync().ConfigureAwait(false);
            }
        }
        catch (Exception failure) when (failure is CrashTestException or InitiatorException or System.Net.Sockets.SocketException or IOException or TimeoutException)
        {
            Findings.Fail(failure.Message + (failure is CrashTestException ? string.Empty : " (controllerd log: " + _target.LogTail + ")"));
        }
        finally
        {
            if (_hosts is not null)
            {
                await WithinAsync(_hosts.DisposeAsync().AsTask(), "closing the hosts' connections").ConfigureAwait(false);
                _hosts = null;
            }

            if (_ss2Hosts is not null)
            {
                await WithinAsync(_ss2Hosts.DisposeAsync().AsTask(), "closing the hosts' connections to SS2").ConfigureAwait(false);
                _ss2Hosts = null;
            }

            if (_ledger.NotGood > 0)
            {
                Findings.Fail(_ledger.NotGood + " writes answered neither GOOD nor BUSY; the first: " + _ledger.FirstNotGood);
            }

            Seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
    }

    // The first start: the configuration's pairs copy to PAIR, then get the mirror name (NAME MIRRORS is answered
    // only once its change, and every change before it, is committed: from here on the kept state is PAIR).
    private async Task SetUpAsync()
    {
        PairClient client = await ClientAsync().ConfigureAwait(false);
        foreach (PairModel mirror in _topology.Mirrors)
        {
            await WaitForStateAsync(client, mirror, PairState.Pair).ConfigureAwait(false);
        }

        await NameMirrorsAsync(client).ConfigureAwait(false);

        // A fresh store holds zeros: the ledger's bases already say so. Check it rather than assume it.
        List<long[]> held = [];
        for (int volume = 0; volume < _loadVolumes.Count; volume++)
        {
            byte[] image = await ReadVolumeAsync(_loadVolumes[volume]).ConfigureAwait(false);
            held.Add(CrashVerifier.CheckVolume(_ledger, volume, _loadVolumes[volume].ToString(), image, Findings));
        }

        _ledger.NextRound(held);
    }

    // NAME MIRRORS of the mirrors, all in PAIR: answered only once it, and every change before it (a copy that
    // reached PAIR), is committed, so from its answer the kept state of every mirror is PAIR.
    private async Task NameMirrorsAsync(PairClient client)
    {
        WirePair[] members = new WirePair[_topology.Mirrors.Count];
        for (int i = 0; i < members.Length; i++)
        {
            members[i] = _topology.Mirrors[i].Pair;
        }

        await ExpectGoodAsync(client, CopyManagementRequest.ForNameMirrors(CrashTopology.MirrorName, members), "NAME MIRRORS " + CrashTopology.MirrorName).ConfigureAwait(false);
        foreach (PairModel mirror in _topology.Mirrors)
        {
            mirror.Answered(PairState.Pair);
        }
    }

    private async Task RoundAsync(int index, CrashScenario scenario)
    {
        long acknowledged = _ledger.Acknowledged;
        long inDoubt = _ledger.InDoubt;
        InitiatorPort loadPort = await WithinAsync(_hosts!.GetAsync(LoadInitiator, CrashTopology.PortId), "the load's login to port 0x400104").ConfigureAwait(false);
        PairClient client = await ClientAsync().ConfigureAwait(false);
        StampedLoad load = new(_ledger, _loadVolumes, loadPort, _options.QueueDepth, _options.Seed + (ulong)index, MayRefuse);
        Task loading = load.RunAsync();
        List<SplitRecord> splits = [];
        ScenarioTally tally = _tallies[scenario];
        tally.Runs++;
        _spareSs1 = false;
        _ss2Killed = false;
        _swapRound = null;
        Driven driven;
        try
        {
            driven = await DriveAsync(scenario, client, splits).ConfigureAwait(false);
        }
        finally
        {
            // Whatever happened, the controller is killed (or already dead) and the load ends with its connection;
            // unless the determining-swap round killed SS2 alone: then SS1's load is stopped and its connections kept.
            if (!_spareSs1)
            {
                _target.Kill();
                await WithinAsync(_target.WaitUntilGoneAsync(), "the killed controller's exit").ConfigureAwait(false);
            }

            load.Stop();
            await WithinAsync(loading, "the end of the load after the kill (" + _ledger.InFlight + " writes in flight)").ConfigureAwait(false);
            _swapSent = false;
            if (!_spareSs1)
            {
                await WithinAsync(_hosts.DisposeAsync().AsTask(), "closing the hosts' connections").ConfigureAwait(false);
                _hosts = null;
            }

            if (_ss2Killed)
            {
                _ss2!.Kill();
                await WithinAsync(_ss2.WaitUntilGoneAsync(), "the killed SS2's exit").ConfigureAwait(false);
                await WithinAsync(_ss2Hosts!.DisposeAsync().AsTask(), "closing the hosts' connections to SS2").ConfigureAwait(false);
                _ss2Hosts = null;
            }
        }


        Crashes++;
        if (driven.Command is not null && !driven.Answered)
        {
            tally.UnansweredAtKill++;
        }

        if (load.Failure is not null)
        {
            Findings.Describe("round " + index + ": " + load.Failure);
        }

        if (!_spareSs1)
        {
            _hosts = await _target.StartAsync().ConfigureAwait(false);
        }

        if (_ss2Killed)
        {
            await StartSs2Async().ConfigureAwait(false);
        }

        bool wasClean = Findings.IsClean;
        string states = await VerifyAsync(splits, afterCrash: true).ConfigureAwait(false);
        _rounds.Add(new CrashRound(index, scenario, driven.KillMicroseconds, driven.Command, driven.Answered, driven.AnswerMicroseconds, _ledger.Acknowledged - acknowledged, _ledger.InDoubt - inDoubt, states, wasClean && Findings.IsClean));
    }

    // The end: a graceful stop must exit 0, and the next start must show every pair exactly as it was and the same data.
    private async Task GracefulStopAsync()
    {
        foreach (PairModel pair in _topology.AllPairs)
        {
            // Nothing changes by itself from PAIR or SMPL, which VerifyAsync left: the stop's checkpoint holds exactly that.
            pair.Answered(pair.Kept.Contains(PairState.Smpl) ? PairState.Smpl : PairState.Pair);
        }

        await WithinAsync(_hosts!.DisposeAsync().AsTask(), "closing the hosts' connections").ConfigureAwait(false);
        _hosts = null;
        int code = await WithinAsync(_target.StopAsync(), "the graceful stop").ConfigureAwait(false);
        GracefulStopExitCodes.Add(code);
        if (code != 0)
        {
            Findings.Fail("the graceful stop (SIGTERM) exited " + code + ", not 0: " + _target.LogTail);
        }

        _hosts = await _target.StartAsync().ConfigureAwait(false);
        await VerifyAsync([], afterCrash: false).ConfigureAwait(false);
        await WithinAsync(_hosts.DisposeAsync().AsTask(), "closing the hosts' connections").ConfigureAwait(false);
        _hosts = null;
        code = await WithinAsync(_target.StopAsync(), "the last graceful stop").ConfigureAwait(false);
        GracefulStopExitCodes.Add(code);
        if (code != 0)
        {
            Findings.Fail("the last graceful stop (SIGTERM) exited " + code + ", not 0: " + _target.LogTail);
        }

        if (_ss2 is not null)
        {
            await WithinAsync(_ss2Hosts!.DisposeAsync().AsTask(), "closing the hosts' connections to SS2").ConfigureAwait(false);
            _ss2Hosts = null;
            code = await WithinAsync(_ss2.StopAsync(), "SS2's graceful stop").ConfigureAwait(false);
            Ss2GracefulStopExitCode = code;
            if (code != 0)
            {
                Findings.Fail("SS2's graceful stop (SIGTERM) exited " + code + ", not 0: " + _ss2.LogTail);
            }
        }
    }

    private async Task<PairClient> ClientAsync()
    {
        InitiatorPort port = await WithinAsync(_hosts!.GetAsync(CommandInitiator, CrashTopology.PortId), "the login to port 0x400104").ConfigureAwait(false);
        return new PairClient(port, new TraceVolume(CrashTopology.PortId, CrashTopology.CommandDeviceLun), findCommandDevice: false);
    }

    // ForceYielding: the run goes on on the thread pool, never inline on a socket's event thread (hostsim completes
    // socket operations inline), which a blocked or busy step would hold, and with it the answers it waits for.
    private static async Task WithinAsync(Task step, string what)
    {
        try
        {
            await step.WaitAsync(s_patience).ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        }
        catch (TimeoutException)
        {
            throw new CrashTestException(what + " did not come within " + s_patience.TotalSeconds + " s");
        }
    }

    private static async Task<T> WithinAsync<T>(Task<T> step, string what)
    {
        try
        {
            return await step.WaitAsync(s_patience).ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        }
        catch (TimeoutException)
        {
            throw new CrashTestException(what + ": no answer within " + s_patience.TotalSeconds + " s");
        }
    }

    private static async Task ExpectGoodAsync(PairClient client, CopyManagementRequest request, string what)
    {
        ScsiResult result = await WithinAsync(client.ExecuteAsync(request), what).ConfigureAwait(false);
        if (!result.IsGood)
        {
            throw new CrashTestException(what + " was refused: " + PairClient.Describe(result));
        }
    }

    private static async Task<PairStatusRow?> WaitForStateAsync(PairClient client, PairModel pair, PairState state)
    {
        (PairStatusRow? row, bool reached) = await client.WaitForStateAsync(pair.Pair, state, s_copyPatience).WaitAsync(s_copyPatience + s_patience).ConfigureAwait(false);
        if (!reached)
        {
            throw new CrashTestException(pair.Name + " did not reach " + PairStateNames.Of(state) + " within " + s_copyPatience.TotalSeconds + " s (it is " + (row is PairStatusRow found ? PairStateNames.Of((PairState)found.State) : "not in the table") + ")");
        }

        return row;
    }

    // The whole volume in 1 MiB READ(16)s.
    private Task<byte[]> ReadVolumeAsync(TraceVolume volume)
    {
        return ReadVolumeAsync(_hosts!, volume);
    }

    private async Task<byte[]> ReadVolumeAsync(HostConnections hosts, TraceVolume volume)
    {
        const int ChunkBlocks = 2048;
        InitiatorPort port = await WithinAsync(hosts.GetAsync(CommandInitiator, volume.PortId), "the login to port 0x" + volume.PortId.ToString("X6", System.Globalization.CultureInfo.InvariantCulture)).ConfigureAwait(false);
        byte[] image = new byte[_topology.Blocks * 512];
        for (long lba = 0; lba < _topology.Blocks; lba += ChunkBlocks)
        {
            int count = (int)Math.Min(ChunkBlocks, _topology.Blocks - lba);
            ScsiResult read = await WithinAsync(port.ExecuteAsync(volume.PortId, volume.Lun, Controller.Wire.Scsi.BlockCdb.Create(Controller.Wire.Scsi.BlockCdb.Read16, lba, (uint)count), dataIn: image.AsMemory((int)(lba * 512), count * 512)).AsTask(), "READ(16) of " + volume + " at LBA " + lba).ConfigureAwait(false);
            if (!read.IsGood)
            {
                throw new CrashTestException("READ(16) of " + volume + " at LBA " + lba + ": " + read);
            }
        }

        return image;
    }

    // What a round's driver did: when the kill came, and the command it interrupted (or not).
    private readonly record struct Driven(double KillMicroseconds, string? Command, bool Answered, double AnswerMicroseconds = 0);
}
