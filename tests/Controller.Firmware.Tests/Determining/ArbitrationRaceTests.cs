// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.RemoteCopy;
using Controller.Firmware.Scheduling;
using Controller.Firmware.Tests.RemoteCopy;

namespace Controller.Firmware.Tests.Determining;

/// <summary>
/// R2-9: a resync sent to DV1 at SD1 and a swap resync sent to DV2 at SD2 together, against the armed determining
/// pair: exactly one NORMAL END while the link is up, at most one when the link fails at any point, and never two
/// owners. Every interleaving the seeded scheduler picks of the two requests, the link's deliveries and the MPs; then
/// the same race on real threads.
/// </summary>
[Category("R2-9")]
public sealed class ArbitrationRaceTests
{
    private const int Seeds = 10_000;

    [Test]
    public void ExactlyOneWinnerInEverySeededInterleavingWithTheLinkUp()
    {
        int resyncWins = 0;
        long queued = 0;
        for (ulong seed = 0; seed < Seeds; seed++)
        {
            RaceResult race = Race(seed, faultAfterSteps: -1);
            using (race.Rig)
            {
                AssertOneWinnerByArrival(race, "seed " + seed);
                Assert.That(race.Rig.View(race.Rig.Sd1, DeterminingRig.Dv).State, Is.EqualTo(PairState.Pair), "seed " + seed + ": the winner's copy ended");
                resyncWins += race.Resync.Result == CommandResult.Accepted ? 1 : 0;
                queued += race.Rig.Sd1.Pairs.DeterminingCommandsQueued + race.Rig.Sd2.Pairs.DeterminingCommandsQueued;
            }
        }

        // Both orders happen, and in some interleavings the second arrived while the first was out (it waited): the
        // race is real, not an artefact of one ordering.
        Assert.That(resyncWins, Is.InRange(1, Seeds - 1));
        Assert.That(queued, Is.GreaterThan(0), "some second command waited for the first");
        TestContext.Out.WriteLine("resync won " + resyncWins + " of " + Seeds + " seeds, swap resync " + (Seeds - resyncWins) + "; " + queued + " commands waited");
    }

    [Test]
    [Category("R2-30")]
    public void ExactlyOneWinnerWithRandomizedDelaysOnTheLink()
    {
        int resyncWins = 0;
        const int Delayed = 2_000;
        for (ulong seed = 0; seed < Delayed; seed++)
        {
            // Each direction its own one-way delay, 0-2 ms of virtual time, and the two requests up to 3 ms apart.
            Random random = new((int)seed + 77);
            (TimeSpan, TimeSpan) latency = (TimeSpan.FromMicroseconds(random.Next(2_000)), TimeSpan.FromMicroseconds(random.Next(2_000)));
            RaceResult race = Race(seed, faultAfterSteps: -1, latency, TimeSpan.FromMicroseconds(random.Next(3_000)));
            using (race.Rig)
            {
                AssertOneWinnerByArrival(race, "seed " + seed);
                resyncWins += race.Resync.Result == CommandResult.Accepted ? 1 : 0;
            }
        }

        Assert.That(resyncWins, Is.InRange(1, Delayed - 1), "both orders happen");
        TestContext.Out.WriteLine("with delays: resync won " + resyncWins + " of " + Delayed);
    }

    [Test]
    public void ASwapResyncArrivingWhileTheResyncIsOutWaitsAndGetsFig4sAnswer()
    {
        // The owner's resync asks SD2 first, over a link 5 ms long; the swap resync sent meanwhile reaches the owner
        // at once, while that is out.
        using DeterminingRig rig = new(seed: 11, latency: (TimeSpan.FromMilliseconds(5), TimeSpan.Zero));
        rig.Arm(dataPair: false);
        Task<PairCommandResponse> resync = rig.Sd1.Pairs.ExecuteAsync(At1(), At2(), PairOperation.Resync);
        Task<PairCommandResponse> swap = rig.Sd2.Pairs.ExecuteAsync(At1(), At2(), PairOperation.SwapResync);
        rig.Storage.Scheduler.RunUntilIdle();

        Assert.That(resync.Result.Result, Is.EqualTo(CommandResult.Accepted), resync.Result.Message);
        Assert.That(swap.Result.Result, Is.EqualTo(CommandResult.Rejected), swap.Result.Message);
        Assert.That(swap.Result.Error, Is.EqualTo(PairErrorCode.CopyInProgress).Or.EqualTo(PairErrorCode.DeterminingPairHeld), swap.Result.Message);
        Assert.That(rig.Sd1.Pairs.DeterminingCommandsQueued, Is.EqualTo(1), "the swap resync waited at the owner");
    }

    [Test]
    public void AResyncNamingThePairAsBeforeTheSwapGetsFig4sAnswerNotNotPaired()
    {
        // H1 looked (P-VOL, suspended) before H2's swap resync turned the pair; its resync names the old orientation.
        using DeterminingRig rig = new(seed: 12);
        rig.Arm(dataPair: false);
        Task<PairCommandResponse> swap = rig.Sd2.Pairs.ExecuteAsync(At1(), At2(), PairOperation.SwapResync);
        while (rig.View(rig.Sd1, DeterminingRig.Dv).Role != PairRole.SVol)
        {
            Assert.That(rig.Storage.Scheduler.RunOne(), Is.True, "the swap resync reaches the owner");
        }

        PairCommandResponse resync = rig.Storage.Await(rig.Sd1.Pairs.ExecuteAsync(At1(), At2(), PairOperation.Resync));
        rig.Storage.Scheduler.RunUntilIdle();

        Assert.That(swap.Result.Result, Is.EqualTo(CommandResult.Accepted), swap.Result.Message);
        Assert.That(resync.Result, Is.EqualTo(CommandResult.Rejected), resync.Message);
        Assert.That(resync.Error, Is.EqualTo(PairErrorCode.CopyInProgress).Or.EqualTo(PairErrorCode.DeterminingPairHeld), resync.Message);
    }

    [Test]
    [Category("R2-10")]
    public void AtMostOneWinnerWhenTheLinkFailsAtAnyPoint()
    {
        for (ulong seed = 0; seed < 3_000; seed++)
        {
            // The link fails after 0 to 59 scheduler steps: before, between and after the two requests' messages.
            RaceResult race = Race(seed, faultAfterSteps: (int)(seed % 60));
            (PairCommandResponse resync, PairCommandResponse swap, DeterminingRig rig) = (race.Resync, race.Swap, race.Rig);
            using (rig)
            {
                int winners = (resync.Result == CommandResult.Accepted ? 1 : 0) + (swap.Result == CommandResult.Accepted ? 1 : 0);
                Assert.That(winners, Is.LessThanOrEqualTo(1), "seed " + seed);
                Assert.That(new[] { resync.Error, swap.Error }, Has.None.EqualTo(PairErrorCode.PairBusy), "seed " + seed + ": never BUSY");
                (PairRole? role1, _) = rig.View(rig.Sd1, DeterminingRig.Dv);
                (PairRole? role2, _) = rig.View(rig.Sd2, DeterminingRig.Dv);
                Assert.That(role1 == PairRole.PVol && role2 == PairRole.PVol, Is.False, "seed " + seed + ": never two owners");
                if (resync.Result == CommandResult.Accepted)
                {
                    Assert.That(role1, Is.EqualTo(PairRole.PVol), "seed " + seed);
                }

                if (swap.Result == CommandResult.Accepted)
                {
                    Assert.That(role2, Is.EqualTo(PairRole.PVol), "seed " + seed);
                }
            }
        }
    }

    [Test]
    [Category("R2-10")]
    public void WithTheLinkDownBothAnswerAbnormalEndAndThePairIsSuspendedByError()
    {
        using DeterminingRig rig = new(seed: 5);
        rig.Arm(dataPair: false);
        rig.Storage.LinkDown();

        PairCommandResponse resync = rig.Send(rig.Sd1, DeterminingRig.Dv, PairOperation.Resync);
        PairCommandResponse swap = rig.Send(rig.Sd2, DeterminingRig.Dv, PairOperation.SwapResync);

        Assert.That(resync.Result, Is.EqualTo(CommandResult.Rejected));
        Assert.That(resync.Error, Is.EqualTo(PairErrorCode.LinkDown));
        Assert.That(swap.Result, Is.EqualTo(CommandResult.Rejected));
        Assert.That(swap.Error, Is.EqualTo(PairErrorCode.LinkDown));
        Assert.That(rig.View(rig.Sd1, DeterminingRig.Dv), Is.EqualTo(((PairRole?)PairRole.PVol, PairState.Psue)));
        Assert.That(rig.View(rig.Sd2, DeterminingRig.Dv), Is.EqualTo(((PairRole?)PairRole.SVol, PairState.Psue)));
    }

    [Test]
    public void ExactlyOneWinnerOnRealThreads()
    {
        int[] wins = new int[2];
        for (int round = 0; round < 300; round++)
        {
            using RealTimeRace race = new();
            race.Arm();
            using Barrier start = new(2);
            Task<PairCommandResponse> resync = Task.Run(() =>
            {
                start.SignalAndWait();
                return race.Ss1.Pairs.ExecuteAsync(At1(), At2(), PairOperation.Resync);
            });
            Task<PairCommandResponse> swap = Task.Run(() =>
            {
                start.SignalAndWait();
                return race.Ss2.Pairs.ExecuteAsync(At1(), At2(), PairOperation.SwapResync);
            });
            Assert.That(Task.WaitAll([resync, swap], TimeSpan.FromSeconds(30)), Is.True, "both answered");
            int winners = (resync.Result.Result == CommandResult.Accepted ? 1 : 0) + (swap.Result.Result == CommandResult.Accepted ? 1 : 0);
            Assert.That(winners, Is.EqualTo(1), "round " + round + ": " + resync.Result.Message + " / " + swap.Result.Message);
            wins[resync.Result.Result == CommandResult.Accepted ? 0 : 1]++;
        }

        TestContext.Out.WriteLine("resync won " + wins[0] + ", swap resync " + wins[1]);
    }

    private static VolumeAddress At1() => TwoSubsystemRig.At1(DeterminingRig.Dv);

    private static VolumeAddress At2() => TwoSubsystemRig.At2(DeterminingRig.Dv);

    // Exactly one NORMAL END; the loser gets FIG 4's ABNORMAL END for the state the winner left (copying or paired),
    // never BUSY or "no such pair"; the winner is the one that reached the owner (SD1) first.
    private static void AssertOneWinnerByArrival(RaceResult race, string why)
    {
        (PairCommandResponse resync, PairCommandResponse swap, DeterminingRig rig) = (race.Resync, race.Swap, race.Rig);
        int winners = (resync.Result == CommandResult.Accepted ? 1 : 0) + (swap.Result == CommandResult.Accepted ? 1 : 0);
        Assert.That(winners, Is.EqualTo(1), why + ": " + resync.Message + " / " + swap.Message);
        PairCommandResponse winner = race.SwapFirst ? swap : resync;
        PairCommandResponse loser = race.SwapFirst ? resync : swap;
        Assert.That(winner.Result, Is.EqualTo(CommandResult.Accepted), why + ": the first to reach the owner wins (" + (race.SwapFirst ? "swap resync" : "resync") + "): " + winner.Message + " / " + loser.Message);
        Assert.That(loser.Error, Is.EqualTo(PairErrorCode.CopyInProgress).Or.EqualTo(PairErrorCode.DeterminingPairHeld), why + ": FIG 4's answer for the state it found: " + loser.Message);
        rig.AssertAgree(DeterminingRig.Dv, why);
        PairRole expected = resync.Result == CommandResult.Accepted ? PairRole.PVol : PairRole.SVol;
        Assert.That(rig.View(rig.Sd1, DeterminingRig.Dv).Role, Is.EqualTo(expected), why + ": the winner holds the P-VOL");
    }

    // Arms the determining pair, then issues the two requests at seeded steps of the scheduler (either may go
    // first, or both in one step), and runs until both are answered (taking the link down after some steps, when
    // asked) and everything has settled. Each request names the pair as both hosts saw it when armed (DV1 -> DV2),
    // as the paired volume control software does from the PAIR STATUS it read before. The resync reaches the owner
    // when it is sent; whether the swap resync had reached it first shows in the owner's row then (turned to an
    // S-VOL: the swap resync, decided on arrival at an idle owner, was accepted).
    private static RaceResult Race(ulong seed, int faultAfterSteps)
    {
        return Race(seed, faultAfterSteps, null, null);
    }

    // With latency: the paths delay each message, and the swap resync is sent a virtual time after the resync (the
    // resync after the swap for odd seeds).
    private static RaceResult Race(ulong seed, int faultAfterSteps, (TimeSpan, TimeSpan)? latency, TimeSpan? apart)
    {
        DeterminingRig rig = new(seed, latency: latency);
        rig.Arm(dataPair: false);
        Random random = new((int)seed);
        int resyncAt = apart is null ? random.Next(6) : 0;
        int swapAt = apart is null ? random.Next(6) : 0;
        Task<PairCommandResponse>? resync = null;
        Task<PairCommandResponse>? swap = null;
        bool swapFirst = false;
        Task<PairCommandResponse> SendResync()
        {
            swapFirst = rig.View(rig.Sd1, DeterminingRig.Dv).Role == PairRole.SVol;
            return rig.Sd1.Pairs.ExecuteAsync(At1(), At2(), PairOperation.Resync);
        }

        Task<PairCommandResponse> SendSwap() => rig.Sd2.Pairs.ExecuteAsync(At1(), At2(), PairOperation.SwapResync);

        if (apart is TimeSpan gap)
        {
            bool resyncFirst = seed % 2 == 0;
            Task<PairCommandResponse> first = resyncFirst ? SendResync() : SendSwap();
            DateTimeOffset until = rig.Storage.Scheduler.Time.GetUtcNow() + gap;
            while (rig.Storage.Scheduler.Time.GetUtcNow() < until && rig.Storage.Scheduler.RunOne())
            {
            }

            Task<PairCommandResponse> second = resyncFirst ? SendSwap() : SendResync();
            (resync, swap) = resyncFirst ? (first, second) : (second, first);
            resyncAt = swapAt = -1;
        }

        for (int step = 0; resync is null || swap is null || !(resync.IsCompleted && swap.IsCompleted); step++)
        {
            if (step == faultAfterSteps)
            {
                rig.Storage.LinkDown();
            }

            if (step == resyncAt)
            {
                resync = SendResync();
            }

            if (step == swapAt)
            {
                swap = SendSwap();
            }

            // A ready item, or the clock moved to the next timer (a delayed message, a paced step).
            if (!rig.Storage.Scheduler.RunOne() && step > Math.Max(resyncAt, swapAt) && !(resync!.IsCompleted && swap!.IsCompleted))
            {
                Assert.Fail("seed " + seed + ": nothing left to run and a request is unanswered");
            }
        }

        rig.Storage.Scheduler.RunUntilIdle();
        return new RaceResult(resync.Result, swap.Result, rig, swapFirst);
    }

    private sealed record RaceResult(PairCommandResponse Resync, PairCommandResponse Swap, DeterminingRig Rig, bool SwapFirst);

    // Two subsystems on real MP threads, joined both ways by scheduled paths on the thread pool.
    private sealed class RealTimeRace : IDisposable
    {
        public RealTimeRace()
        {
            SubsystemOptions options = new() { MpCount = 2 };
            Ss1 = new StorageSubsystem(RealTimeScheduler.Instance, options);
            Ss2 = new StorageSubsystem(RealTimeScheduler.Instance, options);
            Ss1.CreateLdev(new LdevId(DeterminingRig.Dv), DeterminingRig.Blocks);
            Ss2.CreateLdev(new LdevId(DeterminingRig.Dv), DeterminingRig.Blocks);
            Ss1.Pairs.AddRemotePath(new ScheduledRemotePath("SS1->SS2", RealTimeScheduler.Instance, TwoSubsystemRig.Ss1Initiator, Ss2.Pairs, a => Ss2.FindLdev(new LdevId(a.Lun.Value)), p => p.Value == TwoSubsystemRig.Ss2Port));
            Ss2.Pairs.AddRemotePath(new ScheduledRemotePath("SS2->SS1", RealTimeScheduler.Instance, TwoSubsystemRig.Ss2Initiator, Ss1.Pairs, a => Ss1.FindLdev(new LdevId(a.Lun.Value)), p => p.Value == TwoSubsystemRig.Ss1Port));
        }

        public StorageSubsystem Ss1 { get; }

        public StorageSubsystem Ss2 { get; }

        public void Arm()
        {
            Assert.That(Ss1.Pairs.CreateRemoteAsync(At1(), Ss1.FindLdev(new LdevId(DeterminingRig.Dv))!, At2(), FenceLevel.Never, determining: true).Result.Result, Is.EqualTo(CommandResult.Accepted));
            Assert.That(Ss1.Pairs.WaitForState(At1(), At2(), PairState.Pair, TimeSpan.FromSeconds(30)), Is.True);
            Assert.That(Ss1.Pairs.ExecuteAsync(At1(), At2(), PairOperation.Split).Result.Result, Is.EqualTo(CommandResult.Accepted));
        }

        public void Dispose()
        {
            Ss1.Dispose();
            Ss2.Dispose();
        }
    }
}
