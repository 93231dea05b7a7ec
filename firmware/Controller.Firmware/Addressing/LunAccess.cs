// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.Addressing;

/// <summary>The outcome of resolving (initiator, LUN) on a target port.</summary>
public enum LunAccess
{
    /// <summary>The LUN is mapped and this initiator may see it.</summary>
    Granted = 0,

    /// <summary>No LDEV is mapped at this LUN on this port.</summary>
    NotMapped = 1,

    /// <summary>
    /// LUN security hides the LUN from this initiator: it is in no host group of the port, or its host
    /// group does not list the LUN. To the initiator this looks exactly like <see cref="NotMapped"/>.
    /// </summary>
    NotVisible = 2,
}
