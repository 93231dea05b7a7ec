// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;

namespace Controller.Target.Scsi;

/// <summary>The vendor-specific copy-management commands (docs/protocol.md): placeholder until the codec lands.</summary>
internal sealed class CopyManagementCommands
{
    private readonly ControllerFrontEnd _frontEnd;

    public CopyManagementCommands(ControllerFrontEnd frontEnd)
    {
        _frontEnd = frontEnd;
    }

    public void Execute(ScsiExchange exchange, Login login, TargetConnection connection, ScsiCommandSet commands)
    {
        _ = login;
        _ = _frontEnd;
        commands.Refuse(exchange, connection, ScsiSense.InvalidOpcode, "operation code 0x" + exchange.Cdb[0].ToString("X2", CultureInfo.InvariantCulture) + " is not supported");
    }

    public void OnDataOut(ScsiExchange exchange, TargetConnection connection, ScsiCommandSet commands)
    {
        commands.Refuse(exchange, connection, ScsiSense.InvalidOpcode, "not supported");
    }
}
