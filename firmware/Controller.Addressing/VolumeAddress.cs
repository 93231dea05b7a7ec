// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Addressing;

/// <summary>
/// A volume as hosts and the copy commands name it: (port ID, LUN), written as in seed 000 FIG 7,
/// "0x400104, 0x0001". Parsing also accepts "0x400104/0x0001" and surrounding parentheses; formatting
/// always gives the FIG 7 form, so a FIG 7 string round-trips exactly.
/// </summary>
public readonly struct VolumeAddress : IEquatable<VolumeAddress>
{
    /// <summary>Initializes an address.</summary>
    /// <param name="portId">The target port.</param>
    /// <param name="lun">The LUN behind it.</param>
    public VolumeAddress(PortId portId, Lun lun)
    {
        PortId = portId;
        Lun = lun;
    }

    /// <summary>Gets the target port.</summary>
    public PortId PortId { get; }

    /// <summary>Gets the LUN.</summary>
    public Lun Lun { get; }

    /// <summary>Parses "0x400104, 0x0001", "0x400104/0x0001" or either in parentheses.</summary>
    /// <param name="text">The text.</param>
    /// <param name="address">The address when the text is valid.</param>
    /// <param name="error">What is wrong with the text, or null.</param>
    /// <returns>True when the text is valid.</returns>
    public static bool TryParse(ReadOnlySpan<char> text, out VolumeAddress address, out string? error)
    {
        address = default;
        ReadOnlySpan<char> body = text.Trim();
        if (body.Length >= 2 && body[0] == '(' && body[^1] == ')')
        {
            body = body.Slice(1, body.Length - 2);
        }

        int separator = body.IndexOfAny(',', '/');
        if (separator < 0)
        {
            error = "volume address '" + text.ToString() + "' needs a port ID and a LUN separated by ',' or '/', e.g. 0x400104, 0x0001";
            return false;
        }

        if (body.Slice(separator + 1).IndexOfAny(',', '/') >= 0)
        {
            error = "volume address '" + text.ToString() + "' has more than one separator; expected port ID, LUN";
            return false;
        }

        if (!PortId.TryParse(body.Slice(0, separator), out PortId portId, out string? portError))
        {
            error = "volume address '" + text.ToString() + "': " + portError;
            return false;
        }

        if (!Lun.TryParse(body.Slice(separator + 1), out Lun lun, out string? lunError))
        {
            error = "volume address '" + text.ToString() + "': " + lunError;
            return false;
        }

        address = new VolumeAddress(portId, lun);
        error = null;
        return true;
    }

    /// <summary>Parses a volume address.</summary>
    /// <param name="text">The text, e.g. "0x400104, 0x0001".</param>
    /// <returns>The address.</returns>
    /// <exception cref="FormatException">The text is not an address; the message says why.</exception>
    public static VolumeAddress Parse(string text)
    {
        if (!TryParse(text, out VolumeAddress address, out string? error))
        {
            throw new FormatException(error);
        }

        return address;
    }

    /// <summary>Formats in the FIG 7 notation, e.g. "0x400104, 0x0001".</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        return PortId.ToString() + ", " + Lun.ToString();
    }

    /// <summary>Formats in the compact form pairdisplay columns use, e.g. "0x400104/0x0001".</summary>
    /// <returns>The text.</returns>
    public string ToCompactString()
    {
        return PortId.ToString() + "/" + Lun.ToString();
    }

    /// <inheritdoc/>
    public bool Equals(VolumeAddress other)
    {
        return PortId == other.PortId && Lun == other.Lun;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj)
    {
        return obj is VolumeAddress other && Equals(other);
    }

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        return HashCode.Combine(PortId.Value, Lun.Value);
    }

    /// <summary>Compares two addresses.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>True when equal.</returns>
    public static bool operator ==(VolumeAddress left, VolumeAddress right)
    {
        return left.Equals(right);
    }

    /// <summary>Compares two addresses.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns>True when different.</returns>
    public static bool operator !=(VolumeAddress left, VolumeAddress right)
    {
        return !left.Equals(right);
    }
}
