// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.Scheduling;
using Controller.Firmware.Volumes;

namespace Controller.Firmware.Tests.Pairs;

/// <summary>pairevtwait: <see cref="CopyManagementTable.WaitForState"/> in real time.</summary>
public sealed class PairWaitTests
{
    [Test]
    public void WaitingReturnsWhenThePairReachesTheStateAndTimesOutOtherwise()
    {
        using StorageSubsystem subsystem = new(RealTimeScheduler.Instance, new SubsystemOptions { MpCount = 2 });
        Ldev p = subsystem.CreateLdev(new LdevId(1), 64 * 128);
        Ldev s = subsystem.CreateLdev(new LdevId(2), 64 * 128);
        MirrorRig.Fill(p, 1);
        subsystem.Pairs.Create(MirrorRig.Address(1), p, MirrorRig.Address(2), s);
        Assert.That(subsystem.Pairs.WaitForState(MirrorRig.Address(1), MirrorRig.Address(2), PairState.Pair, TimeSpan.FromSeconds(30)), Is.True, "the initial copy ends in PAIR");
        Assert.That(subsystem.Pairs.WaitForState(MirrorRig.Address(1), MirrorRig.Address(2), PairState.Psus, TimeSpan.FromMilliseconds(50)), Is.False, "nobody splits it: the wait times out");
        subsystem.Pairs.Execute(MirrorRig.Address(1), MirrorRig.Address(2), PairOperation.Delete);
        Assert.That(subsystem.Pairs.WaitForState(MirrorRig.Address(1), MirrorRig.Address(2), PairState.Smpl, TimeSpan.Zero), Is.True, "a deleted pair is SMPL");
    }

    [Test]
    public void WaitingIsRefusedInDeterministicMode()
    {
        using MirrorRig rig = new(seed: 1);
        Assert.Throws<InvalidOperationException>(() => rig.Pairs.WaitForState(MirrorRig.Address(1), MirrorRig.Address(2), PairState.Pair, TimeSpan.FromSeconds(1)));
    }
}
