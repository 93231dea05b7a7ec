// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics;
using Controller.Firmware.PairVocabulary;
using Controller.HostSim.Pairs;
using Controller.HostSim.Workloads;
using Controller.Initiator;
using Controller.Traces;
using Controller.Wire.CopyManagement;
using Controller.Wire.Scsi;
using Controller.Workload;

namespace Controller.HostSim.AuxSystem;

/// <summary>
/// Seed 000 FIG 5, creating an auxiliary (test) system from a production one, every step a SCSI command in FC
/// frames (R0-33): daily operation LV1 -> LV2 (remote); LV1 -> LV3 in SS1 and LV2 -> LV4 in SS2 (the cascade, only
/// once LV1 -> LV2 is in PAIR); wait for PAIR; name the set at SS1; one ATOMIC SPLIT BY NAME at SS1 under dependent
/// production writes; the new remote mirrors LV3 -> LV4 without copy; the auxiliary host writes LV3 and its writes
/// reach LV4, while production writes reach LV2 and never LV3 or LV4. Each image is checked by the consistency
/// oracle, LV3 against LV4 block for block (G3).
/// </summary>
internal sealed class AuxSystemScenario
{
    /// <summary>The mirror name of the production mirrors LV1 -> LV2 (owned by this scenario: a rerun deletes them).</summary>
    public const string ProductionName = "AUXSYS";

    /// <summary>The mirror name of the set the atomic split cuts: LV1 -> LV3 and LV2 -> LV4.</summary>
    public const string SetName = "AUXSET";

    /// <summary>The mirror name of the auxiliary system's own remote mirrors LV3 -> LV4.</summary>
    public const string AuxiliaryName = "AUXSYS-NEW";

    public const int ProductionHost = 0x010200;
    public const int StandbyHost = 0x010300;
    public const int AuxiliaryHost = 0x010400;
    private const int ChainsPerVolume = 2;
    private const int BlocksPerWrite = 8;
    private const int SlotsPerChain = 16;
    private static readonly TimeSpan s_patience = TimeSpan.FromMinutes(2);

    private readonly AuxSystemSite _site;
    private readonly int _volumes;
    private readonly AtomicSplitMechanism _mechanism;
    private readonly int _writes;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<AuxSystemStep> _steps = [];

    public AuxSystemScenario(AuxSystemSite site, int volumes, AtomicSplitMechanism mechanism, int writes)
    {
        _site = site;
        _volumes = volumes;
        _mechanism = mechanism;
        _writes = writes;
    }

    /// <summary>Gets the capacity each volume needs for the chains, in blocks.</summary>
    public static long BlocksNeeded(int volumes)
    {
        return (long)volumes * ChainsPerVolume * SlotsPerChain * BlocksPerWrite;
    }

    public async Task<AuxSystemReport> RunAsync()
    {
        InitiatorPort production = await _site.Ss1.GetAsync(ProductionHost, AuxSystemSite.Ss1Port).ConfigureAwait(false);
        InitiatorPort standby = await _site.Ss2.GetAsync(StandbyHost, AuxSystemSite.Ss2Port).ConfigureAwait(false);
        InitiatorPort auxiliary = await _site.Ss1.GetAsync(AuxiliaryHost, AuxSystemSite.Ss1Port).ConfigureAwait(false);
        PairClient ss1 = new(production, AuxSystemSite.Lv1(0));
        PairClient ss2 = new(standby, AuxSystemSite.Lv2(0));
        List<(TraceVolume, TraceVolume)> production12 = Mirrors(AuxSystemSite.Lv1, AuxSystemSite.Lv2);
        List<(TraceVolume, TraceVolume)> local13 = Mirrors(AuxSystemSite.Lv1, AuxSystemSite.Lv3);
        List<(TraceVolume, TraceVolume)> cascade24 = Mirrors(AuxSystemSite.Lv2, AuxSystemSite.Lv4);
        List<(TraceVolume, TraceVolume)> new34 = Mirrors(AuxSystemSite.Lv3, AuxSystemSite.Lv4);

        // Against long-lived subsystems an earlier run's pairs (this scenario's mirror names) are deleted first; any
        // other pair on these volumes refuses the run before anything changes.
        OwnedPairs owned = new([("SS1", ss1), ("SS2", ss2)], [.. new[] { production12, local13, cascade24, new34 }.SelectMany(m => m).SelectMany(m => new[] { PairClient.Wire(m.Item1), PairClient.Wire(m.Item2) })], [ProductionName, SetName, AuxiliaryName]);
        int leftovers = await owned.ClearAsync(s_patience).ConfigureAwait(false);

        // S500: daily operation, the production remote mirror (fence never: production is never refused).
        await CreateAsync(ss1, production12, noCopy: false).ConfigureAwait(false);
        Check(await ss1.ExecuteAsync(CopyManagementRequest.ForNameMirrors(ProductionName, Wire(production12))).ConfigureAwait(false), "NAME MIRRORS " + ProductionName);
        await WaitAsync(ss1, production12).ConfigureAwait(false);
        Step("S500", "daily operation: " + _volumes + " remote mirrors LV1 -> LV2 in PAIR, mirror name " + ProductionName + (leftovers > 0 ? " (" + leftovers + " pairs of an earlier run deleted first)" : string.Empty));

        // S510/S520/S530: the local mirrors; the cascade only now that LV1 -> LV2 is in PAIR (claim 1's order).
        await CreateAsync(ss1, local13, noCopy: false).ConfigureAwait(false);
        await CreateAsync(ss2, cascade24, noCopy: false).ConfigureAwait(false);
        await WaitAsync(ss1, local13).ConfigureAwait(false);
        await WaitAsync(ss2, cascade24).ConfigureAwait(false);
        Step("S530", _volumes + " mirrors LV1 -> LV3 (SS1) and " + _volumes + " LV2 -> LV4 (SS2) in PAIR");

        // S540: one name for the set, defined at SS1; SS2 learns it over the link.
        WirePair[] set = [.. Wire(local13), .. Wire(cascade24)];
        Check(await ss1.ExecuteAsync(CopyManagementRequest.ForNameMirrors(SetName, set)).ConfigureAwait(false), "NAME MIRRORS " + SetName);
        Step("S540", "mirror name " + SetName + " for " + set.Length + " pairs in both subsystems");

        // S550: the atomic split by name under production load.
        TraceVolume[] pVols = [.. Volumes(AuxSystemSite.Lv1)];
        InitiatorPort[] productionPorts = [.. Enumerable.Repeat(production, _volumes)];
        FcDependentWrites load = new(pVols, productionPorts, ChainsPerVolume * _volumes, BlocksPerWrite, SlotsPerChain);
        load.Start();
        await load.WaitForAcksAsync(_writes).ConfigureAwait(false);
        long issued = load.Chains.Tick();
        long start = Stopwatch.GetTimestamp();
        SplitMechanism wire = _mechanism == AtomicSplitMechanism.Freeze ? SplitMechanism.Freeze : SplitMechanism.SequenceCut;
        ScsiResult split = await ss1.ExecuteAsync(CopyManagementRequest.ForAtomicSplitByName(SetName, wire, readWrite: true)).ConfigureAwait(false);
        TimeSpan splitLatency = Stopwatch.GetElapsedTime(start);
        long completed = load.Chains.Tick();
        await load.WaitForAcksAsync(load.Runner.Acks + _writes).ConfigureAwait(false);
        await load.StopAsync().ConfigureAwait(false);
        Check(split, "ATOMIC SPLIT BY NAME " + SetName);
        Step("S550", "atomic split by name at SS1 (" + Name(_mechanism) + ") under " + load.Runner.Acks + " dependent production writes: " + splitLatency.TotalMilliseconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) + " ms");

        OracleVerdict lv3 = await load.CheckSplitAsync(Volumes(AuxSystemSite.Lv3), productionPorts, issued, completed).ConfigureAwait(false);
        OracleVerdict lv4 = await load.CheckSplitAsync(Volumes(AuxSystemSite.Lv4), [.. Enumerable.Repeat(standby, _volumes)], issued, completed).ConfigureAwait(false);
        bool identical = await IdenticalAsync(production, standby, load.Chains.BlocksPerVolume).ConfigureAwait(false);
        PairStatusRow[] productionRows = [.. await ss1.RowsAsync(production12).ConfigureAwait(false)];
        bool productionPaired = productionRows.Length == _volumes && productionRows.All(row => row.State == (byte)PairState.Pair);

        // S560: the auxiliary system's own remote mirrors, without copy (FIG 12).
        long linkBefore = _site.Link?.BlocksSent ?? 0;
        await CreateAsync(ss1, new34, noCopy: true).ConfigureAwait(false);
        Check(await ss1.ExecuteAsync(CopyManagementRequest.ForNameMirrors(AuxiliaryName, Wire(new34))).ConfigureAwait(false), "NAME MIRRORS " + AuxiliaryName);
        PairStatusRow[] created = [.. await ss1.RowsAsync(new34).ConfigureAwait(false)];
        long differentialAtCreate = created.Sum(row => (long)row.DifferentialTracks);
        await WaitAsync(ss1, new34).ConfigureAwait(false);
        // Embedded, the link's own counter is read. Against daemons the link is theirs and no command reads its
        // counters, so no count is printed (a number from "no track differed" would be an assumption, not a
        // measurement); the differential tracks at create are measured either way.
        long? auxBlocks = _site.Link is not null ? _site.Link.BlocksSent - linkBefore : null;
        Step("S560", _volumes + " new mirrors LV3 -> LV4 without copy in PAIR (" + (auxBlocks is long blocks ? blocks + " blocks sent over the link, " : string.Empty) + differentialAtCreate + " differential tracks at create)");

        // S570: the auxiliary host writes LV3; production keeps writing LV1.
        bool auxMirrored = await AuxiliaryWritesAsync(auxiliary, standby).ConfigureAwait(false);
        bool productionIsolated = await ProductionIsolatedAsync(production, standby).ConfigureAwait(false);
        Step("S570", "auxiliary writes to LV3 " + (auxMirrored ? "reach" : "DO NOT reach") + " LV4; production writes " + (productionIsolated ? "reach LV2 and never LV3/LV4" : "LEAKED into the auxiliary system"));

        return new AuxSystemReport
        {
            Site = _site.Description,
            Mechanism = _mechanism,
            Volumes = _volumes,
            Steps = _steps,
            SplitLatency = splitLatency,
            ProductionWrites = load.Runner.Acks,
            ProductionFailure = load.Runner.Failure,
            Lv3Verdict = lv3,
            Lv4Verdict = lv4,
            Lv3EqualsLv4 = identical,
            ProductionMirrorPaired = productionPaired,
            AuxCopyBlocksOverLink = auxBlocks,
            AuxDifferentialTracksAtCreate = differentialAtCreate,
            AuxWritesMirrored = auxMirrored,
            ProductionIsolated = productionIsolated,
        };
    }

    private static void Check(in ScsiResult result, string what)
    {
        if (!result.IsGood)
        {
            throw new InvalidOperationException(what + ": " + PairClient.Describe(result));
        }
    }

    private static WirePair[] Wire(List<(TraceVolume PVol, TraceVolume SVol)> mirrors)
    {
        return [.. mirrors.Select(m => new WirePair(PairClient.Wire(m.PVol), PairClient.Wire(m.SVol)))];
    }

    private static string Name(AtomicSplitMechanism mechanism)
    {
        return mechanism == AtomicSplitMechanism.Freeze ? "freeze" : "sequence cut";
    }

    private static async Task CreateAsync(PairClient client, List<(TraceVolume PVol, TraceVolume SVol)> mirrors, bool noCopy)
    {
        foreach (WirePair pair in Wire(mirrors))
        {
            Check(await client.ExecuteAsync(CopyManagementRequest.ForPairCreate(pair, fence: 0, noCopy)).ConfigureAwait(false), "PAIR CREATE" + (noCopy ? " NOCOPY " : " ") + pair);
        }
    }

    private static async Task WaitAsync(PairClient client, List<(TraceVolume PVol, TraceVolume SVol)> mirrors)
    {
        foreach (WirePair pair in Wire(mirrors))
        {
            if (!(await client.WaitForStateAsync(pair, PairState.Pair, s_patience).ConfigureAwait(false)).Reached)
            {
                throw new InvalidOperationException("pair " + pair + " did not reach PAIR within " + s_patience.TotalSeconds + " s");
            }
        }
    }

    private List<TraceVolume> Volumes(Func<int, TraceVolume> volume)
    {
        return [.. Enumerable.Range(0, _volumes).Select(volume)];
    }

    private List<(TraceVolume, TraceVolume)> Mirrors(Func<int, TraceVolume> pVol, Func<int, TraceVolume> sVol)
    {
        return [.. Enumerable.Range(0, _volumes).Select(i => (pVol(i), sVol(i)))];
    }

    private void Step(string id, string what)
    {
        _steps.Add(new AuxSystemStep(id, _clock.Elapsed, what));
    }

    // G3: LV3 and LV4 hold the same blocks (the chains' area of every volume).
    private async Task<bool> IdenticalAsync(InitiatorPort ss1, InitiatorPort ss2, long blocks)
    {
        for (int i = 0; i < _volumes; i++)
        {
            byte[] three = await ReadAsync(ss1, AuxSystemSite.Lv3(i), 0, blocks).ConfigureAwait(false);
            byte[] four = await ReadAsync(ss2, AuxSystemSite.Lv4(i), 0, blocks).ConfigureAwait(false);
            if (!three.AsSpan().SequenceEqual(four))
            {
                return false;
            }
        }

        return true;
    }

    // R0-32: a write of the auxiliary host to LV3 is on LV4 once it is answered.
    private async Task<bool> AuxiliaryWritesAsync(InitiatorPort auxiliary, InitiatorPort ss2)
    {
        for (int i = 0; i < _volumes; i++)
        {
            byte[] data = new byte[BlocksPerWrite * 512];
            new Random(0xA0 + i).NextBytes(data);
            long lba = BlocksNeeded(_volumes);
            ScsiResult written = await auxiliary.ExecuteAsync(AuxSystemSite.Ss1Port, AuxSystemSite.Lv3(i).Lun, BlockCdb.Create(BlockCdb.Write16, lba, (uint)BlocksPerWrite), data).ConfigureAwait(false);
            byte[] seen = await ReadAsync(ss2, AuxSystemSite.Lv4(i), lba, BlocksPerWrite).ConfigureAwait(false);
            if (!written.IsGood || !seen.AsSpan().SequenceEqual(data))
            {
                return false;
            }
        }

        return true;
    }

    // R0-32: production writes to LV1 reach LV2, and leave LV3 and LV4 as they were.
    private async Task<bool> ProductionIsolatedAsync(InitiatorPort production, InitiatorPort ss2)
    {
        long lba = BlocksNeeded(_volumes) + BlocksPerWrite;
        for (int i = 0; i < _volumes; i++)
        {
            byte[] before3 = await ReadAsync(production, AuxSystemSite.Lv3(i), lba, BlocksPerWrite).ConfigureAwait(false);
            byte[] data = new byte[BlocksPerWrite * 512];
            new Random(0xB0 + i).NextBytes(data);
            ScsiResult written = await production.ExecuteAsync(AuxSystemSite.Ss1Port, AuxSystemSite.Lv1(i).Lun, BlockCdb.Create(BlockCdb.Write16, lba, (uint)BlocksPerWrite), data).ConfigureAwait(false);
            byte[] lv2 = await ReadAsync(ss2, AuxSystemSite.Lv2(i), lba, BlocksPerWrite).ConfigureAwait(false);
            byte[] after3 = await ReadAsync(production, AuxSystemSite.Lv3(i), lba, BlocksPerWrite).ConfigureAwait(false);
            byte[] after4 = await ReadAsync(ss2, AuxSystemSite.Lv4(i), lba, BlocksPerWrite).ConfigureAwait(false);
            if (!written.IsGood || !lv2.AsSpan().SequenceEqual(data) || !after3.AsSpan().SequenceEqual(before3) || !after4.AsSpan().SequenceEqual(before3))
            {
                return false;
            }
        }

        return true;
    }

    private static async Task<byte[]> ReadAsync(InitiatorPort port, TraceVolume volume, long lba, long blocks)
    {
        byte[] data = new byte[blocks * 512];
        const int Chunk = 2048;
        for (long at = 0; at < blocks; at += Chunk)
        {
            int count = (int)Math.Min(Chunk, blocks - at);
            ScsiResult read = await port.ExecuteAsync(volume.PortId, volume.Lun, BlockCdb.Create(BlockCdb.Read16, lba + at, (uint)count), dataIn: data.AsMemory((int)(at * 512), count * 512)).ConfigureAwait(false);
            if (!read.IsGood)
            {
                throw new InvalidOperationException("READ(16) of " + volume + ": " + read);
            }
        }

        return data;
    }
}
