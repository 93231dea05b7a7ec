// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Security.Cryptography;
using Controller.Firmware.Addressing;
using Controller.Firmware.Media;
using Controller.Firmware.Pairs;
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
    private readonly WriteRecord?[] _current;
    private readonly byte[][] _buffers;
    private readonly IScheduler _scheduler;
    private volatile bool _stopping;
    private int _active;
    private long _acks;

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

        _current = new WriteRecord?[chains];
        _buffers = new byte[chains][];
        for (int c = 0; c < chains; c++)
        {
            _buffers[c] = new byte[Workload.BlocksPerWrite * TrackGeometry.BlockSize];
        }
    }

    public StorageSubsystem Subsystem { get; }

    public CopyManagementTable Pairs => Subsystem.Pairs;

    public DependentWriteChains Workload { get; }

    public List<Ldev> PVols { get; } = [];

    public List<Ldev> SVols { get; } = [];

    public DeterministicScheduler Deterministic => (DeterministicScheduler)_scheduler;

    /// <summary>Gets the number of good acknowledgements so far.</summary>
    public long Acks => Interlocked.Read(ref _acks);

    /// <summary>Gets the number of chains with a write in flight.</summary>
    public int Active => Volatile.Read(ref _active);

    /// <summary>Gets the first failure a chain saw (a write not answered Good), if any.</summary>
    public string? Failure { get; private set; }

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
        for (int c = 0; c < _current.Length; c++)
        {
            Interlocked.Increment(ref _active);
            Issue(c);
        }
    }

    /// <summary>Chains stop issuing; those in flight finish.</summary>
    public void Stop()
    {
        _stopping = true;
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
        int chain = (int)command.Tag;
        WriteRecord write = _current[chain]!;
        if (status != MediaStatus.Good)
        {
            Failure ??= "write " + write.Id + " answered " + status;
            Interlocked.Decrement(ref _active);
            return;
        }

        Workload.Acknowledge(write);
        Interlocked.Increment(ref _acks);
        if (_stopping)
        {
            Interlocked.Decrement(ref _active);
            return;
        }

        Issue(chain);
    }

    public void Dispose()
    {
        Subsystem.Dispose();
    }

    private void Issue(int chain)
    {
        WriteRecord write = Workload.Issue(chain, _buffers[chain]);
        _current[chain] = write;
        Submit(chain, write);
    }

    private void Submit(int chain, WriteRecord write)
    {
        Ldev volume = PVols[write.Volume];
        BlockCommand command = new(BlockCommandKind.Write, volume, write.Lba, new ArraySegment<byte>(_buffers[chain]), this, chain);
        if (!Subsystem.TrySubmit(command))
        {
            // TASK SET FULL: the host retries a moment later.
            _scheduler.ScheduleAfter(TimeSpan.FromMilliseconds(0.1), new Retry(this, chain, write));
        }
    }

    private sealed class Retry(SplitRig rig, int chain, WriteRecord write) : IWorkItem
    {
        public void Execute()
        {
            rig.Submit(chain, write);
        }
    }
}
