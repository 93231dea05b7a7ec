// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;

namespace Controller.Firmware.Addressing;

/// <summary>
/// A target port of the controller: its 24-bit port ID, the LUN -> LDEV map behind it, and, when LUN
/// security is on, the host groups that decide which initiator sees which LUN.
/// </summary>
/// <remarks>
/// Configuration changes are rare and take a lock; every change publishes a new immutable
/// <see cref="PortMap"/>, so the per-command <see cref="Resolve"/> reads one reference and never locks.
/// </remarks>
public sealed class TargetPort
{
    private readonly Lock _configLock = new();
    private PortMap _map = PortMap.Empty;

    /// <summary>Initializes a port with no LUNs and LUN security off.</summary>
    /// <param name="portId">The port's 24-bit ID.</param>
    public TargetPort(PortId portId)
    {
        PortId = portId;
    }

    /// <summary>Gets the port's ID.</summary>
    public PortId PortId { get; }

    /// <summary>Gets a value indicating whether LUN security (host groups) is on for this port.</summary>
    public bool LunSecurity => Volatile.Read(ref _map).LunSecurity;

    /// <summary>Maps a LUN to an LDEV.</summary>
    /// <param name="lun">The LUN, not yet mapped on this port.</param>
    /// <param name="ldev">The LDEV behind it.</param>
    /// <exception cref="InvalidOperationException">The LUN is already mapped.</exception>
    public void MapLun(Lun lun, LdevId ldev)
    {
        lock (_configLock)
        {
            PortMap map = _map;
            if (map.Luns.TryGetValue(lun, out LdevId existing))
            {
                ThrowHelper.ThrowInvalidOperation("LUN " + lun + " on port " + PortId + " is already mapped to LDEV " + existing);
            }

            Dictionary<Lun, LdevId> luns = new(map.Luns) { [lun] = ldev };
            Volatile.Write(ref _map, map.With(luns));
        }
    }

    /// <summary>Removes a LUN mapping.</summary>
    /// <param name="lun">The LUN.</param>
    /// <returns>True if it was mapped.</returns>
    public bool UnmapLun(Lun lun)
    {
        lock (_configLock)
        {
            PortMap map = _map;
            if (!map.Luns.ContainsKey(lun))
            {
                return false;
            }

            Dictionary<Lun, LdevId> luns = new(map.Luns);
            luns.Remove(lun);
            Volatile.Write(ref _map, map.With(luns));
            return true;
        }
    }

    /// <summary>Turns LUN security on or off. With it on, an initiator in no host group sees no LUN.</summary>
    /// <param name="enabled">The new setting.</param>
    public void SetLunSecurity(bool enabled)
    {
        lock (_configLock)
        {
            Volatile.Write(ref _map, _map.With(enabled));
        }
    }

    /// <summary>Adds a host group. An initiator may belong to one host group per port.</summary>
    /// <param name="group">The group.</param>
    /// <exception cref="InvalidOperationException">The name is taken, or an initiator is already in another group.</exception>
    public void AddHostGroup(HostGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        lock (_configLock)
        {
            PortMap map = _map;
            foreach (HostGroup existing in map.Groups)
            {
                if (string.Equals(existing.Name, group.Name, StringComparison.Ordinal))
                {
                    ThrowHelper.ThrowInvalidOperation("port " + PortId + " already has a host group named '" + group.Name + "'");
                }
            }

            Dictionary<PortId, HostGroup> byInitiator = new(map.ByInitiator);
            foreach (PortId initiator in group.Initiators)
            {
                if (byInitiator.TryGetValue(initiator, out HostGroup? owner))
                {
                    ThrowHelper.ThrowInvalidOperation("initiator " + initiator + " is already in host group '" + owner.Name + "' of port " + PortId);
                }

                byInitiator[initiator] = group;
            }

            List<HostGroup> groups = new(map.Groups) { group };
            Volatile.Write(ref _map, map.With(groups, byInitiator));
        }
    }

    /// <summary>Gets the port's host groups.</summary>
    /// <returns>The groups, in the order they were added.</returns>
    public IReadOnlyList<HostGroup> GetHostGroups()
    {
        return Volatile.Read(ref _map).Groups;
    }

    /// <summary>Finds the host group an initiator belongs to on this port.</summary>
    /// <param name="initiator">The initiator's port ID.</param>
    /// <returns>The group, or null when the initiator is in none (or the port has none).</returns>
    public HostGroup? FindHostGroup(PortId initiator)
    {
        return Volatile.Read(ref _map).ByInitiator.GetValueOrDefault(initiator);
    }

    /// <summary>
    /// Resolves the LUN an initiator addressed to an LDEV, applying LUN security. Lock-free: the data path
    /// calls it for every command.
    /// </summary>
    /// <param name="initiator">The initiator's port ID (the S_ID of its frames).</param>
    /// <param name="lun">The LUN addressed.</param>
    /// <param name="ldev">The LDEV when access is granted.</param>
    /// <returns>Whether the initiator may address the LUN, and if not, why.</returns>
    public LunAccess Resolve(PortId initiator, Lun lun, out LdevId ldev)
    {
        PortMap map = Volatile.Read(ref _map);
        if (map.LunSecurity && (!map.ByInitiator.TryGetValue(initiator, out HostGroup? group) || !group.CanSee(lun)))
        {
            ldev = default;
            return LunAccess.NotVisible;
        }

        return map.Luns.TryGetValue(lun, out ldev) ? LunAccess.Granted : LunAccess.NotMapped;
    }

    /// <summary>
    /// Looks up the LDEV behind a LUN whatever the host groups say: for copy management, which names
    /// volumes by (port ID, LUN) in the controller's namespace, not as one host sees them.
    /// </summary>
    /// <param name="lun">The LUN.</param>
    /// <param name="ldev">The LDEV mapped there.</param>
    /// <returns>False when the LUN is not mapped.</returns>
    public bool TryGetLdev(Lun lun, out LdevId ldev)
    {
        return Volatile.Read(ref _map).Luns.TryGetValue(lun, out ldev);
    }

    /// <summary>Lists the LUNs an initiator may see, in ascending order (REPORT LUNS).</summary>
    /// <param name="initiator">The initiator's port ID.</param>
    /// <returns>The visible, mapped LUNs.</returns>
    public Lun[] GetVisibleLuns(PortId initiator)
    {
        PortMap map = Volatile.Read(ref _map);
        List<Lun> visible = new(map.Luns.Count);
        foreach (Lun lun in map.Luns.Keys)
        {
            if (Resolve(initiator, lun, out _) == LunAccess.Granted)
            {
                visible.Add(lun);
            }
        }

        Lun[] result = visible.ToArray();
        Array.Sort(result);
        return result;
    }

    /// <summary>One immutable version of the port's configuration.</summary>
    private sealed class PortMap
    {
        public static readonly PortMap Empty = new(new Dictionary<Lun, LdevId>(), new List<HostGroup>(), new Dictionary<PortId, HostGroup>(), false);

        private PortMap(Dictionary<Lun, LdevId> luns, List<HostGroup> groups, Dictionary<PortId, HostGroup> byInitiator, bool lunSecurity)
        {
            Luns = luns;
            Groups = groups;
            ByInitiator = byInitiator;
            LunSecurity = lunSecurity;
        }

        public Dictionary<Lun, LdevId> Luns { get; }

        public List<HostGroup> Groups { get; }

        public Dictionary<PortId, HostGroup> ByInitiator { get; }

        public bool LunSecurity { get; }

        public PortMap With(Dictionary<Lun, LdevId> luns)
        {
            return new PortMap(luns, Groups, ByInitiator, LunSecurity);
        }

        public PortMap With(bool lunSecurity)
        {
            return new PortMap(Luns, Groups, ByInitiator, lunSecurity);
        }

        public PortMap With(List<HostGroup> groups, Dictionary<PortId, HostGroup> byInitiator)
        {
            return new PortMap(Luns, groups, byInitiator, LunSecurity);
        }
    }
}
