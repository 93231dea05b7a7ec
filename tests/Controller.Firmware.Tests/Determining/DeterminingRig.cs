// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.RemoteCopy;
using Controller.Firmware.Tests.RemoteCopy;
using Controller.Firmware.Volumes;

namespace Controller.Firmware.Tests.Determining;

/// <summary>
/// Seed 002's storage (R2-1, R2-2): SD1 with DV1 (LUN 0x20) and PV (LUN 1), SD2 with DV2 and SV, joined both ways
/// on one deterministic scheduler. Commands are sent to a volume, as a host sends them to its own storage: the rig
/// finds the volume's pair, whatever its role now.
/// </summary>
internal sealed class DeterminingRig : IDisposable
{
    public const ushort Dv = 0x20;
    public const ushort Data = 1;
    public const long Blocks = 2048;

    public DeterminingRig(ulong seed, CopyPace? pace = null, int mpCount = 1, Func<SubsystemOptions, SubsystemOptions>? configure = null, (TimeSpan Forward, TimeSpan Reverse)? latency = null)
    {
        Storage = new TwoSubsystemRig(seed, pace, mpCount, bothWays: true, configure, latency);
        Dv1 = Storage.Volume1(Dv, Blocks);
        Dv2 = Storage.Volume2(Dv, Blocks);
        Pv = Storage.Volume1(Data, Blocks);
        Sv = Storage.Volume2(Data, Blocks);
    }

    public TwoSubsystemRig Storage { get; }

    public Ldev Dv1 { get; }

    public Ldev Dv2 { get; }

    public Ldev Pv { get; }

    public Ldev Sv { get; }

    public StorageSubsystem Sd1 => Storage.Ss1;

    public StorageSubsystem Sd2 => Storage.Ss2;

    /// <summary>The volume's address at its own storage.</summary>
    public static VolumeAddress At(StorageSubsystem sd, TwoSubsystemRig storage, ushort lun)
    {
        return ReferenceEquals(sd, storage.Ss1) ? TwoSubsystemRig.At1(lun) : TwoSubsystemRig.At2(lun);
    }

    /// <summary>R2-3: creates the determining pair DV1 -> DV2, waits for PAIR, splits it (armed) and creates the data pair PV -> SV in PAIR.</summary>
    public void Arm(bool dataPair = true)
    {
        Assert.That(Create(Dv, determining: true).Result, Is.EqualTo(CommandResult.Accepted));
        Storage.Scheduler.RunUntilIdle();
        Assert.That(Send(Sd1, Dv, PairOperation.Split).Result, Is.EqualTo(CommandResult.Accepted));
        Storage.Scheduler.RunUntilIdle();
        if (dataPair)
        {
            Assert.That(Create(Data, determining: false).Result, Is.EqualTo(CommandResult.Accepted));
            Storage.Scheduler.RunUntilIdle();
        }
    }

    public PairCommandResponse Create(ushort lun, bool determining)
    {
        Task<PairCommandResponse> answer = Sd1.Pairs.CreateRemoteAsync(TwoSubsystemRig.At1(lun), Sd1.FindLdev(new LdevId(lun))!, TwoSubsystemRig.At2(lun), FenceLevel.Never, determining: determining);
        return Storage.Await(answer);
    }

    /// <summary>Sends a pair command to a volume at its storage and runs until it is answered.</summary>
    public PairCommandResponse Send(StorageSubsystem sd, ushort lun, PairOperation operation, SplitMode mode = SplitMode.ReadOnly)
    {
        return Storage.Await(SendAsync(sd, lun, operation, mode));
    }

    /// <summary>Sends a pair command to a volume at its storage (the pair it is in, as P-VOL or S-VOL).</summary>
    public Task<PairCommandResponse> SendAsync(StorageSubsystem sd, ushort lun, PairOperation operation, SplitMode mode = SplitMode.ReadOnly)
    {
        VolumeAddress volume = At(sd, Storage, lun);
        MirrorPair? pair = Of(sd, lun);
        return pair is null
            ? sd.Pairs.ExecuteAsync(volume, ReferenceEquals(sd, Sd1) ? TwoSubsystemRig.At2(lun) : TwoSubsystemRig.At1(lun), operation, mode)
            : sd.Pairs.ExecuteAsync(pair.PVolAddress, pair.SVolAddress, operation, mode);
    }

    /// <summary>The pair a volume is in at its storage, or null (R2-29's pair display of one volume).</summary>
    public MirrorPair? Of(StorageSubsystem sd, ushort lun)
    {
        IReadOnlyList<MirrorPair> pairs = sd.Pairs.FindByVolume(At(sd, Storage, lun));
        return pairs.Count == 0 ? null : pairs[0];
    }

    /// <summary>The attribute (P-VOL or S-VOL) and state of a volume's side, as its storage reports them.</summary>
    public (PairRole? Role, PairState State) View(StorageSubsystem sd, ushort lun)
    {
        MirrorPair? pair = Of(sd, lun);
        return pair is null ? (null, PairState.Smpl) : (pair.LocalRole, pair.State);
    }

    /// <summary>R2-4: with the link up and nothing in flight, both sides report one state and complementary roles.</summary>
    public void AssertAgree(ushort lun, string why)
    {
        (PairRole? role1, PairState state1) = View(Sd1, lun);
        (PairRole? role2, PairState state2) = View(Sd2, lun);
        Assert.That(state2, Is.EqualTo(state1), why + ": both storages report one state");
        if (role1 is not null || role2 is not null)
        {
            Assert.That(role1, Is.Not.Null, why);
            Assert.That(role2, Is.Not.Null, why);
            Assert.That(role1, Is.Not.EqualTo(role2), why + ": complementary roles");
        }
    }

    public void Dispose()
    {
        Storage.Dispose();
    }
}
