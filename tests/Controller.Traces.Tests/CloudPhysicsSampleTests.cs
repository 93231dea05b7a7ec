// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.


namespace Controller.Traces.Tests;

/// <summary>
/// The CloudPhysics vSCSI readers on generated traces in both forms (the real sample may not be redistributed):
/// each imports with the counts it was made with, and the CSV and binary forms of one trace give the same commands.
/// </summary>
public sealed class CloudPhysicsSampleTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "cloudphysics-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [TestCase(1, 5_000)]
    [TestCase(2, 20_000)]
    public void EachFormIsDetectedAndImportsWithTheCountsItWasMadeWith(int seed, int commands)
    {
        CloudPhysicsSample sample = CloudPhysicsSample.Generate(seed, commands);
        (string csvPath, string binaryPath) = sample.WriteTo(_folder);

        foreach ((string path, TraceFormat format) in new[] { (csvPath, TraceFormat.CloudPhysicsCsv), (binaryPath, TraceFormat.CloudPhysicsBinary) })
        {
            Assert.That(TraceFormats.TryDetect(path, out TraceFormat detected), Is.True, "the format of " + path + " is detected");
            Assert.That(detected, Is.EqualTo(format), "detected format of " + path);

            (ImportSummary summary, List<(long Time, byte[] Frame)> frames) = TraceAssert.Import(path, format);

            Assert.That((summary.Reads, summary.Writes, summary.Flushes), Is.EqualTo((sample.Reads, sample.Writes, sample.Flushes)), "reads, writes and syncs of " + format);
            Assert.That((summary.BytesRead, summary.BytesWritten), Is.EqualTo((sample.BytesRead, sample.BytesWritten)), "bytes read and written by " + format);
            Assert.That(summary.Devices, Has.Count.EqualTo(1), "a vSCSI trace is one virtual disk");
            Assert.That(summary.Devices[0].EndBlock, Is.EqualTo(sample.EndBlock), "the capacity the trace needs, from " + format);
            Assert.That(summary.SkippedBadLines, Is.Zero, "no bad line");
            Assert.That(frames, Has.Count.EqualTo(commands), "one FCP_CMND frame per command");
        }
    }

    [Test]
    public void TheBinaryFormKeepsMicrosecondsAndTheCsvWholeSeconds()
    {
        CloudPhysicsSample sample = CloudPhysicsSample.Generate(3, 2_000);
        (string csvPath, string binaryPath) = sample.WriteTo(_folder);

        (ImportSummary binary, _) = TraceAssert.Import(binaryPath, TraceFormat.CloudPhysicsBinary);
        (ImportSummary csv, _) = TraceAssert.Import(csvPath, TraceFormat.CloudPhysicsCsv);

        Assert.That(binary.SpanNanoseconds, Is.EqualTo(sample.SpanNanoseconds), "the binary's span to the microsecond");
        Assert.That(Math.Abs(csv.SpanNanoseconds - sample.SpanNanoseconds), Is.LessThan(1_000_000_000L), "the CSV's span to the second");
        Assert.That(csv.SpanNanoseconds % 1_000_000_000L, Is.Zero, "the CSV holds whole seconds");
    }

    [Test]
    public void TheCsvAndBinaryFormsOfOneTraceImportToIdenticalCommandStreams()
    {
        CloudPhysicsSample sample = CloudPhysicsSample.Generate(4, 20_000);
        (string csvPath, string binaryPath) = sample.WriteTo(_folder);

        (_, List<(long Time, byte[] Frame)> csv) = TraceAssert.Import(csvPath, TraceFormat.CloudPhysicsCsv);
        (_, List<(long Time, byte[] Frame)> binary) = TraceAssert.Import(binaryPath, TraceFormat.CloudPhysicsBinary);

        Assert.That(csv, Has.Count.EqualTo(20_000), "every command");
        TraceAssert.SameCommandStreams(csv, binary);
    }

    [Test]
    public void ACorruptedBinaryRecordIsRefusedByItsNumber()
    {
        CloudPhysicsSample sample = CloudPhysicsSample.Generate(5, 100);
        byte[] corrupted = sample.Binary.ToArray();
        corrupted[(41 * 32) + 15] = 0x02; // record 42's ver: 0x0200
        string path = Path.Combine(_folder, "bad.vscsi");
        File.WriteAllBytes(path, corrupted);

        TraceFormatException bad = Assert.Throws<TraceFormatException>(() => TraceAssert.Import(path, TraceFormat.CloudPhysicsBinary))!;

        Assert.That(bad.Message, Is.EqualTo(path + ":42: version 0x0200 is not vSCSI version 1 (ver >> 8 == 1)"), "file:record: problem");
    }
}
