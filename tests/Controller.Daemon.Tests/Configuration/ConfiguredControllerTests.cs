// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Daemon.Configuration;
using Controller.Firmware.Addressing;
using Controller.Firmware.Media;
using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.Scheduling;
using Controller.Firmware.Volumes;

namespace Controller.Daemon.Tests.Configuration;

public sealed class ConfiguredControllerTests
{
    private const string FileName = "test.conf";

    private static readonly PortId Host = PortId.Parse("0x010200");

    private string _directory = null!;

    [SetUp]
    public void CreateDirectory()
    {
        // NUnit reuses one fixture instance for all its tests: a fresh directory per test.
        _directory = Path.Combine(Path.GetTempPath(), "controllerd-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
    }

    [TearDown]
    public void DeleteDirectory()
    {
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public void TheSampleConfigurationBuildsTheFig7Controller()
    {
        DeterministicScheduler scheduler = new(7);
        using ConfiguredController controller = ConfiguredController.Build(ControllerConfigParser.ParseFile(RepositoryRoot.PathOf("docs/controllerd.conf")), scheduler);

        Assert.That(controller.Ports, Has.Count.EqualTo(2), "ports 0x400104 and 0x421014");
        TargetPort first = controller.FindPort(PortId.Parse("0x400104"))!;
        TargetPort second = controller.FindPort(PortId.Parse("0x421014"))!;
        Assert.That(first, Is.Not.Null, "0x400104 exists");
        Assert.That(second, Is.Not.Null, "0x421014 exists");
        for (ushort lun = 1; lun <= 4; lun++)
        {
            Assert.That(first.Resolve(Host, new Lun(lun), out LdevId ldev), Is.EqualTo(LunAccess.Granted), "the host sees LUN " + lun + " of 0x400104");
            Assert.That(ldev, Is.EqualTo(new LdevId(lun)), "0x400104 LUN " + lun + " is LDEV 00:0" + lun);
        }

        Assert.That(second.Resolve(Host, new Lun(5), out LdevId fifth), Is.EqualTo(LunAccess.Granted), "the host sees LUN 0x0005 of 0x421014");
        Assert.That(fifth, Is.EqualTo(LdevId.Parse("00:05")), "0x421014 LUN 0x0005 is LDEV 00:05");
        Assert.That(first.Resolve(PortId.Parse("0x010300"), new Lun(1), out _), Is.EqualTo(LunAccess.NotVisible), "LUN security hides the LUNs from an initiator in no host group");
        Assert.That(second.GetVisibleLuns(Host), Is.EqualTo(new[] { new Lun(5), new Lun(0xFE) }), "REPORT LUNS on 0x421014: LUN 5 and the command device");

        for (ushort id = 1; id <= 5; id++)
        {
            Ldev? ldev = controller.Subsystem.FindLdev(new LdevId(id));
            Assert.That(ldev, Is.Not.Null, "LDEV 00:0" + id + " is attached");
            Assert.That(ldev!.BlockCount, Is.EqualTo(131072), "64 MiB");
            Assert.That(ldev.Media, Is.InstanceOf<RamBlockStore>(), "store ram");
        }

        MirrorPair? local = controller.Subsystem.Pairs.Find(VolumeAddress.Parse("0x400104, 0x0001"), VolumeAddress.Parse("0x400104, 0x0002"));
        MirrorPair? across = controller.Subsystem.Pairs.Find(VolumeAddress.Parse("0x400104, 0x0004"), VolumeAddress.Parse("0x421014, 0x0005"));
        Assert.That(local, Is.Not.Null, "the pair 0x0001 -> 0x0002 exists");
        Assert.That(across, Is.Not.Null, "the pair 0x400104/0x0004 -> 0x421014/0x0005 exists");
        Assert.That(local!.State, Is.EqualTo(PairState.Copy), "a configured pair starts in its initial copy");
        scheduler.RunUntilIdle();
        Assert.That((local.State, across!.State), Is.EqualTo((PairState.Pair, PairState.Pair)), "both reach PAIR when the initial copy is done");
    }

    [Test]
    public void ThePairsAreRealMirrors()
    {
        DeterministicScheduler scheduler = new(1);
        using ConfiguredController controller = Build(TwoLdevs("1MiB", "1MiB") + "pair 0x400104,0x0001 0x400104,0x0002\n", scheduler);
        byte[] written = new byte[TrackGeometry.BlockSize];
        written.AsSpan().Fill(0x5A);
        Ldev pVol = controller.Subsystem.FindLdev(LdevId.Parse("00:01"))!;
        Ldev sVol = controller.Subsystem.FindLdev(LdevId.Parse("00:02"))!;
        Assert.That(pVol.Media.Write(100, written), Is.EqualTo(MediaStatus.Good), "seed the P-VOL before the initial copy runs");
        scheduler.RunUntilIdle();
        byte[] read = new byte[TrackGeometry.BlockSize];
        Assert.That(sVol.Media.Read(100, read), Is.EqualTo(MediaStatus.Good), "read the S-VOL");
        Assert.That(read, Is.EqualTo(written), "the initial copy brought the P-VOL's block to the S-VOL");
    }

    [Test]
    public void TheSubsystemIsSizedAsConfigured()
    {
        using ConfiguredController controller = Build("mps 3\nqueue-depth 64\ntrack-size 256KiB\n" + TwoLdevs("1MiB", "1MiB"), new DeterministicScheduler(1));
        Assert.That(controller.Subsystem.Mps, Has.Count.EqualTo(3), "mps");
        Assert.That(controller.Subsystem.Options.QueueDepth, Is.EqualTo(64), "queue-depth");
        Assert.That(controller.Subsystem.Options.Geometry.TrackSizeBytes, Is.EqualTo(256 * 1024), "track-size");
        Assert.That(controller.Subsystem.FindLdev(LdevId.Parse("00:01"))!.Geometry.TrackSizeBytes, Is.EqualTo(256 * 1024), "every LDEV uses the subsystem's geometry");
    }

    [Test]
    public void TheCopyRateLimitsTheCopyEngineAndItsAbsenceLeavesTheDefault()
    {
        using ConfiguredController limited = Build("copy-rate 64KiB\n" + TwoLdevs("1MiB", "1MiB"), new DeterministicScheduler(1));
        using ConfiguredController unlimited = Build(TwoLdevs("1MiB", "1MiB"), new DeterministicScheduler(1));
        Assert.That(limited.Subsystem.Options.CopyPace.BytesPerSecond, Is.EqualTo(64 * 1024), "copy-rate");
        Assert.That(unlimited.Subsystem.Options.CopyPace, Is.EqualTo(Controller.Firmware.Pairs.CopyPace.Default), "no copy-rate line: the default pace, no limit");
    }

    [Test]
    public void APortWithoutHostGroupsShowsEveryLunToEveryInitiator()
    {
        using ConfiguredController controller = Build(TwoLdevs("1MiB", "1MiB"), new DeterministicScheduler(1));
        TargetPort port = controller.Ports[0];
        Assert.That(port.LunSecurity, Is.False, "no host group, no LUN security");
        Assert.That(port.Resolve(PortId.Parse("0x123456"), new Lun(2), out LdevId ldev), Is.EqualTo(LunAccess.Granted), "any initiator");
        Assert.That(ldev, Is.EqualTo(LdevId.Parse("00:02")), "LUN 0x0002 is LDEV 00:02");
    }

    [Test]
    public void APairTheTableRefusesIsAnErrorOnThePairLine()
    {
        string text = TwoLdevs("1MiB", "2MiB") + "\npair 0x400104,0x0001 0x400104,0x0002\n";
        ConfigException? ex = Assert.Throws<ConfigException>(() => Build(text, new DeterministicScheduler(1)), "P-VOL and S-VOL differ in size");
        Assert.That(ex!.Line, Is.EqualTo(7), "the pair's line");
        Assert.That(ex.Reason, Is.EqualTo("pair refused: 0x400104, 0x0001 -> 0x400104, 0x0002: SMPL x Create rejected: CapacityMismatch"
            + " (P-VOL LDEV 00:01 has 2048 blocks, S-VOL LDEV 00:02 has 4096)"), "the table's message, and the sizes to fix");
    }

    [Test]
    public void ASecondMirrorOfOneSVolIsRefusedByTheTable()
    {
        string text = TwoLdevs("1MiB", "1MiB") + """
            ldev 00:03 size 1MiB
            lun 0x400104 0x0003 00:03
            pair 0x400104,0x0001 0x400104,0x0002
            pair 0x400104,0x0003 0x400104,0x0002
            """;
        ConfigException? ex = Assert.Throws<ConfigException>(() => Build(text, new DeterministicScheduler(1)), "an S-VOL has one pair only");
        Assert.That(ex!.Line, Is.EqualTo(9), "the second pair's line");
        Assert.That(ex.Message, Is.EqualTo(FileName + ":9: pair refused: 0x400104, 0x0003 -> 0x400104, 0x0002: SMPL x Create rejected: SVolInUse"), "file:line: the table's message");
    }

    [TestCase("", WriteCachePolicy.WriteThrough)]
    [TestCase(" write-through", WriteCachePolicy.WriteThrough)]
    [TestCase(" write-back", WriteCachePolicy.WriteBack)]
    public void EveryFileLdevGetsTheStoresWritePolicy(string policyWord, WriteCachePolicy policy)
    {
        string store = Path.Combine(_directory, "store");
        using ConfiguredController controller = Build("store file " + store + policyWord + "\n" + TwoLdevs("1MiB", "1MiB"), new DeterministicScheduler(1));
        foreach (string id in new[] { "00:01", "00:02" })
        {
            Ldev ldev = controller.Subsystem.FindLdev(LdevId.Parse(id))!;
            Assert.That(ldev.Media.CachePolicy, Is.EqualTo(policy), "LDEV " + id + ": what MODE SENSE will report is what the store does");
        }

        Assert.That(controller.DescribeStore(), Does.Contain(policy == WriteCachePolicy.WriteBack ? "write-back: acknowledged writes survive a process kill, not a power cut" : "write-through: every acknowledged write is on stable storage"), "the start-up log says what survives");
        Assert.That(controller.FlushMedia(), Is.Empty, "a clean stop syncs every LDEV file");
    }

    [Test]
    public void TheStartUpLogSaysARamStoreLosesEverythingAtExit()
    {
        using ConfiguredController controller = Build(TwoLdevs("1MiB", "1MiB"), new DeterministicScheduler(1));
        Assert.That(controller.DescribeStore(), Is.EqualTo("store: RAM: the 2 LDEVs lose everything when controllerd exits (use 'store file DIRECTORY' to keep data)"));
        Assert.That(controller.Subsystem.FindLdev(LdevId.Parse("00:01"))!.Media.CachePolicy, Is.EqualTo(WriteCachePolicy.VolatileMedium), "RAM media says it is volatile");
    }

    [Test]
    public void AFileStoreCreatesOneFilePerLdevAndReopensItWithItsData()
    {
        string store = Path.Combine(_directory, "store", "nested");
        string text = "store file " + store + "\n" + TwoLdevs("1MiB", "1MiB");
        byte[] written = new byte[TrackGeometry.BlockSize * 2];
        written.AsSpan().Fill(0xC3);
        using (ConfiguredController controller = Build(text, new DeterministicScheduler(1)))
        {
            Ldev ldev = controller.Subsystem.FindLdev(LdevId.Parse("00:02"))!;
            Assert.That(ldev.Media, Is.InstanceOf<FileBlockStore>(), "store file");
            Assert.That(((FileBlockStore)ldev.Media).Path, Is.EqualTo(Path.Combine(store, "ldev-00-02.img")), "the file is named after the LDEV");
            Assert.That(ldev.Media.Write(2046, written), Is.EqualTo(MediaStatus.Good), "write the last two blocks");
            Assert.That(ldev.Media.Flush(), Is.EqualTo(MediaStatus.Good), "flush");
        }

        Assert.That(File.Exists(Path.Combine(store, "ldev-00-01.img")), Is.True, "the missing directory was created, with a file for 00:01");
        Assert.That(File.Exists(Path.Combine(store, "ldev-00-02.img")), Is.True, "and one for 00:02");

        using (ConfiguredController again = Build(text, new DeterministicScheduler(1)))
        {
            byte[] read = new byte[written.Length];
            Assert.That(again.Subsystem.FindLdev(LdevId.Parse("00:02"))!.Media.Read(2046, read), Is.EqualTo(MediaStatus.Good), "read after the restart");
            Assert.That(read, Is.EqualTo(written), "an existing file is opened with its data, not recreated");
        }
    }

    [Test]
    public void AnLdevFileHoldingMoreThanItsSizeIsAnErrorOnTheLdevLine()
    {
        string store = Path.Combine(_directory, "store");
        Directory.CreateDirectory(store);
        File.WriteAllBytes(Path.Combine(store, "ldev-00-02.img"), new byte[(1 << 20) + 512]);
        ConfigException? ex = Assert.Throws<ConfigException>(() => Build("store file " + store + "\n" + TwoLdevs("1MiB", "1MiB"), new DeterministicScheduler(1)), "the file is larger than 1 MiB");
        Assert.That(ex!.Line, Is.EqualTo(3), "the line of 'ldev 00:02'");
        Assert.That(ex.Reason, Does.StartWith("LDEV 00:02: LDEV file '" + Path.Combine(store, "ldev-00-02.img") + "' holds 1049088 bytes"), "the media's own reason");
    }

    [Test]
    public void AStoreDirectoryThatCannotBeCreatedIsAnErrorOnTheStoreLine()
    {
        string blocker = Path.Combine(_directory, "a-file");
        File.WriteAllText(blocker, "not a directory");
        ConfigException? ex = Assert.Throws<ConfigException>(() => Build(TwoLdevs("1MiB", "1MiB") + "store file " + Path.Combine(blocker, "store") + "\n", new DeterministicScheduler(1)), "a file is in the way");
        Assert.That(ex!.Line, Is.EqualTo(6), "the store line");
        Assert.That(ex.Reason, Does.StartWith("cannot create the store directory '" + Path.Combine(blocker, "store") + "': "), "names the directory, then the OS reason");
    }

    [Test]
    public void AFailedBuildClosesTheFilesItOpened()
    {
        // The pair fails after both LDEV files are open. FileBlockStore opens with FileShare.Read, which .NET on
        // Unix backs with a shared advisory lock, so an exclusive open succeeds only once every handle is closed.
        string store = Path.Combine(_directory, "store");
        string text = "store file " + store + "\n" + TwoLdevs("1MiB", "2MiB") + "pair 0x400104,0x0001 0x400104,0x0002\n";
        Assert.Throws<ConfigException>(() => Build(text, new DeterministicScheduler(1)), "capacity mismatch");
        using FileStream exclusive = new(Path.Combine(store, "ldev-00-01.img"), FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        Assert.That(exclusive.CanWrite, Is.True, "nothing else holds the file");
    }

    [TestCase((ushort)0x0001, "ldev-00-01.img")]
    [TestCase((ushort)0xAB0C, "ldev-AB-0C.img")]
    public void LdevFilesAreNamedAfterTheLdevWithoutAColon(ushort id, string expected)
    {
        Assert.That(ConfiguredController.LdevFileName(new LdevId(id)), Is.EqualTo(expected), "a colon is not a valid file name character everywhere");
    }

    // Lines 1-5 (after any lines put in front): LDEVs 00:01 and 00:02 behind LUNs 0x0001 and 0x0002 of 0x400104.
    private static string TwoLdevs(string firstSize, string secondSize)
    {
        return "ldev 00:01 size " + firstSize + "\nldev 00:02 size " + secondSize + "\nport 0x400104 open\nlun 0x400104 0x0001 00:01\nlun 0x400104 0x0002 00:02\n";
    }

    private static ConfiguredController Build(string text, IScheduler scheduler)
    {
        return ConfiguredController.Build(ControllerConfigParser.Parse(new StringReader(text), FileName), scheduler);
    }
}
