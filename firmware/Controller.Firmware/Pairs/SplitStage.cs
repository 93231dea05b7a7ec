// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.Pairs;

/// <summary>
/// Where an atomic split is; moved only forward, by its <see cref="SplitCoordinator"/> (a compare-and-swap, under the
/// table's lock): Holding, then Committed or Aborted, then Finished, which one caller alone reaches.
/// </summary>
internal enum SplitStage
{
    /// <summary>Holding (freeze) or cut (sequence cut), draining: it may still commit or abort.</summary>
    Holding = 0,

    /// <summary>Every member is split; a freeze is releasing its held writes.</summary>
    Committed = 1,

    /// <summary>Abandoned; a freeze is releasing its held writes as mirrored writes.</summary>
    Aborted = 2,

    /// <summary>Answered.</summary>
    Finished = 3,
}
