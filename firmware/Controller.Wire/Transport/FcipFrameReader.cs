// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers;
using System.IO.Pipelines;

namespace Controller.Wire.Transport;

/// <summary>
/// The receive side of one connection: reads FCIP-encapsulated FC frames from a <see cref="PipeReader"/> and hands
/// each to a handler. A frame that lies in one buffer segment is handed over in place; one that spans segments
/// is first copied into a scratch buffer of the largest frame size. Invalid encapsulation closes the connection
/// with the decoder's reason (there is no way to find the next frame boundary in a corrupt byte stream).
/// </summary>
/// <remarks>
/// With a gate (<see cref="IReceiveGate"/>), a frame the gate does not admit stays in the pipe, unread, and so does
/// everything behind it: the reader waits for the gate before it looks again. That is the back-pressure of a
/// bounded send queue: a peer that does not read its answers is not read either.
/// </remarks>
public sealed class FcipFrameReader
{
    private readonly PipeReader _reader;
    private readonly IFcFrameHandler _handler;
    private readonly IFrameTap? _tap;
    private readonly FrameOutbox? _outbox;
    private readonly IReceiveGate? _gate;
    private readonly byte[] _scratch = new byte[FcipEncapsulation.EncodedLength(FcipEncapsulation.MaxFcFrameLength)];

    // Set once the first bytes were looked at: an FCIP Special Frame is only taken there.
    private bool _specialFrameDone;

    /// <summary>Initializes a reader.</summary>
    /// <param name="reader">The connection's input.</param>
    /// <param name="handler">Receives every frame.</param>
    /// <param name="tap">Optional: sees every frame received.</param>
    /// <param name="outbox">Optional: the connection's outbox; what the handler posts while a batch of received
    /// frames is handled leaves in one flush after the batch.</param>
    /// <param name="gate">Optional: admits each frame before it is handled (back-pressure) and hears of partial frames.</param>
    public FcipFrameReader(PipeReader reader, IFcFrameHandler handler, IFrameTap? tap = null, FrameOutbox? outbox = null, IReceiveGate? gate = null)
    {
        _outbox = outbox;
        _gate = gate;
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(handler);
        _reader = reader;
        _handler = handler;
        _tap = tap;
    }

    /// <summary>Gets the number of frames received.</summary>
    public long FramesRead { get; private set; }

    /// <summary>Reads frames until the peer closes, the handler asks to close, or the stream is invalid.</summary>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>Why the connection ended: null for a clean close by the peer, else the reason.</returns>
    public async Task<string?> RunAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            ReadResult result;
            try
            {
                result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return "stopped";
            }
            catch (Exception exception) when (exception is IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
            {
                return "receive failed: " + exception.Message;
            }

            ReadOnlySequence<byte> buffer = result.Buffer;
            string? closeReason;
            bool held = false;
            _outbox?.BeginDeferring();
            try
            {
                closeReason = ProcessFrames(ref buffer, ref held);
            }
            finally
            {
                _outbox?.EndDeferring();
            }

            if (held)
            {
                // The gate holds the next frame: leave it unexamined, so the next read returns it at once, and
                // read nothing more (the socket's buffer fills and TCP's window closes on the peer) until the gate
                // says to look again.
                _reader.AdvanceTo(buffer.Start);
                _gate!.OnPartialFrame(0);
                try
                {
                    await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return "stopped";
                }

                continue;
            }

            _reader.AdvanceTo(buffer.Start, buffer.End);
            if (closeReason is not null)
            {
                return closeReason;
            }

            _gate?.OnPartialFrame(buffer.Length);

            if (result.IsCompleted || result.IsCanceled)
            {
                return buffer.IsEmpty ? null : "the peer closed the connection in the middle of a frame (" + buffer.Length + " bytes left)";
            }
        }
    }

    private string? ProcessFrames(ref ReadOnlySequence<byte> buffer, ref bool held)
    {
        while (!buffer.IsEmpty)
        {
            ReadOnlySpan<byte> source = buffer.FirstSpan;
            if (source.Length < _scratch.Length && source.Length < buffer.Length)
            {
                // The frame may span segments: gather up to one maximum frame.
                int gather = (int)Math.Min(buffer.Length, _scratch.Length);
                buffer.Slice(0, gather).CopyTo(_scratch);
                source = _scratch.AsSpan(0, gather);
            }

            if (!_specialFrameDone && _handler is IFcipSpecialFrameHandler acceptor)
            {
                // Only the very first bytes of a connection may be an FCIP Special Frame (RFC 3821 section 7).
                if (source.Length < 12)
                {
                    return null;
                }

                if (FcipSpecialFrame.StartsWithSpecialFrame(source))
                {
                    if (source.Length < FcipSpecialFrame.Length)
                    {
                        return null;
                    }

                    if (!FcipSpecialFrame.TryCheck(source, out string? invalid))
                    {
                        return invalid;
                    }

                    acceptor.OnSpecialFrame(source[..FcipSpecialFrame.Length]);
                    _specialFrameDone = true;
                    buffer = buffer.Slice(FcipSpecialFrame.Length);
                    continue;
                }

                _specialFrameDone = true;
            }

            FcipDecodeStatus status = FcipEncapsulation.TryRead(source, out FcipFrame frame, out int consumed, out string? reason);
            if (status == FcipDecodeStatus.NeedMoreData)
            {
                return null;
            }

            if (status == FcipDecodeStatus.Invalid)
            {
                return "invalid FCIP frame after " + FramesRead + " good frames: " + reason;
            }

            ReadOnlySpan<byte> fcFrame = frame.FcFrame;
            FcFrameHeader.TryRead(fcFrame, out FcFrameHeader header);
            int fill = header.FrameControl & FcFrameControl.FillBytesMask;
            int payloadLength = fcFrame.Length - FcFrameHeader.Length - fill;
            if (payloadLength < 0)
            {
                return "frame " + (FramesRead + 1) + " claims " + fill + " fill bytes in an empty payload";
            }

            ReadOnlySpan<byte> payload = fcFrame.Slice(FcFrameHeader.Length, payloadLength);
            if (_gate is not null && !_gate.TryAdmit(header, payload))
            {
                // Not now: the frame stays in the buffer (not counted, not tapped) until the gate lets it in.
                held = true;
                return null;
            }

            FramesRead++;
            _tap?.OnFrame(fcFrame);
            bool keep = _handler.OnFrame(header, payload, out string? closeReason);
            _gate?.AfterFrame();
            buffer = buffer.Slice(consumed);
            if (!keep)
            {
                return closeReason ?? "closed by the handler";
            }
        }

        return null;
    }
}
