// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using System.Net;
using System.Text;
using Controller.Traces;
using Controller.Wire.CopyManagement;

namespace Controller.HostSim.CrashTest;

/// <summary>
/// The second subsystem of the determining-swap scenario: SS2, a controllerd of its own (its configuration, store and
/// log in DIR/ss2), joined to the crash test's controller (SS1) both ways as docs/controllerd-ss1.conf and -ss2.conf
/// join theirs. SS1 holds the determining pair's P-VOL (LUN 0x0030 of port 0x400104, LDEV 00:30), SS2 its S-VOL (LUN
/// 0x0030 of port 0x421014). Both listen on fixed loopback ports chosen once, because each names the other's address
/// in its <c>remote-copy-path</c> line and a restart must find its peer where it was.
/// </summary>
internal sealed class SwapTopology
{
    /// <summary>SS2's target port.</summary>
    public const int Ss2PortId = 0x421014;

    /// <summary>SS1's remote-copy initiator (its update copies and its pair control to SS2).</summary>
    public const int Ss1Initiator = 0x400200;

    /// <summary>SS2's remote-copy initiator (commands sent to S-VOLs at SS2 go to the owner this way; after a swap, its update copies).</summary>
    public const int Ss2Initiator = 0x421200;

    private const ushort Lun = 0x0030;

    /// <summary>Initializes the topology on two free loopback ports.</summary>
    /// <param name="ss1">SS1's FCIP listener.</param>
    /// <param name="ss2">SS2's FCIP listener.</param>
    public SwapTopology(IPEndPoint ss1, IPEndPoint ss2)
    {
        Ss1 = ss1;
        Ss2 = ss2;
        Ss1Volume = new TraceVolume(CrashTopology.PortId, Lun);
        Ss2Volume = new TraceVolume(Ss2PortId, Lun);
    }

    /// <summary>Gets or sets the key file both links prove themselves with (the crash test writes a fresh one per run).</summary>
    public string KeyFile { get; set; } = "remote-copy.key";

    /// <summary>Gets SS1's listener.</summary>
    public IPEndPoint Ss1 { get; }

    /// <summary>Gets SS2's listener.</summary>
    public IPEndPoint Ss2 { get; }

    /// <summary>Gets the determining pair's volume at SS1 (its P-VOL when the pair is made; the S-VOL after a swap).</summary>
    public TraceVolume Ss1Volume { get; }

    /// <summary>Gets the determining pair's volume at SS2.</summary>
    public TraceVolume Ss2Volume { get; }

    /// <summary>Gets the pair as it is made: SS1's volume the P-VOL.</summary>
    public WirePair Made => new(Pairs.PairClient.Wire(Ss1Volume), Pairs.PairClient.Wire(Ss2Volume));

    /// <summary>Gets the pair after a swap resync: SS2's volume the P-VOL.</summary>
    public WirePair Swapped => new(Pairs.PairClient.Wire(Ss2Volume), Pairs.PairClient.Wire(Ss1Volume));

    /// <summary>Two free loopback ports.</summary>
    /// <returns>The topology.</returns>
    public static SwapTopology OnFreePorts()
    {
        // Both probes held open together, so the two ports differ.
        using System.Net.Sockets.TcpListener one = new(IPAddress.Loopback, 0);
        using System.Net.Sockets.TcpListener two = new(IPAddress.Loopback, 0);
        one.Start();
        two.Start();
        return new SwapTopology((IPEndPoint)one.LocalEndpoint, (IPEndPoint)two.LocalEndpoint);
    }

    /// <summary>The lines SS1's configuration gets: its fixed listener, its serial, the link both ways, the volume.</summary>
    /// <param name="capacityMib">The LDEV's size, MiB.</param>
    /// <returns>The text.</returns>
    public string Ss1Lines(int capacityMib)
    {
        StringBuilder text = new();
        text.Append(CultureInfo.InvariantCulture, $"listen {Ss1}\nserial 1\n");
        text.Append(CultureInfo.InvariantCulture, $"remote-copy-peer 0x{Ss2Initiator:X6} key \"{KeyFile}\"\n");
        text.Append(CultureInfo.InvariantCulture, $"remote-copy-path 0x{Ss1Initiator:X6} to {Ss2} ports 0x{Ss2PortId:X6} key \"{KeyFile}\"\n");
        text.Append(CultureInfo.InvariantCulture, $"ldev 00:30 size {capacityMib}MiB\nlun 0x{CrashTopology.PortId:X6} 0x{Lun:X4} 00:30\n");
        return text.ToString();
    }

    /// <summary>SS2's configuration file's text.</summary>
    /// <param name="store">Its store directory.</param>
    /// <param name="writeBack">The write policy.</param>
    /// <param name="capacityMib">The LDEV's size, MiB.</param>
    /// <param name="copyRate">The copy rate line's value, e.g. "32MiB" (the same as SS1's, so a swap's copy back takes as long).</param>
    /// <returns>The text.</returns>
    public string Ss2Configuration(string store, bool writeBack, int capacityMib, string copyRate)
    {
        StringBuilder text = new();
        text.Append("# Written by hostsim crash-test: SS2 of its determining-swap scenario. Do not edit while it runs.\n");
        text.Append(CultureInfo.InvariantCulture, $"listen {Ss2}\nserial 2\n");
        text.Append("store file \"").Append(store).Append("\" ").Append(writeBack ? "write-back" : "write-through").Append('\n');
        text.Append("copy-rate ").Append(copyRate).Append('\n');
        text.Append(CultureInfo.InvariantCulture, $"remote-copy-peer 0x{Ss1Initiator:X6} key \"{KeyFile}\"\n");
        text.Append(CultureInfo.InvariantCulture, $"remote-copy-path 0x{Ss2Initiator:X6} to {Ss1} ports 0x{CrashTopology.PortId:X6} key \"{KeyFile}\"\n");
        text.Append(CultureInfo.InvariantCulture, $"port 0x{Ss2PortId:X6} open\nldev 0F:FE size 1MiB command-device\nlun 0x{Ss2PortId:X6} 0x{CrashTopology.CommandDeviceLun:X4} 0F:FE\n");
        text.Append(CultureInfo.InvariantCulture, $"ldev 00:30 size {capacityMib}MiB\nlun 0x{Ss2PortId:X6} 0x{Lun:X4} 00:30\n");
        return text.ToString();
    }
}
