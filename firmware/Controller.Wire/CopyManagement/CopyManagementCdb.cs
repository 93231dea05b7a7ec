// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using System.Globalization;

namespace Controller.Wire.CopyManagement;

/// <summary>
/// The 16-byte CDB every copy-management command uses (docs/protocol.md): byte 0 the opcode; byte 1 the options
/// (bit 0 RW, bits 2-1 MECHANISM, bits 5-3 MODIFIERS: for PAIR CREATE bit 3 NOCOPY, bit 4 FENCE and bit 5 DETERMINING,
/// for PAIR SPLIT bit 3 PROTECT P-VOL); bytes 6-9 the PARAMETER LIST LENGTH, or the ALLOCATION LENGTH for PAIR STATUS,
/// big-endian; every other byte reserved (0). A CDB <see cref="TryRead"/> refuses is answered INVALID FIELD IN CDB.
/// </summary>
/// <param name="Opcode">The command.</param>
/// <param name="ReadWrite">RW: the split S-VOL becomes read/write (otherwise read-only). Splits only.</param>
/// <param name="Mechanism">MECHANISM: how an atomic split cuts its set. Atomic splits only.</param>
/// <param name="ParameterLength">PARAMETER LIST LENGTH (data-out commands) or ALLOCATION LENGTH (PAIR STATUS).</param>
public readonly record struct CopyManagementCdb(CopyManagementOpcode Opcode, bool ReadWrite, SplitMechanism Mechanism, uint ParameterLength)
{
    /// <summary>The CDB's length.</summary>
    public const int Length = 16;

    private const byte ReadWriteBit = 0x01;
    private const int MechanismShift = 1;
    private const byte MechanismMask = 0x06;
    private const int ModifierShift = 3;
    private const byte ModifierMask = 0x38;
    private const int LengthOffset = 6;

    /// <summary>Gets the ALLOCATION LENGTH: the same field as <see cref="ParameterLength"/>, named as PAIR STATUS uses it.</summary>
    public uint AllocationLength => ParameterLength;

    /// <summary>
    /// Gets the MODIFIERS (byte 1 bits 5-3, as a number 0-7): for PAIR CREATE bit 0 NOCOPY, bit 1 FENCE (0 never, 1 data;
    /// remote pairs) and bit 2 DETERMINING (a determining pair, seed 002; remote pairs); for PAIR SPLIT bit 0 PROTECT
    /// P-VOL (pairsplit -P, remote pairs). Reserved elsewhere.
    /// </summary>
    public byte Modifiers { get; init; }

    /// <summary>Gets NOCOPY: a PAIR CREATE straight to PAIR, without the initial copy.</summary>
    public bool NoCopy => Opcode == CopyManagementOpcode.PairCreate && (Modifiers & 1) != 0;

    /// <summary>Gets FENCE of a PAIR CREATE: 0 never, 1 data.</summary>
    public int Fence => Opcode == CopyManagementOpcode.PairCreate ? (Modifiers >> 1) & 1 : 0;

    /// <summary>Gets DETERMINING of a PAIR CREATE: the pair is a determining pair (FIG 4 decides its resyncs).</summary>
    public bool Determining => Opcode == CopyManagementOpcode.PairCreate && (Modifiers & 4) != 0;

    /// <summary>Gets PROTECT P-VOL: a PAIR SPLIT that also write-protects the P-VOL (pairsplit -P).</summary>
    public bool ProtectPVol => Opcode == CopyManagementOpcode.PairSplit && (Modifiers & 1) != 0;

    /// <summary>The MODIFIERS of a PAIR CREATE.</summary>
    /// <param name="noCopy">NOCOPY.</param>
    /// <param name="fence">FENCE: 0 never, 1 data.</param>
    /// <param name="determining">DETERMINING.</param>
    /// <returns>The value for <see cref="Modifiers"/>.</returns>
    public static byte CreateModifiers(bool noCopy, int fence, bool determining = false)
    {
        return (byte)((noCopy ? 1 : 0) | ((fence & 1) << 1) | (determining ? 4 : 0));
    }

    /// <summary>Decodes a copy-management CDB.</summary>
    /// <param name="cdb">The CDB, at least 16 bytes (FCP_CMND carries exactly 16).</param>
    /// <param name="value">The CDB.</param>
    /// <param name="reason">Why not, when false.</param>
    /// <returns>False for a short CDB, an opcode outside the table, MECHANISM 3, RW or MECHANISM on a command that does not take them, or a reserved bit or byte (or CONTROL) that is not zero.</returns>
    public static bool TryRead(ReadOnlySpan<byte> cdb, out CopyManagementCdb value, out string? reason)
    {
        value = default;
        if (cdb.Length < Length)
        {
            reason = "copy-management CDB of " + cdb.Length + " bytes, shorter than 16";
            return false;
        }

        if (!CopyManagementOpcodes.TryGet(cdb[0], out CopyManagementOpcode opcode))
        {
            reason = "opcode 0x" + Hex(cdb[0]) + " is not a copy-management command";
            return false;
        }

        string name = CopyManagementOpcodes.GetName(opcode);
        byte options = cdb[1];
        if ((options & ~(ReadWriteBit | MechanismMask | ModifierMask)) != 0)
        {
            reason = name + ": reserved bits 7-6 of byte 1 are set (0x" + Hex(options) + ")";
            return false;
        }

        byte modifiers = (byte)((options & ModifierMask) >> ModifierShift);
        if (!ModifiersAllowed(opcode, modifiers))
        {
            reason = name + ": MODIFIERS " + modifiers + " (byte 1 bits 5-3) are not defined for it (PAIR CREATE: NOCOPY, FENCE 0-1, DETERMINING; PAIR SPLIT: PROTECT P-VOL)";
            return false;
        }

        bool readWrite = (options & ReadWriteBit) != 0;
        int mechanism = (options & MechanismMask) >> MechanismShift;
        if (readWrite && !CopyManagementOpcodes.TakesReadWrite(opcode))
        {
            reason = name + ": RW is set, but only the splits take it";
            return false;
        }

        if (mechanism != 0 && !CopyManagementOpcodes.TakesMechanism(opcode))
        {
            reason = name + ": MECHANISM is " + mechanism + ", but only the atomic splits take it";
            return false;
        }

        if (mechanism > (int)SplitMechanism.SequenceCut)
        {
            reason = name + ": MECHANISM 3 is not defined (0 default, 1 freeze, 2 sequence cut)";
            return false;
        }

        int reserved = FirstNonZero(cdb, 2, 4);
        if (reserved < 0)
        {
            reserved = FirstNonZero(cdb, 10, 6);
        }

        if (reserved >= 0)
        {
            reason = name + ": " + (reserved == Length - 1 ? "CONTROL" : "reserved byte " + reserved) + " is 0x" + Hex(cdb[reserved]) + ", not 0";
            return false;
        }

        value = new CopyManagementCdb(opcode, readWrite, (SplitMechanism)mechanism, BinaryPrimitives.ReadUInt32BigEndian(cdb[LengthOffset..])) { Modifiers = modifiers };
        reason = null;
        return true;
    }

    /// <summary>Encodes the CDB.</summary>
    /// <param name="destination">At least 16 bytes.</param>
    /// <returns>False (nothing written) when the destination is short or the CDB is one <see cref="TryRead"/> would refuse: an opcode outside the table, an undefined mechanism, RW or MECHANISM on a command that does not take them.</returns>
    public bool TryWrite(Span<byte> destination)
    {
        if (destination.Length < Length
            || !CopyManagementOpcodes.IsCopyManagement((byte)Opcode)
            || Mechanism > SplitMechanism.SequenceCut
            || (ReadWrite && !CopyManagementOpcodes.TakesReadWrite(Opcode))
            || (Mechanism != SplitMechanism.ControllerDefault && !CopyManagementOpcodes.TakesMechanism(Opcode))
            || !ModifiersAllowed(Opcode, Modifiers))
        {
            return false;
        }

        destination[..Length].Clear();
        destination[0] = (byte)Opcode;
        destination[1] = (byte)((ReadWrite ? ReadWriteBit : 0) | ((int)Mechanism << MechanismShift) | (Modifiers << ModifierShift));
        BinaryPrimitives.WriteUInt32BigEndian(destination[LengthOffset..], ParameterLength);
        return true;
    }

    /// <summary>Formats for logs, e.g. "ATOMIC SPLIT freeze read-only, parameter list 36 bytes".</summary>
    /// <returns>The command, its options and its length field.</returns>
    public override string ToString()
    {
        return Describe(Opcode, ReadWrite, Mechanism) + (CopyManagementOpcodes.IsDataIn(Opcode) ? ", allocation length " : ", parameter list ") + ParameterLength + " bytes";
    }

    // The command and the options it takes, e.g. "ATOMIC SPLIT freeze read-only"; shared with the request's ToString.
    internal static string Describe(CopyManagementOpcode opcode, bool readWrite, SplitMechanism mechanism)
    {
        string text = CopyManagementOpcodes.GetName(opcode);
        if (CopyManagementOpcodes.TakesMechanism(opcode))
        {
            text += mechanism switch
            {
                SplitMechanism.Freeze => " freeze",
                SplitMechanism.SequenceCut => " sequence-cut",
                _ => " default-mechanism",
            };
        }

        if (CopyManagementOpcodes.TakesReadWrite(opcode))
        {
            text += readWrite ? " read/write" : " read-only";
        }

        return text;
    }

    // PAIR CREATE: NOCOPY, a FENCE of 0 or 1 and DETERMINING; PAIR SPLIT: PROTECT P-VOL; nothing elsewhere.
    private static bool ModifiersAllowed(CopyManagementOpcode opcode, byte modifiers)
    {
        return opcode switch
        {
            CopyManagementOpcode.PairCreate => modifiers <= CreateModifiers(noCopy: true, fence: 1, determining: true),
            CopyManagementOpcode.PairSplit => modifiers <= 1,
            _ => modifiers == 0,
        };
    }

    private static int FirstNonZero(ReadOnlySpan<byte> cdb, int start, int count)
    {
        int at = cdb.Slice(start, count).IndexOfAnyExcept((byte)0);
        return at < 0 ? -1 : start + at;
    }

    private static string Hex(byte value)
    {
        return value.ToString("X2", CultureInfo.InvariantCulture);
    }
}
