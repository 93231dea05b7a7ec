// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Target.Tests.Bounds;

/// <summary>
/// The send-queue budget (docs/controllerd.md, "Bounded resources"): a connection whose peer does not read its answers
/// stops being read at its limit, all connections together stop at the total, and reading resumes as answers are taken.
/// </summary>
[Category("R0-19")]
public sealed class SendQueueBudgetTests
{
    private const int Kib = 1024;

    [Test]
    public async Task APeerThatDoesNotReadIsNotReadBeyondItsSendQueueLimitAndIsReadAgainWhenItDrains()
    {
        // 1 MiB per connection, reads of 256 KiB: four fit, the fifth is left unread.
        await using TargetRig rig = new(new TargetOptions { Limits = new ConnectionLimits { SendQueueLimit = 1024 * Kib } });
        SilentPeer peer = new(rig.FrontEnd);
        await peer.LoginAsync();
        await peer.SendReadsAsync(20, 256 * Kib);
        SilentPeer.WaitUntil(() => peer.Connection.SendQueue.IsHolding, "the reader held back");

        Assert.Multiple(() =>
        {
            Assert.That(peer.Connection.FramesReceived, Is.EqualTo(2 + 4), "PLOGI, PRLI and the four READs that fit in 1 MiB were taken; the other 16 stay unread");
            Assert.That(peer.Connection.QueuedAnswerBytes, Is.EqualTo(1024 * Kib), "the queued answers fill the limit exactly");
            Assert.That(peer.Connection.SendQueue.Peak, Is.LessThanOrEqualTo(1024 * Kib), "never more than the limit queued");
        });

        await peer.DrainAsync(20);
        Assert.Multiple(() =>
        {
            Assert.That(peer.Responses, Is.EqualTo(20), "every READ was answered once the peer read its answers");
            Assert.That(peer.Connection.SendQueue.Peak, Is.LessThanOrEqualTo(1024 * Kib), "the limit held throughout");
            Assert.That(peer.Connection.SendQueue.Holds, Is.GreaterThanOrEqualTo(1), "the reader was held back at least once");
        });
        await peer.CloseAsync();
        await peer.Served;
    }

    [Test]
    public async Task ConnectionsTogetherStopAtTheTotalAndOneWaitingForTheTotalResumesWhenAnotherDrains()
    {
        // 512 KiB reads; each connection has 1 MiB guaranteed (two reads), then takes from a 2 MiB total.
        await using TargetRig rig = new(new TargetOptions { Limits = new ConnectionLimits { SendQueueLimit = 8192 * Kib, SendQueueTotal = 2048 * Kib } });
        SilentPeer first = new(rig.FrontEnd, "first");
        await first.LoginAsync();
        await first.SendReadsAsync(10, 512 * Kib);
        SilentPeer.WaitUntil(() => first.Connection.SendQueue.IsHolding, "the first reader held back");

        // Another initiator: a second login of the same port ID would log the first out (implicit logout).
        SilentPeer second = new(rig.FrontEnd, "second", TargetRig.OtherHost);
        await second.LoginAsync();
        await second.SendReadsAsync(10, 512 * Kib);
        SilentPeer.WaitUntil(() => second.Connection.SendQueue.IsHolding, "the second reader held back");

        Assert.Multiple(() =>
        {
            Assert.That(first.Connection.FramesReceived, Is.EqualTo(2 + 4), "the first took two READs in its guaranteed 1 MiB and two more until the total of 2 MiB was reached");
            Assert.That(second.Connection.FramesReceived, Is.EqualTo(2 + 2), "the second took only its guaranteed two: the total was full");
            Assert.That(second.Connection.QueuedAnswerBytes, Is.LessThan(8192 * Kib), "the second is held by the total, not by its own limit");
            Assert.That(rig.FrontEnd.QueuedAnswerBytes, Is.EqualTo(3072 * Kib), "2 MiB from the total plus the second's guaranteed 1 MiB");
        });

        // The first drains: the total empties and the second, waiting on it, goes on (its own answers still unread).
        await first.DrainAsync(10);
        SilentPeer.WaitUntil(() => second.Connection.FramesReceived > 4, "the second read again");
        await second.DrainAsync(10);
        Assert.That(second.Responses, Is.EqualTo(10), "every READ of the second was answered");
        await first.CloseAsync();
        await second.CloseAsync();
        await Task.WhenAll(first.Served, second.Served);
        Assert.That(rig.FrontEnd.QueuedAnswerBytes, Is.Zero, "nothing is counted once both are gone");
    }

    [Test]
    public async Task AConnectionClosedWithAnswersQueuedReturnsEveryBufferAndItsBudget()
    {
        await using TargetRig rig = new(new TargetOptions { Limits = new ConnectionLimits { SendQueueLimit = 1024 * Kib } });
        long before = rig.FrontEnd.DataBuffersOutstanding;
        SilentPeer peer = new(rig.FrontEnd);
        await peer.LoginAsync();
        await peer.SendReadsAsync(20, 256 * Kib);
        SilentPeer.WaitUntil(() => peer.Connection.SendQueue.IsHolding, "the reader held back");
        Assert.That(rig.FrontEnd.DataBuffersOutstanding, Is.EqualTo(before + 4), "four READ buffers are held while their answers wait");

        await peer.CloseAsync();
        await peer.Served;

        // Answers still on an MP when the connection ended are discarded when they are posted: wait for those.
        SilentPeer.WaitUntil(() => rig.FrontEnd.DataBuffersOutstanding == before, "every data buffer returned");
        Assert.Multiple(() =>
        {
            Assert.That(rig.FrontEnd.DataBuffersOutstanding, Is.EqualTo(before), "the closed connection's queued answers gave their buffers back");
            Assert.That(rig.FrontEnd.QueuedAnswerBytes, Is.Zero, "and left the send-queue budget");
            Assert.That(peer.Connection.Outstanding, Is.Zero, "and their exchange slots");
        });
    }
}
