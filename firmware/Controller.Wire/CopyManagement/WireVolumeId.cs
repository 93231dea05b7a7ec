// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using Controller.Addressing;

namespace Controller.Wire.CopyManagement;

/// <summary>
/// A volume as a copy-management parameter list names it: a 24-bit port ID and a 16-bit LUN, in the controller's
/// namespace. Written "0x400104/0x0001". The port ID is a <see cref="Addressing.PortId"/>, so every volume ID can be
/// encoded (a port ID over 24 bits is refused when the <see cref="Addressing.PortId"/> is made);
/// <see cref="WireVolumeId(VolumeAddress)"/> and <see cref="ToVolumeAddress"/> are the one place it meets the
/// <see cref="VolumeAddress"/> everything else names volumes by.
/// </summary>
/// <param name="PortId">The target port's 24-bit FC port ID.</param>
/// <param name="Lun">The LUN behind that port.</param>
public readonly record struct WireVolumeId(PortId PortId, ushort Lun)
{
    /// <summary>Initializes a volume ID from a volume address.</summary>
    /// <param name="address">The volume.</param>
    public WireVolumeId(VolumeAddress address)
        : this(address.PortId, address.Lun.Value)
    {
    }

    /// <summary>Gets the volume address this ID names.</summary>
    /// <returns>The address.</returns>
    public VolumeAddress ToVolumeAddress()
    {
        return new VolumeAddress(PortId, new Lun(Lun));
    }

    /// <summary>Formats as "0x400104/0x0001".</summary>
    /// <returns>The port ID as six hex digits and the LUN as four.</returns>
    public override string ToString()
    {
        return PortId + "/0x" + Lun.ToString("X4", CultureInfo.InvariantCulture);
    }
}
