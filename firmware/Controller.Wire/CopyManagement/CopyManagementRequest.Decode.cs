// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Wire.CopyManagement;

/// <content>Decoding, for the target: the parameter-list rules of each command.</content>
public readonly partial struct CopyManagementRequest
{
    /// <summary>
    /// Checks a CDB's PARAMETER LIST LENGTH before the data-out is asked for: the target refuses a length no
    /// parameter list of that command can have without receiving (or allocating) the bytes. <see cref="TryDecode"/>
    /// checks it again.
    /// </summary>
    /// <param name="cdb">The decoded CDB.</param>
    /// <param name="error">Why not, when false: PARAMETER LIST LENGTH ERROR.</param>
    /// <returns>False when the length is below the command's smallest parameter list or above its largest; always true for PAIR STATUS.</returns>
    public static bool TryCheckParameterLength(CopyManagementCdb cdb, out CopyManagementError error)
    {
        if (CopyManagementOpcodes.IsDataIn(cdb.Opcode))
        {
            // PAIR STATUS: the field is an ALLOCATION LENGTH, any value of which is fine.
            error = default;
            return true;
        }

        GetParameterListBounds(cdb.Opcode, out int min, out int max);
        if (cdb.ParameterLength < min || cdb.ParameterLength > max)
        {
            error = CopyManagementError.LengthError(CopyManagementOpcodes.GetName(cdb.Opcode) + ": PARAMETER LIST LENGTH " + cdb.ParameterLength + " is outside " + min + "-" + max);
            return false;
        }

        error = default;
        return true;
    }

    /// <summary>Decodes a command's parameter list by the rules of its opcode (docs/protocol.md).</summary>
    /// <param name="cdb">The decoded CDB.</param>
    /// <param name="parameterList">The data-out bytes (empty for PAIR STATUS).</param>
    /// <param name="request">The request, when true; its pairs and name are copies, independent of the buffer.</param>
    /// <param name="error">Why not, when false: the sense to answer with and the reason to log.</param>
    /// <returns>
    /// False, with PARAMETER LIST LENGTH ERROR, when the bytes do not match PARAMETER LIST LENGTH or the blocks'
    /// own lengths; with INVALID FIELD IN PARAMETER LIST for a reserved field that is not zero, a pair count other
    /// than 1 (0xC0-0xC6) or 0 (0xC9), or a name that is empty, too long or not printable.
    /// </returns>
    public static bool TryDecode(CopyManagementCdb cdb, ReadOnlySpan<byte> parameterList, out CopyManagementRequest request, out CopyManagementError error)
    {
        request = default;
        CopyManagementOpcode opcode = cdb.Opcode;
        string name = CopyManagementOpcodes.GetName(opcode);
        if (!CopyManagementOpcodes.IsCopyManagement((byte)opcode))
        {
            error = CopyManagementError.InvalidField(name + " is not a copy-management command");
            return false;
        }

        if (opcode == CopyManagementOpcode.PairStatus)
        {
            if (!parameterList.IsEmpty)
            {
                error = CopyManagementError.LengthError(name + " takes no parameter list, " + parameterList.Length + " bytes arrived");
                return false;
            }

            request = ForPairStatus(cdb.AllocationLength);
            error = default;
            return true;
        }

        if (parameterList.Length != cdb.ParameterLength)
        {
            error = CopyManagementError.LengthError(name + ": PARAMETER LIST LENGTH is " + cdb.ParameterLength + ", " + parameterList.Length + " bytes arrived");
            return false;
        }

        if (!TryCheckParameterLength(cdb, out error))
        {
            return false;
        }

        string? mirrorName = null;
        int at = 0;
        if (opcode is CopyManagementOpcode.NameMirrors or CopyManagementOpcode.AtomicSplitByName)
        {
            if (!MirrorNameBlock.TryRead(parameterList, out string decoded, out at, out error))
            {
                error = new CopyManagementError(error.Sense, name + ": " + error.Reason);
                return false;
            }

            mirrorName = decoded;
        }

        if (opcode == CopyManagementOpcode.AtomicSplitByName)
        {
            if (at != parameterList.Length)
            {
                error = CopyManagementError.LengthError(name + ": " + (parameterList.Length - at) + " bytes follow the mirror name block, which is the whole parameter list");
                return false;
            }

            request = new CopyManagementRequest(opcode, cdb.ReadWrite, cdb.Mechanism, pairs: null, mirrorName, allocationLength: 0);
            return true;
        }

        if (!PairList.TryRead(parameterList[at..], out PairListView pairs, out error))
        {
            error = new CopyManagementError(error.Sense, name + ": " + error.Reason);
            return false;
        }

        if (CopyManagementOpcodes.IsSinglePair(opcode) && pairs.Count != 1)
        {
            error = CopyManagementError.InvalidField(name + " takes exactly one pair, the list has " + pairs.Count);
            return false;
        }

        if (opcode == CopyManagementOpcode.AtomicSplit && pairs.Count == 0)
        {
            error = CopyManagementError.InvalidField(name + " needs one pair or more, the list has none");
            return false;
        }

        request = new CopyManagementRequest(opcode, cdb.ReadWrite, cdb.Mechanism, pairs.ToArray(), mirrorName, allocationLength: 0) { Modifiers = cdb.Modifiers };
        return true;
    }

    /// <summary>Gets the shortest and the longest parameter list a command can have.</summary>
    /// <param name="opcode">The command.</param>
    /// <param name="min">The shortest, in bytes (0 for PAIR STATUS).</param>
    /// <param name="max">The longest, in bytes (for PAIR STATUS, any allocation length).</param>
    public static void GetParameterListBounds(CopyManagementOpcode opcode, out int min, out int max)
    {
        // The pair count is checked against the opcode after decoding (INVALID FIELD), not here: a list of two
        // pairs for PAIR CREATE has a consistent length and a wrong count.
        switch (opcode)
        {
            case CopyManagementOpcode.NameMirrors:
                min = MirrorNameBlock.MinLength + PairList.HeaderLength;
                max = MirrorNameBlock.MaxLength + PairList.MaxLength;
                break;
            case CopyManagementOpcode.AtomicSplitByName:
                min = MirrorNameBlock.MinLength;
                max = MirrorNameBlock.MaxLength;
                break;
            case CopyManagementOpcode.PairStatus:
                min = 0;
                max = int.MaxValue;
                break;
            default:
                min = PairList.HeaderLength;
                max = PairList.MaxLength;
                break;
        }
    }
}
