// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.Pairs;

/// <summary>Where a pair's S-VOL lives, derived from port ownership (R0-4).</summary>
public enum MirrorType
{
    /// <summary>Both volumes in this subsystem (ShadowImage-like).</summary>
    Local = 0,

    /// <summary>The S-VOL in another subsystem over the remote-copy link (TrueCopy-like, issue #7).</summary>
    Remote = 1,
}
