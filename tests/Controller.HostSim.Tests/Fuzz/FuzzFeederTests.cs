// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.HostSim.Core.Fuzz;
using Controller.Wire;
using Controller.Wire.Transport;

namespace Controller.HostSim.Tests.Fuzz;

public sealed class FuzzFeederTests
{
    [Test]
    public void AnEncapsulatedFrameReachesTheHandlerWithItsFillBytesRemoved()
    {
        // A 30-byte payload travels as 32 with 2 fill bytes, counted in F_CTL bits 1-0.
        byte[] frame = new byte[FcFrameHeader.Length + 32];
        new FcFrameHeader { RoutingControl = FcRoutingControl.Command, Type = FcFrameHeader.TypeFcp, FrameControl = FcFrameControl.Command | 2, OriginatorExchangeId = 9 }.TryWrite(frame);
        FuzzInput input = new() { Encapsulated = true };
        FcipEncapsulation.TryWrite(frame, FcDelimiter.StartInitiate3, FcDelimiter.EndTerminate, 0, 0, input.Bytes, out int written);
        input.Length = written;
        RecordingHandler handler = new();
        FuzzFeeder feeder = new();
        feeder.Feed(handler, input);
        Assert.Multiple(() =>
        {
            Assert.That(handler.Frames, Is.EqualTo(1), "the frame is handed on");
            Assert.That(handler.LastPayloadLength, Is.EqualTo(30), "without its fill bytes");
            Assert.That(handler.LastExchangeId, Is.EqualTo(9), "with its header");
            Assert.That(feeder.FcipDecoded, Is.EqualTo(1), "counted as decoded");
        });
    }

    [Test]
    public void BrokenBytesAndCutFramesNeverReachTheHandler()
    {
        RecordingHandler handler = new();
        FuzzFeeder feeder = new();
        FuzzInput garbage = new() { Encapsulated = true, Length = 64 };
        garbage.Bytes.AsSpan(0, 64).Fill(0x5A);
        FuzzInput cut = new() { Length = FcFrameHeader.Length - 1 };
        FuzzInput start = new() { Encapsulated = true, Length = 8 };
        feeder.Feed(handler, garbage);
        feeder.Feed(handler, cut);
        feeder.Feed(handler, start);
        Assert.Multiple(() =>
        {
            Assert.That(handler.Frames, Is.Zero, "nothing is handed on");
            Assert.That(feeder.FcipInvalid, Is.EqualTo(1), "bytes that are no FCIP header are invalid");
            Assert.That(feeder.FcipIncomplete, Is.EqualTo(1), "8 bytes are too few to tell");
            Assert.That(feeder.TooShort, Is.EqualTo(1), "23 bytes are no FC frame");
        });
    }

    private sealed class RecordingHandler : IFcFrameHandler
    {
        public int Frames { get; private set; }

        public int LastPayloadLength { get; private set; }

        public int LastExchangeId { get; private set; }

        public bool OnFrame(in FcFrameHeader header, ReadOnlySpan<byte> payload, out string? closeReason)
        {
            closeReason = null;
            Frames++;
            LastPayloadLength = payload.Length;
            LastExchangeId = header.OriginatorExchangeId;
            return true;
        }
    }
}
