// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;

namespace Controller.Firmware.Tests.Determining;

/// <summary>
/// Seed 002 FIG 3 for a determining pair, transition by transition, through both storages (R2-4, R2-5): T1 create ->
/// COPYING, T2 -> PAIRED, T3 split -> SUSPEND (NORMAL), T4 resync at the P-VOL, T5 swap resync at the S-VOL (roles
/// exchanged), T6 a link failure -> SUSPEND (ABNORMAL), T7 delete -> NON-PAIRED on both; T8 (re-arm from SUSPEND
/// (ABNORMAL) by a split once the link is back) and T9 (split while copying) as configured.
/// </summary>
[Category("R2-5")]
[Category("R2-4")]
public sealed class DeterminingTransitionTests
{
    private const ushort Dv = DeterminingRig.Dv;

    [Test]
    [Category("R2-3")]
    [Category("R2-6")]
    [Category("R2-7")]
    public void T1ToT5And7WithBothStoragesAgreeingAfterEach()
    {
        using DeterminingRig rig = new(seed: 31, pace: new CopyPace { TracksPerStep = 1, BytesPerSecond = 64 * 1024 });
        Assert.That(rig.Create(Dv, determining: true).Result, Is.EqualTo(CommandResult.Accepted));
        rig.Storage.RunReady();
        Expect(rig, "T1", PairRole.PVol, PairState.Copy);
        rig.Storage.Scheduler.RunUntilIdle();
        Expect(rig, "T2", PairRole.PVol, PairState.Pair);
        Assert.That(rig.Send(rig.Sd1, Dv, PairOperation.Split).Result, Is.EqualTo(CommandResult.Accepted));
        Expect(rig, "T3 (armed)", PairRole.PVol, PairState.Psus);
        Assert.That(rig.Storage.Write(rig.Dv1, 0, Tests.RemoteCopy.TwoSubsystemRig.Pattern(9, 8)), Is.EqualTo(Firmware.Media.MediaStatus.Good), "a track for the resync to copy");

        Assert.That(rig.Send(rig.Sd1, Dv, PairOperation.Resync).Result, Is.EqualTo(CommandResult.Accepted));
        rig.Storage.RunReady();
        Expect(rig, "T4 copying", PairRole.PVol, PairState.CopyResync);
        rig.Storage.Scheduler.RunUntilIdle();
        Expect(rig, "T4 paired, roles unchanged", PairRole.PVol, PairState.Pair);

        rig.Send(rig.Sd1, Dv, PairOperation.Split);
        Assert.That(rig.Send(rig.Sd2, Dv, PairOperation.SwapResync).Result, Is.EqualTo(CommandResult.Accepted));
        Assert.That(rig.View(rig.Sd2, Dv), Is.EqualTo(((PairRole?)PairRole.PVol, PairState.CopyResync)), "T5: the roles swap at once, then the copy");
        rig.Storage.Scheduler.RunUntilIdle();
        Expect(rig, "T5 paired, roles swapped", PairRole.SVol, PairState.Pair);

        Assert.That(rig.Send(rig.Sd1, Dv, PairOperation.Delete).Result, Is.EqualTo(CommandResult.Accepted), "a delete sent to the S-VOL reaches the owner");
        rig.Storage.Scheduler.RunUntilIdle();
        Assert.That(rig.View(rig.Sd1, Dv), Is.EqualTo(((PairRole?)null, PairState.Smpl)), "T7: SD1");
        Assert.That(rig.View(rig.Sd2, Dv), Is.EqualTo(((PairRole?)null, PairState.Smpl)), "T7: SD2");
    }

    [TestCase(PairState.Copy)]
    [TestCase(PairState.Pair)]
    [Category("R2-11")]
    public void T6ALinkFailureWhileCopyingOrPairedSuspendsByError(PairState state)
    {
        using DeterminingRig rig = new(seed: 32, pace: new CopyPace { TracksPerStep = 1, BytesPerSecond = 64 * 1024 });
        rig.Create(Dv, determining: true);
        if (state == PairState.Pair)
        {
            rig.Storage.Scheduler.RunUntilIdle();
        }
        else
        {
            rig.Storage.RunReady();
        }

        Expect(rig, "before", PairRole.PVol, state);
        rig.Storage.LinkDown();
        rig.Storage.RunReady();
        Assert.That(rig.View(rig.Sd1, Dv), Is.EqualTo(((PairRole?)PairRole.PVol, PairState.Psue)));
        Assert.That(rig.View(rig.Sd2, Dv), Is.EqualTo(((PairRole?)PairRole.SVol, PairState.Psue)));
    }

    [TestCase(true)]
    [TestCase(false)]
    public void T8ASplitOnceTheLinkIsBackReArmsASuspendedByErrorPairWhenConfigured(bool rearm)
    {
        using DeterminingRig rig = new(seed: 33, configure: o => o with { DeterminingRearmFromSuspendAbnormal = rearm });
        rig.Arm(dataPair: false);
        rig.Storage.LinkDown();
        Assert.That(rig.Send(rig.Sd1, Dv, PairOperation.Resync).Error, Is.EqualTo(PairErrorCode.LinkDown));
        Assert.That(rig.Send(rig.Sd1, Dv, PairOperation.Split).Result, Is.Not.EqualTo(CommandResult.Accepted), "no re-arm while the link is down");
        rig.Storage.LinkUp();

        PairCommandResponse split = rig.Send(rig.Sd1, Dv, PairOperation.Split);
        rig.Storage.Scheduler.RunUntilIdle();
        if (rearm)
        {
            Assert.That(split.Result, Is.EqualTo(CommandResult.Accepted), split.Message);
            Expect(rig, "T8: re-armed", PairRole.PVol, PairState.Psus);
            Assert.That(rig.Send(rig.Sd2, Dv, PairOperation.SwapResync).Result, Is.EqualTo(CommandResult.Accepted), "and the lock works again");
        }
        else
        {
            Assert.That(split.Result, Is.EqualTo(CommandResult.NoOp), "T1 decides: a no-op");
            Expect(rig, "still suspended by error", PairRole.PVol, PairState.Psue);
        }
    }

    [TestCase(true)]
    [TestCase(false)]
    public void T9ASplitWhileCopyingIsAcceptedOrRefusedAsConfigured(bool splitWhileCopying)
    {
        using DeterminingRig rig = new(seed: 34, pace: new CopyPace { TracksPerStep = 1, BytesPerSecond = 64 * 1024 }, configure: o => o with { DeterminingSplitWhileCopying = splitWhileCopying });
        rig.Create(Dv, determining: true);
        rig.Storage.RunReady();
        PairCommandResponse split = rig.Send(rig.Sd1, Dv, PairOperation.Split);
        rig.Storage.RunReady();
        Assert.That(split.Result, Is.EqualTo(splitWhileCopying ? CommandResult.Accepted : CommandResult.Rejected), split.Message);
        Expect(rig, "after", PairRole.PVol, splitWhileCopying ? PairState.Psus : PairState.Copy);
    }

    // The view from SD1 (the roles at SD2 are the complement, the state the same: R2-4).
    private static void Expect(DeterminingRig rig, string why, PairRole sd1Role, PairState state)
    {
        Assert.That(rig.View(rig.Sd1, Dv), Is.EqualTo(((PairRole?)sd1Role, state)), why + ": SD1");
        Assert.That(rig.View(rig.Sd2, Dv), Is.EqualTo(((PairRole?)(sd1Role == PairRole.PVol ? PairRole.SVol : PairRole.PVol), state)), why + ": SD2 agrees");
    }
}
