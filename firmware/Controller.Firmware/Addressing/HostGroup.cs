// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;

namespace Controller.Firmware.Addressing;

/// <summary>
/// A host group of a target port (LUN security): the initiator port IDs of one host, and the LUNs of the
/// port they may see. Immutable; replace a group to change it.
/// </summary>
public sealed class HostGroup
{
    private readonly HashSet<PortId> _initiators;
    private readonly HashSet<Lun> _visibleLuns;

    /// <summary>Initializes a host group.</summary>
    /// <param name="name">The group's name, e.g. "prod-host".</param>
    /// <param name="initiators">The initiator port IDs in the group.</param>
    /// <param name="visibleLuns">The LUNs those initiators may see.</param>
    public HostGroup(string name, IEnumerable<PortId> initiators, IEnumerable<Lun> visibleLuns)
        : this(name, initiators, visibleLuns, null)
    {
    }

    /// <summary>Initializes a host group with an explicit copy-management scope.</summary>
    /// <param name="name">The group's name, e.g. "prod-host".</param>
    /// <param name="initiators">The initiator port IDs in the group.</param>
    /// <param name="visibleLuns">The LUNs those initiators may see.</param>
    /// <param name="managedVolumes">
    /// The volumes (port ID, LUN), on this controller or another, that copy-management commands from this group may
    /// name; null for the default scope, the volumes the group's initiators see on this subsystem's ports.
    /// </param>
    public HostGroup(string name, IEnumerable<PortId> initiators, IEnumerable<Lun> visibleLuns, IEnumerable<VolumeAddress>? managedVolumes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        _initiators = new HashSet<PortId>(initiators);
        _visibleLuns = new HashSet<Lun>(visibleLuns);
        ManagedVolumes = managedVolumes is null ? null : new HashSet<VolumeAddress>(managedVolumes);
    }

    /// <summary>Gets the group's name.</summary>
    public string Name { get; }

    /// <summary>Gets the initiator port IDs in the group.</summary>
    public IReadOnlyCollection<PortId> Initiators => _initiators;

    /// <summary>Gets the LUNs the group may see.</summary>
    public IReadOnlyCollection<Lun> VisibleLuns => _visibleLuns;

    /// <summary>
    /// Gets the volumes copy-management commands from this group may name (the way CCI's command-device security scopes
    /// by host group), or null for the default scope: what the group's initiators see on this subsystem's ports.
    /// </summary>
    public IReadOnlySet<VolumeAddress>? ManagedVolumes { get; }

    /// <summary>Tells whether an initiator belongs to the group.</summary>
    /// <param name="initiator">The initiator's port ID.</param>
    /// <returns>True if it does.</returns>
    public bool Contains(PortId initiator)
    {
        return _initiators.Contains(initiator);
    }

    /// <summary>Tells whether the group may see a LUN.</summary>
    /// <param name="lun">The LUN.</param>
    /// <returns>True if visible.</returns>
    public bool CanSee(Lun lun)
    {
        return _visibleLuns.Contains(lun);
    }
}
