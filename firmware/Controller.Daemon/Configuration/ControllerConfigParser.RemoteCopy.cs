// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using System.Net;
using Controller.Firmware.Addressing;

namespace Controller.Daemon.Configuration;

/// <summary>
/// The two-subsystem statements (docs/controllerd.md): <c>serial N</c>, <c>remote-copy-peer INITIATOR</c> (this
/// subsystem is a secondary of that primary's path) and <c>remote-copy-path INITIATOR to ADDRESS:PORT ports
/// PORT-ID...</c> (this subsystem is a primary: its initiator port connects to the secondary's listener).
/// </summary>
internal sealed partial class ControllerConfigParser
{
    private const string SerialUsage = "serial NUMBER";
    private const string PeerUsage = "remote-copy-peer INITIATOR-PORT-ID";
    private const string PathUsage = "remote-copy-path INITIATOR-PORT-ID to ADDRESS:PORT ports PORT-ID...";

    private readonly List<PortId> _remoteCopyPeers = [];
    private readonly List<RemoteCopyPathConfig> _remoteCopyPaths = [];
    private int _serial = 1;
    private int _serialLine;

    private void ParseSerial(int line)
    {
        ExpectWordCount(line, 2, SerialUsage);
        SetOnce(line, ref _serialLine);
        if (!int.TryParse(_words[1], NumberStyles.None, CultureInfo.InvariantCulture, out _serial) || _serial is < 1 or > 65535)
        {
            Fail(line, "serial '" + _words[1] + "' is not a number from 1 to 65535");
        }
    }

    private void ParseRemoteCopyPeer(int line)
    {
        ExpectWordCount(line, 2, PeerUsage);
        PortId initiator = ParsePortId(line, _words[1], "initiator ");
        if (_remoteCopyPeers.Contains(initiator))
        {
            Fail(line, "remote-copy peer " + initiator + " is given twice");
        }

        _remoteCopyPeers.Add(initiator);
    }

    private void ParseRemoteCopyPath(int line)
    {
        if (_words.Count < 6 || _words[2] != "to" || _words[4] != "ports")
        {
            FailMissing(line, PathUsage);
        }

        PortId initiator = ParsePortId(line, _words[1], "initiator ");
        if (!IPEndPoint.TryParse(_words[3], out IPEndPoint? peer) || peer.Port == 0)
        {
            Fail(line, "'" + _words[3] + "' is not the secondary's ADDRESS:PORT, e.g. 127.0.0.1:3226");
        }

        List<PortId> ports = [];
        for (int i = 5; i < _words.Count; i++)
        {
            PortId port = ParsePortId(line, _words[i], "peer port ");
            if (ports.Contains(port) || _portLines.ContainsKey(port))
            {
                Fail(line, "peer port " + port + " is listed twice or is a port of this subsystem");
            }

            ports.Add(port);
        }

        foreach (RemoteCopyPathConfig other in _remoteCopyPaths)
        {
            if (other.Initiator == initiator)
            {
                Fail(line, "initiator " + initiator + " already has a remote-copy path (line " + other.Line + ")");
            }
        }

        _remoteCopyPaths.Add(new RemoteCopyPathConfig(initiator, peer!, ports, line));
    }
}
