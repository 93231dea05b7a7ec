// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;

namespace Controller.Addressing;

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

    /// <summary>Parses CU:LDEV, two hex digits on each side of the colon (e.g. "00:2A"), as <see cref="ToString"/> writes it.</summary>
    /// <param name="text">The text; surrounding white space is ignored and hex digits may be either case.</param>
    /// <param name="id">The LDEV ID when the text is valid.</param>
    /// <param name="error">Why the text is not an LDEV ID, or null.</param>
    /// <returns>True when the text is valid.</returns>
    public static bool TryParse(ReadOnlySpan<char> text, out LdevId id, out string? error)
    {
        id = default;
        ReadOnlySpan<char> body = text.Trim();
        if (body.IsEmpty)
        {
            error = "LDEV ID is missing";
            return false;
        }

        // Exactly the CU:LDEV shape arrays print: "1:2" or "001:02" are refused rather than guessed at, so one
        // LDEV has one spelling in configuration files and displays alike.
        if (body.Length != 5 || body[2] != ':')
        {
            error = "LDEV ID '" + body.ToString() + "' must be CU:LDEV, two hex digits on each side of the colon, e.g. 00:2A";
            return false;
        }

        if (!byte.TryParse(body.Slice(0, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out byte controlUnit)
            || !byte.TryParse(body.Slice(3, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out byte ldev))
        {
            error = "LDEV ID '" + body.ToString() + "' has a character that is not a hex digit";
            return false;
        }

        id = new LdevId((ushort)((controlUnit << 8) | ldev));
        error = null;
        return true;
    }

    /// <summary>Parses CU:LDEV, e.g. "00:2A".</summary>
    /// <param name="text">The text.</param>
    /// <returns>The LDEV ID.</returns>
    /// <exception cref="FormatException">The text is not an LDEV ID; the message says why.</exception>
    public static LdevId Parse(string text)
    {
        if (!TryParse(text, out LdevId id, out string? error))
        {
            throw new FormatException(error);
        }

        return id;
    }

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
