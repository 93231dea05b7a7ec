// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;

namespace Controller.Addressing;

/// <summary>
/// A 24-bit Fibre Channel port address identifier (N_Port ID), e.g. 0x400104 = domain 0x40, area 0x01,
/// port 0x04. Unique in the fabric, so it also names the subsystem that owns the port.
/// </summary>
public readonly struct PortId : IEquatable<PortId>, IComparable<PortId>
{
    /// <summary>The largest 24-bit value.</summary>
    public const uint MaxValue = 0xFFFFFF;

    /// <summary>Initializes a port ID.</summary>
    /// <param name="value">The 24-bit value.</param>
    /// <exception cref="ArgumentOutOfRangeException">The value does not fit in 24 bits.</exception>
    public PortId(uint value)
    {
        if (value > MaxValue)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(value), "port ID 0x" + value.ToString("X", CultureInfo.InvariantCulture) + " does not fit in 24 bits");
        }

        Value = value;
    }

    /// <summary>Gets the 24-bit value.</summary>
    public uint Value { get; }

    /// <summary>Gets the domain byte (bits 23-16).</summary>
    public byte Domain => (byte)(Value >> 16);

    /// <summary>Gets the area byte (bits 15-8).</summary>
    public byte Area => (byte)(Value >> 8);

    /// <summary>Gets the port byte (bits 7-0).</summary>
    public byte Port => (byte)Value;

    /// <summary>Parses "0x" and six hex digits.</summary>
    /// <param name="text">The text, e.g. "0x400104".</param>
    /// <param name="portId">The port ID when the text is valid.</param>
    /// <param name="error">Why the text is not a port ID, or null.</param>
    /// <returns>True when the text is valid.</returns>
    public static bool TryParse(ReadOnlySpan<char> text, out PortId portId, out string? error)
    {
        bool ok = HexField.TryParse(text, 6, "port ID", out uint value, out error);
        portId = ok ? new PortId(value) : default;
        return ok;
    }

    /// <summary>Parses "0x" and six hex digits.</summary>
    /// <param name="text">The text, e.g. "0x400104".</param>
    /// <returns>The port ID.</returns>
    /// <exception cref="FormatException">The text is not a port ID; the message says why.</exception>
    public static PortId Parse(string text)
    {
        if (!TryParse(text, out PortId portId, out string? error))
        {
            throw new FormatException(error);
        }

        return portId;
    }

    /// <summary>Formats as 0x%06X, e.g. "0x400104".</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        return "0x" + Value.ToString("X6", CultureInfo.InvariantCulture);
    }

    /// <inheritdoc/>
    public bool Equals(PortId other)
    {
        return Value == other.Value;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj)
    {
        return obj is PortId other && Equals(other);
    }

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        return (int)Value;
    }

    /// <inheritdoc/>
    public int CompareTo(PortId other)
    {
        return Value.CompareTo(other.Value);
    }

    /// <summary>Compares two port IDs.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>True when equal.</returns>
    public static bool operator ==(PortId left, PortId right)
    {
        return left.Equals(right);
    }

    /// <summary>Compares two port IDs.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>True when different.</returns>
    public static bool operator !=(PortId left, PortId right)
    {
        return !left.Equals(right);
    }

    /// <summary>Orders two port IDs.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>True when the first is smaller.</returns>
    public static bool operator <(PortId left, PortId right)
    {
        return left.Value < right.Value;
    }

    /// <summary>Orders two port IDs.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>True when the first is larger.</returns>
    public static bool operator >(PortId left, PortId right)
    {
        return left.Value > right.Value;
    }

    /// <summary>Orders two port IDs.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>True when the first is not larger.</returns>
    public static bool operator <=(PortId left, PortId right)
    {
        return left.Value <= right.Value;
    }

    /// <summary>Orders two port IDs.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>True when the first is not smaller.</returns>
    public static bool operator >=(PortId left, PortId right)
    {
        return left.Value >= right.Value;
    }
}
