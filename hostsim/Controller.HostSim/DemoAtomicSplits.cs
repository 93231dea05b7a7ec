// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics;
using Controller.Firmware;
using Controller.Firmware.Addressing;
using Controller.Firmware.Media;
using Controller.Firmware.Pairs;
using Controller.Firmware.Volumes;
using Controller.Workload;

namespace Controller.HostSim;

/// <summary>
/// The demo's atomic-split phase (issue #5): the FIG 7 pairs 0x400104/0x0001 -> 0x400104/0x0002 and
/// 0x400104/0x0004 -> 0x421014/0x0005 named AUXSET1 (FIG 8), dependent write chains across both P-VOLs, and one
/// ATOMIC SPLIT BY NAME (FIG 9) per mechanism while they run, each image checked by the consistency oracle, then
/// resynced.
/// </summary>
internal sealed class DemoAtomicSplits : IBlockCommandCompletion
{
    private const int Chains = 8;
    private static readonly AtomicSplitMechanism[] s_mechanisms = [AtomicSplitMechanism.Freeze, AtomicSplitMechanism.SequenceCut];
    private readonly StorageSubsystem _subsystem;
    private readonly Ldev[] _pVols;
    private readonly Ldev[] _sVols;
    private readonly PairAddress[] _pairs;
    private DependentWriteRunner? _runner;

    public DemoAtomicSplits(StorageSubsystem subsystem, IReadOnlyDictionary<LdevId, Ldev> ldevs, PortId portA, PortId portB)
    {
        _subsystem = subsystem;
        _pVols = [ldevs[new LdevId(1)], ldevs[new LdevId(4)]];
        _sVols = [ldevs[new LdevId(2)], ldevs[new LdevId(5)]];
        _pairs =
        [
            new PairAddress(new VolumeAddress(portA, new Lun(1)), new VolumeAddress(portA, new Lun(2))),
            new PairAddress(new VolumeAddress(portA, new Lun(4)), new VolumeAddress(portB, new Lun(5))),
        ];
    }

    /// <summary>Runs the phase: the pair 0x0001 -> 0x0002 is in PAIR already (the mirror phase), 0x0004 -> 0x0005 is created.</summary>
    /// <param name="writesPerSplit">Acknowledged writes before and after each split.</param>
    /// <returns>One result per split.</returns>
    public IReadOnlyList<DemoSplitResult> Run(int writesPerSplit)
    {
        CopyManagementTable table = _subsystem.Pairs;
        table.Create(_pairs[1].PVol, _pVols[1], _pairs[1].SVol, _sVols[1]);
        WaitForPair();
        MirrorNameResponse named = table.NameMirrors("AUXSET1", _pairs);
        if (!named.Succeeded)
        {
            throw new InvalidOperationException(named.Message);
        }

        // One split per mechanism first, without load and unreported, so the reported ones do not time the JIT.
        foreach (AtomicSplitMechanism mechanism in s_mechanisms)
        {
            table.StartAtomicSplit(AtomicSplitRequest.ByName("AUXSET1", mechanism)).Wait(TimeSpan.FromSeconds(30));
            Resync();
        }

        List<DemoSplitResult> results = [];
        foreach (AtomicSplitMechanism mechanism in s_mechanisms)
        {
            results.Add(SplitUnderLoad(mechanism, writesPerSplit));
            Resync();
        }

        return results;
    }

    public void Complete(in BlockCommand command, MediaStatus status)
    {
        _runner!.Completed((int)command.Tag, status == MediaStatus.Good, status.ToString());
    }

    private DemoSplitResult SplitUnderLoad(AtomicSplitMechanism mechanism, int writes)
    {
        DependentWriteChains chains = new(Chains, _pVols.Length, blocksPerWrite: 8, slotsPerChain: 64);
        _runner = new DependentWriteRunner(chains, Submit);
        _runner.Start();
        WaitFor(() => _runner.Acks >= writes);
        long issued = chains.Tick();
        long completed = 0;
        long start = Stopwatch.GetTimestamp();
        long end = 0;
        AtomicSplit split = _subsystem.Pairs.StartAtomicSplit(AtomicSplitRequest.ByName("AUXSET1", mechanism), _ =>
        {
            end = Stopwatch.GetTimestamp();
            completed = chains.Tick();
        });
        split.Wait(TimeSpan.FromSeconds(30));
        long after = _runner.Acks + writes;
        WaitFor(() => _runner.Acks >= after);
        _runner.Stop();
        WaitFor(() => _runner.Active == 0);
        AtomicSplitResult result = split.Result!;
        OracleVerdict verdict = ConsistencyOracle.Check(chains, [0, 1], ReadImage, issued, Volatile.Read(ref completed));
        return new DemoSplitResult(mechanism, _pairs.Length, Stopwatch.GetElapsedTime(start, Volatile.Read(ref end)), result, verdict, _runner.Failure);
    }

    private void Resync()
    {
        foreach (PairAddress pair in _pairs)
        {
            _subsystem.Pairs.Execute(pair.PVol, pair.SVol, PairOperation.Resync);
        }

        WaitForPair();
    }

    private bool ReadImage(int volume, long lba, Span<byte> block)
    {
        return _sVols[volume].Media.Read(lba, block) == MediaStatus.Good;
    }

    private void Submit(int chain, WriteRecord write, byte[] data)
    {
        BlockCommand command = new(BlockCommandKind.Write, _pVols[write.Volume], write.Lba, new ArraySegment<byte>(data), this, chain);
        while (!_subsystem.TrySubmit(command))
        {
            // TASK SET FULL cannot happen with eight chains; retry if it ever does.
            Thread.SpinWait(100);
        }
    }

    private void WaitForPair()
    {
        foreach (PairAddress pair in _pairs)
        {
            if (!_subsystem.Pairs.WaitForState(pair.PVol, pair.SVol, PairState.Pair, TimeSpan.FromMinutes(1)))
            {
                throw new InvalidOperationException("pair " + pair + " did not reach PAIR within a minute");
            }
        }
    }

    private static void WaitFor(Func<bool> condition)
    {
        if (!SpinWait.SpinUntil(condition, TimeSpan.FromSeconds(60)))
        {
            throw new InvalidOperationException("the demo's write chains stalled");
        }
    }
}
