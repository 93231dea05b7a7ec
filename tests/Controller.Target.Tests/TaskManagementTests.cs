// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Target.Scsi;
using Controller.Wire;

namespace Controller.Target.Tests;

/// <summary>The task management functions of FCP_CMND: RSP_CODE, the commands they abort, the reservation and the unit attentions after them.</summary>
[TestFixture]
[Category("Standards")]
public sealed class TaskManagementTests : TargetRigFixture
{
    private static readonly byte[] Reserve6 = [0x16, 0, 0, 0, 0, 0];

    [Test]
    public async Task AbortTaskSetAbortsTheNexusCommandsOnTheUnitAndAnswersRspCodeZero()
    {
        RawPeer peer = new(Rig.FrontEnd);
        await peer.LoginAsync();
        await peer.SendCommandAsync(0x0001, 1, TargetRig.Write16(0, 8), 4096, write: true);
        await peer.SendCommandAsync(0x0002, 2, TargetRig.Write16(0, 8), 4096, write: true);
        await peer.ReceiveAsync();
        await peer.ReceiveAsync();
        await peer.SendTaskManagementAsync(0x0100, 1, FcpTaskManagement.AbortTaskSet);
        (FcFrameHeader header, byte[] payload) = await peer.ReceiveAsync();
        await peer.SendDataAsync(0x0001, 0, TargetRig.Pattern(4096, 1));
        await peer.SendDataAsync(0x0002, 0, TargetRig.Pattern(4096, 2));
        FcpResponse other = await peer.ReceiveResponseAsync(0x0002);
        await peer.SendCommandAsync(0x0003, 1, new byte[6]);
        FcpResponse next = await peer.ReceiveResponseAsync(0x0003);
        Assert.Multiple(() =>
        {
            Assert.That((header.RoutingControl, header.OriginatorExchangeId), Is.EqualTo((FcRoutingControl.Response, (ushort)0x0100)), "an FCP_RSP answers the request");
            Assert.That(payload, Is.EqualTo(TaskManagementResponse(0x00)), "golden FCP_RSP: FCP_RSP_LEN_VALID, RSP_LEN 8, RSP_CODE 00");
            Assert.That(other.Status, Is.EqualTo(FcpResponse.Good), "the command on LUN 2 was not aborted");
            Assert.That(Rig.Log, Has.Some.Contains("FCP_DATA for unknown exchange OX_ID 0x0001"), "the command on LUN 1 was aborted");
            Assert.That(next.Status, Is.EqualTo(FcpResponse.Good), "no unit attention for the nexus that asked");
        });
    }

    [Test]
    public async Task ClearTaskSetAbortsAnotherInitiatorsCommandsAndTellsItCommandsCleared()
    {
        RawPeer a = new(Rig.FrontEnd);
        await a.LoginAsync();
        RawPeer b = new(Rig.FrontEnd);
        await b.LoginAsync(TargetRig.OtherHost);
        await a.SendCommandAsync(0x0001, 1, TargetRig.Write16(0, 8), 4096, write: true);
        await a.ReceiveAsync();
        await b.SendTaskManagementAsync(0x0200, 1, FcpTaskManagement.ClearTaskSet, TargetRig.OtherHost);
        FcpResponse cleared = await b.ReceiveResponseAsync(0x0200);
        await a.SendDataAsync(0x0001, 0, TargetRig.Pattern(4096, 3));
        await a.SendCommandAsync(0x0002, 1, new byte[6]);
        FcpResponse first = await a.ReceiveResponseAsync(0x0002);
        await a.SendCommandAsync(0x0003, 1, new byte[6]);
        FcpResponse second = await a.ReceiveResponseAsync(0x0003);
        await b.SendCommandAsync(0x0004, 1, new byte[6], source: TargetRig.OtherHost);
        FcpResponse requester = await b.ReceiveResponseAsync(0x0004);
        Assert.Multiple(() =>
        {
            Assert.That(cleared.ResponseCode, Is.EqualTo(FcpResponse.TaskManagementComplete), "RSP_CODE 00");
            Assert.That((first.Status, first.Sense), Is.EqualTo((FcpResponse.CheckCondition, (SenseData?)UnitAttentions.CommandsCleared)), "the initiator whose command was cleared: 06/2F/00 on its next command");
            Assert.That(second.Status, Is.EqualTo(FcpResponse.Good), "reported once");
            Assert.That(requester.Status, Is.EqualTo(FcpResponse.Good), "the requester gets no unit attention");
            Assert.That(Rig.Log, Has.Some.Contains("FCP_DATA for unknown exchange OX_ID 0x0001"), "the cleared write's data is discarded");
        });
    }

    [Test]
    public async Task LogicalUnitResetReleasesTheReserveAndEveryNexusSeesBusDeviceResetOnce()
    {
        RawPeer a = new(Rig.FrontEnd);
        await a.LoginAsync();
        RawPeer b = new(Rig.FrontEnd);
        await b.LoginAsync(TargetRig.OtherHost);
        await a.SendCommandAsync(0x0001, 1, Reserve6);
        FcpResponse reserved = await a.ReceiveResponseAsync(0x0001);
        await b.SendTaskManagementAsync(0x0300, 1, FcpTaskManagement.LogicalUnitReset, TargetRig.OtherHost);
        FcpResponse reset = await b.ReceiveResponseAsync(0x0300);

        // A: INQUIRY passes and leaves the condition; REQUEST SENSE reports it as data; then it is gone.
        await a.SendCommandAsync(0x0002, 1, [0x12, 0, 0, 0, 36, 0], 36, read: true);
        (FcFrameHeader _, byte[] _) = await a.ReceiveAsync();
        FcpResponse inquiry = await a.ReceiveResponseAsync(0x0002);
        await a.SendCommandAsync(0x0003, 1, [0x03, 0, 0, 0, 18, 0], 18, read: true);
        (FcFrameHeader senseHeader, byte[] senseData) = await a.ReceiveAsync();
        FcpResponse requestSense = await a.ReceiveResponseAsync(0x0003);
        await a.SendCommandAsync(0x0004, 1, new byte[6]);
        FcpResponse afterSense = await a.ReceiveResponseAsync(0x0004);

        // B, which asked: the condition too; then its write passes, the reservation being gone.
        await b.SendCommandAsync(0x0005, 1, new byte[6], source: TargetRig.OtherHost);
        FcpResponse requester = await b.ReceiveResponseAsync(0x0005);
        await b.SendCommandAsync(0x0006, 1, new byte[6], source: TargetRig.OtherHost);
        FcpResponse unreserved = await b.ReceiveResponseAsync(0x0006);
        SenseData.TryRead(senseData, out SenseData sense);
        Assert.Multiple(() =>
        {
            Assert.That(reserved.Status, Is.EqualTo(FcpResponse.Good), "A reserved LUN 1");
            Assert.That(reset.ResponseCode, Is.EqualTo(FcpResponse.TaskManagementComplete), "RSP_CODE 00");
            Assert.That(inquiry.Status, Is.EqualTo(FcpResponse.Good), "INQUIRY is not stopped by a unit attention");
            Assert.That((senseHeader.RoutingControl, requestSense.Status, sense), Is.EqualTo((FcRoutingControl.Data, FcpResponse.Good, UnitAttentions.LogicalUnitReset)), "REQUEST SENSE: GOOD, the data 06/29/03");
            Assert.That(afterSense.Status, Is.EqualTo(FcpResponse.Good), "REQUEST SENSE cleared it");
            Assert.That((requester.Status, requester.Sense), Is.EqualTo((FcpResponse.CheckCondition, (SenseData?)UnitAttentions.LogicalUnitReset)), "the requester's nexus: 06/29/03 too");
            Assert.That(unreserved.Status, Is.EqualTo(FcpResponse.Good), "the RESERVE(6) of A was released (B's TEST UNIT READY is no conflict)");
        });
    }

    [Test]
    public async Task TargetResetAbortsAndResetsEveryUnitOfThePort()
    {
        RawPeer a = new(Rig.FrontEnd);
        await a.LoginAsync();
        await a.SendCommandAsync(0x0001, 3, TargetRig.Write16(0, 8), 4096, write: true);
        await a.ReceiveAsync();
        await a.SendTaskManagementAsync(0x0400, 0, FcpTaskManagement.TargetReset);
        FcpResponse reset = await a.ReceiveResponseAsync(0x0400);
        await a.SendDataAsync(0x0001, 0, TargetRig.Pattern(4096, 4));
        List<FcpResponse> answers = [];
        for (ushort lun = 1; lun <= 4; lun++)
        {
            await a.SendCommandAsync((ushort)(0x10 + lun), lun, new byte[6]);
            answers.Add(await a.ReceiveResponseAsync((ushort)(0x10 + lun)));
        }

        Assert.Multiple(() =>
        {
            Assert.That(reset.ResponseCode, Is.EqualTo(FcpResponse.TaskManagementComplete), "RSP_CODE 00");
            Assert.That(answers.Select(answer => answer.Sense), Is.All.EqualTo(UnitAttentions.TargetReset), "every unit of the port: 06/29/02");
            Assert.That(Rig.Log, Has.Some.Contains("FCP_DATA for unknown exchange OX_ID 0x0001"), "the write on LUN 3 was aborted");
        });
    }

    [TestCase(FcpTaskManagement.ClearAca)]
    [TestCase((byte)0x01)]
    [TestCase((byte)0x80)]
    [TestCase((byte)(FcpTaskManagement.AbortTaskSet | FcpTaskManagement.ClearTaskSet))]
    public async Task AFunctionThisTargetDoesNotRunIsRspCodeFour(byte flags)
    {
        RawPeer peer = new(Rig.FrontEnd);
        await peer.LoginAsync();
        await peer.SendTaskManagementAsync(0x0500, 1, flags);
        (FcFrameHeader _, byte[] payload) = await peer.ReceiveAsync();
        Assert.That(payload, Is.EqualTo(TaskManagementResponse(0x04)), "RSP_CODE 04: task management function not supported");
    }

    [Test]
    public async Task ALogicalUnitFunctionForALunWithNoUnitIsRspCodeNine()
    {
        RawPeer peer = new(Rig.FrontEnd);
        await peer.LoginAsync();
        await peer.SendTaskManagementAsync(0x0600, 9, FcpTaskManagement.LogicalUnitReset);
        FcpResponse response = await peer.ReceiveResponseAsync(0x0600);
        Assert.That(response.ResponseCode, Is.EqualTo(FcpResponse.IncorrectLogicalUnit), "RSP_CODE 09: incorrect logical unit number");
    }

    private static byte[] TaskManagementResponse(byte code)
    {
        byte[] expected = new byte[32];
        expected[10] = 0x01;
        expected[23] = 8;
        expected[27] = code;
        return expected;
    }
}
