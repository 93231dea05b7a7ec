// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;

namespace Controller.Daemon.Configuration;

/// <summary>One <c>host-group</c> line: initiators of one host and the LUNs of the port they may see.</summary>
internal sealed class HostGroupConfig
{
    /// <summary>Initializes a host group.</summary>
    /// <param name="name">The group's name, unique on its port.</param>
    /// <param name="initiators">The initiator port IDs, at least one, no repeats.</param>
    /// <param name="luns">The visible LUNs, at least one, no repeats, each mapped on the port.</param>
    /// <param name="line">The 1-based line that declares it.</param>
    public HostGroupConfig(string name, PortId[] initiators, Lun[] luns, int line)
    {
        Name = name;
        Initiators = Array.AsReadOnly(initiators);
        Luns = Array.AsReadOnly(luns);
        Line = line;
    }

    /// <summary>Gets the group's name.</summary>
    public string Name { get; }

    /// <summary>Gets the initiator port IDs, in the order written.</summary>
    public IReadOnlyList<PortId> Initiators { get; }

    /// <summary>Gets the LUNs the initiators may see, in the order written.</summary>
    public IReadOnlyList<Lun> Luns { get; }

    /// <summary>
    /// Gets the volumes copy-management commands from the group may name (its <c>manages</c> list), or null for the
    /// default scope: the volumes its initiators see on this subsystem's ports.
    /// </summary>
    public IReadOnlyList<VolumeAddress>? ManagedVolumes { get; init; }

    /// <summary>Gets the 1-based line that declares the group.</summary>
    public int Line { get; }
}
