// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Daemon.Configuration;
using Controller.Firmware;
using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.RemoteCopy;
using Controller.Firmware.Scheduling;

namespace Controller.Daemon.Tests.Configuration;

/// <summary>
/// A kept remote pair follows the link peer its row names (docs/durability.md): the start restores it when the
/// configuration still has that peer (the primary's 'remote-copy-path' reaching the S-VOL's port, the secondary's
/// 'remote-copy-peer'), and refuses the start, naming the row and what to do, when it does not: never dropped silently.
/// A "crash" is a controller disposed without a clean-stop checkpoint.
/// </summary>
public sealed class KeptRemotePairStateTests
{
    private const string FileName = "test.conf";
    private static readonly VolumeAddress s_p = VolumeAddress.Parse("0x400104,0x0001");
    private static readonly VolumeAddress s_s = VolumeAddress.Parse("0x421014,0x0001");

    private string _directory = null!;

    private string KeyFile => Path.Combine(_directory, "remote-copy.key");

    [SetUp]
    public void CreateDirectory()
    {
        _directory = Directory.CreateTempSubdirectory("controllerd-remote-state-").FullName;
        File.WriteAllText(KeyFile, "a test key of the remote-copy link, 40 bytes\n");
    }

    [TearDown]
    public void DeleteDirectory()
    {
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public void TheSecondarysRowComesBackFollowingItsPrimaryAndWithoutThatPeerTheStartIsRefused()
    {
        string secondary = Store() + "ldev 00:01 size 1MiB\nport 0x421014 open\nlun 0x421014 0x0001 00:01\n";
        using (ConfiguredController controller = Build(secondary + "remote-copy-peer 0x400200 key " + KeyFile + "\n", new DeterministicScheduler(61)))
        {
            CopyManagementTable table = controller.Subsystem.Pairs;
            RemoteControlReply? created = null;
            table.ReceiveRemoteControl(0x400200, new RemoteControl(RemoteControlKind.Create, new PairAddress(s_p, s_s)) { BlockCount = 2048, TrackSizeBytes = 65536 }, controller.Subsystem.FindLdev(new LdevId(1)), reply => created = reply);
            Assert.That(created?.IsGood, Is.True, "the primary's create was taken");
            table.CommitState();
        }

        ConfigException? refused = Assert.Throws<ConfigException>(() => Build(secondary, new DeterministicScheduler(62)));
        Assert.That(refused!.Message, Does.StartWith(FileName + ":1: the kept pair state does not fit the configuration: remote pair 0x400104, 0x0001 -> 0x421014, 0x0001 (S-VOL here, COPY): its primary's initiator 0x400200 is not a remote-copy peer of this subsystem (a 'remote-copy-peer 0x400200' line)"));
        Assert.That(refused.Message, Does.Contain("--reset-state"), "and the way out");

        using ConfiguredController restarted = Build(secondary + "remote-copy-peer 0x400200 key " + KeyFile + "\n", new DeterministicScheduler(63));
        MirrorPair back = restarted.Subsystem.Pairs.Find(s_p, s_s)!;
        Assert.That((back.LocalRole, back.Peer, back.State), Is.EqualTo((PairRole.SVol, 0x400200, PairState.Copy)), "an S-VOL whose initial copy never finished stays COPY");
        Assert.That(restarted.StateNotes, Has.Some.EqualTo("remote pair 0x400104, 0x0001 -> 0x421014, 0x0001 restored at its secondary (S-VOL here, following primary 0x400200): COPY"));
    }

    [Test]
    public void ThePrimarysRowFollowsThePathThatReachesItsSVolAndWithoutOneTheStartIsRefused()
    {
        DeterministicScheduler scheduler = new(64);
        using StorageSubsystem peer = new(scheduler);
        peer.CreateLdev(new LdevId(1), 2048);
        string primary = Store() + "ldev 00:01 size 1MiB\nport 0x400104 open\nlun 0x400104 0x0001 00:01\n";
        string path = "remote-copy-path 0x400200 to 127.0.0.1:3226 ports 0x421014 key " + KeyFile + "\n";
        using (ConfiguredController controller = Build(primary + path, scheduler, config => Link(scheduler, peer)))
        {
            CopyManagementTable table = controller.Subsystem.Pairs;
            Task<PairCommandResponse> created = table.CreateRemoteAsync(s_p, controller.Subsystem.FindLdev(new LdevId(1))!, s_s, FenceLevel.Never);
            scheduler.RunUntilIdle();
            Assert.That(created.Result.Succeeded, Is.True, created.Result.Message);
            table.CommitState();
        }

        ConfigException? refused = Assert.Throws<ConfigException>(() => Build(primary, new DeterministicScheduler(65), config => Link(scheduler, peer)));
        Assert.That(refused!.Message, Does.StartWith(FileName + ":1: the kept pair state does not fit the configuration: remote pair 0x400104, 0x0001 -> 0x421014, 0x0001 (P-VOL here, PAIR): no remote-copy path reaches port 0x421014, where its S-VOL is"));
        Assert.That(refused.Message, Does.Contain("--reset-state"));

        DeterministicScheduler again = new(66);
        ScheduledRemotePath? link = null;
        using ConfiguredController restarted = Build(primary + path, again, config => link = Link(again, peer));
        MirrorPair back = restarted.Subsystem.Pairs.Find(s_p, s_s)!;
        Assert.That((back.LocalRole, back.Path, back.State), Is.EqualTo((PairRole.PVol, (IRemoteCopyPath?)link, PairState.Psue)), "PAIR after a crash: suspended by error, following the configured path");
        Assert.That(back.PVolBitmap.CountSet(), Is.EqualTo(back.PVolBitmap.TrackCount), "every P-side track marked");
    }

    // A path to the peer subsystem on the scheduler (what the daemon's FCP path is in these tests).
    private static ScheduledRemotePath Link(DeterministicScheduler scheduler, StorageSubsystem peer)
    {
        return new ScheduledRemotePath("test path", scheduler, 0x400200, peer.Pairs, address => peer.FindLdev(new LdevId(address.Lun.Value)), port => port.Value == 0x421014);
    }

    // Line 1: the file store.
    private string Store()
    {
        return "store file " + Path.Combine(_directory, "store") + "\n";
    }

    private static ConfiguredController Build(string text, IScheduler scheduler, Func<RemoteCopyPathConfig, IRemoteCopyPath>? openRemotePath = null)
    {
        return ConfiguredController.Build(ControllerConfigParser.Parse(new StringReader(text), FileName), scheduler, openRemotePath: openRemotePath);
    }
}
