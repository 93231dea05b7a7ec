// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Initiator;

/// <summary>What the writer sends for an initiator exchange when it is posted.</summary>
internal enum ExchangeState
{
    /// <summary>FCP_CMND (and, with first burst, all the write data after it).</summary>
    SendCommand = 0,

    /// <summary>The data of the burst the target asked for with FCP_XFER_RDY.</summary>
    SendData = 1,

    /// <summary>Waiting for the target.</summary>
    Waiting = 2,
}
