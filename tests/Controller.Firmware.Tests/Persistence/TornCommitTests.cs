// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Addressing;
using Controller.Firmware.Pairs;
using Controller.Firmware.Persistence;
using Controller.Firmware.Scheduling;
using Controller.Firmware.Volumes;

namespace Controller.Firmware.Tests.Persistence;

/// <summary>
/// A commit torn by a power cut keeps a prefix of its records (the journal's reader drops the torn tail): whatever
/// the prefix, the kept state must restore. Found by the power-cut run (seed 9368): a pair deleted and created again
/// on the same volumes, committed together, came back as two colliding rows and the controller could not start.
/// </summary>
public sealed class TornCommitTests
{
    private const string Folder = "/state";
    private static readonly VolumeAddress P = new(new PortId(0x400104), new Lun(1));
    private static readonly VolumeAddress S = new(new PortId(0x400104), new Lun(2));

    [Test]
    public void ADeletionAndANewPairOnItsVolumesInOneTornCommitAlwaysRestore()
    {
        HashSet<string> kept = [];
        for (ulong seed = 1; seed <= 300; seed++)
        {
            PowerCutFileSystem files = new();
            DeterministicScheduler scheduler = new(seed);
            using (StorageSubsystem subsystem = new(scheduler))
            {
                Ldev p = subsystem.CreateLdev(new LdevId(1), 2048);
                Ldev s = subsystem.CreateLdev(new LdevId(2), 2048);
                using PairStateKeeper keeper = PairStateKeeper.Open(Folder, files);
                keeper.Store.Load();
                keeper.StartKeeping(subsystem.Pairs);
                Assert.That(subsystem.Pairs.Create(P, p, S, s).Succeeded, Is.True);
                subsystem.Pairs.CommitState();

                // Deleted and created again, then the commit of both cut at its fsync: the append is torn anywhere.
                Assert.That(subsystem.Pairs.Execute(P, S, PairOperation.Delete).Succeeded, Is.True);
                Assert.That(subsystem.Pairs.Create(P, p, S, s).Succeeded, Is.True);
                files.CutAtOperation = files.Operations + 2;
                Assert.Throws<PowerCutException>(subsystem.Pairs.CommitState, "the power goes at the commit's fsync");
            }

            files.CutPower(new SplitMix64(seed));
            using StorageSubsystem restarted = new(new DeterministicScheduler(seed));
            restarted.CreateLdev(new LdevId(1), 2048);
            restarted.CreateLdev(new LdevId(2), 2048);
            using PairStateKeeper again = PairStateKeeper.Open(Folder, files);
            ControllerStateImage image = again.Store.Load();
            List<string> problems = again.RestoreInto(image, restarted.Pairs, restarted.FindLdev, []);
            Assert.That(problems, Is.Empty, "seed " + seed + ": a torn commit leaves a state that restores (the old pair, no pair, or the new pair)");
            kept.Add(string.Join(",", restarted.Pairs.GetPairs().Select(pair => pair.EntryId)));
        }

        Assert.That(kept, Is.EquivalentTo(new[] { "1", string.Empty, "2" }), "the cuts kept the old pair, its deletion alone, and the new pair, each at some seed");
    }
}
