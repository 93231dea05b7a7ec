// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Initiator;
using Controller.Target.Scsi;
using Controller.Wire;

namespace Controller.Target.Tests;

[TestFixture]
public sealed class BadInputTests : TargetRigFixture
{
    [Test]
    public async Task AMalformedFcpCommandIsAnsweredWithRspCodeTwo()
    {
        RawPeer peer = new(Rig.FrontEnd);
        await peer.LoginAsync();
        await peer.SendAsync(RawPeer.Header(FcRoutingControl.Command, FcFrameHeader.TypeFcp, 7), new byte[20]);
        (FcFrameHeader header, byte[] payload) = await peer.ReceiveAsync();
        FcpResponse.TryRead(payload, out FcpResponse response, out _);
        Assert.Multiple(() =>
        {
            Assert.That(header.RoutingControl, Is.EqualTo(FcRoutingControl.Response), "an FCP_RSP comes back");
            Assert.That(header.OriginatorExchangeId, Is.EqualTo(7), "for the refused exchange");
            Assert.That(response.ResponseCode, Is.EqualTo(FcpResponse.CommandFieldsInvalid), "RSP_CODE 02: FCP_CMND fields invalid");
            Assert.That(Rig.Log, Has.Some.Contains("shorter than 32"), "the reason is logged");
        });
    }

    [Test]
    public async Task ReusingAnOutstandingOxIdIsOverlappedCommandsAttempted()
    {
        RawPeer peer = new(Rig.FrontEnd);
        await peer.LoginAsync();
        byte[] write = new byte[FcpCommand.Length];
        FcpCommand.TryWrite(write, 1, TargetRig.Write16(0, 8), false, true, 4096);
        await peer.SendAsync(RawPeer.Header(FcRoutingControl.Command, FcFrameHeader.TypeFcp, 9), write);
        (FcFrameHeader ready, _) = await peer.ReceiveAsync();
        await peer.SendAsync(RawPeer.Header(FcRoutingControl.Command, FcFrameHeader.TypeFcp, 9), write);
        (FcFrameHeader header, byte[] payload) = await peer.ReceiveAsync();
        FcpResponse.TryRead(payload, out FcpResponse response, out _);
        Assert.Multiple(() =>
        {
            Assert.That(ready.RoutingControl, Is.EqualTo(FcRoutingControl.TransferReady), "the first write waits for its data");
            Assert.That(header.RoutingControl, Is.EqualTo(FcRoutingControl.Response), "the second command is answered at once");
            Assert.That(response.Sense, Is.EqualTo(ScsiSense.OverlappedCommands), "ABORTED COMMAND / OVERLAPPED COMMANDS ATTEMPTED");
        });
    }

    [Test]
    public async Task DataForAnUnknownExchangeIsDiscardedAndTheConnectionKeepsWorking()
    {
        RawPeer peer = new(Rig.FrontEnd);
        await peer.LoginAsync();
        await peer.SendAsync(RawPeer.Header(FcRoutingControl.Data, FcFrameHeader.TypeFcp, 0x1234), new byte[512]);
        byte[] tur = new byte[FcpCommand.Length];
        FcpCommand.TryWrite(tur, 1, new byte[6], false, false, 0);
        await peer.SendAsync(RawPeer.Header(FcRoutingControl.Command, FcFrameHeader.TypeFcp, 1), tur);
        (FcFrameHeader header, byte[] payload) = await peer.ReceiveAsync();
        FcpResponse.TryRead(payload, out FcpResponse response, out _);
        Assert.Multiple(() =>
        {
            Assert.That(header.OriginatorExchangeId, Is.EqualTo(1), "the next frame back answers the TEST UNIT READY: nothing answered the stray data");
            Assert.That(response.Status, Is.EqualTo(FcpResponse.Good), "TEST UNIT READY after the stray FCP_DATA");
            Assert.That(Rig.Log, Has.Some.Contains("unknown exchange OX_ID 0x1234"), "the discard is logged");
        });
    }

    [Test]
    public async Task WriteDataSentBeforeItsTransferReadyIsAnsweredOnceAndLandsOnce()
    {
        // Found by `hostsim fuzz`: write data that arrives while the exchange still sits in the send queue for
        // its FCP_XFER_RDY (here: in the same batch as the command, first burst not granted) was taken, and its
        // answer posted the exchange a second time, corrupting the send queue and the exchange pool.
        RawPeer peer = new(Rig.FrontEnd);
        await peer.LoginAsync();
        byte[] data = TargetRig.Pattern(4096, 21);
        byte[] write = new byte[FcpCommand.Length];
        FcpCommand.TryWrite(write, 1, TargetRig.Write16(64, 8), false, true, 4096);
        byte[] first = data[..2048];
        byte[] second = data[2048..];
        await peer.SendBytesAsync([
            .. RawPeer.Encode(RawPeer.Header(FcRoutingControl.Command, FcFrameHeader.TypeFcp, 5), write),
            .. RawPeer.Encode(RawPeer.Header(FcRoutingControl.Data, FcFrameHeader.TypeFcp, 5, parameter: 0), first),
            .. RawPeer.Encode(RawPeer.Header(FcRoutingControl.Data, FcFrameHeader.TypeFcp, 5, parameter: 2048), second)]);
        (FcFrameHeader ready, _) = await peer.ReceiveAsync();

        // The data again, as the FCP_XFER_RDY asks for it (found no exchange if the early data was taken).
        await peer.SendAsync(RawPeer.Header(FcRoutingControl.Data, FcFrameHeader.TypeFcp, 5, parameter: 0), first);
        await peer.SendAsync(RawPeer.Header(FcRoutingControl.Data, FcFrameHeader.TypeFcp, 5, parameter: 2048), second);
        List<FcpResponse> writeResponses = [];
        await ReceiveResponseAsync(peer, 5, writeResponses);

        // A TEST UNIT READY after the write's answer: a second answer to the write would come before its own.
        byte[] tur = new byte[FcpCommand.Length];
        FcpCommand.TryWrite(tur, 1, new byte[6], false, false, 0);
        await peer.SendAsync(RawPeer.Header(FcRoutingControl.Command, FcFrameHeader.TypeFcp, 6), tur);
        await ReceiveResponseAsync(peer, 6, writeResponses);

        InitiatorPort host = await Rig.ConnectAsync();
        byte[] back = new byte[data.Length];
        ScsiResult read = await host.ExecuteAsync(TargetRig.PortA, 1, TargetRig.Read16(64, 8), dataIn: back);
        Assert.Multiple(() =>
        {
            Assert.That(ready.RoutingControl, Is.EqualTo(FcRoutingControl.TransferReady), "the write asks for its data");
            Assert.That(writeResponses, Has.Count.EqualTo(1), "one exchange, one FCP_RSP, whenever its data came");
            Assert.That(writeResponses[0].Status, Is.EqualTo(FcpResponse.Good), "the write is acknowledged");
            Assert.That(read.IsGood, Is.True, "the controller keeps serving");
            Assert.That(back, Is.EqualTo(data), "the acknowledged write is on media");
        });
    }

    [Test]
    public async Task GarbageClosesOnlyThatConnectionAndAcknowledgedWritesSurvive()
    {
        InitiatorPort host = await Rig.ConnectAsync();
        byte[] data = TargetRig.Pattern(8192, 11);
        Assert.That((await host.ExecuteAsync(TargetRig.PortA, 1, TargetRig.Write16(40, 16), data)).IsGood, Is.True, "the write is acknowledged");

        RawPeer vandal = new(Rig.FrontEnd);
        await vandal.SendBytesAsync(TargetRig.Pattern(200, 5));
        string? reason = await vandal.Served.WaitAsync(TimeSpan.FromSeconds(30));

        byte[] back = new byte[data.Length];
        InitiatorPort again = await Rig.ConnectAsync(TargetRig.OtherHost);
        ScsiResult read = await again.ExecuteAsync(TargetRig.PortA, 1, TargetRig.Read16(40, 16), dataIn: back);
        Assert.Multiple(() =>
        {
            Assert.That(reason, Does.Contain("not an FCIP encapsulation header"), "the corrupt stream closes its connection with the decoder's reason");
            Assert.That(Rig.Log, Has.Some.Contains("connection closed: invalid FCIP frame"), "and the reason is logged");
            Assert.That(read.IsGood, Is.True, "the controller keeps serving other connections");
            Assert.That(back, Is.EqualTo(data), "the acknowledged write is intact");
        });
    }

    [Test]
    public async Task AnOversizedTransferIsInvalidFieldInCdb()
    {
        InitiatorPort host = await Rig.ConnectAsync();
        byte[] huge = new byte[9 * 1024 * 1024];
        ScsiResult result = await host.ExecuteAsync(TargetRig.PortA, 1, TargetRig.Read16(0, huge.Length / 512), dataIn: huge);
        Assert.That(result.Sense, Is.EqualTo(SenseData.InvalidFieldInCdb), "FCP_DL of 9 MiB is over the 8 MiB limit: " + result);
    }

    // Receives frames until the FCP_RSP of exchange `until`; collects every FCP_RSP of exchange 5 on the way.
    private static async Task ReceiveResponseAsync(RawPeer peer, ushort until, List<FcpResponse> writeResponses)
    {
        while (true)
        {
            (FcFrameHeader header, byte[] payload) = await peer.ReceiveAsync();
            if (header.RoutingControl != FcRoutingControl.Response)
            {
                continue;
            }

            if (header.OriginatorExchangeId == 5)
            {
                FcpResponse.TryRead(payload, out FcpResponse response, out _);
                writeResponses.Add(response);
            }

            if (header.OriginatorExchangeId == until)
            {
                return;
            }
        }
    }
}
