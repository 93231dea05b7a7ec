// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using System.Net;
using Controller.Addressing;

namespace Controller.Daemon.Configuration;

/// <summary>
/// The two-subsystem statements (docs/controllerd.md): <c>serial N</c>, <c>remote-copy-peer INITIATOR</c> (this
/// subsystem is a secondary of that primary's path) and <c>remote-copy-path INITIATOR to ADDRESS:PORT ports
/// PORT-ID...</c> (this subsystem is a primary: its initiator port connects to the secondary's listener). Read for
/// <see cref="ControllerConfigParser"/>, through the same <see cref="ConfigStatement"/>.
/// </summary>
internal sealed class RemoteCopyConfigParser
{
    private const string SerialUsage = "serial NUMBER";
    private const string PeerUsage = "remote-copy-peer INITIATOR-PORT-ID key FILE [from ADDRESS]";
    private const string PathUsage = "remote-copy-path INITIATOR-PORT-ID to ADDRESS:PORT ports PORT-ID... key FILE";

    private readonly List<PortId> _remoteCopyPeers = [];
    private readonly Dictionary<PortId, byte[]> _remoteCopyPeerKeys = [];
    private readonly Dictionary<PortId, IPAddress> _remoteCopyPeerAddresses = [];
    private readonly List<RemoteCopyPathConfig> _remoteCopyPaths = [];
    private readonly ConfigStatement _statement;
    private readonly List<string> _words;
    private readonly string _baseDirectory;
    private readonly IReadOnlyDictionary<PortId, int> _portLines;
    private int _serial = 1;
    private int _serialLine;

    /// <summary>Initializes the remote-copy statements of one file.</summary>
    /// <param name="statement">The line being read, shared with the declarations' parser.</param>
    /// <param name="baseDirectory">The configuration file's directory: a relative key file is taken relative to it.</param>
    /// <param name="portLines">The ports of this subsystem declared so far (a path's peer ports must not be among them).</param>
    public RemoteCopyConfigParser(ConfigStatement statement, string baseDirectory, IReadOnlyDictionary<PortId, int> portLines)
    {
        _statement = statement;
        _words = statement.Words;
        _baseDirectory = baseDirectory;
        _portLines = portLines;
    }

    /// <summary>Gets the subsystem's serial number (1 when not given).</summary>
    public int Serial => _serial;

    /// <summary>Gets the remote-copy peers, in file order.</summary>
    public IReadOnlyList<PortId> Peers => _remoteCopyPeers;

    /// <summary>Gets the peers' keys.</summary>
    public IReadOnlyDictionary<PortId, byte[]> PeerKeys => _remoteCopyPeerKeys;

    /// <summary>Gets the peers' required source addresses, where given.</summary>
    public IReadOnlyDictionary<PortId, IPAddress> PeerAddresses => _remoteCopyPeerAddresses;

    /// <summary>Gets the remote-copy paths, in file order.</summary>
    public IReadOnlyList<RemoteCopyPathConfig> Paths => _remoteCopyPaths;

    /// <summary>Parses the line (its keyword is this statement's).</summary>
    /// <param name="line">The line number.</param>
    public void ParseSerial(int line)
    {
        _statement.ExpectWordCount(line, 2, SerialUsage);
        _statement.SetOnce(line, ref _serialLine);
        if (!int.TryParse(_words[1], NumberStyles.None, CultureInfo.InvariantCulture, out _serial) || _serial is < 1 or > 65535)
        {
            _statement.Fail(line, "serial '" + _words[1] + "' is not a number from 1 to 65535");
        }
    }

    /// <summary>Parses the line (its keyword is this statement's).</summary>
    /// <param name="line">The line number.</param>
    public void ParseRemoteCopyPeer(int line)
    {
        // remote-copy-peer ID key FILE [from ADDRESS]: a peer proves itself with the key (docs/remote-copy.md).
        if (_words.Count < 4)
        {
            _statement.Fail(line, "'remote-copy-peer' needs the peer's key, which it proves it holds before its remote-copy commands are taken; expected: " + PeerUsage);
        }

        PortId initiator = _statement.ParsePortId(line, _words[1], "initiator ");
        if (_remoteCopyPeers.Contains(initiator))
        {
            _statement.Fail(line, "remote-copy peer " + initiator + " is given twice");
        }

        if (_words[2] != "key")
        {
            _statement.Fail(line, "expected 'key FILE' after the peer's initiator port ID, not '" + _words[2] + "'; expected: " + PeerUsage);
        }

        _remoteCopyPeerKeys.Add(initiator, ReadKeyFile(line, _words[3]));
        if (_words.Count > 4)
        {
            if (_words.Count != 6 || _words[4] != "from")
            {
                _statement.Fail(line, "expected 'from ADDRESS' or nothing after the key file, not '" + string.Join(' ', _words.Skip(4)) + "'; expected: " + PeerUsage);
            }

            if (!IPAddress.TryParse(_words[5], out IPAddress? from))
            {
                _statement.Fail(line, "'" + _words[5] + "' is not an IP address (the peer's source address)");
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
            _statement.Fail(line, "cannot read the key file '" + word + "': " + ex.Message);
            throw;
        }

        byte[] key = System.Text.Encoding.UTF8.GetBytes(text);
        if (key.Length < Controller.Wire.RemoteCopy.RemoteCopyAuthentication.MinimumKeyLength)
        {
            _statement.Fail(line, "the key in '" + word + "' has " + key.Length + " bytes; a key has at least " + Controller.Wire.RemoteCopy.RemoteCopyAuthentication.MinimumKeyLength + " (e.g. head -c 32 /dev/urandom | base64 > " + Path.GetFileName(path) + ")");
        }

        return key;
    }

    /// <summary>Parses the line (its keyword is this statement's).</summary>
    /// <param name="line">The line number.</param>
    public void ParseRemoteCopyPath(int line)
    {
        if (_words.Count < 6 || _words[2] != "to" || _words[4] != "ports")
        {
            _statement.FailMissing(line, PathUsage);
        }

        PortId initiator = _statement.ParsePortId(line, _words[1], "initiator ");
        if (!IPEndPoint.TryParse(_words[3], out IPEndPoint? peer) || peer.Port == 0)
        {
            _statement.Fail(line, "'" + _words[3] + "' is not the secondary's ADDRESS:PORT, e.g. 127.0.0.1:3226");
        }

        int keyAt = _words.IndexOf("key");
        if (keyAt < 0 || keyAt != _words.Count - 2)
        {
            _statement.Fail(line, "'remote-copy-path' needs 'key FILE' at its end: the key the secondary's 'remote-copy-peer' line has; expected: " + PathUsage);
        }

        byte[] key = ReadKeyFile(line, _words[keyAt + 1]);
        List<PortId> ports = [];
        for (int i = 5; i < keyAt; i++)
        {
            PortId port = _statement.ParsePortId(line, _words[i], "peer port ");
            if (ports.Contains(port) || _portLines.ContainsKey(port))
            {
                _statement.Fail(line, "peer port " + port + " is listed twice or is a port of this subsystem");
            }

            ports.Add(port);
        }

        foreach (RemoteCopyPathConfig other in _remoteCopyPaths)
        {
            if (other.Initiator == initiator)
            {
                _statement.Fail(line, "initiator " + initiator + " already has a remote-copy path (line " + other.Line + ")");
            }
        }

        if (ports.Count == 0)
        {
            _statement.FailMissing(line, PathUsage);
        }

        _remoteCopyPaths.Add(new RemoteCopyPathConfig(initiator, peer!, ports, line) { Key = key });
    }
}
