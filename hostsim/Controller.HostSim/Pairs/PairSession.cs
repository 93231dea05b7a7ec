// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
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

    private const byte ReportLunsOpcode = 0xA0;
    private const int ReportLunsEntries = 256;
    private readonly EmbeddedController? _embedded;
    private readonly HostConnections _hosts;
    private readonly IPEndPoint? _target;
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

    /// <summary>Gets a client whose commands are addressed to a LUN (the command device).</summary>
    /// <param name="commandDevice">The LUN.</param>
    /// <returns>The client.</returns>
    public async Task<PairClient> ClientAsync(TraceVolume commandDevice)
    {
        return new PairClient(await _hosts.GetAsync(TraceImporter.DefaultInitiatorPortId, commandDevice.PortId).ConfigureAwait(false), commandDevice, posted: NotePosted);
    }

    /// <summary>
    /// Gets a client for a command that names no volume (PAIR STATUS, ATOMIC SPLIT BY NAME, a NAME MIRRORS that deletes
    /// a name): the command device given, or else the first LUN REPORT LUNS shows on the first of
    /// <see cref="KnownPorts"/> that accepts this host's login.
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

            ushort[] luns = await ReportLunsAsync(port, portId).ConfigureAwait(false);
            if (luns.Length > 0)
            {
                return new PairClient(port, new TraceVolume(portId, luns[0]), posted: NotePosted);
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

    // REPORT LUNS (SPC-4, select report 0) to the well-known LUN 0 of a port: the LUNs this host sees there.
    private static async Task<ushort[]> ReportLunsAsync(InitiatorPort port, int portId)
    {
        byte[] data = new byte[8 + (8 * ReportLunsEntries)];
        byte[] cdb = new byte[12];
        cdb[0] = ReportLunsOpcode;
        BinaryPrimitives.WriteUInt32BigEndian(cdb.AsSpan(6), (uint)data.Length);
        ScsiResult result = await port.ExecuteAsync(portId, 0, cdb, dataIn: data).ConfigureAwait(false);
        if (!result.IsGood || result.DataInLength < 8)
        {
            throw new InitiatorException("REPORT LUNS on port 0x" + Hex(portId) + " failed: " + result);
        }

        int count = (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(data) / 8, (uint)((result.DataInLength - 8) / 8));
        ushort[] luns = new ushort[count];
        for (int i = 0; i < count; i++)
        {
            // Peripheral (0x00) or flat space (0x40) addressing: the LUN is the low 14 bits of the first two bytes.
            luns[i] = (ushort)(((data[8 + (8 * i)] & 0x3F) << 8) | data[9 + (8 * i)]);
        }

        return luns;
    }

    private static string Hex(int portId)
    {
        return portId.ToString("X6", CultureInfo.InvariantCulture);
    }
}
