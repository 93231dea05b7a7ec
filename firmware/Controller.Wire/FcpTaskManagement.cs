// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Wire;

/// <summary>
/// The task management flags of FCP_CMND byte 10 (FCP-4 FCP_CNTL): one bit per function. A command has none set;
/// a task management request has exactly one and no CDB to run.
/// </summary>
public static class FcpTaskManagement
{
    /// <summary>ABORT TASK SET: abort the commands of this I_T nexus on the logical unit.</summary>
    public const byte AbortTaskSet = 0x02;

    /// <summary>CLEAR TASK SET: abort every command on the logical unit, from every I_T nexus.</summary>
    public const byte ClearTaskSet = 0x04;

    /// <summary>LOGICAL UNIT RESET: clear the task set and the SPC-2 reservation, unit attention 29/03 for every I_T nexus.</summary>
    public const byte LogicalUnitReset = 0x10;

    /// <summary>TARGET RESET: a logical unit reset of every logical unit of the target port, unit attention 29/02.</summary>
    public const byte TargetReset = 0x20;

    /// <summary>CLEAR ACA (not supported: NormACA is 0 in INQUIRY, no ACA is ever established).</summary>
    public const byte ClearAca = 0x40;

    /// <summary>The name of a flags byte, for logs.</summary>
    /// <param name="flags">The task management flags.</param>
    /// <returns>The function's name, or the byte in hex.</returns>
    public static string NameOf(byte flags)
    {
        return flags switch
        {
            AbortTaskSet => "ABORT TASK SET",
            ClearTaskSet => "CLEAR TASK SET",
            LogicalUnitReset => "LOGICAL UNIT RESET",
            TargetReset => "TARGET RESET",
            ClearAca => "CLEAR ACA",
            _ => "task management flags 0x" + flags.ToString("X2", System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}
