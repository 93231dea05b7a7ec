// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Media;

namespace Controller.Firmware.Tests.Media;

[Category("R0-3")]
public sealed class FileBlockStoreTests
{
    private string _directory = "";

    [SetUp]
    public void CreateDirectory()
    {
        _directory = Path.Combine(Path.GetTempPath(), "ctl-file-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
    }

    [TearDown]
    public void DeleteDirectory()
    {
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public void WrittenBlocksSurviveCloseAndReopen()
    {
        string path = Path.Combine(_directory, "ldev.img");
        byte[] data = new byte[2 * 512];
        new Random(42).NextBytes(data);
        using (FileBlockStore store = FileBlockStore.Create(path, 1 << 20))
        {
            Assert.That(store.Write(5000, data), Is.EqualTo(MediaStatus.Good), "write status");
            Assert.That(store.Flush(), Is.EqualTo(MediaStatus.Good), "flush status");
        }

        using FileBlockStore reopened = FileBlockStore.Open(path, 1 << 20);
        byte[] back = new byte[data.Length];
        Assert.That(reopened.Read(5000, back), Is.EqualTo(MediaStatus.Good), "read status after reopen");
        Assert.That(back, Is.EqualTo(data), "an acknowledged write survives reopen");
        byte[] before = new byte[512];
        Assert.That(reopened.Read(4999, before), Is.EqualTo(MediaStatus.Good), "read of the block before");
        Assert.That(before, Is.All.EqualTo(0), "the hole before the written blocks reads as zeros after reopen");
    }

    [Test]
    [Platform("Linux")]
    public void EachSyncThatCanRunAtOnceHasItsOwnOpenFileAndDisposeClosesThemAll()
    {
        // Linux reports a write-back error once per open file: syncs run at once must not share one (FileBlockStore.Flush).
        string path = Path.Combine(_directory, "ldev.img");
        FileBlockStore store = FileBlockStore.Create(path, 1 << 20);
        int open = OpenFilesOf(path);
        Thread[] syncs = new Thread[FileBlockStore.ConcurrentSyncs + 1];
        MediaStatus[] statuses = new MediaStatus[syncs.Length];
        using Barrier start = new(syncs.Length);
        for (int i = 0; i < syncs.Length; i++)
        {
            int index = i;
            Assert.That(store.Write(index * 8, new byte[4096]), Is.EqualTo(MediaStatus.Good));
            syncs[i] = new Thread(() =>
            {
                start.SignalAndWait();
                statuses[index] = store.Flush();
            });
            syncs[i].Start();
        }

        foreach (Thread sync in syncs)
        {
            sync.Join();
        }

        store.Dispose();
        Assert.Multiple(() =>
        {
            Assert.That(open, Is.EqualTo(FileBlockStore.ConcurrentSyncs), "one open file per sync that can run at once (the first is the write handle)");
            Assert.That(statuses, Is.All.EqualTo(MediaStatus.Good), "more syncs at once than handles: the extra one waits for a handle and succeeds");
            Assert.That(OpenFilesOf(path), Is.Zero, "Dispose closes every handle");
        });
    }

    [Test]
    public void StartingWriteBackKeepsTheDataAndIsHarmlessOnAClosedStore()
    {
        string path = Path.Combine(_directory, "ldev.img");
        byte[] data = new byte[64 * 1024];
        new Random(43).NextBytes(data);
        FileBlockStore store = FileBlockStore.Create(path, 1 << 20);
        Assert.That(store.Write(128, data), Is.EqualTo(MediaStatus.Good));
        store.StartWriteback();
        byte[] back = new byte[data.Length];
        Assert.That(store.Read(128, back), Is.EqualTo(MediaStatus.Good));
        Assert.That(back, Is.EqualTo(data), "write-back started under the data changes nothing a read sees");
        Assert.That(store.Flush(), Is.EqualTo(MediaStatus.Good), "and the sync after it succeeds");
        store.Dispose();
        Assert.DoesNotThrow(store.StartWriteback, "a start on a closed store (a dispose racing the MP) does nothing");
    }

    private static int OpenFilesOf(string path)
    {
        string full = Path.GetFullPath(path);
        return new DirectoryInfo("/proc/self/fd").GetFileSystemInfos().Count(fd => fd.LinkTarget == full);
    }

    [Test]
    public void TheWritePolicyIsWriteThroughUnlessWriteBackIsAskedFor()
    {
        using FileBlockStore plain = FileBlockStore.Create(Path.Combine(_directory, "a.img"), 1024);
        using FileBlockStore through = FileBlockStore.Create(Path.Combine(_directory, "b.img"), 1024, WriteCachePolicy.WriteThrough);
        using FileBlockStore back = FileBlockStore.Create(Path.Combine(_directory, "c.img"), 1024, WriteCachePolicy.WriteBack);
        using FileBlockStore reopened = FileBlockStore.Open(Path.Combine(_directory, "a.img"), 1024, WriteCachePolicy.WriteBack);
        Assert.Multiple(() =>
        {
            Assert.That(plain.CachePolicy, Is.EqualTo(WriteCachePolicy.WriteThrough), "no policy named: write-through, the truthful default");
            Assert.That(through.CachePolicy, Is.EqualTo(WriteCachePolicy.WriteThrough), "write-through asked");
            Assert.That(back.CachePolicy, Is.EqualTo(WriteCachePolicy.WriteBack), "write-back asked");
            Assert.That(reopened.CachePolicy, Is.EqualTo(WriteCachePolicy.WriteBack), "the policy is the opener's, not the file's");
        });
    }

    [Test]
    public void AFileStoreIsNotAVolatileMedium()
    {
        string path = Path.Combine(_directory, "ldev.img");
        Assert.Throws<ArgumentOutOfRangeException>(() => FileBlockStore.Create(path, 1024, WriteCachePolicy.VolatileMedium).Dispose());
        Assert.That(File.Exists(path), Is.False, "refused before the file is created");
    }

    [Test]
    public void AFlushOfAClosedStoreIsAMediumErrorNotAnException()
    {
        FileBlockStore store = FileBlockStore.Create(Path.Combine(_directory, "ldev.img"), 1024, WriteCachePolicy.WriteBack);
        Assert.That(store.Write(0, new byte[512]), Is.EqualTo(MediaStatus.Good), "write status");
        Assert.That(store.Flush(), Is.EqualTo(MediaStatus.Good), "fdatasync of an open file");
        store.Dispose();
        Assert.That(store.Flush(), Is.EqualTo(MediaStatus.MediumError), "after close there is no file to sync: a status, as the media answers");
    }

    [Test]
    public void TheFileGrowsOnlyToTheLastWrittenBlock()
    {
        string path = Path.Combine(_directory, "ldev.img");
        using FileBlockStore store = FileBlockStore.Create(path, 1L << 31);
        Assert.That(new FileInfo(path).Length, Is.Zero, "a new LDEV file is empty");
        Assert.That(store.Write(1000, new byte[512]), Is.EqualTo(MediaStatus.Good), "write status");
        Assert.That(new FileInfo(path).Length, Is.EqualTo(1001 * 512), "the file ends at the last written block");
    }

    [Test]
    public void CreatingOverAnExistingFileFailsNamingTheFile()
    {
        string path = Path.Combine(_directory, "ldev.img");
        File.WriteAllBytes(path, new byte[512]);
        IOException? ex = Assert.Throws<IOException>(() => FileBlockStore.Create(path, 100).Dispose());
        Assert.That(ex!.Message, Does.Contain(path), "the message names the file");
    }

    [Test]
    public void OpeningAMissingFileFailsNamingTheFile()
    {
        string path = Path.Combine(_directory, "missing.img");
        IOException? ex = Assert.Throws<IOException>(() => FileBlockStore.Open(path, 100).Dispose());
        Assert.That(ex!.Message, Does.Contain("cannot open LDEV file '" + path + "'"), "the message names the file");
    }

    [Test]
    public void OpeningAFileLargerThanItsCapacityFails()
    {
        string path = Path.Combine(_directory, "big.img");
        File.WriteAllBytes(path, new byte[4096]);
        IOException? ex = Assert.Throws<IOException>(() => FileBlockStore.Open(path, 4).Dispose());
        Assert.That(ex!.Message, Does.Contain("more than its capacity of 4 blocks"), "the message says why");
    }

    [Test]
    public void CapacityBeyond2To48BlocksIsRejected()
    {
        string path = Path.Combine(_directory, "huge.img");
        Assert.Throws<ArgumentOutOfRangeException>(() => FileBlockStore.Create(path, TrackGeometry.MaxLdevBlocks + 1).Dispose());
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new RamBlockStore(TrackGeometry.MaxLdevBlocks + 1, TrackGeometry.Default));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new RamBlockStore(0, TrackGeometry.Default));
    }
}
