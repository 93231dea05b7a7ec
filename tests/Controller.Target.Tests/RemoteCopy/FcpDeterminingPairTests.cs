// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware;
using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Initiator;
using Controller.Testing;
using Controller.Wire;
using Controller.Wire.CopyManagement;

namespace Controller.Target.Tests.RemoteCopy;

/// <summary>
/// Determining pairs over FCP (seed 002): two hosts, each logged in to its own controller only, race a PAIR
/// RESYNCHRONIZATION (H1 to DV1 at SS1) against a PAIR SWAP RESYNCHRONIZATION (H2 to DV2 at SS2). SS2 passes its
/// command to the owner over its own link (initiator 0x421200 to SS1's port), so exactly one GOOD comes back each
/// round; the winner re-arms by splitting the pair, from whichever side it now holds the P-VOL.
/// </summary>
[Category("R2-9")]
[Category("R2-17")]
public sealed class FcpDeterminingPairTests
{
    private const ushort Dv = 3;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Test]
    public async Task EachRoundOfTheRaceHasExactlyOneWinnerAndTheWinnerReArms()
    {
        string pcap = Path.Combine(Path.GetTempPath(), "determining-" + Guid.NewGuid().ToString("N") + ".pcap");
        try
        {
            int[] wins = new int[2];
            await using (TwoControllerRig rig = new(pcap, bothWays: true))
            {
                Assert.That(await rig.Link.ConnectAsync(), Is.True, rig.Link.LastError);
                Assert.That(await rig.ReverseLink!.ConnectAsync(), Is.True, rig.ReverseLink.LastError);
                InitiatorPort h1 = await rig.HostAsync(rig.FrontEnd1, TwoControllerRig.Ss1Port);
                InitiatorPort h2 = await rig.HostAsync(rig.FrontEnd2, TwoControllerRig.Ss2Port, 0x010300);
                Site[] sites = [new(h1, rig.Ss1, TwoControllerRig.Ss1Port), new(h2, rig.Ss2, TwoControllerRig.Ss2Port)];

                ScsiResult created = await TwoControllerRig.SendAsync(h1, TwoControllerRig.Ss1Port, CopyManagementRequest.ForPairCreate(TwoControllerRig.Pair(Dv, Dv), fence: 0, noCopy: false, determining: true));
                Assert.That(created.IsGood, Is.True, created.ToString());
                await WaitForAsync(sites, PairState.Pair);
                Assert.That(sites[1].Pair()!.Determining, Is.True, "the DETERMINING modifier reached the secondary");
                Assert.That((await sites[0].SendAsync(CopyManagementOpcode.PairSplit)).IsGood, Is.True);
                await WaitForAsync(sites, PairState.Psus);

                for (int round = 0; round < 20; round++)
                {
                    // Together, H1 first, or H2 first: each host sends RESERVE's pair command for its volume's attribute.
                    int first = round % 3 == 2 ? 1 : 0;
                    Task<ScsiResult>[] sent = new Task<ScsiResult>[2];
                    sent[first] = sites[first].ReserveAsync();
                    if (round % 3 != 0)
                    {
                        await Task.Delay(5);
                    }

                    sent[1 - first] = sites[1 - first].ReserveAsync();
                    ScsiResult[] answers = await Task.WhenAll(sent);
                    Assert.That(answers.Count(a => a.IsGood), Is.EqualTo(1), "round " + round + ": " + answers[0] + " / " + answers[1]);
                    int winner = answers[0].IsGood ? 0 : 1;
                    SenseData? lost = answers[1 - winner].Sense;
                    Assert.That(lost?.Code, Is.EqualTo(0x80), "the loser gets a pair rejection: " + answers[1 - winner]);
                    wins[winner]++;

                    await WaitForAsync(sites, PairState.Pair);
                    Assert.That(sites[winner].Holds(PairRole.PVol), Is.True, "round " + round + ": the winner holds the P-VOL");
                    Assert.That(sites[1 - winner].Holds(PairRole.SVol), Is.True, "and the loser the S-VOL");

                    // Re-arm (R2-17): the winner splits the pair back to suspend normal.
                    Assert.That((await sites[winner].SendAsync(CopyManagementOpcode.PairSplit)).IsGood, Is.True);
                    await WaitForAsync(sites, PairState.Psus);
                }
            }

            TestContext.Out.WriteLine("SS1's host won " + wins[0] + " rounds, SS2's host " + wins[1]);
            Assert.That(wins[0], Is.GreaterThan(0), "H1 wins when it sends first");
            Assert.That(wins[1], Is.GreaterThan(0), "H2 wins when it sends first");
            string[] frames = Tshark.Read(pcap, "-Y", "scsi", "-T", "fields", "-e", "fc.s_id", "-e", "fc.d_id", "-e", "_ws.col.Info");
            Assert.That(frames, Has.Some.StartsWith("42.12.00\t40.01.04\tSCSI Command: 0xe1"), "tshark decodes SS2's RC PAIR CONTROL to the owner");
        }
        finally
        {
            File.Delete(pcap);
        }
    }

    private static async Task WaitForAsync(Site[] sites, PairState state)
    {
        DateTime until = DateTime.UtcNow + Wait;
        while (!sites.All(s => s.Pair()?.State == state) || sites[0].Pair()!.LocalRole == sites[1].Pair()!.LocalRole)
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(until), "both sides reach " + state + " with complementary roles");
            await Task.Delay(2);
        }
    }

    // A host and its own storage: commands go to the determining volume's pair as that storage knows it.
    private sealed record Site(InitiatorPort Host, StorageSubsystem Storage, int Port)
    {
        public MirrorPair? Pair()
        {
            IReadOnlyList<MirrorPair> pairs = Storage.Pairs.FindByVolume(new VolumeAddress(new PortId((uint)Port), new Lun(Dv)));
            return pairs.Count == 0 ? null : pairs[0];
        }

        public bool Holds(PairRole role) => Pair()?.LocalRole == role;

        // FIG 5: resync from the P-VOL side, swap resync from the S-VOL side.
        public Task<ScsiResult> ReserveAsync() => SendAsync(Holds(PairRole.PVol) ? CopyManagementOpcode.PairResync : CopyManagementOpcode.PairSwapResync);

        public Task<ScsiResult> SendAsync(CopyManagementOpcode opcode)
        {
            MirrorPair pair = Pair()!;
            WirePair wire = new(new WireVolumeId(pair.PVolAddress.PortId, pair.PVolAddress.Lun.Value), new WireVolumeId(pair.SVolAddress.PortId, pair.SVolAddress.Lun.Value));
            return TwoControllerRig.SendAsync(Host, Port, CopyManagementRequest.ForPair(opcode, wire));
        }
    }
}
