// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.IO.Pipelines;

namespace Controller.Wire.Transport;

/// <summary>
/// Writes FC frames, FCIP-encapsulated, straight into a connection's <see cref="PipeWriter"/>: the frame is built
/// in place in the pipe's buffer (no copy) and sealed with its CRC. Only the connection's writer uses it.
/// </summary>
public sealed class FcipFrameEmitter
{
    private readonly PipeWriter _writer;
    private readonly IFrameTap? _tap;

    // The frame between Begin and Commit (one at a time: only the writer uses the emitter).
    private int _pendingLength;
    private byte _pendingStart;
    private byte _pendingEnd;

    /// <summary>Initializes an emitter.</summary>
    /// <param name="writer">The connection's output.</param>
    /// <param name="tap">Optional: sees every frame sent.</param>
    public FcipFrameEmitter(PipeWriter writer, IFrameTap? tap = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
        _tap = tap;
    }

    /// <summary>Gets the number of frames written.</summary>
    public long FramesWritten { get; private set; }

    /// <summary>Gets the number of bytes written (FCIP encapsulation included): the outbox flushes by it.</summary>
    public long BytesWritten { get; private set; }

    /// <summary>
    /// Writes one frame. A payload whose length is not a whole number of words is padded with fill bytes,
    /// counted in F_CTL bits 1-0 (FC-FS), so the receiver can strip them.
    /// </summary>
    /// <param name="header">The frame header; its F_CTL fill-byte bits are set here.</param>
    /// <param name="payload">The payload, at most 2112 bytes.</param>
    /// <param name="start">SOF code (SOFi3 for the first frame of a sequence, SOFn3 after).</param>
    /// <param name="end">EOF code (EOFt for the last frame of a sequence, EOFn before).</param>
    public void Write(in FcFrameHeader header, ReadOnlySpan<byte> payload, byte start, byte end)
    {
        int fill = (4 - (payload.Length & 3)) & 3;
        int frameLength = FcFrameHeader.Length + payload.Length + fill;
        int total = FcipEncapsulation.EncodedLength(frameLength);
        Span<byte> destination = _writer.GetSpan(total);
        Span<byte> frame = destination.Slice(FcipEncapsulation.FrameOffset, frameLength);
        FcFrameHeader sealedHeader = header with { FrameControl = (header.FrameControl & ~FcFrameControl.FillBytesMask) | fill };
        sealedHeader.TryWrite(frame);
        payload.CopyTo(frame[FcFrameHeader.Length..]);
        frame[(FcFrameHeader.Length + payload.Length)..].Clear();
        FcipEncapsulation.Seal(destination, frameLength, start, end, 0, 0);
        _tap?.OnFrame(frame);
        _writer.Advance(total);
        FramesWritten++;
        BytesWritten += total;
    }

    /// <summary>Writes bytes that are not an FC frame (the echo of an FCIP Special Frame); the tap does not see them.</summary>
    /// <param name="bytes">The bytes.</param>
    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_writer.GetSpan(bytes.Length));
        _writer.Advance(bytes.Length);
    }

    /// <summary>
    /// Writes one frame whose payload the caller fills in place (e.g. straight from a volume's buffer).
    /// </summary>
    /// <param name="header">The frame header.</param>
    /// <param name="payloadLength">The payload length, a multiple of 4, at most 2112.</param>
    /// <param name="start">SOF code.</param>
    /// <param name="end">EOF code.</param>
    /// <returns>The payload to fill; call <see cref="Commit"/> after filling it.</returns>
    public Span<byte> Begin(in FcFrameHeader header, int payloadLength, byte start, byte end)
    {
        if ((payloadLength & 3) != 0 || payloadLength > FcipEncapsulation.MaxPayloadLength)
        {
            throw new ArgumentOutOfRangeException(nameof(payloadLength), payloadLength, "an in-place payload is a whole number of words, at most 2112 bytes");
        }

        int frameLength = FcFrameHeader.Length + payloadLength;
        Span<byte> destination = _writer.GetSpan(FcipEncapsulation.EncodedLength(frameLength));
        header.TryWrite(destination.Slice(FcipEncapsulation.FrameOffset, FcFrameHeader.Length));
        _pendingLength = frameLength;
        _pendingStart = start;
        _pendingEnd = end;
        return destination.Slice(FcipEncapsulation.FrameOffset + FcFrameHeader.Length, payloadLength);
    }

    /// <summary>Seals and commits the frame started by <see cref="Begin"/>.</summary>
    public void Commit()
    {
        int total = FcipEncapsulation.EncodedLength(_pendingLength);
        Span<byte> destination = _writer.GetSpan(total);
        FcipEncapsulation.Seal(destination, _pendingLength, _pendingStart, _pendingEnd, 0, 0);
        _tap?.OnFrame(destination.Slice(FcipEncapsulation.FrameOffset, _pendingLength));
        _writer.Advance(total);
        FramesWritten++;
        BytesWritten += total;
    }
}
