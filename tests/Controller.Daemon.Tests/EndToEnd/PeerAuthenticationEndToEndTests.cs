// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Net;
using Controller.Initiator;
using Controller.Wire;
using Controller.Wire.RemoteCopy;

namespace Controller.Daemon.Tests.EndToEnd;

/// <summary>
/// Issue #19 item 2 on a real controllerd (SS2 of docs/controllerd-ss2.conf, whose peer 0x400200 has a key): a client
/// that claims the peer's port ID gets its remote-copy commands refused and logged; a wrong answer to the challenge
/// is AUTHENTICATION FAILED. (The two sample daemons that do hold the key link up in TwoControllerdTests.)
/// </summary>
[NonParallelizable]
[Category("Security")]
public sealed class PeerAuthenticationEndToEndTests
{
    private const int Ss2Port = 0x421014;
    private const int PeerInitiator = 0x400200;

    [Test]
    public async Task AClientClaimingThePeersPortIdIsRefusedAndLogged()
    {
        using DaemonProcess ss2 = DaemonProcess.Start("--config", RepositoryRoot.PathOf("docs/controllerd-ss2.conf"), "--listen", "127.0.0.1:0");
        IPEndPoint endPoint = await ss2.WaitUntilListeningAsync();
        await using InitiatorPort impostor = await InitiatorPort.ConnectAsync(endPoint, PeerInitiator);
        await impostor.LoginAsync(Ss2Port);

        // RC RESYNC of the pair 0x400104,0x0001 -> 0x421014,0x0002: what a primary sends to pull a bitmap.
        byte[] resync = new byte[16];
        resync[0] = RemoteCopyOpcode.Resync;
        resync[1] = 0x40;
        resync[2] = 0x01;
        resync[3] = 0x04;
        resync[5] = 0x01;
        resync[9] = 0x40;
        ScsiResult refused = await impostor.ExecuteAsync(Ss2Port, 2, resync, dataIn: new byte[64]);

        byte[] challengeCdb = new byte[16];
        RemoteCopyAuthentication.WriteCdb(RemoteCopyAuthentication.ChallengeStep, challengeCdb);
        ScsiResult challenge = await impostor.ExecuteAsync(Ss2Port, 0, challengeCdb, dataIn: new byte[RemoteCopyAuthentication.ChallengeLength]);
        byte[] answerCdb = new byte[16];
        RemoteCopyAuthentication.WriteCdb(RemoteCopyAuthentication.ResponseStep, answerCdb);
        ScsiResult guessed = await impostor.ExecuteAsync(Ss2Port, 0, answerCdb, new byte[RemoteCopyAuthentication.ResponseLength]);
        ScsiResult stillRefused = await impostor.ExecuteAsync(Ss2Port, 2, resync, dataIn: new byte[64]);

        Assert.Multiple(() =>
        {
            Assert.That(refused.Sense, Is.EqualTo(new SenseData(SenseData.DataProtect, 0x74, 0x71)), "RC RESYNC before authenticating: " + refused);
            Assert.That(challenge.IsGood && challenge.DataInLength == RemoteCopyAuthentication.ChallengeLength, Is.True, "a configured peer ID gets a challenge: " + challenge);
            Assert.That(guessed.Sense, Is.EqualTo(new SenseData(SenseData.DataProtect, 0x74, 0x40)), "a guessed answer: AUTHENTICATION FAILED: " + guessed);
            Assert.That(stillRefused.Sense, Is.EqualTo(new SenseData(SenseData.DataProtect, 0x74, 0x71)), "and still refused after it: " + stillRefused);
            Assert.That(ss2.Output, Has.Some.Contains("RC RESYNC from 0x400200 refused: it has not authenticated"), "the refusal is logged with its reason");
            Assert.That(ss2.Output, Has.Some.Contains("remote-copy peer 0x400200 failed authentication: the proof does not match"), "so is the failed answer");
        });
    }
}
