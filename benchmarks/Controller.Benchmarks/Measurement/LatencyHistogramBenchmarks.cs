// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using BenchmarkDotNet.Attributes;
using Controller.HostSim.Core.Measurement;
using HdrHistogram;

namespace Controller.Benchmarks.Measurement;

/// <summary>
/// The cost of recording one latency: hostsim's <see cref="LatencyHistogram"/> (128 sub-buckets per power of two)
/// against HdrHistogram's <see cref="LongHistogram"/> at 3 significant digits over 1 ns to 1 hour (the precision a
/// latency report uses). Baseline: HdrHistogram. The setup also prints each one's largest relative error at p50,
/// p90, p99, p99.9 and p99.99 against the exact nearest-rank percentiles of the same samples, so the record cost is
/// read beside the accuracy it buys.
/// </summary>
[MemoryDiagnoser]
public class LatencyHistogramBenchmarks
{
    private const int Samples = 1 << 16;
    private static readonly double[] s_fractions = [0.5, 0.9, 0.99, 0.999, 0.9999];

    private readonly long[] _latencies = new long[Samples];
    private LatencyHistogram _own = null!;
    private LongHistogram _hdr = null!;

    [GlobalSetup]
    public void Setup()
    {
        // Log-normal latencies around 20 us with a long tail (to tens of ms), as a loaded controller shows.
        Random random = new(20261207);
        for (int i = 0; i < Samples; i++)
        {
            double normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            _latencies[i] = (long)Math.Exp(Math.Log(20_000) + (1.2 * normal));
        }

        _own = new LatencyHistogram();
        _hdr = new LongHistogram(TimeSpan.TicksPerHour * 100, 3);
        foreach (long latency in _latencies)
        {
            _own.Record(latency);
            _hdr.RecordValue(latency);
        }

        long[] sorted = (long[])_latencies.Clone();
        Array.Sort(sorted);
        double ownWorst = 0;
        double hdrWorst = 0;
        foreach (double fraction in s_fractions)
        {
            long exact = sorted[Math.Clamp((int)Math.Ceiling(fraction * Samples) - 1, 0, Samples - 1)];
            ownWorst = Math.Max(ownWorst, Math.Abs(_own.Percentile(fraction) - exact) / (double)exact);
            hdrWorst = Math.Max(hdrWorst, Math.Abs(_hdr.GetValueAtPercentile(fraction * 100) - exact) / (double)exact);
        }

        Console.WriteLine($"// accuracy over p50..p99.99 of {Samples} log-normal samples: LatencyHistogram worst {ownWorst:P3}, HdrHistogram(3 digits) worst {hdrWorst:P3}; memory {LatencyHistogramBytes} B against {_hdr.GetEstimatedFootprintInBytes()} B");
    }

    private static int LatencyHistogramBytes => (64 - 7 + 1) * 128 * sizeof(long);

    [Benchmark(Baseline = true, OperationsPerInvoke = Samples)]
    public long HdrHistogramRecord()
    {
        LongHistogram histogram = _hdr;
        foreach (long latency in _latencies)
        {
            histogram.RecordValue(latency);
        }

        return histogram.TotalCount;
    }

    [Benchmark(OperationsPerInvoke = Samples)]
    public long LatencyHistogramRecord()
    {
        LatencyHistogram histogram = _own;
        foreach (long latency in _latencies)
        {
            histogram.Record(latency);
        }

        return histogram.Count;
    }
}
