// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using Controller.Addressing;

namespace Controller.Wire.Els;

/// <summary>
/// The ELS payloads of the login sequence (FC-LS-3, FCP-4): PLOGI and its LS_ACC carry the port's service
/// parameters and world-wide names; PRLI and its LS_ACC carry the FCP service parameter page, where the write
/// FCP_XFER_RDY DISABLED bit negotiates first burst; LOGO and LS_RJT end or refuse a login.
/// </summary>
public static class ElsPayload
{
    /// <summary>Length of a PLOGI payload (and of its LS_ACC).</summary>
    public const int PortLoginLength = 116;

    /// <summary>Length of a PRLI payload with one service parameter page (and of its LS_ACC).</summary>
    public const int ProcessLoginLength = 20;

    /// <summary>Length of a LOGO payload.</summary>
    public const int LogoutLength = 16;

    /// <summary>Length of an LS_RJT payload.</summary>
    public const int RejectLength = 8;

    /// <summary>LS_RJT reason: logical error.</summary>
    public const byte ReasonLogicalError = 0x03;

    /// <summary>LS_RJT reason: unable to perform the command request.</summary>
    public const byte ReasonUnableToPerform = 0x09;

    /// <summary>LS_RJT reason: command not supported.</summary>
    public const byte ReasonNotSupported = 0x0B;

    /// <summary>LS_RJT explanation: service parameter error, options (class 3 not valid).</summary>
    public const byte ExplanationClassOptions = 0x01;

    /// <summary>LS_RJT explanation: service parameter error, receive data field size.</summary>
    public const byte ExplanationReceiveDataFieldSize = 0x07;

    /// <summary>LS_RJT explanation: invalid common service parameters.</summary>
    public const byte ExplanationCommonServiceParameters = 0x0F;

    /// <summary>LS_RJT explanation: N_Port login required.</summary>
    public const byte ExplanationLoginRequired = 0x1E;

    /// <summary>FCP-4 service parameter, word 3 bit 5: initiator function.</summary>
    public const int InitiatorFunction = 0x20;

    /// <summary>FCP-4 service parameter, word 3 bit 4: target function.</summary>
    public const int TargetFunction = 0x10;

    /// <summary>FCP-4 service parameter, word 3 bit 1: read FCP_XFER_RDY disabled (always set).</summary>
    public const int ReadTransferReadyDisabled = 0x02;

    /// <summary>FCP-4 service parameter, word 3 bit 0: write FCP_XFER_RDY disabled (first burst of the whole write).</summary>
    public const int WriteTransferReadyDisabled = 0x01;

    private const byte FcpType = 0x08;
    private const ushort ReceiveDataFieldSize = 2112;
    private const ushort TotalConcurrentSequences = 255;
    private const uint ErrorDetectTimeoutMilliseconds = 2000;
    private const int Class3Offset = 68;
    private const byte Class3Valid = 0x80;

    /// <summary>Writes a PLOGI (or its LS_ACC) with the class 3 service parameters and the port's names.</summary>
    /// <param name="destination">At least <see cref="PortLoginLength"/> bytes.</param>
    /// <param name="command"><see cref="ElsCommand.PortLogin"/> or <see cref="ElsCommand.LinkServiceAccept"/>.</param>
    /// <param name="portName">The port's world-wide name.</param>
    /// <param name="nodeName">The node's world-wide name.</param>
    public static void WritePortLogin(Span<byte> destination, byte command, ulong portName, ulong nodeName)
    {
        Span<byte> payload = destination[..PortLoginLength];
        payload.Clear();
        payload[0] = command;

        // Common service parameters (FC-LS-3 6.6.2): FC-PH version 0x20-0x20, buffer-to-buffer credit; common features
        // (continuously increasing relative offset), receive data field size; total concurrent sequences, relative
        // offset by information category (category 1, solicited data: FCP_DATA); E_D_TOV, 2,000 ms.
        payload[4] = 0x20;
        payload[5] = 0x20;
        BinaryPrimitives.WriteUInt16BigEndian(payload[6..], 16);
        payload[8] = 0x80;
        BinaryPrimitives.WriteUInt16BigEndian(payload[10..], ReceiveDataFieldSize);
        BinaryPrimitives.WriteUInt16BigEndian(payload[12..], TotalConcurrentSequences);
        BinaryPrimitives.WriteUInt16BigEndian(payload[14..], 0x0002);
        BinaryPrimitives.WriteUInt32BigEndian(payload[16..], ErrorDetectTimeoutMilliseconds);
        BinaryPrimitives.WriteUInt64BigEndian(payload[20..], portName);
        BinaryPrimitives.WriteUInt64BigEndian(payload[28..], nodeName);

        // Class 3 service parameters (bytes 68-83): class valid, sequential delivery; receive data field size;
        // concurrent sequences; open sequences per exchange (word 3, bits 23-16).
        payload[Class3Offset] = Class3Valid | 0x08;
        BinaryPrimitives.WriteUInt16BigEndian(payload[(Class3Offset + 6)..], ReceiveDataFieldSize);
        BinaryPrimitives.WriteUInt16BigEndian(payload[(Class3Offset + 8)..], TotalConcurrentSequences);
        payload[Class3Offset + 13] = 1;
    }

    /// <summary>
    /// Checks the service parameters of a PLOGI (FC-LS-3): the common receive data field size (256-2112 bytes, a
    /// multiple of 4), class 3 valid (the only class FCP uses here), and its receive data field size likewise.
    /// </summary>
    /// <param name="payload">A PLOGI payload of at least <see cref="PortLoginLength"/> bytes.</param>
    /// <param name="explanation">The LS_RJT explanation (with reason logical error), when false.</param>
    /// <param name="reason">What is wrong, when false.</param>
    /// <returns>False when a parameter is invalid.</returns>
    public static bool TryCheckPortLoginParameters(ReadOnlySpan<byte> payload, out byte explanation, out string? reason)
    {
        explanation = 0;
        reason = null;
        if (payload.Length < PortLoginLength)
        {
            explanation = ExplanationCommonServiceParameters;
            reason = "PLOGI of " + payload.Length + " bytes, shorter than " + PortLoginLength;
            return false;
        }

        int common = BinaryPrimitives.ReadUInt16BigEndian(payload[10..]) & 0x0FFF;
        if (!IsValidFieldSize(common))
        {
            explanation = ExplanationReceiveDataFieldSize;
            reason = "common receive data field size " + common + " (256-2112, a multiple of 4)";
            return false;
        }

        if ((payload[Class3Offset] & Class3Valid) == 0)
        {
            explanation = ExplanationClassOptions;
            reason = "class 3 service parameters not valid (FCP here runs on class 3 only)";
            return false;
        }

        int class3 = BinaryPrimitives.ReadUInt16BigEndian(payload[(Class3Offset + 6)..]) & 0x0FFF;
        if (!IsValidFieldSize(class3))
        {
            explanation = ExplanationReceiveDataFieldSize;
            reason = "class 3 receive data field size " + class3 + " (256-2112, a multiple of 4)";
            return false;
        }

        return true;
    }

    private static bool IsValidFieldSize(int size)
    {
        return size is >= 256 and <= ReceiveDataFieldSize && size % 4 == 0;
    }

    /// <summary>Reads the port name of a PLOGI or its LS_ACC.</summary>
    /// <param name="payload">The ELS payload.</param>
    /// <param name="portName">The port's world-wide name.</param>
    /// <returns>False when the payload is too short or not a PLOGI/LS_ACC.</returns>
    public static bool TryReadPortLogin(ReadOnlySpan<byte> payload, out ulong portName)
    {
        portName = 0;
        if (payload.Length < PortLoginLength || payload[0] is not (ElsCommand.PortLogin or ElsCommand.LinkServiceAccept))
        {
            return false;
        }

        portName = BinaryPrimitives.ReadUInt64BigEndian(payload[20..]);
        return true;
    }

    /// <summary>Writes a PRLI (or its LS_ACC) with one FCP service parameter page.</summary>
    /// <param name="destination">At least <see cref="ProcessLoginLength"/> bytes.</param>
    /// <param name="command"><see cref="ElsCommand.ProcessLogin"/> or <see cref="ElsCommand.LinkServiceAccept"/>.</param>
    /// <param name="serviceParameters">Word 3 bits: function, XFER_RDY disabled bits.</param>
    public static void WriteProcessLogin(Span<byte> destination, byte command, int serviceParameters)
    {
        Span<byte> payload = destination[..ProcessLoginLength];
        payload.Clear();
        payload[0] = command;
        payload[1] = 0x10;
        BinaryPrimitives.WriteUInt16BigEndian(payload[2..], ProcessLoginLength);
        payload[4] = FcpType;

        // Establish image pair; an accept also carries response code 1, "request executed".
        payload[6] = (byte)(command == ElsCommand.LinkServiceAccept ? 0x21 : 0x20);
        BinaryPrimitives.WriteUInt32BigEndian(payload[16..], (uint)(serviceParameters & 0xFFFFFF));
    }

    /// <summary>Reads the FCP service parameters of a PRLI or its LS_ACC.</summary>
    /// <param name="payload">The ELS payload.</param>
    /// <param name="serviceParameters">Word 3 of the FCP page.</param>
    /// <param name="reason">Why it was refused.</param>
    /// <returns>False when the payload is not a PRLI with an FCP page.</returns>
    public static bool TryReadProcessLogin(ReadOnlySpan<byte> payload, out int serviceParameters, out string? reason)
    {
        serviceParameters = 0;
        if (payload.Length < ProcessLoginLength)
        {
            reason = "PRLI of " + payload.Length + " bytes, shorter than " + ProcessLoginLength;
            return false;
        }

        if (payload[1] != 0x10 || payload[4] != FcpType)
        {
            reason = "PRLI without an FCP service parameter page (page length 0x" + payload[1].ToString("X2", System.Globalization.CultureInfo.InvariantCulture) + ", type 0x" + payload[4].ToString("X2", System.Globalization.CultureInfo.InvariantCulture) + ")";
            return false;
        }

        serviceParameters = (int)(BinaryPrimitives.ReadUInt32BigEndian(payload[16..]) & 0xFFFFFF);
        reason = null;
        return true;
    }

    /// <summary>Writes a LOGO naming the port that logs out.</summary>
    /// <param name="destination">At least <see cref="LogoutLength"/> bytes.</param>
    /// <param name="portId">The port ID of the port sending the LOGO.</param>
    /// <param name="portName">Its world-wide name.</param>
    public static void WriteLogout(Span<byte> destination, PortId portId, ulong portName)
    {
        Span<byte> payload = destination[..LogoutLength];
        payload.Clear();
        payload[0] = ElsCommand.Logout;
        payload[5] = portId.Domain;
        payload[6] = portId.Area;
        payload[7] = portId.Port;
        BinaryPrimitives.WriteUInt64BigEndian(payload[8..], portName);
    }

    /// <summary>Writes an LS_RJT.</summary>
    /// <param name="destination">At least <see cref="RejectLength"/> bytes.</param>
    /// <param name="reason">The reason code.</param>
    /// <param name="explanation">The reason explanation.</param>
    public static void WriteReject(Span<byte> destination, byte reason, byte explanation)
    {
        Span<byte> payload = destination[..RejectLength];
        payload.Clear();
        payload[0] = ElsCommand.LinkServiceReject;
        payload[5] = reason;
        payload[6] = explanation;
    }

    /// <summary>A world-wide port name for a port ID: NAA 3 (locally assigned), "CTL", then the port ID.</summary>
    /// <param name="portId">The port ID.</param>
    /// <returns>The name.</returns>
    public static ulong PortNameFor(PortId portId)
    {
        return 0x3000_0000_0000_0000UL | (0x43544CUL << 24) | portId.Value;
    }
}
