// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Wire;

/// <summary>
/// Fixed-format sense data (SPC, response code 0x70: current error), 18 bytes: sense key, additional sense code
/// and qualifier. The values the target uses are named here (docs/architecture.md, "Wire format").
/// </summary>
/// <param name="Key">The sense key (4 bits).</param>
/// <param name="Code">The additional sense code (ASC).</param>
/// <param name="Qualifier">The additional sense code qualifier (ASCQ).</param>
public readonly record struct SenseData(byte Key, byte Code, byte Qualifier)
{
    /// <summary>The length of fixed-format sense data with no extra bytes.</summary>
    public const int Length = 18;

    /// <summary>Sense key ILLEGAL REQUEST.</summary>
    public const byte IllegalRequest = 0x05;

    /// <summary>Sense key DATA PROTECT.</summary>
    public const byte DataProtect = 0x07;

    /// <summary>Gets ILLEGAL REQUEST / LOGICAL BLOCK ADDRESS OUT OF RANGE (05/21/00).</summary>
    public static SenseData LbaOutOfRange => new(IllegalRequest, 0x21, 0x00);

    /// <summary>Gets ILLEGAL REQUEST / INVALID FIELD IN CDB (05/24/00).</summary>
    public static SenseData InvalidFieldInCdb => new(IllegalRequest, 0x24, 0x00);

    /// <summary>Gets ILLEGAL REQUEST / LOGICAL UNIT NOT SUPPORTED (05/25/00).</summary>
    public static SenseData LogicalUnitNotSupported => new(IllegalRequest, 0x25, 0x00);

    /// <summary>Gets ILLEGAL REQUEST / PARAMETER LIST LENGTH ERROR (05/1A/00): a copy-management parameter list whose length does not match its blocks.</summary>
    public static SenseData ParameterListLengthError => new(IllegalRequest, 0x1A, 0x00);

    /// <summary>Gets ILLEGAL REQUEST / INVALID FIELD IN PARAMETER LIST (05/26/00): a copy-management parameter list with a bad field.</summary>
    public static SenseData InvalidFieldInParameterList => new(IllegalRequest, 0x26, 0x00);

    /// <summary>Gets ILLEGAL REQUEST / vendor 81/00: a volume of a copy-management parameter list is not mapped (no LDEV behind that port ID and LUN).</summary>
    public static SenseData VolumeNotMapped => new(IllegalRequest, 0x81, 0x00);

    /// <summary>Gets DATA PROTECT / WRITE PROTECTED (07/27/00): a write to a protected S-VOL.</summary>
    public static SenseData WriteProtected => new(DataProtect, 0x27, 0x00);

    /// <summary>07/27/02 LOGICAL UNIT SOFTWARE WRITE PROTECTED: a P-VOL fenced by its remote mirror (fence level data).</summary>
    public static SenseData SoftwareWriteProtected => new(DataProtect, 0x27, 0x02);

    /// <summary>Gets ILLEGAL REQUEST / vendor 80/code: a pair command the Copy Management Table rejected.</summary>
    /// <param name="errorCode">The pair error code of docs/state-tables.md (1 NotPaired to 11 MirrorLoop), carried as the ASCQ.</param>
    /// <returns>The sense 05/80/code.</returns>
    public static SenseData PairRejected(byte errorCode)
    {
        return new SenseData(IllegalRequest, 0x80, errorCode);
    }

    /// <summary>Decodes fixed-format sense data.</summary>
    /// <param name="source">The sense bytes.</param>
    /// <param name="sense">The sense.</param>
    /// <returns>False when shorter than 14 bytes (through the ASCQ) or not response code 0x70/0x71.</returns>
    public static bool TryRead(ReadOnlySpan<byte> source, out SenseData sense)
    {
        sense = default;
        if (source.Length < 14 || (source[0] & 0x7F) is not (0x70 or 0x71))
        {
            return false;
        }

        sense = new SenseData((byte)(source[2] & 0x0F), source[12], source[13]);
        return true;
    }

    /// <summary>Encodes the sense data (response code 0x70, additional length 10).</summary>
    /// <param name="destination">At least 18 bytes.</param>
    /// <returns>False when the destination is short or the key does not fit in 4 bits.</returns>
    public bool TryWrite(Span<byte> destination)
    {
        if (destination.Length < Length || Key > 0x0F)
        {
            return false;
        }

        destination[..Length].Clear();
        destination[0] = 0x70;
        destination[2] = Key;
        destination[7] = Length - 8;
        destination[12] = Code;
        destination[13] = Qualifier;
        return true;
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        return Key.ToString("X2", System.Globalization.CultureInfo.InvariantCulture) + "/" + Code.ToString("X2", System.Globalization.CultureInfo.InvariantCulture) + "/" + Qualifier.ToString("X2", System.Globalization.CultureInfo.InvariantCulture);
    }
}
