// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.Media;

/// <summary>
/// Media that keeps each track in a buffer of its own and can take a caller's buffer as a track's new contents
/// without copying it: the copy engine reads a track once, and the target keeps the very buffer it was read into.
/// Used only by the MP that owns the volume, like every other media access.
/// </summary>
public interface ITrackStore
{
    /// <summary>Tells whether a track has storage (was written); a track without reads as zeros.</summary>
    /// <param name="track">The track.</param>
    /// <returns>True if written.</returns>
    bool IsTrackWritten(long track);

    /// <summary>
    /// Reads a whole track for the copy engine, with streaming stores (<see cref="StreamingCopy"/>): the buffer
    /// goes to another MP, not to this one's cache.
    /// </summary>
    /// <param name="track">A full track (not a partial last one).</param>
    /// <param name="destination">One track's worth of bytes.</param>
    /// <returns>Good, or why not.</returns>
    MediaStatus ReadTrack(long track, Span<byte> destination);

    /// <summary>
    /// Makes <paramref name="buffer"/> the storage of a whole track, or with null makes the track unwritten
    /// (zeros, no storage), and hands back the storage it replaces.
    /// </summary>
    /// <param name="track">The track; it must be a full track (not a partial last one).</param>
    /// <param name="buffer">In: exactly one track of data, no longer the caller's, or null. Out: the replaced storage, or null if the track was never written.</param>
    /// <returns>False when the store cannot take it (wrong size, a partial track); nothing changed then.</returns>
    bool TryExchangeTrack(long track, ref byte[]? buffer);
}
