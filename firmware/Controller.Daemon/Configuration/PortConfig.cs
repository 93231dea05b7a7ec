// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;

namespace Controller.Daemon.Configuration;

/// <summary>One <c>port</c> line with the <c>lun</c> and <c>host-group</c> lines that refer to it.</summary>
internal sealed class PortConfig
{
    /// <summary>Initializes a port.</summary>
    /// <param name="portId">The port's 24-bit ID.</param>
    /// <param name="luns">Its LUN mappings, in file order.</param>
    /// <param name="hostGroups">Its host groups, in file order.</param>
    /// <param name="line">The 1-based line that declares it.</param>
    public PortConfig(PortId portId, LunMapping[] luns, HostGroupConfig[] hostGroups, int line)
    {
        PortId = portId;
        Luns = Array.AsReadOnly(luns);
        HostGroups = Array.AsReadOnly(hostGroups);
        Line = line;
    }

    /// <summary>Gets the port's ID.</summary>
    public PortId PortId { get; }

    /// <summary>Gets the LUN mappings, in file order.</summary>
    public IReadOnlyList<LunMapping> Luns { get; }

    /// <summary>Gets the host groups, in file order.</summary>
    public IReadOnlyList<HostGroupConfig> HostGroups { get; }

    /// <summary>
    /// Gets a value indicating whether the port is declared <c>open</c>: no host group, every initiator sees every LUN
    /// and may manage every volume behind it. A port is open only when its line says so (controllerd warns at start).
    /// </summary>
    public bool Open { get; init; }

    /// <summary>Gets a value indicating whether LUN security is on: it is as soon as the port has a host group.</summary>
    public bool LunSecurity => HostGroups.Count > 0;

    /// <summary>Gets the 1-based line that declares the port.</summary>
    public int Line { get; }

    /// <summary>Finds the LDEV mapped at a LUN of this port.</summary>
    /// <param name="lun">The LUN.</param>
    /// <param name="ldev">The LDEV when mapped.</param>
    /// <returns>True when the LUN is mapped.</returns>
    public bool TryGetLdev(Lun lun, out LdevId ldev)
    {
        foreach (LunMapping mapping in Luns)
        {
            if (mapping.Lun == lun)
            {
                ldev = mapping.Ldev;
                return true;
            }
        }

        ldev = default;
        return false;
    }
}
