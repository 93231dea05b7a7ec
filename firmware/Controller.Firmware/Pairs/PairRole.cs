// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.Pairs;

/// <summary>Which side of a pair a volume is.</summary>
public enum PairRole
{
    /// <summary>The primary volume: the source of copies.</summary>
    PVol = 0,

    /// <summary>The secondary volume: the target of copies.</summary>
    SVol = 1,
}
