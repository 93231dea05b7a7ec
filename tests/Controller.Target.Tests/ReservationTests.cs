// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers.Binary;
using Controller.Initiator;
using Controller.Wire;

namespace Controller.Target.Tests;

[TestFixture]
public sealed class ReservationTests
{
    private TargetRig _rig = null!;

    [SetUp]
    public void SetUp()
    {
        _rig = new TargetRig();
    }

    [TearDown]
    public async Task TearDown()
    {
        await _rig.DisposeAsync();
    }

    [Test]
    public async Task ReserveSixKeepsOtherInitiatorsOutUntilRelease()
    {
        InitiatorPort a = await _rig.ConnectAsync(TargetRig.Host);
        InitiatorPort b = await _rig.ConnectAsync(TargetRig.OtherHost);
        ScsiResult reserve = await a.ExecuteAsync(TargetRig.PortA, 1, [0x16, 0, 0, 0, 0, 0]);
        ScsiResult blocked = await b.ExecuteAsync(TargetRig.PortA, 1, TargetRig.Write16(0, 8), new byte[4096]);
        ScsiResult inquiry = await b.ExecuteAsync(TargetRig.PortA, 1, [0x12, 0, 0, 0, 36, 0], dataIn: new byte[36]);
        ScsiResult holder = await a.ExecuteAsync(TargetRig.PortA, 1, TargetRig.Write16(0, 8), new byte[4096]);
        ScsiResult release = await a.ExecuteAsync(TargetRig.PortA, 1, [0x17, 0, 0, 0, 0, 0]);
        ScsiResult after = await b.ExecuteAsync(TargetRig.PortA, 1, TargetRig.Write16(0, 8), new byte[4096]);
        Assert.Multiple(() =>
        {
            Assert.That(reserve.IsGood, Is.True, "RESERVE(6) by A: " + reserve);
            Assert.That(blocked.Status, Is.EqualTo(FcpResponse.ReservationConflict), "B's write conflicts: " + blocked);
            Assert.That(inquiry.IsGood, Is.True, "INQUIRY passes a RESERVE(6): " + inquiry);
            Assert.That(holder.IsGood, Is.True, "the holder writes: " + holder);
            Assert.That(release.IsGood, Is.True, "RELEASE(6): " + release);
            Assert.That(after.IsGood, Is.True, "B writes after the release: " + after);
        });
    }

    [Test]
    public async Task PersistentWriteExclusiveBlocksOtherWritesButNotReads()
    {
        InitiatorPort a = await _rig.ConnectAsync(TargetRig.Host);
        InitiatorPort b = await _rig.ConnectAsync(TargetRig.OtherHost);
        await a.ExecuteAsync(TargetRig.PortA, 2, ProutCdb(0, 0), ProutParameters(0, 0xAAAA));
        await b.ExecuteAsync(TargetRig.PortA, 2, ProutCdb(0, 0), ProutParameters(0, 0xBBBB));
        ScsiResult reserve = await a.ExecuteAsync(TargetRig.PortA, 2, ProutCdb(1, 1), ProutParameters(0xAAAA, 0));
        ScsiResult write = await b.ExecuteAsync(TargetRig.PortA, 2, TargetRig.Write16(0, 8), new byte[4096]);
        ScsiResult read = await b.ExecuteAsync(TargetRig.PortA, 2, TargetRig.Read16(0, 8), dataIn: new byte[4096]);
        byte[] keys = new byte[64];
        await b.ExecuteAsync(TargetRig.PortA, 2, [0x5E, 0, 0, 0, 0, 0, 0, 0, 64, 0], dataIn: keys);
        byte[] reservation = new byte[64];
        await b.ExecuteAsync(TargetRig.PortA, 2, [0x5E, 1, 0, 0, 0, 0, 0, 0, 64, 0], dataIn: reservation);
        ScsiResult wrongKey = await b.ExecuteAsync(TargetRig.PortA, 2, ProutCdb(1, 1), ProutParameters(0x1111, 0));
        Assert.Multiple(() =>
        {
            Assert.That(reserve.IsGood, Is.True, "A reserves Write Exclusive with its key: " + reserve);
            Assert.That(write.Status, Is.EqualTo(FcpResponse.ReservationConflict), "B may not write: " + write);
            Assert.That(read.IsGood, Is.True, "B may read: " + read);
            Assert.That(BinaryPrimitives.ReadUInt32BigEndian(keys.AsSpan(4)), Is.EqualTo(16), "READ KEYS lists two keys");
            Assert.That(BinaryPrimitives.ReadUInt64BigEndian(reservation.AsSpan(8)), Is.EqualTo(0xAAAAUL), "READ RESERVATION names A's key");
            Assert.That(reservation[21], Is.EqualTo(1), "type 1, Write Exclusive");
            Assert.That(wrongKey.Status, Is.EqualTo(FcpResponse.ReservationConflict), "a wrong reservation key conflicts");
        });
    }

    private static byte[] ProutCdb(byte serviceAction, byte type)
    {
        return [0x5F, serviceAction, type, 0, 0, 0, 0, 0, 24, 0];
    }

    private static byte[] ProutParameters(ulong key, ulong serviceActionKey)
    {
        byte[] parameters = new byte[24];
        BinaryPrimitives.WriteUInt64BigEndian(parameters, key);
        BinaryPrimitives.WriteUInt64BigEndian(parameters.AsSpan(8), serviceActionKey);
        return parameters;
    }
}
