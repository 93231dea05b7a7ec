// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Wire;
using Controller.Wire.Transport;

namespace Controller.HostSim.Core.Fuzz;

/// <summary>
/// Hands fuzz inputs to a frame handler: an FC frame straight to <see cref="IFcFrameHandler.OnFrame"/>, FCIP
/// bytes through <see cref="FcipEncapsulation.TryRead"/> first, each decoded frame with its fill bytes taken off
/// as <see cref="FcipFrameReader"/> does. Counts what happened; exceptions are the caller's to catch.
/// </summary>
public sealed class FuzzFeeder
{
    /// <summary>Gets the frames handed to the handler.</summary>
    public long FramesHandled { get; private set; }

    /// <summary>Gets the FC-level inputs cut below the 24-byte header: no frame (the wire cannot carry one).</summary>
    public long TooShort { get; private set; }

    /// <summary>Gets the FCIP inputs.</summary>
    public long FcipInputs { get; private set; }

    /// <summary>Gets the FCIP inputs that decoded to at least one frame.</summary>
    public long FcipDecoded { get; private set; }

    /// <summary>Gets the frames decoded from FCIP inputs.</summary>
    public long FcipFrames { get; private set; }

    /// <summary>Gets the FCIP inputs whose first frame was invalid (the target would close the connection).</summary>
    public long FcipInvalid { get; private set; }

    /// <summary>Gets the FCIP inputs whose first frame was incomplete (the target would wait for more).</summary>
    public long FcipIncomplete { get; private set; }

    /// <summary>Gets the decoded frames that claimed more fill bytes than payload (the reader closes the connection).</summary>
    public long FcipBadFill { get; private set; }

    /// <summary>Gets the frames after which the handler asked to close the connection.</summary>
    public long CloseRequests { get; private set; }

    /// <summary>Feeds one input.</summary>
    /// <param name="handler">The handler (the target connection, or a wrapper around it).</param>
    /// <param name="input">The input.</param>
    public void Feed(IFcFrameHandler handler, FuzzInput input)
    {
        if (!input.Encapsulated)
        {
            ReadOnlySpan<byte> frame = input.Span;
            if (!FcFrameHeader.TryRead(frame, out FcFrameHeader header))
            {
                TooShort++;
                return;
            }

            Handle(handler, header, frame[FcFrameHeader.Length..]);
            return;
        }

        FcipInputs++;
        ReadOnlySpan<byte> stream = input.Span;
        bool first = true;
        while (!stream.IsEmpty)
        {
            FcipDecodeStatus status = FcipEncapsulation.TryRead(stream, out FcipFrame decoded, out int consumed, out _);
            if (status != FcipDecodeStatus.Frame)
            {
                if (first)
                {
                    if (status == FcipDecodeStatus.Invalid)
                    {
                        FcipInvalid++;
                    }
                    else
                    {
                        FcipIncomplete++;
                    }
                }

                return;
            }

            if (first)
            {
                FcipDecoded++;
                first = false;
            }

            FcipFrames++;
            ReadOnlySpan<byte> fcFrame = decoded.FcFrame;
            FcFrameHeader.TryRead(fcFrame, out FcFrameHeader header);
            int payloadLength = fcFrame.Length - FcFrameHeader.Length - (header.FrameControl & FcFrameControl.FillBytesMask);
            if (payloadLength < 0)
            {
                FcipBadFill++;
                return;
            }

            Handle(handler, header, fcFrame.Slice(FcFrameHeader.Length, payloadLength));
            stream = stream[consumed..];
        }
    }

    private void Handle(IFcFrameHandler handler, in FcFrameHeader header, ReadOnlySpan<byte> payload)
    {
        FramesHandled++;
        if (!handler.OnFrame(header, payload, out _))
        {
            CloseRequests++;
        }
    }
}
