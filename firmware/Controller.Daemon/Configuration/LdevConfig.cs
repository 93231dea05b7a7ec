// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.Media;

namespace Controller.Daemon.Configuration;

/// <summary>One <c>ldev</c> line: an LDEV and its capacity.</summary>
/// <param name="Id">The LDEV's identity.</param>
/// <param name="SizeBytes">The capacity in bytes: more than 0, a multiple of 512.</param>
/// <param name="Line">The 1-based line that declares it.</param>
internal sealed record LdevConfig(LdevId Id, long SizeBytes, int Line)
{
    /// <summary>
    /// Gets a value indicating whether the LDEV is a command device: the LUNs mapped to it take copy-management
    /// commands (no other LUN does), and it is never a pair volume.
    /// </summary>
    public bool CommandDevice { get; init; }

    /// <summary>Gets the capacity in 512-byte blocks.</summary>
    public long BlockCount => SizeBytes / TrackGeometry.BlockSize;
}
