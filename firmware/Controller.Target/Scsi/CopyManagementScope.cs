// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.Addressing;

namespace Controller.Target.Scsi;

/// <summary>
/// Copy-management security (docs/protocol.md, "Copy-management security"): which LUNs take copy-management commands
/// (the command devices), and which volumes a command from one initiator may name. Modelled on an array's command
/// device with security on: a host manages only the volumes its host groups map to it, or an explicit list.
/// </summary>
internal sealed class CopyManagementScope
{
    private readonly ControllerFrontEnd _frontEnd;

    public CopyManagementScope(ControllerFrontEnd frontEnd)
    {
        _frontEnd = frontEnd;
    }

    /// <summary>Tells whether the LUN a command came to is a command device (every LUN is without a configured set).</summary>
    public bool IsCommandDevice(Login login, ushort lun)
    {
        IReadOnlySet<LdevId>? devices = _frontEnd.Options.CommandDevices;
        return devices is null || (login.Port.TryGetLdev(new Lun(lun), out LdevId ldev) && devices.Contains(ldev));
    }

    /// <summary>Tells whether an LDEV is a configured command device (never a pair volume).</summary>
    public bool IsConfiguredCommandDevice(LdevId ldev)
    {
        return _frontEnd.Options.CommandDevices is IReadOnlySet<LdevId> devices && devices.Contains(ldev);
    }

    /// <summary>
    /// Decides whether a command from <paramref name="login"/>'s initiator, sent to <paramref name="login"/>'s port, may
    /// name a pair's two volumes.
    /// </summary>
    /// <param name="login">The login the command came through (its port holds the command device).</param>
    /// <param name="pVol">The P-VOL named.</param>
    /// <param name="sVol">The S-VOL named.</param>
    /// <param name="creating">True for PAIR CREATE, the one command that writes a volume no pair holds yet.</param>
    /// <param name="reason">Why not, naming the volume.</param>
    /// <returns>True when allowed.</returns>
    public bool AllowsPair(Login login, VolumeAddress pVol, VolumeAddress sVol, bool creating, out string reason)
    {
        HostGroup? group = login.Port.FindHostGroup(login.Initiator);
        if (group?.ManagedVolumes is IReadOnlySet<VolumeAddress> managed)
        {
            // An explicit scope is the whole answer, local and remote volumes alike.
            foreach (VolumeAddress volume in (ReadOnlySpan<VolumeAddress>)[pVol, sVol])
            {
                if (!managed.Contains(volume))
                {
                    reason = "volume " + volume.ToCompactString() + " is not in the 'manages' list of host group '" + group.Name + "' of port " + login.Port.PortId;
                    return false;
                }
            }

            reason = string.Empty;
            return true;
        }

        // An open command-device port has no host group to scope by: its commands may name any volume of another
        // subsystem (the explicit, warned-about choice of 'open'), but a volume of this one still only where its own
        // port shows it to the sender (an open port shows every LUN; a secured one only its groups').
        bool open = !login.Port.LunSecurity;
        bool anyLocal = false;
        foreach (VolumeAddress volume in (ReadOnlySpan<VolumeAddress>)[pVol, sVol])
        {
            TargetPort? port = _frontEnd.FindPort(volume.PortId);
            if (port is null)
            {
                // Another subsystem's volume: its host groups are not known here. A pair that exists was created by
                // someone allowed to, and its local volume decides; a new remote pair would overwrite a volume of
                // another subsystem, so it needs an explicit scope (or an open command-device port).
                if (creating && !open)
                {
                    reason = "volume " + volume.ToCompactString() + " is on another subsystem: a remote PAIR CREATE needs it in a 'manages' list of host group '" + (group?.Name ?? "?") + "' of port " + login.Port.PortId;
                    return false;
                }

                continue;
            }

            anyLocal = true;
            if (!IsVisible(login, port, volume.Lun, out reason))
            {
                return false;
            }
        }

        if (!anyLocal && !open)
        {
            // A pair of another subsystem (a member of a cross-subsystem mirror name) is managed through that
            // subsystem's own ports, or named in an explicit scope.
            reason = "neither volume " + pVol.ToCompactString() + " nor " + sVol.ToCompactString() + " is on this subsystem: a pair of another subsystem is in scope only by a 'manages' list";
            return false;
        }

        reason = string.Empty;
        return true;
    }

    // The default scope: the initiator sees the LUN on the volume's port (a host group of that port lists it for the
    // initiator, or the port is open). A login to that port is not asked for: logins are no more authenticated than
    // the port ID itself, and a host's logins to two ports may be on two connections.
    private static bool IsVisible(Login login, TargetPort port, Lun lun, out string reason)
    {
        if (port.Resolve(login.Initiator, lun, out _) == LunAccess.NotVisible)
        {
            reason = "volume " + port.PortId + "/" + lun + " is not mapped to initiator " + login.Initiator + " (no host group of port " + port.PortId + " shows it)";
            return false;
        }

        // Not mapped at all is left to the command's own check (05/81/00), which names it the same way for everyone.
        reason = string.Empty;
        return true;
    }
}
