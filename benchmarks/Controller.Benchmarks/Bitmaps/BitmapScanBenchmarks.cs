// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Numerics;
using BenchmarkDotNet.Attributes;
using Controller.Firmware.Bitmaps;
using Controller.Firmware.Media;
using Controller.Firmware.Scheduling;

namespace Controller.Benchmarks.Bitmaps;

/// <summary>
/// Scanning a 32 MiB bitmap (2^28 tracks: a 16 TiB volume at 64 KiB tracks) for its set tracks, as the copy
/// engine does before a resync: the enumerator (keeps its place), the NextSet walk (a fresh lookup per
/// track) and CountSet. Baselines: the same enumeration over a flat ulong[], and a flat popcount (the
/// floor for counting).
/// </summary>
[MemoryDiagnoser]
public class BitmapScanBenchmarks
{
    private const long Tracks = 1L << 28;

    private DifferentialBitmap _bitmap = null!;
    private ulong[] _flat = null!;

    /// <summary>Gets or sets one set track per this many, spread at random.</summary>
    [Params(64, 65_536)]
    public int OneIn { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _bitmap = new DifferentialBitmap(Tracks * 128, TrackGeometry.Default);
        _flat = new ulong[Tracks / 64];
        SplitMix64 random = new(7);
        for (long i = 0; i < Tracks / OneIn; i++)
        {
            long track = (long)(random.NextUInt64() % Tracks);
            _bitmap.Set(track);
            _flat[track >> 6] |= 1UL << (int)(track & 63);
        }
    }

    [Benchmark(Baseline = true)]
    public long FlatEnumerate()
    {
        // The same walk on a flat array: every word read, every set bit visited with tzcnt.
        long found = 0;
        ulong[] flat = _flat;
        for (int i = 0; i < flat.Length; i++)
        {
            for (ulong bits = flat[i]; bits != 0; bits &= bits - 1)
            {
                long track = ((long)i << 6) + BitOperations.TrailingZeroCount(bits);
                found += track & 1;
            }
        }

        return found;
    }

    [Benchmark]
    public long FlatPopCount()
    {
        long found = 0;
        ulong[] flat = _flat;
        for (int i = 0; i < flat.Length; i++)
        {
            found += BitOperations.PopCount(flat[i]);
        }

        return found;
    }

    [Benchmark]
    public long EnumerateSet()
    {
        long found = 0;
        foreach (long track in _bitmap.EnumerateSet())
        {
            found += track & 1;
        }

        return found;
    }

    [Benchmark]
    public long NextSetWalk()
    {
        long found = 0;
        for (long track = _bitmap.NextSet(0); track >= 0; track = _bitmap.NextSet(track + 1))
        {
            found++;
        }

        return found;
    }

    [Benchmark]
    public long CountSet()
    {
        return _bitmap.CountSet();
    }
}
