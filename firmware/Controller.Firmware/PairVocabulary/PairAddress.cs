// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;

namespace Controller.Firmware.PairVocabulary;

/// <summary>A pair as the commands name it: (P-VOL ID, S-VOL ID), each a (port ID, LUN) (seed 000 FIG 7).</summary>
/// <param name="PVol">The P-VOL's address.</param>
/// <param name="SVol">The S-VOL's address.</param>
public readonly record struct PairAddress(VolumeAddress PVol, VolumeAddress SVol)
{
    /// <summary>Formats as "0x400104/0x0001 -> 0x400104/0x0002".</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        return PVol.ToCompactString() + " -> " + SVol.ToCompactString();
    }
}
