// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;

namespace Controller.Firmware.Addressing;

/// <summary>
/// The identity of a logical device inside one controller, written CU:LDEV as arrays show it
/// (e.g. "00:2A" is LDEV 0x2A of control unit 0x00).
/// </summary>
public readonly struct LdevId : IEquatable<LdevId>
{
    /// <summary>Initializes an LDEV ID.</summary>
    /// <param name="value">The 16-bit value: control unit in the high byte, LDEV in the low byte.</param>
    public LdevId(ushort value)
    {
        Value = value;
    }

    /// <summary>Gets the 16-bit value.</summary>
    public ushort Value { get; }

    /// <summary>Formats as CU:LDEV, e.g. "00:2A".</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        return (Value >> 8).ToString("X2", CultureInfo.InvariantCulture) + ":" + (Value & 0xFF).ToString("X2", CultureInfo.InvariantCulture);
    }

    /// <inheritdoc/>
    public bool Equals(LdevId other)
    {
        return Value == other.Value;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj)
    {
        return obj is LdevId other && Equals(other);
    }

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        return Value;
    }

    /// <summary>Compares two LDEV IDs.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>True when equal.</returns>
    public static bool operator ==(LdevId left, LdevId right)
    {
        return left.Equals(right);
    }

    /// <summary>Compares two LDEV IDs.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>True when different.</returns>
    public static bool operator !=(LdevId left, LdevId right)
    {
        return !left.Equals(right);
    }
}
