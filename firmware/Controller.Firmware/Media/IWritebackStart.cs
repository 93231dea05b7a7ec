// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.Media;

/// <summary>
/// Media whose completed writes can be sent on their way to the disk before a sync asks for them (the file store:
/// sync_file_range WRITE). Only a head start for the next <see cref="IBlockDevice.Flush"/>: it neither waits nor makes
/// anything durable, and a medium that cannot do it simply does not implement this.
/// </summary>
public interface IWritebackStart
{
    /// <summary>Starts writing every written block to the disk, without waiting. Never fails the caller.</summary>
    void StartWriteback();
}
