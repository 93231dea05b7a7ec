// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;

namespace Controller.Wire;

/// <summary>
/// The FCP_RSP information unit (FCP-4): 24 bytes (8 reserved, retry delay, FCP flags, SCSI status, FCP_RESID,
/// FCP_SNS_LEN, FCP_RSP_LEN) followed by the sense data when the status is CHECK CONDITION. Residuals tell an
/// initiator that fewer (under) or more (over) bytes were asked for than moved.
/// </summary>
/// <param name="Status">The SCSI status.</param>
/// <param name="Residual">The residual byte count, with <paramref name="Under"/> or <paramref name="Over"/>.</param>
/// <param name="Under">FCP_RESID_UNDER: less data moved than FCP_DL.</param>
/// <param name="Over">FCP_RESID_OVER: the command wanted more than FCP_DL.</param>
/// <param name="Sense">The sense data, for CHECK CONDITION.</param>
public readonly record struct FcpResponse(byte Status, uint Residual, bool Under, bool Over, SenseData? Sense)
{
    /// <summary>The IU's fixed part.</summary>
    public const int FixedLength = 24;

    /// <summary>SCSI status GOOD.</summary>
    public const byte Good = 0x00;

    /// <summary>SCSI status CHECK CONDITION (sense data follows).</summary>
    public const byte CheckCondition = 0x02;

    /// <summary>SCSI status BUSY.</summary>
    public const byte Busy = 0x08;

    /// <summary>SCSI status RESERVATION CONFLICT.</summary>
    public const byte ReservationConflict = 0x18;

    /// <summary>SCSI status TASK SET FULL.</summary>
    public const byte TaskSetFull = 0x28;

    /// <summary>RSP_CODE 0x00: task management function complete.</summary>
    public const byte TaskManagementComplete = 0x00;

    /// <summary>RSP_CODE 0x02: FCP_CMND fields invalid.</summary>
    public const byte CommandFieldsInvalid = 0x02;

    /// <summary>RSP_CODE 0x04: task management function not supported.</summary>
    public const byte TaskManagementNotSupported = 0x04;

    /// <summary>RSP_CODE 0x09: task management function incorrect logical unit number.</summary>
    public const byte IncorrectLogicalUnit = 0x09;

    private const int ResponseInfoLength = 8;
    private const byte ResponseLengthValid = 0x01;
    private const byte ResidUnder = 0x08;
    private const byte ResidOver = 0x04;
    private const byte SenseLengthValid = 0x02;

    /// <summary>Gets the IU's encoded length.</summary>
    public int EncodedLength => FixedLength + (ResponseCode is null ? 0 : ResponseInfoLength) + (Sense is null ? 0 : SenseData.Length);

    /// <summary>
    /// Gets the FCP RSP_CODE (FCP-4 table 28), set only when the target refuses the FCP_CMND itself rather than
    /// answering its SCSI command: e.g. <see cref="CommandFieldsInvalid"/> for a malformed FCP_CMND.
    /// </summary>
    public byte? ResponseCode { get; init; }

    /// <summary>Decodes an FCP_RSP payload.</summary>
    /// <param name="payload">The payload.</param>
    /// <param name="response">The response.</param>
    /// <param name="reason">Why not, when false.</param>
    /// <returns>False when truncated, both residual flags are set, or the sense is not fixed format.</returns>
    public static bool TryRead(ReadOnlySpan<byte> payload, out FcpResponse response, out string? reason)
    {
        response = default;
        if (payload.Length < FixedLength)
        {
            reason = "FCP_RSP of " + payload.Length + " bytes, shorter than 24";
            return false;
        }

        byte flags = payload[10];
        bool under = (flags & ResidUnder) != 0;
        bool over = (flags & ResidOver) != 0;
        if (under && over)
        {
            reason = "FCP_RSP with both FCP_RESID_UNDER and FCP_RESID_OVER";
            return false;
        }

        uint senseLength = (flags & SenseLengthValid) != 0 ? BinaryPrimitives.ReadUInt32BigEndian(payload[16..]) : 0;
        uint responseLength = (flags & 0x01) != 0 ? BinaryPrimitives.ReadUInt32BigEndian(payload[20..]) : 0;
        SenseData? sense = null;
        if (senseLength > 0)
        {
            long senseAt = FixedLength + (long)responseLength;
            if (senseAt + senseLength > payload.Length || !SenseData.TryRead(payload.Slice((int)senseAt, (int)senseLength), out SenseData decoded))
            {
                reason = "FCP_RSP sense data (" + senseLength + " bytes) is truncated or not fixed format";
                return false;
            }

            sense = decoded;
        }

        byte? responseCode = null;
        if (responseLength >= 4)
        {
            if (FixedLength + (long)responseLength > payload.Length)
            {
                reason = "FCP_RSP response information (" + responseLength + " bytes) is truncated";
                return false;
            }

            responseCode = payload[FixedLength + 3];
        }

        response = new FcpResponse(payload[11], BinaryPrimitives.ReadUInt32BigEndian(payload[12..]), under, over, sense) { ResponseCode = responseCode };
        reason = null;
        return true;
    }

    /// <summary>Encodes the IU.</summary>
    /// <param name="destination">At least <see cref="EncodedLength"/> bytes.</param>
    /// <returns>False when the destination is short or both residual flags are set.</returns>
    public bool TryWrite(Span<byte> destination)
    {
        if (destination.Length < EncodedLength || (Under && Over))
        {
            return false;
        }

        destination[..FixedLength].Clear();
        destination[10] = (byte)((Under ? ResidUnder : 0) | (Over ? ResidOver : 0) | (Sense is null ? 0 : SenseLengthValid) | (ResponseCode is null ? 0 : ResponseLengthValid));
        destination[11] = Status;
        BinaryPrimitives.WriteUInt32BigEndian(destination[12..], Residual);
        int senseAt = FixedLength;
        if (ResponseCode is byte code)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[20..], ResponseInfoLength);
            destination.Slice(FixedLength, ResponseInfoLength).Clear();
            destination[FixedLength + 3] = code;
            senseAt += ResponseInfoLength;
        }

        if (Sense is SenseData sense)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[16..], SenseData.Length);
            sense.TryWrite(destination[senseAt..]);
        }

        return true;
    }
}
