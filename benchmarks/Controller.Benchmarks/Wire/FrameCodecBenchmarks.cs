// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using BenchmarkDotNet.Attributes;
using Controller.Addressing;
using Controller.Wire;

namespace Controller.Benchmarks.Wire;

/// <summary>
/// The codec's per-frame work (issue #4 budget: 5,000,000 frames per second per core, 0 bytes allocated): decode
/// an FCIP-encapsulated FCP_CMND (encapsulation checks and FC CRC, FC-2 header, FCP_CMND) and encode the
/// FCP_RSP frame that answers it. Baseline: the same decode and encode without the FC CRC, to show its share.
/// </summary>
[MemoryDiagnoser]
public class FrameCodecBenchmarks
{
    private readonly byte[] _commandWire = new byte[FcipEncapsulation.EncodedLength(FcFrameHeader.Length + FcpCommand.Length)];
    private readonly byte[] _responseFrame = new byte[FcFrameHeader.Length + FcpResponse.FixedLength];
    private readonly byte[] _responseWire = new byte[FcipEncapsulation.EncodedLength(FcFrameHeader.Length + FcpResponse.FixedLength)];

    [GlobalSetup]
    public void Setup()
    {
        byte[] frame = new byte[FcFrameHeader.Length + FcpCommand.Length];
        new FcFrameHeader { RoutingControl = FcRoutingControl.Command, DestinationId = new PortId(0x400104), SourceId = new PortId(0x010200), Type = FcFrameHeader.TypeFcp, FrameControl = 0x290000, OriginatorExchangeId = 0x1234, ResponderExchangeId = 0xFFFF }.TryWrite(frame);
        byte[] cdb = new byte[16];
        cdb[0] = 0x8A;
        cdb[13] = 8;
        FcpCommand.TryWrite(frame.AsSpan(FcFrameHeader.Length), 1, cdb, readData: false, writeData: true, 4096);
        FcipEncapsulation.TryWrite(frame, FcDelimiter.StartInitiate3, FcDelimiter.EndTerminate, 0, 0, _commandWire, out _);
    }

    [Benchmark]
    public int DecodeCommandEncodeResponse()
    {
        FcipEncapsulation.TryRead(_commandWire, out FcipFrame frame, out _, out _);
        FcFrameHeader.TryRead(frame.FcFrame, out FcFrameHeader header);
        FcpCommand.TryRead(frame.FcFrame[FcFrameHeader.Length..], out FcpCommand command, out _);
        FcFrameHeader reply = header with
        {
            RoutingControl = FcRoutingControl.Response,
            DestinationId = header.SourceId,
            SourceId = header.DestinationId,
            FrameControl = 0x990000,
            ResponderExchangeId = 1,
        };
        reply.TryWrite(_responseFrame);
        new FcpResponse(FcpResponse.Good, 0, false, false, null).TryWrite(_responseFrame.AsSpan(FcFrameHeader.Length));
        FcipEncapsulation.TryWrite(_responseFrame, FcDelimiter.StartInitiate3, FcDelimiter.EndTerminate, 0, 0, _responseWire, out int written);
        return written + command.Lun;
    }

    [Benchmark(Baseline = true)]
    public int HeadersOnlyWithoutCrc()
    {
        ReadOnlySpan<byte> fcFrame = _commandWire.AsSpan(32, FcFrameHeader.Length + FcpCommand.Length);
        FcFrameHeader.TryRead(fcFrame, out FcFrameHeader header);
        FcpCommand.TryRead(fcFrame[FcFrameHeader.Length..], out FcpCommand command, out _);
        FcFrameHeader reply = header with { RoutingControl = FcRoutingControl.Response, DestinationId = header.SourceId, SourceId = header.DestinationId };
        reply.TryWrite(_responseFrame);
        new FcpResponse(FcpResponse.Good, 0, false, false, null).TryWrite(_responseFrame.AsSpan(FcFrameHeader.Length));
        return command.Lun;
    }
}
