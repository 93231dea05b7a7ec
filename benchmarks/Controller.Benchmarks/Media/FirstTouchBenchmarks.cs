// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using BenchmarkDotNet.Attributes;
using Controller.Firmware.Collections;
using Controller.Firmware.Media;

namespace Controller.Benchmarks.Media;

/// <summary>
/// First writes: one 4 KiB write into each track of an empty 64 MiB RAM LDEV (1,024 tracks of 64 KiB), a fresh
/// store per iteration, so every write allocates its track. Baseline: the store before issue #17, one pinned
/// array per track (<c>GC.AllocateArray(pinned: true)</c>) in the same sparse array; against it the slab
/// allocator (<see cref="RamBlockStore"/>, tracks carved from pinned slabs of up to 16 MiB).
/// </summary>
[MemoryDiagnoser]
public class FirstTouchBenchmarks
{
    private const int Tracks = 1024;
    private const int TrackSize = 64 * 1024;

    private readonly byte[] _buffer = new byte[4096];
    private SparseArray<byte[]> _perTrack = null!;
    private RamBlockStore _slabs = null!;

    [IterationSetup]
    public void FreshStores()
    {
        _perTrack = new SparseArray<byte[]>(Tracks);
        _slabs = new RamBlockStore(Tracks * 128L, TrackGeometry.Default);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Tracks)]
    public void PinnedArrayPerTrack()
    {
        for (long track = 0; track < Tracks; track++)
        {
            // The old RamBlockStore.Write's first touch, as it was.
            byte[] storage = _perTrack.Get(track) ?? _perTrack.GetOrSet(track, GC.AllocateArray<byte>(TrackSize, pinned: true));
            _buffer.AsSpan().CopyTo(storage.AsSpan(8192));
        }
    }

    [Benchmark(OperationsPerInvoke = Tracks)]
    public MediaStatus SlabTracks()
    {
        MediaStatus status = MediaStatus.Good;
        for (long track = 0; track < Tracks; track++)
        {
            status |= _slabs.Write((track * 128) + 16, _buffer);
        }

        return status;
    }
}
