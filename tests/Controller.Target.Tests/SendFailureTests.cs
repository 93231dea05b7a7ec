// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Wire;
using Controller.Wire.Transport;

namespace Controller.Target.Tests;

/// <summary>
/// An answer whose frames cannot be written (the send side fails while writing them): the connection closes, and the
/// exchange it was writing gives back its data buffer and its place among the outstanding commands like the rest.
/// </summary>
public sealed class SendFailureTests
{
    [Test]
    public async Task AReadWhoseDataFailsToBeWrittenStillReturnsItsBufferAndLeavesNothingOutstanding()
    {
        await using TargetRig rig = new();
        RawPeer peer = new(rig.FrontEnd, new FailingDataTap());
        await peer.LoginAsync();
        long before = rig.FrontEnd.DataBuffersOutstanding;
        await peer.SendCommandAsync(0x0030, 1, TargetRig.Read16(0, 8), 4096, read: true);
        string? reason = await peer.Served.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Multiple(() =>
        {
            Assert.That(reason, Does.Contain("sending failed"), "the connection closed because its send side failed");
            Assert.That(peer.Connection.Outstanding, Is.Zero, "the READ left the outstanding commands (a stop would otherwise wait for it for ever)");
            Assert.That(rig.FrontEnd.DataBuffersOutstanding, Is.EqualTo(before), "the READ's data buffer went back to the pool");
            Assert.That(peer.Connection.QueuedAnswerBytes, Is.Zero, "its answer bytes left the send-queue budget");
        });
    }

    // Fails the first FCP_DATA frame the target sends (a read's data), as a broken send side would.
    private sealed class FailingDataTap : IFrameTap
    {
        public void OnFrame(ReadOnlySpan<byte> fcFrame)
        {
            if (fcFrame[0] == FcRoutingControl.Data)
            {
                throw new IOException("the frame could not be written");
            }
        }
    }
}
