// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim.Core.Fuzz;

/// <summary>What a frame the target sent back was, as the fuzz run counts them.</summary>
public enum TargetAnswer
{
    /// <summary>FCP_RSP, status GOOD.</summary>
    Good = 0,

    /// <summary>FCP_RSP, CHECK CONDITION with sense.</summary>
    CheckCondition = 1,

    /// <summary>FCP_RSP, RESERVATION CONFLICT.</summary>
    ReservationConflict = 2,

    /// <summary>FCP_RSP, TASK SET FULL.</summary>
    TaskSetFull = 3,

    /// <summary>FCP_RSP with another status.</summary>
    OtherStatus = 4,

    /// <summary>FCP_RSP with an RSP_CODE: the FCP_CMND itself was refused.</summary>
    ResponseCode = 5,

    /// <summary>FCP_XFER_RDY.</summary>
    TransferReady = 6,

    /// <summary>FCP_DATA (read data).</summary>
    DataIn = 7,

    /// <summary>LS_ACC.</summary>
    LinkServiceAccept = 8,

    /// <summary>LS_RJT.</summary>
    LinkServiceReject = 9,

    /// <summary>A LOGO from the target (a command before login).</summary>
    Logout = 10,

    /// <summary>Anything else.</summary>
    Other = 11,
}
