// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using BenchmarkDotNet.Attributes;
using Controller.Firmware.Media;

namespace Controller.Benchmarks.Media;

/// <summary>
/// 4 KiB reads and writes at random 4 KiB-aligned LBAs of a 1 GiB sparse RAM LDEV whose tracks are all
/// allocated (steady state). Baseline: the same 4 KiB copy into a flat 1 GiB array, the memcpy floor.
/// </summary>
[MemoryDiagnoser]
public class RamStoreBenchmarks
{
    private const int Operations = 4096;
    private const long Blocks = 1L << 21;

    private readonly long[] _lbas = WorkloadData.Random4KLbas(Operations, Blocks, seed: 11);
    private readonly byte[] _buffer = new byte[4096];
    private RamBlockStore _store = null!;
    private byte[] _flat = null!;

    [GlobalSetup]
    public void Setup()
    {
        _store = new RamBlockStore(Blocks, TrackGeometry.Default);
        _flat = new byte[Blocks * 512];
        byte[] track = new byte[64 * 1024];
        for (long lba = 0; lba < Blocks; lba += 128)
        {
            _store.Write(lba, track);
        }

        new Random(5).NextBytes(_buffer);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Operations)]
    public void FlatArrayCopy4K()
    {
        foreach (long lba in _lbas)
        {
            _buffer.AsSpan().CopyTo(_flat.AsSpan((int)(lba * 512)));
        }
    }

    [Benchmark(OperationsPerInvoke = Operations)]
    public MediaStatus Write4K()
    {
        MediaStatus status = MediaStatus.Good;
        foreach (long lba in _lbas)
        {
            status |= _store.Write(lba, _buffer);
        }

        return status;
    }

    [Benchmark(OperationsPerInvoke = Operations)]
    public MediaStatus Read4K()
    {
        MediaStatus status = MediaStatus.Good;
        foreach (long lba in _lbas)
        {
            status |= _store.Read(lba, _buffer);
        }

        return status;
    }
}
