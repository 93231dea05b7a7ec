// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;

namespace Controller.Daemon.Configuration;

/// <summary>After the last line: resolve references between lines and assemble the model.</summary>
internal sealed partial class ControllerConfigParser
{
    private int _referenceErrorLine;
    private string? _referenceError;

    private ControllerConfig Finish()
    {
        CheckLunReferences();
        CheckHostGroupReferences();
        CheckPairReferences();
        CheckPortSecurity();
        CheckCommandDevicesInPairs();
        if (_referenceError is not null)
        {
            Fail(_referenceErrorLine, _referenceError);
        }

        PortConfig[] ports = new PortConfig[_portOrder.Count];
        for (int p = 0; p < ports.Length; p++)
        {
            PortId portId = _portOrder[p];
            List<LunMapping> luns = [];
            foreach ((PortId port, LunMapping mapping) in _lunOrder)
            {
                if (port == portId)
                {
                    luns.Add(mapping);
                }
            }

            List<HostGroupConfig> groups = [];
            foreach ((PortId port, HostGroupConfig group) in _hostGroupOrder)
            {
                if (port == portId)
                {
                    groups.Add(group);
                }
            }

            ports[p] = new PortConfig(portId, luns.ToArray(), groups.ToArray(), _portLines[portId]) { Open = _openPorts.Contains(portId) };
        }

        return new ControllerConfig(
            _fileName,
            _settings.Listen,
            _settings.TrackSizeBytes,
            _settings.MpCount,
            _settings.QueueDepth,
            _settings.Store,
            _settings.StoreDirectory,
            _settings.StorePolicy,
            _settings.StoreLine,
            _ldevOrder.ToArray(),
            ports,
            _pairOrder.ToArray())
        {
            Serial = _remoteCopy.Serial,
            CopyBytesPerSecond = _settings.CopyBytesPerSecond,
            RemoteCopyPeers = [.. _remoteCopy.Peers],
            RemoteCopyPaths = [.. _remoteCopy.Paths],
            RemoteCopyPeerKeys = _remoteCopy.PeerKeys,
            RemoteCopyPeerAddresses = _remoteCopy.PeerAddresses,
            AuditLogPath = _auditLogPath,
            Limits = _settings.Limits,
        };
    }

    private void CheckLunReferences()
    {
        foreach ((PortId port, LunMapping mapping) in _lunOrder)
        {
            if (!_portLines.ContainsKey(port))
            {
                ReportReference(mapping.Line, "lun " + mapping.Lun + " refers to port " + port + ", which no 'port' line declares");
            }
            else if (!_ldevs.ContainsKey(mapping.Ldev))
            {
                ReportReference(mapping.Line, "lun " + mapping.Lun + " on port " + port + " refers to LDEV " + mapping.Ldev + ", which no 'ldev' line declares");
            }
        }
    }

    private void CheckHostGroupReferences()
    {
        foreach ((PortId port, HostGroupConfig group) in _hostGroupOrder)
        {
            if (!_portLines.ContainsKey(port))
            {
                ReportReference(group.Line, "host group '" + group.Name + "' refers to port " + port + ", which no 'port' line declares");
                continue;
            }

            foreach (Lun lun in group.Luns)
            {
                if (!_luns.ContainsKey((port, lun)))
                {
                    ReportReference(group.Line, "host group '" + group.Name + "' on port " + port + " lists LUN " + lun + ", which no 'lun' line maps on that port");
                    break;
                }
            }
        }
    }

    private void CheckPairReferences()
    {
        foreach (PairConfig pair in _pairOrder)
        {
            if (TryResolveVolume(pair, pair.PVol, "P-VOL", out LdevId pLdev) && TryResolveVolume(pair, pair.SVol, "S-VOL", out LdevId sLdev) && pLdev == sLdev)
            {
                ReportReference(pair.Line, "pair P-VOL " + pair.PVol + " and S-VOL " + pair.SVol + " are both LDEV " + pLdev + "; a volume cannot mirror itself");
            }
        }
    }

    private bool TryResolveVolume(PairConfig pair, VolumeAddress volume, string role, out LdevId ldev)
    {
        ldev = default;
        if (!_portLines.ContainsKey(volume.PortId))
        {
            ReportReference(pair.Line, "pair " + role + " " + volume + " refers to port " + volume.PortId + ", which no 'port' line declares");
            return false;
        }

        if (!_luns.TryGetValue((volume.PortId, volume.Lun), out LunMapping? mapping))
        {
            ReportReference(pair.Line, "pair " + role + " " + volume + " is not mapped: no 'lun' line maps LUN " + volume.Lun + " on port " + volume.PortId);
            return false;
        }

        ldev = mapping.Ldev;
        return true;
    }

    // References are checked kind by kind, but the error reported is the one on the lowest line, as if the file
    // had been checked top to bottom.
    private void ReportReference(int line, string reason)
    {
        if (_referenceError is null || line < _referenceErrorLine)
        {
            _referenceErrorLine = line;
            _referenceError = reason;
        }
    }
}
