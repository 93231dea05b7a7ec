// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Initiator;
using Controller.Target.Scsi;
using Controller.Wire;

namespace Controller.Target.Tests;

/// <summary>The initiator library's ABTS and task management requests, against the target.</summary>
[TestFixture]
[Category("Standards")]
public sealed class InitiatorTaskManagementTests : TargetRigFixture
{
    [Test]
    public async Task AbortExchangeIsAcceptedForAnOpenExchangeAndRejectedForAnAnsweredOne()
    {
        InitiatorPort host = await Rig.ConnectAsync();

        // A write the library does not track (sent raw): the target waits for its data, so the exchange stays open.
        byte[] write = new byte[FcpCommand.Length];
        FcpCommand.TryWrite(write, 1, TargetRig.Write16(0, 8), false, true, 4096);
        host.SendRawFrame(RawPeer.Header(FcRoutingControl.Command, FcFrameHeader.TypeFcp, 0xE000), write);
        ScsiResult probe = await host.ExecuteAsync(TargetRig.PortA, 1, new byte[6]);
        bool open = await host.AbortExchangeAsync(TargetRig.PortA, 0xE000);
        ValueTask<ScsiResult> answered = host.Start(TargetRig.PortA, 1, new byte[6], out ushort exchangeId);
        ScsiResult done = await answered;
        bool closed = await host.AbortExchangeAsync(TargetRig.PortA, exchangeId);
        Assert.Multiple(() =>
        {
            Assert.That(probe.IsGood, Is.True, "the target had taken the raw write before the probe");
            Assert.That(open, Is.True, "BA_ACC for the open exchange");
            Assert.That(done.IsGood, Is.True, "a command answered GOOD");
            Assert.That(closed, Is.False, "BA_RJT once it was answered");
        });
    }

    [Test]
    public async Task LogicalUnitResetThroughTheLibraryIsRspCodeZeroAndTheNextCommandSeesTheUnitAttention()
    {
        InitiatorPort host = await Rig.ConnectAsync();
        ScsiResult reset = await host.TaskManagementAsync(TargetRig.PortA, 2, FcpTaskManagement.LogicalUnitReset);
        ScsiResult first = await host.ExecuteAsync(TargetRig.PortA, 2, new byte[6]);
        ScsiResult second = await host.ExecuteAsync(TargetRig.PortA, 2, new byte[6]);
        ScsiResult clearAca = await host.TaskManagementAsync(TargetRig.PortA, 2, FcpTaskManagement.ClearAca);
        Assert.Multiple(() =>
        {
            Assert.That((reset.ResponseCode, reset.IsGood), Is.EqualTo(((byte?)FcpResponse.TaskManagementComplete, true)), "RSP_CODE 00");
            Assert.That(first.Sense, Is.EqualTo(UnitAttentions.LogicalUnitReset), "06/29/03 once");
            Assert.That(second.IsGood, Is.True, "then GOOD");
            Assert.That(clearAca.ResponseCode, Is.EqualTo(FcpResponse.TaskManagementNotSupported), "CLEAR ACA: RSP_CODE 04");
        });
    }
}
