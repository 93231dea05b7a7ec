// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.IO.Pipelines;
using System.Threading.Channels;
using Controller.Addressing;
using Controller.Wire;
using Controller.Wire.Els;
using Controller.Wire.Transport;

namespace Controller.Target.Tests;

/// <summary>An initiator that sends frames exactly as told and collects what comes back: for bad-input tests.</summary>
internal sealed class RawPeer : IFcFrameHandler
{
    private readonly IDuplexPipe _pipe;
    private readonly Channel<(FcFrameHeader Header, byte[] Payload)> _received = Channel.CreateUnbounded<(FcFrameHeader, byte[])>();

    public RawPeer(ControllerFrontEnd frontEnd, IFrameTap? tap = null)
    {
        // As InProcessLink.Connect does, keeping the target's connection for the tests that look into it.
        (DuplexPipe pipe, DuplexPipe target) = DuplexPipe.CreatePair();
        Connection = frontEnd.Accept(target, "raw peer", tap);
        Served = Task.Run(() => Connection.RunAsync(CancellationToken.None));
        _pipe = pipe;
        _ = Task.Run(() => new FcipFrameReader(pipe.Input, this).RunAsync(CancellationToken.None));
    }

    public TargetConnection Connection { get; }

    public Task<string?> Served { get; }

    public static FcFrameHeader Header(byte routingControl, byte type, ushort exchangeId, int source = TargetRig.Host, int destination = TargetRig.PortA, uint parameter = 0)
    {
        return new FcFrameHeader
        {
            RoutingControl = routingControl,
            DestinationId = new PortId((uint)destination),
            SourceId = new PortId((uint)source),
            Type = type,
            FrameControl = FcFrameControl.Command,
            OriginatorExchangeId = exchangeId,
            ResponderExchangeId = 0xFFFF,
            Parameter = parameter,
        };
    }

    public bool OnFrame(in FcFrameHeader header, ReadOnlySpan<byte> payload, out string? closeReason)
    {
        closeReason = null;
        _received.Writer.TryWrite((header, payload.ToArray()));
        return true;
    }

    public static byte[] Encode(FcFrameHeader header, byte[] payload)
    {
        byte[] frame = new byte[FcFrameHeader.Length + payload.Length];
        header.TryWrite(frame);
        payload.CopyTo(frame, FcFrameHeader.Length);
        byte[] encoded = new byte[FcipEncapsulation.EncodedLength(frame.Length)];
        FcipEncapsulation.TryWrite(frame, FcDelimiter.StartInitiate3, FcDelimiter.EndTerminate, 0, 0, encoded, out _);
        return encoded;
    }

    public async Task SendAsync(FcFrameHeader header, byte[] payload)
    {
        await SendBytesAsync(Encode(header, payload));
    }

    public async Task SendBytesAsync(byte[] bytes)
    {
        await _pipe.Output.WriteAsync(bytes);
    }

    public async Task LoginAsync(int source = TargetRig.Host, ulong portName = 1, int destination = TargetRig.PortA)
    {
        byte[] plogi = new byte[ElsPayload.PortLoginLength];
        ElsPayload.WritePortLogin(plogi, ElsCommand.PortLogin, portName, 2);
        await SendAsync(Header(FcRoutingControl.ElsRequest, FcFrameHeader.TypeEls, 0xF001, source, destination), plogi);
        byte[] prli = new byte[ElsPayload.ProcessLoginLength];
        ElsPayload.WriteProcessLogin(prli, ElsCommand.ProcessLogin, ElsPayload.InitiatorFunction);
        await SendAsync(Header(FcRoutingControl.ElsRequest, FcFrameHeader.TypeEls, 0xF002, source, destination), prli);
        (FcFrameHeader _, byte[] plogiReply) = await ReceiveAsync();
        (FcFrameHeader _, byte[] prliReply) = await ReceiveAsync();
        if (plogiReply[0] != ElsCommand.LinkServiceAccept || prliReply[0] != ElsCommand.LinkServiceAccept)
        {
            throw new InvalidOperationException("login refused");
        }
    }

    public async Task SendCommandAsync(ushort exchangeId, ushort lun, byte[] cdb, uint dataLength = 0, bool read = false, bool write = false, int source = TargetRig.Host)
    {
        byte[] command = new byte[FcpCommand.Length];
        if (!FcpCommand.TryWrite(command, lun, cdb, read, write, dataLength))
        {
            throw new ArgumentException("bad command");
        }

        await SendAsync(Header(FcRoutingControl.Command, FcFrameHeader.TypeFcp, exchangeId, source), command);
    }

    public async Task SendTaskManagementAsync(ushort exchangeId, ushort lun, byte flags, int source = TargetRig.Host, int destination = TargetRig.PortA)
    {
        byte[] command = new byte[FcpCommand.Length];
        FcpCommand.TryWrite(command, lun, new byte[16], false, false, 0);
        command[10] = flags;
        await SendAsync(Header(FcRoutingControl.Command, FcFrameHeader.TypeFcp, exchangeId, source, destination), command);
    }

    /// <summary>Sends write data in frames of 2,048 bytes from <paramref name="offset"/>.</summary>
    public async Task SendDataAsync(ushort exchangeId, uint offset, byte[] data, int source = TargetRig.Host)
    {
        for (int at = 0; at < data.Length; at += 2048)
        {
            int length = Math.Min(2048, data.Length - at);
            bool last = at + length == data.Length;
            FcFrameHeader header = Header(FcRoutingControl.Data, FcFrameHeader.TypeFcp, exchangeId, source, parameter: offset + (uint)at) with { FrameControl = FcFrameControl.RelativeOffsetPresent | (last ? FcFrameControl.EndSequence | FcFrameControl.SequenceInitiative : 0) };
            await SendAsync(header, data[at..(at + length)]);
        }
    }

    public async Task SendAbortAsync(ushort exchangeId, ushort responderExchangeId = 0xFFFF, int source = TargetRig.Host)
    {
        FcFrameHeader header = Header(FcRoutingControl.BasicAbort, FcFrameHeader.TypeBasicLinkService, exchangeId, source) with { FrameControl = FcFrameControl.BasicAbort, ResponderExchangeId = responderExchangeId };
        await SendAsync(header, []);
    }

    /// <summary>The next frame, which must be an FCP_RSP for <paramref name="exchangeId"/>.</summary>
    public async Task<FcpResponse> ReceiveResponseAsync(ushort exchangeId)
    {
        (FcFrameHeader header, byte[] payload) = await ReceiveAsync();
        Assert.That((header.RoutingControl, header.OriginatorExchangeId), Is.EqualTo((FcRoutingControl.Response, exchangeId)), "the next frame is the FCP_RSP of OX_ID 0x" + exchangeId.ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
        Assert.That(FcpResponse.TryRead(payload, out FcpResponse response, out string? reason), Is.True, reason);
        return response;
    }

    public async Task<(FcFrameHeader Header, byte[] Payload)> ReceiveAsync()
    {
        return await _received.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
    }
}
