// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.Media;
using Controller.Firmware.Scheduling;
using Controller.Firmware.Volumes;

namespace Controller.Firmware.Tests.Volumes;

/// <summary>
/// Power cuts against the sync discipline (docs/durability.md): host writes to an LDEV on a <see cref="PowerCutStore"/>
/// (a disk with a volatile cache) run on the deterministic scheduler to a seeded step, the power is cut (the writes since
/// the last sync dropped, kept or torn at random), and every write answered GOOD must be on the stable medium, whole.
/// </summary>
public sealed class PowerCutTests
{
    private const long Blocks = 1 << 14;
    private static readonly TrackGeometry Geometry = new(TrackGeometry.TrackSize64K);

    [Test]
    public void NoAcknowledgedWriteIsLostOrTornAcrossAThousandCutsOfAWriteThroughStore()
    {
        long acknowledged = 0;
        long damaged = 0;
        List<string> losses = [];
        for (ulong seed = 1; seed <= 1000; seed++)
        {
            CutResult cut = RunToACut(seed, WriteCachePolicy.WriteThrough);
            acknowledged += cut.Acknowledged;
            damaged += cut.Damaged;
            losses.AddRange(cut.Lost);
        }

        Assert.That(losses, Is.Empty, "acknowledged writes lost or torn by a cut");
        Assert.That(acknowledged, Is.GreaterThan(1000), "the cuts came after many answers");
        Assert.That(damaged, Is.GreaterThan(100), "and many cuts lost or tore writes not yet answered: the cuts bite");
    }

    [Test]
    public void AWriteBackStoreLosesAcknowledgedWritesToACutUnlessTheHostSyncs()
    {
        // The control: the same cuts, on a disk whose cache the controller reports (WCE 1) and so does not sync per
        // write. Answered writes are lost, as a host that never sends SYNCHRONIZE CACHE would find.
        long lost = 0;
        for (ulong seed = 1; seed <= 200; seed++)
        {
            lost += RunToACut(seed, WriteCachePolicy.WriteBack).Lost.Count;
        }

        Assert.That(lost, Is.GreaterThan(0), "write-back answers from the cache: a cut loses some of what it answered");
    }

    private static CutResult RunToACut(ulong seed, WriteCachePolicy policy)
    {
        SplitMix64 random = new(seed);
        DeterministicScheduler scheduler = new(seed);
        using PowerCutStore disk = new(Blocks, Geometry, policy);
        Acks acks = new();
        Dictionary<long, byte[]> written = [];
        int damaged;
        using (StorageSubsystem subsystem = new(scheduler, new SubsystemOptions { MpCount = 2, QueueDepth = 256 }))
        {
            Ldev ldev = subsystem.Attach(new Ldev(new LdevId(1), disk, Geometry));
            int waves = 1 + random.Next(6);
            long tag = 0;
            for (int wave = 0; wave < waves; wave++)
            {
                int count = 1 + random.Next(24);
                for (int i = 0; i < count; i++)
                {
                    tag++;
                    byte[] data = new byte[4096];
                    data.AsSpan().Fill((byte)tag);
                    BitConverter.TryWriteBytes(data, seed);
                    written[tag] = data;
                    Assert.That(subsystem.TrySubmit(new BlockCommand(BlockCommandKind.Write, ldev, tag * 8, new ArraySegment<byte>(data), acks, tag)), Is.True);
                }

                // A seeded number of steps: the cut lands anywhere, mid-write, mid-sync, between a sync and its answers.
                int steps = random.Next(12);
                for (int s = 0; s < steps && scheduler.RunOne(); s++)
                {
                }
            }

            // The cut, with the controller still running: nothing gets to sync on the way down.
            damaged = disk.CutPower(random);
        }

        List<string> lost = [];
        byte[] back = new byte[4096];
        foreach (long answered in acks.Good)
        {
            Assert.That(disk.ReadStable(answered * 8, back), Is.EqualTo(MediaStatus.Good));
            if (!back.AsSpan().SequenceEqual(written[answered]))
            {
                lost.Add("seed " + seed + ": write " + answered + " was answered GOOD and is " + (back.AsSpan().IndexOfAnyExcept((byte)0) < 0 ? "lost" : "torn"));
            }
        }

        return new CutResult(acks.Good.Count, damaged, lost);
    }

    private sealed record CutResult(int Acknowledged, int Damaged, List<string> Lost);

    private sealed class Acks : IBlockCommandCompletion
    {
        public List<long> Good { get; } = [];

        public void Complete(in BlockCommand command, MediaStatus status)
        {
            if (status == MediaStatus.Good)
            {
                Good.Add(command.Tag);
            }
        }
    }
}
