// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using System.Text;

namespace Controller.Wire.CopyManagement;

/// <summary>
/// The mirror name block of a copy-management parameter list (FIG 8, FIG 9): a 4-byte header (the name's length
/// L, 1 to 32, and 3 reserved bytes), then the name, printable ASCII (0x21-0x7E), padded with zeros to a multiple
/// of 4 bytes.
/// </summary>
public static class MirrorNameBlock
{
    /// <summary>The header's length.</summary>
    public const int HeaderLength = 4;

    /// <summary>The longest name.</summary>
    public const int MaxNameLength = 32;

    /// <summary>The length of the longest block (a 32-character name needs no padding).</summary>
    public const int MaxLength = HeaderLength + MaxNameLength;

    /// <summary>The length of the shortest block (a 1-character name and 3 bytes of padding).</summary>
    public const int MinLength = HeaderLength + 4;

    /// <summary>Gets the encoded length of a name block.</summary>
    /// <param name="nameLength">The name's length in characters.</param>
    /// <returns>4 + the length rounded up to a multiple of 4.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The length is negative.</exception>
    public static int GetEncodedLength(int nameLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nameLength);
        return HeaderLength + ((nameLength + 3) & ~3);
    }

    /// <summary>Tells whether a name may be sent: 1 to 32 characters, each printable ASCII 0x21-0x7E (no space).</summary>
    /// <param name="name">The name.</param>
    /// <param name="reason">Why not, when false.</param>
    /// <returns>False for an empty name, one over 32 characters, or one with a character outside 0x21-0x7E.</returns>
    public static bool IsValidName(ReadOnlySpan<char> name, out string? reason)
    {
        if (name.IsEmpty)
        {
            reason = "the mirror name is empty";
            return false;
        }

        if (name.Length > MaxNameLength)
        {
            reason = "the mirror name has " + name.Length + " characters, more than 32";
            return false;
        }

        for (int i = 0; i < name.Length; i++)
        {
            if (!IsNameCharacter(name[i]))
            {
                reason = "mirror name character " + i + " is U+" + ((int)name[i]).ToString("X4", CultureInfo.InvariantCulture) + ", not printable ASCII 0x21-0x7E";
                return false;
            }
        }

        reason = null;
        return true;
    }

    /// <summary>Encodes a name block.</summary>
    /// <param name="name">The name (see <see cref="IsValidName"/>).</param>
    /// <param name="destination">At least <see cref="GetEncodedLength"/> bytes.</param>
    /// <param name="bytesWritten">The bytes written, when true.</param>
    /// <param name="reason">Why not, when false.</param>
    /// <returns>False (nothing written) for a name that may not be sent or a short destination.</returns>
    public static bool TryWrite(ReadOnlySpan<char> name, Span<byte> destination, out int bytesWritten, out string? reason)
    {
        bytesWritten = 0;
        if (!IsValidName(name, out reason))
        {
            return false;
        }

        int length = GetEncodedLength(name.Length);
        if (destination.Length < length)
        {
            reason = "a mirror name block of " + name.Length + " characters needs " + length + " bytes, the buffer has " + destination.Length;
            return false;
        }

        // Clearing first gives the reserved header bytes and the padding their zeros.
        destination[..length].Clear();
        destination[0] = (byte)name.Length;
        for (int i = 0; i < name.Length; i++)
        {
            destination[HeaderLength + i] = (byte)name[i];
        }

        bytesWritten = length;
        return true;
    }

    /// <summary>Decodes the name block at the start of <paramref name="source"/> (a pair list may follow it).</summary>
    /// <param name="source">The parameter list from the block's first byte.</param>
    /// <param name="name">The name, when true.</param>
    /// <param name="bytesConsumed">The block's length with its padding, when true.</param>
    /// <param name="error">Why not, when false: PARAMETER LIST LENGTH ERROR when the bytes end inside the block, INVALID FIELD IN PARAMETER LIST for a length outside 1-32, a reserved byte or padding that is not zero, or a character outside 0x21-0x7E.</param>
    /// <returns>False when the block is malformed.</returns>
    public static bool TryRead(ReadOnlySpan<byte> source, out string name, out int bytesConsumed, out CopyManagementError error)
    {
        name = string.Empty;
        bytesConsumed = 0;
        if (source.Length < HeaderLength)
        {
            error = CopyManagementError.LengthError("mirror name block of " + source.Length + " bytes, shorter than its 4-byte header");
            return false;
        }

        int nameLength = source[0];
        if (nameLength is 0 or > MaxNameLength)
        {
            error = CopyManagementError.InvalidField("mirror name length " + nameLength + " is outside 1-32");
            return false;
        }

        if (source.Slice(1, 3).ContainsAnyExcept((byte)0))
        {
            error = CopyManagementError.InvalidField("mirror name header: reserved bytes 1-3 are not zero");
            return false;
        }

        int length = GetEncodedLength(nameLength);
        if (source.Length < length)
        {
            error = CopyManagementError.LengthError("mirror name of " + nameLength + " characters needs a " + length + "-byte block, the parameter list has " + source.Length + " bytes");
            return false;
        }

        ReadOnlySpan<byte> text = source.Slice(HeaderLength, nameLength);
        for (int i = 0; i < text.Length; i++)
        {
            if (!IsNameCharacter((char)text[i]))
            {
                error = CopyManagementError.InvalidField("mirror name byte " + i + " is 0x" + text[i].ToString("X2", CultureInfo.InvariantCulture) + ", not printable ASCII 0x21-0x7E");
                return false;
            }
        }

        if (source[(HeaderLength + nameLength)..length].ContainsAnyExcept((byte)0))
        {
            error = CopyManagementError.InvalidField("mirror name padding after " + nameLength + " characters is not zero");
            return false;
        }

        name = Encoding.ASCII.GetString(text);
        bytesConsumed = length;
        error = default;
        return true;
    }

    /// <summary>Tells whether a character may appear in a mirror name: printable ASCII without the space.</summary>
    /// <param name="c">The character.</param>
    /// <returns>True for 0x21-0x7E.</returns>
    public static bool IsNameCharacter(char c)
    {
        return c is >= '\x21' and <= '\x7E';
    }
}
