// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Wire.Transport;

/// <summary>
/// One whole frame to send, header and payload given up front: ELS requests and replies, and raw frames in tests.
/// Control plane: each is allocated.
/// </summary>
public sealed class SingleFrameSource : OutboundFrameSource
{
    private readonly FcFrameHeader _header;
    private readonly byte[] _payload;

    /// <summary>Initializes a frame to send.</summary>
    /// <param name="header">The frame header.</param>
    /// <param name="payload">The payload (kept, not copied).</param>
    public SingleFrameSource(in FcFrameHeader header, byte[] payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        _header = header;
        _payload = payload;
    }

    /// <inheritdoc/>
    public override void WriteFrames(FcipFrameEmitter emitter)
    {
        ArgumentNullException.ThrowIfNull(emitter);
        emitter.Write(_header, _payload, FcDelimiter.StartInitiate3, FcDelimiter.EndTerminate);
    }
}
