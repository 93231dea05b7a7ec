// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using BenchmarkDotNet.Attributes;
using Controller.Firmware;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.Scheduling;
using Controller.Firmware.Volumes;

namespace Controller.Benchmarks.Pairs;

/// <summary>
/// The initial copy of a 256 MiB pair whose P-VOL is written in full (no sparse shortcut), from paircreate to
/// PAIR, on two MPs in real time (docs/architecture.md, "Performance budget": resync / initial copy in memory >= 5 GB/s). Each iteration
/// deletes the pair and creates it again; the S-VOL keeps its storage from the last copy, as a re-created mirror
/// on a real array does. Baseline: a plain loop of track reads and writes on one thread.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(1)]
public class InitialCopyBenchmarks
{
    private const long Blocks = (256L << 20) / 512;

    private StorageSubsystem _subsystem = null!;
    private Ldev _p = null!;
    private Ldev _s = null!;
    private byte[] _track = null!;

    [GlobalSetup]
    public void Setup()
    {
        _subsystem = new StorageSubsystem(RealTimeScheduler.Instance, new SubsystemOptions { MpCount = 2 });
        (_p, _s) = PairVolumes.Create(_subsystem, Blocks, writeSVol: true);
        _track = new byte[_p.Geometry.TrackSizeBytes];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _subsystem.Dispose();
    }

    [IterationSetup(Target = nameof(InitialCopy))]
    public void DeletePair()
    {
        _subsystem.Pairs.Execute(PairVolumes.PAddress, PairVolumes.SAddress, PairOperation.Delete);
    }

    [Benchmark(Baseline = true)]
    public long PlainTrackLoop()
    {
        long blocksPerTrack = _p.Geometry.BlocksPerTrack;
        for (long lba = 0; lba < Blocks; lba += blocksPerTrack)
        {
            _p.Media.Read(lba, _track);
            _s.Media.Write(lba, _track);
        }

        return Blocks;
    }

    [Benchmark]
    public long InitialCopy()
    {
        _subsystem.Pairs.Create(PairVolumes.PAddress, _p, PairVolumes.SAddress, _s);
        PairVolumes.WaitForPair(_subsystem);
        return _subsystem.Pairs.Find(PairVolumes.PAddress, PairVolumes.SAddress)!.TracksCopied;
    }
}
