// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics;
using System.Runtime.CompilerServices;
using Controller.Firmware.PairVocabulary;
using Controller.HostSim.Hosts;
using Controller.HostSim.Load;
using Controller.HostSim.Pairs;
using Controller.HostSim.Workloads;
using Controller.Initiator;
using Controller.Traces;
using Controller.Workload;

namespace Controller.HostSim.Tests.Workloads;

/// <summary>
/// The dependent write chains of <c>hostsim load --dependent</c> against an embedded controller, on a clock the test
/// moves: the chains are held while the oracle reads their log, and that pause is reported on its own, never as a
/// write's latency.
/// </summary>
public sealed class FcDependentWritesTests
{
    private static readonly TraceVolume s_pVol = new(0x400104, 0x0001);
    private static readonly TraceVolume s_sVol = new(0x400104, 0x0002);

    [Test]
    public async Task AWritesLatencyExcludesTheOraclesPauseWhichIsReportedApart()
    {
        using EmbeddedController embedded = EmbeddedController.Create([(s_pVol, 8192), (s_sVol, 8192)]);
        await using HostConnections hosts = HostConnections.ToEmbedded(embedded);
        InitiatorPort port = await hosts.GetAsync(LoadRunOptions.InitiatorPortId, s_pVol.PortId);
        PairClient pairs = new(port, s_pVol);
        await pairs.CreateAndWaitAsync([(s_pVol, s_sVol)], TimeSpan.FromMinutes(1));

        // The clock stands still unless the test moves it: a write's latency is 0 unless the clock moved while it
        // was in flight.
        StrongBox<long> now = new(1_000_000);
        FcDependentWrites chains = new([s_pVol], [port], chains: 4, blocksPerWrite: 8, slotsPerChain: 4) { Clock = () => Volatile.Read(ref now.Value) };
        chains.Start();
        await chains.WaitForAcksAsync(200);

        // A check that takes 5 s on this clock, with the chains running: none of their writes may be in flight then.
        long fiveSeconds = 5 * Stopwatch.Frequency;
        int inFlight = await chains.WhilePausedAsync(() =>
        {
            Interlocked.Add(ref now.Value, fiveSeconds);
            return chains.Runner.Active - chains.Runner.Parked;
        });
        long acksAfterPause = chains.Runner.Acks;
        await chains.WaitForAcksAsync(acksAfterPause + 200);

        Assert.That(chains.WriteLatency.Max, Is.Zero, "no write's latency includes the 5 s the chains were held");
        Assert.That(inFlight, Is.Zero, "every chain was held between two writes");
        Assert.That(chains.WriteLatency.Count, Is.GreaterThanOrEqualTo(acksAfterPause + 200), "the chains went on after the pause");
        Assert.That((chains.OraclePauses.Count, chains.OraclePauses.TotalNanoseconds, chains.OraclePauses.MaxNanoseconds), Is.EqualTo((1L, 5_000_000_000L, 5_000_000_000L)), "the pause, measured on its own");

        // The split-image check holds the chains the same way, and finds the image consistent.
        long issued = chains.Chains.Tick();
        (ScsiResult split, _) = await pairs.AtomicSplitAsync([(s_pVol, s_sVol)], AtomicSplitMechanism.Freeze);
        long completed = chains.Chains.Tick();
        Assert.That(split.IsGood, Is.True, split.ToString());
        await chains.WaitForAcksAsync(chains.Runner.Acks + 100);
        OracleVerdict verdict = await chains.CheckSplitAsync([s_sVol], [port], issued, completed);
        await chains.StopAsync();

        Assert.That(verdict.Consistent, Is.True, verdict.ToString());
        Assert.That(verdict.IssuedAfterSplit, Is.GreaterThan(0), "the chains ran on after the split, up to the check");
        Assert.That(chains.OraclePauses.Count, Is.EqualTo(2), "the check was a second pause");
        Assert.That(chains.WriteLatency.Max, Is.Zero, "still no write's latency includes a pause");
    }
}
