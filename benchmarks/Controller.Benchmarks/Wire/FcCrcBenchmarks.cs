// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using BenchmarkDotNet.Attributes;
using Controller.Wire;

namespace Controller.Benchmarks.Wire;

/// <summary>
/// The FC CRC of one full FCP_DATA frame (24-byte header + 2,048 bytes of data): every write's data is covered
/// twice (sent and checked), so this is the per-byte cost of the transport. Baseline: the slicing-by-8 tables.
/// </summary>
[MemoryDiagnoser]
public class FcCrcBenchmarks
{
    private readonly byte[] _frame = new byte[FcFrameHeader.Length + 2048];

    [GlobalSetup]
    public void Setup()
    {
        new Random(7).NextBytes(_frame);
    }

    [Benchmark(Baseline = true)]
    public uint SlicingByEight()
    {
        return FcCrc.ComputeWithTables(_frame);
    }

    [Benchmark]
    public uint CarrylessFolding()
    {
        return FcCrc.Compute(_frame);
    }
}
