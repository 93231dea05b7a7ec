// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.HostSim.Core.Load;
using Controller.Traces;

namespace Controller.HostSim.Tests.Load;

public sealed class LoadGeneratorTests
{
    private static readonly TraceVolume s_a = new(0x400104, 0x0001);
    private static readonly TraceVolume s_b = new(0x421014, 0x0005);

    [Test]
    public async Task TheMixTheSizesAndTheLbaRangeAreWhatTheSpecAsks()
    {
        BlockSizeMix.TryParse("4k/50:64k/50", out BlockSizeMix mix, out _);
        CapturingTarget target = new();
        LoadSpec spec = new() { Volumes = [(s_a, 1 << 16), (s_b, 1 << 12)], ReadPercent = 30, BlockSizes = mix, Seconds = 0.3, QueueDepth = 4 };

        LoadResult result = await new LoadGenerator(spec, target).RunAsync();

        List<LoadIo> ios = target.Snapshot();
        Assert.That(ios, Has.Count.GreaterThan(10_000), "a null target answers at once: many commands in 0.3 s");
        Assert.That(result.Reads + result.Writes, Is.EqualTo(ios.Count), "every command is counted once");
        Assert.That((double)result.Reads / ios.Count, Is.InRange(0.28, 0.32), "30% reads");
        Assert.That(ios.TrueForAll(io => io.Blocks is 8 or 128), Is.True, "only 4 KiB and 64 KiB commands");
        Assert.That((double)ios.FindAll(io => io.Blocks == 8).Count / ios.Count, Is.InRange(0.48, 0.52), "half of each size");
        Assert.That(ios.TrueForAll(io => io.Lba % io.Blocks == 0), Is.True, "random offsets are aligned to the command's size, as fio's");
        Assert.That(ios.TrueForAll(io => io.Lba + io.Blocks <= (io.Volume == 0 ? 1 << 16 : 1 << 12)), Is.True, "no command runs past its volume");
        Assert.That((double)ios.FindAll(io => io.Volume == 1).Count / ios.Count, Is.InRange(0.48, 0.52), "the two LUNs share the load");
    }

    [Test]
    public async Task ASequentialLoadWalksEachVolumeInOrder()
    {
        BlockSizeMix.TryParse("4k", out BlockSizeMix mix, out _);
        CapturingTarget target = new();
        LoadSpec spec = new() { Volumes = [(s_a, 1 << 20)], BlockSizes = mix, Sequential = true, Seconds = 0.1, QueueDepth = 1 };

        await new LoadGenerator(spec, target).RunAsync();

        List<LoadIo> ios = target.Snapshot();
        for (int i = 0; i < Math.Min(ios.Count, 1000); i++)
        {
            Assert.That(ios[i].Lba, Is.EqualTo(i * 8L), "command " + i + " follows the one before");
        }
    }

    [Test]
    public async Task TheSameSeedDrawsTheSameCommands()
    {
        BlockSizeMix.TryParse("4k/25:8k/75", out BlockSizeMix mix, out _);
        LoadSpec spec = new() { Volumes = [(s_a, 1 << 20), (s_b, 1 << 20)], ReadPercent = 50, BlockSizes = mix, Seconds = 0.05, QueueDepth = 1, Seed = 7 };
        CapturingTarget first = new();
        CapturingTarget second = new();

        await new LoadGenerator(spec, first).RunAsync();
        await new LoadGenerator(spec, second).RunAsync();

        int common = Math.Min(first.Snapshot().Count, second.Snapshot().Count);
        Assert.That(first.Snapshot().GetRange(0, common), Is.EqualTo(second.Snapshot().GetRange(0, common)), "one slot, one seed: the same stream");
    }

    [Test]
    public async Task ARateLimitNeverStartsMoreThanTheRateAllows()
    {
        BlockSizeMix.TryParse("4k", out BlockSizeMix mix, out _);
        CapturingTarget target = new();
        LoadSpec spec = new() { Volumes = [(s_a, 1 << 20)], BlockSizes = mix, Seconds = 0.3, QueueDepth = 8, RateLimit = 2_000 };

        LoadResult result = await new LoadGenerator(spec, target).RunAsync();

        // Command n starts no earlier than n / rate after the start: at most rate x elapsed + 1 commands.
        Assert.That(result.Reads + result.Writes, Is.LessThanOrEqualTo((long)(2_000 * result.Seconds) + 1), "paced to the rate");
    }

    [Test]
    public async Task WithSerializeOverlapNoTwoOutstandingCommandsTouchTheSameBlocks()
    {
        BlockSizeMix.TryParse("4k", out BlockSizeMix mix, out _);
        OverlapCheckingTarget target = new();

        // 16 blocks of 4 KiB and 8 slots: most draws collide, so the redraw is exercised hard.
        LoadSpec spec = new() { Volumes = [(s_a, 128)], ReadPercent = 50, BlockSizes = mix, Seconds = 0.2, QueueDepth = 8, SerializeOverlap = true };

        LoadResult result = await new LoadGenerator(spec, target).RunAsync();

        Assert.That(target.Violations, Is.Zero, "an outstanding write and any other command never share a block");
        Assert.That(result.Redrawn, Is.GreaterThan(0), "collisions were drawn again");
        Assert.That(result.Reads + result.Writes, Is.GreaterThan(100), "and the load still ran");
    }

    [TestCase("4k", true)]
    [TestCase("4k/50:64k/50", true)]
    [TestCase("3000", false)]
    [TestCase("4k/50:8k/40", false)]
    [TestCase("4k/50", false)]
    [TestCase("4k:8k", false)]
    [TestCase("32m", false)]
    public void BlockSizeMixesAreFioBssplitNotation(string text, bool valid)
    {
        Assert.That(BlockSizeMix.TryParse(text, out _, out string? error), Is.EqualTo(valid), text + ": " + error);
    }

    private sealed class CapturingTarget : ILoadTarget
    {
        private readonly List<LoadIo> _ios = [];

        public List<LoadIo> Snapshot()
        {
            lock (_ios)
            {
                return [.. _ios];
            }
        }

        public ValueTask<bool> ExecuteAsync(int slot, LoadIo io)
        {
            lock (_ios)
            {
                _ios.Add(io);
            }

            return new ValueTask<bool>(true);
        }
    }

    // Answers after a yield, so commands really are outstanding together, and checks each against the others.
    private sealed class OverlapCheckingTarget : ILoadTarget
    {
        private readonly List<LoadIo> _outstanding = [];

        public int Violations { get; private set; }

        public async ValueTask<bool> ExecuteAsync(int slot, LoadIo io)
        {
            lock (_outstanding)
            {
                foreach (LoadIo other in _outstanding)
                {
                    if (other.Volume == io.Volume && (other.IsWrite || io.IsWrite) && other.Lba < io.Lba + io.Blocks && io.Lba < other.Lba + other.Blocks)
                    {
                        Violations++;
                    }
                }

                _outstanding.Add(io);
            }

            await Task.Yield();
            lock (_outstanding)
            {
                _outstanding.Remove(io);
            }

            return true;
        }
    }
}
