// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Media;

namespace Controller.Firmware.Volumes;

/// <summary>Receives the end of a block command, on the MP that ran it.</summary>
public interface IBlockCommandCompletion
{
    /// <summary>Called once per command, after the media transfer.</summary>
    /// <param name="command">The command.</param>
    /// <param name="status">The media's answer.</param>
    void Complete(in BlockCommand command, MediaStatus status);
}
