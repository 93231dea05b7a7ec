// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Wire;

/// <summary>
/// R_CTL values of the FCP information units (FCP-4 table 3: routing "device data" 0x0 in the high nibble,
/// information category in the low one), of the extended link services (0x2x) and of the basic link services (0x8x).
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

    /// <summary>Basic link service ABTS (abort sequence): FC-FS, with TYPE 0x00. FCP initiators abort an exchange with it.</summary>
    public const byte BasicAbort = 0x81;

    /// <summary>Basic link service BA_ACC: the ABTS was accepted (payload <see cref="Bls.BasicAccept"/>).</summary>
    public const byte BasicAccept = 0x84;

    /// <summary>Basic link service BA_RJT: the ABTS was rejected (payload <see cref="Bls.BasicReject"/>).</summary>
    public const byte BasicReject = 0x85;
}
