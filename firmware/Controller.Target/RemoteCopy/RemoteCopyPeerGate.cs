// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Net;
using System.Security.Cryptography;
using Controller.Addressing;
using Controller.Wire.RemoteCopy;

namespace Controller.Target.RemoteCopy;

/// <summary>
/// Decides, for one connection, whether its initiator is admitted as a remote-copy peer (docs/remote-copy.md, "Peer
/// authentication"): a configured peer ID, from its configured source address if one is given, that has answered
/// this connection's RC AUTHENTICATE challenge when the peer has a key. Used on the connection's frame reader only.
/// </summary>
internal sealed class RemoteCopyPeerGate
{
    private readonly TargetOptions _options;
    private readonly IPAddress? _address;
    private byte[]? _challenge;
    private bool _authenticated;

    /// <param name="options">The port front's options (peers, keys, addresses).</param>
    /// <param name="peer">The connection's peer name: "ADDRESS:PORT" over TCP, anything else in process.</param>
    public RemoteCopyPeerGate(TargetOptions options, string peer)
    {
        _options = options;
        _address = IPEndPoint.TryParse(peer, out IPEndPoint? endPoint) ? endPoint.Address : null;
    }

    /// <summary>Tells whether an initiator is configured as a peer at all (RC AUTHENTICATE is answered only then).</summary>
    public bool IsConfigured(PortId initiator)
    {
        return _options.RemoteCopyPeers.Contains(initiator);
    }

    /// <summary>Tells whether the connection's remote-copy commands from an initiator are taken.</summary>
    public bool Admits(PortId initiator)
    {
        return WhyNot(initiator) is null;
    }

    /// <summary>Says why an initiator's remote-copy commands are refused here, or null when they are taken.</summary>
    public string? WhyNot(PortId initiator)
    {
        if (!IsConfigured(initiator))
        {
            return "it is not a remote-copy peer of this subsystem";
        }

        if (_options.RemoteCopyPeerAddresses.TryGetValue(initiator, out IPAddress? from) && !Same(from, _address))
        {
            return "it connected from " + (_address?.ToString() ?? "an unknown address") + ", not from " + from + " as configured";
        }

        return _options.RemoteCopyPeerKeys.ContainsKey(initiator) && !_authenticated
            ? "it has not authenticated (RC AUTHENTICATE with the peer's key) on this connection"
            : null;
    }

    /// <summary>Makes a fresh challenge for this connection (step 1); a new one replaces the old.</summary>
    public byte[] NewChallenge()
    {
        _challenge = RandomNumberGenerator.GetBytes(RemoteCopyAuthentication.ChallengeLength);
        return _challenge;
    }

    /// <summary>Checks step 2's answer; the challenge is used up either way.</summary>
    /// <param name="initiator">The S_ID.</param>
    /// <param name="target">The D_ID.</param>
    /// <param name="response">The nonce and proof.</param>
    /// <param name="reason">Why not.</param>
    /// <returns>True when the peer proved it holds the key.</returns>
    public bool TryAuthenticate(PortId initiator, PortId target, ReadOnlySpan<byte> response, out string reason)
    {
        byte[]? challenge = _challenge;
        _challenge = null;
        if (!_options.RemoteCopyPeerKeys.TryGetValue(initiator, out byte[]? key))
        {
            reason = "no key is configured for remote-copy peer 0x" + initiator.ToString("X6", System.Globalization.CultureInfo.InvariantCulture);
            return false;
        }

        if (challenge is null)
        {
            reason = "RC AUTHENTICATE step 2 without a challenge (step 1) before it on this connection";
            return false;
        }

        if (!RemoteCopyAuthentication.Verify(key, challenge, response, initiator, target))
        {
            reason = "the proof does not match the key configured for remote-copy peer 0x" + initiator.ToString("X6", System.Globalization.CultureInfo.InvariantCulture);
            return false;
        }

        _authenticated = true;
        reason = string.Empty;
        return true;
    }

    private static bool Same(IPAddress configured, IPAddress? actual)
    {
        return actual is not null && (configured.Equals(actual) || (actual.IsIPv4MappedToIPv6 && configured.Equals(actual.MapToIPv4())));
    }
}
