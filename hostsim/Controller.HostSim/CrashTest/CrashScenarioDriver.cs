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
/// The crash test's scenario drivers (<see cref="CrashScenarios"/> is their catalogue): each runs under the round's
/// load and returns once the kill has come. The determining swap, which needs a second controller, is
/// <see cref="DeterminingSwapScenario"/>'s; this type hands its rounds on.
/// </summary>
/// <remarks>
/// Its one state is the latency atomic splits have had in this run, which sets the window of the next split's kill.
/// Every choice is drawn from the run's seeded <see cref="Random"/>, in the order the run makes them.
/// </remarks>
internal sealed class CrashScenarioDriver
{
    private readonly ICrashTarget _target;
    private readonly CrashTopology _topology;
    private readonly WriteLedger _ledger;
    private readonly Random _random;
    private readonly DeterminingSwapScenario? _swap;
    private double _splitMicroseconds = 50_000;

    /// <summary>Initializes the drivers.</summary>
    /// <param name="target">The controller to kill.</param>
    /// <param name="topology">Its volumes and pairs.</param>
    /// <param name="ledger">The load's ledger (its ticks order the commands among the writes).</param>
    /// <param name="random">The run's seeded choices.</param>
    /// <param name="swap">The determining-swap scenario, or null when it does not run.</param>
    public CrashScenarioDriver(ICrashTarget target, CrashTopology topology, WriteLedger ledger, Random random, DeterminingSwapScenario? swap)
    {
        _target = target;
        _topology = topology;
        _ledger = ledger;
        _random = random;
        _swap = swap;
    }

    /// <summary>Drives a round's scenario until the kill has come.</summary>
    /// <param name="scenario">The scenario.</param>
    /// <param name="tally">The scenario's tally, this round counted.</param>
    /// <param name="client">The command device's client.</param>
    /// <param name="splits">Receives the splits the round made, for the checks after the restart.</param>
    /// <param name="hosts">The hosts' connections to the controller.</param>
    /// <returns>What the driver did.</returns>
    public async Task<DrivenRound> DriveAsync(CrashScenario scenario, ScenarioTally tally, PairClient client, List<SplitRecord> splits, HostConnections hosts)
    {
        switch (scenario)
        {
            case CrashScenario.Load:
                {
                    // Anywhere in 30-330 ms of load.
                    double after = 30_000 + (_random.NextDouble() * 300_000);
                    await CrashTestSteps.WithinAsync(KillTimer.KillAtAsync(KillTimer.After(Stopwatch.GetTimestamp(), after), _target.Kill), "the kill").ConfigureAwait(false);
                    return new DrivenRound(after, null, false);
                }

            case CrashScenario.InitialCopy:
                return await InitialCopyAsync(client).ConfigureAwait(false);
            case CrashScenario.Resync:
                return await ResyncAsync(client, splits).ConfigureAwait(false);
            case CrashScenario.AtomicSplitByListFreeze:
            case CrashScenario.AtomicSplitByListSequenceCut:
            case CrashScenario.AtomicSplitByNameFreeze:
            case CrashScenario.AtomicSplitByNameSequenceCut:
                return await AtomicSplitAsync(scenario, tally, client, splits).ConfigureAwait(false);
            case CrashScenario.DeterminingSwap:
                return await _swap!.DriveAsync(hosts, tally).ConfigureAwait(false);
            default:
                // A scenario listed as not built (CrashScenarios.All) never gets here.
                throw new ArgumentOutOfRangeException(nameof(scenario), scenario, "no driver for this scenario");
        }
    }

    // PAIR CREATE of the fresh pair, killed anywhere in the copy's expected time.
    private async Task<DrivenRound> InitialCopyAsync(PairClient client)
    {
        await CrashTestSteps.WarmUpAsync(_random).ConfigureAwait(false);
        PairModel fresh = _topology.Fresh;
        double after = _random.NextDouble() * _topology.FullCopyMicroseconds;
        (long answeredAt, _, double microseconds) = await SendAndKillAsync(client, CopyManagementRequest.ForPair(CopyManagementOpcode.PairCreate, fresh.Pair), "PAIR CREATE " + fresh.Name, after).ConfigureAwait(false);
        Record(fresh, answeredAt != 0, PairState.Copy);
        return new DrivenRound(after, "PAIR CREATE", answeredAt != 0, microseconds);
    }

    // A pair split (answered), more writes, then PAIR RESYNC killed anywhere in the copy of the tracks marked.
    private async Task<DrivenRound> ResyncAsync(PairClient client, List<SplitRecord> splits)
    {
        PairModel pair = _topology.Mirrors[_random.Next(_topology.Mirrors.Count)];
        await CrashTestSteps.WarmUpAsync(_random).ConfigureAwait(false);
        SplitRecord split = new("PAIR SPLIT " + pair.Name, [pair], _ledger.Tick());
        await CrashTestSteps.ExpectGoodAsync(client, CopyManagementRequest.ForPairSplit(pair.Pair, readWrite: false), split.Description).ConfigureAwait(false);
        split.AnsweredAt = _ledger.Tick();
        pair.Answered(PairState.Psus);
        splits.Add(split);
        await CrashTestSteps.WarmUpAsync(_random).ConfigureAwait(false);

        // The resync copies the tracks marked: its expected time is that share of a full copy's.
        PairStatusRow row = await CrashTestSteps.WithinAsync(client.FindAsync(pair.Pair), "PAIR STATUS").ConfigureAwait(false) ?? throw new CrashTestException(pair.Name + " is not in PAIR STATUS after its split");
        double tracks = Math.Max(1, _topology.Blocks * 512 / (64 * 1024));
        double after = _random.NextDouble() * Math.Max(1000, _topology.FullCopyMicroseconds * Math.Min(1, row.DifferentialTracks / tracks));
        (long answeredAt, _, double microseconds) = await SendAndKillAsync(client, CopyManagementRequest.ForPair(CopyManagementOpcode.PairResync, pair.Pair), "PAIR RESYNC " + pair.Name, after).ConfigureAwait(false);
        Record(pair, answeredAt != 0, PairState.CopyResync);
        return new DrivenRound(after, "PAIR RESYNC", answeredAt != 0, microseconds);
    }

    // An atomic split of some mirrors (by list) or all (by name). Its odd runs are killed after its answer (up to 20 ms
    // after: writes after the split go on meanwhile), so a kept split image is always checked; its even runs are
    // killed anywhere in the latency splits have had in this run, mostly in its middle (the answer's commit not kept).
    private async Task<DrivenRound> AtomicSplitAsync(CrashScenario scenario, ScenarioTally tally, PairClient client, List<SplitRecord> splits)
    {
        bool byName = scenario is CrashScenario.AtomicSplitByNameFreeze or CrashScenario.AtomicSplitByNameSequenceCut;
        bool freeze = scenario is CrashScenario.AtomicSplitByNameFreeze or CrashScenario.AtomicSplitByListFreeze;
        SplitMechanism mechanism = freeze ? SplitMechanism.Freeze : SplitMechanism.SequenceCut;
        List<PairModel> members = [.. _topology.Mirrors];
        if (!byName)
        {
            // 2 to all of them, in a seeded order.
            _random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(members));
            members = members[..(2 + _random.Next(members.Count - 1))];
        }

        WirePair[] wire = new WirePair[members.Count];
        for (int i = 0; i < wire.Length; i++)
        {
            wire[i] = members[i].Pair;
        }

        CopyManagementRequest request = byName ? CopyManagementRequest.ForAtomicSplitByName(CrashTopology.MirrorName, mechanism, readWrite: false) : CopyManagementRequest.ForAtomicSplit(wire, mechanism, readWrite: false);
        string what = "ATOMIC SPLIT " + (byName ? "BY NAME " + CrashTopology.MirrorName : "of " + members.Count + " pairs") + " (" + (freeze ? "freeze" : "sequence cut") + ")";
        await CrashTestSteps.WarmUpAsync(_random).ConfigureAwait(false);
        bool afterTheAnswer = tally.Runs % 2 == 1;
        double after = _random.NextDouble() * (afterTheAnswer ? 20_000 : _splitMicroseconds);
        (long answeredAt, long issuedAt, double microseconds) = await SendAndKillAsync(client, request, what, after, afterTheAnswer).ConfigureAwait(false);
        bool answered = answeredAt != 0;
        SplitRecord split = new(what, members, issuedAt) { AnsweredAt = answeredAt };
        // The next split's window follows the latency seen: measured when answered, at least the kill's delay when not.
        _splitMicroseconds = answered ? (_splitMicroseconds + microseconds) / 2 : Math.Max(_splitMicroseconds, after * 1.25);

        foreach (PairModel member in members)
        {
            Record(member, answered, PairState.Psus);
        }

        splits.Add(split);
        return new DrivenRound(afterTheAnswer ? microseconds + after : after, what, answered, microseconds);
    }

    private static void Record(PairModel pair, bool answered, PairState result)
    {
        if (answered)
        {
            pair.Answered(result);
        }
        else
        {
            pair.InDoubt(result);
        }
    }

    // Sends a command and kills the controller a given time after sending it, whether or not its answer has come (or,
    // afterTheAnswer, that time after its answer). A refusal is a failure of the run (the round's pairs were all in
    // PAIR, or the fresh pair SMPL).
    // Returns the tick after its GOOD arrived (0: the kill came first), the tick before it was sent, and its latency.
    private async Task<(long AnsweredAt, long IssuedAt, double Microseconds)> SendAndKillAsync(PairClient client, CopyManagementRequest request, string what, double killAfterMicroseconds, bool afterTheAnswer = false)
    {
        long issuedAt = _ledger.Tick();
        long sent = Stopwatch.GetTimestamp();
        Task<ScsiResult> answer = client.ExecuteAsync(request);
        Task? killed = afterTheAnswer ? null : KillTimer.KillAtAsync(KillTimer.After(sent, killAfterMicroseconds), _target.Kill);
        ScsiResult? result = null;
        long answeredAt = 0;
        try
        {
            result = await CrashTestSteps.WithinAsync(answer, what).ConfigureAwait(false);
            answeredAt = result.Value.IsGood ? _ledger.Tick() : 0;
        }
        catch (InitiatorException)
        {
            // The kill closed the connection first: the command is in doubt.
        }

        double microseconds = Stopwatch.GetElapsedTime(sent).TotalMicroseconds;
        killed ??= KillTimer.KillAtAsync(KillTimer.After(Stopwatch.GetTimestamp(), killAfterMicroseconds), _target.Kill);
        await CrashTestSteps.WithinAsync(killed, "the kill").ConfigureAwait(false);
        if (result is ScsiResult refused && !refused.IsGood)
        {
            throw new CrashTestException(what + " was refused: " + PairClient.Describe(refused));
        }

        return (answeredAt, issuedAt, microseconds);
    }
}
