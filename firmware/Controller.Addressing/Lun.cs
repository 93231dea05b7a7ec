// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;

namespace Controller.Addressing;

/// <summary>A 16-bit logical unit number behind a target port, written 0x%04X (e.g. 0x0001).</summary>
public readonly struct Lun : IEquatable<Lun>, IComparable<Lun>
{
    /// <summary>Initializes a LUN.</summary>
    /// <param name="value">The 16-bit value.</param>
    public Lun(ushort value)
    {
        Value = value;
    }

    /// <summary>Gets the 16-bit value.</summary>
    public ushort Value { get; }

    /// <summary>Parses "0x" and four hex digits.</summary>
    /// <param name="text">The text, e.g. "0x0001".</param>
    /// <param name="lun">The LUN when the text is valid.</param>
    /// <param name="error">Why the text is not a LUN, or null.</param>
    /// <returns>True when the text is valid.</returns>
    public static bool TryParse(ReadOnlySpan<char> text, out Lun lun, out string? error)
    {
        bool ok = HexField.TryParse(text, 4, "LUN", out uint value, out error);
        lun = ok ? new Lun((ushort)value) : default;
        return ok;
    }

    /// <summary>Parses "0x" and four hex digits.</summary>
    /// <param name="text">The text, e.g. "0x0001".</param>
    /// <returns>The LUN.</returns>
    /// <exception cref="FormatException">The text is not a LUN; the message says why.</exception>
    public static Lun Parse(string text)
    {
        if (!TryParse(text, out Lun lun, out string? error))
        {
            throw new FormatException(error);
        }

        return lun;
    }

    /// <summary>Formats as 0x%04X, e.g. "0x0001".</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        return "0x" + Value.ToString("X4", CultureInfo.InvariantCulture);
    }

    /// <inheritdoc/>
    public bool Equals(Lun other)
    {
        return Value == other.Value;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj)
    {
        return obj is Lun other && Equals(other);
    }

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        return Value;
    }

    /// <inheritdoc/>
    public int CompareTo(Lun other)
    {
        return Value.CompareTo(other.Value);
    }

    /// <summary>Compares two LUNs.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>True when equal.</returns>
    public static bool operator ==(Lun left, Lun right)
    {
        return left.Equals(right);
    }

    /// <summary>Compares two LUNs.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>True when different.</returns>
    public static bool operator !=(Lun left, Lun right)
    {
        return !left.Equals(right);
    }

    /// <summary>Orders two LUNs.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>True when the first is smaller.</returns>
    public static bool operator <(Lun left, Lun right)
    {
        return left.Value < right.Value;
    }

    /// <summary>Orders two LUNs.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>True when the first is larger.</returns>
    public static bool operator >(Lun left, Lun right)
    {
        return left.Value > right.Value;
    }

    /// <summary>Orders two LUNs.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>True when the first is not larger.</returns>
    public static bool operator <=(Lun left, Lun right)
    {
        return left.Value <= right.Value;
    }

    /// <summary>Orders two LUNs.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>True when the first is not smaller.</returns>
    public static bool operator >=(Lun left, Lun right)
    {
        return left.Value >= right.Value;
    }
}
