// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics;
using Controller.Firmware.PairVocabulary;
using Controller.HostSim.Hosts;
using Controller.HostSim.Pairs;
using Controller.Initiator;
using Controller.Wire.CopyManagement;

namespace Controller.HostSim.CrashTest;

/// <summary>
/// The determining-swap scenario: a determining remote pair from SS1 (this run's controller) to SS2 (a second
/// controllerd), made fresh in its round under the load, split (armed), then the swap resync sent to SS2 (its S-VOL
/// side: the takeover), and SS1, SS2 or both killed at a seeded moment before or after its answer. After the restart
/// the two rows must agree on the roles and show states the remote restart table allows; the new (or still) P-VOL must
/// hold what the host may expect; the pair is brought to PAIR, S compared with P, and deleted, so that the volume at
/// SS1 is a plain volume of the load again until the next such round.
/// </summary>
/// <remarks>
/// A separate owner from <see cref="CrashTestRun"/> because it alone has a second controller: SS2, its hosts'
/// connections, the determining pair's model and what its round leaves for the checks after the restart. The run asks
/// it which side its round killed (<see cref="SparesSs1"/>, <see cref="KilledSs2"/>) and starts, kills and stops SS2
/// through it.
/// </remarks>
internal sealed class DeterminingSwapScenario
{
    private readonly SwapTopology _swap;
    private readonly ICrashTarget _target;
    private readonly ICrashTarget _ss2;
    private readonly WriteLedger _ledger;
    private readonly Random _random;
    private readonly CrashFindings _findings;
    private readonly PairModel _remote;
    private readonly long _blocks;
    private HostConnections? _ss2Hosts;
    private SwapRound? _swapRound;
    private double _swapMicroseconds = 20_000;

    // Volatile: read by the load's loops, written by the driver: once the swap is sent, SS1's volume may refuse writes.
    private volatile bool _swapSent;

    /// <summary>Initializes the scenario.</summary>
    /// <param name="swap">SS2's topology and the determining pair's volumes.</param>
    /// <param name="target">SS1, the run's controller.</param>
    /// <param name="ss2">SS2, started and killed like SS1.</param>
    /// <param name="topology">SS1's volumes (the ledger's index of the determining pair's volume follows its P-VOLs).</param>
    /// <param name="ledger">The load's ledger.</param>
    /// <param name="random">The run's seeded choices.</param>
    /// <param name="findings">Where the checks report.</param>
    public DeterminingSwapScenario(SwapTopology swap, ICrashTarget target, ICrashTarget ss2, CrashTopology topology, WriteLedger ledger, Random random, CrashFindings findings)
    {
        _swap = swap;
        _target = target;
        _ss2 = ss2;
        _ledger = ledger;
        _random = random;
        _findings = findings;
        RemoteVolume = topology.PVols.Count;
        _blocks = topology.Blocks;
        _remote = new PairModel(swap.Made + " (determining)", swap.Made, topology.PVols.Count);
    }

    /// <summary>Gets whether this round killed SS2 alone: SS1 is not killed, its load is stopped and its connections kept.</summary>
    public bool SparesSs1 { get; private set; }

    /// <summary>Gets whether this round killed SS2 (alone or with SS1): the run kills it for sure and starts it again.</summary>
    public bool KilledSs2 { get; private set; }

    /// <summary>Gets the last lines of SS2's log, for a failure.</summary>
    public string Ss2LogTail => _ss2.LogTail;

    // The ledger's index of the determining pair's volume (its P-VOL as made, at SS1): after the configuration's P-VOLs.
    private int RemoteVolume { get; }

    /// <summary>Starts SS2 (again) and connects its hosts.</summary>
    /// <returns>A task that completes when SS2 serves.</returns>
    public async Task StartSs2Async()
    {
        _ss2Hosts = await _ss2.StartAsync().ConfigureAwait(false);
    }

    /// <summary>A round starts: nothing killed by this scenario yet, nothing left to check.</summary>
    public void BeginRound()
    {
        SparesSs1 = false;
        KilledSs2 = false;
        _swapRound = null;
    }

    /// <summary>The round's load has ended: SS1's volume takes writes again.</summary>
    public void OnLoadStopped()
    {
        _swapSent = false;
    }

    /// <summary>Kills SS2 (already dead, or not) and closes its hosts' connections, at the end of a round that killed it.</summary>
    /// <returns>A task that completes when SS2 is gone.</returns>
    public async Task KillSs2Async()
    {
        _ss2.Kill();
        await CrashTestSteps.WithinAsync(_ss2.WaitUntilGoneAsync(), "the killed SS2's exit").ConfigureAwait(false);
        await CrashTestSteps.WithinAsync(_ss2Hosts!.DisposeAsync().AsTask(), "closing the hosts' connections to SS2").ConfigureAwait(false);
        _ss2Hosts = null;
    }

    /// <summary>Closes the hosts' connections to SS2, if open (the run's end).</summary>
    /// <returns>A task that completes when they are closed.</returns>
    public async Task CloseSs2HostsAsync()
    {
        if (_ss2Hosts is not null)
        {
            await CrashTestSteps.WithinAsync(_ss2Hosts.DisposeAsync().AsTask(), "closing the hosts' connections to SS2").ConfigureAwait(false);
            _ss2Hosts = null;
        }
    }

    /// <summary>Stops SS2 gracefully (SIGTERM) after closing its hosts' connections.</summary>
    /// <returns>Its exit code.</returns>
    public async Task<int> StopSs2Async()
    {
        await CrashTestSteps.WithinAsync(_ss2Hosts!.DisposeAsync().AsTask(), "closing the hosts' connections to SS2").ConfigureAwait(false);
        _ss2Hosts = null;
        return await CrashTestSteps.WithinAsync(_ss2.StopAsync(), "SS2's graceful stop").ConfigureAwait(false);
    }

    /// <summary>Whether a write the load sent was refused by design: to SS1's volume after the swap was sent, DATA PROTECT (the volume is the S-VOL).</summary>
    /// <param name="volume">The ledger's index of the volume written.</param>
    /// <param name="result">The write's answer.</param>
    /// <returns>True when the refusal is by design (the write did not run).</returns>
    public bool MayRefuse(int volume, ScsiResult result)
    {
        return volume == RemoteVolume && _swapSent && result.Sense is { Key: Controller.Wire.SenseData.DataProtect, Code: 0x27 };
    }

    /// <summary>Drives the scenario's round under SS1's load until the kill has come.</summary>
    /// <param name="hosts">The hosts' connections to SS1.</param>
    /// <param name="tally">The scenario's tally, this round counted.</param>
    /// <returns>What the driver did.</returns>
    public async Task<DrivenRound> DriveAsync(HostConnections hosts, ScenarioTally tally)
    {
        SwapTopology swap = _swap;
        PairModel remote = _remote;
        await WaitForLinksAsync().ConfigureAwait(false);
        PairClient atSs1 = await Ss1ClientAsync(hosts).ConfigureAwait(false);
        PairClient atSs2 = await Ss2ClientAsync().ConfigureAwait(false);

        // Made fresh (its volumes plain since the last such round), copied to PAIR under the load, split: armed.
        await CrashTestSteps.ExpectGoodAsync(atSs1, CopyManagementRequest.ForPairCreate(swap.Made, fence: 0, noCopy: false, determining: true), "PAIR CREATE (determining) " + remote.Name).ConfigureAwait(false);
        await CrashTestSteps.WaitForStateAsync(atSs1, remote, PairState.Pair).ConfigureAwait(false);
        await CrashTestSteps.WarmUpAsync(_random).ConfigureAwait(false);
        SplitRecord split = new("PAIR SPLIT " + remote.Name, [remote], _ledger.Tick());
        await CrashTestSteps.ExpectGoodAsync(atSs1, CopyManagementRequest.ForPairSplit(swap.Made, readWrite: false), split.Description).ConfigureAwait(false);
        split.AnsweredAt = _ledger.Tick();
        await CrashTestSteps.WarmUpAsync(_random).ConfigureAwait(false);

        // Who dies: SS1 (the owner), SS2 (the requester, which serves the host's command) or both; odd runs after the
        // answer (up to 20 ms: the copy back runs), even runs anywhere in the latency swaps had so far.
        int victims = _random.Next(3);
        SparesSs1 = victims == 1;
        KilledSs2 = victims != 0;
        string who = victims switch { 0 => "SS1", 1 => "SS2", _ => "SS1 and SS2" };
        ICrashTarget ss2 = _ss2;
        Action kill = victims switch
        {
            0 => _target.Kill,
            1 => ss2.Kill,
            _ => KillBoth,
        };
        bool afterTheAnswer = tally.Runs % 2 == 1;
        double after = _random.NextDouble() * (afterTheAnswer ? 20_000 : _swapMicroseconds);
        string what = "PAIR SWAP RESYNC " + remote.Name + " at SS2";
        _swapSent = true;
        long sent = Stopwatch.GetTimestamp();
        Task<ScsiResult> answer = atSs2.ExecuteAsync(CopyManagementRequest.ForPair(CopyManagementOpcode.PairSwapResync, swap.Made));
        Task? killed = afterTheAnswer ? null : KillTimer.KillAtAsync(KillTimer.After(sent, after), kill);
        ScsiResult? result = null;
        try
        {
            result = await CrashTestSteps.WithinAsync(answer, what).ConfigureAwait(false);
        }
        catch (InitiatorException)
        {
            // SS2 died first: the swap is in doubt.
        }

        double microseconds = Stopwatch.GetElapsedTime(sent).TotalMicroseconds;
        bool answered = result is { IsGood: true };
        bool killedFirst = killed is { IsCompleted: true };
        killed ??= KillTimer.KillAtAsync(KillTimer.After(Stopwatch.GetTimestamp(), after), kill);
        await CrashTestSteps.WithinAsync(killed, "the kill").ConfigureAwait(false);
        if (result is ScsiResult refused && !refused.IsGood && !(killedFirst && !SparesSs1))
        {
            // Refused with both sides alive (PSUS, armed: FIG 4 says NORMAL END at the S-VOL). Only the owner's death
            // first may refuse it (the link to the owner went): then it is in doubt, the owner may have taken it.
            throw new CrashTestException(what + " was refused: " + PairClient.Describe(refused));
        }

        _swapMicroseconds = answered ? (_swapMicroseconds + microseconds) / 2 : Math.Max(_swapMicroseconds, after * 1.25);
        _swapRound = new SwapRound(split, answered);
        string outcome = result is ScsiResult { IsGood: false } no ? "; refused after the kill: " + PairClient.Describe(no) : string.Empty;
        return new DrivenRound(afterTheAnswer ? microseconds + after : after, "PAIR SWAP RESYNC (" + who + " killed" + outcome + ")", answered, microseconds);
    }

    /// <summary>
    /// After a restart, the determining pair's volume at SS1: after the scenario's round, what the swap left (the rows,
    /// the data, then PAIR, S = P and the pair deleted); after any other round, a plain volume of the load.
    /// </summary>
    /// <param name="hosts">The hosts' connections to SS1.</param>
    /// <returns>What the volume holds (the ledger's next base), and the rows as seen after the scenario's round (else null).</returns>
    public async Task<(long[] Held, string? Rows)> VerifyAfterRestartAsync(HostConnections hosts)
    {
        if (_swapRound is SwapRound round)
        {
            (long[] remoteHeld, string remoteRows) = await VerifySwapAsync(hosts, round).ConfigureAwait(false);
            _swapRound = null;
            return (remoteHeld, remoteRows);
        }

        return (CrashVerifier.CheckVolume(_ledger, RemoteVolume, _swap.Ss1Volume + " (unpaired)", await CrashTestSteps.ReadVolumeAsync(hosts, _swap.Ss1Volume, _blocks).ConfigureAwait(false), _findings), null);
    }

    // Waits until both daemons' remote-copy paths are up again (each reconnects every second while its peer is away).
    // By the time this runs the restart is done, so a path broken by the kill has long logged that it is down.
    private async Task WaitForLinksAsync()
    {
        long start = Stopwatch.GetTimestamp();
        ICrashTarget ss2 = _ss2;
        while (!_target.RemoteCopyPathUp || !ss2.RemoteCopyPathUp)
        {
            if (Stopwatch.GetElapsedTime(start) > CrashTestSteps.Patience)
            {
                throw new CrashTestException("the remote-copy paths between SS1 and SS2 did not come up within " + CrashTestSteps.Patience.TotalSeconds + " s (SS1's " + (_target.RemoteCopyPathUp ? "up" : "down") + ", SS2's " + (ss2.RemoteCopyPathUp ? "up" : "down") + ")");
            }

            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    private static async Task<PairClient> Ss1ClientAsync(HostConnections hosts)
    {
        InitiatorPort port = await CrashTestSteps.WithinAsync(hosts.GetAsync(CrashTestSteps.CommandInitiator, CrashTopology.PortId), "the login to SS1's port 0x400104").ConfigureAwait(false);
        return new PairClient(port, new Controller.Traces.TraceVolume(CrashTopology.PortId, CrashTopology.CommandDeviceLun), findCommandDevice: false);
    }

    private async Task<PairClient> Ss2ClientAsync()
    {
        InitiatorPort port = await CrashTestSteps.WithinAsync(_ss2Hosts!.GetAsync(CrashTestSteps.CommandInitiator, SwapTopology.Ss2PortId), "the login to SS2's port 0x421014").ConfigureAwait(false);
        return new PairClient(port, new Controller.Traces.TraceVolume(SwapTopology.Ss2PortId, CrashTopology.CommandDeviceLun), findCommandDevice: false);
    }

    private void KillBoth()
    {
        _ss2.Kill();
        _target.Kill();
    }

    // After the restart of the swap round: the rows, the data, then PAIR, S = P and the pair deleted. Returns what
    // the determining pair's volume at SS1 holds (the ledger's next base) and the rows as seen.
    private async Task<(long[] Held, string Rows)> VerifySwapAsync(HostConnections hosts, SwapRound round)
    {
        SwapTopology swap = _swap;
        PairModel remote = _remote;
        await WaitForLinksAsync().ConfigureAwait(false);
        PairClient atSs1 = await Ss1ClientAsync(hosts).ConfigureAwait(false);
        PairClient atSs2 = await Ss2ClientAsync().ConfigureAwait(false);
        PairStatusRow? one = await RowAsync(atSs1).ConfigureAwait(false);
        PairStatusRow? two = await RowAsync(atSs2).ConfigureAwait(false);
        string rows = "SS1 " + SwapVerifier.Describe(one) + ", SS2 " + SwapVerifier.Describe(two);
        SwapSides sides = SwapVerifier.Check(swap.Made, one, two, round.Answered, _findings);
        if (sides == SwapSides.TwoSVols)
        {
            // The host had no answer: it sends the swap again. The owner already took it, so the requester must now
            // own the pair: the rows must say After.
            await CrashTestSteps.ExpectGoodAsync(atSs2, CopyManagementRequest.ForPair(CopyManagementOpcode.PairSwapResync, swap.Made), "PAIR SWAP RESYNC " + remote.Name + " at SS2, sent again (two S-VOL rows)").ConfigureAwait(false);
            one = await RowAsync(atSs1).ConfigureAwait(false);
            two = await RowAsync(atSs2).ConfigureAwait(false);
            rows += "; swap sent again: SS1 " + SwapVerifier.Describe(one) + ", SS2 " + SwapVerifier.Describe(two);
            sides = SwapVerifier.Classify(swap.Made, one, two);
            if (sides != SwapSides.After)
            {
                _findings.RoleViolations++;
                _findings.Describe("determining pair " + swap.Made + ": the swap sent again did not make SS2 the owner: " + rows);
                return (CrashVerifier.CheckVolume(_ledger, RemoteVolume, swap.Ss1Volume + " (determining P-VOL as made)", await CrashTestSteps.ReadVolumeAsync(hosts, swap.Ss1Volume, _blocks).ConfigureAwait(false), _findings), rows);
            }
        }

        if (sides == SwapSides.Before)
        {
            return (await NotSwappedAsync(hosts, round, atSs1, one!.Value, two!.Value).ConfigureAwait(false), rows);
        }

        if (sides == SwapSides.After)
        {
            return (await SwappedAsync(hosts, round, atSs2, two!.Value).ConfigureAwait(false), rows);
        }

        // Inconsistent: found and reported; the P-VOL as made is what the next round starts from.
        return (CrashVerifier.CheckVolume(_ledger, RemoteVolume, swap.Ss1Volume + " (determining P-VOL as made)", await CrashTestSteps.ReadVolumeAsync(hosts, swap.Ss1Volume, _blocks).ConfigureAwait(false), _findings), rows);
    }

    // Not swapped: SS1's volume is still the P-VOL, with every acknowledged write; SS2's is the split's image.
    private async Task<long[]> NotSwappedAsync(HostConnections hosts, SwapRound round, PairClient atSs1, PairStatusRow one, PairStatusRow two)
    {
        SwapTopology swap = _swap;
        PairModel remote = _remote;
        byte[] pImage = await CrashTestSteps.ReadVolumeAsync(hosts, swap.Ss1Volume, _blocks).ConfigureAwait(false);
        long[] held = CrashVerifier.CheckVolume(_ledger, RemoteVolume, swap.Ss1Volume + " (determining P-VOL, not swapped)", pImage, _findings);
        if ((PairState)two.State == PairState.Psus)
        {
            byte[] splitImage = await CrashTestSteps.ReadVolumeAsync(_ss2Hosts!, swap.Ss2Volume, _blocks).ConfigureAwait(false);
            CrashVerifier.CheckSplitImage(_ledger, round.Split, [splitImage], _findings);
        }

        if ((PairState)one.State == PairState.Psus)
        {
            // FIG 4: a resync at the P-VOL of an armed pair is NORMAL END.
            await CrashTestSteps.ExpectGoodAsync(atSs1, CopyManagementRequest.ForPair(CopyManagementOpcode.PairResync, swap.Made), "PAIR RESYNC " + remote.Name + " after the restart").ConfigureAwait(false);
            await CrashTestSteps.WaitForStateAsync(atSs1, remote, PairState.Pair).ConfigureAwait(false);
            byte[] sImage = await CrashTestSteps.ReadVolumeAsync(_ss2Hosts!, swap.Ss2Volume, _blocks).ConfigureAwait(false);
            CrashVerifier.CheckEqual(remote, pImage, sImage, "after the resync", _findings);
        }

        await CrashTestSteps.ExpectGoodAsync(atSs1, CopyManagementRequest.ForPair(CopyManagementOpcode.PairDelete, swap.Made), "PAIR DELETE " + remote.Name).ConfigureAwait(false);
        return held;
    }

    // Swapped: SS2's volume is the P-VOL, and it holds the split's image (the takeover gives up what SS1's volume took
    // after the split: those tracks are copied over from the new P-VOL). Brought to PAIR (a PSUE determining pair
    // cannot be resynced, FIG 4: deleted and made again from SS2), compared, deleted.
    private async Task<long[]> SwappedAsync(HostConnections hosts, SwapRound round, PairClient atSs2, PairStatusRow two)
    {
        SwapTopology swap = _swap;
        PairModel turned = new(swap.Swapped + " (determining, swapped)", swap.Swapped, RemoteVolume);
        byte[] pImage = await CrashTestSteps.ReadVolumeAsync(_ss2Hosts!, swap.Ss2Volume, _blocks).ConfigureAwait(false);
        PairModel taken = new(_remote.Name + " taken over at SS2", swap.Made, RemoteVolume);
        CrashVerifier.CheckSplitImage(_ledger, new SplitRecord(round.Split.Description + ", then the swap resync", [taken], round.Split.IssuedAt) { AnsweredAt = round.Split.AnsweredAt }, [pImage], _findings);
        long[] held = HeldBy(pImage);
        if ((PairState)two.State == PairState.Psue)
        {
            await CrashTestSteps.ExpectGoodAsync(atSs2, CopyManagementRequest.ForPair(CopyManagementOpcode.PairDelete, swap.Swapped), "PAIR DELETE " + turned.Name + " (PSUE)").ConfigureAwait(false);
            await CrashTestSteps.ExpectGoodAsync(atSs2, CopyManagementRequest.ForPairCreate(swap.Swapped, fence: 0, noCopy: false, determining: true), "PAIR CREATE " + turned.Name + " again").ConfigureAwait(false);
        }

        await CrashTestSteps.WaitForStateAsync(atSs2, turned, PairState.Pair).ConfigureAwait(false);
        byte[] sImage = await CrashTestSteps.ReadVolumeAsync(hosts, swap.Ss1Volume, _blocks).ConfigureAwait(false);
        CrashVerifier.CheckEqual(turned, pImage, sImage, "after the swap resync's copy", _findings);
        await CrashTestSteps.ExpectGoodAsync(atSs2, CopyManagementRequest.ForPair(CopyManagementOpcode.PairDelete, swap.Swapped), "PAIR DELETE " + turned.Name).ConfigureAwait(false);
        return held;
    }

    // The determining pair's row at a subsystem, in either orientation.
    private async Task<PairStatusRow?> RowAsync(PairClient client)
    {
        PairStatusRow? row = await CrashTestSteps.WithinAsync(client.FindAsync(_swap.Made), "PAIR STATUS").ConfigureAwait(false);
        return row ?? await CrashTestSteps.WithinAsync(client.FindAsync(_swap.Swapped), "PAIR STATUS").ConfigureAwait(false);
    }

    // The write each block of an image holds (a block found wrong was counted by the check that read it).
    private long[] HeldBy(byte[] image)
    {
        long[] held = new long[image.Length / 512];
        for (int lba = 0; lba < held.Length; lba++)
        {
            CrashVerifier.Read(image.AsSpan(lba * 512, 512), RemoteVolume, lba, out held[lba]);
        }

        return held;
    }

    // What the swap round's driver leaves for the verification after the restart.
    private sealed record SwapRound(SplitRecord Split, bool Answered);
}
