// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics;
using Controller.Firmware;
using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.HostSim.Core.Measurement;
using Controller.HostSim.Hosts;
using Controller.HostSim.Pairs;
using Controller.HostSim.Workloads;
using Controller.Initiator;
using Controller.Target;
using Controller.Traces;
using Controller.Wire.CopyManagement;
using Controller.Wire.Transport;
using Controller.Workload;

namespace Controller.HostSim;

/// <summary>
/// The demo's atomic-split phase, as a host does it: everything in FC frames through the controller's target ports.
/// The FIG 7 pairs 0x400104/0x0001 -> 0x400104/0x0002 and 0x400104/0x0004 -> 0x421014/0x0005 are named AUXSET1
/// (NAME MIRRORS, FIG 8); dependent write chains (WRITE(16)) run across both P-VOLs; one ATOMIC SPLIT BY NAME
/// (FIG 9) per mechanism is sent while they run; each split image is read back with READ(16) and checked by the
/// consistency oracle; then the pairs are resynced (PAIR RESYNC). The controller's own telemetry of each split (hold
/// times, held writes) comes from <see cref="CopyManagementTable.SplitFinished"/>.
/// </summary>
internal sealed class DemoAtomicSplits
{
    private const int Chains = 8;
    private const int BlocksPerWrite = 8;
    private const int SlotsPerChain = 64;
    private const string MirrorName = "AUXSET1";
    private static readonly TimeSpan s_patience = TimeSpan.FromMinutes(1);
    private static readonly AtomicSplitMechanism[] s_mechanisms = [AtomicSplitMechanism.Freeze, AtomicSplitMechanism.SequenceCut];
    private static readonly TraceVolume[] s_pVols = [new(0x400104, 0x0001), new(0x400104, 0x0004)];
    private static readonly TraceVolume[] s_sVols = [new(0x400104, 0x0002), new(0x421014, 0x0005)];
    private readonly StorageSubsystem _subsystem;
    private readonly ControllerFrontEnd _frontEnd;
    private readonly IFrameTap? _tap;
    private readonly List<(TraceVolume PVol, TraceVolume SVol)> _mirrors = [(s_pVols[0], s_sVols[0]), (s_pVols[1], s_sVols[1])];
    private InitiatorPort[] _ports = [];
    private AtomicSplitResult? _lastSplit;

    public DemoAtomicSplits(StorageSubsystem subsystem, ControllerFrontEnd frontEnd, IFrameTap? tap)
    {
        _subsystem = subsystem;
        _frontEnd = frontEnd;
        _tap = tap;
    }

    /// <summary>Gets the latency of every chain write of the phase, host-measured over FCP.</summary>
    public LatencyHistogram WriteLatency { get; } = new();

    /// <summary>Runs the phase: the pair 0x0001 -> 0x0002 is in PAIR already (the mirror phase), 0x0004 -> 0x0005 is created.</summary>
    /// <param name="writesPerSplit">Acknowledged writes before and after each split.</param>
    /// <returns>One result per split.</returns>
    public IReadOnlyList<DemoSplitResult> Run(int writesPerSplit)
    {
        return RunAsync(writesPerSplit).GetAwaiter().GetResult();
    }

    private async Task<IReadOnlyList<DemoSplitResult>> RunAsync(int writesPerSplit)
    {
        _subsystem.Pairs.SplitFinished += Keep;
        await using HostConnections hosts = HostConnections.ToFrontEnd(_frontEnd, _tap);
        try
        {
            InitiatorPort host = await hosts.GetAsync(TraceImporter.DefaultInitiatorPortId, 0x400104).ConfigureAwait(false);
            await hosts.GetAsync(TraceImporter.DefaultInitiatorPortId, 0x421014).ConfigureAwait(false);
            _ports = [host, host];
            PairClient pairs = new(host, s_pVols[0]);
            ScsiResult created = await pairs.ExecuteAsync(CopyManagementRequest.ForPair(CopyManagementOpcode.PairCreate, Wire(1))).ConfigureAwait(false);
            Check(created, "PAIR CREATE " + Wire(1));
            (_, bool paired) = await pairs.WaitForStateAsync(Wire(1), PairState.Pair, s_patience).ConfigureAwait(false);
            if (!paired)
            {
                throw new InvalidOperationException("pair " + Wire(1) + " did not reach PAIR within a minute");
            }

            Check(await pairs.ExecuteAsync(CopyManagementRequest.ForNameMirrors(MirrorName, [Wire(0), Wire(1)])).ConfigureAwait(false), "NAME MIRRORS " + MirrorName);

            // One split per mechanism first, without load and unreported, so the reported ones do not time the JIT.
            foreach (AtomicSplitMechanism mechanism in s_mechanisms)
            {
                Check(await pairs.ExecuteAsync(SplitByName(mechanism)).ConfigureAwait(false), "the warm-up split");
                await pairs.ResyncAndWaitAsync(_mirrors, s_patience).ConfigureAwait(false);
            }

            List<DemoSplitResult> results = [];
            foreach (AtomicSplitMechanism mechanism in s_mechanisms)
            {
                results.Add(await SplitUnderLoadAsync(pairs, mechanism, writesPerSplit).ConfigureAwait(false));
                await pairs.ResyncAndWaitAsync(_mirrors, s_patience).ConfigureAwait(false);
            }

            return results;
        }
        finally
        {
            _subsystem.Pairs.SplitFinished -= Keep;
        }
    }

    private static CopyManagementRequest SplitByName(AtomicSplitMechanism mechanism)
    {
        return CopyManagementRequest.ForAtomicSplitByName(MirrorName, mechanism == AtomicSplitMechanism.Freeze ? SplitMechanism.Freeze : SplitMechanism.SequenceCut, readWrite: false);
    }

    private static WirePair Wire(int member)
    {
        return new WirePair(PairClient.Wire(s_pVols[member]), PairClient.Wire(s_sVols[member]));
    }

    private static void Check(in ScsiResult result, string what)
    {
        if (!result.IsGood)
        {
            throw new InvalidOperationException(what + ": " + PairClient.Describe(result));
        }
    }

    private void Keep(AtomicSplitResult result)
    {
        Volatile.Write(ref _lastSplit, result);
    }

    private async Task<DemoSplitResult> SplitUnderLoadAsync(PairClient pairs, AtomicSplitMechanism mechanism, int writes)
    {
        FcDependentWrites chains = new(s_pVols, _ports, Chains, BlocksPerWrite, SlotsPerChain);
        chains.Start();
        await chains.WaitForAcksAsync(writes).ConfigureAwait(false);

        // The oracle's windows, host side: issued before the command is sent, completed after its answer came.
        long issued = chains.Chains.Tick();
        Volatile.Write(ref _lastSplit, null);
        long start = Stopwatch.GetTimestamp();
        ScsiResult answer = await pairs.ExecuteAsync(SplitByName(mechanism)).ConfigureAwait(false);
        TimeSpan latency = Stopwatch.GetElapsedTime(start);
        long completed = chains.Chains.Tick();
        await chains.WaitForAcksAsync(chains.Runner.Acks + writes).ConfigureAwait(false);
        await chains.StopAsync().ConfigureAwait(false);
        WriteLatency.Add(chains.WriteLatency);
        AtomicSplitResult result = Volatile.Read(ref _lastSplit) ?? new AtomicSplitResult { Error = PairErrorCode.NotPaired, Message = "no split result: " + PairClient.Describe(answer) };
        OracleVerdict verdict = await chains.CheckSplitAsync(s_sVols, _ports, issued, completed).ConfigureAwait(false);
        string? hostFailure = answer.IsGood ? null : "ATOMIC SPLIT BY NAME answered " + PairClient.Describe(answer);
        return new DemoSplitResult(mechanism, s_pVols.Length, latency, result, verdict, hostFailure);
    }
}
