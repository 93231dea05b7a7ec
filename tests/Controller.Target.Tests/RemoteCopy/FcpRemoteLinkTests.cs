// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.PairVocabulary;
using Controller.Initiator;
using Controller.Testing;
using Controller.Wire;
using Controller.Wire.CopyManagement;
using Controller.Wire.RemoteCopy;

namespace Controller.Target.Tests.RemoteCopy;

/// <summary>
/// The remote-copy link as FCP exchanges between two port fronts: a host creates a remote pair at SS1 with PAIR
/// CREATE; the initial copy, every mirrored write and the pair control travel from SS1's initiator port 0x400200
/// to SS2's target port 0x421014, and tshark decodes them from the pcap.
/// </summary>
[Category("R0-1")]
[Category("R0-6")]
public sealed class FcpRemoteLinkTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Test]
    public async Task ARemotePairOverFcpMirrorsEveryWriteBeforeItIsAcknowledged()
    {
        string pcap = Path.Combine(Path.GetTempPath(), "remote-link-" + Guid.NewGuid().ToString("N") + ".pcap");
        try
        {
            await using (TwoControllerRig rig = new(pcap))
            {
                Assert.That(await rig.Link.ConnectAsync(), Is.True, rig.Link.LastError);
                InitiatorPort host = await rig.HostAsync(rig.FrontEnd1, TwoControllerRig.Ss1Port);
                byte[] first = TwoControllerRig.Pattern(64 * 1024, 1);
                Assert.That((await host.ExecuteAsync(TwoControllerRig.Ss1Port, 1, TwoControllerRig.Write16(0, 128), first)).IsGood, Is.True);

                ScsiResult created = await TwoControllerRig.SendAsync(host, TwoControllerRig.Ss1Port, CopyManagementRequest.ForPairCreate(TwoControllerRig.Pair(1, 2), fence: 1, noCopy: false));
                Assert.That(created.IsGood, Is.True, created.ToString());
                VolumeAddress p = new(new PortId(TwoControllerRig.Ss1Port), new Lun(1));
                VolumeAddress s = new(new PortId(TwoControllerRig.Ss2Port), new Lun(2));
                Assert.That(rig.Ss1.Pairs.WaitForState(p, s, PairState.Pair, Wait), Is.True, "the initial copy over the link ends in PAIR");
                Assert.That(rig.Ss2.Pairs.WaitForState(p, s, PairState.Pair, Wait), Is.True, "and the secondary agrees");
                Assert.That(rig.Ss2.Pairs.Find(p, s)!.Fence, Is.EqualTo(Firmware.RemoteCopy.FenceLevel.Data), "the fence level reached the secondary");

                // Each write is acknowledged only once SS2 has it: read it back from SS2's S-VOL right after the ack.
                InitiatorPort reader = await rig.HostAsync(rig.FrontEnd2, TwoControllerRig.Ss2Port, 0x010300);
                for (int i = 0; i < 20; i++)
                {
                    byte[] data = TwoControllerRig.Pattern(4096, 100 + i);
                    long lba = 8 * i * 13 % (TwoControllerRig.Blocks - 8);
                    Assert.That((await host.ExecuteAsync(TwoControllerRig.Ss1Port, 1, TwoControllerRig.Write16(lba, 8), data)).IsGood, Is.True);
                    byte[] seen = new byte[4096];
                    Assert.That((await reader.ExecuteAsync(TwoControllerRig.Ss2Port, 2, TwoControllerRig.Read16(lba, 8), dataIn: seen)).IsGood, Is.True);
                    Assert.That(seen, Is.EqualTo(data), "write " + i + " was on the S-VOL when it was acknowledged");
                }

                byte[] refused = new byte[4096];
                ScsiResult protectedWrite = await reader.ExecuteAsync(TwoControllerRig.Ss2Port, 2, TwoControllerRig.Write16(0, 8), refused);
                Assert.That(protectedWrite.Sense, Is.EqualTo(SenseData.WriteProtected), "a host may not write the S-VOL of a PAIR");

                // A host that is not the remote-copy peer cannot send update copies.
                byte[] cdb = new byte[16];
                new UpdateCopyCdb(0, 8, 1, false).TryWrite(cdb);
                ScsiResult spoofed = await reader.ExecuteAsync(TwoControllerRig.Ss2Port, 2, cdb, refused);
                Assert.That(spoofed.Sense, Is.EqualTo(new SenseData(SenseData.IllegalRequest, 0x20, 0x00)), "RC UPDATE COPY from a host");
                Assert.That(rig.Link.BlocksSent, Is.EqualTo(TwoControllerRig.Blocks + (20 * 8)), "the initial copy and the twenty writes crossed the link");
            }

            string[] frames = Tshark.Read(pcap, "-Y", "scsi", "-T", "fields", "-e", "fc.s_id", "-e", "fc.d_id", "-e", "_ws.col.Info");
            Assert.That(frames, Has.Some.EqualTo("40.02.00\t42.10.14\tSCSI Command: 0xe1 LUN:0x02"), "tshark decodes RC PAIR CONTROL from SS1's initiator to SS2's port");
            Assert.That(frames, Has.Some.EqualTo("40.02.00\t42.10.14\tSCSI Command: 0xe0 LUN:0x02"), "and the RC UPDATE COPY exchanges");
        }
        finally
        {
            File.Delete(pcap);
        }
    }

    [Test]
    public async Task LosingTheLinkSuspendsBothSidesAndAResyncAfterItReturnsSendsOnlyTheMarkedTracks()
    {
        string pcap = Path.Combine(Path.GetTempPath(), "remote-link-" + Guid.NewGuid().ToString("N") + ".pcap");
        try
        {
            await using TwoControllerRig rig = new(pcap);
            Assert.That(await rig.Link.ConnectAsync(), Is.True, rig.Link.LastError);
            InitiatorPort host = await rig.HostAsync(rig.FrontEnd1, TwoControllerRig.Ss1Port);
            Assert.That((await TwoControllerRig.SendAsync(host, TwoControllerRig.Ss1Port, CopyManagementRequest.ForPairCreate(TwoControllerRig.Pair(1, 2), fence: 0, noCopy: false))).IsGood, Is.True);
            VolumeAddress p = new(new PortId(TwoControllerRig.Ss1Port), new Lun(1));
            VolumeAddress s = new(new PortId(TwoControllerRig.Ss2Port), new Lun(2));
            Assert.That(rig.Ss1.Pairs.WaitForState(p, s, PairState.Pair, Wait), Is.True);

            await rig.Link.DisconnectAsync();
            Assert.That(rig.Ss1.Pairs.Find(p, s)!.State, Is.EqualTo(PairState.Psue), "the primary, at once");
            Assert.That(rig.Ss2.Pairs.WaitForState(p, s, PairState.Psue, Wait), Is.True, "the secondary, when its connection closes");

            byte[] data = TwoControllerRig.Pattern(4096, 7);
            Assert.That((await host.ExecuteAsync(TwoControllerRig.Ss1Port, 1, TwoControllerRig.Write16(3 * 128, 8), data)).IsGood, Is.True, "fence never: accepted and marked");
            ScsiResult tooEarly = await TwoControllerRig.SendAsync(host, TwoControllerRig.Ss1Port, CopyManagementRequest.ForPair(CopyManagementOpcode.PairResync, TwoControllerRig.Pair(1, 2)));
            Assert.That(tooEarly.Sense, Is.EqualTo(SenseData.PairRejected((byte)PairErrorCode.LinkDown)), "a resync needs the peer");

            long before = rig.Link.BlocksSent;
            Assert.That(await rig.Link.ConnectAsync(), Is.True, rig.Link.LastError);
            ScsiResult resync = await TwoControllerRig.SendAsync(host, TwoControllerRig.Ss1Port, CopyManagementRequest.ForPair(CopyManagementOpcode.PairResync, TwoControllerRig.Pair(1, 2)));
            Assert.That(resync.IsGood, Is.True, resync.ToString());
            Assert.That(rig.Ss1.Pairs.WaitForState(p, s, PairState.Pair, Wait), Is.True);
            Assert.That(rig.Ss2.Pairs.WaitForState(p, s, PairState.Pair, Wait), Is.True);
            Assert.That(rig.Link.BlocksSent - before, Is.EqualTo(128), "one track: the one written while the link was down");
            byte[] copied = new byte[4096];
            Assert.That(rig.Ss2.FindLdev(new(2))!.Media.Read(3 * 128, copied), Is.EqualTo(Firmware.Media.MediaStatus.Good));
            Assert.That(copied, Is.EqualTo(data));
        }
        finally
        {
            File.Delete(pcap);
        }
    }
}
