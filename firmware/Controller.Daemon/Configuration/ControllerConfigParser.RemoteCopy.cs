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
    private const string PeerUsage = "remote-copy-peer INITIATOR-PORT-ID key FILE [from ADDRESS]";
    private const string PathUsage = "remote-copy-path INITIATOR-PORT-ID to ADDRESS:PORT ports PORT-ID... key FILE";

    private readonly List<PortId> _remoteCopyPeers = [];
    private readonly Dictionary<PortId, byte[]> _remoteCopyPeerKeys = [];
    private readonly Dictionary<PortId, IPAddress> _remoteCopyPeerAddresses = [];
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
        // remote-copy-peer ID key FILE [from ADDRESS]: a peer proves itself with the key (docs/remote-copy.md).
        if (_words.Count < 4)
        {
            Fail(line, "'remote-copy-peer' needs the peer's key, which it proves it holds before its remote-copy commands are taken; expected: " + PeerUsage);
        }

        PortId initiator = ParsePortId(line, _words[1], "initiator ");
        if (_remoteCopyPeers.Contains(initiator))
        {
            Fail(line, "remote-copy peer " + initiator + " is given twice");
        }

        if (_words[2] != "key")
        {
            Fail(line, "expected 'key FILE' after the peer's initiator port ID, not '" + _words[2] + "'; expected: " + PeerUsage);
        }

        _remoteCopyPeerKeys.Add(initiator, ReadKeyFile(line, _words[3]));
        if (_words.Count > 4)
        {
            if (_words.Count != 6 || _words[4] != "from")
            {
                Fail(line, "expected 'from ADDRESS' or nothing after the key file, not '" + string.Join(' ', _words.Skip(4)) + "'; expected: " + PeerUsage);
            }

            if (!IPAddress.TryParse(_words[5], out IPAddress? from))
            {
                Fail(line, "'" + _words[5] + "' is not an IP address (the peer's source address)");
            }

            _remoteCopyPeerAddresses.Add(initiator, from!);
        }

        _remoteCopyPeers.Add(initiator);
    }

    // A key file holds the shared secret as text (e.g. base64 of 32 random bytes); surrounding whitespace is not part of it.
    private byte[] ReadKeyFile(int line, string word)
    {
        string path;
        string text;
        try
        {
            path = Path.GetFullPath(word, _baseDirectory);
            text = File.ReadAllText(path).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            Fail(line, "cannot read the key file '" + word + "': " + ex.Message);
            throw;
        }

        byte[] key = System.Text.Encoding.UTF8.GetBytes(text);
        if (key.Length < Controller.Wire.RemoteCopy.RemoteCopyAuthentication.MinimumKeyLength)
        {
            Fail(line, "the key in '" + word + "' has " + key.Length + " bytes; a key has at least " + Controller.Wire.RemoteCopy.RemoteCopyAuthentication.MinimumKeyLength + " (e.g. head -c 32 /dev/urandom | base64 > " + Path.GetFileName(path) + ")");
        }

        return key;
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

        int keyAt = _words.IndexOf("key");
        if (keyAt < 0 || keyAt != _words.Count - 2)
        {
            Fail(line, "'remote-copy-path' needs 'key FILE' at its end: the key the secondary's 'remote-copy-peer' line has; expected: " + PathUsage);
        }

        byte[] key = ReadKeyFile(line, _words[keyAt + 1]);
        List<PortId> ports = [];
        for (int i = 5; i < keyAt; i++)
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

        if (ports.Count == 0)
        {
            FailMissing(line, PathUsage);
        }

        _remoteCopyPaths.Add(new RemoteCopyPathConfig(initiator, peer!, ports, line) { Key = key });
    }
}
