// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Wire.Transport;

/// <summary>
/// Something that has frames to send on a connection: an exchange with a response ready, an ELS reply. It is its
/// own node in the connection's <see cref="OutboundQueue"/>, so posting one allocates nothing.
/// </summary>
/// <remarks>
/// A source is in at most one queue at a time, at most once: the owner posts it again only after the writer has
/// called <see cref="WriteFrames"/> for the previous post (the exchange state machines guarantee that).
/// </remarks>
public abstract class OutboundFrameSource
{
    // The intrusive link of the MPSC queue. Written by the producer that enqueues this node's predecessor link
    // (Volatile.Write) and read by the single consumer (Volatile.Read).
    internal OutboundFrameSource? _next;

    /// <summary>Writes this source's frames. Called on the connection's writer, one source at a time.</summary>
    /// <param name="emitter">Where the frames go.</param>
    public abstract void WriteFrames(FcipFrameEmitter emitter);
}
