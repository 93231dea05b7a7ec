// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using BenchmarkDotNet.Attributes;
using Controller.Firmware.Bitmaps;
using Controller.Firmware.Media;

namespace Controller.Benchmarks.Bitmaps;

/// <summary>
/// The bitmap work of host writes right after a split swapped in a fresh bitmap: 4 Mi 4 KiB writes at random
/// LBAs of a 1 TiB volume into an empty bitmap, so nearly every write sets a new bit and the first write into
/// each 4 GiB region allocates its 8 KiB leaf. Baseline: a zeroed flat ulong[] (2 MiB allocated up front).
/// </summary>
[MemoryDiagnoser]
public class BitmapFreshSetBenchmarks
{
    private const int Writes = 1 << 22;
    private const long VolumeBlocks = (1L << 40) / 512;

    private readonly long[] _lbas = WorkloadData.Random4KLbas(Writes, VolumeBlocks, seed: 42);
    private DifferentialBitmap _bitmap = null!;
    private ulong[] _flat = null!;

    [GlobalSetup]
    public void Setup()
    {
        _bitmap = new DifferentialBitmap(VolumeBlocks, TrackGeometry.Default);
        _flat = new ulong[(_bitmap.TrackCount + 63) / 64];
    }

    [IterationSetup]
    public void SwapInFresh()
    {
        _bitmap.SwapInFresh();
        Array.Clear(_flat);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Writes)]
    public void FlatCheckedOr()
    {
        FlatBitmap.MarkChecked(_flat, _lbas);
    }

    [Benchmark(OperationsPerInvoke = Writes)]
    public void MarkWrite()
    {
        DifferentialBitmap bitmap = _bitmap;
        foreach (long lba in _lbas)
        {
            bitmap.MarkWrite(lba, 8);
        }
    }
}
