// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Controller.HostSim.Core.Load;
using Controller.HostSim.Core.Measurement;
using Controller.Traces;

namespace Controller.Benchmarks.Load;

/// <summary>
/// The load generator's own cost per command, against the null target (issue #6 budget: at least 1,000,000
/// commands per second on 2 cores). Baseline: the least any generator pays, the same slot loops awaiting the same
/// null target and timing each command into a histogram, but drawing nothing (fixed LBA, size and direction).
/// </summary>
[MemoryDiagnoser]
public class LoadGeneratorBenchmarks
{
    private const int Commands = 200_000;
    private LoadSpec _spec = null!;

    [Params(1, 32)]
    public int QueueDepth { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        BlockSizeMix.TryParse("4k/50:8k/25:64k/25", out BlockSizeMix mix, out _);
        _spec = new LoadSpec
        {
            Volumes = [(new TraceVolume(0x400104, 1), 1L << 21), (new TraceVolume(0x400104, 3), 1L << 21)],
            ReadPercent = 30,
            BlockSizes = mix,
            QueueDepth = QueueDepth,
            Seconds = 60,
            MaxCommands = Commands,
        };
    }

    [Benchmark(OperationsPerInvoke = Commands)]
    public long Generator()
    {
        LoadResult result = new LoadGenerator(_spec, new NullLoadTarget()).RunAsync().GetAwaiter().GetResult();
        return result.Reads + result.Writes;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Commands)]
    public long BareSlotLoops()
    {
        NullLoadTarget target = new();
        long started = 0;
        Task<long>[] slots = new Task<long>[QueueDepth];
        for (int slot = 0; slot < slots.Length; slot++)
        {
            int index = slot;
            slots[slot] = Task.Run(async () =>
            {
                LatencyHistogram latency = new();
                int synchronous = 0;
                long done = 0;
                while (Interlocked.Increment(ref started) <= Commands)
                {
                    long sent = Stopwatch.GetTimestamp();
                    ValueTask<bool> pending = target.ExecuteAsync(index, new LoadIo(0, true, 0, 8));
                    bool good = pending.IsCompletedSuccessfully ? pending.Result : await pending.ConfigureAwait(false);
                    latency.Record(Stopwatch.GetTimestamp() - sent);
                    done += good ? 1 : 0;
                    if (++synchronous == 64)
                    {
                        synchronous = 0;
                        await Task.Yield();
                    }
                }

                return done;
            });
        }

        long total = 0;
        foreach (Task<long> slot in slots)
        {
            total += slot.GetAwaiter().GetResult();
        }

        return total;
    }
}
