// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Testing;
using Controller.Traces.Formats;
using Controller.Wire;
using Controller.Wire.Pcap;

namespace Controller.Traces.Tests;

/// <summary>
/// Every real trace in ../shared/data/traces imports, with the counts SOURCES.md measured on it; the CloudPhysics
/// CSV and binary files (the same trace) give identical command streams; Wireshark decodes what we write.
/// </summary>
public sealed class SharedTracesImportTests
{
    // SOURCES.md, "Facts measured on these files".
    [TestCase("cloudphysics_vscsi_sample.csv", TraceFormat.CloudPhysicsCsv, 46_974, 66_898, 0)]
    [TestCase("cloudphysics_vscsi_sample.vscsi", TraceFormat.CloudPhysicsBinary, 46_974, 66_898, 0)]
    [TestCase("mqsim_tpcc-small.trace", TraceFormat.DiskSim, 4_381, 2_618, 0)]
    [TestCase("mqsim_wsrch-small.trace", TraceFormat.DiskSim, 24_779, 4, 0)]
    [TestCase("fio-3.33_randrw_v3.iolog", TraceFormat.FioIolog, 2_095, 905, 36)]
    public void EverySharedTraceImportsWithTheCountsOfSources(string name, TraceFormat format, long reads, long writes, long flushes)
    {
        string path = SharedData.Trace(name);
        Assert.That(TraceFormats.TryDetect(path, out TraceFormat detected), Is.True, "the format of " + name + " is detected");
        Assert.That(detected, Is.EqualTo(format), "detected format of " + name);

        (ImportSummary summary, List<(long Time, byte[] Frame)> frames) = TraceAssert.Import(path, format);

        Assert.That(summary.Reads, Is.EqualTo(reads), "READ commands of " + name + " (SOURCES.md)");
        Assert.That(summary.Writes, Is.EqualTo(writes), "WRITE commands of " + name + " (SOURCES.md)");
        Assert.That(summary.Flushes, Is.EqualTo(flushes), "syncs of " + name + " (SOURCES.md)");
        Assert.That(summary.SkippedBadLines, Is.Zero, "a real trace has no bad line");
        Assert.That(frames, Has.Count.EqualTo(reads + writes + flushes), "one FCP_CMND frame per command");
        Assert.That(frames.TrueForAll(f => f.Frame.Length == CommandFrame.Length), Is.True, "every frame is a header and an FCP_CMND");
    }

    [Test]
    public void TheCloudPhysicsTraceReachesTheLbaAndVolumeSourcesMeasured()
    {
        (ImportSummary summary, _) = TraceAssert.Import(SharedData.Trace("cloudphysics_vscsi_sample.vscsi"), TraceFormat.CloudPhysicsBinary);

        Assert.That(summary.Devices, Has.Count.EqualTo(1), "a vSCSI trace is one virtual disk");
        Assert.That(summary.BytesRead + summary.BytesWritten, Is.InRange(4.15e9, 4.25e9), "4.2 GB moved (SOURCES.md)");
        Assert.That(summary.SpanNanoseconds / 1e9, Is.InRange(7_199.0, 7_201.0), "over 7,200 s (SOURCES.md)");
        // The largest lbn is 65,595,455: a command there ends at or after the block past it.
        Assert.That(summary.Devices[0].EndBlock, Is.GreaterThan(65_595_455), "the capacity needed covers the largest lbn (SOURCES.md)");
    }

    [Test]
    public void TheCloudPhysicsCsvAndBinaryFilesImportToIdenticalCommandStreams()
    {
        (_, List<(long Time, byte[] Frame)> csv) = TraceAssert.Import(SharedData.Trace("cloudphysics_vscsi_sample.csv"), TraceFormat.CloudPhysicsCsv);
        (_, List<(long Time, byte[] Frame)> binary) = TraceAssert.Import(SharedData.Trace("cloudphysics_vscsi_sample.vscsi"), TraceFormat.CloudPhysicsBinary);

        Assert.That(csv, Has.Count.EqualTo(113_872), "SOURCES.md: 113,872 commands");
        Assert.That(binary, Has.Count.EqualTo(csv.Count), "the two files hold the same commands");
        for (int i = 0; i < csv.Count; i++)
        {
            if (!csv[i].Frame.AsSpan().SequenceEqual(binary[i].Frame))
            {
                Assert.Fail("command " + (i + 1) + " differs between the CSV and the binary import");
            }

            // The CSV keeps whole seconds of the binary's microseconds: the times agree to within a second.
            Assert.That(Math.Abs(csv[i].Time - binary[i].Time), Is.LessThan(1_000_000_000L), "time of command " + (i + 1) + " agrees to the CSV's one-second resolution");
        }
    }

    [Test]
    public void TsharkDecodesAnImportedTraceAsScsiCommandsToTheMappedLuns()
    {
        string pcap = Path.Combine(Path.GetTempPath(), "import-" + Guid.NewGuid().ToString("N") + ".pcap");
        try
        {
            using (TraceReader reader = TraceFormats.Open(SharedData.Trace("mqsim_tpcc-small.trace"), TraceFormat.DiskSim))
            using (PcapWriter writer = new(File.Create(pcap)))
            {
                new TraceImporter(DeviceMap.Automatic()).Import(reader, TraceFormat.DiskSim, writer);
            }

            string[] lines = Tshark.Read(pcap, "-c", "3");

            // The trace's first lines: "938513000 4 264719034 16 0", "938828000 3 197570570 16 0", "938944000 13 93230992 32 0".
            Assert.That(lines, Has.Length.EqualTo(3), "three frames read");
            Assert.That(lines[0], Does.Contain("01.02.00 → 40.01.04").And.Contain("Write(16) LUN: 0x01 (LBA: 264719034, Len: 16)"), "device 4 is the first seen: LUN 0x0001");
            Assert.That(lines[1], Does.Contain("Write(16) LUN: 0x02 (LBA: 197570570, Len: 16)"), "device 3 -> LUN 0x0002");
            Assert.That(lines[2], Does.Contain("Write(16) LUN: 0x03 (LBA: 93230992, Len: 32)"), "device 13 -> LUN 0x0003");
        }
        finally
        {
            File.Delete(pcap);
        }
    }

    [Test]
    public void AnImportedFrameIsAnFcpCommandFromTheHostToThePort()
    {
        (_, List<(long Time, byte[] Frame)> frames) = TraceAssert.Import(SharedData.Trace("fio-3.33_randrw_v3.iolog"), TraceFormat.FioIolog);

        // "423 /tmp/fiogen/disk.img read 4046848 4096": 423 us after the first line with I/O (which is this one).
        Assert.That(FcFrameHeader.TryRead(frames[0].Frame, out FcFrameHeader header), Is.True, "the header decodes");
        Assert.That(header.RoutingControl, Is.EqualTo(FcRoutingControl.Command), "R_CTL is FCP_CMND");
        Assert.That(header.SourceId, Is.EqualTo(TraceImporter.DefaultInitiatorPortId), "S_ID is the host");
        Assert.That(header.DestinationId, Is.EqualTo(DeviceMap.DefaultPortId), "D_ID is the mapped port");
        Assert.That(FcpCommand.TryRead(frames[0].Frame.AsSpan(FcFrameHeader.Length), out FcpCommand command, out _), Is.True, "the FCP_CMND decodes");
        Assert.That(command.Lun, Is.EqualTo(1), "the file is LUN 0x0001");
        Assert.That(command.ReadData, Is.True, "a read sets RDDATA");
        Assert.That(command.DataLength, Is.EqualTo(4096u), "FCP_DL is the read's length");
        Assert.That(Wire.Scsi.BlockCdb.TryReadRange(command.Cdb, out long lba, out uint blocks, out bool isWrite), Is.True, "a READ(16)");
        Assert.That((lba, blocks, isWrite), Is.EqualTo((4046848L / 512, 8u, false)), "offset 4046848, 4096 bytes");
        Assert.That(frames[0].Time, Is.Zero, "the trace's time starts at its first I/O");
    }
}
