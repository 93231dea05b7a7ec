// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Addressing;
using Controller.Firmware.Media;

namespace Controller.Firmware.Volumes;

/// <summary>
/// A logical device: the unit the controller maps to LUNs and pairs into mirrors. It owns its media,
/// below the hardware boundary.
/// </summary>
public sealed class Ldev : IDisposable
{
    /// <summary>Initializes an LDEV over its media.</summary>
    /// <param name="id">The LDEV's identity.</param>
    /// <param name="media">The media; the LDEV takes ownership.</param>
    /// <param name="geometry">The controller's track geometry.</param>
    public Ldev(LdevId id, IBlockDevice media, TrackGeometry geometry)
    {
        ArgumentNullException.ThrowIfNull(media);
        Id = id;
        Media = media;
        Geometry = geometry;
    }

    /// <summary>Gets the LDEV's identity.</summary>
    public LdevId Id { get; }

    /// <summary>Gets the media below the hardware boundary.</summary>
    public IBlockDevice Media { get; }

    /// <summary>Gets the track geometry.</summary>
    public TrackGeometry Geometry { get; }

    /// <summary>Gets the capacity in blocks.</summary>
    public long BlockCount => Media.BlockCount;

    /// <inheritdoc/>
    public void Dispose()
    {
        Media.Dispose();
    }
}
