// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Wire.Transport;

/// <summary>
/// Decides, frame by frame, whether a connection's reader takes the next frame now: the back-pressure of a
/// bounded send queue (docs/controllerd.md, "Bounded resources"). A frame not admitted stays unread in the pipe
/// (and so, behind it, in the socket: TCP's window closes on the peer) until <see cref="WaitAsync"/> completes.
/// It also hears how much of a frame is waiting to be completed, for the frame timeout.
/// </summary>
public interface IReceiveGate
{
    /// <summary>
    /// Asks whether the reader may hand this frame to its handler now. True reserves what the frame needs until
    /// <see cref="AfterFrame"/>; false leaves the frame unread, and the reader waits for <see cref="WaitAsync"/>.
    /// </summary>
    /// <param name="header">The frame's header.</param>
    /// <param name="payload">The frame's payload.</param>
    /// <returns>True to handle the frame now.</returns>
    bool TryAdmit(in FcFrameHeader header, ReadOnlySpan<byte> payload);

    /// <summary>Called after the handler has handled an admitted frame: what <see cref="TryAdmit"/> reserved is released.</summary>
    void AfterFrame();

    /// <summary>Completes when the reader should ask again (something was sent, or the connection is closing).</summary>
    /// <param name="cancellationToken">Ends the wait.</param>
    /// <returns>A task that completes when the reader should look again.</returns>
    ValueTask WaitAsync(CancellationToken cancellationToken);

    /// <summary>Told after each batch of received bytes: how many bytes of an incomplete frame are waiting for the rest (0: none).</summary>
    /// <param name="partialBytes">The bytes of a frame begun and not finished.</param>
    void OnPartialFrame(long partialBytes);
}
