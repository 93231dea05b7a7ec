// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Daemon.Configuration;

namespace Controller.Daemon;

/// <summary>What controllerd warns about at start: a configuration that is allowed but lets more in than it might mean.</summary>
internal static class SecurityWarnings
{
    /// <summary>Lists the warnings for a configuration.</summary>
    /// <param name="config">The configuration.</param>
    /// <returns>One line each, without the "warning: " prefix.</returns>
    public static List<string> Of(ControllerConfig config)
    {
        List<string> warnings = [];
        foreach (PortConfig port in config.Ports)
        {
            if (port.Open)
            {
                warnings.Add("port " + port.PortId + " is open: every initiator sees every LUN of it and may manage every volume behind it (no host group; docs/controllerd.md, \"Security\")");
            }
        }

        if (config.GetCommandDevices().Count == 0)
        {
            warnings.Add("no LDEV is a command device: every copy-management command is refused (05/20/00); flag one 'ldev ... command-device' and map it to use pairs");
        }

        return warnings;
    }
}
