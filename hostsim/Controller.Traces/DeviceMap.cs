// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Traces;

/// <summary>
/// Which volume (port ID, LUN) each device of a trace becomes. Either explicit (<c>--map DEVICE=PORT-ID,LUN</c>,
/// and a device not named is an error), or automatic: devices in order of first appearance get LUNs 0x0001,
/// 0x0002, ... on one port.
/// </summary>
public sealed class DeviceMap
{
    /// <summary>The target port of the automatic map: FIG 7's first port.</summary>
    public const int DefaultPortId = 0x400104;

    private readonly Dictionary<string, TraceVolume> _volumes = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private readonly bool _explicit;
    private readonly int _automaticPortId;

    private DeviceMap(bool isExplicit, int automaticPortId)
    {
        _explicit = isExplicit;
        _automaticPortId = automaticPortId;
    }

    /// <summary>Gets whether the map is explicit (devices not named are refused).</summary>
    public bool IsExplicit => _explicit;

    /// <summary>Gets the devices mapped so far, in the order they were named or first seen.</summary>
    public IReadOnlyList<string> Devices => _order;

    /// <summary>A map that gives each new device the next LUN on one port.</summary>
    /// <param name="portId">The target port.</param>
    /// <returns>The map.</returns>
    public static DeviceMap Automatic(int portId = DefaultPortId)
    {
        return new DeviceMap(false, portId);
    }

    /// <summary>Parses an explicit map from <c>DEVICE=PORT-ID,LUN</c> entries.</summary>
    /// <param name="entries">The entries.</param>
    /// <param name="map">The map.</param>
    /// <param name="error">What is wrong, when false.</param>
    /// <returns>True when every entry is well formed and no volume is named twice.</returns>
    public static bool TryParse(IEnumerable<string> entries, out DeviceMap map, out string? error)
    {
        map = new DeviceMap(true, DefaultPortId);
        foreach (string entry in entries)
        {
            int equals = entry.LastIndexOf('=');
            if (equals <= 0)
            {
                error = "'" + entry + "' is not DEVICE=PORT-ID,LUN (e.g. 4=0x400104,0x0001)";
                return false;
            }

            string device = entry[..equals];
            if (!TraceVolume.TryParse(entry[(equals + 1)..], out TraceVolume volume, out error))
            {
                return false;
            }

            if (map._volumes.ContainsKey(device))
            {
                error = "device '" + device + "' is mapped twice";
                return false;
            }

            foreach (string other in map._order)
            {
                if (map._volumes[other] == volume)
                {
                    error = "devices '" + other + "' and '" + device + "' are both mapped to " + volume + ": their blocks would overwrite each other";
                    return false;
                }
            }

            map._volumes[device] = volume;
            map._order.Add(device);
        }

        error = null;
        return true;
    }

    /// <summary>Finds (or, in an automatic map, assigns) a device's volume.</summary>
    /// <param name="device">The device as the trace names it.</param>
    /// <param name="volume">Its volume.</param>
    /// <returns>False when the map is explicit and does not name the device, or an automatic map has run out of LUNs.</returns>
    public bool TryResolve(string device, out TraceVolume volume)
    {
        if (_volumes.TryGetValue(device, out volume))
        {
            return true;
        }

        if (_explicit || _order.Count >= 0x3FFF)
        {
            return false;
        }

        volume = new TraceVolume(_automaticPortId, (ushort)(_order.Count + 1));
        _volumes[device] = volume;
        _order.Add(device);
        return true;
    }
}
