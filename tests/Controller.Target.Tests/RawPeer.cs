// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.IO.Pipelines;
using System.Threading.Channels;
using Controller.Wire;
using Controller.Wire.Els;
using Controller.Wire.Transport;

namespace Controller.Target.Tests;

/// <summary>An initiator that sends frames exactly as told and collects what comes back: for bad-input tests.</summary>
internal sealed class RawPeer : IFcFrameHandler
{
    private readonly IDuplexPipe _pipe;
    private readonly Channel<(FcFrameHeader Header, byte[] Payload)> _received = Channel.CreateUnbounded<(FcFrameHeader, byte[])>();

    public RawPeer(ControllerFrontEnd frontEnd)
    {
        (System.IO.Pipelines.IDuplexPipe pipe, Task<string?> served) = InProcessLink.Connect(frontEnd, "raw peer");
        _pipe = pipe;
        Served = served;
        _ = Task.Run(() => new FcipFrameReader(pipe.Input, this).RunAsync(CancellationToken.None));
    }

    public Task<string?> Served { get; }

    public static FcFrameHeader Header(byte routingControl, byte type, ushort exchangeId, int source = TargetRig.Host, int destination = TargetRig.PortA, uint parameter = 0)
    {
        return new FcFrameHeader
        {
            RoutingControl = routingControl,
            DestinationId = destination,
            SourceId = source,
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

    public async Task LoginAsync()
    {
        byte[] plogi = new byte[ElsPayload.PortLoginLength];
        ElsPayload.WritePortLogin(plogi, ElsCommand.PortLogin, 1, 2);
        await SendAsync(Header(FcRoutingControl.ElsRequest, FcFrameHeader.TypeEls, 0xF001), plogi);
        byte[] prli = new byte[ElsPayload.ProcessLoginLength];
        ElsPayload.WriteProcessLogin(prli, ElsCommand.ProcessLogin, ElsPayload.InitiatorFunction);
        await SendAsync(Header(FcRoutingControl.ElsRequest, FcFrameHeader.TypeEls, 0xF002), prli);
        (FcFrameHeader _, byte[] plogiReply) = await ReceiveAsync();
        (FcFrameHeader _, byte[] prliReply) = await ReceiveAsync();
        if (plogiReply[0] != ElsCommand.LinkServiceAccept || prliReply[0] != ElsCommand.LinkServiceAccept)
        {
            throw new InvalidOperationException("login refused");
        }
    }

    public async Task<(FcFrameHeader Header, byte[] Payload)> ReceiveAsync()
    {
        return await _received.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
    }
}
