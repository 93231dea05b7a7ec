// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Text;
using Controller.Addressing;
using Controller.Wire.RemoteCopy;

namespace Controller.Wire.Tests;

/// <summary>RC AUTHENTICATE's proof (issue #19 item 2): right only with the key, the challenge, the nonce and both port IDs it was made for.</summary>
[TestFixture]
[Category("Security")]
public sealed class RemoteCopyAuthenticationTests
{
    private static readonly byte[] s_key = Encoding.UTF8.GetBytes("a pre-shared key of 32 bytes....");

    [Test]
    public void AProofMadeWithTheKeyVerifiesAndAnyChangedByteDoesNot()
    {
        Random random = new(19);
        for (int round = 0; round < 200; round++)
        {
            byte[] challenge = new byte[RemoteCopyAuthentication.ChallengeLength];
            byte[] response = new byte[RemoteCopyAuthentication.ResponseLength];
            random.NextBytes(challenge);
            random.NextBytes(response.AsSpan(0, RemoteCopyAuthentication.NonceLength));
            RemoteCopyAuthentication.ComputeProof(s_key, challenge, response.AsSpan(0, RemoteCopyAuthentication.NonceLength), new PortId(0x400200), new PortId(0x421014), response.AsSpan(RemoteCopyAuthentication.NonceLength));
            Assert.That(RemoteCopyAuthentication.Verify(s_key, challenge, response, new PortId(0x400200), new PortId(0x421014)), Is.True, "round " + round);

            byte[] tampered = (byte[])response.Clone();
            tampered[random.Next(tampered.Length)] ^= (byte)(1 << random.Next(8));
            byte[] otherChallenge = (byte[])challenge.Clone();
            otherChallenge[random.Next(otherChallenge.Length)] ^= 0x01;
            byte[] otherKey = (byte[])s_key.Clone();
            otherKey[random.Next(otherKey.Length)] ^= 0x80;
            Assert.Multiple(() =>
            {
                Assert.That(RemoteCopyAuthentication.Verify(s_key, challenge, tampered, new PortId(0x400200), new PortId(0x421014)), Is.False, "a changed nonce or proof");
                Assert.That(RemoteCopyAuthentication.Verify(s_key, otherChallenge, response, new PortId(0x400200), new PortId(0x421014)), Is.False, "another challenge (a replay)");
                Assert.That(RemoteCopyAuthentication.Verify(otherKey, challenge, response, new PortId(0x400200), new PortId(0x421014)), Is.False, "another key");
                Assert.That(RemoteCopyAuthentication.Verify(s_key, challenge, response, new PortId(0x400201), new PortId(0x421014)), Is.False, "another initiator");
                Assert.That(RemoteCopyAuthentication.Verify(s_key, challenge, response, new PortId(0x400200), new PortId(0x421015)), Is.False, "another target port");
            });
        }
    }

    [Test]
    public void TheCdbsCarryTheStepAndItsLength()
    {
        byte[] cdb = new byte[16];
        RemoteCopyAuthentication.WriteCdb(RemoteCopyAuthentication.ChallengeStep, cdb);
        Assert.That(Convert.ToHexString(cdb), Is.EqualTo("E4010000000000000020000000000000"), "opcode, step 1, length 32 in bytes 6-9");
        Assert.That(RemoteCopyAuthentication.TryReadCdb(cdb, out byte step, out _) && step == 1, Is.True);
        RemoteCopyAuthentication.WriteCdb(RemoteCopyAuthentication.ResponseStep, cdb);
        Assert.That(Convert.ToHexString(cdb), Is.EqualTo("E4020000000000000040000000000000"));
        cdb[9] = 0x41;
        Assert.That(RemoteCopyAuthentication.TryReadCdb(cdb, out _, out string? reason), Is.False);
        Assert.That(reason, Is.EqualTo("RC AUTHENTICATE: step 2 carries 64 bytes, not 65"));
    }
}
