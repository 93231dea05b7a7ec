// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using BenchmarkDotNet.Attributes;
using Controller.Addressing;
using Controller.Firmware;
using Controller.Firmware.Bitmaps;
using Controller.Firmware.Media;
using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.Persistence;
using Controller.Firmware.Scheduling;

namespace Controller.Benchmarks.Persistence;

/// <summary>
/// The restart of the kept pair state (issue #18's budget: under 2 s): 64 split pairs on 1 TiB volumes, each P-side
/// bitmap with 10 % of its 16,777,216 tracks marked at random, kept by a graceful stop. One operation reads the
/// checkpoint and journal, checks every record and restores every row and bitmap into a fresh table. Baseline: reading
/// the same files alone, the floor any restart pays.
/// </summary>
[MemoryDiagnoser]
public class RestartBenchmarks
{
    private const int Pairs = 64;
    private const long Blocks = (1L << 40) / TrackGeometry.BlockSize;

    private string _folder = string.Empty;
    private StorageSubsystem _subsystem = null!;

    [GlobalSetup]
    public void KeepTheState()
    {
        _folder = Directory.CreateTempSubdirectory("restart-bench-").FullName;
        Random random = new(18);
        List<PairSnapshot> rows = [];
        List<BitmapRecord> leaves = [];
        for (int i = 0; i < Pairs; i++)
        {
            rows.Add(Row(i));
            DifferentialBitmap bitmap = new(Blocks, TrackGeometry.Default);
            for (long marked = 0; marked < bitmap.TrackCount / 10; marked++)
            {
                bitmap.Set(random.NextInt64(bitmap.TrackCount));
            }

            BitmapRecord.FromBitmap(bitmap, i + 1, PairRole.PVol, leaves.Add);
        }

        using ControllerStateStore store = ControllerStateStore.Open(_folder);
        store.Load();
        store.Checkpoint(rows, leaves, cleanStop: true);
        long bytes = new FileInfo(Path.Combine(_folder, ControllerStateStore.CheckpointFile)).Length;
        Console.WriteLine("// checkpoint: " + bytes + " bytes, " + leaves.Count + " bitmap leaves");
    }

    [GlobalCleanup]
    public void DropTheState()
    {
        Directory.Delete(_folder, recursive: true);
    }

    [IterationSetup]
    public void FreshController()
    {
        _subsystem = new StorageSubsystem(new DeterministicScheduler(1));
        for (int i = 0; i < Pairs; i++)
        {
            _subsystem.CreateLdev(new LdevId((ushort)((2 * i) + 1)), Blocks);
            _subsystem.CreateLdev(new LdevId((ushort)((2 * i) + 2)), Blocks);
        }
    }

    [IterationCleanup]
    public void DropController()
    {
        _subsystem.Dispose();
    }

    [Benchmark(Baseline = true)]
    public long ReadTheFilesOnly()
    {
        return File.ReadAllBytes(Path.Combine(_folder, ControllerStateStore.CheckpointFile)).Length
            + File.ReadAllBytes(Path.Combine(_folder, ControllerStateStore.JournalFile)).Length;
    }

    [Benchmark]
    public int LoadAndRestore()
    {
        using PairStateKeeper keeper = PairStateKeeper.Open(_folder);
        ControllerStateImage image = keeper.Store.Load();
        List<string> notes = [];
        List<string> problems = keeper.RestoreInto(image, _subsystem.Pairs, _subsystem.FindLdev, notes);
        if (problems.Count > 0 || _subsystem.Pairs.GetPairs().Count != Pairs)
        {
            throw new InvalidOperationException("the restore failed: " + string.Join("; ", problems));
        }

        return image.Bitmaps.Count;
    }

    private static PairSnapshot Row(int i)
    {
        return new PairSnapshot
        {
            EntryId = i + 1,
            PVol = new VolumeAddress(new PortId(0x400104), new Lun((ushort)((2 * i) + 1))),
            PVolLdev = new LdevId((ushort)((2 * i) + 1)),
            SVol = new VolumeAddress(new PortId(0x400104), new Lun((ushort)((2 * i) + 2))),
            SVolLdev = new LdevId((ushort)((2 * i) + 2)),
            State = PairState.Psus,
            SplitSequence = 1000 + i,
            SplitTime = DateTimeOffset.UnixEpoch,
        };
    }
}
