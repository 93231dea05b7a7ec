// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using Controller.Addressing;
using Controller.Firmware;
using Controller.Firmware.Addressing;
using Controller.Firmware.Bitmaps;
using Controller.Firmware.Media;
using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.Scheduling;
using Controller.Firmware.Volumes;
using Controller.HostSim.Core.Pairs;
using Controller.Target;
using Controller.Target.Scsi;
using Controller.Wire.Pcap;

namespace Controller.HostSim;

/// <summary>
/// The demo of what exists so far (issues #2 and #3): an embedded controller with the FIG 7 ports and LUNs over
/// sparse RAM LDEVs, two host threads writing stamped 4 KiB blocks through LUN security and the MP queues,
/// every write marking its LDEV's differential bitmap, and a read-back check of every block's last write; then a
/// local mirror 0x400104/0x0001 -> 0x400104/0x0002 through its life: initial copy, mirrored writes, a split with
/// writes marked, a resync copying exactly the marked tracks, each step checked by comparing the volumes.
/// </summary>
internal sealed class MediaDemo : IBlockCommandCompletion
{
    private const int BlockBytes = 4096;
    private const long LdevBlocks = 1L << 21;

    // Writes land in the first 16 MiB of each 1 GiB LDEV: tracks are rewritten many times and the sparse
    // store shows that memory follows the data written, not the capacity.
    private const long HotBlocks = 1L << 15;
    private static readonly PortId Initiator = new(0x010200);
    private static readonly PortId Stranger = new(0x010300);

    private readonly Dictionary<LdevId, Ldev> _ldevs = [];
    private readonly Dictionary<LdevId, DifferentialBitmap> _bitmaps = [];
    private readonly StorageSubsystem _subsystem = new(RealTimeScheduler.Instance, new SubsystemOptions { MpCount = 2 });
    private readonly TargetPort[] _ports = [new(new PortId(0x400104)), new(new PortId(0x421014))];
    private CountdownEvent? _outstanding;

    /// <summary>Runs the demo.</summary>
    /// <param name="writesPerHost">How many writes each of the two host threads issues.</param>
    /// <param name="seed">Seeds the hosts' choice of LUN and LBA.</param>
    /// <returns>The report.</returns>
    public static MediaDemoReport Run(int writesPerHost, ulong seed)
    {
        return Run(writesPerHost, seed, recordPath: null);
    }

    /// <summary>Runs the demo, recording its FC phase.</summary>
    /// <param name="writesPerHost">How many writes each of the two host threads issues.</param>
    /// <param name="seed">Seeds the hosts' choice of LUN and LBA.</param>
    /// <param name="recordPath">The pcap file the atomic-split phase's frames go to, or null.</param>
    /// <returns>The report.</returns>
    public static MediaDemoReport Run(int writesPerHost, ulong seed, string? recordPath)
    {
        MediaDemo demo = new();
        demo.Configure();
        using PcapFrameTap? tap = recordPath is null ? null : PcapFrameTap.Create(recordPath);
        return demo.Drive(writesPerHost, seed, tap, recordPath);
    }

    /// <inheritdoc/>
    public void Complete(in BlockCommand command, MediaStatus status)
    {
        // Runs on the LDEV's MP, after the media write: mark the tracks, free the buffer, count it done.
        if (status == MediaStatus.Good)
        {
            _bitmaps[command.Ldev.Id].MarkWrite(command.Lba, command.Buffer.Count / TrackGeometry.BlockSize);
        }

        ArrayPool<byte>.Shared.Return(command.Buffer.Array!);
        _outstanding!.Signal();
    }

    private void Configure()
    {
        TrackGeometry geometry = TrackGeometry.Default;

        // FIG 7: LUNs 0x0001-0x0004 on port 0x400104, LUN 0x0005 on port 0x421014.
        for (ushort n = 1; n <= 5; n++)
        {
            LdevId id = new(n);
            _ldevs[id] = _subsystem.CreateLdev(id, LdevBlocks);
            _bitmaps[id] = new DifferentialBitmap(LdevBlocks, geometry);
            _ports[n <= 4 ? 0 : 1].MapLun(new Lun(n), id);
        }

        foreach (TargetPort port in _ports)
        {
            List<Lun> luns = [];
            for (ushort n = 1; n <= 5; n++)
            {
                if (port.Resolve(Initiator, new Lun(n), out _) == LunAccess.Granted)
                {
                    luns.Add(new Lun(n));
                }
            }

            port.AddHostGroup(new HostGroup("prod", [Initiator], luns));
            port.SetLunSecurity(true);
        }
    }

    private MediaDemoReport Drive(int writesPerHost, ulong seed, PcapFrameTap? tap, string? recordPath)
    {
        const int Hosts = 2;
        _outstanding = new CountdownEvent(Hosts * writesPerHost);
        Dictionary<(LdevId, long), long>[] lastWrite = [new(), new()];
        long[] retries = new long[Hosts];
        Stopwatch clock = Stopwatch.StartNew();
        Thread[] hosts = new Thread[Hosts];
        for (int h = 0; h < Hosts; h++)
        {
            int host = h;
            hosts[h] = new Thread(() => retries[host] = WriteLoop(host, writesPerHost, seed + (ulong)host, lastWrite[host]));
            hosts[h].Start();
        }

        foreach (Thread thread in hosts)
        {
            thread.Join();
        }

        _outstanding.Wait();
        double seconds = clock.Elapsed.TotalSeconds;

        (long verified, long mismatched) = Verify(lastWrite);
        bool lunSecurity = _ports[0].Resolve(Stranger, new Lun(1), out _) == LunAccess.NotVisible
            && _ports[1].Resolve(Stranger, new Lun(5), out _) == LunAccess.NotVisible
            && _ports[0].GetVisibleLuns(Stranger).Length == 0;

        long tracks = 0, storeBytes = 0, bitmapBytes = 0;
        foreach (KeyValuePair<LdevId, Ldev> entry in _ldevs)
        {
            tracks += _bitmaps[entry.Key].CountSet();
            bitmapBytes += _bitmaps[entry.Key].AllocatedBytes;
            storeBytes += ((RamBlockStore)entry.Value.Media).AllocatedBytes;
        }

        MirrorPhaseReport mirror = RunMirrorPhase(seed);

        // After the mirror phase: its pair 0x0001 -> 0x0002 is in PAIR again. The split phase is a host's: FC frames
        // through the target ports (with LUN security on: the demo host is in both host groups).
        DemoAtomicSplits splits = new(_subsystem, new ControllerFrontEnd(_subsystem, _ports), tap);
        IReadOnlyList<DemoSplitResult> results = splits.Run(writesPerSplit: 2_000);
        return new MediaDemoReport
        {
            Geometry = TrackGeometry.Default.ToString(),
            Ldevs = _ldevs.Count,
            Writes = (long)Hosts * writesPerHost,
            Seconds = seconds,
            QueueFullRetries = retries[0] + retries[1],
            TracksMarked = tracks,
            StoreBytesAllocated = storeBytes,
            BitmapBytesAllocated = bitmapBytes,
            BlocksVerified = verified,
            BlocksMismatched = mismatched,
            LunSecurityHolds = lunSecurity,
            Mirror = mirror,
            Splits = results,
            HostWriteLatency = splits.WriteLatency,
            FramesRecorded = tap?.FramesRecorded ?? 0,
            RecordPath = recordPath,
        };
    }

    private MirrorPhaseReport RunMirrorPhase(ulong seed)
    {
        VolumeAddress pAddress = new(_ports[0].PortId, new Lun(1));
        VolumeAddress sAddress = new(_ports[0].PortId, new Lun(2));
        Ldev pVol = _ldevs[new LdevId(1)];
        Ldev sVol = _ldevs[new LdevId(2)];
        CopyManagementTable pairs = _subsystem.Pairs;
        TimeSpan patience = TimeSpan.FromMinutes(1);

        Stopwatch clock = Stopwatch.StartNew();
        pairs.Create(pAddress, pVol, sAddress, sVol);
        bool paired = pairs.WaitForState(pAddress, sAddress, PairState.Pair, patience);
        double initialCopySeconds = clock.Elapsed.TotalSeconds;
        bool sEqualsPAfterCopy = paired && SameHotRegion(pVol, sVol);

        const int MirroredWrites = 4000;
        WriteBurst(pVol, MirroredWrites, seed + 10);
        bool sEqualsPWhilePaired = SameHotRegion(pVol, sVol);

        pairs.Execute(pAddress, sAddress, PairOperation.Split);
        byte[] splitImage = HotRegionHash(sVol);
        const int SplitWrites = 2000;
        WriteBurst(pVol, SplitWrites, seed + 20);
        MirrorPair pair = pairs.Find(pAddress, sAddress)!;
        long marked = pair.PVolBitmap.CountSet();
        bool splitImageKept = splitImage.AsSpan().SequenceEqual(HotRegionHash(sVol));
        string display = PairDisplay.ToText([PairStatusRows.Of(pair)], PairDisplayColumns.Controller);

        pairs.Execute(pAddress, sAddress, PairOperation.Resync);
        bool resynced = pairs.WaitForState(pAddress, sAddress, PairState.Pair, patience);
        return new MirrorPhaseReport
        {
            PVol = pAddress.ToCompactString(),
            SVol = sAddress.ToCompactString(),
            InitialCopySeconds = initialCopySeconds,
            SEqualsPAfterInitialCopy = sEqualsPAfterCopy,
            MirroredWrites = MirroredWrites,
            SEqualsPWhilePaired = sEqualsPWhilePaired,
            SplitWrites = SplitWrites,
            TracksMarkedAfterSplit = marked,
            SplitImageKept = splitImageKept,
            ResyncTracksCopied = resynced ? pair.TracksCopied : -1,
            SEqualsPAfterResync = resynced && SameHotRegion(pVol, sVol),
            PairDisplayAfterSplit = display,
        };
    }

    // One host writes stamped 4 KiB blocks to one LUN and waits for every acknowledgement.
    private void WriteBurst(Ldev volume, int writes, ulong seed)
    {
        _outstanding = new CountdownEvent(writes);
        SplitMix64 random = new(seed);
        for (int n = 0; n < writes; n++)
        {
            long lba = random.Next((int)(HotBlocks / 8)) * 8;
            long writeId = (2L << 40) | (long)seed << 20 | (long)n;
            byte[] buffer = ArrayPool<byte>.Shared.Rent(BlockBytes);
            Stamp(buffer, writeId, volume.Id, lba);
            BlockCommand command = new(BlockCommandKind.Write, volume, lba, new ArraySegment<byte>(buffer, 0, BlockBytes), this, writeId);
            Submit(command);
        }

        _outstanding.Wait();
    }

    // Queues a host command, retrying while the subsystem answers TASK SET FULL (the back-pressure a host sees);
    // returns the number of retries.
    private long Submit(in BlockCommand command)
    {
        long retries = 0;
        SpinWait spin = default;
        while (!_subsystem.TrySubmit(command))
        {
            retries++;
            spin.SpinOnce(sleep1Threshold: -1);
        }

        return retries;
    }

    // The hosts write only the first 16 MiB of each LDEV; beyond it both volumes read as zeros.
    private static bool SameHotRegion(Ldev a, Ldev b)
    {
        return HotRegionHash(a).AsSpan().SequenceEqual(HotRegionHash(b));
    }

    private static byte[] HotRegionHash(Ldev volume)
    {
        byte[] region = new byte[HotBlocks * TrackGeometry.BlockSize];
        volume.Media.Read(0, region);
        return System.Security.Cryptography.SHA256.HashData(region);
    }

    private long WriteLoop(int host, int writes, ulong seed, Dictionary<(LdevId, long), long> lastWrite)
    {
        SplitMix64 random = new(seed);
        long retries = 0;
        for (int n = 0; n < writes; n++)
        {
            Lun lun = new((ushort)(1 + random.Next(5)));
            TargetPort port = lun.Value <= 4 ? _ports[0] : _ports[1];
            if (port.Resolve(Initiator, lun, out LdevId ldevId) != LunAccess.Granted)
            {
                throw new InvalidOperationException("LUN " + lun + " is not visible to the demo host");
            }

            // Each host owns alternate 4 KiB slots, so the last write of a block is known to one host.
            long slot = (random.Next((int)(HotBlocks / 16)) * 2) + host;
            long lba = slot * 8;
            long writeId = ((long)host << 40) | (long)n;
            byte[] buffer = ArrayPool<byte>.Shared.Rent(BlockBytes);
            Stamp(buffer, writeId, ldevId, lba);
            lastWrite[(ldevId, lba)] = writeId;

            BlockCommand command = new(BlockCommandKind.Write, _ldevs[ldevId], lba, new ArraySegment<byte>(buffer, 0, BlockBytes), this, writeId);
            retries += Submit(command);
        }

        return retries;
    }

    private (long Verified, long Mismatched) Verify(Dictionary<(LdevId, long), long>[] lastWrite)
    {
        byte[] expected = new byte[BlockBytes];
        byte[] actual = new byte[BlockBytes];
        long verified = 0, mismatched = 0;
        foreach (Dictionary<(LdevId, long), long> writes in lastWrite)
        {
            foreach (KeyValuePair<(LdevId Ldev, long Lba), long> entry in writes)
            {
                Stamp(expected, entry.Value, entry.Key.Ldev, entry.Key.Lba);
                MediaStatus status = _ldevs[entry.Key.Ldev].Media.Read(entry.Key.Lba, actual);
                verified += BlockBytes / TrackGeometry.BlockSize;
                if (status != MediaStatus.Good || !expected.AsSpan().SequenceEqual(actual))
                {
                    mismatched += BlockBytes / TrackGeometry.BlockSize;
                }
            }
        }

        return (verified, mismatched);
    }

    private static void Stamp(byte[] buffer, long writeId, LdevId ldev, long lba)
    {
        // Every 512-byte block of the write carries (write id, LDEV, LBA), so a misplaced or stale block shows.
        for (int block = 0; block < BlockBytes / TrackGeometry.BlockSize; block++)
        {
            Span<byte> b = buffer.AsSpan(block * TrackGeometry.BlockSize, TrackGeometry.BlockSize);
            BinaryPrimitives.WriteInt64LittleEndian(b, writeId);
            BinaryPrimitives.WriteUInt16LittleEndian(b.Slice(8), ldev.Value);
            BinaryPrimitives.WriteInt64LittleEndian(b.Slice(10), lba + block);
            b.Slice(18).Fill((byte)writeId);
        }
    }
}
