// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.Media;

/// <summary>
/// One track's storage carved out of a <see cref="TrackSlab"/>: a window of the slab's pinned array. Created with
/// its slab, so handing a track out allocates nothing.
/// </summary>
internal sealed class SlabTrack
{
    private readonly byte[] _slab;
    private readonly int _offset;
    private readonly int _length;

    /// <summary>Initializes a window of a slab.</summary>
    /// <param name="slab">The slab's array.</param>
    /// <param name="offset">Where the track starts in it.</param>
    /// <param name="length">The track size.</param>
    public SlabTrack(byte[] slab, int offset, int length)
    {
        _slab = slab;
        _offset = offset;
        _length = length;
    }

    /// <summary>Gets the track's bytes.</summary>
    public Span<byte> Bytes => _slab.AsSpan(_offset, _length);
}
