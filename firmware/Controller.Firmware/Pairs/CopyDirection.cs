// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.Pairs;

/// <summary>Which way a pair's pending copy runs.</summary>
public enum CopyDirection
{
    /// <summary>P-VOL to S-VOL: initial copy, resync, swap resync (from the new P-VOL).</summary>
    PVolToSVol = 0,

    /// <summary>S-VOL to P-VOL: restore.</summary>
    SVolToPVol = 1,
}
