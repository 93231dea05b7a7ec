// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using BenchmarkDotNet.Attributes;
using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.HostSim.Core.Bench;

namespace Controller.Benchmarks.Splits;

/// <summary>
/// One atomic split of M mirrors, command to answer, while 4 KiB writes run at queue depth 32 over 8 LUNs on an
/// embedded controller in real time (the rig of <c>hostsim bench split</c>, which also measures the host side).
/// Baseline: the same members split by plain PAIR SPLITs one after another, which is fast but has no common
/// point (the oracle calls its image torn). One invocation per iteration: each needs the members back in PAIR.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(1)]
public class AtomicSplitBenchmarks
{
    private SplitLoadRig _rig = null!;

    /// <summary>Gets or sets the number of members.</summary>
    [Params(1, 8, 64, 512)]
    public int Members { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _rig = new SplitLoadRig(Members, loadLuns: 8, queueDepth: 32, seed: 1);
        _rig.Start();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _rig.Stop();
        _rig.Dispose();
    }

    [IterationSetup]
    public void BackToPair()
    {
        _rig.ResyncMembers();
    }

    [Benchmark(Baseline = true)]
    public TimeSpan PlainSplitsOneByOne()
    {
        return _rig.SplitOneByOne();
    }

    [Benchmark]
    public AtomicSplitResult SequenceCut()
    {
        return _rig.Split(AtomicSplitMechanism.SequenceCut).Result;
    }

    [Benchmark]
    public AtomicSplitResult Freeze()
    {
        return _rig.Split(AtomicSplitMechanism.Freeze).Result;
    }
}
