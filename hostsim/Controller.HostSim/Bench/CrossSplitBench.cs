// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics;
using System.Globalization;
using System.Text;
using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.HostSim.AuxSystem;
using Controller.HostSim.Core.Measurement;
using Controller.HostSim.Pairs;
using Controller.HostSim.Workloads;
using Controller.Initiator;
using Controller.Traces;
using Controller.Wire.CopyManagement;

namespace Controller.HostSim.Bench;

/// <summary>
/// <c>hostsim bench cross-split</c>: the atomic split of seed 000's set across two subsystems under dependent
/// production writes, measured from the host. Embedded SS1 and SS2 joined by a real FCP remote-copy link; k production
/// volumes LV1 (SS1) mirrored to LV2 (SS2), the set {LV1 -> LV3 in SS1, LV2 -> LV4 in SS2} of 2k members named once;
/// each split by name is timed to its GOOD, the hold the hosts see is the coordinator's held-write telemetry (freeze)
/// and the write latency while splits run, then the set is resynced and the next split follows.
/// </summary>
internal static class CrossSplitBench
{
    private static readonly TimeSpan s_patience = TimeSpan.FromMinutes(2);

    public static async Task<string> RunAsync(int members, int splits, IReadOnlyList<AtomicSplitMechanism> mechanisms)
    {
        int volumes = members / 2;
        StringBuilder text = new();
        CultureInfo c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"hostsim bench cross-split: {members} members ({volumes} in SS1, {volumes} in SS2, fed by {volumes} remote mirrors), {splits} splits per mechanism under dependent writes, FCP link in-process, {Environment.ProcessorCount} cores");
        text.AppendLine("  mechanism      split p50 us   p99 us   max us   held writes   hold p99 us   hold max us   write p99 us (splits+resyncs)   write p99 us (no split)");
        await using AuxSystemSite site = await AuxSystemSite.EmbeddedAsync(volumes, Math.Max(1L << 17, AuxSystemScenario.BlocksNeeded(volumes) * 2)).ConfigureAwait(false);
        AtomicSplitResult? last = null;
        InitiatorPort production = await site.Ss1.GetAsync(AuxSystemScenario.ProductionHost, AuxSystemSite.Ss1Port).ConfigureAwait(false);
        InitiatorPort standby = await site.Ss2.GetAsync(AuxSystemScenario.StandbyHost, AuxSystemSite.Ss2Port).ConfigureAwait(false);
        PairClient ss1 = new(production, AuxSystemSite.Lv1(0));
        PairClient ss2 = new(standby, AuxSystemSite.Lv2(0));
        List<(TraceVolume, TraceVolume)> remote = [.. Enumerable.Range(0, volumes).Select(i => (AuxSystemSite.Lv1(i), AuxSystemSite.Lv2(i)))];
        List<(TraceVolume, TraceVolume)> local = [.. Enumerable.Range(0, volumes).Select(i => (AuxSystemSite.Lv1(i), AuxSystemSite.Lv3(i)))];
        List<(TraceVolume, TraceVolume)> cascade = [.. Enumerable.Range(0, volumes).Select(i => (AuxSystemSite.Lv2(i), AuxSystemSite.Lv4(i)))];
        await ss1.CreateAndWaitAsync(remote, s_patience).ConfigureAwait(false);
        await ss1.CreateAndWaitAsync(local, s_patience).ConfigureAwait(false);
        await ss2.CreateAndWaitAsync(cascade, s_patience).ConfigureAwait(false);
        WirePair[] set = [.. local.Concat(cascade).Select(m => new WirePair(PairClient.Wire(m.Item1), PairClient.Wire(m.Item2)))];
        Expect(await ss1.ExecuteAsync(CopyManagementRequest.ForNameMirrors("BENCHSET", set)).ConfigureAwait(false), "NAME MIRRORS");
        TraceVolume[] pVols = [.. remote.Select(m => m.Item1)];
        InitiatorPort[] ports = [.. Enumerable.Repeat(production, volumes)];

        // The write latency of the same load without splits first: the baseline of the same run.
        FcDependentWrites baseline = new(pVols, ports, 32, 8, 16);
        baseline.Start();
        await Task.Delay(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        await baseline.StopAsync().ConfigureAwait(false);
        LatencyHistogram quiet = baseline.WriteLatency;
        foreach (AtomicSplitMechanism mechanism in mechanisms)
        {
            LatencyHistogram latency = new();
            LatencyHistogram holds = new();
            long held = 0;
            FcDependentWrites load = new(pVols, ports, 32, 8, 16);
            load.Start();
            await load.WaitForAcksAsync(500).ConfigureAwait(false);
            for (int i = 0; i < splits + 1; i++)
            {
                last = null;
                site.Ss1Subsystem!.Pairs.SplitFinished += Keep;
                long start = Stopwatch.GetTimestamp();
                ScsiResult answer = await ss1.ExecuteAsync(CopyManagementRequest.ForAtomicSplitByName("BENCHSET", mechanism == AtomicSplitMechanism.Freeze ? SplitMechanism.Freeze : SplitMechanism.SequenceCut, readWrite: false)).ConfigureAwait(false);
                TimeSpan took = Stopwatch.GetElapsedTime(start);
                site.Ss1Subsystem.Pairs.SplitFinished -= Keep;
                Expect(answer, "ATOMIC SPLIT BY NAME");
                if (i > 0)
                {
                    // The first split of each mechanism warms the code up and is not counted.
                    latency.Record((long)(took.TotalMilliseconds * 1_000_000));
                    if (Volatile.Read(ref last) is AtomicSplitResult result && result.Telemetry is AtomicSplitTelemetry telemetry)
                    {
                        held += telemetry.HeldWrites;
                        foreach (TimeSpan hold in telemetry.HoldSamples)
                        {
                            holds.Record((long)(hold.TotalMilliseconds * 1_000_000));
                        }
                    }
                }

                await ss1.ResyncAndWaitAsync(local, s_patience).ConfigureAwait(false);
                await ss2.ResyncAndWaitAsync(cascade, s_patience).ConfigureAwait(false);
            }

            await load.StopAsync().ConfigureAwait(false);
            LatencyHistogram during = load.WriteLatency;
            text.AppendLine(c, $"  {(mechanism == AtomicSplitMechanism.Freeze ? "freeze" : "sequence-cut"),-13}{Us(latency.Percentile(0.5)),14}{Us(latency.Percentile(0.99)),9}{Us(latency.Max),9}{held,14}{Us(holds.Percentile(0.99)),14}{Us(holds.Max),14}{Us(during.Percentile(0.99)),32}{Us(quiet.Percentile(0.99)),25}");
        }

        return text.ToString().TrimEnd();

        void Keep(AtomicSplitResult result)
        {
            Volatile.Write(ref last, result);
        }
    }

    private static string Us(long nanoseconds)
    {
        return (nanoseconds / 1000.0).ToString("0.0", CultureInfo.InvariantCulture);
    }

    private static void Expect(in ScsiResult result, string what)
    {
        if (!result.IsGood)
        {
            throw new InvalidOperationException(what + ": " + PairClient.Describe(result));
        }
    }
}
