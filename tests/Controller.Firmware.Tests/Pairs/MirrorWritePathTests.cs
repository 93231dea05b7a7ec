// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.Media;
using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.Tests.Bitmaps;
using Controller.Firmware.Volumes;

namespace Controller.Firmware.Tests.Pairs;

/// <summary>The host write path per pair state (issue #3 "Writes" and "Host access per state").</summary>
public sealed class MirrorWritePathTests
{
    // 32 full 64 KiB tracks and a partial last one of 40 blocks.
    private const long Blocks = (32 * 128) + 40;

    private MirrorRig _rig = null!;
#pragma warning disable NUnit1032 // the rig's subsystem owns the LDEVs and disposes them
    private Ldev _p = null!;
    private Ldev _s = null!;
#pragma warning restore NUnit1032

    [SetUp]
    public void CreateRig()
    {
        _rig = new MirrorRig(seed: 7);
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
    [Category("R0-6")]
    public void InPairAHostWriteReachesTheSVolBeforeItIsAcknowledged()
    {
        MirrorPair pair = PairUp();
        _rig.WatchAtAck = [_s];
        byte[] data = MirrorRig.Pattern(10, 8);
        long tag = _rig.SubmitWrite(_p, 1000, data);
        _rig.Scheduler.RunUntilIdle();
        MirrorRig.HostWrite write = _rig.Completed(tag);
        Assert.That(write.Status, Is.EqualTo(MediaStatus.Good));
        Assert.That(write.SeenAtAck[_s.Id], Is.EqualTo(data), "at the acknowledgement the S-VOL already holds the data");
        Assert.That(pair.PVolBitmap.CountSet(), Is.Zero, "a mirrored write marks nothing");
    }

    [Test]
    public void EveryAdmittedHostWriteTakesTheNextSequenceNumber()
    {
        PairUp();
        long before = _rig.Subsystem.Sequencer.Current;
        _rig.Write(_p, 0, MirrorRig.Pattern(1, 8));
        Assert.That(_rig.Write(_s, 0, MirrorRig.Pattern(2, 8)), Is.EqualTo(MediaStatus.WriteProtected), "refused: not admitted");
        _rig.Write(_p, 8, MirrorRig.Pattern(3, 8));
        Assert.That(_rig.Subsystem.Sequencer.Current, Is.EqualTo(before + 2), "two admitted writes, two numbers; the refused one takes none");
    }

    [Test]
    [Category("R0-8")]
    public void AfterASplitWritesChangeOnlyThePVolAndMarkExactlyTheTracksWritten()
    {
        MirrorPair pair = PairUp();
        Assert.That(_rig.Command(pair, PairOperation.Split).Succeeded, Is.True);
        string sBefore = MirrorRig.Checksum(_s);
        string pBefore = MirrorRig.Checksum(_p);

        _rig.Write(_p, 3 * 128, MirrorRig.Pattern(3, 8));                // track 3
        _rig.Write(_p, (17 * 128) + 120, MirrorRig.Pattern(4, 16));      // tracks 17 and 18 (crosses the boundary)
        _rig.Write(_p, 32 * 128, MirrorRig.Pattern(5, 40));              // the partial last track, 32

        Assert.That(MirrorRig.Checksum(_s), Is.EqualTo(sBefore), "the S-VOL keeps the split image");
        Assert.That(MirrorRig.Checksum(_p), Is.Not.EqualTo(pBefore), "the P-VOL took the writes");
        Assert.That(DifferentialBitmapTests.SetTracks(pair.PVolBitmap), Is.EqualTo(new long[] { 3, 17, 18, 32 }), "exactly the tracks written are marked");
        Assert.That(pair.SVolBitmap.CountSet(), Is.Zero, "nothing was written on the S side");
    }

    [Test]
    [Category("R0-7")]
    public void AnSVolRefusesHostWritesWithDataProtectWhileMirroredOrCopying()
    {
        MirrorPair pair = _rig.CreatePair(_p, _s);
        Assert.That(_rig.Write(_s, 0, MirrorRig.Pattern(1, 8)), Is.EqualTo(MediaStatus.WriteProtected), "COPY");
        Assert.That(pair.State, Is.EqualTo(PairState.Pair));
        Assert.That(_rig.Write(_s, 0, MirrorRig.Pattern(1, 8)), Is.EqualTo(MediaStatus.WriteProtected), "PAIR");
        _rig.Command(pair, PairOperation.Split);
        Assert.That(_rig.Write(_s, 0, MirrorRig.Pattern(1, 8)), Is.EqualTo(MediaStatus.WriteProtected), "PSUS after a read-only split");
        _rig.Command(pair, PairOperation.Resync);
        Assert.That(_rig.Write(_s, 0, MirrorRig.Pattern(1, 8)), Is.EqualTo(MediaStatus.WriteProtected), "COPY(RS), submitted before the resync ran");
        Assert.That(MirrorRig.Checksum(_s), Is.EqualTo(MirrorRig.Checksum(_p)), "no refused write touched the S-VOL");
    }

    [Test]
    [Category("R0-7")]
    [Category("R0-8")]
    public void AfterAReadWriteSplitTheSVolAcceptsWritesAndMarksItsOwnBitmap()
    {
        MirrorPair pair = PairUp();
        _rig.Command(pair, PairOperation.Split, SplitMode.ReadWrite);
        byte[] data = MirrorRig.Pattern(9, 8);
        Assert.That(_rig.Write(_s, 5 * 128, data), Is.EqualTo(MediaStatus.Good), "split -rw: the S-VOL is the host's");
        Assert.That(DifferentialBitmapTests.SetTracks(pair.SVolBitmap), Is.EqualTo(new long[] { 5 }), "the S side marks track 5");
        Assert.That(pair.PVolBitmap.CountSet(), Is.Zero, "the P side is untouched");
    }

    [Test]
    public void DuringARestoreThePVolRefusesHostWrites()
    {
        MirrorPair pair = PairUp();
        _rig.Command(pair, PairOperation.Split, SplitMode.ReadWrite);
        _rig.Command(pair, PairOperation.Restore);
        Assert.That(_rig.Write(_p, 0, MirrorRig.Pattern(1, 8)), Is.EqualTo(MediaStatus.WriteProtected), "RCPY: the restore owns the P-VOL");
    }

    [Test]
    [Category("R0-6")]
    [Category("R0-10")]
    public void InACascadeAHostWriteReachesTheSecondSVolBeforeItIsAcknowledged()
    {
        Ldev s2 = _rig.Volume(3, Blocks);
        MirrorPair first = _rig.CreatePair(_p, _s);
        MirrorPair second = _rig.CreatePair(_s, s2);
        _rig.Scheduler.RunUntilIdle();
        Assert.That((first.State, second.State), Is.EqualTo((PairState.Pair, PairState.Pair)), "P -> S1 -> S2, all PAIR");
        Assert.That(MirrorRig.Checksum(s2), Is.EqualTo(MirrorRig.Checksum(_p)), "the cascade copied P's image to S2");

        _rig.WatchAtAck = [_s, s2];
        byte[] data = MirrorRig.Pattern(11, 24);
        long tag = _rig.SubmitWrite(_p, 4000, data);
        _rig.Scheduler.RunUntilIdle();
        MirrorRig.HostWrite write = _rig.Completed(tag);
        Assert.That(write.SeenAtAck[_s.Id], Is.EqualTo(data), "S1 had it at the acknowledgement");
        Assert.That(write.SeenAtAck[s2.Id], Is.EqualTo(data), "and so had S2");
    }

    [Test]
    [Category("R0-6")]
    public void APVolWithThreeMirrorsWritesAllOfThemBeforeTheAcknowledgement()
    {
        Ldev s2 = _rig.Volume(3, Blocks);
        Ldev s3 = _rig.Volume(4, Blocks);
        _rig.CreatePair(_p, _s);
        _rig.CreatePair(_p, s2);
        _rig.CreatePair(_p, s3);
        _rig.Scheduler.RunUntilIdle();
        _rig.WatchAtAck = [_s, s2, s3];
        byte[] data = MirrorRig.Pattern(12, 8);
        long tag = _rig.SubmitWrite(_p, 64, data);
        _rig.Scheduler.RunUntilIdle();
        MirrorRig.HostWrite write = _rig.Completed(tag);
        foreach (Ldev sVol in new[] { _s, s2, s3 })
        {
            Assert.That(write.SeenAtAck[sVol.Id], Is.EqualTo(data), "mirror unit of " + sVol.Id);
        }
    }

    [Test]
    public void AFailedMirrorWriteSuspendsThePairButTheHostWriteSucceeds()
    {
        Ldev faulty = _rig.Subsystem.Attach(new Ldev(new LdevId(9), new FaultyBlockDevice(new RamBlockStore(Blocks, TrackGeometry.Default)), TrackGeometry.Default));
        MirrorPair pair = _rig.CreatePair(_p, faulty);
        _rig.Scheduler.RunUntilIdle();
        ((FaultyBlockDevice)faulty.Media).FailWritesAt = 2000;
        Assert.That(_rig.Write(_p, 2000, MirrorRig.Pattern(1, 8)), Is.EqualTo(MediaStatus.Good), "the P-VOL has the data");
        Assert.That(pair.State, Is.EqualTo(PairState.Psue), "the S-VOL could not take it: suspended by error");
        PairEvent last = _rig.Pairs.GetEvents()[^1];
        Assert.That((last.Cause, last.To), Is.EqualTo((PairEventCause.MirrorWriteError, PairState.Psue)), "logged with its cause");
    }

    [Test]
    public void AMirrorWriteThatFindsTheSVolQueueFullSuspendsThePair()
    {
        using MirrorRig rig = new(seed: 3, queueDepth: 8);
        Ldev p = rig.Volume(2, Blocks);   // MP 0
        Ldev s = rig.Volume(1, Blocks);   // MP 1
        MirrorPair pair = rig.CreatePair(p, s);
        rig.Scheduler.RunUntilIdle();
        Assert.That(pair.State, Is.EqualTo(PairState.Pair));

        // Fault injection: S's MP is stalled with its internal ring (where mirror writes go) full of other work when
        // P's MP forwards the write.
        IdleTask idle = new();
        while (s.Owner!.TrySubmitInternal(BlockCommand.ForTask(s, idle)))
        {
        }

        long tag = rig.SubmitWrite(p, 0, MirrorRig.Pattern(3, 8));
        Assert.That(rig.Scheduler.RunReady(p.Owner!), Is.True, "P's MP runs while S's is stalled");
        rig.Scheduler.RunUntilIdle();
        Assert.That(pair.State, Is.EqualTo(PairState.Psue), "a mirror that cannot take a write is suspended, never silently behind");
        Assert.That(rig.Pairs.GetEvents()[^1].Cause, Is.EqualTo(PairEventCause.MirrorQueueFull));
        Assert.That(rig.Completed(tag).Status, Is.EqualTo(MediaStatus.Good), "the host write was acknowledged: the P-VOL has it");
    }

    [Test]
    public void HostCommandsInFlightAreBoundedAndEveryAnswerReleasesOne()
    {
        using MirrorRig rig = new(seed: 3, queueDepth: 16);
        Ldev p = rig.Volume(2, Blocks);
        Ldev s = rig.Volume(1, Blocks);
        rig.CreatePair(p, s);
        rig.Scheduler.RunUntilIdle();
        int admitted = 0;
        while (rig.TrySubmitWrite(p, admitted * 8, MirrorRig.Pattern((ulong)admitted, 8), out _))
        {
            admitted++;
        }

        Assert.That(admitted, Is.EqualTo(4), "a quarter of the queue depth: the next host command is told TASK SET FULL");
        Assert.That(rig.Subsystem.HostCommandsInFlight, Is.EqualTo(4));
        rig.Scheduler.RunUntilIdle();
        Assert.That(rig.Subsystem.HostCommandsInFlight, Is.Zero, "every mirrored write, once acknowledged, left the count");
        Assert.That(rig.TrySubmitWrite(p, 0, MirrorRig.Pattern(9, 8), out _), Is.True, "room again");
    }

    private MirrorPair PairUp()
    {
        MirrorPair pair = _rig.CreatePair(_p, _s);
        _rig.Scheduler.RunUntilIdle();
        Assert.That(pair.State, Is.EqualTo(PairState.Pair), "the initial copy finished");
        return pair;
    }

    private sealed class IdleTask : IMpTask
    {
        public void Run()
        {
        }
    }
}
