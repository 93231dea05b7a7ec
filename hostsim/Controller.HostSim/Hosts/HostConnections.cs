// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Net;
using Controller.Initiator;
using Controller.Target;
using Controller.Wire.Transport;

namespace Controller.HostSim.Hosts;

/// <summary>
/// The hosts of a run and their connections to one controller, embedded or remote: one initiator port (one
/// connection) per host port ID, logged in to each target port on first use. An optional tap sees every frame of
/// every connection, both ways, in one global order (a pcap recording).
/// </summary>
internal sealed class HostConnections : IAsyncDisposable
{
    private readonly ControllerFrontEnd? _embedded;
    private readonly IPEndPoint? _remote;
    private readonly IFrameTap? _tap;
    private readonly bool _firstBurst;
    private readonly Dictionary<int, InitiatorPort> _ports = [];
    private readonly HashSet<(int Initiator, int Target)> _logins = [];

    private HostConnections(ControllerFrontEnd? embedded, IPEndPoint? remote, IFrameTap? tap, bool firstBurst)
    {
        _embedded = embedded;
        _remote = remote;
        _tap = tap;
        _firstBurst = firstBurst;
    }

    /// <summary>Gets where the hosts connect, for reports.</summary>
    public string Description => _remote is null ? "embedded controller (in-process FC frames)" : "controller at " + _remote;

    /// <summary>Hosts of an embedded controller.</summary>
    /// <param name="controller">The controller.</param>
    /// <param name="tap">Sees every frame, or null.</param>
    /// <param name="firstBurst">Ask each target port for first burst at login.</param>
    /// <returns>The connections (none made yet).</returns>
    public static HostConnections ToEmbedded(EmbeddedController controller, IFrameTap? tap = null, bool firstBurst = false)
    {
        return new HostConnections(controller.FrontEnd, null, tap, firstBurst);
    }

    /// <summary>Hosts of a port front in this process (the demo's controller).</summary>
    /// <param name="frontEnd">The port front.</param>
    /// <param name="tap">Sees every frame, or null.</param>
    /// <returns>The connections (none made yet).</returns>
    public static HostConnections ToFrontEnd(ControllerFrontEnd frontEnd, IFrameTap? tap = null)
    {
        return new HostConnections(frontEnd, null, tap, firstBurst: false);
    }

    /// <summary>Hosts of a controller over TCP (controllerd).</summary>
    /// <param name="endPoint">Its FCIP listener.</param>
    /// <param name="tap">Sees every frame, or null.</param>
    /// <param name="firstBurst">Ask each target port for first burst at login.</param>
    /// <returns>The connections (none made yet).</returns>
    public static HostConnections ToRemote(IPEndPoint endPoint, IFrameTap? tap = null, bool firstBurst = false)
    {
        return new HostConnections(null, endPoint, tap, firstBurst);
    }

    /// <summary>Gets the initiator port of a host, connected and logged in to a target port.</summary>
    /// <param name="initiatorPortId">The host's port ID.</param>
    /// <param name="targetPortId">The target port it will address.</param>
    /// <returns>The initiator port.</returns>
    /// <exception cref="InitiatorException">The login was refused.</exception>
    /// <exception cref="System.Net.Sockets.SocketException">The controller cannot be reached.</exception>
    public async Task<InitiatorPort> GetAsync(int initiatorPortId, int targetPortId)
    {
        if (!_ports.TryGetValue(initiatorPortId, out InitiatorPort? port))
        {
            port = _remote is IPEndPoint endPoint
                ? await InitiatorPort.ConnectAsync(endPoint, initiatorPortId, _tap).ConfigureAwait(false)
                : new InitiatorPort(InProcessLink.Connect(_embedded!, "host 0x" + initiatorPortId.ToString("X6", System.Globalization.CultureInfo.InvariantCulture)).Initiator, initiatorPortId, _tap);
            _ports[initiatorPortId] = port;
        }

        if (_logins.Add((initiatorPortId, targetPortId)))
        {
            try
            {
                await port.LoginAsync(targetPortId, _firstBurst).ConfigureAwait(false);
            }
            catch (InitiatorException)
            {
                // Not logged in: a later call may try again (or another port: a refused PLOGI leaves the connection usable).
                _logins.Remove((initiatorPortId, targetPortId));
                throw;
            }
        }

        return port;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        foreach (InitiatorPort port in _ports.Values)
        {
            await port.DisposeAsync().ConfigureAwait(false);
        }

        _ports.Clear();
    }
}
