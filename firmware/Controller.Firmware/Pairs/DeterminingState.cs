// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.Pairs;

/// <summary>The five pair states of seed 002 FIG 3 and FIG 4 (<see cref="DeterminingPairTable.StateOf"/> maps ours onto them).</summary>
public enum DeterminingState
{
    /// <summary>NON-PAIRED VOLUME (SMPL).</summary>
    NonPaired = 0,

    /// <summary>COPYING IN PROGRESS (COPY, COPY(RS)).</summary>
    Copying = 1,

    /// <summary>PAIRED STATE (PAIR).</summary>
    Paired = 2,

    /// <summary>SUSPEND STATE (NORMAL) (PSUS/SSUS): the armed state of a determining pair.</summary>
    SuspendNormal = 3,

    /// <summary>SUSPEND STATE (ABNORMAL) (PSUE): a failure suspended it; neither command is accepted.</summary>
    SuspendAbnormal = 4,
}
