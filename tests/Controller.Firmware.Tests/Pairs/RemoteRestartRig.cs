// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.Media;
using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.Persistence;
using Controller.Firmware.RemoteCopy;
using Controller.Firmware.Scheduling;
using Controller.Firmware.Volumes;

namespace Controller.Firmware.Tests.Pairs;

/// <summary>
/// SS1 (port 0x400104, remote-copy initiator 0x400200) and SS2 (port 0x421014, initiator 0x421200) whose pair state
/// is kept in two state folders and which are restarted on the same volumes (their media outlive each generation):
/// every generation is a new scheduler, new subsystems and new <see cref="ScheduledRemotePath"/>s, restored by
/// <see cref="PairStateKeeper.RestoreInto"/> as controllerd restores them. LDEV n is LUN n on each side.
/// </summary>
internal sealed class RemoteRestartRig : IBlockCommandCompletion, IDisposable
{
    public const uint Ss1Port = 0x400104;
    public const uint Ss2Port = 0x421014;
    public const int Ss1Initiator = 0x400200;
    public const int Ss2Initiator = 0x421200;
    public const long Blocks = 2048;

    private readonly string _folder;
    private readonly ushort[] _luns;
    private readonly CopyPace _pace;
    private readonly bool _bothWays;
    private readonly Dictionary<(int Side, ushort Lun), IBlockDevice> _media = [];
    private readonly Dictionary<long, MediaStatus?> _writes = [];
    private readonly List<StorageSubsystem> _generations = [];
    private long _nextTag = 1;

    public RemoteRestartRig(ulong seed, string folder, ushort[] luns, CopyPace? pace = null, bool bothWays = false)
    {
        _folder = folder;
        _luns = luns;
        _pace = pace ?? CopyPace.Default;
        _bothWays = bothWays;
        Build(seed, restore: false, linkDownAtStart: false, ss1Peers: [Ss2Initiator], ss2Peers: [Ss1Initiator], ss1Paths: true);
    }

    public DeterministicScheduler Scheduler { get; private set; } = null!;

    public StorageSubsystem Ss1 { get; private set; } = null!;

    public StorageSubsystem Ss2 { get; private set; } = null!;

    public ScheduledRemotePath Path { get; private set; } = null!;

    public ScheduledRemotePath? Reverse { get; private set; }

    public PairStateKeeper Keeper1 { get; private set; } = null!;

    public PairStateKeeper Keeper2 { get; private set; } = null!;

    /// <summary>Gets what each side's last start said: the refusals (empty when every row came back).</summary>
    public List<string> Problems1 { get; } = [];

    public List<string> Problems2 { get; } = [];

    public static VolumeAddress At1(ushort lun) => new(new PortId(Ss1Port), new Lun(lun));

    public static VolumeAddress At2(ushort lun) => new(new PortId(Ss2Port), new Lun(lun));

    public Ldev Volume1(ushort lun) => Ss1.FindLdev(new LdevId(lun))!;

    public Ldev Volume2(ushort lun) => Ss2.FindLdev(new LdevId(lun))!;

    public MirrorPair? Primary(ushort lun) => Ss1.Pairs.Find(At1(lun), At2(lun));

    public MirrorPair? Secondary(ushort lun) => Ss2.Pairs.Find(At1(lun), At2(lun));

    /// <summary>Creates the remote pair LV(lun) at SS1 -> LV(lun) at SS2 and runs until it has answered.</summary>
    public PairCommandResponse CreateRemote(ushort lun, bool determining = false, FenceLevel fence = FenceLevel.Never)
    {
        return Await(Ss1.Pairs.CreateRemoteAsync(At1(lun), Volume1(lun), At2(lun), fence, determining: determining));
    }

    /// <summary>Runs a pair command at a side and runs ready work until it is answered.</summary>
    public PairCommandResponse Command(StorageSubsystem at, VolumeAddress pVol, VolumeAddress sVol, PairOperation operation, SplitMode mode = SplitMode.ReadOnly)
    {
        return Await(at.Pairs.ExecuteAsync(pVol, sVol, operation, mode));
    }

    public PairCommandResponse Await(Task<PairCommandResponse> answer)
    {
        while (!answer.IsCompleted && Scheduler.RunOne())
        {
        }

        Assert.That(answer.IsCompleted, Is.True, "the command was answered");
        return answer.Result;
    }

    /// <summary>Runs ready work without moving the clock: paced copies stay where they are.</summary>
    public void RunReady()
    {
        while (Scheduler.ReadyCount > 0)
        {
            Scheduler.RunOne();
        }
    }

    /// <summary>Writes a seeded pattern through the controller (a host write) and runs until it is answered.</summary>
    public MediaStatus Write(Ldev volume, long lba, int blocks, ulong seed)
    {
        long tag = _nextTag++;
        _writes[tag] = null;
        StorageSubsystem owner = Ss1.FindLdev(volume.Id) == volume ? Ss1 : Ss2;
        BlockCommand command = new(BlockCommandKind.Write, volume, lba, new ArraySegment<byte>(MirrorRig.Pattern(seed, blocks)), this, tag);
        Assert.That(owner.TrySubmit(command), Is.True, "the write was queued");
        while (_writes[tag] is null && Scheduler.RunOne())
        {
        }

        return _writes[tag] ?? MediaStatus.MediumError;
    }

    public void Complete(in BlockCommand command, MediaStatus status)
    {
        _writes[command.Tag] = status;
    }

    /// <summary>Makes every change so far durable at both sides, as the answers of the commands did.</summary>
    public void CommitBoth()
    {
        Ss1.Pairs.CommitState();
        Ss2.Pairs.CommitState();
    }

    /// <summary>
    /// Stops both sides and starts them again on the same volumes. A crashed side keeps what it committed (its journal,
    /// no clean-stop checkpoint); a gracefully stopped one writes its clean-stop checkpoint. The old generation's work
    /// never runs again (its scheduler is dropped).
    /// </summary>
    public void Restart(bool primaryCrashes, bool secondaryCrashes, ulong seed, bool linkDownAtStart = false, int[]? ss1Peers = null, int[]? ss2Peers = null, bool ss1Paths = true)
    {
        Stop(Keeper1, Ss1, primaryCrashes);
        Stop(Keeper2, Ss2, secondaryCrashes);
        Build(seed, restore: true, linkDownAtStart, ss1Peers ?? [Ss2Initiator], ss2Peers ?? [Ss1Initiator], ss1Paths);
    }

    public void Dispose()
    {
        Keeper1.Dispose();
        Keeper2.Dispose();
        foreach (StorageSubsystem subsystem in _generations)
        {
            // The media outlive the generations: only the last one disposes them.
            if (ReferenceEquals(subsystem, Ss1) || ReferenceEquals(subsystem, Ss2))
            {
                subsystem.Dispose();
            }
        }
    }

    private static void Stop(PairStateKeeper keeper, StorageSubsystem subsystem, bool crash)
    {
        if (!crash)
        {
            keeper.Checkpoint(subsystem.Pairs, cleanStop: true);
        }

        keeper.Dispose();
    }

    private void Build(ulong seed, bool restore, bool linkDownAtStart, int[] ss1Peers, int[] ss2Peers, bool ss1Paths)
    {
        Scheduler = new DeterministicScheduler(seed);
        SubsystemOptions options = new() { MpCount = 2, QueueDepth = 256, CopyPace = _pace };
        Ss1 = new StorageSubsystem(Scheduler, options);
        Ss2 = new StorageSubsystem(Scheduler, options);
        _generations.Add(Ss1);
        _generations.Add(Ss2);
        foreach (ushort lun in _luns)
        {
            Attach(Ss1, 1, lun);
            Attach(Ss2, 2, lun);
        }

        Path = new ScheduledRemotePath("SS1->SS2", Scheduler, Ss1Initiator, Ss2.Pairs, address => address.PortId.Value == Ss2Port ? Volume2(address.Lun.Value) : null, port => port.Value == Ss2Port);
        Reverse = _bothWays ? new ScheduledRemotePath("SS2->SS1", Scheduler, Ss2Initiator, Ss1.Pairs, address => address.PortId.Value == Ss1Port ? Volume1(address.Lun.Value) : null, port => port.Value == Ss1Port) : null;
        if (linkDownAtStart)
        {
            // Before any row is restored: the secondary's rows are not touched by the primary being away at start.
            Path.Down();
            Reverse?.Down();
        }

        if (ss1Paths)
        {
            Ss1.Pairs.AddRemotePath(Path);
        }

        if (Reverse is not null)
        {
            Ss2.Pairs.AddRemotePath(Reverse);
        }

        Keeper2 = Start(2, Ss2, restore, ss2Peers, Problems2);
        Keeper1 = Start(1, Ss1, restore, ss1Peers, Problems1);
    }

    private PairStateKeeper Start(int side, StorageSubsystem subsystem, bool restore, int[] peers, List<string> problems)
    {
        PairStateKeeper keeper = PairStateKeeper.Open(System.IO.Path.Combine(_folder, "ss" + side));
        ControllerStateImage image = keeper.Store.Load();
        problems.Clear();
        if (restore)
        {
            problems.AddRange(keeper.RestoreInto(image, subsystem.Pairs, subsystem.FindLdev, [], isRemoteCopyPeer: peer => Array.IndexOf(peers, peer) >= 0));
        }

        keeper.Checkpoint(subsystem.Pairs, cleanStop: false);
        keeper.Serve(subsystem.Pairs);
        return keeper;
    }

    private void Attach(StorageSubsystem subsystem, int side, ushort lun)
    {
        if (!_media.TryGetValue((side, lun), out IBlockDevice? media))
        {
            media = new RamBlockStore(Blocks, subsystem.Options.Geometry);
            _media[(side, lun)] = media;
        }

        subsystem.Attach(new Ldev(new LdevId(lun), media, subsystem.Options.Geometry));
    }
}
