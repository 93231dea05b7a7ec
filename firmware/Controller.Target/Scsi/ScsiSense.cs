// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Media;
using Controller.Wire;

namespace Controller.Target.Scsi;

/// <summary>The sense data the target answers with (SPC-4 fixed format; key/ASC/ASCQ).</summary>
internal static class ScsiSense
{
    public const byte MediumErrorKey = 0x03;
    public const byte AbortedCommandKey = 0x0B;
    public const byte NotReadyKey = 0x02;

    /// <summary>05/20/00 INVALID COMMAND OPERATION CODE.</summary>
    public static SenseData InvalidOpcode => new(SenseData.IllegalRequest, 0x20, 0x00);

    /// <summary>
    /// 07/74/71 LOGICAL UNIT ACCESS NOT AUTHORIZED (DATA PROTECT): a copy-management command named a volume outside the
    /// sender's scope (docs/protocol.md, "Copy-management security"). Distinct from 05/25/00, which is about the LUN the
    /// command was sent to, and from 05/81/00, a volume no LDEV is mapped at.
    /// </summary>
    public static SenseData AccessNotAuthorized => new(SenseData.DataProtect, 0x74, 0x71);

    /// <summary>0B/4E/00 OVERLAPPED COMMANDS ATTEMPTED: a new command reused an OX_ID still in use.</summary>
    public static SenseData OverlappedCommands => new(AbortedCommandKey, 0x4E, 0x00);

    /// <summary>0B/4B/00 DATA PHASE ERROR: write data did not match the command's offsets.</summary>
    public static SenseData DataPhaseError => new(AbortedCommandKey, 0x4B, 0x00);

    /// <summary>
    /// 02/04/0C LOGICAL UNIT NOT ACCESSIBLE, TARGET PORT IN UNAVAILABLE STATE (SPC-4): a new command while the
    /// controller stops. A host sends it down another path (Linux's ALUA handler and sd fail the path, not retry
    /// it), which is what a port about to close needs; BUSY, TASK SET FULL or 04/0A (transitioning) would be
    /// retried on this same port until it is gone (docs/controllerd.md, "Stopping").
    /// </summary>
    public static SenseData TargetPortUnavailable => new(NotReadyKey, 0x04, 0x0C);

    /// <summary>The sense of a media status that is not GOOD.</summary>
    public static SenseData ForMedia(MediaStatus status, bool write)
    {
        return status switch
        {
            MediaStatus.LbaOutOfRange => SenseData.LbaOutOfRange,
            MediaStatus.LengthNotBlockMultiple => SenseData.InvalidFieldInCdb,
            MediaStatus.WriteProtected => SenseData.WriteProtected,
            MediaStatus.Fenced => SenseData.SoftwareWriteProtected,

            // 03/0C/00 WRITE ERROR, 03/11/00 UNRECOVERED READ ERROR.
            _ => write ? new SenseData(MediumErrorKey, 0x0C, 0x00) : new SenseData(MediumErrorKey, 0x11, 0x00),
        };
    }
}
