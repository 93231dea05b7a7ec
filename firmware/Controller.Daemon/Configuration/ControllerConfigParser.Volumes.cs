// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.Media;

namespace Controller.Daemon.Configuration;

/// <summary>The declaration lines: ldev, port, lun, host-group and pair (syntax and duplicates; references come later).</summary>
internal sealed partial class ControllerConfigParser
{
    private const string LdevUsage = "ldev CU:LDEV size SIZE [command-device]";
    private const string PortUsage = "port PORT-ID [open]";
    private const string LunUsage = "lun PORT-ID LUN CU:LDEV";
    private const string HostGroupUsage = "host-group NAME PORT-ID initiators PORT-ID... luns LUN... [manages PORT-ID,LUN...]";
    private const string PairUsage = "pair PVOL-PORT-ID,LUN SVOL-PORT-ID,LUN";

    private readonly Dictionary<LdevId, LdevConfig> _ldevs = [];
    private readonly List<LdevConfig> _ldevOrder = [];
    private readonly Dictionary<PortId, int> _portLines = [];
    private readonly HashSet<PortId> _openPorts = [];
    private readonly List<PortId> _portOrder = [];
    private readonly Dictionary<(PortId Port, Lun Lun), LunMapping> _luns = [];
    private readonly List<(PortId Port, LunMapping Mapping)> _lunOrder = [];
    private readonly Dictionary<(PortId Port, string Name), int> _hostGroupLines = [];
    private readonly Dictionary<(PortId Port, PortId Initiator), (string Name, int Line)> _groupOfInitiator = [];
    private readonly List<(PortId Port, HostGroupConfig Group)> _hostGroupOrder = [];
    private readonly Dictionary<(VolumeAddress PVol, VolumeAddress SVol), int> _pairLines = [];
    private readonly List<PairConfig> _pairOrder = [];

    private void ParseLdev(int line)
    {
        bool commandDevice = _words.Count == 5 && string.Equals(_words[4], "command-device", StringComparison.Ordinal);
        if (_words.Count == 5 && !commandDevice)
        {
            Fail(line, "expected 'command-device' or nothing after the LDEV size, not '" + _words[4] + "'; expected: " + LdevUsage);
        }

        ExpectWordCount(line, commandDevice ? 5 : 4, LdevUsage);
        LdevId id = ParseLdevId(line, _words[1]);
        if (!string.Equals(_words[2], "size", StringComparison.Ordinal))
        {
            Fail(line, "expected the word 'size' after the LDEV ID, not '" + _words[2] + "'; expected: " + LdevUsage);
        }

        if (!ConfigValues.TryParseSize(_words[3], "LDEV size", out long bytes, out string? error))
        {
            Fail(line, error);
        }

        if (bytes == 0)
        {
            Fail(line, "LDEV " + id + " size must be more than 0 bytes");
        }

        if (bytes % TrackGeometry.BlockSize != 0)
        {
            Fail(line, "LDEV " + id + " size " + _words[3] + " (" + bytes + " bytes) is not a multiple of 512 bytes, the block size");
        }

        if (bytes / TrackGeometry.BlockSize > TrackGeometry.MaxLdevBlocks)
        {
            Fail(line, "LDEV " + id + " size " + _words[3] + " is over the largest LDEV, 2^48 blocks (128 PiB)");
        }

        if (_ldevs.TryGetValue(id, out LdevConfig? first))
        {
            Fail(line, "LDEV " + id + " is declared twice (first on line " + first.Line + ")");
        }

        LdevConfig ldev = new(id, bytes, line) { CommandDevice = commandDevice };
        _ldevs.Add(id, ldev);
        _ldevOrder.Add(ldev);
    }

    private void ParsePort(int line)
    {
        bool open = _words.Count == 3 && string.Equals(_words[2], "open", StringComparison.Ordinal);
        if (_words.Count == 3 && !open)
        {
            Fail(line, "expected 'open' or nothing after the port ID, not '" + _words[2] + "'; expected: " + PortUsage);
        }

        ExpectWordCount(line, open ? 3 : 2, PortUsage);
        PortId portId = _statement.ParsePortId(line, _words[1], null);
        if (open)
        {
            _openPorts.Add(portId);
        }

        if (!_portLines.TryAdd(portId, line))
        {
            Fail(line, "port " + portId + " is declared twice (first on line " + _portLines[portId] + ")");
        }

        _portOrder.Add(portId);
    }

    private void ParseLun(int line)
    {
        ExpectWordCount(line, 4, LunUsage);
        PortId portId = _statement.ParsePortId(line, _words[1], null);
        Lun lun = ParseLunWord(line, _words[2]);
        LdevId ldev = ParseLdevId(line, _words[3]);
        if (_luns.TryGetValue((portId, lun), out LunMapping? first))
        {
            Fail(line, "LUN " + lun + " on port " + portId + " is mapped twice (first on line " + first.Line + ")");
        }

        LunMapping mapping = new(lun, ldev, line);
        _luns.Add((portId, lun), mapping);
        _lunOrder.Add((portId, mapping));
    }

    private void ParseHostGroup(int line)
    {
        // host-group NAME PORT-ID initiators ID... luns LUN...
        if (_words.Count < 4)
        {
            FailMissing(line, HostGroupUsage);
        }

        string name = _words[1];
        if (!ConfigValues.IsValidHostGroupName(name, out string? nameError))
        {
            Fail(line, nameError);
        }

        PortId portId = _statement.ParsePortId(line, _words[2], null);
        if (!string.Equals(_words[3], "initiators", StringComparison.Ordinal))
        {
            Fail(line, "expected the word 'initiators' after the port ID, not '" + _words[3] + "'; expected: " + HostGroupUsage);
        }

        if (_hostGroupLines.TryGetValue((portId, name), out int firstLine))
        {
            Fail(line, "host group '" + name + "' on port " + portId + " is declared twice (first on line " + firstLine + ")");
        }

        int i = 4;
        List<PortId> initiators = [];
        while (i < _words.Count && !string.Equals(_words[i], "luns", StringComparison.Ordinal))
        {
            PortId initiator = _statement.ParsePortId(line, _words[i], "initiator ");
            if (initiators.Contains(initiator))
            {
                Fail(line, "initiator " + initiator + " is listed twice in host group '" + name + "'");
            }

            // TargetPort finds an initiator's group by its ID alone, so one initiator cannot be in two groups of a port.
            if (_groupOfInitiator.TryGetValue((portId, initiator), out (string Name, int Line) owner))
            {
                Fail(line, "initiator " + initiator + " is already in host group '" + owner.Name + "' of port " + portId
                    + " (line " + owner.Line + "); an initiator belongs to one host group per port");
            }

            initiators.Add(initiator);
            i++;
        }

        if (i == _words.Count)
        {
            Fail(line, "host group '" + name + "' has no 'luns' list; expected: " + HostGroupUsage);
        }

        if (initiators.Count == 0)
        {
            Fail(line, "host group '" + name + "' lists no initiators; expected: " + HostGroupUsage);
        }

        List<Lun> luns = [];
        for (i++; i < _words.Count && !string.Equals(_words[i], "manages", StringComparison.Ordinal); i++)
        {
            Lun lun = ParseLunWord(line, _words[i]);
            if (luns.Contains(lun))
            {
                Fail(line, "LUN " + lun + " is listed twice in host group '" + name + "'");
            }

            luns.Add(lun);
        }

        if (luns.Count == 0)
        {
            Fail(line, "host group '" + name + "' lists no LUNs; expected: " + HostGroupUsage);
        }

        VolumeAddress[]? managed = i < _words.Count ? ParseManagedVolumes(line, name, i + 1) : null;

        _hostGroupLines.Add((portId, name), line);
        foreach (PortId initiator in initiators)
        {
            _groupOfInitiator.Add((portId, initiator), (name, line));
        }

        _hostGroupOrder.Add((portId, new HostGroupConfig(name, initiators.ToArray(), luns.ToArray(), line) { ManagedVolumes = managed }));
    }

    // host-group ... manages VOLUME...: the explicit copy-management scope of the group (docs/controllerd.md).
    private VolumeAddress[] ParseManagedVolumes(int line, string group, int first)
    {
        List<VolumeAddress> volumes = [];
        for (int i = first; i < _words.Count; i++)
        {
            VolumeAddress volume = ParseVolumeAddress(line, _words[i], "managed volume");
            if (volumes.Contains(volume))
            {
                Fail(line, "volume " + volume + " is listed twice in the 'manages' list of host group '" + group + "'");
            }

            volumes.Add(volume);
        }

        if (volumes.Count == 0)
        {
            Fail(line, "host group '" + group + "' has 'manages' with no volume; expected: " + HostGroupUsage);
        }

        return volumes.ToArray();
    }

    private void ParsePair(int line)
    {
        // Addresses are one word each ("0x400104,0x0001"), but the FIG 7 form people copy from displays has a
        // space after the comma ("0x400104, 0x0001"): a word that ends or starts with a separator is joined to
        // its neighbour, so both forms read the same.
        List<string> addresses = [];
        for (int i = 1; i < _words.Count; i++)
        {
            string word = _words[i];
            if (addresses.Count > 0 && (EndsWithSeparator(addresses[^1]) || StartsWithSeparator(word)))
            {
                addresses[^1] += word;
            }
            else
            {
                addresses.Add(word);
            }
        }

        if (addresses.Count < 2)
        {
            FailMissing(line, PairUsage);
        }

        if (addresses.Count > 2)
        {
            Fail(line, "'pair' has an extra argument '" + addresses[2] + "'; expected: " + PairUsage);
        }

        VolumeAddress pVol = ParseVolumeAddress(line, addresses[0], "P-VOL");
        VolumeAddress sVol = ParseVolumeAddress(line, addresses[1], "S-VOL");
        if (pVol == sVol)
        {
            Fail(line, "pair P-VOL and S-VOL are the same volume " + pVol + "; a volume cannot mirror itself");
        }

        if (!_pairLines.TryAdd((pVol, sVol), line))
        {
            Fail(line, "pair " + pVol + " -> " + sVol + " is declared twice (first on line " + _pairLines[(pVol, sVol)] + ")");
        }

        _pairOrder.Add(new PairConfig(pVol, sVol, line));
    }

    private static bool EndsWithSeparator(string word)
    {
        return word.EndsWith(',') || word.EndsWith('/');
    }

    private static bool StartsWithSeparator(string word)
    {
        return word.StartsWith(',') || word.StartsWith('/');
    }

    private LdevId ParseLdevId(int line, string word)
    {
        if (!LdevId.TryParse(word, out LdevId id, out string? error))
        {
            Fail(line, error);
        }

        return id;
    }

    private Lun ParseLunWord(int line, string word)
    {
        if (!Lun.TryParse(word, out Lun lun, out string? error))
        {
            Fail(line, error);
        }

        return lun;
    }

    private VolumeAddress ParseVolumeAddress(int line, string word, string role)
    {
        if (!ConfigValues.TryParseVolumeAddress(word, out VolumeAddress address, out string? error))
        {
            Fail(line, "pair " + role + ": " + error);
        }

        return address;
    }
}
