// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.Bitmaps;
using Controller.Firmware.Media;
using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.RemoteCopy;

namespace Controller.Firmware.Tests.Pairs;

/// <summary>
/// The restart table's remote rows (docs/durability.md), cell by cell: a remote pair kept at both sides, both sides
/// restarted after a graceful stop or a crash, each side's row checked (state, marks, role, peer), and then the pair
/// brought back to PAIR (its copy, or a resync) with the S-VOL equal to the P-VOL block for block.
/// </summary>
public sealed class KeptRemotePairStateTests
{
    private const ushort Lun = 1;

    // 1 track per step at 64 KiB/s: a copy is still running while only ready work runs (the clock stands still).
    private static readonly CopyPace Slow = new() { TracksPerStep = 1, BytesPerSecond = 64 * 1024 };

    private string _folder = string.Empty;

    public enum Kept
    {
        Copy,
        Pair,
        Psus,
        PsusReadWrite,
        Psue,
        SVolTakeover,
        CopyResync,
    }

    [SetUp]
    public void CreateFolder()
    {
        _folder = Directory.CreateTempSubdirectory("remote-restart-").FullName;
    }

    [TearDown]
    public void DeleteFolder()
    {
        Directory.Delete(_folder, recursive: true);
    }

    // (kept, crash) -> the primary's state and whether its P side is all marked; the secondary's state and whether its
    // S side is all marked. "Exact" cells keep the marks as they were.
    private static IEnumerable<TestCaseData> Cells()
    {
        yield return Cell(Kept.Copy, false, PairState.Copy, true, PairState.Copy, false);
        yield return Cell(Kept.Copy, true, PairState.Copy, true, PairState.Copy, false);
        yield return Cell(Kept.Pair, false, PairState.Pair, false, PairState.Pair, false);
        yield return Cell(Kept.Pair, true, PairState.Psue, true, PairState.Pair, false);
        yield return Cell(Kept.Psus, false, PairState.Psus, false, PairState.Psus, false);
        yield return Cell(Kept.Psus, true, PairState.Psus, true, PairState.Psus, false);
        yield return Cell(Kept.PsusReadWrite, false, PairState.Psus, false, PairState.Psus, false);
        yield return Cell(Kept.PsusReadWrite, true, PairState.Psus, true, PairState.Psus, true);
        yield return Cell(Kept.Psue, false, PairState.Psue, false, PairState.Psue, false);
        yield return Cell(Kept.Psue, true, PairState.Psue, true, PairState.Psue, false);
        yield return Cell(Kept.SVolTakeover, false, PairState.Psue, false, PairState.Psus, false);
        yield return Cell(Kept.SVolTakeover, true, PairState.Psue, true, PairState.Psus, true);
        yield return Cell(Kept.CopyResync, false, PairState.CopyResync, true, PairState.CopyResync, false);
        yield return Cell(Kept.CopyResync, true, PairState.CopyResync, true, PairState.CopyResync, false);
    }

    private static TestCaseData Cell(Kept kept, bool crash, PairState primary, bool primaryAllMarked, PairState secondary, bool secondaryAllMarked)
    {
        return new TestCaseData(kept, crash, primary, primaryAllMarked, secondary, secondaryAllMarked)
            .SetName("Kept " + kept + (crash ? " after a crash" : " after a graceful stop") + ": primary " + PairStateNames.Of(primary) + ", secondary " + PairStateNames.Of(secondary));
    }

    [TestCaseSource(nameof(Cells))]
    public void ARemoteRowComesBackByTheRestartTableAtBothSides(Kept kept, bool crash, PairState primary, bool primaryAllMarked, PairState secondary, bool secondaryAllMarked)
    {
        using RemoteRestartRig rig = new(31, _folder, [Lun], Slow);
        MirrorRig.Fill(rig.Volume1(Lun), 7);
        Reach(rig, kept);
        rig.CommitBoth();
        long[] pMarks = Marked(rig.Primary(Lun)!.PVolBitmap);
        long[] sMarks = Marked(rig.Secondary(Lun)!.SVolBitmap);
        bool determiningBefore = rig.Primary(Lun)!.Determining;

        rig.Restart(primaryCrashes: crash, secondaryCrashes: crash, seed: 32);

        Assert.That(rig.Problems1.Concat(rig.Problems2), Is.Empty, "every kept row came back");
        MirrorPair p = rig.Primary(Lun)!;
        MirrorPair s = rig.Secondary(Lun)!;
        Assert.That(p, Is.Not.Null, "the primary's row is back");
        Assert.That(s, Is.Not.Null, "the secondary's row is back");
        Assert.That((p.LocalRole, p.Type, p.Path, p.Determining), Is.EqualTo((PairRole.PVol, MirrorType.Remote, (IRemoteCopyPath)rig.Path, determiningBefore)), "the primary's row follows its path");
        Assert.That((s.LocalRole, s.Peer), Is.EqualTo((PairRole.SVol, RemoteRestartRig.Ss1Initiator)), "the secondary's row follows its primary's link identity");
        Assert.That(p.State, Is.EqualTo(primary), "the primary's cell");
        Assert.That(s.State, Is.EqualTo(secondary), "the secondary's cell: it decides nothing");
        Assert.That(primaryAllMarked ? p.PVolBitmap.CountSet() : (object)Marked(p.PVolBitmap), Is.EqualTo(primaryAllMarked ? p.PVolBitmap.TrackCount : (object)pMarks), "the primary's P side");
        Assert.That(secondaryAllMarked ? s.SVolBitmap.CountSet() : (object)Marked(s.SVolBitmap), Is.EqualTo(secondaryAllMarked ? s.SVolBitmap.TrackCount : (object)sMarks), "the secondary's S side");

        // Back to PAIR: a copy runs again by itself; a suspended pair is resynced by its primary.
        if (p.State is PairState.Psus or PairState.Psue)
        {
            Assert.That(rig.Command(rig.Ss1, RemoteRestartRig.At1(Lun), RemoteRestartRig.At2(Lun), PairOperation.Resync).Succeeded, Is.True, "the resync is accepted");
        }

        rig.Scheduler.RunUntilIdle();
        Assert.That(rig.Write(rig.Volume1(Lun), 100, 8, 99), Is.EqualTo(MediaStatus.Good), "a host write after the restart");
        rig.Scheduler.RunUntilIdle();
        Assert.That((rig.Primary(Lun)!.State, rig.Secondary(Lun)!.State), Is.EqualTo((PairState.Pair, PairState.Pair)), "both sides mirror again");
        Assert.That(MirrorRig.Checksum(rig.Volume2(Lun)), Is.EqualTo(MirrorRig.Checksum(rig.Volume1(Lun))), "the S-VOL equals the P-VOL block for block");
    }

    [TestCase(Kept.Copy, PairState.Copy)]
    [TestCase(Kept.Pair, PairState.Psue)]
    public void APrimaryKilledAloneComesBackAndTheSecondaryThatSuspendedItsSideFollowsIt(Kept kept, PairState primary)
    {
        using RemoteRestartRig rig = new(51, _folder, [Lun], Slow);
        MirrorRig.Fill(rig.Volume1(Lun), 9);
        Reach(rig, kept);
        rig.CommitBoth();

        // The primary's process dies: the secondary, still running, loses the link and suspends its side.
        rig.Path.Down();
        Assert.That(rig.Secondary(Lun)!.State, Is.EqualTo(PairState.Psue));
        rig.Restart(primaryCrashes: true, secondaryCrashes: false, seed: 52);
        Assert.That((rig.Primary(Lun)!.State, rig.Secondary(Lun)!.State), Is.EqualTo((primary, PairState.Psue)), "the primary by the restart table; the secondary as it was");
        if (primary == PairState.Psue)
        {
            Assert.That(rig.Command(rig.Ss1, RemoteRestartRig.At1(Lun), RemoteRestartRig.At2(Lun), PairOperation.Resync).Succeeded, Is.True);
        }

        rig.Scheduler.RunUntilIdle();
        Assert.That((rig.Primary(Lun)!.State, rig.Secondary(Lun)!.State), Is.EqualTo((PairState.Pair, PairState.Pair)), "the secondary followed the primary's messages");
        Assert.That(MirrorRig.Checksum(rig.Volume2(Lun)), Is.EqualTo(MirrorRig.Checksum(rig.Volume1(Lun))), "S equals P");
    }

    [Test]
    public void ASecondaryKilledAloneComesBackAsKeptAndTheResyncSendsWhatThePrimaryMarked()
    {
        using RemoteRestartRig rig = new(53, _folder, [Lun], Slow);
        MirrorRig.Fill(rig.Volume1(Lun), 10);
        Reach(rig, Kept.Pair);
        rig.CommitBoth();

        // The secondary's process dies: the primary, still running, suspends the pair and marks the writes it cannot send.
        rig.Path.Down();
        Assert.That(rig.Write(rig.Volume1(Lun), 600, 64, 11), Is.EqualTo(MediaStatus.Good));
        long marked = rig.Primary(Lun)!.PVolBitmap.CountSet();
        rig.Restart(primaryCrashes: false, secondaryCrashes: true, seed: 54);
        Assert.That(rig.Secondary(Lun)!.State, Is.EqualTo(PairState.Pair), "the secondary restores what it kept and decides nothing");
        Assert.That((rig.Primary(Lun)!.State, rig.Primary(Lun)!.PVolBitmap.CountSet()), Is.EqualTo((PairState.Psue, marked)), "the primary's marks, exactly");
        Assert.That(rig.Command(rig.Ss1, RemoteRestartRig.At1(Lun), RemoteRestartRig.At2(Lun), PairOperation.Resync).Succeeded, Is.True);
        rig.Scheduler.RunUntilIdle();
        Assert.That((rig.Primary(Lun)!.State, rig.Secondary(Lun)!.State), Is.EqualTo((PairState.Pair, PairState.Pair)));
        Assert.That(MirrorRig.Checksum(rig.Volume2(Lun)), Is.EqualTo(MirrorRig.Checksum(rig.Volume1(Lun))), "S equals P");
    }

    [Test]
    public void ACopyInterruptedByARestartWaitsForTheLinkThenCopiesEveryTrack()
    {
        using RemoteRestartRig rig = new(41, _folder, [Lun], Slow);
        MirrorRig.Fill(rig.Volume1(Lun), 8);
        Assert.That(rig.CreateRemote(Lun).Succeeded, Is.True);
        rig.RunReady();
        rig.CommitBoth();
        rig.Restart(primaryCrashes: true, secondaryCrashes: true, seed: 42, linkDownAtStart: true);

        Assert.That(rig.Ss1.Pairs.GetCopiesAwaitingLink(), Is.EqualTo(new[] { new PairAddress(RemoteRestartRig.At1(Lun), RemoteRestartRig.At2(Lun)) }), "the copy waits for its link");
        Assert.That(rig.Write(rig.Volume1(Lun), 300, 16, 5), Is.EqualTo(MediaStatus.Good), "a host write while the link is down");
        rig.Scheduler.RunUntilIdle();
        Assert.That(rig.Primary(Lun)!.State, Is.EqualTo(PairState.Copy), "still copying, not suspended: nothing was sent");
        Assert.That(rig.Secondary(Lun)!.State, Is.EqualTo(PairState.Copy), "its S-VOL is still a COPY S-VOL, never a plain volume");
        Assert.That(rig.Write(rig.Volume2(Lun), 0, 8, 6), Is.EqualTo(MediaStatus.WriteProtected), "a host write to a COPY S-VOL is refused, as the access table gives");

        rig.Path.Up();
        rig.Scheduler.RunUntilIdle();
        Assert.That((rig.Primary(Lun)!.State, rig.Secondary(Lun)!.State), Is.EqualTo((PairState.Pair, PairState.Pair)), "copied once the link was up");
        Assert.That(MirrorRig.Checksum(rig.Volume2(Lun)), Is.EqualTo(MirrorRig.Checksum(rig.Volume1(Lun))), "every track, the write made while waiting included");
        Assert.That(rig.Ss1.Pairs.GetCopiesAwaitingLink(), Is.Empty);
    }

    [Test]
    public void ACopyWhoseSecondaryLostItsSideIsSuspendedWithEveryTrackOwed()
    {
        using RemoteRestartRig rig = new(43, _folder, [Lun], Slow);
        Assert.That(rig.CreateRemote(Lun).Succeeded, Is.True);
        rig.RunReady();
        rig.Ss1.Pairs.CommitState();

        // The secondary's state never made it to its disk (a crash before its first commit): it has no side of the pair.
        rig.Restart(primaryCrashes: true, secondaryCrashes: true, seed: 44);
        Assert.That(rig.Secondary(Lun), Is.Null, "the secondary kept nothing");
        rig.Scheduler.RunUntilIdle();
        MirrorPair p = rig.Primary(Lun)!;
        Assert.That(p.State, Is.EqualTo(PairState.Psue), "the secondary refused: suspended by error, not copying into nothing");
        Assert.That(p.PVolBitmap.CountSet(), Is.EqualTo(p.PVolBitmap.TrackCount), "every track still owed");
    }

    [Test]
    public void AKeptRowWhoseLinkPeerIsGoneRefusesTheStartNamingIt()
    {
        using RemoteRestartRig rig = new(45, _folder, [Lun], Slow);
        Assert.That(rig.CreateRemote(Lun).Succeeded, Is.True);
        rig.Scheduler.RunUntilIdle();
        rig.CommitBoth();

        rig.Restart(primaryCrashes: false, secondaryCrashes: false, seed: 46, ss2Peers: [], ss1Paths: false);
        Assert.That(rig.Problems1, Has.Count.EqualTo(1));
        Assert.That(rig.Problems1[0], Does.StartWith("remote pair 0x400104, 0x0001 -> 0x421014, 0x0001 (P-VOL here, PAIR): no remote-copy path reaches port 0x421014").And.Contain("remote-copy-path"));
        Assert.That(rig.Problems2, Has.Count.EqualTo(1));
        Assert.That(rig.Problems2[0], Does.StartWith("remote pair 0x400104, 0x0001 -> 0x421014, 0x0001 (S-VOL here, PAIR): its primary's initiator 0x400200 is not a remote-copy peer").And.Contain("'remote-copy-peer 0x400200'"));
        Assert.That(rig.Primary(Lun), Is.Null, "not restored half-way");
        Assert.That(rig.Secondary(Lun), Is.Null);
    }

    [Test]
    public void ADeterminingPairKeepsItsFlagAndRolesAndReserveGetsFig4sAnswerAfterRestarts()
    {
        const ushort dv = 0x20;
        using RemoteRestartRig rig = new(47, _folder, [dv], bothWays: true);
        Assert.That(rig.CreateRemote(dv, determining: true).Succeeded, Is.True);
        rig.Scheduler.RunUntilIdle();
        Assert.That(rig.Command(rig.Ss1, RemoteRestartRig.At1(dv), RemoteRestartRig.At2(dv), PairOperation.Split).Succeeded, Is.True, "armed: suspend normal, the lock is free");
        rig.CommitBoth();

        rig.Restart(primaryCrashes: true, secondaryCrashes: true, seed: 48);
        Assert.That((rig.Primary(dv)!.State, rig.Primary(dv)!.Determining, rig.Secondary(dv)!.Determining), Is.EqualTo((PairState.Psus, true, true)), "still armed, still determining, at both sides");

        // SD2's host reserves: its volume is the S-VOL, so PAIR SWAP RESYNC, decided by the owner (FIG 4: NORMAL END).
        PairCommandResponse won = rig.Command(rig.Ss2, RemoteRestartRig.At1(dv), RemoteRestartRig.At2(dv), PairOperation.SwapResync);
        Assert.That(won.Result, Is.EqualTo(CommandResult.Accepted), "suspend normal x swap resync at the S-VOL: NORMAL END: " + won.Message);
        rig.Scheduler.RunUntilIdle();
        MirrorPair owner = rig.Ss2.Pairs.Find(RemoteRestartRig.At2(dv), RemoteRestartRig.At1(dv))!;
        Assert.That((owner.LocalRole, owner.State), Is.EqualTo((PairRole.PVol, PairState.Pair)), "SD2 owns the pair now");
        rig.CommitBoth();

        rig.Restart(primaryCrashes: false, secondaryCrashes: false, seed: 49);
        MirrorPair ownerBack = rig.Ss2.Pairs.Find(RemoteRestartRig.At2(dv), RemoteRestartRig.At1(dv))!;
        MirrorPair other = rig.Ss1.Pairs.Find(RemoteRestartRig.At2(dv), RemoteRestartRig.At1(dv))!;
        Assert.That((ownerBack.LocalRole, ownerBack.State, ownerBack.Determining, ownerBack.Path), Is.EqualTo((PairRole.PVol, PairState.Pair, true, (IRemoteCopyPath?)rig.Reverse)), "the takeover's roles survive a graceful stop");
        Assert.That((other.LocalRole, other.Peer), Is.EqualTo((PairRole.SVol, RemoteRestartRig.Ss2Initiator)), "SD1 follows SD2 now");

        // SD1's host reserves while the pair is held (PAIRED): its volume is the S-VOL now: ABNORMAL END.
        PairCommandResponse held = rig.Command(rig.Ss1, RemoteRestartRig.At2(dv), RemoteRestartRig.At1(dv), PairOperation.SwapResync);
        Assert.That((held.Result, held.Error), Is.EqualTo((CommandResult.Rejected, PairErrorCode.DeterminingPairHeld)), "PAIRED x swap resync: the lock is held");
        rig.CommitBoth();

        rig.Restart(primaryCrashes: true, secondaryCrashes: true, seed: 50);
        Assert.That(rig.Ss2.Pairs.Find(RemoteRestartRig.At2(dv), RemoteRestartRig.At1(dv))!.State, Is.EqualTo(PairState.Psue), "a held determining pair after a crash is suspended by error at its owner");
        PairCommandResponse atS = rig.Command(rig.Ss1, RemoteRestartRig.At2(dv), RemoteRestartRig.At1(dv), PairOperation.SwapResync);
        Assert.That((atS.Result, atS.Error), Is.EqualTo((CommandResult.Rejected, PairErrorCode.SuspendedByError)), "SUSPEND (ABNORMAL) x swap resync at the S-VOL");
        PairCommandResponse atP = rig.Command(rig.Ss2, RemoteRestartRig.At2(dv), RemoteRestartRig.At1(dv), PairOperation.Resync);
        Assert.That((atP.Result, atP.Error), Is.EqualTo((CommandResult.Rejected, PairErrorCode.SuspendedByError)), "SUSPEND (ABNORMAL) x resync at the P-VOL: nobody takes the lock automatically");
    }

    [Test]
    [Category("R2-4")]
    [Category("R2-7")]
    public void ASwapResyncWhoseRequesterCrashedBeforeItsCommitIsTakenAgainWhenSentAgain()
    {
        const ushort dv = 0x20;
        using RemoteRestartRig rig = new(61, _folder, [dv], Slow, bothWays: true);
        VolumeAddress one = RemoteRestartRig.At1(dv);
        VolumeAddress two = RemoteRestartRig.At2(dv);
        MirrorRig.Fill(rig.Volume1(dv), 62);
        Assert.That(rig.CreateRemote(dv, determining: true).Succeeded, Is.True);
        rig.Scheduler.RunUntilIdle();
        Assert.That(rig.Command(rig.Ss1, one, two, PairOperation.Split).Succeeded, Is.True, "armed");
        Assert.That(rig.Write(rig.Volume1(dv), 100, 64, 63), Is.EqualTo(MediaStatus.Good), "a write at SD1 after the split: the takeover gives it up");
        rig.CommitBoth();
        string image = MirrorRig.Checksum(rig.Volume2(dv));

        // The swap resync at SD2 reaches the owner, which turns its row into the S-VOL's and commits (before its reply,
        // as controllerd does); SD2 crashes before its own turn is kept. Both crash: SD1 keeps its turn, SD2 its S-VOL row.
        Task<PairCommandResponse> lost = rig.Ss2.Pairs.ExecuteAsync(one, two, PairOperation.SwapResync, SplitMode.ReadOnly);
        while (rig.Ss1.Pairs.Find(two, one) is null && rig.Scheduler.RunOne())
        {
        }

        Assert.That(rig.Ss1.Pairs.Find(two, one)?.LocalRole, Is.EqualTo(PairRole.SVol), "the owner took the swap");
        rig.Ss1.Pairs.CommitState();
        rig.Restart(primaryCrashes: true, secondaryCrashes: true, seed: 64);
        Assert.That(lost.IsCompleted && lost.Result.Succeeded, Is.False, "the host had no answer");
        Assert.That((rig.Ss1.Pairs.Find(two, one)?.LocalRole, rig.Ss2.Pairs.Find(one, two)?.LocalRole), Is.EqualTo(((PairRole?)PairRole.SVol, (PairRole?)PairRole.SVol)), "two S-VOL rows: nobody owns the pair");

        // The host sends the swap again: the owner, which took it already, takes it again, and SD2 owns the pair.
        PairCommandResponse again = rig.Command(rig.Ss2, one, two, PairOperation.SwapResync);
        Assert.That(again.Result, Is.EqualTo(CommandResult.Accepted), "the swap sent again ends normally: " + again.Message);
        rig.Scheduler.RunUntilIdle();
        MirrorPair owner = rig.Ss2.Pairs.Find(two, one)!;
        MirrorPair other = rig.Ss1.Pairs.Find(two, one)!;
        Assert.That((owner.LocalRole, owner.State, other.LocalRole, other.State), Is.EqualTo((PairRole.PVol, PairState.Pair, PairRole.SVol, PairState.Pair)), "one owner (SD2), one S-VOL side, PAIR after the copy back");
        Assert.That(rig.Ss2.Pairs.Find(one, two), Is.Null, "SD2's old row is gone");
        Assert.That((MirrorRig.Checksum(rig.Volume2(dv)), MirrorRig.Checksum(rig.Volume1(dv))), Is.EqualTo((image, image)), "the new P-VOL kept the split's image and the new S-VOL equals it");
    }

    // Brings LUN 1's remote pair to a kept state (with marks where the state keeps any).
    private static void Reach(RemoteRestartRig rig, Kept kept)
    {
        VolumeAddress p = RemoteRestartRig.At1(Lun);
        VolumeAddress s = RemoteRestartRig.At2(Lun);
        Assert.That(rig.CreateRemote(Lun).Succeeded, Is.True);
        if (kept == Kept.Copy)
        {
            rig.RunReady();
            Assert.That(rig.Primary(Lun)!.State, Is.EqualTo(PairState.Copy));
            return;
        }

        rig.Scheduler.RunUntilIdle();
        Assert.That(rig.Primary(Lun)!.State, Is.EqualTo(PairState.Pair));
        switch (kept)
        {
            case Kept.Psus:
            case Kept.CopyResync:
                Assert.That(rig.Command(rig.Ss1, p, s, PairOperation.Split).Succeeded, Is.True);
                Assert.That(rig.Write(rig.Volume1(Lun), 40, 8, 1), Is.EqualTo(MediaStatus.Good));

                // Three tracks to resync: one step copies one, so the resync is still running while the clock stands.
                Assert.That(rig.Write(rig.Volume1(Lun), 1000, 8, 3), Is.EqualTo(MediaStatus.Good));
                Assert.That(rig.Write(rig.Volume1(Lun), 1500, 8, 4), Is.EqualTo(MediaStatus.Good));
                break;
            case Kept.PsusReadWrite:
                Assert.That(rig.Command(rig.Ss1, p, s, PairOperation.Split, SplitMode.ReadWrite).Succeeded, Is.True);
                rig.Scheduler.RunUntilIdle();
                Assert.That(rig.Write(rig.Volume1(Lun), 40, 8, 1), Is.EqualTo(MediaStatus.Good));
                Assert.That(rig.Write(rig.Volume2(Lun), 700, 8, 2), Is.EqualTo(MediaStatus.Good), "the split S-VOL is the host's");
                break;
            case Kept.Psue:
            case Kept.SVolTakeover:
                rig.Path.Down();
                rig.Path.Up();
                Assert.That(rig.Write(rig.Volume1(Lun), 40, 8, 1), Is.EqualTo(MediaStatus.Good));
                if (kept == Kept.SVolTakeover)
                {
                    PairCommandResponse takeover = rig.Command(rig.Ss2, p, s, PairOperation.Split, SplitMode.ReadWrite);
                    Assert.That(takeover.Succeeded, Is.True, takeover.Message);
                    Assert.That(rig.Write(rig.Volume2(Lun), 700, 8, 2), Is.EqualTo(MediaStatus.Good), "the taken-over S-VOL is the host's");
                }

                break;
            default:
                break;
        }

        rig.Scheduler.RunUntilIdle();
        if (kept == Kept.CopyResync)
        {
            Assert.That(rig.Command(rig.Ss1, p, s, PairOperation.Resync).Succeeded, Is.True);
            rig.RunReady();
            Assert.That(rig.Primary(Lun)!.State, Is.EqualTo(PairState.CopyResync));
        }
    }

    private static long[] Marked(DifferentialBitmap bitmap)
    {
        List<long> tracks = [];
        foreach (long track in bitmap.EnumerateSet())
        {
            tracks.Add(track);
        }

        return [.. tracks];
    }
}
