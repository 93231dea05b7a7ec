// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.Volumes;

/// <summary>
/// Work that must run on the MP that owns an LDEV, in order with that LDEV's host commands: a copy-engine step,
/// a barrier that proves every earlier command of the LDEV has finished. Queued as a
/// <see cref="BlockCommandKind.Task"/> command.
/// </summary>
public interface IMpTask
{
    /// <summary>Runs the task on the owning MP; must not block on another MP.</summary>
    void Run();
}
