// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Wire.Transport;

/// <summary>Bytes sent as they are, not an FC frame: the echo of an FCIP Special Frame.</summary>
public sealed class RawBytesSource : OutboundFrameSource
{
    private readonly byte[] _bytes;

    /// <summary>Initializes the source.</summary>
    /// <param name="bytes">The bytes to send.</param>
    public RawBytesSource(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        _bytes = bytes;
    }

    /// <inheritdoc/>
    public override void WriteFrames(FcipFrameEmitter emitter)
    {
        ArgumentNullException.ThrowIfNull(emitter);
        emitter.WriteRaw(_bytes);
    }
}
