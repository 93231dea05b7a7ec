// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Media;
using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.Tests.RemoteCopy;

namespace Controller.Firmware.Tests.Determining;

/// <summary>
/// The data pair after an arbitration won on the S side (R2-19, R2-20): with the link up, a split and a swap resync
/// sent to SV at SD2 make SV the P-VOL and PV the S-VOL, and SD1 refuses the loser's writes; with the link down, the
/// S-VOL takeover makes SV writable (SSWS), and the swap resync after the repair brings PV back as its copy.
/// </summary>
public sealed class DataPairTakeoverTests
{
    [Test]
    [Category("R2-19")]
    [Category("R2-20")]
    public void WithTheLinkUpSplitAndSwapResyncMoveTheDataPairToTheWinner()
    {
        using DeterminingRig rig = new(seed: 21);
        TwoSubsystemRig.Fill(rig.Pv, 7);
        rig.Arm();
        Assert.That(rig.Storage.Write(rig.Pv, 0, TwoSubsystemRig.Pattern(1, 16)), Is.EqualTo(MediaStatus.Good), "H1 writes while it is active");

        Assert.That(rig.Send(rig.Sd2, DeterminingRig.Data, PairOperation.Split).Result, Is.EqualTo(CommandResult.Accepted), "split, sent to SV");
        Assert.That(rig.View(rig.Sd1, DeterminingRig.Data), Is.EqualTo(((PairRole?)PairRole.PVol, PairState.Psus)), "the owner split it");
        Assert.That(rig.View(rig.Sd2, DeterminingRig.Data).State, Is.EqualTo(PairState.Psus), "and told SD2 before it answered");
        Assert.That(rig.Send(rig.Sd2, DeterminingRig.Data, PairOperation.SwapResync).Result, Is.EqualTo(CommandResult.Accepted), "swap resync, sent to SV");
        rig.Storage.Scheduler.RunUntilIdle();

        Assert.That(rig.View(rig.Sd2, DeterminingRig.Data), Is.EqualTo(((PairRole?)PairRole.PVol, PairState.Pair)), "SV is the P-VOL");
        Assert.That(rig.View(rig.Sd1, DeterminingRig.Data), Is.EqualTo(((PairRole?)PairRole.SVol, PairState.Pair)), "PV is the S-VOL");
        Assert.That(TwoSubsystemRig.Checksum(rig.Sv), Is.EqualTo(TwoSubsystemRig.Checksum(rig.Pv)));

        // R2-20: the loser's storage refuses its writes; the winner's are mirrored to PV.
        Assert.That(rig.Storage.Write(rig.Pv, 64, TwoSubsystemRig.Pattern(2, 8)), Is.EqualTo(MediaStatus.WriteProtected));
        Assert.That(rig.Storage.Write(rig.Sv, 64, TwoSubsystemRig.Pattern(3, 8)), Is.EqualTo(MediaStatus.Good));
        Assert.That(TwoSubsystemRig.Checksum(rig.Pv), Is.EqualTo(TwoSubsystemRig.Checksum(rig.Sv)), "mirrored SV -> PV");
    }

    [Test]
    [Category("R2-19")]
    public void WithTheLinkDownTheSVolTakeoverMakesSvWritableAndTheRepairBringsPvBack()
    {
        using DeterminingRig rig = new(seed: 22);
        TwoSubsystemRig.Fill(rig.Pv, 8);
        rig.Arm();
        rig.Storage.Write(rig.Pv, 0, TwoSubsystemRig.Pattern(4, 16));
        rig.Storage.LinkDown();
        rig.Storage.Scheduler.RunUntilIdle();
        Assert.That(rig.View(rig.Sd2, DeterminingRig.Data).State, Is.EqualTo(PairState.Psue));
        Assert.That(rig.Storage.Write(rig.Sv, 0, TwoSubsystemRig.Pattern(5, 8)), Is.EqualTo(MediaStatus.WriteProtected), "a PSUE S-VOL refuses writes");

        PairCommandResponse takeover = rig.Send(rig.Sd2, DeterminingRig.Data, PairOperation.Split, SplitMode.ReadWrite);
        Assert.That(takeover.Result, Is.EqualTo(CommandResult.Accepted), takeover.Message);
        Assert.That(rig.Storage.Write(rig.Sv, 128, TwoSubsystemRig.Pattern(6, 8)), Is.EqualTo(MediaStatus.Good), "SSWS: the S-VOL is the host's");
        Assert.That(rig.Send(rig.Sd2, DeterminingRig.Data, PairOperation.SwapResync).Error, Is.EqualTo(PairErrorCode.LinkDown), "the swap waits for the repair");

        rig.Storage.LinkUp();
        Assert.That(rig.Send(rig.Sd2, DeterminingRig.Data, PairOperation.SwapResync).Result, Is.EqualTo(CommandResult.Accepted));
        rig.Storage.Scheduler.RunUntilIdle();
        Assert.That(rig.View(rig.Sd2, DeterminingRig.Data), Is.EqualTo(((PairRole?)PairRole.PVol, PairState.Pair)));
        Assert.That(rig.View(rig.Sd1, DeterminingRig.Data), Is.EqualTo(((PairRole?)PairRole.SVol, PairState.Pair)));
        Assert.That(TwoSubsystemRig.Checksum(rig.Pv), Is.EqualTo(TwoSubsystemRig.Checksum(rig.Sv)), "PV took SV's writes made while the link was down");
    }

    [Test]
    [Category("R2-19")]
    public void ThePrimarysSuspensionArrivingAfterAnSVolTakeoverDoesNotUndoIt()
    {
        using DeterminingRig rig = new(seed: 24);
        rig.Arm();

        // The link drops and comes back before the primary's "suspended by error" reaches the S side; the S side,
        // suspended by its own loss of the link, is taken over meanwhile.
        rig.Storage.LinkDown();
        Assert.That(rig.View(rig.Sd2, DeterminingRig.Data).State, Is.EqualTo(PairState.Psue), "the S side suspends at its own loss of the link");
        rig.Storage.LinkUp();
        PairCommandResponse takeover = rig.Send(rig.Sd2, DeterminingRig.Data, PairOperation.Split, SplitMode.ReadWrite);
        Assert.That(takeover.Result, Is.EqualTo(CommandResult.Accepted), takeover.Message);
        rig.Storage.Scheduler.RunUntilIdle();

        Assert.That(rig.View(rig.Sd2, DeterminingRig.Data).State, Is.EqualTo(PairState.Psus), "SSWS stays: the primary's suspension is older than the takeover");
        Assert.That(rig.Storage.Write(rig.Sv, 128, TwoSubsystemRig.Pattern(6, 8)), Is.EqualTo(MediaStatus.Good), "the S-VOL is still the host's");
    }

    [Test]
    [Category("R2-12")]
    public void ASwapResyncSentToTheOwnerIsRefusedAndChangesNothing()
    {
        using DeterminingRig rig = new(seed: 23);
        rig.Arm();
        rig.Send(rig.Sd1, DeterminingRig.Data, PairOperation.Split);
        PairCommandResponse answer = rig.Send(rig.Sd1, DeterminingRig.Data, PairOperation.SwapResync);
        Assert.That(answer.Error, Is.EqualTo(PairErrorCode.NotSecondary));
        Assert.That(rig.View(rig.Sd1, DeterminingRig.Data), Is.EqualTo(((PairRole?)PairRole.PVol, PairState.Psus)));
    }
}
