// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Wire;
using Controller.Wire.Els;

namespace Controller.Target.Tests;

/// <summary>PLOGI: the service parameters checked and answered (FC-LS-3), and a second login of one port ID (implicit logout).</summary>
[TestFixture]
[Category("Standards")]
public sealed class LoginTests
{
    private TargetRig _rig = null!;

    [SetUp]
    public void SetUp()
    {
        _rig = new TargetRig();
    }

    [TearDown]
    public async Task TearDown()
    {
        await _rig.DisposeAsync();
    }

    [TestCase(10, 0, ElsPayload.ExplanationReceiveDataFieldSize)]
    [TestCase(10, 128, ElsPayload.ExplanationReceiveDataFieldSize)]
    [TestCase(10, 2116, ElsPayload.ExplanationReceiveDataFieldSize)]
    [TestCase(10, 1022, ElsPayload.ExplanationReceiveDataFieldSize)]
    [TestCase(68, 0x00, ElsPayload.ExplanationClassOptions)]
    [TestCase(74, 0, ElsPayload.ExplanationReceiveDataFieldSize)]
    public async Task APlogiWithInvalidServiceParametersIsRejectedWithTheExplanation(int offset, int value, byte explanation)
    {
        RawPeer peer = new(_rig.FrontEnd);
        byte[] plogi = new byte[ElsPayload.PortLoginLength];
        ElsPayload.WritePortLogin(plogi, ElsCommand.PortLogin, 1, 2);
        if (offset == 68)
        {
            plogi[68] = (byte)value;
        }
        else
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(plogi.AsSpan(offset), (ushort)value);
        }

        await peer.SendAsync(RawPeer.Header(FcRoutingControl.ElsRequest, FcFrameHeader.TypeEls, 0xF001), plogi);
        (FcFrameHeader header, byte[] payload) = await peer.ReceiveAsync();
        await peer.SendCommandAsync(0x0001, 1, new byte[6]);
        (FcFrameHeader after, byte[] logo) = await peer.ReceiveAsync();
        Assert.Multiple(() =>
        {
            Assert.That(header.RoutingControl, Is.EqualTo(FcRoutingControl.ElsReply), "an ELS reply");
            Assert.That(payload, Is.EqualTo(new byte[] { 0x01, 0, 0, 0, 0, 0x03, explanation, 0 }), "golden LS_RJT: logical error and the explanation");
            Assert.That((after.RoutingControl, logo[0]), Is.EqualTo((FcRoutingControl.ElsRequest, ElsCommand.Logout)), "the port is not logged in: a command is answered LOGO");
        });
    }

    [Test]
    public async Task ThePlogiAcceptCarriesValidCommonAndClassThreeParameters()
    {
        RawPeer peer = new(_rig.FrontEnd);
        byte[] plogi = new byte[ElsPayload.PortLoginLength];
        ElsPayload.WritePortLogin(plogi, ElsCommand.PortLogin, 1, 2);
        await peer.SendAsync(RawPeer.Header(FcRoutingControl.ElsRequest, FcFrameHeader.TypeEls, 0xF001), plogi);
        (FcFrameHeader _, byte[] accept) = await peer.ReceiveAsync();
        Assert.Multiple(() =>
        {
            Assert.That(accept[0], Is.EqualTo(ElsCommand.LinkServiceAccept), "LS_ACC");
            Assert.That(accept.AsSpan(4, 16).ToArray(), Is.EqualTo(Convert.FromHexString("2020001080000840" + "00FF0002" + "000007D0")), "common service parameters: version, credit, features, 2112 bytes, 255 concurrent sequences, RO by category, E_D_TOV 2,000 ms");
            Assert.That(accept.AsSpan(20, 8).ToArray(), Is.EqualTo(Convert.FromHexString("300043544C400104")), "port name of 0x400104");
            Assert.That(accept.AsSpan(68, 16).ToArray(), Is.EqualTo(Convert.FromHexString("88000000" + "00000840" + "00FF0000" + "00010000")), "class 3: valid, sequential delivery, 2112 bytes, 255 concurrent sequences, 1 open sequence per exchange");
            Assert.That(ElsPayload.TryCheckPortLoginParameters(accept, out _, out string? reason), Is.True, "the accept passes the checks a PLOGI gets: " + reason);
        });
    }

    [Test]
    public async Task ASecondLoginOfThePortIdElsewhereLogsTheFirstOutAbortsItsCommandsAndReleasesItsReserve()
    {
        RawPeer first = new(_rig.FrontEnd);
        await first.LoginAsync(portName: 0x1111);
        await first.SendCommandAsync(0x0001, 1, [0x16, 0, 0, 0, 0, 0]);
        FcpResponse reserved = await first.ReceiveResponseAsync(0x0001);
        await first.SendCommandAsync(0x0002, 2, TargetRig.Write16(0, 8), 4096, write: true);
        await first.ReceiveAsync();

        RawPeer second = new(_rig.FrontEnd);
        await second.LoginAsync(portName: 0x2222);

        // The first connection: its waiting write was aborted, and it is no longer logged in.
        await first.SendDataAsync(0x0002, 0, TargetRig.Pattern(4096, 1));
        await first.SendCommandAsync(0x0003, 1, new byte[6]);
        (FcFrameHeader answer, byte[] logo) = await first.ReceiveAsync();

        // Another initiator is no longer kept out by the RESERVE(6) of the lost nexus.
        RawPeer other = new(_rig.FrontEnd);
        await other.LoginAsync(TargetRig.OtherHost);
        await other.SendCommandAsync(0x0004, 1, new byte[6], source: TargetRig.OtherHost);
        FcpResponse unreserved = await other.ReceiveResponseAsync(0x0004);
        await second.SendCommandAsync(0x0005, 2, new byte[6]);
        FcpResponse serving = await second.ReceiveResponseAsync(0x0005);
        Assert.Multiple(() =>
        {
            Assert.That(reserved.Status, Is.EqualTo(FcpResponse.Good), "the first login reserved LUN 1");
            Assert.That((answer.RoutingControl, logo[0]), Is.EqualTo((FcRoutingControl.ElsRequest, ElsCommand.Logout)), "a command on the old login is answered LOGO: it was logged out implicitly");
            Assert.That(_rig.Log, Has.Some.Contains("FCP_DATA for unknown exchange OX_ID 0x0002"), "the old login's waiting write was aborted");
            Assert.That(_rig.Log, Has.Some.Contains("implicit logout of the old login, 1 command(s) aborted"), "the implicit logout is logged");
            Assert.That(unreserved.Status, Is.EqualTo(FcpResponse.Good), "the SPC-2 reservation of the lost nexus was released");
            Assert.That(serving.Status, Is.EqualTo(FcpResponse.Good), "the new login serves");
        });
    }
}
