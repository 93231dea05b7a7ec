// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Security.Cryptography;
using Controller.Addressing;
using Controller.Firmware.Media;
using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.Scheduling;
using Controller.Firmware.Volumes;

namespace Controller.Firmware.Tests.Pairs;

/// <summary>
/// A subsystem in deterministic mode with helpers for the pair-engine tests: LDEVs at FIG 7 addresses, host
/// writes submitted and their completions recorded (with what every other volume held at that moment), and
/// volume checksums.
/// </summary>
internal sealed class MirrorRig : IBlockCommandCompletion, IDisposable
{
    private readonly Dictionary<long, HostWrite> _writes = [];
    private long _nextTag = 1;

    public MirrorRig(ulong seed, CopyPace? pace = null, int mpCount = 2, int queueDepth = 64)
    {
        Scheduler = new DeterministicScheduler(seed);
        Subsystem = new StorageSubsystem(Scheduler, new SubsystemOptions { MpCount = mpCount, QueueDepth = queueDepth, CopyPace = pace ?? CopyPace.Default });
    }

    public DeterministicScheduler Scheduler { get; }

    public StorageSubsystem Subsystem { get; }

    public CopyManagementTable Pairs => Subsystem.Pairs;

    /// <summary>Gets or sets what each completion snapshots: the volumes whose block range is copied at ack time.</summary>
    public IReadOnlyList<Ldev> WatchAtAck { get; set; } = [];

    public static VolumeAddress Address(ushort lun)
    {
        return new VolumeAddress(new PortId(0x400104), new Lun(lun));
    }

    public Ldev Volume(ushort id, long blocks)
    {
        return Subsystem.FindLdev(new LdevId(id)) ?? Subsystem.CreateLdev(new LdevId(id), blocks);
    }

    public MirrorPair CreatePair(Ldev pVol, Ldev sVol)
    {
        PairCommandResponse response = Pairs.Create(Address(pVol.Id.Value), pVol, Address(sVol.Id.Value), sVol);
        Assert.That(response.Succeeded, Is.True, response.Message);
        return Pairs.Find(Address(pVol.Id.Value), Address(sVol.Id.Value))!;
    }

    public PairCommandResponse Command(MirrorPair pair, PairOperation operation, SplitMode mode = SplitMode.ReadOnly)
    {
        return Pairs.Execute(pair.PVolAddress, pair.SVolAddress, operation, mode);
    }

    /// <summary>Fills a volume directly on its media (below the controller) with a seeded pattern.</summary>
    public static void Fill(Ldev volume, ulong seed)
    {
        SplitMix64 random = new(seed);
        byte[] track = new byte[volume.Geometry.TrackSizeBytes];
        for (long lba = 0; lba < volume.BlockCount; lba += volume.Geometry.BlocksPerTrack)
        {
            long blocks = Math.Min(volume.Geometry.BlocksPerTrack, volume.BlockCount - lba);
            Span<byte> data = track.AsSpan(0, (int)(blocks * TrackGeometry.BlockSize));
            FillRandom(random, data);
            Assert.That(volume.Media.Write(lba, data), Is.EqualTo(MediaStatus.Good));
        }
    }

    public static byte[] Pattern(ulong seed, int blocks)
    {
        byte[] data = new byte[blocks * TrackGeometry.BlockSize];
        FillRandom(new SplitMix64(seed), data);
        return data;
    }

    public static byte[] ReadAll(Ldev volume)
    {
        byte[] all = new byte[volume.BlockCount * TrackGeometry.BlockSize];
        Assert.That(volume.Media.Read(0, all), Is.EqualTo(MediaStatus.Good));
        return all;
    }

    public static string Checksum(Ldev volume)
    {
        return Convert.ToHexString(SHA256.HashData(ReadAll(volume)));
    }

    /// <summary>Submits a host write; false when the MP's host queue share is full (BUSY).</summary>
    public bool TrySubmitWrite(Ldev volume, long lba, byte[] data, out long tag)
    {
        tag = _nextTag++;
        HostWrite write = new(volume, lba, data);
        BlockCommand command = new(BlockCommandKind.Write, volume, lba, new ArraySegment<byte>(data), this, tag);
        if (!Subsystem.TrySubmit(command))
        {
            return false;
        }

        _writes[tag] = write;
        return true;
    }

    /// <summary>Submits a host write, running the scheduler while the queue is full.</summary>
    public long SubmitWrite(Ldev volume, long lba, byte[] data)
    {
        long tag;
        while (!TrySubmitWrite(volume, lba, data, out tag))
        {
            Assert.That(Scheduler.RunOne(), Is.True, "a full queue drains");
        }

        return tag;
    }

    /// <summary>Writes and runs until idle; returns the write's status.</summary>
    public MediaStatus Write(Ldev volume, long lba, byte[] data)
    {
        long tag = SubmitWrite(volume, lba, data);
        Scheduler.RunUntilIdle();
        return Completed(tag).Status;
    }

    public HostWrite Completed(long tag)
    {
        HostWrite write = _writes[tag];
        Assert.That(write.IsComplete, Is.True, "write " + tag + " completed");
        return write;
    }

    public IEnumerable<HostWrite> Writes => _writes.Values;

    public void Complete(in BlockCommand command, MediaStatus status)
    {
        HostWrite write = _writes[command.Tag];
        Assert.That(write.IsComplete, Is.False, "a write completes once");
        write.Status = status;
        write.IsComplete = true;
        foreach (Ldev watched in WatchAtAck)
        {
            byte[] seen = new byte[write.Data.Length];
            Assert.That(watched.Media.Read(write.Lba, seen), Is.EqualTo(MediaStatus.Good));
            write.SeenAtAck[watched.Id] = seen;
        }
    }

    public void Dispose()
    {
        Subsystem.Dispose();
    }

    private static void FillRandom(SplitMix64 random, Span<byte> data)
    {
        for (int i = 0; i + 8 <= data.Length; i += 8)
        {
            BitConverter.TryWriteBytes(data[i..], random.NextUInt64());
        }
    }

    internal sealed class HostWrite(Ldev volume, long lba, byte[] data)
    {
        public Ldev Volume { get; } = volume;

        public long Lba { get; } = lba;

        public byte[] Data { get; } = data;

        public bool IsComplete { get; set; }

        public MediaStatus Status { get; set; }

        public Dictionary<LdevId, byte[]> SeenAtAck { get; } = [];
    }
}
