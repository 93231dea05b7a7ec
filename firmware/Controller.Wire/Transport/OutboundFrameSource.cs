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

    /// <summary>
    /// Writes the next frames, stopping once about <paramref name="maxBytes"/> have been written: a source with a
    /// large answer (an 8 MiB read) is written in pieces, each flushed before the next, so the connection's pipe
    /// never holds a whole answer beside the answer's own buffer. The default writes everything at once.
    /// </summary>
    /// <param name="emitter">Where the frames go.</param>
    /// <param name="maxBytes">About how many bytes to write now (a frame is never split).</param>
    /// <returns>True when the source has written its last frame; false when it must be called again.</returns>
    public virtual bool WriteSomeFrames(FcipFrameEmitter emitter, int maxBytes)
    {
        WriteFrames(emitter);
        return true;
    }

    /// <summary>
    /// Called instead of writing when the connection is gone (closed, failed, or completed): the source gives
    /// back what it holds (pooled buffers, its place in the exchange table). The default holds nothing.
    /// </summary>
    public virtual void Discard()
    {
    }
}
