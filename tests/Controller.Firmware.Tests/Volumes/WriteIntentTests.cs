// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.Media;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.Scheduling;
using Controller.Firmware.Volumes;

namespace Controller.Firmware.Tests.Volumes;

/// <summary>
/// The write-intent log of a volume (docs/durability.md): a host write runs only once its region's intent is
/// kept, keeps are shared by the writes waiting for them, a kept region costs nothing more, a failed keep fails the
/// waiting writes and every later one, and a sweep clears only the regions no write entered since it began.
/// </summary>
public sealed class WriteIntentTests
{
    private const long RegionBlocks = 128L * WriteIntent.RegionTracks;
    private const long Blocks = 4 * RegionBlocks;
    private static readonly VolumeAddress s_p = VolumeAddress.Parse("0x400104,0x0001");
    private static readonly VolumeAddress s_s = VolumeAddress.Parse("0x400104,0x0002");

    [Test]
    public void AWriteWaitsUntilItsRegionIsKeptAndOneKeepServesEveryWriteWaiting()
    {
        using Rig rig = new(seed: 1, paired: true);
        rig.Medium.OnKeep = () => Assert.That(rig.PVolHolds(RegionBlocks + 8), Is.False, "the intent is kept before the write touches the volume");
        for (int i = 0; i < 3; i++)
        {
            rig.Write(RegionBlocks + 8 + (i * 8), tag: i + 1);
        }

        rig.Scheduler.RunUntilIdle();
        Assert.That(rig.Answers.Good, Is.EquivalentTo(new long[] { 1, 2, 3 }));
        Assert.That(rig.Medium.Records, Has.Count.EqualTo(1), "three writes waiting, one keep");
        Assert.That(rig.Medium.Records[0][0], Is.EqualTo(0b10UL), "region 1 kept");
        Assert.That(rig.PVolHolds(RegionBlocks + 8) && rig.SVolHolds(RegionBlocks + 8), Is.True, "then written and mirrored");
    }

    [Test]
    public void AWriteToAKeptRegionRunsAtOnceOnPairedAndSimplexVolumesAlike()
    {
        using Rig rig = new(seed: 2, paired: true);
        rig.Write(16, tag: 1);
        rig.Scheduler.RunUntilIdle();
        rig.Write(24, tag: 2);
        rig.Scheduler.RunUntilIdle();
        Assert.That(rig.Medium.Records, Has.Count.EqualTo(1), "the second write found region 0 kept");
        Assert.That(rig.Intent.KeepCount, Is.EqualTo(1));

        // A simplex volume keeps its intents too: a pair deleted just before a crash whose deletion was never kept
        // comes back, and a write made after the deletion must be in its marks.
        using Rig simplex = new(seed: 3, paired: false);
        simplex.Write(16, tag: 1);
        simplex.Write(24, tag: 2);
        simplex.Scheduler.RunUntilIdle();
        Assert.That(simplex.Answers.Good, Is.EquivalentTo(new long[] { 1, 2 }));
        Assert.That(simplex.Medium.Records, Has.Count.EqualTo(1), "one keep for the region, then none");
    }

    [Test]
    public void AFailedKeepFailsTheWaitingWritesAndEveryLaterOne()
    {
        using Rig rig = new(seed: 4, paired: true);
        rig.Medium.Fail = true;
        rig.Write(16, tag: 1);
        rig.Scheduler.RunUntilIdle();
        rig.Medium.Fail = false;
        rig.Write(2 * RegionBlocks, tag: 2);
        rig.Scheduler.RunUntilIdle();
        Assert.That(rig.Answers.Status(1), Is.EqualTo(MediaStatus.MediumError));
        Assert.That(rig.Answers.Status(2), Is.EqualTo(MediaStatus.MediumError), "sticky: the record may not hold what was asked");
        Assert.That(rig.PVolHolds(16), Is.False, "the write never ran");
    }

    [Test]
    public void ASweepClearsTheRegionsNoWriteEnteredSinceItBegan()
    {
        using Rig rig = new(seed: 5, paired: true);
        rig.Write(8, tag: 1);
        rig.Write(RegionBlocks + 8, tag: 2);
        rig.Scheduler.RunUntilIdle();
        Assert.That(rig.Intent.DurableRegions()[0], Is.EqualTo(0b11UL));

        rig.Intent.BeginSweep();
        rig.Write(RegionBlocks + 16, tag: 3);
        rig.Scheduler.RunUntilIdle();
        Assert.That(rig.Intent.EndSweep(), Is.EqualTo(1), "region 0 was quiet");
        Assert.That(rig.Intent.DurableRegions()[0], Is.EqualTo(0b10UL), "region 1 was written during the sweep: kept");
        Assert.That(rig.Medium.Records[^1][0], Is.EqualTo(0b10UL), "and the record on the medium says so");

        rig.Write(16, tag: 4);
        rig.Scheduler.RunUntilIdle();
        Assert.That(rig.Medium.Records[^1][0], Is.EqualTo(0b11UL), "a write to the cleared region keeps it again first");
        Assert.That(rig.Answers.Good, Has.Count.EqualTo(4));
    }

    private sealed class Rig : IDisposable
    {
        private readonly StorageSubsystem _subsystem;
        private readonly Ldev _p;
        private readonly Ldev _s;

        public Rig(ulong seed, bool paired)
        {
            Scheduler = new DeterministicScheduler(seed);
            _subsystem = new StorageSubsystem(Scheduler, new SubsystemOptions { MpCount = 2, QueueDepth = 256 });
            _p = _subsystem.CreateLdev(new LdevId(1), Blocks);
            _s = _subsystem.CreateLdev(new LdevId(2), Blocks);
            if (paired)
            {
                Assert.That(_subsystem.Pairs.Create(s_p, _p, s_s, _s).Succeeded, Is.True);
                Scheduler.RunUntilIdle();
                Assert.That(_subsystem.Pairs.Find(s_p, s_s)!.State, Is.EqualTo(PairState.Pair));
            }

            Intent = _subsystem.KeepWriteIntents(_p, Medium, []);
        }

        public DeterministicScheduler Scheduler { get; }

        public RecordingMedium Medium { get; } = new();

        public WriteIntent Intent { get; }

        public Answers Answers { get; } = new();

        public void Write(long lba, long tag)
        {
            byte[] data = new byte[4096];
            data.AsSpan().Fill(0x6B);
            Assert.That(_subsystem.TrySubmit(new BlockCommand(BlockCommandKind.Write, _p, lba, new ArraySegment<byte>(data), Answers, tag)), Is.True);
        }

        public bool PVolHolds(long lba)
        {
            return Holds(_p, lba);
        }

        public bool SVolHolds(long lba)
        {
            return Holds(_s, lba);
        }

        public void Dispose()
        {
            _subsystem.Dispose();
        }

        private static bool Holds(Ldev ldev, long lba)
        {
            byte[] block = new byte[TrackGeometry.BlockSize];
            Assert.That(ldev.Media.Read(lba, block), Is.EqualTo(MediaStatus.Good));
            return block[0] == 0x6B;
        }
    }

    private sealed class RecordingMedium : IWriteIntentMedium
    {
        public List<ulong[]> Records { get; } = [];

        public bool Fail { get; set; }

        public Action? OnKeep { get; set; }

        public bool Keep(ReadOnlySpan<ulong> regions)
        {
            OnKeep?.Invoke();
            if (Fail)
            {
                return false;
            }

            Records.Add(regions.ToArray());
            return true;
        }
    }

    private sealed class Answers : IBlockCommandCompletion
    {
        private readonly Dictionary<long, MediaStatus> _status = [];

        public List<long> Good => [.. _status.Where(answer => answer.Value == MediaStatus.Good).Select(answer => answer.Key)];

        public MediaStatus Status(long tag)
        {
            return _status[tag];
        }

        public void Complete(in BlockCommand command, MediaStatus status)
        {
            _status.Add(command.Tag, status);
        }
    }
}
