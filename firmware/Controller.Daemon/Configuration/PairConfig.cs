// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;

namespace Controller.Daemon.Configuration;

/// <summary>One <c>pair</c> line: a local pair created when the controller starts.</summary>
/// <param name="PVol">The P-VOL's address (port ID, LUN).</param>
/// <param name="SVol">The S-VOL's address (port ID, LUN).</param>
/// <param name="Line">The 1-based line that declares it.</param>
internal sealed record PairConfig(VolumeAddress PVol, VolumeAddress SVol, int Line)
{
    /// <summary>Gets the pair as people write it, e.g. "0x400104, 0x0001 -> 0x400104, 0x0002".</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        return PVol + " -> " + SVol;
    }
}
