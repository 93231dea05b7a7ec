// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Buffers;
using System.IO.Pipelines;
using Controller.Wire;
using Controller.Wire.Els;

namespace Controller.Target.Tests;

/// <summary>The FCIP Special Frame (RFC 3821 section 7) as the first bytes of a connection: echoed, then FC frames flow.</summary>
[TestFixture]
[Category("Standards")]
public sealed class SpecialFrameTests
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

    [TestCase(0UL, true)]
    [TestCase(0x2000000000000001UL, true)]
    [TestCase(0x300043544C000000UL, false)]
    public async Task TheSpecialFrameIsEchoedAndTheConnectionThenCarriesFrames(ulong destinationName, bool changed)
    {
        (IDuplexPipe pipe, Task<string?> served) = InProcessLink.Connect(_rig.FrontEnd, "fsf peer");
        byte[] specialFrame = new byte[FcipSpecialFrame.Length];
        FcipSpecialFrame.Write(specialFrame, 0x1000000000000001, 0x0102030405060708, 0x1122334455667788, destinationName, 10_000);
        byte[] plogi = new byte[ElsPayload.PortLoginLength];
        ElsPayload.WritePortLogin(plogi, ElsCommand.PortLogin, 1, 2);
        await pipe.Output.WriteAsync(specialFrame);
        await pipe.Output.WriteAsync(RawPeer.Encode(RawPeer.Header(FcRoutingControl.ElsRequest, FcFrameHeader.TypeEls, 0xF001), plogi));
        byte[] echo = await ReadExactlyAsync(pipe.Input, FcipSpecialFrame.Length);
        byte[] reply = await ReadExactlyAsync(pipe.Input, FcipEncapsulation.EncodedLength(FcFrameHeader.Length + ElsPayload.PortLoginLength));
        FcipEncapsulation.TryRead(reply, out FcipFrame frame, out _, out string? reason);
        byte command = frame.FcFrame.Length > FcFrameHeader.Length ? frame.FcFrame[FcFrameHeader.Length] : (byte)0;
        byte[] expected = (byte[])specialFrame.Clone();
        if (changed)
        {
            expected[8] = 0x81;
            expected[10] = 0x7E;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(expected.AsSpan(56), 0x300043544C000000);
        }

        Assert.Multiple(() =>
        {
            Assert.That(echo, Is.EqualTo(expected), changed ? "echoed with this controller's WWN as the destination and Ch set" : "echoed unchanged, Ch clear");
            Assert.That(reason, Is.Null, "the PLOGI's answer follows as an FCIP frame");
            Assert.That(command, Is.EqualTo(ElsCommand.LinkServiceAccept), "LS_ACC: the connection serves");
            Assert.That(served.IsCompleted, Is.False, "the connection stays open");
        });
        await pipe.Output.CompleteAsync();
        Assert.That(await served, Is.Null, "closed cleanly by the initiator");
    }

    [Test]
    public async Task ASpecialFrameAfterTheFirstFrameClosesTheConnection()
    {
        (IDuplexPipe pipe, Task<string?> served) = InProcessLink.Connect(_rig.FrontEnd, "late fsf peer");
        byte[] plogi = new byte[ElsPayload.PortLoginLength];
        ElsPayload.WritePortLogin(plogi, ElsCommand.PortLogin, 1, 2);
        byte[] specialFrame = new byte[FcipSpecialFrame.Length];
        FcipSpecialFrame.Write(specialFrame, 1, 2, 3, 0, 10_000);
        await pipe.Output.WriteAsync(RawPeer.Encode(RawPeer.Header(FcRoutingControl.ElsRequest, FcFrameHeader.TypeEls, 0xF001), plogi));
        await pipe.Output.WriteAsync(specialFrame);
        string? reason = await served.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(reason, Does.Contain("invalid FCIP frame after 1 good frames"), "only the first bytes may be a Special Frame");
    }

    private static async Task<byte[]> ReadExactlyAsync(PipeReader reader, int length)
    {
        while (true)
        {
            ReadResult result = await reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
            if (result.Buffer.Length >= length)
            {
                byte[] bytes = result.Buffer.Slice(0, length).ToArray();
                reader.AdvanceTo(result.Buffer.GetPosition(length));
                return bytes;
            }

            Assert.That(result.IsCompleted, Is.False, "the target closed the connection");
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }
}
