// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Media;

namespace Controller.Firmware.Tests.Bitmaps;

/// <summary>A generated volume shape and a list of operations, for the bitmap property tests.</summary>
public sealed record BitmapScenario(int TrackSize, long BlockCount, BitmapOperation[] Operations)
{
    public TrackGeometry Geometry => new(TrackSize);

    public override string ToString()
    {
        return TrackSize / 1024 + " KiB tracks, " + BlockCount + " blocks: " + string.Join(", ", (IEnumerable<BitmapOperation>)Operations);
    }
}
