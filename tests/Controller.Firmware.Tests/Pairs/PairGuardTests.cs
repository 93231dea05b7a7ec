// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Media;
using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.Scheduling;
using Controller.Firmware.Volumes;

namespace Controller.Firmware.Tests.Pairs;

/// <summary>Guards found in review: loops of mirrors, swaps create would refuse, stale copies, empty writes.</summary>
public sealed class PairGuardTests
{
    private const long Blocks = 16 * 128;

    [Test]
    public void APairThatWouldCloseALoopOfMirrorsIsRefused()
    {
        using MirrorRig rig = new(seed: 1);
        Ldev p = rig.Volume(1, Blocks);
        Ldev s1 = rig.Volume(2, Blocks);
        Ldev s2 = rig.Volume(3, Blocks);
        rig.CreatePair(p, s1);
        rig.CreatePair(s1, s2);
        PairCommandResponse back = rig.Pairs.Create(MirrorRig.Address(2), s1, MirrorRig.Address(1), p);
        Assert.That(back.Error, Is.EqualTo(PairErrorCode.MirrorLoop), "S1 -> P while P -> S1: " + back.Message);
        PairCommandResponse around = rig.Pairs.Create(MirrorRig.Address(3), s2, MirrorRig.Address(1), p);
        Assert.That(around.Error, Is.EqualTo(PairErrorCode.MirrorLoop), "S2 -> P while P -> S1 -> S2: " + around.Message);
        Assert.That(rig.Pairs.GetPairs(), Has.Count.EqualTo(2), "no row added");
    }

    [Test]
    public void ALoopThroughAVolumeThatIsAlsoTheSVolOfASplitPairIsRefused()
    {
        // Found by `hostsim fuzz` (seed 42, deterministic): S is the S-VOL of a split pair X -> S and of P -> S, so the
        // walk upstream from S must follow both; following only the first (X -> S) accepted S -> P, and the copy of
        // S -> P went round P -> S -> P for ever.
        using MirrorRig rig = new(seed: 1);
        Ldev p = rig.Volume(2, Blocks);
        Ldev x = rig.Volume(3, Blocks);
        Ldev s = rig.Volume(4, Blocks);
        MirrorPair split = rig.CreatePair(x, s);
        rig.Scheduler.RunUntilIdle();
        rig.Command(split, PairOperation.Split);
        rig.CreatePair(p, s);
        rig.Scheduler.RunUntilIdle();
        PairCommandResponse back = rig.Pairs.Create(MirrorRig.Address(4), s, MirrorRig.Address(2), p);
        Assert.Multiple(() =>
        {
            Assert.That(back.Error, Is.EqualTo(PairErrorCode.MirrorLoop), "S -> P while P -> S (S also the S-VOL of the split X -> S): " + back.Message);
            Assert.That(rig.Pairs.GetPairs(), Has.Count.EqualTo(2), "no row added");
        });
    }

    [Test]
    public void ASwapThatWouldGiveAVolumeTwoSourcesIsRefused()
    {
        using MirrorRig rig = new(seed: 1);
        Ldev p = rig.Volume(1, Blocks);
        Ldev s1 = rig.Volume(2, Blocks);
        Ldev s2 = rig.Volume(3, Blocks);
        rig.CreatePair(p, s1);
        MirrorPair lower = rig.CreatePair(s1, s2);
        rig.Scheduler.RunUntilIdle();
        rig.Command(lower, PairOperation.Split);
        PairCommandResponse swap = rig.Command(lower, PairOperation.SwapResync);
        Assert.That(swap.Error, Is.EqualTo(PairErrorCode.SVolInUse), "S1 would be the S-VOL of P -> S1 and of S2 -> S1: " + swap.Message);
        Assert.That((lower.State, lower.PVol), Is.EqualTo((PairState.Psus, s1)), "nothing changed");
    }

    [Test]
    public void ASwappedPairTakesAFreeMirrorUnitOfItsNewPVol()
    {
        using MirrorRig rig = new(seed: 1);
        Ldev p = rig.Volume(1, Blocks);
        Ldev s = rig.Volume(2, Blocks);
        Ldev x = rig.Volume(3, Blocks);
        MirrorPair pair = rig.CreatePair(p, s);
        MirrorPair below = rig.CreatePair(s, x);
        rig.Scheduler.RunUntilIdle();
        Assert.That((pair.MirrorUnit, below.MirrorUnit), Is.EqualTo((0, 0)), "each the first mirror of its P-VOL");
        rig.Command(pair, PairOperation.Split);
        Assert.That(rig.Command(pair, PairOperation.SwapResync).Succeeded, Is.True);
        Assert.That(pair.MirrorUnit, Is.EqualTo(1), "S already uses unit 0 for S -> X");
        rig.Scheduler.RunUntilIdle();
        Assert.That(MirrorRig.Checksum(p), Is.EqualTo(MirrorRig.Checksum(s)));
    }

    [Test]
    public void TracksOfACancelledCopyNeverOverwriteHostWritesToTheFormerSVol()
    {
        int overlapped = 0;
        int kept = 0;
        int refused = 0;
        for (ulong seed = 1; seed <= 80; seed++)
        {
            using MirrorRig rig = new(seed, new CopyPace { TracksPerStep = 4 });
            Ldev p = rig.Volume(1, Blocks);
            Ldev s = rig.Volume(2, Blocks);
            MirrorRig.Fill(p, seed);
            MirrorPair pair = rig.CreatePair(p, s);
            SplitMix64 random = new(seed);
            for (int i = random.Next(6); i > 0; i--)
            {
                rig.Scheduler.RunOne();
            }

            // A host write to the S-VOL is queued while the copy runs (it would be refused in COPY), copy steps
            // queue tracks behind it, then the pair goes: the write runs on a plain volume and must stay.
            byte[] data = MirrorRig.Pattern(seed + 1000, (int)Blocks); // not the P-VOL's pattern
            rig.SubmitWrite(s, 0, data);
            for (int i = random.Next(6); i > 0; i--)
            {
                rig.Scheduler.RunOne();
            }

            long inFlightAtDelete = pair.Job!.TracksCopied;
            rig.Command(pair, seed % 2 == 0 ? PairOperation.Delete : PairOperation.SuspendByError);
            rig.Command(pair, PairOperation.Delete);
            rig.Scheduler.RunUntilIdle();
            MirrorRig.HostWrite write = rig.Writes.Single();
            byte[] image = MirrorRig.ReadAll(s);
            if (write.Status == MediaStatus.WriteProtected)
            {
                // It ran before the delete: refused, so not one of its blocks may be on the former S-VOL.
                refused++;
                for (int block = 0; block < Blocks; block++)
                {
                    Assert.That(image.AsSpan(block * 512, 512).SequenceEqual(data.AsSpan(block * 512, 512)), Is.False, "seed " + seed + ": block " + block + " of a refused write landed");
                }

                continue;
            }

            kept++;
            overlapped += pair.Job.TracksCopied > inFlightAtDelete ? 1 : 0;
            Assert.That(write.Status, Is.EqualTo(MediaStatus.Good), "seed " + seed);
            Assert.That(image, Is.EqualTo(data), "seed " + seed + ": no stale copied track landed over the host's data");
        }

        Assert.That(kept, Is.GreaterThan(0), "some seeds ran the host write after the delete (" + refused + " refused it before)");
        Assert.That(overlapped, Is.GreaterThan(0), "some seeds had copied tracks in flight behind the host write");
    }

    [Test]
    public void AWriteOfNoBlocksIsGoodAndMarksNothing()
    {
        using MirrorRig rig = new(seed: 1);
        Ldev p = rig.Volume(1, Blocks);
        Ldev s = rig.Volume(2, Blocks);
        MirrorPair pair = rig.CreatePair(p, s);
        rig.Scheduler.RunUntilIdle();
        rig.Command(pair, PairOperation.Split);
        Assert.That(rig.Write(p, 128, []), Is.EqualTo(MediaStatus.Good), "transfer length 0 on a track boundary");
        Assert.That(rig.Write(p, Blocks, []), Is.EqualTo(MediaStatus.Good), "and at the end of the volume");
        Assert.That(pair.PVolBitmap.CountSet(), Is.Zero, "nothing marked");
        Assert.That(rig.Subsystem.HostCommandsInFlight, Is.Zero, "both answered");
    }
}
