// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.Media;
using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.RemoteCopy;
using Controller.Firmware.Scheduling;
using Controller.Firmware.Volumes;

namespace Controller.Firmware.Tests.RemoteCopy;

/// <summary>
/// Two subsystems on one deterministic scheduler, joined by a <see cref="ScheduledRemotePath"/> (seed 000 FIG 2):
/// SS1 with target port 0x400104 and remote-copy initiator 0x400200, SS2 with target port 0x421014. Volumes are
/// LDEVs whose number is their LUN; host writes are recorded with what chosen volumes held when they were answered.
/// </summary>
internal sealed class TwoSubsystemRig : IBlockCommandCompletion, IDisposable
{
    public const uint Ss1Port = 0x400104;
    public const uint Ss2Port = 0x421014;
    public const int Ss1Initiator = 0x400200;
    public const int Ss2Initiator = 0x421200;

    private readonly Dictionary<long, HostWrite> _writes = [];
    private long _nextTag = 1;

    /// <param name="seed">The scheduler's seed.</param>
    /// <param name="pace">The copy pace.</param>
    /// <param name="mpCount">MPs per subsystem.</param>
    /// <param name="bothWays">Also a path SS2 -> SS1 (initiator 0x421200): commands sent to SS2's S-VOLs reach their owner, and a swap can move it.</param>
    /// <param name="configure">Changes both subsystems' options, or null.</param>
    /// <param name="latency">A one-way delay on each path (virtual time: <see cref="DelayedRemotePath"/>), or null for none.</param>
    public TwoSubsystemRig(ulong seed, CopyPace? pace = null, int mpCount = 2, bool bothWays = false, Func<SubsystemOptions, SubsystemOptions>? configure = null, (TimeSpan Forward, TimeSpan Reverse)? latency = null)
    {
        Scheduler = new DeterministicScheduler(seed);
        SubsystemOptions options = new() { MpCount = mpCount, QueueDepth = 256, CopyPace = pace ?? CopyPace.Default };
        options = configure?.Invoke(options) ?? options;
        Ss1 = new StorageSubsystem(Scheduler, options);
        Ss2 = new StorageSubsystem(Scheduler, options);
        Path = new ScheduledRemotePath("SS1->SS2", Scheduler, Ss1Initiator, Ss2.Pairs, Ss2Volume, port => port.Value == Ss2Port);
        Ss1.Pairs.AddRemotePath(latency is null ? Path : new DelayedRemotePath(Path, latency.Value.Forward, Scheduler));
        if (bothWays)
        {
            ReversePath = new ScheduledRemotePath("SS2->SS1", Scheduler, Ss2Initiator, Ss1.Pairs, Ss1Volume, port => port.Value == Ss1Port);
            Ss2.Pairs.AddRemotePath(latency is null ? ReversePath : new DelayedRemotePath(ReversePath, latency.Value.Reverse, Scheduler));
        }
    }

    public DeterministicScheduler Scheduler { get; }

    public StorageSubsystem Ss1 { get; }

    public StorageSubsystem Ss2 { get; }

    public ScheduledRemotePath Path { get; }

    /// <summary>Gets the path SS2 -> SS1, when the rig was built both ways.</summary>
    public ScheduledRemotePath? ReversePath { get; }

    /// <summary>Takes the remote-copy link down (both directions: one cable).</summary>
    public void LinkDown()
    {
        Path.Down();
        ReversePath?.Down();
    }

    /// <summary>Brings the link back up (both directions).</summary>
    public void LinkUp()
    {
        Path.Up();
        ReversePath?.Up();
    }

    /// <summary>Gets or sets the volumes each host write's answer snapshots (their blocks at the written range).</summary>
    public IReadOnlyList<Ldev> WatchAtAck { get; set; } = [];

    public static VolumeAddress At1(ushort lun)
    {
        return new VolumeAddress(new PortId(Ss1Port), new Lun(lun));
    }

    public static VolumeAddress At2(ushort lun)
    {
        return new VolumeAddress(new PortId(Ss2Port), new Lun(lun));
    }

    public Ldev Volume1(ushort lun, long blocks)
    {
        return Ss1.FindLdev(new LdevId(lun)) ?? Ss1.CreateLdev(new LdevId(lun), blocks);
    }

    public Ldev Volume2(ushort lun, long blocks)
    {
        return Ss2.FindLdev(new LdevId(lun)) ?? Ss2.CreateLdev(new LdevId(lun), blocks);
    }

    /// <summary>Creates the remote pair LV(lun1) in SS1 -> LV(lun2) in SS2 and runs until it has answered.</summary>
    public PairCommandResponse CreateRemote(ushort lun1, ushort lun2, FenceLevel fence = FenceLevel.Never)
    {
        Task<PairCommandResponse> answer = Ss1.Pairs.CreateRemoteAsync(At1(lun1), Ss1.FindLdev(new LdevId(lun1))!, At2(lun2), fence);
        return Await(answer);
    }

    /// <summary>Runs a command at SS1 (or SS2) and runs the scheduler until it has answered.</summary>
    public PairCommandResponse Command(StorageSubsystem at, ushort lun1, ushort lun2, PairOperation operation, SplitMode mode = SplitMode.ReadOnly)
    {
        return Await(at.Pairs.ExecuteAsync(At1(lun1), At2(lun2), operation, mode));
    }

    /// <summary>Runs ready work (never the clock) until the task has ended.</summary>
    public PairCommandResponse Await(Task<PairCommandResponse> answer)
    {
        while (!answer.IsCompleted && Scheduler.RunOne())
        {
        }

        Assert.That(answer.IsCompleted, Is.True, "the command was answered");
        return answer.Result;
    }

    /// <summary>Runs ready work without moving the clock: paced copies stay where they are.</summary>
    public void RunReady()
    {
        while (Scheduler.ReadyCount > 0)
        {
            Scheduler.RunOne();
        }
    }

    public MirrorPair Primary(ushort lun1, ushort lun2)
    {
        return Ss1.Pairs.Find(At1(lun1), At2(lun2))!;
    }

    public MirrorPair? Secondary(ushort lun1, ushort lun2)
    {
        return Ss2.Pairs.Find(At1(lun1), At2(lun2));
    }

    public long SubmitWrite(Ldev volume, long lba, byte[] data)
    {
        long tag = _nextTag++;
        _writes[tag] = new HostWrite(volume, lba, data);
        StorageSubsystem owner = Ss1.FindLdev(volume.Id) == volume ? Ss1 : Ss2;
        while (!owner.TrySubmit(new BlockCommand(BlockCommandKind.Write, volume, lba, new ArraySegment<byte>(data), this, tag)))
        {
            Assert.That(Scheduler.RunOne(), Is.True, "a full queue drains");
        }

        return tag;
    }

    public MediaStatus Write(Ldev volume, long lba, byte[] data)
    {
        long tag = SubmitWrite(volume, lba, data);
        Scheduler.RunUntilIdle();
        return Completed(tag).Status;
    }

    public HostWrite Completed(long tag)
    {
        HostWrite write = _writes[tag];
        Assert.That(write.IsComplete, Is.True, "write " + tag + " was answered");
        return write;
    }

    public IEnumerable<HostWrite> Writes => _writes.Values;

    public void Complete(in BlockCommand command, MediaStatus status)
    {
        HostWrite write = _writes[command.Tag];
        Assert.That(write.IsComplete, Is.False, "a write is answered once");
        write.Status = status;
        write.IsComplete = true;
        foreach (Ldev watched in WatchAtAck)
        {
            byte[] seen = new byte[write.Data.Length];
            Assert.That(watched.Media.Read(write.Lba, seen), Is.EqualTo(MediaStatus.Good));
            write.SeenAtAck.Add(seen);
        }
    }

    // The volume images of the one-subsystem rig: the same seeded patterns and checksums.
    public static byte[] Pattern(ulong seed, int blocks) => Pairs.MirrorRig.Pattern(seed, blocks);

    public static void Fill(Ldev volume, ulong seed) => Pairs.MirrorRig.Fill(volume, seed);

    public static string Checksum(Ldev volume) => Pairs.MirrorRig.Checksum(volume);

    public void Dispose()
    {
        Ss1.Dispose();
        Ss2.Dispose();
    }

    private Ldev? Ss1Volume(VolumeAddress address)
    {
        return address.PortId.Value == Ss1Port ? Ss1.FindLdev(new LdevId(address.Lun.Value)) : null;
    }

    private Ldev? Ss2Volume(VolumeAddress address)
    {
        return address.PortId.Value == Ss2Port ? Ss2.FindLdev(new LdevId(address.Lun.Value)) : null;
    }

    internal sealed class HostWrite(Ldev volume, long lba, byte[] data)
    {
        public Ldev Volume { get; } = volume;

        public long Lba { get; } = lba;

        public byte[] Data { get; } = data;

        public bool IsComplete { get; set; }

        public MediaStatus Status { get; set; }

        public List<byte[]> SeenAtAck { get; } = [];
    }
}
