// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Target.Scsi;

/// <summary>The SCSI operation codes the target implements (SPC-4, SBC-3).</summary>
internal static class ScsiOpcode
{
    public const byte TestUnitReady = 0x00;
    public const byte RequestSense = 0x03;
    public const byte Inquiry = 0x12;
    public const byte Reserve6 = 0x16;
    public const byte Release6 = 0x17;
    public const byte ModeSense6 = 0x1A;
    public const byte ReadCapacity10 = 0x25;
    public const byte Read10 = 0x28;
    public const byte Write10 = 0x2A;
    public const byte SynchronizeCache10 = 0x35;
    public const byte ModeSense10 = 0x5A;
    public const byte PersistentReserveIn = 0x5E;
    public const byte PersistentReserveOut = 0x5F;
    public const byte Read16 = 0x88;
    public const byte Write16 = 0x8A;
    public const byte SynchronizeCache16 = 0x91;

    /// <summary>SERVICE ACTION IN(16); service action 0x10 is READ CAPACITY(16).</summary>
    public const byte ServiceActionIn16 = 0x9E;
    public const byte ReportLuns = 0xA0;

    /// <summary>The first vendor-specific opcode (copy management lives in 0xC0-0xFF).</summary>
    public const byte FirstVendorSpecific = 0xC0;

    /// <summary>
    /// Where the CONTROL byte of a CDB this target implements is (SAM-5 5.2: the last byte, by the opcode's group: 6,
    /// 10 or 16 bytes; the vendor copy-management CDBs are 16 bytes); -1 for an opcode it does not implement (whose
    /// length it cannot know: answered INVALID COMMAND OPERATION CODE).
    /// </summary>
    public static int ControlByteOffset(byte opcode)
    {
        switch (opcode)
        {
            case TestUnitReady:
            case RequestSense:
            case Inquiry:
            case Reserve6:
            case Release6:
            case ModeSense6:
                return 5;
            case ReadCapacity10:
            case Read10:
            case Write10:
            case SynchronizeCache10:
            case ModeSense10:
            case PersistentReserveIn:
            case PersistentReserveOut:
                return 9;
            case ReportLuns:
                return 11;
            case Read16:
            case Write16:
            case SynchronizeCache16:
            case ServiceActionIn16:
                return 15;
            default:
                return -1;
        }
    }
}
