// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using BenchmarkDotNet.Attributes;
using Controller.Firmware.Bitmaps;
using Controller.Firmware.Media;

namespace Controller.Benchmarks.Bitmaps;

/// <summary>
/// The bitmap work of one host write (budget: 20 ns): mark the track of a 4 KiB write at a random LBA of a
/// 1 TiB volume (16 Mi tracks, a 2 MiB bitmap), in the steady state of a split pair where the tracks are
/// already marked. Baselines: a flat ulong[] with the same read-then-OR, and with an unconditional
/// Interlocked.Or (the simplest correct lock-free bitmap).
/// </summary>
[MemoryDiagnoser]
public class BitmapSetBenchmarks
{
    private const int Writes = 4096;
    private const long VolumeBlocks = (1L << 40) / 512;

    private readonly long[] _lbas = WorkloadData.Random4KLbas(Writes, VolumeBlocks, seed: 42);
    private DifferentialBitmap _bitmap = null!;
    private ulong[] _flat = null!;

    [GlobalSetup]
    public void Setup()
    {
        _bitmap = new DifferentialBitmap(VolumeBlocks, TrackGeometry.Default);
        _flat = new ulong[(_bitmap.TrackCount + 63) / 64];
        MarkWrite();
        FlatInterlockedOr();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Writes)]
    public void FlatCheckedOr()
    {
        FlatBitmap.MarkChecked(_flat, _lbas);
    }

    [Benchmark(OperationsPerInvoke = Writes)]
    public void FlatInterlockedOr()
    {
        ulong[] flat = _flat;
        foreach (long lba in _lbas)
        {
            long track = lba >> 7;
            Interlocked.Or(ref flat[track >> 6], 1UL << (int)(track & 63));
        }
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
