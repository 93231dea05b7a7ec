// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Wire;

/// <summary>
/// R_CTL values of the FCP information units (FCP-4 table 3: routing "device data" 0x0 in the high nibble,
/// information category in the low one).
/// </summary>
public static class FcRoutingControl
{
    /// <summary>FCP_DATA: solicited data.</summary>
    public const byte Data = 0x01;

    /// <summary>FCP_XFER_RDY: data descriptor.</summary>
    public const byte TransferReady = 0x05;

    /// <summary>FCP_CMND: unsolicited command.</summary>
    public const byte Command = 0x06;

    /// <summary>FCP_RSP: command status.</summary>
    public const byte Response = 0x07;

    /// <summary>Extended link service request (PLOGI, PRLI, LOGO): FC-LS.</summary>
    public const byte ElsRequest = 0x22;

    /// <summary>Extended link service reply (LS_ACC, LS_RJT).</summary>
    public const byte ElsReply = 0x23;
}
