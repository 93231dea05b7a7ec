// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;

namespace Controller.Wire.CopyManagement;

/// <summary>
/// A volume as a copy-management parameter list names it: a 24-bit port ID and a 16-bit LUN, in the controller's
/// namespace. Written "0x400104/0x0001". The wire codec keeps its own type so that it depends on nothing but the
/// BCL; the firmware maps it to its <c>VolumeAddress</c>.
/// </summary>
/// <param name="PortId">The target port's 24-bit FC port ID (0 to <see cref="MaxPortId"/>).</param>
/// <param name="Lun">The LUN behind that port.</param>
public readonly record struct WireVolumeId(int PortId, ushort Lun)
{
    /// <summary>The largest port ID the 3-byte field carries.</summary>
    public const int MaxPortId = 0xFFFFFF;

    /// <summary>Gets whether the port ID fits in 24 bits (the only way a volume ID cannot be encoded).</summary>
    public bool IsEncodable => PortId is >= 0 and <= MaxPortId;

    /// <summary>Formats as "0x400104/0x0001".</summary>
    /// <returns>The port ID as six hex digits and the LUN as four.</returns>
    public override string ToString()
    {
        return "0x" + PortId.ToString("X6", CultureInfo.InvariantCulture) + "/0x" + Lun.ToString("X4", CultureInfo.InvariantCulture);
    }
}
