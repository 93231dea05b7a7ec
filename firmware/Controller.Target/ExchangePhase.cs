// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Target;

/// <summary>Where one SCSI exchange stands, and so what the writer sends for it when it is posted.</summary>
internal enum ExchangePhase
{
    /// <summary>In the pool.</summary>
    Free = 0,

    /// <summary>Posted to send FCP_XFER_RDY; write data may arrive.</summary>
    TransferReady = 1,

    /// <summary>Receiving write data (FCP_DATA frames).</summary>
    ReceivingData = 2,

    /// <summary>Queued to the MP that owns the LDEV.</summary>
    Submitted = 3,

    /// <summary>Posted to send its data (if any) and FCP_RSP, then return to the pool.</summary>
    Responding = 4,

    /// <summary>The reader is taking one FCP_DATA frame into it (an abort meanwhile leaves it to the reader).</summary>
    DataArriving = 5,

    /// <summary>Aborted while parked for write data: posted only to be freed, nothing is sent.</summary>
    Aborted = 6,
}
