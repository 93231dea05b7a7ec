// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Testing;
using Controller.Traces.Formats;
using Controller.Wire;
using Controller.Wire.Pcap;

namespace Controller.Traces.Tests;

/// <summary>
/// Every real trace in tests/data/traces imports, with the counts its SOURCES.md gives; Wireshark decodes what we
/// write. (The CloudPhysics formats: CloudPhysicsSampleTests and ExternalCloudPhysicsTraceTests.)
/// </summary>
public sealed class RepositoryTracesImportTests
{
    // tests/data/traces/SOURCES.md, "What the tests check on them".
    [TestCase("mqsim_tpcc-small.trace", TraceFormat.DiskSim, 4_381, 2_618, 0)]
    [TestCase("mqsim_wsrch-small.trace", TraceFormat.DiskSim, 24_779, 4, 0)]
    [TestCase("fio-3.33_randrw_v3.iolog", TraceFormat.FioIolog, 2_095, 905, 36)]
    public void EveryRepositoryTraceImportsWithTheCountsOfSources(string name, TraceFormat format, long reads, long writes, long flushes)
    {
        string path = TestData.Trace(name);
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
    public void TsharkDecodesAnImportedTraceAsScsiCommandsToTheMappedLuns()
    {
        string pcap = Path.Combine(Path.GetTempPath(), "import-" + Guid.NewGuid().ToString("N") + ".pcap");
        try
        {
            using (TraceReader reader = TraceFormats.Open(TestData.Trace("mqsim_tpcc-small.trace"), TraceFormat.DiskSim))
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
        (_, List<(long Time, byte[] Frame)> frames) = TraceAssert.Import(TestData.Trace("fio-3.33_randrw_v3.iolog"), TraceFormat.FioIolog);

        // "423 /tmp/fiogen/disk.img read 4046848 4096": 423 us after the first line with I/O (which is this one).
        Assert.That(FcFrameHeader.TryRead(frames[0].Frame, out FcFrameHeader header), Is.True, "the header decodes");
        Assert.That(header.RoutingControl, Is.EqualTo(FcRoutingControl.Command), "R_CTL is FCP_CMND");
        Assert.That(header.SourceId, Is.EqualTo(new PortId(TraceImporter.DefaultInitiatorPortId)), "S_ID is the host");
        Assert.That(header.DestinationId, Is.EqualTo(new PortId(DeviceMap.DefaultPortId)), "D_ID is the mapped port");
        Assert.That(FcpCommand.TryRead(frames[0].Frame.AsSpan(FcFrameHeader.Length), out FcpCommand command, out _), Is.True, "the FCP_CMND decodes");
        Assert.That(command.Lun, Is.EqualTo(1), "the file is LUN 0x0001");
        Assert.That(command.ReadData, Is.True, "a read sets RDDATA");
        Assert.That(command.DataLength, Is.EqualTo(4096u), "FCP_DL is the read's length");
        Assert.That(Wire.Scsi.BlockCdb.TryReadRange(command.Cdb, out long lba, out uint blocks, out bool isWrite), Is.True, "a READ(16)");
        Assert.That((lba, blocks, isWrite), Is.EqualTo((4046848L / 512, 8u, false)), "offset 4046848, 4096 bytes");
        Assert.That(frames[0].Time, Is.Zero, "the trace's time starts at its first I/O");
    }
}
