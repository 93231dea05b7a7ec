// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Wire.Transport;

/// <summary>Handles the FC frames a connection receives, one at a time, on the connection's reader.</summary>
public interface IFcFrameHandler
{
    /// <summary>Handles one frame. Must not keep the span: it points into the connection's receive buffer.</summary>
    /// <param name="header">The decoded frame header.</param>
    /// <param name="payload">The payload, fill bytes removed.</param>
    /// <param name="closeReason">Set when the connection must close, with the reason to log.</param>
    /// <returns>False to close the connection.</returns>
    bool OnFrame(in FcFrameHeader header, ReadOnlySpan<byte> payload, out string? closeReason);
}
