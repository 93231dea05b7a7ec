// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;

namespace Controller.Daemon.Configuration;

/// <summary>
/// The security lines and checks (docs/controllerd.md, "Security"): <c>audit-log</c>, every port either secured by a
/// host group or declared <c>open</c>, and command devices kept out of pairs.
/// </summary>
internal sealed partial class ControllerConfigParser
{
    private const string AuditLogUsage = "audit-log FILE";

    private string? _auditLogPath;
    private int _auditLogLine;

    private void ParseAuditLog(int line)
    {
        ExpectWordCount(line, 2, AuditLogUsage);
        SetOnce(line, ref _auditLogLine);
        try
        {
            _auditLogPath = Path.GetFullPath(_words[1], _baseDirectory);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            Fail(line, "audit log path '" + _words[1] + "' is not a valid path: " + ex.Message);
        }
    }

    // Safe by default: a port with no host group would show every LUN to every initiator, so that must be written
    // down ('open'), never the result of a forgotten line; and 'open' beside host groups would contradict them.
    private void CheckPortSecurity()
    {
        foreach (PortId port in _portOrder)
        {
            HostGroupConfig? first = null;
            foreach ((PortId groupPort, HostGroupConfig group) in _hostGroupOrder)
            {
                if (groupPort == port)
                {
                    first ??= group;
                }
            }

            if (first is null && !_openPorts.Contains(port))
            {
                ReportReference(_portLines[port], "port " + port + " has no host group, so every initiator would see every LUN of it: add 'host-group' lines for it, or write 'port " + port + " open' to allow that on purpose");
            }
            else if (first is not null && _openPorts.Contains(port))
            {
                ReportReference(first.Line, "host group '" + first.Name + "' is on port " + port + ", which line " + _portLines[port] + " declares 'open' (no host groups); remove 'open' to secure the port with its host groups");
            }
        }
    }

    private void CheckCommandDevicesInPairs()
    {
        foreach (PairConfig pair in _pairOrder)
        {
            foreach (VolumeAddress volume in (ReadOnlySpan<VolumeAddress>)[pair.PVol, pair.SVol])
            {
                if (_luns.TryGetValue((volume.PortId, volume.Lun), out LunMapping? mapping) && _ldevs.TryGetValue(mapping.Ldev, out LdevConfig? ldev) && ldev.CommandDevice)
                {
                    ReportReference(pair.Line, "pair volume " + volume + " is LDEV " + ldev.Id + ", a command device (line " + ldev.Line + "); a command device is never a pair volume");
                }
            }
        }
    }
}
