// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using BenchmarkDotNet.Attributes;
using Controller.Firmware;
using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.Scheduling;
using Controller.Firmware.Volumes;

namespace Controller.Benchmarks.Pairs;

/// <summary>
/// Resync of a split 1 GiB pair, written in full, with 10 % of its 16,384 tracks marked (1,638 tracks, 107 MB), from the command
/// to PAIR, on two MPs in real time: the copy engine's whole path (barrier, copy set from both bitmaps, steps on
/// the P-VOL's MP, mirror writes on the S-VOL's MP). Budget: 5 GB/s of copied data, so 21 ms per resync.
/// Baseline: copying the same tracks with a plain loop of media reads and writes on one thread, which is what
/// the engine's pipelining across two MPs has to beat. One invocation per iteration: each needs a fresh split.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(1)]
public class ResyncBenchmarks
{
    private const long Blocks = (1L << 30) / 512;
    private const int MarkedPercent = 10;

    private StorageSubsystem _subsystem = null!;
    private MirrorPair _pair = null!;
    private long[] _marked = null!;
    private byte[] _track = null!;

    /// <summary>Gets or sets the copy engine's step size.</summary>
    [Params(16, 64)]
    public int TracksPerStep { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _subsystem = new StorageSubsystem(RealTimeScheduler.Instance, new SubsystemOptions { MpCount = 2, CopyPace = new CopyPace { TracksPerStep = TracksPerStep } });
        (Ldev p, Ldev s) = PairVolumes.Create(_subsystem, Blocks, writeSVol: false);
        _track = new byte[p.Geometry.TrackSizeBytes];
        _subsystem.Pairs.Create(PairVolumes.PAddress, p, PairVolumes.SAddress, s);
        _pair = _subsystem.Pairs.Find(PairVolumes.PAddress, PairVolumes.SAddress)!;
        PairVolumes.WaitForPair(_subsystem);

        // Every tenth track, spread evenly, as a day of scattered updates leaves them.
        long tracks = _pair.PVolBitmap.TrackCount;
        _marked = new long[tracks * MarkedPercent / 100];
        for (int i = 0; i < _marked.Length; i++)
        {
            _marked[i] = i * tracks / _marked.Length;
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _subsystem.Dispose();
    }

    [IterationSetup(Target = nameof(Resync))]
    public void SplitAndMark()
    {
        _subsystem.Pairs.Execute(PairVolumes.PAddress, PairVolumes.SAddress, PairOperation.Split);
        foreach (long track in _marked)
        {
            _pair.PVolBitmap.Set(track);
        }
    }

    [Benchmark(Baseline = true)]
    public long PlainTrackLoop()
    {
        Ldev p = _pair.PVol;
        Ldev s = _pair.SVol;
        long blocksPerTrack = p.Geometry.BlocksPerTrack;
        foreach (long track in _marked)
        {
            p.Media.Read(track * blocksPerTrack, _track);
            s.Media.Write(track * blocksPerTrack, _track);
        }

        return _marked.Length;
    }

    [Benchmark]
    public long Resync()
    {
        _subsystem.Pairs.Execute(PairVolumes.PAddress, PairVolumes.SAddress, PairOperation.Resync);
        PairVolumes.WaitForPair(_subsystem);
        return _pair.TracksCopied;
    }
}
