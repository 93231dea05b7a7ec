// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.PairVocabulary;
using Controller.HostSim.Replay;
using Controller.Wire.CopyManagement;

namespace Controller.HostSim.Tests.Replay;

public sealed class PairStatusComparisonTests
{
    private static readonly PairStatusRow s_split = new(1, new WireVolumeId(new PortId(0x400104), 1), new WireVolumeId(new PortId(0x400104), 2), 0, (byte)PairState.Psus, 0, 0, 75, 1234, 1_800_000_000_000_000_000, 128, string.Empty);

    [Test]
    public void TheSplitTimeIsNeverCompared()
    {
        Assert.That(PairStatusComparison.Difference([s_split], [s_split with { SplitTimeNanoseconds = 1 }]), Is.Null, "the controller's clock is not the trace's");
    }

    [TestCase(PairState.Copy)]
    [TestCase(PairState.CopyResync)]
    [TestCase(PairState.Rcpy)]
    public void ARecordedCopyMatchesAReplayedCopyAtAnotherProgressOrOneAlreadyInPair(PairState copying)
    {
        PairStatusRow recorded = s_split with { State = (byte)copying, Percent = 40, DifferentialTracks = 77 };

        Assert.That(PairStatusComparison.Difference([recorded], [recorded with { Percent = 90, DifferentialTracks = 12 }]), Is.Null, "the copy's progress is its own pace");
        Assert.That(PairStatusComparison.Difference([recorded], [recorded with { State = (byte)PairState.Pair, Percent = 100, DifferentialTracks = 0 }]), Is.Null, "every copy ends in PAIR");
        Assert.That(PairStatusComparison.Difference([recorded], [recorded with { State = (byte)PairState.Psus }]), Does.Contain("replayed PSUS"), "but not in PSUS");
        Assert.That(PairStatusComparison.IsStillCopying([recorded], [recorded]), Is.False, "the recording saw it copying too: nothing to wait for");
    }

    [Test]
    public void ARecordedPairThatIsStillCopyingNowIsWaitedFor()
    {
        PairStatusRow recorded = s_split with { State = (byte)PairState.Pair, Percent = 100, DifferentialTracks = 0 };
        PairStatusRow now = recorded with { State = (byte)PairState.CopyResync, Percent = 30 };

        Assert.That(PairStatusComparison.IsStillCopying([recorded], [now]), Is.True, "the recorder had waited for the copy to end");
        Assert.That(PairStatusComparison.Difference([recorded], [now]), Does.Contain("recorded PAIR; replayed COPY(RS)"), "and if it never ends, that is a divergence");
    }

    [Test]
    public void ASplitPairsDifferentialTracksPercentageAndSequenceAreCompared()
    {
        Assert.That(PairStatusComparison.Difference([s_split], [s_split with { DifferentialTracks = 129 }]), Does.Contain("128 differential tracks").And.Contain("129 differential tracks"), "the tracks written after the split are the trace's");
        Assert.That(PairStatusComparison.Difference([s_split], [s_split with { Percent = 74 }]), Is.Not.Null, "so is the share identical");
        Assert.That(PairStatusComparison.Difference([s_split], [s_split with { SplitSequence = 1235 }]), Is.Not.Null, "and the split's write sequence number");
    }

    [Test]
    public void TheRowsAndTheirIdentityAreAlwaysCompared()
    {
        Assert.That(PairStatusComparison.Difference([s_split], []), Does.Contain("0 rows, the recording 1"), "a row missing");
        Assert.That(PairStatusComparison.Difference([s_split], [s_split with { SVol = new WireVolumeId(new PortId(0x400104), 3) }]), Does.Contain("0x400104/0x0003"), "another S-VOL");
        Assert.That(PairStatusComparison.Difference([s_split], [s_split with { SplitMode = 1 }]), Is.Not.Null, "another split mode");
        Assert.That(PairStatusComparison.Difference([s_split], [s_split with { MirrorName = "db" }]), Is.Not.Null, "another mirror name");
    }
}
