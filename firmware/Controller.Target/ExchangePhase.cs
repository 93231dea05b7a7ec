// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Target;

/// <summary>
/// Where one SCSI exchange stands, and so what the writer sends for it when it is posted. Each phase has one owner,
/// the only thread that moves it on (<see cref="ExchangePhaseTransitions"/>, docs/architecture.md "Target dispatch").
/// </summary>
internal enum ExchangePhase
{
    /// <summary>In the pool, or a new command the reader is deciding (owner: the reader).</summary>
    Free = 0,

    /// <summary>Posted to send FCP_XFER_RDY; write data may arrive (owner: the writer).</summary>
    TransferReady = 1,

    /// <summary>Receiving write data (FCP_DATA frames): parked, no owner; the reader or an abort claims it by a compare-and-swap.</summary>
    ReceivingData = 2,

    /// <summary>Carried out: queued to the MP that owns the LDEV, or with the control plane (owner: whoever holds it, handed on by their queues).</summary>
    Submitted = 3,

    /// <summary>Posted to send its data (if any) and FCP_RSP, then return to the pool (owner: the writer).</summary>
    Responding = 4,

    /// <summary>The reader is taking one FCP_DATA frame into it (owner: the reader; an abort meanwhile only marks it).</summary>
    DataArriving = 5,

    /// <summary>Aborted while parked for write data: posted only to be freed, nothing is sent (owner: the writer).</summary>
    Aborted = 6,
}
