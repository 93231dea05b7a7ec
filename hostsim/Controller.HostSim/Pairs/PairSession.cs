// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using System.Net;
using Controller.HostSim.Hosts;
using Controller.Initiator;
using Controller.Traces;

namespace Controller.HostSim.Pairs;

/// <summary>
/// The controller <c>hostsim pair</c> talks to, for one command or a whole script: controllerd (<c>--target</c>), or an
/// embedded controller with the FIG 7 volumes (ports 0x400104 with LUNs 0x0001-0x0004 and 0x421014 with LUN 0x0005,
/// 1 GiB each, no pairs yet), which lives as long as the session.
/// </summary>
internal sealed class PairSession : IAsyncDisposable
{
    /// <summary>The FIG 7 volumes of the embedded controller.</summary>
    public static readonly TraceVolume[] Fig7Volumes =
    [
        new(0x400104, 0x0001), new(0x400104, 0x0002), new(0x400104, 0x0003), new(0x400104, 0x0004), new(0x421014, 0x0005),
    ];

    /// <summary>
    /// The target ports a command device is looked for on when none is given: 0x400104 (the FIG 7 port of the
    /// embedded controller, docs/controllerd.conf and SS1's docs/controllerd-ss1.conf) and 0x421014 (SS2's). FC has
    /// no way to ask a controller for its ports without a fabric name server, which controllerd does not run.
    /// </summary>
    public static readonly int[] KnownPorts = [0x400104, 0x421014];

    private readonly EmbeddedController? _embedded;
    private readonly HostConnections _hosts;
    private readonly IPEndPoint? _target;
    private readonly Dictionary<int, ushort?> _commandDevices = [];
    private long _posted;

    private PairSession(EmbeddedController? embedded, HostConnections hosts, IPEndPoint? target)
    {
        _embedded = embedded;
        _hosts = hosts;
        _target = target;
    }

    /// <summary>Gets the number of copy-management commands this session has posted to its connections so far.</summary>
    public long CommandsPosted => Interlocked.Read(ref _posted);

    /// <summary>Gets where the commands go, for reports.</summary>
    public string Description => _hosts.Description + (_embedded is null ? string.Empty : ", FIG 7 volumes");

    /// <summary>Opens a session.</summary>
    /// <param name="target">controllerd's address, or null for an embedded controller.</param>
    /// <returns>The session.</returns>
    public static PairSession Open(IPEndPoint? target)
    {
        if (target is not null)
        {
            return new PairSession(null, HostConnections.ToRemote(target), target);
        }

        List<(TraceVolume, long)> volumes = [];
        foreach (TraceVolume volume in Fig7Volumes)
        {
            volumes.Add((volume, EmbeddedController.DefaultBlocks));
        }

        EmbeddedController embedded = EmbeddedController.Create(volumes);
        return new PairSession(embedded, HostConnections.ToEmbedded(embedded), null);
    }

    private void NotePosted()
    {
        Interlocked.Increment(ref _posted);
    }

    /// <summary>
    /// Gets a client for commands about a volume: sent through the volume's port to the first command device this
    /// host sees there (INQUIRY product "...-CM", as controllerd marks its <c>command-device</c> LDEVs), or to the
    /// volume's own LUN when the port shows none (an embedded controller, where every LUN takes them).
    /// </summary>
    /// <param name="volume">The volume (its port is the one used).</param>
    /// <returns>The client.</returns>
    public async Task<PairClient> ClientAsync(TraceVolume volume)
    {
        InitiatorPort port = await _hosts.GetAsync(TraceImporter.DefaultInitiatorPortId, volume.PortId).ConfigureAwait(false);
        ushort? device = await CommandDeviceOnAsync(port, volume.PortId).ConfigureAwait(false);
        return new PairClient(port, device is ushort lun ? new TraceVolume(volume.PortId, lun) : volume, posted: NotePosted, findCommandDevice: false);
    }

    private async Task<ushort?> CommandDeviceOnAsync(InitiatorPort port, int portId)
    {
        if (!_commandDevices.TryGetValue(portId, out ushort? lun))
        {
            lun = await CommandDeviceFinder.FindAsync(port, portId).ConfigureAwait(false);
            _commandDevices[portId] = lun;
        }

        return lun;
    }

    /// <summary>
    /// Gets a client for a command that names no volume (PAIR STATUS, ATOMIC SPLIT BY NAME, a NAME MIRRORS that deletes
    /// a name): the command device given, or else the first command device (else the first LUN) REPORT LUNS shows on
    /// the first of <see cref="KnownPorts"/> that accepts this host's login.
    /// </summary>
    /// <param name="given">The <c>--command-device</c>, or null to look for one.</param>
    /// <returns>The client.</returns>
    /// <exception cref="InitiatorException">No known port accepts the login or shows a LUN: the message says what to pass.</exception>
    public async Task<PairClient> CommandDeviceAsync(TraceVolume? given)
    {
        if (given is TraceVolume device)
        {
            return await ClientAsync(device).ConfigureAwait(false);
        }

        List<string> tried = [];
        foreach (int portId in KnownPorts)
        {
            InitiatorPort port;
            try
            {
                port = await _hosts.GetAsync(TraceImporter.DefaultInitiatorPortId, portId).ConfigureAwait(false);
            }
            catch (InitiatorException refused)
            {
                tried.Add(refused.Message);
                continue;
            }

            if (await CommandDeviceOnAsync(port, portId).ConfigureAwait(false) is ushort found)
            {
                return new PairClient(port, new TraceVolume(portId, found), posted: NotePosted, findCommandDevice: false);
            }

            ushort[] luns = await CommandDeviceFinder.ReportLunsAsync(port, portId).ConfigureAwait(false);
            if (luns.Length > 0)
            {
                return new PairClient(port, new TraceVolume(portId, luns[0]), posted: NotePosted, findCommandDevice: false);
            }

            tried.Add("REPORT LUNS on port 0x" + Hex(portId) + " shows no LUN to initiator 0x" + Hex(TraceImporter.DefaultInitiatorPortId));
        }

        throw new InitiatorException("no command device found (" + string.Join("; ", tried) + "): pass --command-device PORT-ID,LUN, a port and LUN of the controller's configuration (its 'lun' lines), e.g. --command-device 0x421014,0x0001 for docs/controllerd-ss2.conf");
    }

    /// <summary>Says what a refused login means for a command addressed to a volume, and what to pass instead.</summary>
    /// <param name="volume">The volume the command was addressed to.</param>
    /// <param name="hint">What to do about it.</param>
    /// <param name="refused">The login's failure.</param>
    /// <returns>The failure to report.</returns>
    public InitiatorException NoSuchPort(TraceVolume volume, string hint, InitiatorException refused)
    {
        ArgumentNullException.ThrowIfNull(refused);
        return new InitiatorException(refused.Message + ": the controller" + (_target is null ? string.Empty : " at " + _target) + " has no port 0x" + Hex(volume.PortId) + "; " + hint, refused);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _hosts.DisposeAsync().ConfigureAwait(false);
        _embedded?.Dispose();
    }

    private static string Hex(int portId)
    {
        return portId.ToString("X6", CultureInfo.InvariantCulture);
    }
}
