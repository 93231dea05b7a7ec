// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics;
using System.Globalization;
using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.HostSim.Core.Bench;

namespace Controller.HostSim.Bench;

/// <summary>
/// <c>hostsim bench split</c>: for each member count and mechanism, an embedded controller under the same closed
/// loop of 4 KiB writes; first the load alone (the baseline), then repeated atomic splits of the members, each
/// followed by a resync back to PAIR. Measures the split latency (command to answer), the writes held and their
/// hold, and the host write latency during the splits against the baseline.
/// </summary>
internal static class SplitBench
{
    private const int WarmupSplits = 40;

    /// <summary>The first line of the <c>--samples</c> file.</summary>
    public const string SamplesHeader = "members,mechanism,split,start_monotonic_s,latency_us,drain_us,held_writes";

    public static SplitBenchResult Run(SplitBenchOptions options, int members, AtomicSplitMechanism mechanism)
    {
        using SplitLoadRig rig = new(members, options.LoadLuns, options.QueueDepth, options.Seed, options.Mps);
        rig.Start();

        // Warm-up: the load, and splits and resyncs until the split path is compiled at its final tier before it is
        // timed. Tiered compilation recompiles a method after 30 calls, on a background thread that takes a core from
        // an MP: with 5 warm-up splits it ran inside timed splits and made some of their tails (docs/performance.md).
        for (int i = 0; i < WarmupSplits; i++)
        {
            rig.Split(mechanism);
            rig.ResyncMembers();
        }

        Thread.Sleep(TimeSpan.FromSeconds(options.WarmupSeconds));

        // What setting up and warming up left on the heap is collected now, not by the first collection of the timed
        // splits (a gen-1 collection promoting the setup's megabytes paused every thread for 7-10 ms there).
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        rig.Phase = SplitLoadRig.LoadPhase.Baseline;
        Thread.Sleep(TimeSpan.FromSeconds(options.BaselineSeconds));
        rig.Phase = SplitLoadRig.LoadPhase.Splitting;
        int gcBefore = GC.CollectionCount(0);
        TimeSpan pauseBefore = GC.GetTotalPauseDuration();
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        List<long> latencies = new(options.Splits);
        List<long> holds = [];
        List<int> held = new(options.Splits);
        List<long> drains = new(options.Splits);
        List<long> commits = new(options.Splits);
        List<long> releases = new(options.Splits);
        string? failure = null;
        for (int i = 0; i < options.Splits && failure is null; i++)
        {
            (TimeSpan latency, AtomicSplitResult result) = rig.Split(mechanism);
            if (!result.Succeeded)
            {
                failure = "split " + (i + 1) + ": " + result.Message;
                break;
            }

            latencies.Add(latency.Ticks * 100);
            options.Samples?.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{members},{SplitBenchResult.Name(mechanism)},{i + 1},{(double)rig.LastSplitStarted / Stopwatch.Frequency:F6},{latency.TotalMicroseconds:F1},{result.Telemetry!.Drain.TotalMicroseconds:F1},{result.Telemetry.HeldWrites}"));
            held.Add(result.Telemetry!.HeldWrites);
            drains.Add(result.Telemetry.Drain.Ticks * 100);
            if (result.Telemetry.Commit is TimeSpan commit)
            {
                commits.Add(commit.Ticks * 100);
            }

            if (result.Telemetry.Release is TimeSpan release)
            {
                releases.Add(release.Ticks * 100);
            }

            foreach (TimeSpan hold in result.Telemetry.HoldSamples)
            {
                holds.Add(hold.Ticks * 100);
            }

            rig.ResyncMembers();
        }

        int collections = GC.CollectionCount(0) - gcBefore;
        TimeSpan pause = GC.GetTotalPauseDuration() - pauseBefore;
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

        // The baseline for the split itself: the same members split by plain PAIR SPLITs one after another (no
        // common point), then resynced.
        TimeSpan oneByOne = rig.SplitOneByOne();
        rig.ResyncMembers();
        rig.Stop();
        return new SplitBenchResult
        {
            Mps = rig.Subsystem.Mps.Count,
            Members = members,
            Mechanism = mechanism,
            Splits = latencies.Count,
            SplitLatency = Summary.Of(latencies),
            Drain = Summary.Of(drains),
            Commit = Summary.Of(commits),
            Release = Summary.Of(releases),
            HeldWritesPerSplit = held.Count == 0 ? 0 : held.Average(),
            HeldWritesMax = held.Count == 0 ? 0 : held.Max(),
            Hold = Summary.Of(holds),
            OneByOneMicroseconds = oneByOne.TotalMicroseconds,
            Baseline = rig.Latency(SplitLoadRig.LoadPhase.Baseline),
            DuringSplits = rig.Latency(SplitLoadRig.LoadPhase.Splitting, duringSplitsOnly: true),
            SplitPhase = rig.Latency(SplitLoadRig.LoadPhase.Splitting),
            HostErrors = rig.Errors,
            GarbageCollections = collections,
            GcPause = pause,
            AllocatedBytesPerSplit = latencies.Count == 0 ? 0 : allocated / latencies.Count,
            Failure = failure,
        };
    }

    /// <summary>p50, p99 and max of nanosecond samples, in microseconds.</summary>
    internal readonly record struct Summary(double P50, double P99, double Max)
    {
        public static Summary Of(List<long> nanoseconds)
        {
            if (nanoseconds.Count == 0)
            {
                return default;
            }

            long[] sorted = [.. nanoseconds];
            Array.Sort(sorted);
            return new Summary(Rank(sorted, 0.50) / 1000.0, Rank(sorted, 0.99) / 1000.0, sorted[^1] / 1000.0);
        }

        private static long Rank(long[] sorted, double fraction)
        {
            int rank = (int)Math.Ceiling(fraction * sorted.Length);
            return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
        }
    }
}
