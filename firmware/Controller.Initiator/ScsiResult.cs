// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Wire;

namespace Controller.Initiator;

/// <summary>The outcome of one SCSI command: its FCP_RSP, and how much data came back.</summary>
/// <param name="Status">SCSI status (GOOD, CHECK CONDITION, ...).</param>
/// <param name="Sense">Sense data with CHECK CONDITION.</param>
/// <param name="Residual">FCP_RESID: bytes of FCP_DL that did not move (under) or did not fit (over).</param>
/// <param name="ResponseCode">FCP RSP_CODE when the target refused the FCP_CMND itself.</param>
/// <param name="DataInLength">Bytes of data the target sent.</param>
public readonly record struct ScsiResult(byte Status, SenseData? Sense, uint Residual, byte? ResponseCode, int DataInLength)
{
    /// <summary>Gets a value indicating whether the command succeeded (GOOD and no RSP_CODE).</summary>
    public bool IsGood => Status == FcpResponse.Good && ResponseCode is null or 0;

    /// <inheritdoc/>
    public override string ToString()
    {
        string text = Status switch
        {
            FcpResponse.Good => "GOOD",
            FcpResponse.CheckCondition => "CHECK CONDITION",
            FcpResponse.Busy => "BUSY",
            FcpResponse.ReservationConflict => "RESERVATION CONFLICT",
            FcpResponse.TaskSetFull => "TASK SET FULL",
            _ => "status 0x" + Status.ToString("X2", System.Globalization.CultureInfo.InvariantCulture),
        };
        if (Sense is SenseData sense)
        {
            text += " " + sense;
        }

        if (ResponseCode is byte code && code != 0)
        {
            text += " RSP_CODE " + code;
        }

        return text;
    }
}
