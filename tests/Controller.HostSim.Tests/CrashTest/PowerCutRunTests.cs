// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Media;
using Controller.HostSim.CrashTest;

namespace Controller.HostSim.Tests.CrashTest;

/// <summary>
/// The embedded power-cut run over seeds: an embedded controller's disks and state files lose what was not synced at
/// a seeded cut, a new controller starts from what survived, and nothing acknowledged may be missing.
/// </summary>
public sealed class PowerCutRunTests
{
    [Test]
    public void AThousandCutsOfDataAndPairStateLoseNothingAcknowledged()
    {
        PowerCutRunResult result = PowerCutRun.Run(new PowerCutRunOptions { Seed = 1, Cuts = 1000 });
        TestContext.Out.WriteLine(Describe(result));
        Assert.That(result.Failures, Is.Empty, "nothing acknowledged is lost at a power cut");
        Assert.That(result.Passed, Is.True);
        Assert.That(result.Cuts, Is.EqualTo(1000));
        Assert.That(result.WritesAcknowledged, Is.GreaterThan(10_000), "many host writes were answered before the cuts");
        Assert.That(result.PairCommandsAcknowledged, Is.GreaterThan(1000), "and many pair commands");
        Assert.That(result.PairsChecked, Is.GreaterThan(1000), "pairs came back and were checked");
        Assert.That(result.SplitImagesChecked, Is.GreaterThan(50), "split S-VOL images were checked");
        Assert.That(result.CutsInsideStateFiles, Is.GreaterThan(100), "cuts landed inside commits and checkpoints");
        Assert.That(result.StateChangesDamaged, Is.GreaterThan(100), "the cuts dropped or tore unsynced state-file changes: they bite");
        Assert.That(result.VolumeWritesDamaged, Is.GreaterThan(100), "and unsynced volume writes");
    }

    // The mutants: the commit before a command's answer without its fsync (caught at about 6 cuts in 10), or the
    // checkpoint's rename without the directory fsync right after it (the sync after the new journal still covers it,
    // so only a cut between the two catches it: 8 of the first 1,000 seeds).
    [TestCase(PowerCutSkippedSync.Skip.JournalSync, 200)]
    [TestCase(PowerCutSkippedSync.Skip.DirectorySyncAfterRename, 1000)]
    public void ASkippedSyncOfThePairStateIsCaughtAsALostAnsweredChange(PowerCutSkippedSync.Skip skip, int cuts)
    {
        PowerCutRunResult result = PowerCutRun.Run(new PowerCutRunOptions { Seed = 1, Cuts = cuts, StateFiles = files => new PowerCutSkippedSync(files, skip) });
        TestContext.Out.WriteLine(Describe(result));
        Assert.That(result.StateViolations, Is.GreaterThan(0), "a pair state that is not durable before the answer is lost at some cut, and the run says so");
        Assert.That(result.Passed, Is.False);
    }

    [Test]
    public void ASkippedSyncOfTheWriteIntentRecordIsCaughtAsAPairWhoseVolumesDiffer()
    {
        // A keep that is not durable: a write in flight at the cut may leave P and S different in a region the
        // restart does not know about, so a PAIR pair comes back PAIR with its S-VOL wrong.
        PowerCutRunResult result = PowerCutRun.Run(new PowerCutRunOptions { Seed = 1, Cuts = 1000, StateFiles = files => new PowerCutSkippedSync(files, PowerCutSkippedSync.Skip.IntentSync) });
        TestContext.Out.WriteLine(Describe(result));
        Assert.That(result.Mismatches, Is.GreaterThan(0), "the run finds the S-VOL that differs from its P-VOL");
        Assert.That(result.Passed, Is.False);
    }

    [Test]
    public void WriteBackDisksLoseAcknowledgedWritesToTheSameCuts()
    {
        // The control on the data side: disks that answer from their cache (no sync before GOOD) lose answered writes.
        PowerCutRunResult result = PowerCutRun.Run(new PowerCutRunOptions { Seed = 1, Cuts = 200, Policy = WriteCachePolicy.WriteBack });
        TestContext.Out.WriteLine(Describe(result));
        Assert.That(result.WritesLost + result.WritesTorn, Is.GreaterThan(0), "write-back answers before the data is durable: a cut loses some of it, and the run says so");
        Assert.That(result.Passed, Is.False);
    }

    internal static string Describe(PowerCutRunResult result)
    {
        return "cuts " + result.Cuts + " (inside state files " + result.CutsInsideStateFiles + "), writes acknowledged " + result.WritesAcknowledged + ", lost " + result.WritesLost + ", torn " + result.WritesTorn
            + ", pair commands acknowledged " + result.PairCommandsAcknowledged + ", pairs checked " + result.PairsChecked + ", split images checked " + result.SplitImagesChecked
            + ", state violations " + result.StateViolations + ", mismatches " + result.Mismatches + ", unsynced state changes damaged " + result.StateChangesDamaged
            + ", unsynced volume writes damaged " + result.VolumeWritesDamaged + ", " + result.Elapsed.TotalSeconds.ToString("F1", System.Globalization.CultureInfo.InvariantCulture) + " s"
            + Environment.NewLine + string.Join(Environment.NewLine, result.Failures);
    }
}
