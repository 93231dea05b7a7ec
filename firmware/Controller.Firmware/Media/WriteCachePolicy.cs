// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.Media;

/// <summary>
/// What an acknowledged write means for a medium: what survives a process kill and what survives a power cut. The
/// SCSI target reports it (MODE SENSE caching page, WCE) and the write path obeys it, so the two never disagree.
/// </summary>
public enum WriteCachePolicy
{
    /// <summary>
    /// The medium itself is volatile (the RAM store): a write is on it when acknowledged, and nothing survives the
    /// process. There is no cache in front of it to flush (WCE 0); a flush has nothing to make durable.
    /// </summary>
    VolatileMedium = 0,

    /// <summary>
    /// Every acknowledged write is on stable storage (WCE 0): the file store syncs before it answers, with one
    /// fdatasync covering the writes of many commands (group commit).
    /// </summary>
    WriteThrough = 1,

    /// <summary>
    /// An acknowledged write may sit in the host's page cache (WCE 1) until SYNCHRONIZE CACHE, a write with FUA or a
    /// clean shutdown syncs it: it survives a process kill but not a power cut before the sync.
    /// </summary>
    WriteBack = 2,
}
