// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.Pairs;

/// <summary>What the vendor tables call Accepted, Acceptable and Rejected.</summary>
public enum CommandResult
{
    /// <summary>Accepted and executed: the pair moves to the rule's next state.</summary>
    Accepted = 0,

    /// <summary>"Acceptable": accepted, nothing done, success returned (no-op).</summary>
    NoOp = 1,

    /// <summary>Rejected with an error code; nothing changes.</summary>
    Rejected = 2,
}
