// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Security.Cryptography;
using Controller.Addressing;
using Controller.Firmware.Media;
using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.Scheduling;
using Controller.Firmware.Volumes;
using Controller.Workload;

namespace Controller.Firmware.Tests.Pairs.Splits;

/// <summary>
/// A subsystem with V mirrored P-VOLs (LUNs 0x0001..) and their S-VOLs (LUNs 0x0101..) in PAIR, and the dependent
/// write chains of the consistency oracle running against the P-VOLs: each chain issues its next write from the
/// acknowledgement of the last, on the MP (deterministic mode: all on the test's thread, in the seed's order).
/// </summary>
internal sealed class SplitRig : IBlockCommandCompletion, IDisposable
{
    private readonly IScheduler _scheduler;
    private readonly DependentWriteRunner _runner;

    public SplitRig(IScheduler scheduler, int volumes, int chains, int mpCount = 2, int slotsPerChain = 3)
    {
        _scheduler = scheduler;
        Subsystem = new StorageSubsystem(scheduler, new SubsystemOptions { MpCount = mpCount, QueueDepth = 256 });
        Workload = new DependentWriteChains(chains, volumes, blocksPerWrite: 8, slotsPerChain);
        long blocks = Math.Max(Subsystem.Options.Geometry.BlocksPerTrack, Workload.BlocksPerVolume);
        for (int v = 0; v < volumes; v++)
        {
            PVols.Add(Subsystem.CreateLdev(new LdevId((ushort)(v + 1)), blocks));
            SVols.Add(Subsystem.CreateLdev(new LdevId((ushort)(0x100 + v + 1)), blocks));
        }

        _runner = new DependentWriteRunner(Workload, Submit);
    }

    public StorageSubsystem Subsystem { get; }

    public CopyManagementTable Pairs => Subsystem.Pairs;

    public DependentWriteChains Workload { get; }

    public List<Ldev> PVols { get; } = [];

    public List<Ldev> SVols { get; } = [];

    public DeterministicScheduler Deterministic => (DeterministicScheduler)_scheduler;

    /// <summary>Gets the number of good acknowledgements so far.</summary>
    public long Acks => _runner.Acks;

    /// <summary>Gets the number of chains with a write in flight.</summary>
    public int Active => _runner.Active;

    /// <summary>Gets the first failure a chain saw (a write not answered Good), if any.</summary>
    public string? Failure => _runner.Failure;

    public static VolumeAddress Address(Ldev volume)
    {
        return new VolumeAddress(new PortId(0x400104), new Lun(volume.Id.Value));
    }

    public PairAddress PairOf(int volume)
    {
        return new PairAddress(Address(PVols[volume]), Address(SVols[volume]));
    }

    public MirrorPair Pair(int volume)
    {
        return Pairs.Find(Address(PVols[volume]), Address(SVols[volume]))!;
    }

    /// <summary>Creates the pairs of the given volumes (all by default); call <see cref="Settle"/> for PAIR.</summary>
    public void CreatePairs(IEnumerable<int>? volumes = null)
    {
        foreach (int v in volumes ?? Enumerable.Range(0, PVols.Count))
        {
            PairCommandResponse response = Pairs.Create(Address(PVols[v]), PVols[v], Address(SVols[v]), SVols[v]);
            Assert.That(response.Succeeded, Is.True, response.Message);
        }
    }

    /// <summary>Deterministic mode: runs until idle.</summary>
    public void Settle()
    {
        Deterministic.RunUntilIdle();
    }

    /// <summary>Starts every chain.</summary>
    public void Start()
    {
        _runner.Start();
    }

    /// <summary>Chains stop issuing; those in flight finish.</summary>
    public void Stop()
    {
        _runner.Stop();
    }

    /// <summary>Deterministic mode: runs one step at a time until the condition holds.</summary>
    public void RunUntil(Func<bool> condition, string what, long maxSteps = 2_000_000)
    {
        for (long i = 0; !condition(); i++)
        {
            Assert.That(i < maxSteps && Deterministic.RunOne(), Is.True, "seed " + Deterministic.Seed + ": " + what + " within " + maxSteps + " steps");
        }
    }

    /// <summary>The oracle's view of a member's split image: its S-VOL's media.</summary>
    public bool ReadImage(int volume, long lba, Span<byte> block)
    {
        return SVols[volume].Media.Read(lba, block) == MediaStatus.Good;
    }

    public OracleVerdict Check(IReadOnlyCollection<int> members, long splitIssuedAt, long splitCompletedAt)
    {
        return ConsistencyOracle.Check(Workload, members, ReadImage, splitIssuedAt, splitCompletedAt);
    }

    public static string Checksum(Ldev volume)
    {
        byte[] all = new byte[volume.BlockCount * TrackGeometry.BlockSize];
        Assert.That(volume.Media.Read(0, all), Is.EqualTo(MediaStatus.Good));
        return Convert.ToHexString(SHA256.HashData(all));
    }

    public void Complete(in BlockCommand command, MediaStatus status)
    {
        _runner.Completed((int)command.Tag, status == MediaStatus.Good, status.ToString());
    }

    public void Dispose()
    {
        Subsystem.Dispose();
    }

    private void Submit(int chain, WriteRecord write, byte[] data)
    {
        BlockCommand command = new(BlockCommandKind.Write, PVols[write.Volume], write.Lba, new ArraySegment<byte>(data), this, chain);
        if (!Subsystem.TrySubmit(command))
        {
            // TASK SET FULL: the host retries a moment later.
            _scheduler.ScheduleAfter(TimeSpan.FromMilliseconds(0.1), new Retry(_runner, chain));
        }
    }

    private sealed class Retry(DependentWriteRunner runner, int chain) : IWorkItem
    {
        public void Execute()
        {
            runner.Retry(chain);
        }
    }
}
