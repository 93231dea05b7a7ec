// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Target.Scsi;

/// <summary>
/// What a command is, as <see cref="ScsiOpcodeTable"/> maps its operation code: dense values, so the dispatch
/// <c>switch</c> on them compiles to one jump table.
/// </summary>
internal enum ScsiCommandKind : byte
{
    /// <summary>Not implemented: 05/20/00 INVALID COMMAND OPERATION CODE.</summary>
    Unsupported = 0,

    /// <summary>The remote-copy link's RC commands (0xE0-0xE4), addressed by the port map, not the host groups.</summary>
    RemoteCopy,

    /// <summary>REPORT LUNS: needs no logical unit.</summary>
    ReportLuns,

    /// <summary>INQUIRY: answers also for a LUN with no logical unit.</summary>
    Inquiry,

    /// <summary>TEST UNIT READY.</summary>
    TestUnitReady,

    /// <summary>REQUEST SENSE.</summary>
    RequestSense,

    /// <summary>READ(10) and READ(16).</summary>
    Read,

    /// <summary>WRITE(10) and WRITE(16).</summary>
    Write,

    /// <summary>SYNCHRONIZE CACHE(10) and (16).</summary>
    SynchronizeCache,

    /// <summary>READ CAPACITY(10).</summary>
    ReadCapacity10,

    /// <summary>SERVICE ACTION IN(16) (READ CAPACITY(16)).</summary>
    ServiceActionIn16,

    /// <summary>MODE SENSE(6) and (10).</summary>
    ModeSense,

    /// <summary>RESERVE(6).</summary>
    Reserve6,

    /// <summary>RELEASE(6).</summary>
    Release6,

    /// <summary>PERSISTENT RESERVE IN.</summary>
    PersistentReserveIn,

    /// <summary>PERSISTENT RESERVE OUT.</summary>
    PersistentReserveOut,

    /// <summary>The vendor copy-management commands (docs/protocol.md).</summary>
    CopyManagement,
}
