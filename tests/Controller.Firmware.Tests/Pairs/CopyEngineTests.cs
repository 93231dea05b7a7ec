// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.Media;
using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.Volumes;

namespace Controller.Firmware.Tests.Pairs;

/// <summary>The copy engine, checked by volume checksums: create, split, resync, restore, swap, PSUE resync.</summary>
public sealed class CopyEngineTests
{
    // 32 full 64 KiB tracks and a partial last one of 40 blocks: 33 tracks.
    private const long Blocks = (32 * 128) + 40;
    private const long Tracks = 33;

    private MirrorRig _rig = null!;
#pragma warning disable NUnit1032 // the rig's subsystem owns the LDEVs and disposes them
    private Ldev _p = null!;
    private Ldev _s = null!;
#pragma warning restore NUnit1032

    [SetUp]
    public void CreateRig()
    {
        _rig = new MirrorRig(seed: 11, pace: new CopyPace { TracksPerStep = 4 });
        _p = _rig.Volume(1, Blocks);
        _s = _rig.Volume(2, Blocks);
        MirrorRig.Fill(_p, 1);
        MirrorRig.Fill(_s, 2);
    }

    [TearDown]
    public void DisposeRig()
    {
        _rig.Dispose();
    }

    [Test]
    [Category("R0-9")]
    public void AfterCreateTheSVolEqualsThePVolIncludingThePartialLastTrack()
    {
        Assert.That(MirrorRig.Checksum(_s), Is.Not.EqualTo(MirrorRig.Checksum(_p)), "different before");
        MirrorPair pair = _rig.CreatePair(_p, _s);
        _rig.Scheduler.RunUntilIdle();
        Assert.That(pair.State, Is.EqualTo(PairState.Pair));
        Assert.That(MirrorRig.Checksum(_s), Is.EqualTo(MirrorRig.Checksum(_p)), "S equals P");
        Assert.That(pair.TracksCopied, Is.EqualTo(Tracks), "every track once, the partial one included");
    }

    [Test]
    public void AnInitialCopyOfASparseVolumeKeepsTheSVolSparse()
    {
        using MirrorRig rig = new(seed: 5);
        Ldev p = rig.Volume(1, Blocks);
        Ldev s = rig.Volume(2, Blocks);
        rig.Write(p, 3 * 128, MirrorRig.Pattern(1, 8));     // P: only track 3 written
        MirrorRig.Fill(s, 2);                               // S: every track holds old data
        MirrorPair pair = rig.CreatePair(p, s);
        rig.Scheduler.RunUntilIdle();
        Assert.That(pair.TracksCopied, Is.EqualTo(Tracks), "every track was copied");
        Assert.That(MirrorRig.Checksum(s), Is.EqualTo(MirrorRig.Checksum(p)), "S equals P");
        Assert.That(((RamBlockStore)s.Media).AllocatedTrackCount, Is.EqualTo(2), "only track 3 and the partial last track hold storage: unwritten tracks stay unwritten");
    }

    [Test]
    [Category("R0-8")]
    public void ResyncMakesTheSVolEqualThePVolCopyingExactlyTheUnionOfMarkedTracks()
    {
        MirrorPair pair = SplitPair(SplitMode.ReadWrite);
        _rig.Write(_p, 2 * 128, MirrorRig.Pattern(1, 8));               // P: track 2
        _rig.Write(_p, (9 * 128) + 100, MirrorRig.Pattern(2, 64));      // P: tracks 9, 10
        _rig.Write(_s, 10 * 128, MirrorRig.Pattern(3, 8));              // S: track 10 (also on P)
        _rig.Write(_s, 32 * 128, MirrorRig.Pattern(4, 8));              // S: track 32, the partial one
        Assert.That(pair.CountDifferentialTracks(), Is.EqualTo(4), "{2, 9, 10} union {10, 32}");

        Assert.That(_rig.Command(pair, PairOperation.Resync).Succeeded, Is.True);
        _rig.Scheduler.RunUntilIdle();
        Assert.That(pair.State, Is.EqualTo(PairState.Pair));
        Assert.That((pair.CopyTotalTracks, pair.TracksCopied), Is.EqualTo((4L, 4L)), "the copied count equals the union");
        Assert.That(MirrorRig.Checksum(_s), Is.EqualTo(MirrorRig.Checksum(_p)), "S equals P again; the S-side writes are undone");
    }

    [Test]
    public void RestoreMakesThePVolEqualTheSVol()
    {
        MirrorPair pair = SplitPair(SplitMode.ReadWrite);
        _rig.Write(_p, 5 * 128, MirrorRig.Pattern(1, 8));
        _rig.Write(_s, 20 * 128, MirrorRig.Pattern(2, 128));
        string sImage = MirrorRig.Checksum(_s);

        Assert.That(_rig.Command(pair, PairOperation.Restore).Succeeded, Is.True);
        _rig.Scheduler.RunUntilIdle();
        Assert.That(pair.State, Is.EqualTo(PairState.Pair));
        Assert.That(pair.TracksCopied, Is.EqualTo(2), "tracks 5 and 20, S to P");
        Assert.That(MirrorRig.Checksum(_p), Is.EqualTo(sImage), "P now holds the S-VOL's image");
        Assert.That(MirrorRig.Checksum(_s), Is.EqualTo(sImage), "which the S-VOL keeps");
    }

    [Test]
    public void SwapResyncExchangesTheRolesAndConverges()
    {
        MirrorPair pair = SplitPair(SplitMode.ReadWrite);
        _rig.Write(_p, 1 * 128, MirrorRig.Pattern(1, 8));
        _rig.Write(_s, 7 * 128, MirrorRig.Pattern(2, 8));
        string newPrimaryImage = MirrorRig.Checksum(_s);

        Assert.That(_rig.Command(pair, PairOperation.SwapResync).Succeeded, Is.True);
        Assert.That(pair.PVol, Is.SameAs(_s), "the former S-VOL is the P-VOL");
        _rig.Scheduler.RunUntilIdle();
        Assert.That(pair.State, Is.EqualTo(PairState.Pair));
        Assert.That(pair.TracksCopied, Is.EqualTo(2), "tracks 1 and 7, from the new P-VOL");
        Assert.That(MirrorRig.Checksum(_s), Is.EqualTo(newPrimaryImage), "the new P-VOL keeps its image");
        Assert.That(MirrorRig.Checksum(_p), Is.EqualTo(newPrimaryImage), "the new S-VOL converged to it");

        // The roles really changed: the new P-VOL mirrors, the new S-VOL is protected.
        _rig.WatchAtAck = [_p];
        byte[] data = MirrorRig.Pattern(3, 8);
        long tag = _rig.SubmitWrite(_s, 0, data);
        _rig.Scheduler.RunUntilIdle();
        Assert.That(_rig.Completed(tag).SeenAtAck[_p.Id], Is.EqualTo(data), "a write to the new P-VOL reaches the new S-VOL");
        Assert.That(_rig.Write(_p, 0, data), Is.EqualTo(MediaStatus.WriteProtected), "the new S-VOL refuses host writes");
    }

    [Test]
    public void AResyncAfterSuspendByErrorCopiesEveryTrack()
    {
        MirrorPair pair = SplitPair(SplitMode.ReadOnly);
        _rig.Write(_p, 0, MirrorRig.Pattern(1, 8));
        MirrorRig.Fill(_s, 99); // what an S-VOL may hold after an error: anything
        _rig.Command(pair, PairOperation.SuspendByError);
        Assert.That(_rig.Command(pair, PairOperation.Resync).Succeeded, Is.True);
        _rig.Scheduler.RunUntilIdle();
        Assert.That(pair.TracksCopied, Is.EqualTo(Tracks), "PSUE keeps no valid differential: every track");
        Assert.That(MirrorRig.Checksum(_s), Is.EqualTo(MirrorRig.Checksum(_p)));
    }

    [Test]
    public void ProgressIsReportedInPercentWhileTheCopyRuns()
    {
        using MirrorRig rig = new(seed: 5, pace: new CopyPace { TracksPerStep = 1 });
        Ldev p = rig.Volume(1, 100 * 128);
        Ldev s = rig.Volume(2, 100 * 128);
        MirrorPair pair = rig.CreatePair(p, s);
        List<int> seen = [];
        while (rig.Scheduler.RunOne())
        {
            if (pair.PercentIdentical is int percent && (seen.Count == 0 || seen[^1] != percent))
            {
                seen.Add(percent);
            }
        }

        Assert.That(seen[0], Is.Zero, "starts at 0 %");
        Assert.That(seen[^1], Is.EqualTo(100), "ends at 100 % in PAIR");
        Assert.That(seen, Is.Ordered, "never goes back");
        Assert.That(seen, Has.Count.GreaterThan(50), "one step per track: the column moves through the values");
        Assert.That(seen, Does.Contain(50), "halfway is shown as 50");
    }

    [Test]
    public void ACopyRateLimitSpacesTheStepsOnTheSchedulersClock()
    {
        // 64 tracks of 64 KiB (4 MiB) at 4 MiB/s in steps of 16 tracks: four steps each followed by a 0.25 s pause.
        using MirrorRig rig = new(seed: 5, pace: new CopyPace { TracksPerStep = 16, BytesPerSecond = 4 << 20 });
        Ldev p = rig.Volume(1, 64 * 128);
        Ldev s = rig.Volume(2, 64 * 128);
        DateTimeOffset start = rig.Scheduler.Time.GetUtcNow();
        MirrorPair pair = rig.CreatePair(p, s);
        rig.Scheduler.RunUntilIdle();
        Assert.That(pair.State, Is.EqualTo(PairState.Pair));
        Assert.That(rig.Scheduler.Time.GetUtcNow() - start, Is.EqualTo(TimeSpan.FromSeconds(1)), "4 MiB at 4 MiB/s take one second of virtual time");
    }

    [Test]
    public void HostWritesRunBetweenCopyStepsAndAreNotStarved()
    {
        using MirrorRig rig = new(seed: 5, pace: new CopyPace { TracksPerStep = 1 });
        Ldev p = rig.Volume(1, 200 * 128);
        Ldev s = rig.Volume(2, 200 * 128);
        MirrorPair pair = rig.CreatePair(p, s);
        for (int i = 0; i < 20; i++)
        {
            rig.Scheduler.RunOne();
        }

        long tag = rig.SubmitWrite(p, 199 * 128, MirrorRig.Pattern(1, 8));
        while (!rig.Writes.Single().IsComplete)
        {
            Assert.That(rig.Scheduler.RunOne(), Is.True);
        }

        Assert.That(rig.Completed(tag).Status, Is.EqualTo(MediaStatus.Good));
        Assert.That(pair.State, Is.EqualTo(PairState.Copy), "the host write was served while the copy still runs");
        Assert.That(pair.TracksCopied, Is.LessThan(50), "after a handful of one-track steps, not after the copy");
    }

    [Test]
    [Category("R0-5")]
    public void ASplitDuringTheInitialCopyIsAcceptedAndTheResyncCopiesWhatIsOwed()
    {
        // T2's COPY row (footnote [1]: a pair created without -split goes COPY -> PSUS), T3's Split in COPY(PD).
        using MirrorRig rig = new(seed: 5, pace: new CopyPace { TracksPerStep = 1 });
        Ldev p = rig.Volume(1, 100 * 128);
        Ldev s = rig.Volume(2, 100 * 128);
        MirrorRig.Fill(p, 1);
        MirrorRig.Fill(s, 2);
        MirrorPair pair = rig.CreatePair(p, s);
        for (int i = 0; i < 30; i++)
        {
            rig.Scheduler.RunOne();
        }

        Assert.That(pair.State, Is.EqualTo(PairState.Copy), "still copying");
        PairCommandResponse split = rig.Command(pair, PairOperation.Split);
        rig.Scheduler.RunUntilIdle();

        Assert.That(split.Result, Is.EqualTo(CommandResult.Accepted), split.Message);
        Assert.That(pair.State, Is.EqualTo(PairState.Psus), "PSUS at once, not after the copy");
        // The S-VOL holds the tracks copied so far (the ones in flight at the split did not land); every other track
        // is owed, as a mark, and no copied one is.
        byte[] pData = MirrorRig.ReadAll(p);
        byte[] sData = MirrorRig.ReadAll(s);
        bool[] copied = [.. Enumerable.Range(0, 100).Select(t => pData.AsSpan(t * 64 * 1024, 64 * 1024).SequenceEqual(sData.AsSpan(t * 64 * 1024, 64 * 1024)))];
        Assert.That(copied.Count(c => c), Is.InRange(1, 99), "the copy stopped part way");
        Assert.That(Enumerable.Range(0, 100).Where(t => copied[t] == pair.PVolBitmap.IsSet(t)), Is.Empty, "owed exactly where not copied");
        Assert.That(rig.Write(s, 0, MirrorRig.Pattern(3, 8)), Is.EqualTo(MediaStatus.WriteProtected), "split read-only: the S-VOL refuses host writes");

        // A write to the P-VOL after the split is marked too; the resync copies the owed tracks and the written one.
        Assert.That(rig.Write(p, 99 * 128, MirrorRig.Pattern(4, 8)), Is.EqualTo(MediaStatus.Good));
        Assert.That(rig.Command(pair, PairOperation.Resync).Result, Is.EqualTo(CommandResult.Accepted));
        rig.Scheduler.RunUntilIdle();
        Assert.That(pair.State, Is.EqualTo(PairState.Pair));
        Assert.That(MirrorRig.Checksum(s), Is.EqualTo(MirrorRig.Checksum(p)), "S equals P after the resync");
    }

    [Test]
    public void ASwapResyncDuringTheInitialCopyIsRefusedCopyInProgress()
    {
        using MirrorRig rig = new(seed: 5, pace: new CopyPace { TracksPerStep = 1 });
        MirrorPair pair = rig.CreatePair(rig.Volume(1, 100 * 128), rig.Volume(2, 100 * 128));
        rig.Scheduler.RunOne();
        PairCommandResponse swap = rig.Command(pair, PairOperation.SwapResync);
        Assert.That((swap.Result, swap.Error, pair.State), Is.EqualTo((CommandResult.Rejected, PairErrorCode.CopyInProgress, PairState.Copy)), swap.Message);
    }

    [Test]
    public void AnUnreadableSourceTrackSuspendsThePair()
    {
        Ldev faulty = _rig.Subsystem.Attach(new Ldev(new LdevId(9), new FaultyBlockDevice(new RamBlockStore(Blocks, TrackGeometry.Default)) { FailReadsAt = 10 * 128 }, TrackGeometry.Default));
        MirrorPair pair = _rig.CreatePair(faulty, _s);
        _rig.Scheduler.RunUntilIdle();
        Assert.That(pair.State, Is.EqualTo(PairState.Psue), "the initial copy could not read track 10");
        Assert.That(_rig.Pairs.GetEvents()[^1].Cause, Is.EqualTo(PairEventCause.CopyReadError));
    }

    [Test]
    public void DeletingAPairStopsItsCopy()
    {
        using MirrorRig rig = new(seed: 5, pace: new CopyPace { TracksPerStep = 1 });
        Ldev p = rig.Volume(1, 100 * 128);
        Ldev s = rig.Volume(2, 100 * 128);
        MirrorPair pair = rig.CreatePair(p, s);
        for (int i = 0; i < 10; i++)
        {
            rig.Scheduler.RunOne();
        }

        rig.Command(pair, PairOperation.Delete);
        rig.Scheduler.RunUntilIdle();
        Assert.That(pair.TracksCopied, Is.LessThan(20), "the copy stopped soon after the delete");
        Assert.That(p.Pairing.IsSimplex && s.Pairing.IsSimplex, Is.True, "both volumes are simplex again");
        Assert.That(rig.Write(s, 0, MirrorRig.Pattern(1, 8)), Is.EqualTo(MediaStatus.Good), "the former S-VOL takes host writes");
    }

    private MirrorPair SplitPair(SplitMode mode)
    {
        MirrorPair pair = _rig.CreatePair(_p, _s);
        _rig.Scheduler.RunUntilIdle();
        Assert.That(pair.State, Is.EqualTo(PairState.Pair));
        Assert.That(_rig.Command(pair, PairOperation.Split, mode).Succeeded, Is.True);
        return pair;
    }
}
