// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Text.Json;
using System.Text.RegularExpressions;
using Controller.Testing;

namespace Controller.HostSim.Tests;

public sealed class MediaDemoTests
{
    [Test]
    public void TheDemoVerifiesEveryBlockAndReportsConsistent()
    {
        MediaDemoReport report = MediaDemo.Run(writesPerHost: 5000, seed: 1);
        Assert.That(report.BlocksMismatched, Is.Zero, "every block's last write reads back");
        Assert.That(report.BlocksVerified, Is.GreaterThan(0), "the read-back check looked at blocks");
        Assert.That(report.LunSecurityHolds, Is.True, "a host outside the host group sees no LUN");
        Assert.That(report.Consistent, Is.True, "the verdict");
        Assert.That(report.Writes, Is.EqualTo(10_000), "two hosts x 5000 writes");
    }

    [Test]
    [Category("R0-6")]
    [Category("R0-8")]
    [Category("R0-9")]
    public void TheMirrorPhaseCopiesMirrorsSplitsAndResyncsExactlyTheMarkedTracks()
    {
        MirrorPhaseReport mirror = MediaDemo.Run(writesPerHost: 2000, seed: 3).Mirror;
        Assert.That(mirror.SEqualsPAfterInitialCopy, Is.True, "the initial copy made S equal P");
        Assert.That(mirror.SEqualsPWhilePaired, Is.True, "mirrored writes kept them equal");
        Assert.That(mirror.SplitImageKept, Is.True, "writes after the split did not reach S");
        Assert.That(mirror.TracksMarkedAfterSplit, Is.GreaterThan(0), "and they marked tracks");
        Assert.That(mirror.ResyncTracksCopied, Is.EqualTo(mirror.TracksMarkedAfterSplit), "the resync copied exactly the marked tracks");
        Assert.That(mirror.SEqualsPAfterResync, Is.True, "and S equals P again");
        Assert.That(mirror.PairDisplayAfterSplit, Does.Contain("PSUS").And.Contain("SSUS"), "pairdisplay shows each side's view");
    }

    [Test]
    public void TheJsonReportIsStable()
    {
        // Times and the number of queue-full retries depend on the machine; the rest follows from the seed.
        SnapshotOptions options = new();
        options.AddScrubber(new Regex("(?<=\"seconds\": )[0-9.]+"), "Seconds");
        options.AddScrubber(new Regex("(?<=\"writesPerSecond\": )[0-9.]+"), "Rate");
        options.AddScrubber(new Regex("(?<=\"queueFullRetries\": )[0-9]+"), "Retries");
        options.AddScrubber(new Regex("(?<=\"initialCopySeconds\": )[0-9.]+"), "CopySeconds");

        // The atomic splits run under real-time load: where each cut falls depends on the machine (one token for
        // the array; its content is checked by TheDemoSplitsByName...).
        options.AddScrubber(new Regex("(?<=\"splits\": )\\[[^\\]]*\\]"), "Splits");
        options.AddScrubber(new Regex("(?<=\"hostWriteLatencyMicroseconds\": )\\{[^}]*\\}"), "HostLatency");
        string json = MediaDemo.Run(writesPerHost: 5000, seed: 1).ToJson();
        Snapshot.Verify(json, options: options);
    }

    [Test]
    [Category("R0-13")]
    [Category("R0-20")]
    public void TheDemoSplitsByNameWithEachMechanismAndTheOracleFindsEveryImageConsistent()
    {
        IReadOnlyList<DemoSplitResult> splits = MediaDemo.Run(writesPerHost: 1000, seed: 4).Splits;
        Assert.That(splits.Select(s => s.Mechanism), Is.EqualTo(new[] { Controller.Firmware.PairVocabulary.AtomicSplitMechanism.Freeze, Controller.Firmware.PairVocabulary.AtomicSplitMechanism.SequenceCut }), "one split per mechanism");
        foreach (DemoSplitResult split in splits)
        {
            Assert.That(split.Result.Succeeded, Is.True, split.Mechanism + ": " + split.Result.Message);
            Assert.That(split.Verdict.Consistent, Is.True, split.Mechanism + ": " + split.Verdict);
            Assert.That(split.Verdict.WritesPresent, Is.InRange(1, split.Verdict.WritesChecked - 1), split.Mechanism + ": the cut falls inside the run");
        }
    }

    [Test]
    public void TheJsonReportCarriesTheConsistentFlag()
    {
        using JsonDocument json = JsonDocument.Parse(MediaDemo.Run(writesPerHost: 1000, seed: 2).ToJson());
        Assert.That(json.RootElement.GetProperty("consistent").GetBoolean(), Is.True, "consistent is true when every check holds");
    }
}
