// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Net;
using Controller.HostSim.Hosts;
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

    private readonly EmbeddedController? _embedded;
    private readonly HostConnections _hosts;

    private PairSession(EmbeddedController? embedded, HostConnections hosts)
    {
        _embedded = embedded;
        _hosts = hosts;
    }

    /// <summary>Gets where the commands go, for reports.</summary>
    public string Description => _hosts.Description + (_embedded is null ? string.Empty : ", FIG 7 volumes");

    /// <summary>Opens a session.</summary>
    /// <param name="target">controllerd's address, or null for an embedded controller.</param>
    /// <returns>The session.</returns>
    public static PairSession Open(IPEndPoint? target)
    {
        if (target is not null)
        {
            return new PairSession(null, HostConnections.ToRemote(target));
        }

        List<(TraceVolume, long)> volumes = [];
        foreach (TraceVolume volume in Fig7Volumes)
        {
            volumes.Add((volume, EmbeddedController.DefaultBlocks));
        }

        EmbeddedController embedded = EmbeddedController.Create(volumes);
        return new PairSession(embedded, HostConnections.ToEmbedded(embedded));
    }

    /// <summary>Gets a client whose commands are addressed to a LUN (the command device).</summary>
    /// <param name="commandDevice">The LUN.</param>
    /// <returns>The client.</returns>
    public async Task<PairClient> ClientAsync(TraceVolume commandDevice)
    {
        return new PairClient(await _hosts.GetAsync(TraceImporter.DefaultInitiatorPortId, commandDevice.PortId).ConfigureAwait(false), commandDevice);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _hosts.DisposeAsync().ConfigureAwait(false);
        _embedded?.Dispose();
    }
}
