// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.Persistence;
using Controller.Firmware.Scheduling;
using Controller.Firmware.Volumes;

namespace Controller.Firmware.Tests.Persistence;

/// <summary>
/// With kept state a copy starts only once the change that started it is committed (docs/durability.md, ordering):
/// a crash before the commit brings the row back in its old state, and the target volume must still hold what that
/// state says (a simplex volume its own data, a split S-VOL its image), not tracks of a copy no one was told of.
/// </summary>
public sealed class CopyAfterCommitTests
{
    private const string Folder = "/state";
    private const long Blocks = 4096;
    private static readonly VolumeAddress P = new(new PortId(0x400104), new Lun(1));
    private static readonly VolumeAddress S = new(new PortId(0x400104), new Lun(2));

    [TestCase(PairOperation.Create)]
    [TestCase(PairOperation.Resync)]
    public void ACopyDoesNotTouchItsTargetBeforeTheChangeThatStartedItIsKept(PairOperation operation)
    {
        PowerCutFileSystem files = new();
        DeterministicScheduler scheduler = new(5);
        using StorageSubsystem subsystem = new(scheduler);
        Ldev p = subsystem.CreateLdev(new LdevId(1), Blocks);
        Ldev s = subsystem.CreateLdev(new LdevId(2), Blocks);
        Fill(p, 0xAA);
        Fill(s, 0x55);
        using PairStateKeeper keeper = PairStateKeeper.Open(Folder, files);
        keeper.Store.Load();
        keeper.StartKeeping(subsystem.Pairs);
        if (operation == PairOperation.Resync)
        {
            // A split pair whose P-VOL changed everywhere since: the resync would copy every track.
            Assert.That(subsystem.Pairs.Create(P, p, S, s).Succeeded, Is.True);
            scheduler.RunUntilIdle();
            Assert.That(subsystem.Pairs.Execute(P, S, PairOperation.Split).Succeeded, Is.True);
            subsystem.Pairs.CommitState();
            Fill(p, 0x33);
            MirrorPair pair = subsystem.Pairs.GetPairs().Single();
            pair.PVolBitmap.SetRange(0, pair.PVolBitmap.TrackCount - 1);
        }

        byte[] before = Read(s);

        // The command is accepted, and the power goes at the next state-file operation: its commit.
        Assert.That(operation == PairOperation.Create ? subsystem.Pairs.Create(P, p, S, s).Succeeded : subsystem.Pairs.Execute(P, S, operation).Succeeded, Is.True);
        files.CutAtOperation = files.Operations + 1;
        bool cut = false;
        while (scheduler.ReadyCount > 0 && !cut)
        {
            try
            {
                scheduler.RunOne();
            }
            catch (PowerCutException)
            {
                cut = true;
            }
        }

        Assert.That(Read(s), Is.EqualTo(before), "not one track of the copy reached the target before its change was kept");
        Assert.That(cut, Is.True, "the change was committed (and cut) before the work ran out");
    }

    private static void Fill(Ldev volume, byte value)
    {
        byte[] data = new byte[Blocks * 512];
        Array.Fill(data, value);
        Assert.That(volume.Media.Write(0, data), Is.EqualTo(Controller.Firmware.Media.MediaStatus.Good));
    }

    private static byte[] Read(Ldev volume)
    {
        byte[] data = new byte[Blocks * 512];
        Assert.That(volume.Media.Read(0, data), Is.EqualTo(Controller.Firmware.Media.MediaStatus.Good));
        return data;
    }
}
