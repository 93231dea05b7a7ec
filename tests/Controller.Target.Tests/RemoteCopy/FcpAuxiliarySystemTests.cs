// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.Volumes;
using Controller.Initiator;
using Controller.Testing;
using Controller.Wire.CopyManagement;

namespace Controller.Target.Tests.RemoteCopy;

/// <summary>
/// Seed 000 FIG 5 with every step a SCSI command in FC frames and the remote-copy link as FCP exchanges: the
/// production mirror, the two local mirrors, a name spanning both controllers, one ATOMIC SPLIT BY NAME at SS1, and
/// the new mirror LV3 -> LV4 created without copying a block.
/// </summary>
[Category("R0-33")]
public sealed class FcpAuxiliarySystemTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [TestCase(SplitMechanism.Freeze)]
    [TestCase(SplitMechanism.SequenceCut)]
    public async Task TheAuxiliarySystemIsBuiltOverTheLinkWithoutCopyingABlock(SplitMechanism mechanism)
    {
        string pcap = Path.Combine(Path.GetTempPath(), "aux-system-" + Guid.NewGuid().ToString("N") + ".pcap");
        try
        {
            await using (TwoControllerRig rig = new(pcap))
            {
                Assert.That(await rig.Link.ConnectAsync(), Is.True, rig.Link.LastError);
                InitiatorPort production = await rig.HostAsync(rig.FrontEnd1, TwoControllerRig.Ss1Port);
                InitiatorPort standby = await rig.HostAsync(rig.FrontEnd2, TwoControllerRig.Ss2Port, 0x010300);
                Assert.That((await production.ExecuteAsync(TwoControllerRig.Ss1Port, 1, TwoControllerRig.Write16(0, 64), TwoControllerRig.Pattern(64 * 512, 1))).IsGood, Is.True);

                // Daily operation, then the preparation of FIG 3.
                await Good(production, TwoControllerRig.Ss1Port, CopyManagementRequest.ForPairCreate(TwoControllerRig.Pair(1, 2), fence: 0, noCopy: false));
                await WaitForPair(rig.Ss1, TwoControllerRig.Ss1Port, 1, TwoControllerRig.Ss2Port, 2);
                await Good(production, TwoControllerRig.Ss1Port, CopyManagementRequest.ForPair(CopyManagementOpcode.PairCreate, TwoControllerRig.Local(TwoControllerRig.Ss1Port, 1, 3)));
                await Good(standby, TwoControllerRig.Ss2Port, CopyManagementRequest.ForPair(CopyManagementOpcode.PairCreate, TwoControllerRig.Local(TwoControllerRig.Ss2Port, 2, 4)));
                await WaitForPair(rig.Ss1, TwoControllerRig.Ss1Port, 1, TwoControllerRig.Ss1Port, 3);
                await WaitForPair(rig.Ss2, TwoControllerRig.Ss2Port, 2, TwoControllerRig.Ss2Port, 4);
                WirePair[] set = [TwoControllerRig.Local(TwoControllerRig.Ss1Port, 1, 3), TwoControllerRig.Local(TwoControllerRig.Ss2Port, 2, 4)];
                await Good(production, TwoControllerRig.Ss1Port, CopyManagementRequest.ForNameMirrors("AUXSET1", set));
                Assert.That(rig.Ss2.Pairs.GetMirrorNames()["AUXSET1"], Has.Count.EqualTo(2), "the name resolves on SS2 too");

                // One split by name at SS1 splits both controllers' members.
                Assert.That((await production.ExecuteAsync(TwoControllerRig.Ss1Port, 1, TwoControllerRig.Write16(100, 8), TwoControllerRig.Pattern(4096, 2))).IsGood, Is.True);
                await Good(production, TwoControllerRig.Ss1Port, CopyManagementRequest.ForAtomicSplitByName("AUXSET1", mechanism, readWrite: true));
                Ldev lv3 = rig.Ss1.FindLdev(new LdevId(3))!;
                Ldev lv4 = rig.Ss2.FindLdev(new LdevId(4))!;
                Assert.That(rig.Ss2.Pairs.Find(Address(TwoControllerRig.Ss2Port, 2), Address(TwoControllerRig.Ss2Port, 4))!.State, Is.EqualTo(PairState.Psus));
                Assert.That(Checksum(lv4), Is.EqualTo(Checksum(lv3)), "G3: LV3 and LV4 are identical");

                // FIG 12 over the link: nothing copied.
                long before = rig.Link.BlocksSent;
                await Good(production, TwoControllerRig.Ss1Port, CopyManagementRequest.ForPairCreate(new WirePair(new WireVolumeId(new PortId(TwoControllerRig.Ss1Port), 3), new WireVolumeId(new PortId(TwoControllerRig.Ss2Port), 4)), fence: 0, noCopy: true));
                await WaitForPair(rig.Ss1, TwoControllerRig.Ss1Port, 3, TwoControllerRig.Ss2Port, 4);
                Assert.That(rig.Ss1.Pairs.Find(Address(TwoControllerRig.Ss1Port, 3), Address(TwoControllerRig.Ss2Port, 4))!.CopyTotalTracks, Is.Zero);
                Assert.That(rig.Link.BlocksSent - before, Is.Zero, "no block crossed the link to build the auxiliary system's mirror");

                // The auxiliary host writes LV3; the write is on LV4 when it is answered.
                byte[] auxData = TwoControllerRig.Pattern(4096, 3);
                Assert.That((await production.ExecuteAsync(TwoControllerRig.Ss1Port, 3, TwoControllerRig.Write16(200, 8), auxData)).IsGood, Is.True);
                byte[] seen = new byte[4096];
                Assert.That(lv4.Media.Read(200, seen), Is.EqualTo(Firmware.Media.MediaStatus.Good));
                Assert.That(seen, Is.EqualTo(auxData));
            }

            string[] info = Tshark.Read(pcap, "-Y", "scsi", "-T", "fields", "-e", "_ws.col.Info");
            Assert.That(info, Has.Some.Contains("0xe1"), "the split and the names travelled as RC PAIR CONTROL");
            Assert.That(info, Has.Some.Contains("0xe3"), "and the no-copy create fetched the S-VOL's changes");
        }
        finally
        {
            File.Delete(pcap);
        }
    }

    private static VolumeAddress Address(int port, ushort lun)
    {
        return new VolumeAddress(new PortId((uint)port), new Lun(lun));
    }

    private static async Task Good(InitiatorPort host, int port, CopyManagementRequest request)
    {
        ScsiResult result = await TwoControllerRig.SendAsync(host, port, request);
        Assert.That(result.IsGood, Is.True, request + ": " + result);
    }

    private static async Task WaitForPair(Firmware.StorageSubsystem subsystem, int pPort, ushort pLun, int sPort, ushort sLun)
    {
        bool reached = await Task.Run(() => subsystem.Pairs.WaitForState(Address(pPort, pLun), Address(sPort, sLun), PairState.Pair, Wait));
        Assert.That(reached, Is.True, "PAIR reached");
    }

    private static string Checksum(Ldev volume)
    {
        byte[] all = new byte[volume.BlockCount * 512];
        volume.Media.Read(0, all);
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(all));
    }
}
