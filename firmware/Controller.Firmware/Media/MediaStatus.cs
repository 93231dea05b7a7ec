// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.Media;

/// <summary>
/// Result of a media access below the hardware boundary. The data path reports failures as a
/// status, as device firmware does, so that the SCSI layer can turn each into the right sense data.
/// </summary>
public enum MediaStatus
{
    /// <summary>The transfer completed.</summary>
    Good = 0,

    /// <summary>The range starts or ends beyond the last block of the device.</summary>
    LbaOutOfRange = 1,

    /// <summary>The buffer length is not a whole number of 512-byte blocks.</summary>
    LengthNotBlockMultiple = 2,

    /// <summary>The backing medium failed (for the file store: an I/O error from the host OS).</summary>
    MediumError = 3,

    /// <summary>
    /// The LDEV refused a host write because of its pair state (an S-VOL being mirrored, a P-VOL being restored):
    /// nothing was written. The SCSI target answers DATA PROTECT / WRITE PROTECTED (27/00).
    /// </summary>
    WriteProtected = 4,

    /// <summary>
    /// A remote mirror with fence level data could not update its S-VOL: the host write is answered with an error
    /// (the P-VOL may hold it, marked for the resync). The SCSI target answers DATA PROTECT / LOGICAL UNIT SOFTWARE
    /// WRITE PROTECTED (27/02).
    /// </summary>
    Fenced = 5,
}
