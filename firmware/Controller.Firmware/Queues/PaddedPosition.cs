// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.InteropServices;

namespace Controller.Firmware.Queues;

/// <summary>
/// A ring position alone on its cache line, so that producers moving the tail and the consumer moving the
/// head do not invalidate each other's line (64 bytes either side also covers adjacent-line prefetch).
/// </summary>
// Mutable struct! Don't make this readonly: Value is updated in place with Interlocked/Volatile.
[StructLayout(LayoutKind.Explicit, Size = 192)]
internal struct PaddedPosition
{
    /// <summary>The position.</summary>
    [FieldOffset(64)]
    public long Value;
}
