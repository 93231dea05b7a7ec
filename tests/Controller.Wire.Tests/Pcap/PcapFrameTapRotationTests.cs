// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using Controller.Testing;
using Controller.Wire.Diagnostics;
using Controller.Wire.Pcap;

namespace Controller.Wire.Tests.Pcap;

public sealed class PcapFrameTapRotationTests
{
    private const int FrameBytes = 1000;

    // 24-byte global header, then records of 16 + 1000 bytes: 64 fit in 64 KiB (24 + 64 * 1016 = 65,048).
    private const int FramesPerFile = 64;

    private string _directory = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = Path.Combine(Path.GetTempPath(), "pcap-rotation-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
    }

    [TearDown]
    public void TearDown()
    {
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public void TheTraceRotatesAtTheLimitEachFileIsATraceAndOnlyTheNewestFilesAreKept()
    {
        string path = Path.Combine(_directory, "trace.pcap");
        List<string> log = [];
        using (PcapFrameTap tap = PcapFrameTap.Create(path, PcapFrameTap.MinimumLimitBytes, files: 3, new LineLogger(log.Add)))
        {
            for (int i = 0; i < 200; i++)
            {
                tap.OnFrame(Frame(i));
            }

            Assert.That((tap.FramesRecorded, tap.Rotations), Is.EqualTo((200L, 3)), "200 frames: 64, 64, 64 and 8 a file, so three rotations");
            Assert.That(tap.BytesWritten, Is.EqualTo((4 * 24) + (200 * (16 + FrameBytes))), "four global headers and every record");
        }

        Assert.That(File.Exists(PcapFrameTap.PartPath(path, 3)), Is.False, "the oldest part (frames 0 to 63) is gone: three files kept");
        Assert.That(ReadIndexes(PcapFrameTap.PartPath(path, 2)), Is.EqualTo(Enumerable.Range(64, FramesPerFile)), "FILE.2: the oldest kept");
        Assert.That(ReadIndexes(PcapFrameTap.PartPath(path, 1)), Is.EqualTo(Enumerable.Range(128, FramesPerFile)), "FILE.1");
        Assert.That(ReadIndexes(path), Is.EqualTo(Enumerable.Range(192, 8)), "FILE: the newest frames");
        foreach (string file in new[] { path, PcapFrameTap.PartPath(path, 1), PcapFrameTap.PartPath(path, 2) })
        {
            Assert.That(new FileInfo(file).Length, Is.LessThanOrEqualTo(PcapFrameTap.MinimumLimitBytes), file + " stays within the limit");
        }

        Assert.That(log, Has.Count.EqualTo(3), "one line per rotation");
        Assert.That(log[2], Does.Contain("reached its limit at 65048 bytes").And.Contain("now " + PcapFrameTap.PartPath(path, 1)).And.Contain("rotation 3"), "the line says where the full file went");
    }

    [Test]
    public void TsharkReadsEveryPartOnItsOwn()
    {
        string path = Path.Combine(_directory, "trace.pcap");
        using (PcapFrameTap tap = PcapFrameTap.Create(path, PcapFrameTap.MinimumLimitBytes, files: 2))
        {
            for (int i = 0; i < 100; i++)
            {
                tap.OnFrame(Frame(i));
            }
        }

        Assert.That(Tshark.Read(PcapFrameTap.PartPath(path, 1)), Has.Length.EqualTo(FramesPerFile), "FILE.1: a trace with its own header");
        Assert.That(Tshark.Read(path), Has.Length.EqualTo(100 - FramesPerFile), "FILE");
    }

    [Test]
    public void WithOneFileKeptAFullTraceIsDroppedAndStartedAgain()
    {
        string path = Path.Combine(_directory, "trace.pcap");
        using (PcapFrameTap tap = PcapFrameTap.Create(path, PcapFrameTap.MinimumLimitBytes, files: 1))
        {
            for (int i = 0; i < 70; i++)
            {
                tap.OnFrame(Frame(i));
            }
        }

        Assert.That(File.Exists(PcapFrameTap.PartPath(path, 1)), Is.False, "no older part");
        Assert.That(ReadIndexes(path), Is.EqualTo(Enumerable.Range(64, 6)), "only the frames since the rotation");
    }

    [Test]
    public void WithoutALimitTheTraceNeverRotates()
    {
        string path = Path.Combine(_directory, "trace.pcap");
        using (PcapFrameTap tap = PcapFrameTap.Create(path, 0, files: 2))
        {
            for (int i = 0; i < 200; i++)
            {
                tap.OnFrame(Frame(i));
            }

            Assert.That(tap.Rotations, Is.Zero, "no limit, no rotation");
        }

        Assert.That(ReadIndexes(path), Is.EqualTo(Enumerable.Range(0, 200)), "every frame in one file");
    }

    [Test]
    public void PartsOfAnEarlierRecordingAreDeletedAtTheStart()
    {
        string path = Path.Combine(_directory, "trace.pcap");
        File.WriteAllText(PcapFrameTap.PartPath(path, 1), "an older recording");
        File.WriteAllText(PcapFrameTap.PartPath(path, 5), "beyond the files kept: not ours to delete");
        using (PcapFrameTap.Create(path, PcapFrameTap.MinimumLimitBytes, files: 3))
        {
            Assert.That(File.Exists(PcapFrameTap.PartPath(path, 1)), Is.False, "FILE.1 of another recording would read as this one's");
        }

        Assert.That(File.Exists(PcapFrameTap.PartPath(path, 5)), Is.True, "only FILE.1 to FILE.(files - 1) are touched");
    }

    [Test]
    public void ALimitBelowTheMinimumOrNoFileIsRefused()
    {
        string path = Path.Combine(_directory, "trace.pcap");
        Assert.That(() => PcapFrameTap.Create(path, 4096, files: 2), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("at least 65536"), "a 4 KiB limit");
        Assert.That(() => PcapFrameTap.Create(path, PcapFrameTap.MinimumLimitBytes, files: 0), Throws.TypeOf<ArgumentOutOfRangeException>(), "no file kept");
    }

    // An FC-2 frame (a zero header) carrying its index in the first payload bytes.
    private static byte[] Frame(int index)
    {
        byte[] frame = new byte[FrameBytes];
        BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(24), index);
        return frame;
    }

    private static List<int> ReadIndexes(string path)
    {
        List<int> indexes = [];
        using PcapReader reader = PcapReader.Open(path);
        while (reader.TryReadNext(out PcapRecord record))
        {
            indexes.Add(BinaryPrimitives.ReadInt32LittleEndian(record.Frame.Span[24..]));
        }

        return indexes;
    }
}
