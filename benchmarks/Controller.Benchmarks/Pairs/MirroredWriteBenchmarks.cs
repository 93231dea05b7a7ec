// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using BenchmarkDotNet.Attributes;
using Controller.Addressing;
using Controller.Firmware;
using Controller.Firmware.Media;
using Controller.Firmware.Persistence;
using Controller.Firmware.Scheduling;
using Controller.Firmware.Volumes;

namespace Controller.Benchmarks.Pairs;

/// <summary>
/// 4 KiB host writes in-process through the whole write path (host admission, MP queue, sequence number, media,
/// mirror fan-out, acknowledgement), two MPs on the thread pool and the host on a thread of its own. Baseline:
/// the same writes to a simplex volume. Mirrored: P-VOL on one MP and its PAIR S-VOL on the other, each write
/// acknowledged only once the S-VOL has it (budget: 1,000,000 per second on 2 cores). Floor: the two 4 KiB
/// memcpys a mirrored write cannot avoid, on one thread, into the same working set. One operation is one
/// acknowledged write; the host keeps up to 256 in flight (the subsystem's bound at the default queue depth is
/// 1024). Random 4 KiB-aligned LBAs over a working set that fits the caches (2 MiB, a hot spot) or not (64 MiB).
/// Kept state: the mirrored writes with the pair state kept on disk as controllerd keeps it with a file store (the
/// write-intent log of both volumes, its keeps, and a sweep every second: drain, sync, checkpoint), the media still
/// RAM, so the difference is what keeping the state costs the write path (issue #18's budget: at most 10 %).
/// </summary>
[MemoryDiagnoser]
public class MirroredWriteBenchmarks
{
    private const int Writes = 1 << 17;
    private const int Window = 256;

    // 64 MiB volumes, fully written before the run so that no write allocates a track.
    private const long Blocks = 1L << 17;
    private const int WriteBytes = 4096;

    private readonly byte[] _data = new byte[WriteBytes];
    private byte[] _floorP = null!;
    private byte[] _floorS = null!;
    private StorageSubsystem _subsystem = null!;
    private Ldev _target = null!;
    private Completion _completion = null!;
    private long[] _lbas = null!;
    private string? _stateDirectory;
    private PairStateKeeper? _keeper;

    /// <summary>Gets or sets the span of LBAs written, in MiB.</summary>
    [Params(2, 64)]
    public int WorkingSetMiB { get; set; }

    [GlobalSetup(Target = nameof(SimplexWrites))]
    public void SetupSimplex()
    {
        Setup(mirrored: false);
    }

    [GlobalSetup(Target = nameof(MirroredWrites))]
    public void SetupMirrored()
    {
        Setup(mirrored: true);
    }

    [GlobalSetup(Target = nameof(MirroredWritesKeptState))]
    public void SetupKeptState()
    {
        Setup(mirrored: true);
        _stateDirectory = Directory.CreateTempSubdirectory("bench-kept-state-").FullName;
        _keeper = PairStateKeeper.Open(_stateDirectory);
        _keeper.Store.Load();
        _keeper.Checkpoint(_subsystem.Pairs, cleanStop: false);
        _keeper.Serve(_subsystem.Pairs);
        _keeper.KeepWriteIntents(_subsystem, [_target, _subsystem.FindLdev(new LdevId(1))!], TimeSpan.FromSeconds(1));
    }

    [GlobalSetup(Target = nameof(TwoMemcpyFloor))]
    public void SetupFloor()
    {
        _lbas = WorkloadData.Random4KLbas(Writes, WorkingSetMiB * 2048L, seed: 42);
        _floorP = new byte[WorkingSetMiB << 20];
        _floorS = new byte[WorkingSetMiB << 20];
        _subsystem = new StorageSubsystem(RealTimeScheduler.Instance);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _subsystem.Dispose();
        _keeper?.Dispose();
        if (_stateDirectory is not null)
        {
            Directory.Delete(_stateDirectory, recursive: true);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Writes)]
    public long SimplexWrites()
    {
        return Drive();
    }

    [Benchmark(OperationsPerInvoke = Writes)]
    public long MirroredWrites()
    {
        return Drive();
    }

    [Benchmark(OperationsPerInvoke = Writes)]
    public long MirroredWritesKeptState()
    {
        return Drive();
    }

    [Benchmark(OperationsPerInvoke = Writes)]
    public long TwoMemcpyFloor()
    {
        ReadOnlySpan<byte> data = _data;
        for (int n = 0; n < Writes; n++)
        {
            int offset = (int)(_lbas[n] * 512);
            data.CopyTo(_floorP.AsSpan(offset, WriteBytes));
            data.CopyTo(_floorS.AsSpan(offset, WriteBytes));
        }

        return Writes;
    }

    private void Setup(bool mirrored)
    {
        _subsystem = new StorageSubsystem(RealTimeScheduler.Instance, new SubsystemOptions { MpCount = 2 });
        _completion = new Completion();
        _lbas = WorkloadData.Random4KLbas(Writes, WorkingSetMiB * 2048L, seed: 42);
        (Ldev p, Ldev s) = PairVolumes.Create(_subsystem, Blocks, writeSVol: true);
        _target = p;
        if (mirrored)
        {
            _subsystem.Pairs.Create(PairVolumes.PAddress, p, PairVolumes.SAddress, s);
            PairVolumes.WaitForPair(_subsystem);
        }
    }

    private long Drive()
    {
        _completion.Reset();
        ArraySegment<byte> data = new(_data);
        for (int n = 0; n < Writes; n++)
        {
            BlockCommand command = new(BlockCommandKind.Write, _target, _lbas[n], data, _completion, n);
            SpinWait spin = default;
            while (n - _completion.Count >= Window || !_subsystem.TrySubmit(command))
            {
                spin.SpinOnce(sleep1Threshold: -1);
            }
        }

        SpinWait drain = default;
        while (_completion.Count < Writes)
        {
            drain.SpinOnce(sleep1Threshold: -1);
        }

        return _completion.Count;
    }

    private sealed class Completion : IBlockCommandCompletion
    {
        private long _count;

        public long Count => Volatile.Read(ref _count);

        public void Reset()
        {
            Volatile.Write(ref _count, 0);
        }

        public void Complete(in BlockCommand command, MediaStatus status)
        {
            Interlocked.Increment(ref _count);
        }
    }
}
