// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using System.Text;
using Controller.Traces;
using Controller.Wire.CopyManagement;

namespace Controller.HostSim.CrashTest;

/// <summary>
/// The controller the crash test builds: one port, <c>luns</c> mirrored P-VOLs (LUN 0x0001 up, LDEV 00:01 up) with
/// their S-VOLs (LUN 0x0101 up, LDEV 01:01 up) declared as <c>pair</c> lines (the configuration's pairs are the
/// first start's only: later starts must bring them back from the kept state, never copy them again), all under
/// one mirror name, and one more P-VOL and S-VOL (LUN 0x0020 and 0x0120) that the initial-copy scenario pairs and
/// the round's end unpairs. A copy rate of eight volumes a second keeps a full copy about 125 ms long, so a kill
/// lands inside it.
/// </summary>
internal sealed class CrashTopology
{
    /// <summary>The target port.</summary>
    public const int PortId = 0x400104;

    /// <summary>The mirror name of the mirrored LUNs' pairs.</summary>
    public const string MirrorName = "CRASHSET";

    /// <summary>A full copy takes about 1 / this many seconds.</summary>
    public const int CopiesPerSecond = 8;

    private const ushort FreshLun = 0x0020;

    /// <summary>The command device's LUN on <see cref="PortId"/> (LDEV 0F:FE): the pair commands go there.</summary>
    public const ushort CommandDeviceLun = 0x00FE;

    /// <summary>Initializes a topology.</summary>
    /// <param name="luns">The mirrored LUNs.</param>
    /// <param name="capacityMib">Each LDEV's size, MiB.</param>
    public CrashTopology(int luns, int capacityMib)
    {
        CapacityMib = capacityMib;
        List<TraceVolume> pVols = [];
        List<TraceVolume> sVols = [];
        List<PairModel> mirrors = [];
        for (int i = 0; i < luns; i++)
        {
            TraceVolume pVol = new(PortId, (ushort)(i + 1));
            TraceVolume sVol = new(PortId, (ushort)(0x0101 + i));
            pVols.Add(pVol);
            sVols.Add(sVol);
            mirrors.Add(new PairModel(pVol + "=" + sVol, Wire(pVol, sVol), i));
        }

        TraceVolume freshP = new(PortId, FreshLun);
        TraceVolume freshS = new(PortId, (ushort)(FreshLun + 0x0100));
        pVols.Add(freshP);
        sVols.Add(freshS);
        Fresh = new PairModel(freshP + "=" + freshS + " (fresh)", Wire(freshP, freshS), luns);
        PVols = pVols;
        SVols = sVols;
        Mirrors = mirrors;
        AllPairs = [.. mirrors, Fresh];
    }

    /// <summary>Gets each LDEV's size, MiB.</summary>
    public int CapacityMib { get; }

    /// <summary>Gets the blocks of each LDEV.</summary>
    public long Blocks => CapacityMib * 2048L;

    /// <summary>Gets the P-VOLs written, by the ledger's volume index: the mirrored ones, then the fresh pair's.</summary>
    public IReadOnlyList<TraceVolume> PVols { get; }

    /// <summary>Gets the S-VOL of each P-VOL, in the same order.</summary>
    public IReadOnlyList<TraceVolume> SVols { get; }

    /// <summary>Gets the mirrored pairs (the configuration's, under <see cref="MirrorName"/>).</summary>
    public IReadOnlyList<PairModel> Mirrors { get; }

    /// <summary>Gets the fresh pair, made by the initial-copy scenario.</summary>
    public PairModel Fresh { get; }

    /// <summary>Gets every pair: the mirrors, then the fresh one.</summary>
    public IReadOnlyList<PairModel> AllPairs { get; }

    /// <summary>Gets the copy-rate line's value: <see cref="CopiesPerSecond"/> volumes a second.</summary>
    public string CopyRate => (CapacityMib * CopiesPerSecond).ToString(CultureInfo.InvariantCulture) + "MiB";

    /// <summary>Gets the full copy's expected time, microseconds (the copy rate is per copy).</summary>
    public double FullCopyMicroseconds => 1_000_000.0 / CopiesPerSecond;

    /// <summary>The configuration file's text.</summary>
    /// <param name="store">The store directory.</param>
    /// <param name="writeBack">The write policy.</param>
    /// <param name="swap">The determining-swap scenario's second subsystem, or null when that scenario does not run.</param>
    /// <returns>The text.</returns>
    public string Configuration(string store, bool writeBack, SwapTopology? swap = null)
    {
        StringBuilder text = new();
        text.Append("# Written by hostsim crash-test: its controller, its store. Do not edit while it runs.\n");
        if (swap is null)
        {
            text.Append("listen 127.0.0.1:0\n");
        }

        text.Append("store file \"").Append(store).Append("\" ").Append(writeBack ? "write-back" : "write-through").Append('\n');
        text.Append("copy-rate ").Append(CopyRate).Append('\n');
        text.Append(CultureInfo.InvariantCulture, $"port 0x{PortId:X6} open\n");
        text.Append(CultureInfo.InvariantCulture, $"ldev 0F:FE size 1MiB command-device\nlun 0x{PortId:X6} 0x{CommandDeviceLun:X4} 0F:FE\n");
        for (int i = 0; i < PVols.Count; i++)
        {
            string pLdev = Ldev(0, PVols[i].Lun & 0xFF);
            string sLdev = Ldev(1, SVols[i].Lun & 0xFF);
            text.Append(CultureInfo.InvariantCulture, $"ldev {pLdev} size {CapacityMib}MiB\nldev {sLdev} size {CapacityMib}MiB\n");
            text.Append(CultureInfo.InvariantCulture, $"lun 0x{PortId:X6} 0x{PVols[i].Lun:X4} {pLdev}\nlun 0x{PortId:X6} 0x{SVols[i].Lun:X4} {sLdev}\n");
        }

        foreach (PairModel mirror in Mirrors)
        {
            text.Append(CultureInfo.InvariantCulture, $"pair {PVols[mirror.Volume]} {SVols[mirror.Volume]}\n");
        }

        text.Append(swap?.Ss1Lines(CapacityMib));
        return text.ToString();
    }

    private static string Ldev(int cu, int ldev)
    {
        return cu.ToString("X2", CultureInfo.InvariantCulture) + ":" + ldev.ToString("X2", CultureInfo.InvariantCulture);
    }

    private static WirePair Wire(TraceVolume pVol, TraceVolume sVol)
    {
        return new WirePair(Pairs.PairClient.Wire(pVol), Pairs.PairClient.Wire(sVol));
    }
}
