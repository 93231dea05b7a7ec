// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Bitmaps;
using Controller.Firmware.Media;
using Controller.Firmware.Volumes;

namespace Controller.Firmware.Pairs;

/// <summary>
/// The copy engine's inner loop: copies the tracks of a copy set from a source to a target volume, a bounded
/// number per step so that host commands queued on the same MP run between steps (pacing). Each track is claimed
/// with <see cref="DifferentialBitmap.TryClear"/> before it is read, so a track marked again while or after it is
/// copied is copied again by a later step. One instance per copy job: it owns a one-track buffer and a scan cursor.
/// </summary>
public sealed class TrackCopier
{
    private readonly byte[] _track;
    private readonly DifferentialBitmap _copySet;
    private readonly Ldev _source;
    private readonly Ldev _target;
    private long _cursor;

    /// <summary>Initializes a copier for one copy job.</summary>
    /// <param name="copySet">The tracks to copy; emptied as they are copied.</param>
    /// <param name="source">The volume read.</param>
    /// <param name="target">The volume written (same capacity and geometry).</param>
    public TrackCopier(DifferentialBitmap copySet, Ldev source, Ldev target)
    {
        ArgumentNullException.ThrowIfNull(copySet);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        if (source.BlockCount != target.BlockCount || source.BlockCount != copySet.BlockCount)
        {
            ThrowHelper.ThrowArgument(nameof(target), "source, target and copy set must have the same capacity");
        }

        _copySet = copySet;
        _source = source;
        _target = target;
        _track = new byte[source.Geometry.TrackSizeBytes];
    }

    /// <summary>Gets the total number of tracks copied so far.</summary>
    public long TracksCopied { get; private set; }

    /// <summary>
    /// Copies up to <paramref name="maxTracks"/> marked tracks. <see cref="CopyStepResult.Done"/> is exact when no
    /// writer marks the copy set during the step, which the MP guarantees by running steps and host commands of
    /// the volume one at a time.
    /// </summary>
    /// <param name="maxTracks">The step's bound (positive).</param>
    /// <returns>What the step did.</returns>
    public CopyStepResult CopyStep(int maxTracks)
    {
        if (maxTracks <= 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(maxTracks), "a copy step copies at least one track");
        }

        int copied = 0;
        bool wrapped = false;
        while (copied < maxTracks)
        {
            SetTrackEnumerator scan = _copySet.EnumerateSet(_cursor);
            if (!scan.MoveNext())
            {
                if (wrapped || _cursor == 0)
                {
                    return new CopyStepResult(copied, true, MediaStatus.Good);
                }

                // Tracks behind the cursor may have been marked again since it passed: one more sweep from 0.
                _cursor = 0;
                wrapped = true;
                continue;
            }

            long track = scan.Current;
            _cursor = track + 1;
            if (!_copySet.TryClear(track))
            {
                continue;
            }

            MediaStatus status = CopyTrack(track);
            if (status != MediaStatus.Good)
            {
                // Keep the track owed: a retry or a later full resync copies it.
                _copySet.Set(track);
                return new CopyStepResult(copied, false, status);
            }

            copied++;
            TracksCopied++;
        }

        return new CopyStepResult(copied, false, MediaStatus.Good);
    }

    private MediaStatus CopyTrack(long track)
    {
        TrackGeometry geometry = _source.Geometry;
        long lba = geometry.FirstBlockOfTrack(track);

        // The last track of a volume may be partial.
        long blocks = Math.Min(geometry.BlocksPerTrack, _source.BlockCount - lba);
        Span<byte> data = _track.AsSpan(0, (int)(blocks * TrackGeometry.BlockSize));
        MediaStatus status = _source.Media.Read(lba, data);
        return status != MediaStatus.Good ? status : _target.Media.Write(lba, data);
    }
}
