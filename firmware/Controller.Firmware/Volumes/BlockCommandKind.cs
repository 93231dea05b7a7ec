// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.Volumes;

/// <summary>What a <see cref="BlockCommand"/> does.</summary>
public enum BlockCommandKind
{
    /// <summary>Read blocks into the buffer.</summary>
    Read = 0,

    /// <summary>Write blocks from the buffer.</summary>
    Write = 1,
}
