// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Persistence;
using Controller.Firmware.Scheduling;

namespace Controller.Firmware.Tests.Persistence;

/// <summary>
/// The power-cut file system keeps what a Linux file system promises across a cut and nothing more: synced data and
/// names whose directory was synced always; unsynced data dropped, kept or torn; unsynced names made or not.
/// </summary>
public sealed class PowerCutFileSystemTests
{
    private const string Folder = "/state";
    private const string A = "/state/a";
    private const string B = "/state/b";
    private const int Seeds = 200;

    [Test]
    public void SyncedDataUnderASyncedNameSurvivesEveryCut()
    {
        for (ulong seed = 1; seed <= Seeds; seed++)
        {
            PowerCutFileSystem files = NewWithSyncedFile(A, [1, 2, 3]);
            files.CutPower(new SplitMix64(seed));
            Assert.That(files.ReadAll(A), Is.EqualTo(new byte[] { 1, 2, 3 }), "seed " + seed + ": a synced append under a synced name is durable");
        }
    }

    [Test]
    public void AnUnsyncedAppendIsDroppedKeptOrTornAtACut()
    {
        HashSet<int> lengths = [];
        for (ulong seed = 1; seed <= Seeds; seed++)
        {
            PowerCutFileSystem files = NewWithSyncedFile(A, [1, 2, 3]);
            using (IStateFile file = files.OpenAppend(A))
            {
                file.Append([4, 5, 6, 7, 8, 9]);
            }

            files.CutPower(new SplitMix64(seed));
            byte[] back = files.ReadAll(A);
            Assert.That(back.AsSpan(0, 3).ToArray(), Is.EqualTo(new byte[] { 1, 2, 3 }), "seed " + seed + ": the synced part stays");
            Assert.That(back.AsSpan(3).ToArray(), Is.EqualTo(new byte[] { 4, 5, 6, 7, 8, 9 }.AsSpan(0, back.Length - 3).ToArray()), "seed " + seed + ": what is kept of the append is a prefix of it");
            lengths.Add(back.Length);
        }

        Assert.That(lengths, Does.Contain(3), "some cuts drop the append");
        Assert.That(lengths, Does.Contain(9), "some keep it whole");
        Assert.That(lengths.Any(length => length is > 3 and < 9), Is.True, "some tear it");
    }

    [Test]
    public void ARenameWithoutADirectorySyncMayComeBackUnderTheOldName()
    {
        int old = 0;
        int renamed = 0;
        for (ulong seed = 1; seed <= Seeds; seed++)
        {
            PowerCutFileSystem files = NewWithSyncedFile(A, [7]);
            files.Move(A, B);
            Assert.That(files.Exists(B) && !files.Exists(A), Is.True, "readers see the rename at once");
            files.CutPower(new SplitMix64(seed));
            Assert.That(files.Exists(A) ^ files.Exists(B), Is.True, "seed " + seed + ": a rename is atomic: the file is under exactly one name");
            old += files.Exists(A) ? 1 : 0;
            renamed += files.Exists(B) ? 1 : 0;
        }

        Assert.That(old, Is.GreaterThan(0), "some cuts undo the unsynced rename");
        Assert.That(renamed, Is.GreaterThan(0), "some keep it");
    }

    [Test]
    public void ARenameFollowedByADirectorySyncSurvivesEveryCut()
    {
        for (ulong seed = 1; seed <= Seeds; seed++)
        {
            PowerCutFileSystem files = NewWithSyncedFile(A, [7]);
            files.Move(A, B);
            files.SyncDirectory(Folder);
            files.CutPower(new SplitMix64(seed));
            Assert.That(files.Exists(B) && !files.Exists(A), Is.True, "seed " + seed + ": a rename is durable once its directory is synced");
        }
    }

    [Test]
    public void AFileWhoseDataWasSyncedButNotItsDirectoryMayBeGone()
    {
        int gone = 0;
        for (ulong seed = 1; seed <= Seeds; seed++)
        {
            PowerCutFileSystem files = new();
            files.CreateDirectory(Folder);
            using (IStateFile file = files.Create(A))
            {
                file.Append([1]);
                file.Sync();
            }

            files.CutPower(new SplitMix64(seed));
            gone += files.Exists(A) ? 0 : 1;
            Assert.That(!files.Exists(A) || files.ReadAll(A).SequenceEqual(new byte[] { 1 }), Is.True, "seed " + seed + ": if the name survived, so did the synced data");
        }

        Assert.That(gone, Is.InRange(1, Seeds - 1), "the create is lost at some cuts and kept at others");
    }

    [Test]
    public void AnUnsyncedTruncationMayBeUndoneAndReplacingAFileIsNotAtomicWithoutARename()
    {
        HashSet<string> outcomes = [];
        for (ulong seed = 1; seed <= Seeds; seed++)
        {
            PowerCutFileSystem files = NewWithSyncedFile(A, [1, 2]);

            // O_TRUNC then a new content, unsynced: a cut may leave the old, the new, nothing, or a mix.
            using (IStateFile file = files.Create(A))
            {
                file.Append([9, 9]);
            }

            files.CutPower(new SplitMix64(seed));
            outcomes.Add(string.Join(",", files.ReadAll(A)));
        }

        Assert.That(outcomes, Does.Contain("1,2").And.Contain("9,9").And.Contain(string.Empty), "old, new and empty contents all come back at some cut");
    }

    [Test]
    public void TheArmedCutThrowsAtItsOperationAndEveryOneAfterUntilThePowerReturns()
    {
        PowerCutFileSystem files = NewWithSyncedFile(A, [1]);
        long done = files.Operations;
        files.CutAtOperation = done + 2;
        IStateFile file = files.OpenAppend(A);
        Assert.Throws<PowerCutException>(() => file.Append([2]), "the armed operation never happens");
        Assert.Throws<PowerCutException>(() => files.SyncDirectory(Folder), "nor does any after it");
        Assert.That(files.IsOff, Is.True);
        files.CutPower(new SplitMix64(1));
        Assert.That(files.ReadAll(A), Is.EqualTo(new byte[] { 1 }), "the append that never happened is not there");
        Assert.Throws<PowerCutException>(() => file.Append([3]), "a file opened before the cut is dead after it");
        using IStateFile again = files.OpenAppend(A);
        again.Append([3]);
        again.Sync();
        Assert.That(files.ReadAll(A), Is.EqualTo(new byte[] { 1, 3 }), "the power is back");
    }

    private static PowerCutFileSystem NewWithSyncedFile(string path, byte[] data)
    {
        PowerCutFileSystem files = new();
        files.CreateDirectory(Folder);
        using (IStateFile file = files.Create(path))
        {
            file.Append(data);
            file.Sync();
        }

        files.SyncDirectory(Folder);
        return files;
    }
}
