// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Net;
using System.Text;
using Controller.Addressing;
using Controller.Firmware.PairVocabulary;
using Controller.Initiator;
using Controller.Wire;
using Controller.Wire.CopyManagement;
using Controller.Wire.RemoteCopy;

namespace Controller.Target.Tests.RemoteCopy;

/// <summary>
/// Issue #19 item 2: the remote-copy peer is authenticated. SS2 lists 0x400200 as its peer with a key; SS1's link
/// (our own initiator library) plays the primary with the right key, a wrong one, or none: the client measured from
/// outside claimed the peer's port ID and created a remote pair onto SS2's LUN 2.
/// </summary>
[TestFixture]
[Category("Security")]
public sealed class PeerAuthenticationTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private static readonly byte[] s_key = Encoding.UTF8.GetBytes("the sample key of this link, 32 b");
    private static readonly VolumeAddress s_p = new(new PortId(TwoControllerRig.Ss1Port), new Lun(1));
    private static readonly VolumeAddress s_s = new(new PortId(TwoControllerRig.Ss2Port), new Lun(2));
    private string _pcap = string.Empty;

    [SetUp]
    public void SetUp()
    {
        _pcap = Path.Combine(Path.GetTempPath(), "peer-auth-" + Guid.NewGuid().ToString("N") + ".pcap");
    }

    [TearDown]
    public void TearDown()
    {
        File.Delete(_pcap);
    }

    [Test]
    public async Task AClientClaimingThePeersPortIdWithoutTheKeyCannotCreateARemotePair()
    {
        await using TwoControllerRig rig = new(_pcap, peerKey: s_key, linkKey: null);
        Assert.That(await rig.Link.ConnectAsync(), Is.True, "the unauthenticated link logs in (PLOGI is not refused): " + rig.Link.LastError);
        ScsiResult created = await CreateAsync(rig);
        Assert.Multiple(() =>
        {
            Assert.That(created.IsGood, Is.False, "PAIR CREATE over an unauthenticated link: " + created);
            Assert.That(rig.Ss2.Pairs.GetPairs(), Is.Empty, "no pair at SS2, nothing copied onto LUN 2");
            Assert.That(rig.Ss2Log, Has.Some.Contains("07/74/71").And.Contains("from 0x400200 refused: it has not authenticated"), "refused with the reason, logged");
        });
    }

    [Test]
    public async Task TheRightKeyBringsTheLinkUpAndARemotePairReachesPair()
    {
        await using TwoControllerRig rig = new(_pcap, peerKey: s_key, linkKey: s_key);
        Assert.That(await rig.Link.ConnectAsync(), Is.True, rig.Link.LastError);
        ScsiResult created = await CreateAsync(rig);
        Assert.Multiple(() =>
        {
            Assert.That(created.IsGood, Is.True, created.ToString());
            Assert.That(rig.Ss2.Pairs.WaitForState(s_p, s_s, PairState.Pair, Wait), Is.True, "the secondary reaches PAIR");
            Assert.That(rig.Ss2Log, Has.Some.Contains("remote-copy peer 0x400200 authenticated"));
        });
    }

    [Test]
    public async Task AWrongKeyKeepsTheLinkDownAndTheRefusalIsLogged()
    {
        await using TwoControllerRig rig = new(_pcap, peerKey: s_key, linkKey: Encoding.UTF8.GetBytes("not the key of this link, 32 byte"));
        bool up = await rig.Link.ConnectAsync();
        Assert.Multiple(() =>
        {
            Assert.That(up, Is.False, "the path does not come up");
            Assert.That(rig.Link.LastError, Does.Contain("refused this path's RC AUTHENTICATE answer").And.Contain("07/74/40"));
            Assert.That(rig.Ss2Log, Has.Some.Contains("failed authentication: the proof does not match the key"));
        });
    }

    [Test]
    public async Task APeerFromAnotherSourceAddressIsRefusedEvenWithTheKey()
    {
        await using TwoControllerRig rig = new(_pcap, peerKey: s_key, linkKey: s_key, peerAddress: IPAddress.Parse("192.0.2.7"));
        Assert.That(await rig.Link.ConnectAsync(), Is.True, rig.Link.LastError);
        ScsiResult created = await CreateAsync(rig);
        Assert.Multiple(() =>
        {
            Assert.That(created.IsGood, Is.False, created.ToString());
            Assert.That(rig.Ss2.Pairs.GetPairs(), Is.Empty);
            Assert.That(rig.Ss2Log, Has.Some.Contains("not from 192.0.2.7 as configured"));
        });
    }

    [Test]
    public async Task AnAnswerWithoutAChallengeIsAuthenticationFailed()
    {
        await using TwoControllerRig rig = new(_pcap, peerKey: s_key);
        await using InitiatorPort impostor = new(InProcessLink.Connect(rig.FrontEnd2, "impostor").Initiator, TwoControllerRig.LinkInitiator);
        await impostor.LoginAsync(TwoControllerRig.Ss2Port);
        byte[] cdb = new byte[16];
        RemoteCopyAuthentication.WriteCdb(RemoteCopyAuthentication.ResponseStep, cdb);
        ScsiResult answer = await impostor.ExecuteAsync(TwoControllerRig.Ss2Port, 0, cdb, new byte[RemoteCopyAuthentication.ResponseLength]);
        Assert.That(answer.Sense, Is.EqualTo(new SenseData(SenseData.DataProtect, 0x74, 0x40)), answer.ToString());
    }

    [Test]
    public async Task AnUnauthenticatedImpostorLeavingDoesNotSuspendThePeersPairs()
    {
        // Closing a connection of an admitted peer suspends its pairs (the link is gone); an impostor's must not.
        await using TwoControllerRig rig = new(_pcap, peerKey: s_key, linkKey: s_key);
        Assert.That(await rig.Link.ConnectAsync(), Is.True, rig.Link.LastError);
        Assert.That((await CreateAsync(rig)).IsGood, Is.True);
        Assert.That(rig.Ss2.Pairs.WaitForState(s_p, s_s, PairState.Pair, Wait), Is.True);
        InitiatorPort impostor = new(InProcessLink.Connect(rig.FrontEnd2, "impostor").Initiator, TwoControllerRig.LinkInitiator);
        await impostor.LoginAsync(TwoControllerRig.Ss2Port);
        await impostor.DisposeAsync();
        await Task.Delay(200);
        Assert.That(rig.Ss2.Pairs.Find(s_p, s_s)?.State, Is.EqualTo(PairState.Pair), "the real link's pair is still PAIR");
    }

    private static async Task<ScsiResult> CreateAsync(TwoControllerRig rig)
    {
        InitiatorPort host = await rig.HostAsync(rig.FrontEnd1, TwoControllerRig.Ss1Port);
        return await TwoControllerRig.SendAsync(host, TwoControllerRig.Ss1Port, CopyManagementRequest.ForPairCreate(TwoControllerRig.Pair(1, 2), fence: 0, noCopy: false));
    }
}
