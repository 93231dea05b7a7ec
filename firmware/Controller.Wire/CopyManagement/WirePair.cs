// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Wire.CopyManagement;

/// <summary>One pair descriptor of a pair list: the P-VOL and the S-VOL, each by (port ID, LUN).</summary>
/// <param name="PVol">The primary volume (the copy's source).</param>
/// <param name="SVol">The secondary volume (the copy's target).</param>
public readonly record struct WirePair(WireVolumeId PVol, WireVolumeId SVol)
{
    /// <summary>Formats as "0x400104/0x0001 -> 0x400104/0x0002".</summary>
    /// <returns>Both volumes, P-VOL first.</returns>
    public override string ToString()
    {
        return PVol.ToString() + " -> " + SVol.ToString();
    }
}
