// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim.Core.Fuzz;

/// <summary>How one fuzz input was made (the mix is documented on <see cref="FrameFuzzer"/>).</summary>
public enum FuzzInputKind
{
    /// <summary>A generated ELS request or reply: PLOGI, PRLI, LOGO, LS_ACC/LS_RJT, unknown commands.</summary>
    Els = 0,

    /// <summary>A generated FCP_CMND with a SCSI CDB (every implemented opcode, and unknown ones).</summary>
    ScsiCommand = 1,

    /// <summary>A generated FCP_CMND with a vendor copy-management CDB (0xC0-0xFF).</summary>
    CopyManagement = 2,

    /// <summary>A generated FCP_DATA frame, often for an exchange that waits for data.</summary>
    Data = 3,

    /// <summary>A frame with random R_CTL, TYPE, header fields and payload.</summary>
    RandomFrame = 4,

    /// <summary>A generated frame with bits flipped, bytes overwritten, or cut short or extended.</summary>
    Mutated = 5,

    /// <summary>A generated frame in its FCIP encapsulation, mostly with the encapsulated bytes mutated.</summary>
    FcipBytes = 6,
}
