// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Wire;

namespace Controller.Traces;

/// <summary>What a target answered to one exchange of a trace, as replay compares it: status, sense, read data.</summary>
/// <param name="Status">The SCSI status.</param>
/// <param name="Sense">The sense data, when the status carries some.</param>
/// <param name="ResponseCode">The FCP response code, when the FCP_RSP carried one (a task management or FCP error).</param>
/// <param name="DataInLength">The bytes of read data received.</param>
/// <param name="DataInChecksum">The <see cref="DataChecksum"/> of those bytes, in relative-offset order.</param>
public readonly record struct RecordedResponse(byte Status, SenseData? Sense, byte? ResponseCode, int DataInLength, ulong DataInChecksum)
{
    /// <summary>The most read data kept whole (READ CAPACITY, INQUIRY and other small answers); longer data keeps only its checksum (but for PAIR STATUS, see <see cref="KeptData"/>).</summary>
    public const int SmallDataLength = 64;

    /// <summary>
    /// Gets the read data itself when it is at most <see cref="SmallDataLength"/> bytes, or when it answers PAIR STATUS
    /// (replay compares the table's rows field by field: some fields are times and copy progress); else null.
    /// </summary>
    public byte[]? KeptData { get; init; }

    /// <inheritdoc/>
    public override string ToString()
    {
        string status = Status switch
        {
            FcpResponse.Good => "GOOD",
            FcpResponse.CheckCondition => "CHECK CONDITION",
            FcpResponse.Busy => "BUSY",
            FcpResponse.ReservationConflict => "RESERVATION CONFLICT",
            FcpResponse.TaskSetFull => "TASK SET FULL",
            _ => "status 0x" + Status.ToString("X2", System.Globalization.CultureInfo.InvariantCulture),
        };
        return status + (Sense is SenseData sense ? " " + sense : string.Empty) + (ResponseCode is byte code && code != 0 ? " FCP response code " + code : string.Empty)
            + (DataInLength > 0 ? ", " + DataInLength + " bytes read, checksum " + DataInChecksum.ToString("x16", System.Globalization.CultureInfo.InvariantCulture) : string.Empty);
    }
}
