// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using Controller.Addressing;

namespace Controller.Wire.CopyManagement;

/// <summary>
/// A volume as a copy-management parameter list names it: a 24-bit port ID and a 16-bit LUN, in the controller's
/// namespace. Written "0x400104/0x0001". The codec keeps the raw field as an int so that it can refuse to encode a
/// port ID over 24 bits (<see cref="IsEncodable"/>); <see cref="WireVolumeId(VolumeAddress)"/> and
/// <see cref="ToVolumeAddress"/> are the one place it meets the <see cref="VolumeAddress"/> everything else names
/// volumes by.
/// </summary>
/// <param name="PortId">The target port's 24-bit FC port ID (0 to <see cref="MaxPortId"/>).</param>
/// <param name="Lun">The LUN behind that port.</param>
public readonly record struct WireVolumeId(int PortId, ushort Lun)
{
    /// <summary>The largest port ID the 3-byte field carries.</summary>
    public const int MaxPortId = 0xFFFFFF;

    /// <summary>Initializes a volume ID from a volume address (always encodable: a <see cref="Addressing.PortId"/> has 24 bits).</summary>
    /// <param name="address">The volume.</param>
    public WireVolumeId(VolumeAddress address)
        : this((int)address.PortId.Value, address.Lun.Value)
    {
    }

    /// <summary>Gets whether the port ID fits in 24 bits (the only way a volume ID cannot be encoded).</summary>
    public bool IsEncodable => PortId is >= 0 and <= MaxPortId;

    /// <summary>Gets the volume address this ID names.</summary>
    /// <returns>The address.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The port ID does not fit in 24 bits (never for one the codec decoded).</exception>
    public VolumeAddress ToVolumeAddress()
    {
        return new VolumeAddress(new Addressing.PortId((uint)PortId), new Lun(Lun));
    }

    /// <summary>Formats as "0x400104/0x0001".</summary>
    /// <returns>The port ID as six hex digits and the LUN as four.</returns>
    public override string ToString()
    {
        return "0x" + PortId.ToString("X6", CultureInfo.InvariantCulture) + "/0x" + Lun.ToString("X4", CultureInfo.InvariantCulture);
    }
}
