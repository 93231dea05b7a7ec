// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Wire.Els;

/// <summary>Extended link service command codes (FC-LS-3): the first byte of an ELS payload.</summary>
public static class ElsCommand
{
    /// <summary>LS_RJT: the request was rejected (reason and explanation follow).</summary>
    public const byte LinkServiceReject = 0x01;

    /// <summary>LS_ACC: the request was accepted.</summary>
    public const byte LinkServiceAccept = 0x02;

    /// <summary>PLOGI: N_Port login.</summary>
    public const byte PortLogin = 0x03;

    /// <summary>LOGO: logout.</summary>
    public const byte Logout = 0x05;

    /// <summary>PRLI: process login (establishes the FCP image pair).</summary>
    public const byte ProcessLogin = 0x20;
}
