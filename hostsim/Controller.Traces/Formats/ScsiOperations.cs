// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Traces.Formats;

/// <summary>The trace operation of a SCSI opcode, for the formats that record the opcode itself (CloudPhysics vSCSI).</summary>
internal static class ScsiOperations
{
    /// <summary>Maps READ(6/10/12/16), WRITE(6/10/12/16) and SYNCHRONIZE CACHE(10/16).</summary>
    /// <param name="opcode">The opcode.</param>
    /// <param name="operation">The operation.</param>
    /// <returns>False for any other command (INQUIRY, TEST UNIT READY, ...), which carries no block I/O.</returns>
    public static bool TryMap(int opcode, out TraceOperation operation)
    {
        switch (opcode)
        {
            case 0x08 or 0x28 or 0xA8 or 0x88:
                operation = TraceOperation.Read;
                return true;
            case 0x0A or 0x2A or 0xAA or 0x8A:
                operation = TraceOperation.Write;
                return true;
            case 0x35 or 0x91:
                operation = TraceOperation.Flush;
                return true;
            default:
                operation = default;
                return false;
        }
    }
}
