// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Media;
using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.RemoteCopy;
using Controller.Firmware.Scheduling;
using Controller.Firmware.Volumes;

namespace Controller.Firmware.Tests.RemoteCopy;

/// <summary>
/// The remote-copy link failing and coming back: both sides go to PSUE as soon as they learn it, fence level data
/// refuses P-VOL writes and never accepts and marks them, and the resync after the link returns sends only the marked
/// tracks. The fault points are chosen by seeds of the deterministic scheduler, so a failure replays by its seed.
/// </summary>
[Category("R0-1")]
[Category("R0-5")]
public sealed class RemoteLinkFaultTests
{
    private const long Blocks = 2048;

    [Test]
    public void LinkDownSuspendsBothSidesAtOnce()
    {
        using TwoSubsystemRig rig = Paired(seed: 21, FenceLevel.Never, out _, out _);
        rig.Path.Down();
        Assert.That(rig.Primary(1, 2).State, Is.EqualTo(PairState.Psue), "the primary learns it from its path");
        Assert.That(rig.Secondary(1, 2)!.State, Is.EqualTo(PairState.Psue), "the secondary from its lost peer");
        Assert.That(rig.Ss1.Pairs.GetEvents().Last().Cause, Is.EqualTo(PairEventCause.LinkDown));
    }

    [Test]
    public void FenceNeverAcceptsWritesWhileTheLinkIsDownAndTheResyncSendsOnlyThose()
    {
        using TwoSubsystemRig rig = Paired(seed: 22, FenceLevel.Never, out Ldev lv1, out Ldev lv2);
        rig.Path.Down();
        Assert.That(rig.Write(lv1, 5 * 128, TwoSubsystemRig.Pattern(1, 8)), Is.EqualTo(MediaStatus.Good), "accepted and marked");
        Assert.That(rig.Write(lv1, 7 * 128, TwoSubsystemRig.Pattern(2, 8)), Is.EqualTo(MediaStatus.Good));
        Assert.That(rig.Primary(1, 2).PercentIdentical, Is.EqualTo(87), "14 of 16 tracks still agree: a remote PSUE keeps its bitmap");

        PairCommandResponse refused = rig.Command(rig.Ss1, 1, 2, PairOperation.Resync);
        Assert.That(refused.Error, Is.EqualTo(PairErrorCode.LinkDown), "a resync needs the peer");
        Assert.That(rig.Primary(1, 2).State, Is.EqualTo(PairState.Psue), "and changed nothing");

        rig.Path.Up();
        long before = rig.Path.BlocksDelivered;
        PairCommandResponse resync = rig.Command(rig.Ss1, 1, 2, PairOperation.Resync);
        Assert.That(resync.Result, Is.EqualTo(CommandResult.Accepted), resync.Message);
        rig.Scheduler.RunUntilIdle();
        Assert.That(rig.Primary(1, 2).State, Is.EqualTo(PairState.Pair));
        Assert.That(rig.Secondary(1, 2)!.State, Is.EqualTo(PairState.Pair));
        Assert.That(rig.Primary(1, 2).CopyTotalTracks, Is.EqualTo(2), "only the two tracks written while suspended");
        Assert.That(rig.Path.BlocksDelivered - before, Is.EqualTo(2 * 128));
        Assert.That(TwoSubsystemRig.Checksum(lv2), Is.EqualTo(TwoSubsystemRig.Checksum(lv1)));
    }

    [Test]
    public void FenceDataRefusesPVolWritesWhileSuspendedByError()
    {
        using TwoSubsystemRig rig = Paired(seed: 23, FenceLevel.Data, out Ldev lv1, out Ldev lv2);
        string image = TwoSubsystemRig.Checksum(lv2);
        rig.Path.Down();
        Assert.That(rig.Write(lv1, 0, TwoSubsystemRig.Pattern(1, 8)), Is.EqualTo(MediaStatus.Fenced));
        Assert.That(TwoSubsystemRig.Checksum(lv1), Is.EqualTo(image), "a fenced P-VOL does not run ahead of its S-VOL");

        rig.Path.Up();
        rig.Command(rig.Ss1, 1, 2, PairOperation.Resync);
        rig.Scheduler.RunUntilIdle();
        Assert.That(rig.Write(lv1, 0, TwoSubsystemRig.Pattern(1, 8)), Is.EqualTo(MediaStatus.Good), "writable again once PAIR");
        Assert.That(TwoSubsystemRig.Checksum(lv2), Is.EqualTo(TwoSubsystemRig.Checksum(lv1)));
    }

    [Test]
    public void APairSplitByCommandStaysSplitWhenTheLinkGoesDown()
    {
        using TwoSubsystemRig rig = Paired(seed: 24, FenceLevel.Data, out Ldev lv1, out _);
        rig.Command(rig.Ss1, 1, 2, PairOperation.Split);
        rig.Scheduler.RunUntilIdle();
        rig.Path.Down();
        Assert.That(rig.Primary(1, 2).State, Is.EqualTo(PairState.Psus), "not mirroring, so nothing is lost: still PSUS");
        Assert.That(rig.Write(lv1, 0, TwoSubsystemRig.Pattern(1, 8)), Is.EqualTo(MediaStatus.Good), "a split P-VOL is not fenced");
    }

    [Test]
    public void TheSecondaryMayDeleteItsSideOnceItsPrimaryIsOutOfReach()
    {
        using TwoSubsystemRig rig = Paired(seed: 25, FenceLevel.Never, out _, out Ldev lv2);
        rig.Path.Down();
        PairCommandResponse deleted = rig.Command(rig.Ss2, 1, 2, PairOperation.Delete);
        Assert.That(deleted.Result, Is.EqualTo(CommandResult.Accepted), deleted.Message);
        Assert.That(rig.Write(lv2, 0, TwoSubsystemRig.Pattern(1, 8)), Is.EqualTo(MediaStatus.Good), "the S-VOL is simplex");
    }

    /// <summary>
    /// Writes are in flight when the link fails at a seeded step; it comes back and the pair is resynced. With fence
    /// never every write is answered Good; the volumes then agree block for block, and nothing was sent twice
    /// beyond the tracks marked.
    /// </summary>
    [Test]
    public void WritesInFlightWhenTheLinkFailsAreNeverLost([Range(1, 40)] int seed)
    {
        using TwoSubsystemRig rig = Paired((ulong)(1000 + seed), FenceLevel.Never, out Ldev lv1, out Ldev lv2);
        SplitMix64 random = new((ulong)seed);
        for (int i = 0; i < 64; i++)
        {
            rig.SubmitWrite(lv1, random.Next((int)Blocks - 8), TwoSubsystemRig.Pattern((ulong)((seed * 1000) + i), 1 + random.Next(8)));
        }

        int steps = random.Next(200);
        for (int i = 0; i < steps && rig.Scheduler.RunOne(); i++)
        {
        }

        rig.Path.Down();
        rig.Scheduler.RunUntilIdle();
        Assert.That(rig.Writes.All(w => w.IsComplete && w.Status == MediaStatus.Good), Is.True, "fence never: every write answered Good");

        rig.Path.Up();
        if (rig.Primary(1, 2).State != PairState.Pair)
        {
            PairCommandResponse resync = rig.Command(rig.Ss1, 1, 2, PairOperation.Resync);
            Assert.That(resync.Result, Is.EqualTo(CommandResult.Accepted), resync.Message);
            rig.Scheduler.RunUntilIdle();
        }

        Assert.That(rig.Primary(1, 2).State, Is.EqualTo(PairState.Pair), "seed " + seed);
        Assert.That(rig.Secondary(1, 2)!.State, Is.EqualTo(PairState.Pair), "seed " + seed);
        Assert.That(TwoSubsystemRig.Checksum(lv2), Is.EqualTo(TwoSubsystemRig.Checksum(lv1)), "seed " + seed + ": the S-VOL caught up exactly");
    }

    /// <summary>The same with fence data: a write is either answered Good and on both volumes, or refused.</summary>
    [Test]
    public void WithFenceDataEveryAcknowledgedWriteIsOnTheSVol([Range(1, 20)] int seed)
    {
        using TwoSubsystemRig rig = Paired((ulong)(2000 + seed), FenceLevel.Data, out Ldev lv1, out Ldev lv2);
        rig.WatchAtAck = [lv2];
        SplitMix64 random = new((ulong)seed);
        for (int i = 0; i < 32; i++)
        {
            // Disjoint 8-block ranges, so each write's own blocks tell whether it reached the S-VOL.
            rig.SubmitWrite(lv1, i * 64, TwoSubsystemRig.Pattern((ulong)((seed * 1000) + i), 8));
        }

        int steps = random.Next(150);
        for (int i = 0; i < steps && rig.Scheduler.RunOne(); i++)
        {
        }

        rig.Path.Down();
        rig.Scheduler.RunUntilIdle();
        foreach (TwoSubsystemRig.HostWrite write in rig.Writes)
        {
            Assert.That(write.Status, Is.AnyOf(MediaStatus.Good, MediaStatus.Fenced));
            if (write.Status == MediaStatus.Good)
            {
                Assert.That(write.SeenAtAck[0], Is.EqualTo(write.Data), "seed " + seed + ": acknowledged, so on the S-VOL");
            }
        }

        Assert.That(rig.Writes.Count(w => w.Status == MediaStatus.Fenced) + rig.Writes.Count(w => w.Status == MediaStatus.Good), Is.EqualTo(32));
    }

    private static TwoSubsystemRig Paired(ulong seed, FenceLevel fence, out Ldev lv1, out Ldev lv2)
    {
        TwoSubsystemRig rig = new(seed);
        lv1 = rig.Volume1(1, Blocks);
        lv2 = rig.Volume2(2, Blocks);
        TwoSubsystemRig.Fill(lv1, seed);
        PairCommandResponse created = rig.CreateRemote(1, 2, fence);
        Assert.That(created.Result, Is.EqualTo(CommandResult.Accepted), created.Message);
        rig.Scheduler.RunUntilIdle();
        Assert.That(rig.Primary(1, 2).State, Is.EqualTo(PairState.Pair));
        return rig;
    }
}
