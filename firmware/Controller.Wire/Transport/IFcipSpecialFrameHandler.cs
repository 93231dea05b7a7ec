// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Wire.Transport;

/// <summary>
/// A frame handler that takes the FCIP Special Frame an originator sends first on a new connection (RFC 3821 section 7):
/// the acceptor side. <see cref="FcipFrameReader"/> hands it over only as the very first bytes of the stream; anywhere
/// else it is not a valid frame and closes the connection.
/// </summary>
public interface IFcipSpecialFrameHandler
{
    /// <summary>Takes the FSF (checked: <see cref="FcipSpecialFrame.TryCheck"/>).</summary>
    /// <param name="specialFrame">The 68 bytes.</param>
    void OnSpecialFrame(ReadOnlySpan<byte> specialFrame);
}
