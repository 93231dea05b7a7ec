// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Testing;

namespace Controller.Traces.Tests;

/// <summary>
/// The real CloudPhysics vSCSI sample (GPL-3.0 research data, not in the repository): checked when the folder named by
/// CONTROLLER_EXTERNAL_TRACES holds it (.ci/run points it at the reference copy), otherwise reported as ignored with
/// the variable and the path. Its facts: 113,872 commands, 66,898 WRITE(10) and 46,974 READ(10) over 7,200 s,
/// largest lbn 65,595,455, 4.2 GB moved; the CSV and the binary file hold the same trace.
/// </summary>
public sealed class ExternalCloudPhysicsTraceTests
{
    [TestCase("cloudphysics_vscsi_sample.csv", TraceFormat.CloudPhysicsCsv)]
    [TestCase("cloudphysics_vscsi_sample.vscsi", TraceFormat.CloudPhysicsBinary)]
    public void TheRealSampleImportsWithItsPublishedCounts(string name, TraceFormat format)
    {
        string path = TestData.ExternalTrace(name);
        Assert.That(TraceFormats.TryDetect(path, out TraceFormat detected), Is.True, "the format of " + name + " is detected");
        Assert.That(detected, Is.EqualTo(format), "detected format of " + name);

        (ImportSummary summary, List<(long Time, byte[] Frame)> frames) = TraceAssert.Import(path, format);

        Assert.That((summary.Reads, summary.Writes, summary.Flushes), Is.EqualTo((46_974L, 66_898L, 0L)), "reads, writes and syncs of " + name);
        Assert.That(summary.SkippedBadLines, Is.Zero, "a real trace has no bad line");
        Assert.That(frames, Has.Count.EqualTo(113_872), "one FCP_CMND frame per command");
    }

    [Test]
    public void TheRealSampleReachesTheLbaAndVolumeMeasured()
    {
        (ImportSummary summary, _) = TraceAssert.Import(TestData.ExternalTrace("cloudphysics_vscsi_sample.vscsi"), TraceFormat.CloudPhysicsBinary);

        Assert.That(summary.Devices, Has.Count.EqualTo(1), "a vSCSI trace is one virtual disk");
        Assert.That(summary.BytesRead + summary.BytesWritten, Is.InRange(4.15e9, 4.25e9), "4.2 GB moved");
        Assert.That(summary.SpanNanoseconds / 1e9, Is.InRange(7_199.0, 7_201.0), "over 7,200 s");
        // The largest lbn is 65,595,455: a command there ends at or after the block past it.
        Assert.That(summary.Devices[0].EndBlock, Is.GreaterThan(65_595_455), "the capacity needed covers the largest lbn");
    }

    [Test]
    public void TheRealCsvAndBinaryFilesImportToIdenticalCommandStreams()
    {
        (_, List<(long Time, byte[] Frame)> csv) = TraceAssert.Import(TestData.ExternalTrace("cloudphysics_vscsi_sample.csv"), TraceFormat.CloudPhysicsCsv);
        (_, List<(long Time, byte[] Frame)> binary) = TraceAssert.Import(TestData.ExternalTrace("cloudphysics_vscsi_sample.vscsi"), TraceFormat.CloudPhysicsBinary);

        Assert.That(csv, Has.Count.EqualTo(113_872), "113,872 commands");
        TraceAssert.SameCommandStreams(csv, binary);
    }
}
