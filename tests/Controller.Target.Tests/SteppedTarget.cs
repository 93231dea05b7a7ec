// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers;
using System.IO.Pipelines;
using Controller.Addressing;
using Controller.Firmware;
using Controller.Firmware.Addressing;
using Controller.Firmware.Scheduling;
using Controller.Wire;
using Controller.Wire.Diagnostics;
using Controller.Wire.Els;
using Controller.Wire.Transport;

namespace Controller.Target.Tests;

/// <summary>
/// A controller on a <see cref="DeterministicScheduler"/> with one connection driven frame by frame from the test's
/// thread: frames go straight into <see cref="TargetConnection.OnFrame"/> (as <c>hostsim fuzz</c> feeds them), the
/// MPs and the connection's send side run only when the test runs the scheduler, and what the target sent is read
/// back synchronously. So a test can put a frame between any two steps of the target. Port 0x400104 maps LUNs
/// 0x0001 and 0x0002 (LDEVs 00:01, 00:02 of 2,048 blocks) for host 0x010200.
/// </summary>
internal sealed class SteppedTarget : IDisposable
{
    public const long Blocks = 2048;

    private readonly DuplexPipe _peer;
    private readonly List<byte> _unread = [];

    public SteppedTarget(ulong seed)
    {
        Scheduler = new DeterministicScheduler(seed);
        Subsystem = new StorageSubsystem(Scheduler, new SubsystemOptions { MpCount = 2 });
        TargetPort a = new(new PortId(TargetRig.PortA));
        for (ushort i = 1; i <= 2; i++)
        {
            Subsystem.CreateLdev(new LdevId(i), Blocks);
            a.MapLun(new Lun(i), new LdevId(i));
        }

        a.AddHostGroup(new HostGroup("prod", [new PortId(TargetRig.Host)], [new Lun(1), new Lun(2)]));
        a.SetLunSecurity(true);
        FrontEnd = new ControllerFrontEnd(Subsystem, [a], new TargetOptions { LoggerFactory = new LineLogger(Log.Add) });
        (DuplexPipe peer, DuplexPipe target) = DuplexPipe.CreatePair();
        _peer = peer;
        Connection = FrontEnd.Accept(target, "stepped host");
    }

    public DeterministicScheduler Scheduler { get; }

    public StorageSubsystem Subsystem { get; }

    public ControllerFrontEnd FrontEnd { get; }

    public TargetConnection Connection { get; }

    public List<string> Log { get; } = [];

    public void Send(byte routingControl, byte type, ushort exchangeId, ReadOnlySpan<byte> payload, uint parameter = 0)
    {
        FcFrameHeader header = new()
        {
            RoutingControl = routingControl,
            DestinationId = new PortId(TargetRig.PortA),
            SourceId = new PortId(TargetRig.Host),
            Type = type,
            FrameControl = routingControl == FcRoutingControl.Data ? FcFrameControl.RelativeOffsetPresent : FcFrameControl.Command,
            OriginatorExchangeId = exchangeId,
            ResponderExchangeId = 0xFFFF,
            Parameter = parameter,
        };
        Connection.OnFrame(header, payload, out _);
    }

    public void SendCommand(ushort exchangeId, ushort lun, byte[] cdb, bool writeData, uint dataLength)
    {
        byte[] command = new byte[FcpCommand.Length];
        FcpCommand.TryWrite(command, lun, cdb, !writeData && dataLength > 0, writeData, dataLength);
        Send(FcRoutingControl.Command, FcFrameHeader.TypeFcp, exchangeId, command);
    }

    public void SendData(ushort exchangeId, ReadOnlySpan<byte> data, uint offset = 0)
    {
        Send(FcRoutingControl.Data, FcFrameHeader.TypeFcp, exchangeId, data, offset);
    }

    /// <summary>PLOGI and PRLI (FCP_XFER_RDY handshake), run until idle; both must be accepted.</summary>
    public void Login()
    {
        byte[] plogi = new byte[ElsPayload.PortLoginLength];
        ElsPayload.WritePortLogin(plogi, ElsCommand.PortLogin, 1, 2);
        Send(FcRoutingControl.ElsRequest, FcFrameHeader.TypeEls, 0xF001, plogi);
        byte[] prli = new byte[ElsPayload.ProcessLoginLength];
        ElsPayload.WriteProcessLogin(prli, ElsCommand.ProcessLogin, ElsPayload.InitiatorFunction);
        Send(FcRoutingControl.ElsRequest, FcFrameHeader.TypeEls, 0xF002, prli);
        List<(FcFrameHeader Header, byte[] Payload)> replies = RunAndReceive();
        if (replies.Count != 2 || replies[0].Payload[0] != ElsCommand.LinkServiceAccept || replies[1].Payload[0] != ElsCommand.LinkServiceAccept)
        {
            throw new InvalidOperationException("the login was not accepted: " + string.Join("; ", Log));
        }
    }

    /// <summary>Runs the scheduler until nothing is ready and no timer is pending, then reads what the target sent.</summary>
    public List<(FcFrameHeader Header, byte[] Payload)> RunAndReceive()
    {
        Scheduler.RunUntilIdle();
        return Receive();
    }

    /// <summary>Reads every whole frame the target has sent so far.</summary>
    public List<(FcFrameHeader Header, byte[] Payload)> Receive()
    {
        List<(FcFrameHeader, byte[])> frames = [];
        if (_peer.Input.TryRead(out ReadResult result))
        {
            _unread.AddRange(result.Buffer.ToArray());
            _peer.Input.AdvanceTo(result.Buffer.End);
        }

        byte[] bytes = [.. _unread];
        int at = 0;
        while (FcipEncapsulation.TryRead(bytes.AsSpan(at), out FcipFrame frame, out int consumed, out string? reason) == FcipDecodeStatus.Frame)
        {
            ReadOnlySpan<byte> fcFrame = frame.FcFrame;
            FcFrameHeader.TryRead(fcFrame, out FcFrameHeader header);
            int payloadLength = fcFrame.Length - FcFrameHeader.Length - (header.FrameControl & FcFrameControl.FillBytesMask);
            frames.Add((header, fcFrame.Slice(FcFrameHeader.Length, payloadLength).ToArray()));
            at += consumed;
        }

        _unread.RemoveRange(0, at);
        return frames;
    }

    public void Dispose()
    {
        Subsystem.Dispose();
    }
}
