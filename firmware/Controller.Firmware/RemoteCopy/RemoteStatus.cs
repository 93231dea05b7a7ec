// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.RemoteCopy;

/// <summary>How a message over the remote-copy link ended, as the sending side sees it.</summary>
public enum RemoteStatus
{
    /// <summary>The peer did it and said so.</summary>
    Good = 0,

    /// <summary>The link is down, or went down before the answer came: whether the peer did it is unknown.</summary>
    LinkDown = 1,

    /// <summary>The peer answered and refused (the reply's error code says why).</summary>
    Refused = 2,
}
