// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics;
using System.Globalization;

namespace Controller.Addressing;

/// <summary>
/// A 24-bit Fibre Channel port address identifier (N_Port ID), e.g. 0x400104 = domain 0x40, area 0x01,
/// port 0x04. Unique in the fabric, so it also names the subsystem that owns the port.
/// </summary>
/// <remarks>
/// Formats as "0x400104"; a numeric format (<c>X6</c>) formats the 24-bit value alone, so a template written for the
/// number (<c>0x{Initiator:X6}</c>, a log line) prints the same with a port ID.
/// </remarks>
public readonly struct PortId : IEquatable<PortId>, IComparable<PortId>, IFormattable
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

    // Skips the range check: the callers build the value from three bytes, which cannot exceed 24 bits.
    private PortId(uint value, bool fromThreeBytes)
    {
        Debug.Assert(fromThreeBytes && value <= MaxValue, "three bytes are 24 bits");
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

    /// <summary>
    /// Makes a port ID from its domain, area and port bytes, as the FC-2 header (D_ID, S_ID) and the wire fields carry
    /// it. Any three bytes are a port ID, so nothing is checked: a decoder on the frame path pays no range check.
    /// </summary>
    /// <param name="domain">Bits 23-16.</param>
    /// <param name="area">Bits 15-8.</param>
    /// <param name="port">Bits 7-0.</param>
    /// <returns>The port ID.</returns>
    public static PortId FromBytes(byte domain, byte area, byte port)
    {
        return new PortId(((uint)domain << 16) | ((uint)area << 8) | port, fromThreeBytes: true);
    }

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

    /// <summary>Formats as <see cref="ToString()"/> without a format, else the 24-bit value with it (e.g. "X6": "400104").</summary>
    /// <param name="format">A numeric format, or null.</param>
    /// <param name="formatProvider">The culture of a numeric format.</param>
    /// <returns>The text.</returns>
    public string ToString(string? format, IFormatProvider? formatProvider)
    {
        return string.IsNullOrEmpty(format) ? ToString() : Value.ToString(format, formatProvider);
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
