// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;

namespace Controller.Wire.CopyManagement;

/// <summary>
/// What an operation code means: whether a CDB's first byte is a copy-management command, its name for logs, and
/// which parameter list it carries.
/// </summary>
public static class CopyManagementOpcodes
{
    /// <summary>Tells whether an operation code is one of the copy-management commands.</summary>
    /// <param name="opcode">The CDB's first byte.</param>
    /// <returns>True for the opcodes of <see cref="CopyManagementOpcode"/>; false for every other byte, including the unused vendor codes.</returns>
    public static bool IsCopyManagement(byte opcode)
    {
        // A switch rather than Enum.IsDefined: no reflection in the firmware (docs/style.md item 3).
        return opcode is (>= 0xC0 and <= 0xC6) or 0xC8 or 0xC9 or 0xCA or 0xD0;
    }

    /// <summary>Converts a CDB's first byte to a copy-management opcode.</summary>
    /// <param name="opcode">The CDB's first byte.</param>
    /// <param name="value">The opcode, when it is one.</param>
    /// <returns>False when the byte is not a copy-management opcode.</returns>
    public static bool TryGet(byte opcode, out CopyManagementOpcode value)
    {
        bool known = IsCopyManagement(opcode);
        value = known ? (CopyManagementOpcode)opcode : default;
        return known;
    }

    /// <summary>Gets the command's name as docs/protocol.md writes it, e.g. "ATOMIC SPLIT", for logs and reasons.</summary>
    /// <param name="opcode">The opcode.</param>
    /// <returns>The name; for a value outside the table, "opcode 0x" and its hex value.</returns>
    public static string GetName(CopyManagementOpcode opcode)
    {
        return opcode switch
        {
            CopyManagementOpcode.PairCreate => "PAIR CREATE",
            CopyManagementOpcode.PairSplit => "PAIR SPLIT",
            CopyManagementOpcode.PairResync => "PAIR RESYNC",
            CopyManagementOpcode.PairRestore => "PAIR RESTORE",
            CopyManagementOpcode.PairSwapResync => "PAIR SWAP RESYNC",
            CopyManagementOpcode.PairDelete => "PAIR DELETE",
            CopyManagementOpcode.PairSuspendByError => "PAIR SUSPEND BY ERROR",
            CopyManagementOpcode.NameMirrors => "NAME MIRRORS",
            CopyManagementOpcode.AtomicSplit => "ATOMIC SPLIT",
            CopyManagementOpcode.AtomicSplitByName => "ATOMIC SPLIT BY NAME",
            CopyManagementOpcode.PairStatus => "PAIR STATUS",
            _ => "opcode 0x" + ((byte)opcode).ToString("X2", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>Gets the name of whatever a CDB's first byte is, for logs.</summary>
    /// <param name="opcode">The CDB's first byte.</param>
    /// <returns>The command's name, or "opcode 0x" and its hex value when it is not a copy-management command.</returns>
    public static string GetName(byte opcode)
    {
        return GetName((CopyManagementOpcode)opcode);
    }

    /// <summary>Tells whether the command acts on exactly one pair (0xC0-0xC6: its pair list has n = 1).</summary>
    /// <param name="opcode">The opcode.</param>
    /// <returns>True for PAIR CREATE through PAIR SUSPEND BY ERROR.</returns>
    public static bool IsSinglePair(CopyManagementOpcode opcode)
    {
        return opcode is >= CopyManagementOpcode.PairCreate and <= CopyManagementOpcode.PairSuspendByError;
    }

    /// <summary>Tells whether the CDB's RW bit means something for the command (the splits); elsewhere it is reserved.</summary>
    /// <param name="opcode">The opcode.</param>
    /// <returns>True for PAIR SPLIT, ATOMIC SPLIT and ATOMIC SPLIT BY NAME.</returns>
    public static bool TakesReadWrite(CopyManagementOpcode opcode)
    {
        return opcode is CopyManagementOpcode.PairSplit or CopyManagementOpcode.AtomicSplit or CopyManagementOpcode.AtomicSplitByName;
    }

    /// <summary>Tells whether the CDB's MECHANISM field means something for the command (the atomic splits); elsewhere it is reserved.</summary>
    /// <param name="opcode">The opcode.</param>
    /// <returns>True for ATOMIC SPLIT and ATOMIC SPLIT BY NAME.</returns>
    public static bool TakesMechanism(CopyManagementOpcode opcode)
    {
        return opcode is CopyManagementOpcode.AtomicSplit or CopyManagementOpcode.AtomicSplitByName;
    }

    /// <summary>Tells whether the command moves data to the initiator (PAIR STATUS) rather than taking a parameter list.</summary>
    /// <param name="opcode">The opcode.</param>
    /// <returns>True for PAIR STATUS: the CDB's length field is then an ALLOCATION LENGTH.</returns>
    public static bool IsDataIn(CopyManagementOpcode opcode)
    {
        return opcode == CopyManagementOpcode.PairStatus;
    }
}
