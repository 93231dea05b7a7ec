// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.IO.Pipelines;
using Controller.Wire;
using Controller.Wire.Els;
using Controller.Wire.Transport;

namespace Controller.Target.Tests.Bounds;

/// <summary>
/// An initiator on an in-process link that sends what it is told and reads nothing back until <see cref="DrainAsync"/>:
/// the controller's answers pile up in a pipe that pauses its writer at 64 KiB, as a socket whose peer does not read.
/// </summary>
internal sealed class SilentPeer : IFcFrameHandler
{
    private readonly int _initiator;
    private readonly Pipe _toTarget = new(new PipeOptions(pauseWriterThreshold: 0, resumeWriterThreshold: 0, useSynchronizationContext: false));
    private readonly Pipe _fromTarget = new(new PipeOptions(pauseWriterThreshold: 64 * 1024, resumeWriterThreshold: 32 * 1024, useSynchronizationContext: false));
    private int _responses;
    private readonly TaskCompletionSource _enough = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _wanted = int.MaxValue;

    public SilentPeer(ControllerFrontEnd frontEnd, string name = "silent peer", int initiator = TargetRig.Host)
    {
        _initiator = initiator;
        Connection = frontEnd.Accept(new DuplexPipe(_toTarget.Reader, _fromTarget.Writer), name);
        Served = Task.Run(() => Connection.RunAsync(CancellationToken.None));
    }

    public TargetConnection Connection { get; }

    public Task<string?> Served { get; }

    public int Responses => Volatile.Read(ref _responses);

    public async Task SendAsync(FcFrameHeader header, byte[] payload)
    {
        await _toTarget.Writer.WriteAsync(RawPeer.Encode(header, payload));
    }

    public async Task SendBytesAsync(byte[] bytes)
    {
        await _toTarget.Writer.WriteAsync(bytes);
    }

    /// <summary>PLOGI and PRLI, without waiting for their answers (they wait in the pipe).</summary>
    public async Task LoginAsync()
    {
        byte[] plogi = new byte[ElsPayload.PortLoginLength];
        ElsPayload.WritePortLogin(plogi, ElsCommand.PortLogin, 1, 2);
        await SendAsync(RawPeer.Header(FcRoutingControl.ElsRequest, FcFrameHeader.TypeEls, 0xF001, _initiator), plogi);
        byte[] prli = new byte[ElsPayload.ProcessLoginLength];
        ElsPayload.WriteProcessLogin(prli, ElsCommand.ProcessLogin, ElsPayload.InitiatorFunction);
        await SendAsync(RawPeer.Header(FcRoutingControl.ElsRequest, FcFrameHeader.TypeEls, 0xF002, _initiator), prli);
    }

    /// <summary>Sends READ(16)s of <paramref name="bytes"/> each from LBA 0 of LUN 1, OX_IDs from <paramref name="firstExchange"/>.</summary>
    public async Task SendReadsAsync(int count, int bytes, ushort firstExchange = 0)
    {
        byte[] cdb = TargetRig.Read16(0, bytes / 512);
        byte[] command = new byte[FcpCommand.Length];
        FcpCommand.TryWrite(command, 1, cdb, readData: true, writeData: false, (uint)bytes);
        for (int i = 0; i < count; i++)
        {
            await SendAsync(RawPeer.Header(FcRoutingControl.Command, FcFrameHeader.TypeFcp, (ushort)(firstExchange + i), _initiator), command);
        }
    }

    /// <summary>Starts reading every answer, and completes when <paramref name="responses"/> FCP_RSPs have come.</summary>
    public Task DrainAsync(int responses)
    {
        Volatile.Write(ref _wanted, responses);
        if (Responses >= responses)
        {
            _enough.TrySetResult();
        }

        _ = Task.Run(() => new FcipFrameReader(_fromTarget.Reader, this).RunAsync(CancellationToken.None));
        return _enough.Task.WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>Closes both directions, as a peer that leaves.</summary>
    public async Task CloseAsync()
    {
        await _toTarget.Writer.CompleteAsync();
        await _fromTarget.Reader.CompleteAsync();
    }

    public bool OnFrame(in FcFrameHeader header, ReadOnlySpan<byte> payload, out string? closeReason)
    {
        closeReason = null;
        if (header.RoutingControl == FcRoutingControl.Response && Interlocked.Increment(ref _responses) >= Volatile.Read(ref _wanted))
        {
            _enough.TrySetResult();
        }

        return true;
    }

    /// <summary>The first bytes of a READ's FCP_CMND frame: a frame begun and never finished.</summary>
    public static byte[] HalfFrame()
    {
        byte[] command = new byte[FcpCommand.Length];
        FcpCommand.TryWrite(command, 1, TargetRig.Read16(0, 8), readData: true, writeData: false, 4096);
        byte[] whole = RawPeer.Encode(RawPeer.Header(FcRoutingControl.Command, FcFrameHeader.TypeFcp, 7), command);
        return whole[..(whole.Length / 2)];
    }

    /// <summary>Waits (polling, no time asserted) until a condition holds.</summary>
    public static void WaitUntil(Func<bool> condition, string what)
    {
        Assert.That(SpinWait.SpinUntil(condition, TimeSpan.FromSeconds(30)), Is.True, "waited for: " + what);
    }
}
