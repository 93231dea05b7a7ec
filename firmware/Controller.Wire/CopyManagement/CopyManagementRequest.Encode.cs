// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Wire.CopyManagement;

/// <content>Encoding, for the host simulator: the CDB and the parameter list.</content>
public readonly partial struct CopyManagementRequest
{
    /// <summary>Gets the parameter list's length: the CDB's PARAMETER LIST LENGTH (0 for PAIR STATUS).</summary>
    /// <returns>The bytes <see cref="TryWrite"/> writes.</returns>
    public int GetParameterListLength()
    {
        // Plain arithmetic rather than the blocks' checked helpers: an oversized request still gets a length here
        // and is refused, with its reason, by TryWrite.
        int pairList = PairList.HeaderLength + (Pairs.Count * PairList.DescriptorLength);
        int nameBlock = MirrorNameBlock.GetEncodedLength(MirrorName?.Length ?? 0);
        return Opcode switch
        {
            CopyManagementOpcode.NameMirrors => nameBlock + pairList,
            CopyManagementOpcode.AtomicSplitByName => nameBlock,
            CopyManagementOpcode.PairStatus => 0,
            _ => pairList,
        };
    }

    /// <summary>Gets the CDB that carries this request: its options and the parameter list's length (or the allocation length).</summary>
    /// <returns>The CDB, for <see cref="CopyManagementCdb.TryWrite"/>.</returns>
    public CopyManagementCdb ToCdb()
    {
        uint length = CopyManagementOpcodes.IsDataIn(Opcode) ? AllocationLength : (uint)GetParameterListLength();
        return new CopyManagementCdb(Opcode, ReadWrite, Mechanism, length) { Modifiers = Modifiers };
    }

    /// <summary>Encodes the parameter list (nothing for PAIR STATUS).</summary>
    /// <param name="destination">At least <see cref="GetParameterListLength"/> bytes.</param>
    /// <param name="bytesWritten">The bytes written, when true.</param>
    /// <param name="reason">Why not, when false.</param>
    /// <returns>False (nothing written) for a request the target would refuse (a default request, no pairs for ATOMIC SPLIT, a bad name, a port ID over 24 bits, too many pairs) or a short destination.</returns>
    public bool TryWrite(Span<byte> destination, out int bytesWritten, out string? reason)
    {
        bytesWritten = 0;
        if (!CopyManagementOpcodes.IsCopyManagement((byte)Opcode))
        {
            reason = CopyManagementOpcodes.GetName(Opcode) + " is not a copy-management command (a default request?)";
            return false;
        }

        if (Opcode == CopyManagementOpcode.PairStatus)
        {
            reason = null;
            return true;
        }

        string name = CopyManagementOpcodes.GetName(Opcode);
        if (Opcode == CopyManagementOpcode.AtomicSplit && Pairs.Count == 0)
        {
            reason = name + " needs one pair or more";
            return false;
        }

        if ((Opcode is CopyManagementOpcode.NameMirrors or CopyManagementOpcode.AtomicSplitByName) && !MirrorNameBlock.IsValidName(MirrorName, out reason))
        {
            reason = name + ": " + reason;
            return false;
        }

        if (Opcode != CopyManagementOpcode.AtomicSplitByName && !PairList.CanEncode(_pairs, out reason))
        {
            reason = name + ": " + reason;
            return false;
        }

        int length = GetParameterListLength();
        if (destination.Length < length)
        {
            reason = name + " needs a " + length + "-byte parameter list, the buffer has " + destination.Length;
            return false;
        }

        // Neither block can fail now: the name, the pairs and the room were checked above, so a refused request
        // writes nothing.
        int at = 0;
        if (MirrorName is not null)
        {
            MirrorNameBlock.TryWrite(MirrorName, destination, out at, out _);
        }

        if (Opcode != CopyManagementOpcode.AtomicSplitByName)
        {
            PairList.TryWrite(_pairs, destination[at..], out _, out _);
        }

        bytesWritten = length;
        reason = null;
        return true;
    }
}
