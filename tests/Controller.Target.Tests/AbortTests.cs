// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Target.Scsi;
using Controller.Wire;

namespace Controller.Target.Tests;

/// <summary>ABTS (BA_ACC, BA_RJT) and the overlapped command: an aborted exchange sends nothing more and its write data never lands.</summary>
[TestFixture]
[Category("Standards")]
public sealed class AbortTests : TargetRigFixture
{
    [Test]
    public async Task AnAbtsForAWriteWaitingForItsDataIsAcceptedAndTheDataNeverLands()
    {
        RawPeer peer = new(Rig.FrontEnd);
        await peer.LoginAsync();
        await peer.SendCommandAsync(0x0010, 1, TargetRig.Write16(100, 8), 4096, write: true);
        (FcFrameHeader ready, _) = await peer.ReceiveAsync();
        await peer.SendAbortAsync(0x0010);
        (FcFrameHeader header, byte[] payload) = await peer.ReceiveAsync();

        // The data the initiator had already sent, arriving after the abort, and a probe behind it.
        await peer.SendDataAsync(0x0010, 0, TargetRig.Pattern(4096, 5));
        await peer.SendCommandAsync(0x0011, 1, new byte[6]);
        FcpResponse probe = await peer.ReceiveResponseAsync(0x0011);
        await peer.SendCommandAsync(0x0012, 1, TargetRig.Read16(100, 8), 4096, read: true);
        byte[] read = await ReadDataAsync(peer, 0x0012, 4096);
        Assert.Multiple(() =>
        {
            Assert.That(ready.RoutingControl, Is.EqualTo(FcRoutingControl.TransferReady), "the write waited for its data");
            Assert.That((header.RoutingControl, header.Type, header.FrameControl), Is.EqualTo((FcRoutingControl.BasicAccept, FcFrameHeader.TypeBasicLinkService, FcFrameControl.BasicReply)), "BA_ACC, R_CTL 0x84 TYPE 0, from the responder");
            Assert.That((header.SourceId, header.DestinationId, header.OriginatorExchangeId, header.ResponderExchangeId), Is.EqualTo((new PortId(TargetRig.PortA), new PortId(TargetRig.Host), (ushort)0x0010, (ushort)0x0010)), "addressed back on the aborted exchange");
            Assert.That(payload, Is.EqualTo(new byte[] { 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x10, 0x00, 0x00, 0xFF, 0xFF }), "golden BA_ACC: SEQ_ID invalid, OX_ID 0x0010, RX_ID 0x0010, SEQ_CNT 0x0000-0xFFFF");
            Assert.That(probe.Status, Is.EqualTo(FcpResponse.Good), "the frame after BA_ACC is the probe's GOOD: no FCP_RSP for the aborted write");
            Assert.That(read, Is.All.EqualTo(0), "the aborted write's data never reached the media");
            Assert.That(Rig.Log, Has.Some.Contains("FCP_DATA for unknown exchange OX_ID 0x0010"), "its late data was discarded");
        });
    }

    [Test]
    public async Task AnAbtsForAWriteHalfwayThroughItsDataFreesItAndNeitherHalfLands()
    {
        RawPeer peer = new(Rig.FrontEnd);
        await peer.LoginAsync();
        await peer.SendCommandAsync(0x0020, 1, TargetRig.Write16(200, 8), 4096, write: true);
        (FcFrameHeader ready, _) = await peer.ReceiveAsync();
        byte[] data = TargetRig.Pattern(4096, 6);
        await peer.SendDataAsync(0x0020, 0, data[..2048]);
        await peer.SendAbortAsync(0x0020);
        (FcFrameHeader header, _) = await peer.ReceiveAsync();
        await peer.SendDataAsync(0x0020, 2048, data[2048..]);
        await peer.SendCommandAsync(0x0021, 1, TargetRig.Read16(200, 8), 4096, read: true);
        byte[] read = await ReadDataAsync(peer, 0x0021, 4096);
        Assert.Multiple(() =>
        {
            Assert.That(ready.RoutingControl, Is.EqualTo(FcRoutingControl.TransferReady), "the write asked for its data");
            Assert.That(header.RoutingControl, Is.EqualTo(FcRoutingControl.BasicAccept), "BA_ACC for an exchange with half its data in");
            Assert.That(read, Is.All.EqualTo(0), "neither half landed");
        });
    }

    [Test]
    public async Task AnAbtsForNoOpenExchangeIsRejectedWithInvalidOxIdRxIdCombination()
    {
        RawPeer peer = new(Rig.FrontEnd);
        await peer.LoginAsync();
        await peer.SendAbortAsync(0x0055);
        (FcFrameHeader header, byte[] payload) = await peer.ReceiveAsync();
        Assert.Multiple(() =>
        {
            Assert.That((header.RoutingControl, header.Type, header.OriginatorExchangeId), Is.EqualTo((FcRoutingControl.BasicReject, FcFrameHeader.TypeBasicLinkService, (ushort)0x0055)), "BA_RJT, R_CTL 0x85, on the named exchange");
            Assert.That(payload, Is.EqualTo(new byte[] { 0x00, 0x03, 0x03, 0x00 }), "golden BA_RJT: logical error, invalid OX_ID-RX_ID combination");
        });
    }

    [Test]
    public async Task AnAbtsNamingAnotherRxIdIsRejectedAndTheExchangeGoesOn()
    {
        RawPeer peer = new(Rig.FrontEnd);
        await peer.LoginAsync();
        await peer.SendCommandAsync(0x0030, 1, TargetRig.Write16(300, 8), 4096, write: true);
        await peer.ReceiveAsync();
        await peer.SendAbortAsync(0x0030, responderExchangeId: 0x1234);
        (FcFrameHeader header, _) = await peer.ReceiveAsync();
        await peer.SendDataAsync(0x0030, 0, TargetRig.Pattern(4096, 7));
        FcpResponse response = await peer.ReceiveResponseAsync(0x0030);
        Assert.Multiple(() =>
        {
            Assert.That(header.RoutingControl, Is.EqualTo(FcRoutingControl.BasicReject), "the RX_ID is not the one this target gave (it gives RX_ID = OX_ID)");
            Assert.That(response.Status, Is.EqualTo(FcpResponse.Good), "the write was not aborted");
        });
    }

    [Test]
    public async Task ReusingAnOutstandingOxIdAbortsTheFirstCommandSoItsDataNeverLands()
    {
        RawPeer peer = new(Rig.FrontEnd);
        await peer.LoginAsync();
        await peer.SendCommandAsync(0x0009, 1, TargetRig.Write16(400, 8), 4096, write: true);
        await peer.ReceiveAsync();
        await peer.SendCommandAsync(0x0009, 1, new byte[6]);
        FcpResponse overlapped = await peer.ReceiveResponseAsync(0x0009);

        // The first write's data, as an initiator that did not see the error yet sends it; then a probe.
        await peer.SendDataAsync(0x0009, 0, TargetRig.Pattern(4096, 8));
        await peer.SendCommandAsync(0x000A, 1, new byte[6]);
        FcpResponse probe = await peer.ReceiveResponseAsync(0x000A);
        await peer.SendCommandAsync(0x000B, 1, TargetRig.Read16(400, 8), 4096, read: true);
        byte[] read = await ReadDataAsync(peer, 0x000B, 4096);
        Assert.Multiple(() =>
        {
            Assert.That((overlapped.Status, overlapped.Sense), Is.EqualTo((FcpResponse.CheckCondition, (SenseData?)ScsiSense.OverlappedCommands)), "the second command: 0B/4E/00");
            Assert.That(probe.Status, Is.EqualTo(FcpResponse.Good), "no GOOD for the first command came before the probe's");
            Assert.That(read, Is.All.EqualTo(0), "the first command was aborted: its data never landed");
            Assert.That(Rig.Log, Has.Some.Contains("OVERLAPPED COMMANDS ATTEMPTED; 1 command(s) of the I_T nexus aborted"), "the abort is logged");
        });
    }

    [Test]
    public async Task AnOverlappedCommandAbortsTheOtherCommandsOfItsNexusOnThatUnitOnly()
    {
        RawPeer peer = new(Rig.FrontEnd);
        await peer.LoginAsync();
        await peer.SendCommandAsync(0x0001, 1, TargetRig.Write16(0, 8), 4096, write: true);
        await peer.SendCommandAsync(0x0002, 1, TargetRig.Write16(8, 8), 4096, write: true);
        await peer.SendCommandAsync(0x0003, 2, TargetRig.Write16(0, 8), 4096, write: true);
        for (int i = 0; i < 3; i++)
        {
            await peer.ReceiveAsync();
        }

        await peer.SendCommandAsync(0x0001, 1, new byte[6]);
        await peer.ReceiveResponseAsync(0x0001);
        await peer.SendDataAsync(0x0002, 0, TargetRig.Pattern(4096, 9));
        await peer.SendDataAsync(0x0003, 0, TargetRig.Pattern(4096, 10));
        FcpResponse other = await peer.ReceiveResponseAsync(0x0003);
        Assert.Multiple(() =>
        {
            Assert.That(other.Status, Is.EqualTo(FcpResponse.Good), "the write on LUN 2 was not aborted");
            Assert.That(Rig.Log, Has.Some.Contains("FCP_DATA for unknown exchange OX_ID 0x0002"), "the second write on LUN 1 was aborted with the first");
        });
    }

    private static async Task<byte[]> ReadDataAsync(RawPeer peer, ushort exchangeId, int length)
    {
        byte[] data = new byte[length];
        while (true)
        {
            (FcFrameHeader header, byte[] payload) = await peer.ReceiveAsync();
            Assert.That(header.OriginatorExchangeId, Is.EqualTo(exchangeId), "only the read's frames come");
            if (header.RoutingControl == FcRoutingControl.Response)
            {
                FcpResponse.TryRead(payload, out FcpResponse response, out _);
                Assert.That(response.Status, Is.EqualTo(FcpResponse.Good), "the read is GOOD");
                return data;
            }

            payload.CopyTo(data, (int)header.Parameter);
        }
    }
}
