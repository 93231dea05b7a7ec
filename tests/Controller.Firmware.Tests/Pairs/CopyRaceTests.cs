// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.Media;
using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.Scheduling;
using Controller.Firmware.Volumes;

namespace Controller.Firmware.Tests.Pairs;

/// <summary>
/// Host writes racing the copy engine on the same tracks, over many seeds of the deterministic scheduler: the
/// seed decides when each write arrives, which MP runs next and which pair command comes between. Whatever the
/// order, once the copies are done the S-VOL equals the P-VOL. A failure names its seed, which replays it.
/// </summary>
public sealed class CopyRaceTests
{
    private const int Seeds = 400;

    // 12 full tracks and a partial one: small, so that writes and copy steps collide on the same tracks.
    private const long Blocks = (12 * 128) + 40;

    [Test]
    [Category("R0-5")]
    [Category("R0-36")]
    public void WritesRacingCopiesResyncsRestoresAndSwapsAlwaysConverge()
    {
        for (ulong seed = 1; seed <= Seeds; seed++)
        {
            RunScenario(seed, cascade: false);
        }
    }

    [Test]
    [Category("R0-10")]
    public void WritesRacingTheCopiesOfACascadeAlwaysConverge()
    {
        for (ulong seed = 1; seed <= Seeds / 2; seed++)
        {
            RunScenario(seed, cascade: true);
        }
    }

    [Test]
    public void WithRealThreadsWritesRacingTheCopyConverge()
    {
        using StorageSubsystem subsystem = new(RealTimeScheduler.Instance, new SubsystemOptions { MpCount = 2, QueueDepth = 256, CopyPace = new CopyPace { TracksPerStep = 2 } });
        Ldev p = subsystem.CreateLdev(new LdevId(1), Blocks * 4);
        Ldev s = subsystem.CreateLdev(new LdevId(2), Blocks * 4);
        MirrorRig.Fill(p, 1);
        MirrorRig.Fill(s, 2);
        CountingCompletion completion = new();
        MirrorPair pair = Create(subsystem, p, s);

        // Two host threads write while the initial copy, then a split and a resync, run on the MPs.
        Thread[] hosts = new Thread[2];
        for (int h = 0; h < hosts.Length; h++)
        {
            ulong hostSeed = (ulong)h + 100;
            hosts[h] = new Thread(() => WriteLoop(subsystem, p, hostSeed, 3000, completion));
            hosts[h].Start();
        }

        WaitFor(() => pair.State == PairState.Pair, "initial copy", subsystem);
        subsystem.Pairs.Execute(pair.PVolAddress, pair.SVolAddress, PairOperation.Split);
        Thread.Sleep(5);
        subsystem.Pairs.Execute(pair.PVolAddress, pair.SVolAddress, PairOperation.Resync);
        foreach (Thread host in hosts)
        {
            host.Join();
        }

        WaitFor(() => completion.Count == 6000 && pair.State == PairState.Pair, "writes and resync", subsystem);
        Assert.That(completion.Failures, Is.Zero, "every write was acknowledged Good");
        Assert.That(MirrorRig.Checksum(s), Is.EqualTo(MirrorRig.Checksum(p)), "S equals P");
    }

    private static void RunScenario(ulong seed, bool cascade)
    {
        SplitMix64 random = new(seed * 7919);
        CopyPace pace = new() { TracksPerStep = 1 + random.Next(4) };
        using MirrorRig rig = new(seed, pace, mpCount: 1 + random.Next(3), queueDepth: 16);
        Ldev p = rig.Volume(1, Blocks);
        Ldev s = rig.Volume(2, Blocks);
        Ldev s2 = rig.Volume(3, Blocks);
        MirrorRig.Fill(p, seed);
        MirrorRig.Fill(s, seed + 1);
        MirrorRig.Fill(s2, seed + 2);
        MirrorPair pair = rig.CreatePair(p, s);
        MirrorPair? second = null;

        for (int action = 0; action < 120; action++)
        {
            int dice = random.Next(100);
            if (dice < 45)
            {
                // A write of 1 to 256 blocks anywhere: often across a track boundary, often on a track being copied.
                int blocks = 1 + random.Next(256);
                long lba = random.Next((int)(Blocks - blocks + 1));
                Ldev target = dice < 40 ? pair.PVol : pair.SVol;
                rig.TrySubmitWrite(target, lba, MirrorRig.Pattern(random.NextUInt64(), blocks), out _);
            }
            else if (dice < 90)
            {
                rig.Scheduler.RunOne();
            }
            else if (cascade && second is null)
            {
                second = rig.CreatePair(s, s2);
            }
            else
            {
                Command(rig, pair, random);
            }
        }

        // Bring every pair back: a split one, or one suspended by a fault (tiny queues make mirror writes find
        // them full), is resynchronized, the upstream pair first.
        rig.Scheduler.RunUntilIdle();
        foreach (MirrorPair any in rig.Pairs.GetPairs())
        {
            if (any.State is PairState.Psus or PairState.Psue)
            {
                rig.Command(any, PairOperation.Resync);
                rig.Scheduler.RunUntilIdle();
            }
        }

        string where = "seed " + seed + (cascade ? " (cascade)" : string.Empty) + ": ";
        Assert.That(pair.State, Is.EqualTo(PairState.Pair), where + "the pair ends in PAIR");
        Assert.That(rig.Writes.All(w => w.IsComplete && w.Status is MediaStatus.Good or MediaStatus.WriteProtected), Is.True, where + "every write completed");
        Assert.That(MirrorRig.Checksum(pair.SVol), Is.EqualTo(MirrorRig.Checksum(pair.PVol)), where + "S equals P");
        if (second is not null)
        {
            Assert.That(second.State, Is.EqualTo(PairState.Pair), where + "the cascade ends in PAIR; events: " + string.Join("; ", rig.Pairs.GetEvents().Select(e => e.EntryId + " " + e.Operation + " " + e.From + "->" + e.To + " " + e.Cause)));
            Assert.That(MirrorRig.Checksum(s2), Is.EqualTo(MirrorRig.Checksum(s)), where + "S2 equals S1");
        }
    }

    private static void Command(MirrorRig rig, MirrorPair pair, SplitMix64 random)
    {
        switch (pair.State)
        {
            case PairState.Pair:
                rig.Command(pair, random.Next(4) == 0 ? PairOperation.SuspendByError : PairOperation.Split, random.Next(2) == 0 ? SplitMode.ReadOnly : SplitMode.ReadWrite);
                break;
            case PairState.Psus:
                PairOperation[] next = [PairOperation.Resync, PairOperation.Restore, PairOperation.SwapResync];
                rig.Command(pair, next[random.Next(next.Length)]);
                break;
            case PairState.Psue:
                rig.Command(pair, PairOperation.Resync);
                break;
            default:
                // A copy is running: the table refuses or ignores most commands; try one anyway.
                rig.Command(pair, PairOperation.Split);
                break;
        }
    }

    private static MirrorPair Create(StorageSubsystem subsystem, Ldev p, Ldev s)
    {
        PairCommandResponse response = subsystem.Pairs.Create(MirrorRig.Address(1), p, MirrorRig.Address(2), s);
        Assert.That(response.Succeeded, Is.True, response.Message);
        return subsystem.Pairs.Find(MirrorRig.Address(1), MirrorRig.Address(2))!;
    }

    private static void WriteLoop(StorageSubsystem subsystem, Ldev volume, ulong seed, int writes, CountingCompletion completion)
    {
        SplitMix64 random = new(seed);
        for (int n = 0; n < writes; n++)
        {
            int blocks = 1 + random.Next(64);
            long lba = random.Next((int)(volume.BlockCount - blocks + 1));
            BlockCommand command = new(BlockCommandKind.Write, volume, lba, MirrorRig.Pattern(random.NextUInt64(), blocks), completion, n);
            SpinWait spin = default;
            while (!subsystem.TrySubmit(command))
            {
                spin.SpinOnce();
            }
        }
    }

    private static void WaitFor(Func<bool> condition, string what, StorageSubsystem subsystem)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), () => what + " did not finish within a minute:\n" + string.Join("\n", subsystem.Pairs.GetPairs().Select(p => p.PVolAddress + " -> " + p.SVolAddress + " " + p.State + ", " + p.CountDifferentialTracks() + " differential tracks")) + "\n"
                + string.Join("\n", subsystem.Pairs.GetEvents().Select(e => e.Operation + " " + e.From + " -> " + e.To + " " + e.Cause)));
            Thread.Sleep(1);
        }
    }

    private sealed class CountingCompletion : IBlockCommandCompletion
    {
        private int _count;
        private int _failures;

        public int Count => Volatile.Read(ref _count);

        public int Failures => Volatile.Read(ref _failures);

        public void Complete(in BlockCommand command, MediaStatus status)
        {
            if (status != MediaStatus.Good)
            {
                Interlocked.Increment(ref _failures);
            }

            Interlocked.Increment(ref _count);
        }
    }
}
