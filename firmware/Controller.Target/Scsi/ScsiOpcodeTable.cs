// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Wire.CopyManagement;
using Controller.Wire.RemoteCopy;

namespace Controller.Target.Scsi;

/// <summary>
/// The target's operation codes: 256 entries, one per opcode, each saying what the command is and where its CONTROL
/// byte is. The command set reads its entry once per command (an array index) and dispatches on the kind by a
/// dense <c>switch</c>, a jump table (docs/architecture.md, "Target dispatch").
/// </summary>
internal static class ScsiOpcodeTable
{
    private static readonly Entry[] s_entries = Build();

    /// <summary>The entry of an operation code.</summary>
    public static Entry Of(byte opcode)
    {
        return s_entries[opcode];
    }

    private static Entry[] Build()
    {
        Entry[] entries = new Entry[256];
        for (int opcode = 0; opcode < entries.Length; opcode++)
        {
            byte code = (byte)opcode;
            ScsiCommandKind kind = code switch
            {
                ScsiOpcode.TestUnitReady => ScsiCommandKind.TestUnitReady,
                ScsiOpcode.RequestSense => ScsiCommandKind.RequestSense,
                ScsiOpcode.Inquiry => ScsiCommandKind.Inquiry,
                ScsiOpcode.Reserve6 => ScsiCommandKind.Reserve6,
                ScsiOpcode.Release6 => ScsiCommandKind.Release6,
                ScsiOpcode.ModeSense6 or ScsiOpcode.ModeSense10 => ScsiCommandKind.ModeSense,
                ScsiOpcode.ReadCapacity10 => ScsiCommandKind.ReadCapacity10,
                ScsiOpcode.Read10 or ScsiOpcode.Read16 => ScsiCommandKind.Read,
                ScsiOpcode.Write10 or ScsiOpcode.Write16 => ScsiCommandKind.Write,
                ScsiOpcode.SynchronizeCache10 or ScsiOpcode.SynchronizeCache16 => ScsiCommandKind.SynchronizeCache,
                ScsiOpcode.PersistentReserveIn => ScsiCommandKind.PersistentReserveIn,
                ScsiOpcode.PersistentReserveOut => ScsiCommandKind.PersistentReserveOut,
                ScsiOpcode.ServiceActionIn16 => ScsiCommandKind.ServiceActionIn16,
                ScsiOpcode.ReportLuns => ScsiCommandKind.ReportLuns,
                _ when RemoteCopyOpcode.IsRemoteCopy(code) => ScsiCommandKind.RemoteCopy,
                _ when CopyManagementOpcodes.IsCopyManagement(code) => ScsiCommandKind.CopyManagement,
                _ => ScsiCommandKind.Unsupported,
            };
            entries[opcode] = new Entry(kind, (sbyte)ScsiOpcode.ControlByteOffset(code));
        }

        return entries;
    }

    /// <summary>One operation code's entry.</summary>
    /// <param name="Kind">What the command is.</param>
    /// <param name="ControlOffset">Where its CONTROL byte is, or -1 (not implemented, or a vendor CDB that checks its own).</param>
    internal readonly record struct Entry(ScsiCommandKind Kind, sbyte ControlOffset);
}
