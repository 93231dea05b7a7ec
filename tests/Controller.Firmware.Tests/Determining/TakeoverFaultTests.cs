// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.Tests.RemoteCopy;

namespace Controller.Firmware.Tests.Determining;

/// <summary>
/// Faults in the middle of the takeover paths: a swap's copy stopped before its copy set was built still owes the new
/// primary's changes; a determining resync whose partner goes away suspends the pair (R2-10); a message a delayed link
/// still held when the link went down is lost, not delivered after the link is back.
/// </summary>
public sealed class TakeoverFaultTests
{
    [Test]
    [Category("R2-19")]
    public void ASwapCopyStoppedBeforeItsSetIsBuiltStillOwesTheNewPrimarysChanges()
    {
        using DeterminingRig rig = new(seed: 41);
        TwoSubsystemRig.Fill(rig.Pv, 3);
        rig.Arm();
        rig.Storage.LinkDown();
        rig.Storage.Scheduler.RunUntilIdle();
        Assert.That(rig.Send(rig.Sd2, DeterminingRig.Data, PairOperation.Split, SplitMode.ReadWrite).Result, Is.EqualTo(CommandResult.Accepted), "S-VOL takeover");
        Assert.That(rig.Storage.Write(rig.Sv, 128, TwoSubsystemRig.Pattern(12, 16)), Is.EqualTo(Firmware.Media.MediaStatus.Good));
        rig.Storage.LinkUp();

        Assert.That(rig.Send(rig.Sd2, DeterminingRig.Data, PairOperation.SwapResync).Result, Is.EqualTo(CommandResult.Accepted));
        Assert.That(rig.Of(rig.Sd2, DeterminingRig.Data)!.CopySet, Is.Null, "the copy set is not built yet");
        rig.Storage.LinkDown();
        rig.Storage.Scheduler.RunUntilIdle();
        Assert.That(rig.View(rig.Sd2, DeterminingRig.Data), Is.EqualTo(((PairRole?)PairRole.PVol, PairState.Psue)));

        rig.Storage.LinkUp();
        Assert.That(rig.Send(rig.Sd2, DeterminingRig.Data, PairOperation.Resync).Result, Is.EqualTo(CommandResult.Accepted));
        rig.Storage.Scheduler.RunUntilIdle();
        Assert.That(rig.View(rig.Sd2, DeterminingRig.Data), Is.EqualTo(((PairRole?)PairRole.PVol, PairState.Pair)));
        Assert.That(TwoSubsystemRig.Checksum(rig.Pv), Is.EqualTo(TwoSubsystemRig.Checksum(rig.Sv)), "PV has the writes SV took while it was taken over");
    }

    [Test]
    [Category("R2-10")]
    public void ADeterminingResyncWhosePartnerGoesAwaySuspendsThePairByError()
    {
        using DeterminingRig rig = new(seed: 42);
        rig.Arm(dataPair: false);
        Task<PairCommandResponse> resync = rig.SendAsync(rig.Sd1, DeterminingRig.Dv, PairOperation.Resync);
        rig.Storage.LinkDown();
        rig.Storage.Scheduler.RunUntilIdle();
        Assert.That(resync.IsCompleted, Is.True);
        Assert.That(resync.Result.Error, Is.EqualTo(PairErrorCode.LinkDown));
        Assert.That(rig.View(rig.Sd1, DeterminingRig.Dv), Is.EqualTo(((PairRole?)PairRole.PVol, PairState.Psue)));
        Assert.That(rig.View(rig.Sd2, DeterminingRig.Dv), Is.EqualTo(((PairRole?)PairRole.SVol, PairState.Psus)), "SD2 never heard of the resync, and a split pair stays split when the link goes");
    }

    [Test]
    [Category("R2-30")]
    public void AMessageADelayedLinkStillHeldWhenTheLinkWentDownIsLostNotDeliveredLater()
    {
        using DeterminingRig rig = new(seed: 43, latency: (TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(5)));
        rig.Arm();

        // The split is applied at SD1 and its SET STATE waits out the latency; the link fails and returns meanwhile.
        Task<PairCommandResponse> split = rig.SendAsync(rig.Sd1, DeterminingRig.Data, PairOperation.Split);
        rig.Storage.RunReady();
        rig.Storage.LinkDown();
        rig.Storage.LinkUp();
        rig.Storage.Scheduler.RunUntilIdle();

        Assert.That(split.Result.Result, Is.EqualTo(CommandResult.Rejected), split.Result.Message);
        Assert.That(split.Result.Error, Is.EqualTo(PairErrorCode.LinkDown));
        Assert.That(rig.View(rig.Sd1, DeterminingRig.Data).State, Is.EqualTo(PairState.Psue));
        Assert.That(rig.View(rig.Sd2, DeterminingRig.Data).State, Is.EqualTo(PairState.Psue), "the held SET STATE PSUS never reached SD2");
    }
}
