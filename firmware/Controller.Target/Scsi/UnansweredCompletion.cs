// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Media;
using Controller.Firmware.Volumes;

namespace Controller.Target.Scsi;

/// <summary>
/// The completion of a media command the host was already answered for: SYNCHRONIZE CACHE with IMMED set, whose GOOD
/// went out when the CDB was checked. Stateless, shared.
/// </summary>
internal sealed class UnansweredCompletion : IBlockCommandCompletion
{
    /// <summary>Gets the shared instance.</summary>
    public static UnansweredCompletion Instance { get; } = new();

    /// <inheritdoc/>
    public void Complete(in BlockCommand command, MediaStatus status)
    {
        // Nothing to answer: the host has its GOOD; the subsystem has already counted the command out.
    }
}
