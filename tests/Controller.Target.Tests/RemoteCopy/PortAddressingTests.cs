// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware;
using Controller.Firmware.Addressing;
using Controller.Firmware.Media;
using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.Scheduling;
using Controller.Firmware.Volumes;
using Controller.Initiator;
using Controller.Target.RemoteCopy;
using Controller.Wire;
using Controller.Wire.CopyManagement;

namespace Controller.Target.Tests.RemoteCopy;

/// <summary>
/// R0-2 across two subsystems, as a host addresses them: SS1 owns port 0x400104, SS2 port 0x421014, and both ports
/// have LUNs 0x0001 and 0x0002 (SS1's also 0x0003), mapped to LDEVs whose numbers are neither the LUN nor the other subsystem's. A
/// (port ID, LUN) must reach exactly the LDEV that port's LUN map names in the subsystem that owns the port; the
/// same LUN on the other port, an LDEV numbered like the LUN, or the other subsystem must never be touched.
/// </summary>
[Category("R0-2")]
public sealed class PortAddressingTests
{
    private const int Ss1Port = 0x400104;
    private const int Ss2Port = 0x421014;
    private const long Blocks = 1024;
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(20);

    [Test]
    public async Task PortId0x421014AndItsLunsResolveToTheSecondSubsystemsVolumes()
    {
        StorageSubsystem ss1 = new(RealTimeScheduler.Instance, new SubsystemOptions { MpCount = 2, Serial = 1 });
        StorageSubsystem ss2 = new(RealTimeScheduler.Instance, new SubsystemOptions { MpCount = 2, Serial = 2 });
        try
        {
            // SS1: 0x400104/0x0001 -> LDEV 0x11, /0x0002 -> LDEV 0x12. SS2: 0x421014/0x0001 -> LDEV 0x21,
            // /0x0002 -> LDEV 0x22; SS2's LDEVs 1 and 2 exist but no LUN maps them (a resolver that took the LUN for
            // the LDEV number would land there).
            TargetPort a = new(new PortId(Ss1Port));
            TargetPort b = new(new PortId(Ss2Port));
            Ldev lv11 = Map(ss1, a, 1, 0x11);
            Ldev lv12 = Map(ss1, a, 2, 0x12);
            Map(ss1, a, 3, 0x13);
            Ldev lv21 = Map(ss2, b, 1, 0x21);
            Ldev lv22 = Map(ss2, b, 2, 0x22);
            Ldev decoy1 = ss2.CreateLdev(new LdevId(1), Blocks);
            Ldev decoy2 = ss2.CreateLdev(new LdevId(2), Blocks);
            ControllerFrontEnd front1 = new(ss1, [a]);
            ControllerFrontEnd front2 = new(ss2, [b], new TargetOptions { RemoteCopyPeers = new HashSet<PortId> { new PortId(0x400200) } });
            await using FcpRemotePath link = new("SS1->SS2", new PortId(0x400200), [new PortId(Ss2Port)], _ => Task.FromResult(InProcessLink.Connect(front2, "SS1 remote-copy path").Initiator));
            ss1.Pairs.AddRemotePath(link);
            Assert.That(await link.ConnectAsync(), Is.True, link.LastError);

            // Each port ID belongs to one subsystem: SS1 reaches 0x421014 over its path, and only that port.
            Assert.That(ss1.Pairs.FindRemotePath(new PortId(Ss2Port)), Is.SameAs(link), "0x421014 is SS2's, reached over the link");
            Assert.That(ss1.Pairs.FindRemotePath(new PortId(Ss1Port)), Is.Null, "0x400104 is SS1's own");
            Assert.That(ss1.Pairs.FindRemotePath(new PortId(0x421015)), Is.Null, "0x421015 is no subsystem's");
            Assert.That((front1.FindVolume(At(Ss1Port, 2)), front2.FindVolume(At(Ss2Port, 2))), Is.EqualTo((lv12, lv22)), "LUN 0x0002 is a different volume on each port");
            Assert.That(front1.FindVolume(At(Ss2Port, 2)), Is.Null, "SS1 maps nothing at 0x421014");

            await using InitiatorPort host = new(InProcessLink.Connect(front1, "host").Initiator, 0x010200);
            await host.LoginAsync(Ss1Port, firstBurst: true);
            byte[] image = TargetRig.Pattern((int)Blocks * 512, 21);
            Assert.That((await host.ExecuteAsync(Ss1Port, 1, TargetRig.Write16(0, (int)Blocks), image)).IsGood, Is.True);

            // 0x400104/0x0001 -> 0x421014/0x0002: the initial copy lands in LDEV 0x22 of SS2 and nowhere else.
            WirePair remote = new(new WireVolumeId(new PortId(Ss1Port), 1), new WireVolumeId(new PortId(Ss2Port), 2));
            ScsiResult created = await TwoControllerRig.SendAsync(host, Ss1Port, CopyManagementRequest.ForPairCreate(remote, fence: 0, noCopy: false));
            Assert.That(created.IsGood, Is.True, created.ToString());
            Assert.That(ss1.Pairs.WaitForState(At(Ss1Port, 1), At(Ss2Port, 2), PairState.Pair, s_wait), Is.True, "the remote pair reaches PAIR");
            Assert.That(ss2.Pairs.WaitForState(At(Ss1Port, 1), At(Ss2Port, 2), PairState.Pair, s_wait), Is.True, "SS2 holds its S-VOL side");
            Assert.That(Read(lv22), Is.EqualTo(image), "0x421014/0x0002 is SS2's LDEV 0x22: it got the copy");
            Assert.That(IsBlank(lv21) && IsBlank(decoy1) && IsBlank(decoy2) && IsBlank(lv12), Is.True, "no other volume of either subsystem was written");
            Assert.That(link.BlocksSent, Is.EqualTo(Blocks), "the copy crossed the link");

            // A mirrored write: on SS2's volume behind 0x421014/0x0002 when acknowledged, and only there.
            byte[] data = TargetRig.Pattern(8 * 512, 22);
            Assert.That((await host.ExecuteAsync(Ss1Port, 1, TargetRig.Write16(64, 8), data)).IsGood, Is.True);
            Assert.That(Read(lv22).AsSpan(64 * 512, data.Length).ToArray(), Is.EqualTo(data), "the write reached 0x421014/0x0002 before its answer");
            Assert.That(IsBlank(lv21) && IsBlank(decoy1) && IsBlank(decoy2) && IsBlank(lv12), Is.True, "and no other volume");

            // 0x400104/0x0001 -> 0x400104/0x0002: the same LUN on SS1's own port is a local mirror to LDEV 0x12.
            long sent = link.BlocksSent;
            ScsiResult local = await TwoControllerRig.SendAsync(host, Ss1Port, CopyManagementRequest.ForPairCreate(TwoControllerRig.Local(Ss1Port, 1, 2), fence: 0, noCopy: false));
            Assert.That(local.IsGood, Is.True, local.ToString());
            Assert.That(ss1.Pairs.WaitForState(At(Ss1Port, 1), At(Ss1Port, 2), PairState.Pair, s_wait), Is.True, "the local pair reaches PAIR");
            Assert.That(ss1.Pairs.Find(At(Ss1Port, 1), At(Ss1Port, 2))!.Type, Is.EqualTo(MirrorType.Local), "a pair within SS1");
            Assert.That(Read(lv12), Is.EqualTo(Read(lv11)), "LDEV 0x12 behind 0x400104/0x0002 got the copy");
            Assert.That(link.BlocksSent, Is.EqualTo(sent), "nothing crossed the link for it");
            Assert.That(ss2.Pairs.GetPairs(), Has.Count.EqualTo(1), "SS2 knows only the remote pair");

            // A LUN the port does not map (SS1's port maps 0x0003), and a port no subsystem owns, are refused with their
            // reasons (for a P-VOL with no mirror yet).
            ScsiResult unmapped = await TwoControllerRig.SendAsync(host, Ss1Port, CopyManagementRequest.ForPairCreate(new WirePair(new WireVolumeId(new PortId(Ss1Port), 3), new WireVolumeId(new PortId(Ss2Port), 3)), fence: 0, noCopy: false));
            Assert.That(unmapped.Sense, Is.EqualTo(SenseData.PairRejected((byte)PairErrorCode.RemoteVolumeNotMapped)), "0x421014 maps no LUN 0x0003: " + unmapped);
            ScsiResult nowhere = await TwoControllerRig.SendAsync(host, Ss1Port, CopyManagementRequest.ForPairCreate(new WirePair(new WireVolumeId(new PortId(Ss1Port), 3), new WireVolumeId(new PortId(0x421015), 2)), fence: 0, noCopy: false));
            Assert.That(nowhere.Sense, Is.EqualTo(SenseData.PairRejected((byte)PairErrorCode.NoRemotePath)), "no path reaches 0x421015: " + nowhere);
        }
        finally
        {
            ss1.Dispose();
            ss2.Dispose();
        }
    }

    private static Ldev Map(StorageSubsystem subsystem, TargetPort port, ushort lun, ushort ldev)
    {
        Ldev volume = subsystem.CreateLdev(new LdevId(ldev), Blocks);
        port.MapLun(new Lun(lun), new LdevId(ldev));
        return volume;
    }

    private static VolumeAddress At(int port, ushort lun) => new(new PortId((uint)port), new Lun(lun));

    private static byte[] Read(Ldev volume)
    {
        byte[] all = new byte[Blocks * 512];
        Assert.That(volume.Media.Read(0, all), Is.EqualTo(MediaStatus.Good));
        return all;
    }

    private static bool IsBlank(Ldev volume) => !Read(volume).AsSpan().ContainsAnyExcept((byte)0);
}
