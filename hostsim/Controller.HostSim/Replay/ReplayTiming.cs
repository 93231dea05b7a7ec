// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim.Replay;

/// <summary>When a replay sends each command.</summary>
internal enum ReplayTiming
{
    /// <summary>At its recorded time from the first command.</summary>
    Original,

    /// <summary>At its recorded time divided by a speed factor (2 = twice as fast).</summary>
    Scaled,

    /// <summary>As soon as the order and the queue depth allow.</summary>
    Asap,
}
