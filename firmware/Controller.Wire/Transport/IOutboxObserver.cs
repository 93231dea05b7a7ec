// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Wire.Transport;

/// <summary>
/// Hears a connection's sends (<see cref="FrameOutbox"/>): when a flush to the peer begins and when it ends. The
/// send queue's budget releases the bytes a flush carried when it ends, and the send timeout watches a flush that
/// does not end. Called by the outbox's single drainer, one call at a time.
/// </summary>
public interface IOutboxObserver
{
    /// <summary>A flush to the peer begins.</summary>
    void OnFlushStarting();

    /// <summary>The flush has ended: the bytes written before it have left (the peer took them, or the connection failed).</summary>
    void OnFlushEnded();
}
