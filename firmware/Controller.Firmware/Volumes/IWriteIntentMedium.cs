// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.Volumes;

/// <summary>
/// Where an LDEV's write intents are kept (docs/durability.md, "The write-intent log"): a small stable record of the
/// regions that may hold writes not yet in a checkpoint of the pair bitmaps. Written whole, never in place.
/// </summary>
public interface IWriteIntentMedium
{
    /// <summary>
    /// Makes the given regions the kept record, durably (written and synced) before it returns. Called by one thread
    /// at a time per LDEV, off the MPs.
    /// </summary>
    /// <param name="regions">One bit per region (<see cref="WriteIntent.RegionTracks"/> tracks), region 0 in bit 0 of word 0.</param>
    /// <returns>False when the record could not be written or synced: the writes waiting for it are failed.</returns>
    bool Keep(ReadOnlySpan<ulong> regions);
}
