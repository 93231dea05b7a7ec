// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Daemon.Configuration;
using Controller.Firmware.Media;
using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.Persistence;
using Controller.Firmware.Scheduling;
using Controller.Firmware.Volumes;

namespace Controller.Daemon.Tests.Configuration;

/// <summary>
/// The pair state a file store keeps across restarts (docs/durability.md): rows and bitmaps as a graceful stop left
/// them, the restart table after a crash, and the configuration's pairs as the first start's only. A "crash" here is a
/// controller disposed without <see cref="ConfiguredController.KeepStateAtStop"/>: only what was committed is kept.
/// </summary>
public sealed class KeptPairStateTests
{
    private const string FileName = "test.conf";
    private static readonly VolumeAddress s_p = VolumeAddress.Parse("0x400104,0x0001");
    private static readonly VolumeAddress s_s = VolumeAddress.Parse("0x400104,0x0002");

    // LDEVs of four write-intent regions (256 MiB of 64 KiB tracks).
    private const string Big = "256MiB";
    private const int RegionTracks = WriteIntent.RegionTracks;
    private const long RegionBlocks = 128L * RegionTracks;

    private string _directory = null!;

    [SetUp]
    public void CreateDirectory()
    {
        _directory = Directory.CreateTempSubdirectory("controllerd-state-").FullName;
    }

    [TearDown]
    public void DeleteDirectory()
    {
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public void APairCreatedAtRunTimeComesBackAfterAGracefulStopWithItsStateAndBitmaps()
    {
        DeterministicScheduler scheduler = new(1);
        long splitSequence;
        using (ConfiguredController controller = Build(Volumes(), scheduler))
        {
            CopyManagementTable table = CreateMirrored(controller, scheduler);
            Assert.That(table.Execute(s_p, s_s, PairOperation.Split, SplitMode.ReadWrite).Succeeded, Is.True);
            table.CommitState();
            MirrorPair pair = table.Find(s_p, s_s)!;
            pair.PVolBitmap.Set(3);
            pair.PVolBitmap.Set(12);
            pair.SVolBitmap.Set(5);
            splitSequence = pair.SplitSequence;
            controller.KeepStateAtStop();
        }

        using ConfiguredController restarted = Build(Volumes(), new DeterministicScheduler(2));
        MirrorPair? back = restarted.Subsystem.Pairs.Find(s_p, s_s);
        Assert.That(back, Is.Not.Null, "the pair made at run time is back");
        Assert.That(back!.State, Is.EqualTo(PairState.Psus));
        Assert.That(back.SplitMode, Is.EqualTo(SplitMode.ReadWrite));
        Assert.That(back.SplitSequence, Is.EqualTo(splitSequence));
        Assert.That(Marked(back.PVolBitmap), Is.EqualTo(new long[] { 3, 12 }), "the P side's marks, exactly");
        Assert.That(Marked(back.SVolBitmap), Is.EqualTo(new long[] { 5 }), "the S side's");
        Assert.That(restarted.StateNotes, Has.Some.Contains("as the graceful stop left them"));
    }

    [Test]
    public void AfterACrashAMirroringPairWhoseWritesWereSweptStaysPair()
    {
        DeterministicScheduler scheduler = new(3);
        using (ConfiguredController controller = Build(Volumes(Big), scheduler))
        {
            CopyManagementTable table = CreateMirrored(controller, scheduler);
            table.CommitState();
            Writes writes = new(controller);
            writes.Write(1, 2 * RegionBlocks);
            RunReady(scheduler);
            Assert.That(writes.Good, Is.EqualTo(1), "the write was answered; its region is kept");

            // The sweep's timer: drain, sync, checkpoint, and the quiet region is cleared.
            scheduler.RunUntilIdle();
            Assert.That(controller.WriteIntents!.RegionsCleared, Is.EqualTo(1));

            // Disposed without KeepStateAtStop: a crash.
        }

        using ConfiguredController restarted = Build(Volumes(Big), new DeterministicScheduler(4));
        MirrorPair back = restarted.Subsystem.Pairs.Find(s_p, s_s)!;
        Assert.That(back.State, Is.EqualTo(PairState.Pair), "no write was in flight: both volumes hold every acknowledged write");
        Assert.That(back.PVolBitmap.CountSet() + back.SVolBitmap.CountSet(), Is.Zero);
        Assert.That(restarted.StateNotes, Has.Some.Contains("after a crash"));
    }

    [Test]
    public void AfterACrashAMirroringPairWithAWriteInFlightIsSuspendedWithItsRegionMarkedAndResyncsOnlyThat()
    {
        DeterministicScheduler scheduler = new(21);
        using (ConfiguredController controller = Build(Volumes(Big), scheduler))
        {
            CopyManagementTable table = CreateMirrored(controller, scheduler);
            table.CommitState();
            Writes writes = new(controller);
            writes.Write(1, (2 * RegionBlocks) + 64);
            RunReady(scheduler);

            // The crash comes before the sweep: the region's intent is what tells the restart where to look.
        }

        DeterministicScheduler again = new(22);
        using ConfiguredController restarted = Build(Volumes(Big), again);
        MirrorPair back = restarted.Subsystem.Pairs.Find(s_p, s_s)!;
        Assert.That(back.State, Is.EqualTo(PairState.Psue), "a mirror write in flight may have landed on one volume only");
        Assert.That(Marked(back.PVolBitmap), Is.EqualTo(Enumerable.Range(2 * RegionTracks, RegionTracks).Select(t => (long)t).ToArray()), "exactly the tracks of region 2");
        Assert.That(back.SuspendedWithValidMarks, Is.True);
        Assert.That(WriteIntentFile.Read(Path.Combine(_directory, "store", ConfiguredController.StateFolder, "intent-00-01"), 1, out _), Is.EqualTo(new ulong[] { 0 }), "the marks are in the checkpoint; the record starts empty");

        Assert.That(restarted.Subsystem.Pairs.Execute(s_p, s_s, PairOperation.Resync).Succeeded, Is.True);
        again.RunUntilIdle();
        Assert.That(back.State, Is.EqualTo(PairState.Pair));
        Assert.That(back.CopyTotalTracks, Is.EqualTo(RegionTracks), "a PSUE made by the restart resyncs the marked region (a PSUE by a fault copies the whole volume)");
    }

    [Test]
    public void AfterACrashASplitPairKeepsItsCheckpointedMarksPlusTheRegionsWrittenSince()
    {
        DeterministicScheduler scheduler = new(23);
        using (ConfiguredController controller = Build(Volumes(Big), scheduler))
        {
            CopyManagementTable table = CreateMirrored(controller, scheduler);
            Assert.That(table.Execute(s_p, s_s, PairOperation.Split).Succeeded, Is.True);
            table.CommitState();
            Writes writes = new(controller);
            writes.Write(1, 5 * 128);
            scheduler.RunUntilIdle();
            Assert.That(controller.WriteIntents!.RegionsCleared, Is.EqualTo(1), "swept: track 5's mark is in a checkpoint");
            writes.Write(2, (3 * RegionBlocks) + 128);
            RunReady(scheduler);
        }

        using ConfiguredController restarted = Build(Volumes(Big), new DeterministicScheduler(24));
        MirrorPair back = restarted.Subsystem.Pairs.Find(s_p, s_s)!;
        Assert.That(back.State, Is.EqualTo(PairState.Psus), "a split pair keeps its state and image");
        long[] expected = [5, .. Enumerable.Range(3 * RegionTracks, RegionTracks).Select(t => (long)t)];
        Assert.That(Marked(back.PVolBitmap), Is.EqualTo(expected), "the kept mark, and the region written since the sweep");
    }

    [Test]
    public void AfterACrashMarksACommandMovedIntoTheBitmapsMakeTheWholePairSuspectUntilASweepHoldsThem()
    {
        DeterministicScheduler scheduler = new(25);
        using (ConfiguredController controller = Build(Volumes(Big), scheduler))
        {
            CopyManagementTable table = controller.Subsystem.Pairs;
            Assert.That(table.Create(s_p, Ldev(controller, 1), s_s, Ldev(controller, 2)).Succeeded, Is.True);
            Assert.That(table.Execute(s_p, s_s, PairOperation.Split).Succeeded, Is.True, "split during the initial copy: the tracks not copied are owed");
            table.CommitState();
            RunReady(scheduler);
        }

        using ConfiguredController restarted = Build(Volumes(Big), new DeterministicScheduler(26));
        MirrorPair back = restarted.Subsystem.Pairs.Find(s_p, s_s)!;
        Assert.That(back.State, Is.EqualTo(PairState.Psus));
        Assert.That(back.PVolBitmap.CountSet(), Is.EqualTo(back.PVolBitmap.TrackCount), "the owed tracks were in no checkpoint: every track marked");
    }

    [Test]
    public void AfterACrashWithoutIntentRecordsEveryTrackOfAPairIsMarked()
    {
        DeterministicScheduler scheduler = new(27);
        using (ConfiguredController controller = Build(Volumes(Big), scheduler))
        {
            CopyManagementTable table = CreateMirrored(controller, scheduler);
            table.CommitState();
        }

        // State kept by a controller from before the write-intent log: nothing says which regions are clean.
        File.Delete(Path.Combine(_directory, "store", ConfiguredController.StateFolder, "intent-00-02"));
        using ConfiguredController restarted = Build(Volumes(Big), new DeterministicScheduler(28));
        MirrorPair back = restarted.Subsystem.Pairs.Find(s_p, s_s)!;
        Assert.That(back.State, Is.EqualTo(PairState.Psue));
        Assert.That(back.PVolBitmap.CountSet(), Is.EqualTo(back.PVolBitmap.TrackCount), "every track marked: a superset of what may differ");
        Assert.That(restarted.StateNotes, Has.Some.Contains("no write-intent record"));
    }

    [TestCase(true)]
    [TestCase(false)]
    public void AConfiguredPairIsNeverCopiedAgainOverItsSVol(bool graceful)
    {
        DeterministicScheduler scheduler = new(5);
        byte[] hostData = new byte[TrackGeometry.BlockSize];
        hostData.AsSpan().Fill(0x5A);
        using (ConfiguredController controller = Build(Volumes() + "pair 0x400104,0x0001 0x400104,0x0002\n", scheduler))
        {
            CopyManagementTable table = controller.Subsystem.Pairs;
            scheduler.RunUntilIdle();
            Assert.That(table.Execute(s_p, s_s, PairOperation.Split, SplitMode.ReadWrite).Succeeded, Is.True, "split --rw");
            table.CommitState();
            Assert.That(Ldev(controller, 1).Media.Write(0, new byte[TrackGeometry.BlockSize * 4].AsSpan()), Is.EqualTo(MediaStatus.Good));
            Assert.That(Ldev(controller, 2).Media.Write(8, hostData), Is.EqualTo(MediaStatus.Good), "the test host writes the S-VOL");
            if (graceful)
            {
                controller.KeepStateAtStop();
            }
        }

        DeterministicScheduler again = new(6);
        using ConfiguredController restarted = Build(Volumes() + "pair 0x400104,0x0001 0x400104,0x0002\n", again);
        again.RunUntilIdle();
        MirrorPair back = restarted.Subsystem.Pairs.Find(s_p, s_s)!;
        Assert.That(back.State, Is.EqualTo(PairState.Psus), "the kept state wins over the configuration's pair");
        byte[] read = new byte[TrackGeometry.BlockSize];
        Assert.That(Ldev(restarted, 2).Media.Read(8, read), Is.EqualTo(MediaStatus.Good));
        Assert.That(read, Is.EqualTo(hostData), "the S-VOL's data is not overwritten by a copy");
    }

    [Test]
    public void AConfiguredPairDeletedAtRunTimeIsReportedWithItsLineAndResetStateStartsOver()
    {
        string text = Volumes() + "pair 0x400104,0x0001 0x400104,0x0002\n";
        DeterministicScheduler scheduler = new(7);
        using (ConfiguredController controller = Build(text, scheduler))
        {
            scheduler.RunUntilIdle();
            Assert.That(controller.Subsystem.Pairs.Execute(s_p, s_s, PairOperation.Delete).Succeeded, Is.True);
            controller.Subsystem.Pairs.CommitState();
        }

        ConfigException? refused = Assert.Throws<ConfigException>(() => Build(text, new DeterministicScheduler(8)));
        Assert.That(refused!.Message, Does.StartWith(FileName + ":7: pair 0x400104, 0x0001 0x400104, 0x0002 is not in the kept state").And.Contain("--reset-state"));

        using ConfiguredController reset = ConfiguredController.Build(ControllerConfigParser.Parse(new StringReader(text), FileName), new DeterministicScheduler(9), resetState: true);
        Assert.That(reset.Subsystem.Pairs.Find(s_p, s_s)!.State, Is.EqualTo(PairState.Copy), "created from the configuration again");
        Assert.That(reset.StateNotes, Has.Some.Contains("--reset-state"));
    }

    [Test]
    public void AnSVolCaughtInItsInitialCopyIsStillCopyingAfterACrashNeverAPlainVolume()
    {
        byte[] data = new byte[TrackGeometry.BlockSize * 128];
        new Random(10).NextBytes(data);
        string text = Volumes() + "pair 0x400104,0x0001 0x400104,0x0002\n";
        using (ConfiguredController controller = Build(text, new DeterministicScheduler(10)))
        {
            Assert.That(Ldev(controller, 1).Media.Write(256, data), Is.EqualTo(MediaStatus.Good));
            Assert.That(controller.Subsystem.Pairs.Find(s_p, s_s)!.State, Is.EqualTo(PairState.Copy), "no copy step has run");
        }

        DeterministicScheduler scheduler = new(11);
        using ConfiguredController restarted = Build(text, scheduler);
        CopyManagementTable table = restarted.Subsystem.Pairs;
        Assert.That(table.Find(s_p, s_s)!.State, Is.EqualTo(PairState.Copy), "still copying: its S-VOL is not a volume of its own yet");
        scheduler.RunUntilIdle();
        Assert.That(table.Find(s_p, s_s)!.State, Is.EqualTo(PairState.Pair), "the copy started again and finished");
        byte[] copied = new byte[data.Length];
        Assert.That(Ldev(restarted, 2).Media.Read(256, copied), Is.EqualTo(MediaStatus.Good));
        Assert.That(copied, Is.EqualTo(data), "the S-VOL holds the P-VOL's data");
    }

    [Test]
    public void DamagedKeptStateStopsTheStartAndSaysHowToStartOver()
    {
        using (ConfiguredController controller = Build(Volumes() + "pair 0x400104,0x0001 0x400104,0x0002\n", new DeterministicScheduler(12)))
        {
            controller.KeepStateAtStop();
        }

        string checkpoint = Path.Combine(_directory, "store", ConfiguredController.StateFolder, ControllerStateStore.CheckpointFile);
        byte[] bytes = File.ReadAllBytes(checkpoint);
        bytes[^2] ^= 0x10;
        File.WriteAllBytes(checkpoint, bytes);

        ConfigException? refused = Assert.Throws<ConfigException>(() => Build(Volumes(), new DeterministicScheduler(13)));
        Assert.That(refused!.Message, Does.StartWith(FileName + ":1: the kept pair state is damaged").And.Contain("--reset-state"));
    }

    [Test]
    public void CheckReadsTheKeptStateWithoutWritingIt()
    {
        string text = Volumes() + "pair 0x400104,0x0001 0x400104,0x0002\n";
        DeterministicScheduler scheduler = new(15);
        using (ConfiguredController controller = Build(text, scheduler))
        {
            scheduler.RunUntilIdle();
            Assert.That(controller.Subsystem.Pairs.Execute(s_p, s_s, PairOperation.Split).Succeeded, Is.True);
            controller.Subsystem.Pairs.CommitState();
            controller.KeepStateAtStop();
        }

        string state = Path.Combine(_directory, "store", ConfiguredController.StateFolder);
        byte[] checkpoint = File.ReadAllBytes(Path.Combine(state, ControllerStateStore.CheckpointFile));
        byte[] journal = File.ReadAllBytes(Path.Combine(state, ControllerStateStore.JournalFile));

        using (ConfiguredController check = ConfiguredController.Build(ControllerConfigParser.Parse(new StringReader(text), FileName), new DeterministicScheduler(16), checkOnly: true))
        {
            Assert.That(check.StateNotes, Has.Some.Contains("1 kept pairs would be restored as the graceful stop left them"));
            Assert.That(check.Subsystem.Pairs.GetPairs(), Is.Empty, "nothing restored or created: no copy may write an S-VOL");
        }

        Assert.That(File.ReadAllBytes(Path.Combine(state, ControllerStateStore.CheckpointFile)), Is.EqualTo(checkpoint), "the checkpoint is untouched (still a graceful stop's)");
        Assert.That(File.ReadAllBytes(Path.Combine(state, ControllerStateStore.JournalFile)), Is.EqualTo(journal), "and the journal");
        ConfigException? conflict = Assert.Throws<ConfigException>(() => ConfiguredController.Build(ControllerConfigParser.Parse(new StringReader(text + "ldev 00:03 size 1MiB\nlun 0x400104 0x0003 00:03\npair 0x400104,0x0001 0x400104,0x0003\n"), FileName), new DeterministicScheduler(17), checkOnly: true));
        Assert.That(conflict!.Message, Does.StartWith(FileName + ":10: pair 0x400104, 0x0001 0x400104, 0x0003 is not in the kept state"));
    }

    [Test]
    public void ARamStoreSaysThatNothingSurvives()
    {
        using ConfiguredController controller = ConfiguredController.Build(ControllerConfigParser.Parse(new StringReader(LdevLines()), FileName), new DeterministicScheduler(14));
        Assert.That(controller.StateNotes, Has.Some.Contains("gone when controllerd stops"));
    }

    // Line 1: the file store; lines 2-6: LDEVs 00:01 and 00:02 (1 MiB, or 'size') behind LUNs 0x0001 and 0x0002 of 0x400104.
    private string Volumes(string size = "1MiB")
    {
        return "store file " + Path.Combine(_directory, "store") + "\n" + LdevLines(size);
    }

    private static string LdevLines(string size = "1MiB")
    {
        return "ldev 00:01 size " + size + "\nldev 00:02 size " + size + "\nport 0x400104 open\nlun 0x400104 0x0001 00:01\nlun 0x400104 0x0002 00:02\n";
    }

    // Runs what is ready without moving the virtual clock: the sweep's timer does not fire.
    // The test's pair, created and copied to PAIR (its state not committed yet).
    private static CopyManagementTable CreateMirrored(ConfiguredController controller, DeterministicScheduler scheduler)
    {
        CopyManagementTable table = controller.Subsystem.Pairs;
        Assert.That(table.Create(s_p, Ldev(controller, 1), s_s, Ldev(controller, 2)).Succeeded, Is.True);
        scheduler.RunUntilIdle();
        return table;
    }

    private static void RunReady(DeterministicScheduler scheduler)
    {
        while (scheduler.ReadyCount > 0)
        {
            scheduler.RunOne();
        }
    }

    // Host writes of 4 KiB through the subsystem, as the port front submits them.
    private sealed class Writes(ConfiguredController controller) : IBlockCommandCompletion
    {
        public int Good { get; private set; }

        public void Write(long tag, long lba)
        {
            byte[] data = new byte[4096];
            data.AsSpan().Fill((byte)tag);
            Assert.That(controller.Subsystem.TrySubmit(new BlockCommand(BlockCommandKind.Write, controller.Subsystem.FindLdev(new LdevId(1))!, lba, new ArraySegment<byte>(data), this, tag)), Is.True);
        }

        public void Complete(in BlockCommand command, MediaStatus status)
        {
            Assert.That(status, Is.EqualTo(MediaStatus.Good));
            Good++;
        }
    }

    private static ConfiguredController Build(string text, IScheduler scheduler)
    {
        return ConfiguredController.Build(ControllerConfigParser.Parse(new StringReader(text), FileName), scheduler);
    }

    private static Ldev Ldev(ConfiguredController controller, ushort id)
    {
        return controller.Subsystem.FindLdev(new LdevId(id))!;
    }

    private static long[] Marked(Controller.Firmware.Bitmaps.DifferentialBitmap bitmap)
    {
        List<long> tracks = [];
        foreach (long track in bitmap.EnumerateSet())
        {
            tracks.Add(track);
        }

        return [.. tracks];
    }
}
