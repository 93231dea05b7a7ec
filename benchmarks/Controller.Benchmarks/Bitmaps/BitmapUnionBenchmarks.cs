// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using BenchmarkDotNet.Attributes;
using Controller.Firmware.Bitmaps;
using Controller.Firmware.Media;
using Controller.Firmware.Scheduling;

namespace Controller.Benchmarks.Bitmaps;

/// <summary>
/// OR-merge of the S-side bitmap into the P-side one (resync), 1 TiB volumes (2 MiB bitmaps). Baseline: a
/// flat ulong[] |= loop, which is not safe against concurrent setters; the bitmap's merge is.
/// </summary>
[MemoryDiagnoser]
public class BitmapUnionBenchmarks
{
    private const long VolumeBlocks = (1L << 40) / 512;

    private DifferentialBitmap _target = null!;
    private DifferentialBitmap _source = null!;
    private ulong[] _flatTarget = null!;
    private ulong[] _flatSource = null!;

    /// <summary>Gets or sets one set track per this many in the source.</summary>
    [Params(2, 4096)]
    public int OneIn { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _target = new DifferentialBitmap(VolumeBlocks, TrackGeometry.Default);
        _source = new DifferentialBitmap(VolumeBlocks, TrackGeometry.Default);
        _flatTarget = new ulong[_target.TrackCount / 64];
        _flatSource = new ulong[_target.TrackCount / 64];
        SplitMix64 random = new(3);
        for (long i = 0; i < _target.TrackCount / OneIn; i++)
        {
            long track = (long)(random.NextUInt64() % (ulong)_target.TrackCount);
            _source.Set(track);
            _flatSource[track >> 6] |= 1UL << (int)(track & 63);
        }

        // The target has its own scattered marks so that its leaves exist, as on a split pair.
        for (long track = 0; track < _target.TrackCount; track += 65_536)
        {
            _target.Set(track);
        }
    }

    [IterationSetup]
    public void Reset()
    {
        Array.Clear(_flatTarget);
        _target.ClearAll();
        for (long track = 0; track < _target.TrackCount; track += 65_536)
        {
            _target.Set(track);
        }
    }

    [Benchmark(Baseline = true)]
    public void FlatOr()
    {
        ulong[] target = _flatTarget;
        ulong[] source = _flatSource;
        for (int i = 0; i < target.Length; i++)
        {
            target[i] |= source[i];
        }
    }

    [Benchmark]
    public void UnionWith()
    {
        _target.UnionWith(_source);
    }
}
