// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.Bitmaps;
using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.Scheduling;
using Controller.Firmware.Volumes;

namespace Controller.Firmware.Tests.Pairs;

[Category("R0-4")]
public sealed class CopyManagementTableTests
{
    private const long Blocks = 1 << 14;

    private DeterministicScheduler _scheduler = null!;
    private StorageSubsystem _subsystem = null!;
    private WriteSequencer _sequencer = null!;
    private CopyManagementTable _table = null!;

    [SetUp]
    public void CreateTable()
    {
        // NUnit reuses one fixture instance for all its tests: everything stateful is made fresh here.
        _scheduler = new DeterministicScheduler(1);
        _subsystem = new StorageSubsystem(_scheduler, new SubsystemOptions { MpCount = 2, QueueDepth = 64 });
        _sequencer = _subsystem.Sequencer;
        _table = _subsystem.Pairs;
    }

    [TearDown]
    public void DisposeSubsystem()
    {
        _subsystem.Dispose();
    }

    [Test]
    public void CreateAddsARowInCopyWithTheFirstMirrorUnit()
    {
        PairCommandResponse response = Create(1, 2);
        Assert.That(response.Result, Is.EqualTo(CommandResult.Accepted), response.Message);
        Assert.That(response.State, Is.EqualTo(PairState.Copy), "a new pair starts its initial copy");
        MirrorPair? pair = _table.Find(Address(1), Address(2));
        Assert.That(pair, Is.Not.Null, "the row is queryable by (P-VOL, S-VOL)");
        Assert.That(pair!.MirrorUnit, Is.Zero, "first mirror of the P-VOL");
        Assert.That(pair.Type, Is.EqualTo(MirrorType.Local), "same subsystem");
        Assert.That(response.Message, Is.EqualTo("0x400104, 0x0001 -> 0x400104, 0x0002: SMPL x Create accepted -> COPY"), "the message names the pair");
    }

    [Test]
    public void AnAnswersWordsAreMadeWhenTheyAreReadNotWhenItIsAnswered()
    {
        // A resync of 512 pairs between splits reads only the verdicts: its answers' words must cost nothing then.
        PairCommandResponse response = Create(1, 2);
        long before = GC.GetAllocatedBytesForCurrentThread();
        string words = response.Message;
        long formatting = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(words, Is.EqualTo("0x400104, 0x0001 -> 0x400104, 0x0002: SMPL x Create accepted -> COPY"), "the same words as ever");
        Assert.That(formatting, Is.GreaterThanOrEqualTo(words.Length * sizeof(char)), "reading the message formats it (it was not made with the answer)");
    }

    [Test]
    public void CreatingAnExistingPairAgainIsANoOp()
    {
        Create(1, 2);
        PairCommandResponse again = Create(1, 2);
        Assert.That(again.Result, Is.EqualTo(CommandResult.NoOp), "T2: paircreate on COPY is Acceptable");
        Assert.That(_table.GetPairs(), Has.Count.EqualTo(1), "no second row");
    }

    [Test]
    public void VolumesOfDifferentCapacityCannotPair()
    {
        PairCommandResponse response = _table.Create(Address(1), NewLdev(1, Blocks), Address(2), NewLdev(2, Blocks * 2));
        Assert.That(response.Error, Is.EqualTo(PairErrorCode.CapacityMismatch), response.Message);
        Assert.That(_table.GetPairs(), Is.Empty, "a refused create adds no row");
    }

    [Test]
    public void AVolumeCannotMirrorItself()
    {
        Ldev ldev = NewLdev(1, Blocks);
        PairCommandResponse response = _table.Create(Address(1), ldev, Address(1), ldev);
        Assert.That(response.Error, Is.EqualTo(PairErrorCode.SameVolume), response.Message);
    }

    [Test]
    public void APVolHasAtMostThreeLocalMirrors()
    {
        Ldev pVol = NewLdev(1, Blocks);
        for (ushort s = 2; s <= 4; s++)
        {
            PairCommandResponse ok = _table.Create(Address(1), pVol, Address(s), NewLdev(s, Blocks));
            Assert.That(ok.Succeeded, Is.True, ok.Message);
            Assert.That(_table.Find(Address(1), Address(s))!.MirrorUnit, Is.EqualTo(s - 2), "mirror units 0, 1, 2 in order");
        }

        PairCommandResponse fourth = _table.Create(Address(1), pVol, Address(5), NewLdev(5, Blocks));
        Assert.That(fourth.Error, Is.EqualTo(PairErrorCode.MirrorUnitsExhausted), fourth.Message);
    }

    [Test]
    public void ADeletedMirrorFreesItsMirrorUnit()
    {
        Ldev pVol = NewLdev(1, Blocks);
        _table.Create(Address(1), pVol, Address(2), NewLdev(2, Blocks));
        _table.Create(Address(1), pVol, Address(3), NewLdev(3, Blocks));
        Assert.That(_table.Execute(Address(1), Address(2), PairOperation.Delete).Succeeded, Is.True, "delete MU 0");
        _table.Create(Address(1), pVol, Address(4), NewLdev(4, Blocks));
        Assert.That(_table.Find(Address(1), Address(4))!.MirrorUnit, Is.Zero, "the freed unit is reused");
    }

    [Test]
    public void AnSVolBelongsToOnePairOnly()
    {
        Ldev sVol = NewLdev(2, Blocks);
        _table.Create(Address(1), NewLdev(1, Blocks), Address(2), sVol);
        PairCommandResponse second = _table.Create(Address(3), NewLdev(3, Blocks), Address(2), sVol);
        Assert.That(second.Error, Is.EqualTo(PairErrorCode.SVolInUse), second.Message);
    }

    [Test]
    [Category("R0-10")]
    public void AVolumeMayBeTheSVolOfOnePairAndThePVolOfAnother()
    {
        Ldev middle = NewLdev(2, Blocks);
        Assert.That(_table.Create(Address(1), NewLdev(1, Blocks), Address(2), middle).Succeeded, Is.True, "P -> S1");
        Assert.That(_table.Create(Address(2), middle, Address(3), NewLdev(3, Blocks)).Succeeded, Is.True, "S1 -> S2: a cascade");
        Assert.That(_table.FindByVolume(Address(2)), Has.Count.EqualTo(2), "the middle volume is in both pairs");
    }

    [Test]
    public void RowsAreQueryableByVolumeAddressAndByMirrorName()
    {
        Create(1, 2);
        Create(3, 4);
        Create(1, 5);
        MirrorPair first = _table.Find(Address(1), Address(2))!;
        MirrorPair second = _table.Find(Address(3), Address(4))!;

        // Names are defined by NAME MIRRORS (issue #5); the row carries one already.
        first.MirrorName = "aux";
        second.MirrorName = "aux";
        Assert.That(_table.FindByMirrorName("aux"), Is.EqualTo(new[] { first, second }), "both rows of the name, in entry order");
        Assert.That(_table.FindByMirrorName("AUX"), Is.Empty, "names compare exactly");
        Assert.That(_table.FindByVolume(Address(1)), Has.Count.EqualTo(2), "a P-VOL with two mirrors is in two rows");
        Assert.That(_table.FindByVolume(Address(4)), Is.EqualTo(new[] { second }), "an S-VOL is in its one row");
    }

    [Test]
    public void CommandsOnVolumesWithoutAPairFollowTheSmplRow()
    {
        PairCommandResponse delete = _table.Execute(Address(1), Address(2), PairOperation.Delete);
        Assert.That(delete.Result, Is.EqualTo(CommandResult.NoOp), "delete of SMPL is Acceptable");
        PairCommandResponse split = _table.Execute(Address(1), Address(2), PairOperation.Split);
        Assert.That(split.Error, Is.EqualTo(PairErrorCode.NotPaired), split.Message);
    }

    [Test]
    public void ARejectedCommandChangesNothingAndIsLogged()
    {
        Create(1, 2);
        PairCommandResponse restore = _table.Execute(Address(1), Address(2), PairOperation.Restore);
        Assert.That(restore.Error, Is.EqualTo(PairErrorCode.CopyInProgress), restore.Message);
        Assert.That(_table.Find(Address(1), Address(2))!.State, Is.EqualTo(PairState.Copy), "the state is unchanged");
        PairEvent last = _table.GetEvents()[^1];
        Assert.That((last.Operation, last.Result, last.Error), Is.EqualTo((PairOperation.Restore, CommandResult.Rejected, PairErrorCode.CopyInProgress)),
            "the refusal is in the event log");
    }

    [Test]
    public void ASplitRecordsItsSplitPointAndTheSVolShowsSsus()
    {
        Create(1, 2);
        MirrorPair pair = _table.Find(Address(1), Address(2))!;
        _scheduler.RunUntilIdle();
        Assert.That(pair.State, Is.EqualTo(PairState.Pair), "the initial copy finished");
        for (int i = 0; i < 5; i++)
        {
            _sequencer.Next();
        }

        PairCommandResponse split = _table.Execute(Address(1), Address(2), PairOperation.Split, SplitMode.ReadWrite);
        Assert.That(split.State, Is.EqualTo(PairState.Psus), split.Message);
        Assert.That(pair.SplitSequence, Is.EqualTo(5), "the split point is the write sequence at the split");
        Assert.That(pair.SplitMode, Is.EqualTo(SplitMode.ReadWrite), "split -rw");
        Assert.That(PairStateNames.OfSVol(pair.State), Is.EqualTo("SSUS"), "each side reports its own view");
    }

    [Test]
    public void SwapResyncExchangesTheRoles()
    {
        MirrorPair pair = SplitPair(1, 2);
        PairCommandResponse swap = _table.Execute(Address(1), Address(2), PairOperation.SwapResync);
        Assert.That(swap.State, Is.EqualTo(PairState.CopyResync), swap.Message);
        Assert.That((pair.PVolAddress, pair.SVolAddress), Is.EqualTo((Address(2), Address(1))), "the old S-VOL is now the P-VOL");
        Assert.That(_table.Find(Address(2), Address(1)), Is.SameAs(pair), "the row is found under its new roles");
    }

    [Test]
    public void DeleteRemovesTheRowFromAnyState()
    {
        Create(1, 2);
        PairCommandResponse delete = _table.Execute(Address(1), Address(2), PairOperation.Delete);
        Assert.That(delete.State, Is.EqualTo(PairState.Smpl), delete.Message);
        Assert.That(_table.GetPairs(), Is.Empty, "the row is gone");
    }

    [Test]
    public void EveryDecisionIsLoggedWithTimeAndSequence()
    {
        Create(1, 2);
        _sequencer.Next();
        _table.Execute(Address(1), Address(2), PairOperation.SuspendByError);
        IReadOnlyList<PairEvent> events = _table.GetEvents();
        Assert.That(events, Has.Count.EqualTo(2), "create and suspend");
        Assert.That((events[0].From, events[0].To, events[0].Sequence), Is.EqualTo((PairState.Smpl, PairState.Copy, 0L)), "create event");
        Assert.That((events[1].From, events[1].To, events[1].Sequence), Is.EqualTo((PairState.Copy, PairState.Psue, 1L)), "suspend event");
        Assert.That(events[1].Time, Is.EqualTo(_scheduler.Time.GetUtcNow()), "stamped with the controller's clock");
    }

    [Test]
    [Category("R0-5")]
    [Category("R0-9")]
    public void CreateCopiesEveryTrackThenThePairIsPair()
    {
        Create(1, 2);
        MirrorPair pair = _table.Find(Address(1), Address(2))!;
        Assert.That(pair.State, Is.EqualTo(PairState.Copy), "the copy runs in the background");
        Assert.That(pair.PercentIdentical, Is.Zero, "nothing copied yet");
        _scheduler.RunUntilIdle();
        Assert.That(pair.State, Is.EqualTo(PairState.Pair), "the copy engine finished");
        Assert.That((pair.CopyTotalTracks, pair.TracksCopied), Is.EqualTo((pair.PVolBitmap.TrackCount, pair.PVolBitmap.TrackCount)), "the initial copy covers every track");
        Assert.That(pair.CopyDirection, Is.EqualTo(CopyDirection.PVolToSVol), "P to S");
        Assert.That(pair.PercentIdentical, Is.EqualTo(100), "PAIR");
        PairEvent last = _table.GetEvents()[^1];
        Assert.That((last.Cause, last.From, last.To), Is.EqualTo((PairEventCause.CopyComplete, PairState.Copy, PairState.Pair)), "the completion is logged with its cause");
    }

    [Test]
    [Category("R0-8")]
    public void ResyncCopiesTheUnionOfBothSidesMarkedTracks()
    {
        MirrorPair pair = SplitPair(1, 2);
        pair.PVolBitmap.Set(0);
        pair.PVolBitmap.Set(5);
        pair.SVolBitmap.Set(5);
        pair.SVolBitmap.Set(9);
        Assert.That(pair.CountDifferentialTracks(), Is.EqualTo(3), "P-side {0, 5} union S-side {5, 9}");
        PairCommandResponse resync = _table.Execute(Address(1), Address(2), PairOperation.Resync);
        Assert.That(resync.State, Is.EqualTo(PairState.CopyResync), resync.Message);
        _scheduler.RunUntilIdle();
        Assert.That((pair.CopyTotalTracks, pair.TracksCopied), Is.EqualTo((3L, 3L)), "exactly the three tracks of the union are copied");
        Assert.That(pair.PVolBitmap.CountSet() + pair.SVolBitmap.CountSet(), Is.Zero, "both sides start fresh bitmaps");
        Assert.That(pair.State, Is.EqualTo(PairState.Pair), "resynchronized");
    }

    [Test]
    public void ResyncAfterSuspendByErrorCopiesEverything()
    {
        MirrorPair pair = SplitPair(1, 2);
        pair.PVolBitmap.Set(3);
        _table.Execute(Address(1), Address(2), PairOperation.SuspendByError);
        Assert.That(pair.CopySet, Is.Null, "PSUE has no pending copy");
        Assert.That(pair.PercentIdentical, Is.Null, "PSUE has no valid differential to report");
        _table.Execute(Address(1), Address(2), PairOperation.Resync);
        _scheduler.RunUntilIdle();
        Assert.That(pair.TracksCopied, Is.EqualTo(pair.PVolBitmap.TrackCount), "PSUE keeps no valid differential: full copy");
    }

    [Test]
    public void RestoreCopiesTheUnionFromSToP()
    {
        MirrorPair pair = SplitPair(1, 2);
        pair.SVolBitmap.Set(7);
        _table.Execute(Address(1), Address(2), PairOperation.Restore);
        Assert.That(pair.State, Is.EqualTo(PairState.Rcpy), "restore running");
        Assert.That(pair.CopyDirection, Is.EqualTo(CopyDirection.SVolToPVol), "S to P");
        _scheduler.RunUntilIdle();
        Assert.That((pair.TracksCopied, pair.State), Is.EqualTo((1L, PairState.Pair)), "the one S-side change went back, then PAIR");
    }

    [Test]
    public void SwapResyncCopiesTheUnionFromTheNewPVol()
    {
        MirrorPair pair = SplitPair(1, 2);
        DifferentialBitmap oldSSide = pair.SVolBitmap;
        oldSSide.Set(4);
        _table.Execute(Address(1), Address(2), PairOperation.SwapResync);
        Assert.That(pair.PVolAddress, Is.EqualTo(Address(2)), "the former S-VOL leads");
        Assert.That(pair.CopyDirection, Is.EqualTo(CopyDirection.PVolToSVol), "from the new P-VOL");
        _scheduler.RunUntilIdle();
        Assert.That((pair.TracksCopied, pair.State), Is.EqualTo((1L, PairState.Pair)), "the changed track went to the new S-VOL, then PAIR");
    }

    private MirrorPair SplitPair(ushort p, ushort s)
    {
        Create(p, s);
        MirrorPair pair = _table.Find(Address(p), Address(s))!;
        _scheduler.RunUntilIdle();
        Assert.That(pair.State, Is.EqualTo(PairState.Pair), "the initial copy finished");
        PairCommandResponse split = _table.Execute(Address(p), Address(s), PairOperation.Split, SplitMode.ReadWrite);
        Assert.That(split.State, Is.EqualTo(PairState.Psus), split.Message);
        return pair;
    }

    private PairCommandResponse Create(ushort p, ushort s)
    {
        return _table.Create(Address(p), NewLdev(p, Blocks), Address(s), NewLdev(s, Blocks));
    }

    private static VolumeAddress Address(ushort lun)
    {
        return new VolumeAddress(new PortId(0x400104), new Lun(lun));
    }

    private Ldev NewLdev(ushort id, long blocks)
    {
        return _subsystem.FindLdev(new LdevId(id)) ?? _subsystem.CreateLdev(new LdevId(id), blocks);
    }
}
