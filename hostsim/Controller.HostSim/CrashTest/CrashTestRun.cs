// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics;
using Controller.Firmware.PairVocabulary;
using Controller.HostSim.Hosts;
using Controller.HostSim.Pairs;
using Controller.Initiator;
using Controller.Traces;

namespace Controller.HostSim.CrashTest;

/// <summary>
/// <c>hostsim crash-test</c>'s run: starts the controller, makes the mirrors PAIR and names them, then runs seeded
/// rounds. A round starts the stamped load, drives its scenario, kills the controller at a seeded moment inside it,
/// starts it again on the same store and checks what it shows (<see cref="CrashVerifier"/>): pair states by the
/// restart table, every acknowledged write on the P-VOLs, split images, atomic splits whole, then every suspended
/// pair resynced and each S-VOL equal to its P-VOL. The run stops after the first round whose checks found
/// something. Last, a graceful stop (exit 0) and a start: every pair as it was, the data unchanged.
/// </summary>
/// <remarks>
/// The run owns the controller's life (start, kill, restart, stop), the load, the rounds and what they found; the
/// scenarios are driven by <see cref="CrashScenarioDriver"/> (the determining swap, with its second controller, by
/// <see cref="DeterminingSwapScenario"/>), the checks after a restart are <see cref="RestartVerification"/>'s, and
/// every step is bounded in time by <see cref="CrashTestSteps"/>.
/// </remarks>
internal sealed class CrashTestRun
{
    private const int LoadInitiator = 0x010300;
    private readonly CrashTestOptions _options;
    private readonly ICrashTarget _target;
    private readonly CrashTopology _topology;
    private readonly WriteLedger _ledger;
    private readonly IReadOnlyList<TraceVolume> _loadVolumes;
    private readonly Random _random;
    private readonly DeterminingSwapScenario? _swap;
    private readonly CrashScenarioDriver _driver;
    private readonly RestartVerification _verification;
    private readonly Dictionary<CrashScenario, ScenarioTally> _tallies = [];
    private readonly List<CrashRound> _rounds = [];
    private HostConnections? _hosts;

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

        // The load writes the configuration's P-VOLs and, with SS2, the determining pair's volume at SS1 (a plain
        // volume outside its rounds), the last of the ledger's volumes.
        _loadVolumes = swap is null ? topology.PVols : [.. topology.PVols, swap.Ss1Volume];
        _ledger = new WriteLedger(_loadVolumes.Count, topology.Blocks);
        _random = new Random(unchecked((int)options.Seed ^ (int)(options.Seed >> 32)));
        _swap = swap is null ? null : new DeterminingSwapScenario(swap, target, ss2!, topology, _ledger, _random, Findings);
        _driver = new CrashScenarioDriver(target, topology, _ledger, _random, _swap);
        _verification = new RestartVerification(topology, _ledger, Findings, _swap);
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
            if (_swap is not null)
            {
                await _swap.StartSs2Async().ConfigureAwait(false);
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
                await CrashTestSteps.WithinAsync(_hosts.DisposeAsync().AsTask(), "closing the hosts' connections").ConfigureAwait(false);
                _hosts = null;
            }

            if (_swap is not null)
            {
                await _swap.CloseSs2HostsAsync().ConfigureAwait(false);
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
        PairClient client = await CrashTestSteps.ClientAsync(_hosts!).ConfigureAwait(false);
        foreach (PairModel mirror in _topology.Mirrors)
        {
            await CrashTestSteps.WaitForStateAsync(client, mirror, PairState.Pair).ConfigureAwait(false);
        }

        await CrashTestSteps.NameMirrorsAsync(client, _topology).ConfigureAwait(false);

        // A fresh store holds zeros: the ledger's bases already say so. Check it rather than assume it.
        List<long[]> held = [];
        for (int volume = 0; volume < _loadVolumes.Count; volume++)
        {
            byte[] image = await CrashTestSteps.ReadVolumeAsync(_hosts!, _loadVolumes[volume], _topology.Blocks).ConfigureAwait(false);
            held.Add(CrashVerifier.CheckVolume(_ledger, volume, _loadVolumes[volume].ToString(), image, Findings));
        }

        _ledger.NextRound(held);
    }

    private async Task RoundAsync(int index, CrashScenario scenario)
    {
        long acknowledged = _ledger.Acknowledged;
        long inDoubt = _ledger.InDoubt;
        InitiatorPort loadPort = await CrashTestSteps.WithinAsync(_hosts!.GetAsync(LoadInitiator, CrashTopology.PortId), "the load's login to port 0x400104").ConfigureAwait(false);
        PairClient client = await CrashTestSteps.ClientAsync(_hosts).ConfigureAwait(false);
        StampedLoad load = new(_ledger, _loadVolumes, loadPort, _options.QueueDepth, _options.Seed + (ulong)index, _swap is null ? null : _swap.MayRefuse);
        Task loading = load.RunAsync();
        List<SplitRecord> splits = [];
        ScenarioTally tally = _tallies[scenario];
        tally.Runs++;
        _swap?.BeginRound();
        DrivenRound driven;
        try
        {
            driven = await _driver.DriveAsync(scenario, tally, client, splits, _hosts).ConfigureAwait(false);
        }
        finally
        {
            // Whatever happened, the controller is killed (or already dead) and the load ends with its connection;
            // unless the determining-swap round killed SS2 alone: then SS1's load is stopped and its connections kept.
            bool spareSs1 = _swap is { SparesSs1: true };
            if (!spareSs1)
            {
                _target.Kill();
                await CrashTestSteps.WithinAsync(_target.WaitUntilGoneAsync(), "the killed controller's exit").ConfigureAwait(false);
            }

            load.Stop();
            await CrashTestSteps.WithinAsync(loading, "the end of the load after the kill (" + _ledger.InFlight + " writes in flight)").ConfigureAwait(false);
            _swap?.OnLoadStopped();
            if (!spareSs1)
            {
                await CrashTestSteps.WithinAsync(_hosts.DisposeAsync().AsTask(), "closing the hosts' connections").ConfigureAwait(false);
                _hosts = null;
            }

            if (_swap is { KilledSs2: true })
            {
                await _swap.KillSs2Async().ConfigureAwait(false);
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

        if (_swap is not { SparesSs1: true })
        {
            _hosts = await _target.StartAsync().ConfigureAwait(false);
        }

        if (_swap is { KilledSs2: true })
        {
            await _swap.StartSs2Async().ConfigureAwait(false);
        }

        bool wasClean = Findings.IsClean;
        string states = await _verification.VerifyAsync(_hosts!, splits, afterCrash: true).ConfigureAwait(false);
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

        await CrashTestSteps.WithinAsync(_hosts!.DisposeAsync().AsTask(), "closing the hosts' connections").ConfigureAwait(false);
        _hosts = null;
        int code = await CrashTestSteps.WithinAsync(_target.StopAsync(), "the graceful stop").ConfigureAwait(false);
        GracefulStopExitCodes.Add(code);
        if (code != 0)
        {
            Findings.Fail("the graceful stop (SIGTERM) exited " + code + ", not 0: " + _target.LogTail);
        }

        _hosts = await _target.StartAsync().ConfigureAwait(false);
        await _verification.VerifyAsync(_hosts, [], afterCrash: false).ConfigureAwait(false);
        await CrashTestSteps.WithinAsync(_hosts.DisposeAsync().AsTask(), "closing the hosts' connections").ConfigureAwait(false);
        _hosts = null;
        code = await CrashTestSteps.WithinAsync(_target.StopAsync(), "the last graceful stop").ConfigureAwait(false);
        GracefulStopExitCodes.Add(code);
        if (code != 0)
        {
            Findings.Fail("the last graceful stop (SIGTERM) exited " + code + ", not 0: " + _target.LogTail);
        }

        if (_swap is not null)
        {
            code = await _swap.StopSs2Async().ConfigureAwait(false);
            Ss2GracefulStopExitCode = code;
            if (code != 0)
            {
                Findings.Fail("SS2's graceful stop (SIGTERM) exited " + code + ", not 0: " + _swap.Ss2LogTail);
            }
        }
    }
}
