// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Target.Tests.Bounds;

/// <summary>
/// The connection timeouts (docs/controllerd.md, "Bounded resources") on a clock that moves only when the test says:
/// each closes a connection that sits in its state past its time, with the reason logged, and leaves others alone.
/// </summary>
[Category("R0-19")]
public sealed class ConnectionWatchdogTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(2.5);

    [Test]
    public async Task AConnectionThatDoesNotLogInWithinTheLoginTimeoutIsClosed()
    {
        ManualTimeProvider clock = new();
        await using TargetRig rig = new(new TargetOptions { Time = clock });
        SilentPeer peer = new(rig.FrontEnd);

        clock.Advance(TimeSpan.FromSeconds(10) - Tick);
        Assert.That(peer.Connection.AbortReason, Is.Null, "not closed before the login timeout of 10 s");
        clock.Advance(Tick);

        string? reason = await peer.Served.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(reason, Does.Contain("login timeout of 10 s"), "closed for not logging in");
        Assert.That(rig.Log, Has.Some.Contains("silent peer: connection closed: not logged in (PLOGI and PRLI) within the login timeout"), "the close is logged with the peer");
    }

    [Test]
    public async Task ALoggedInConnectionIsNotClosedByTheLoginTimeoutNorByIdlenessByDefault()
    {
        ManualTimeProvider clock = new();
        await using TargetRig rig = new(new TargetOptions { Time = clock });
        SilentPeer peer = new(rig.FrontEnd);
        await peer.LoginAsync();
        SilentPeer.WaitUntil(() => peer.Connection.FramesReceived == 2, "PLOGI and PRLI handled");

        clock.Advance(TimeSpan.FromHours(1));
        Assert.That(peer.Connection.AbortReason, Is.Null, "a logged-in host that sends nothing for an hour stays: the idle timeout is off by default");
        await peer.CloseAsync();
        Assert.That(await peer.Served, Is.Null, "it ended only when the peer closed it");
    }

    [Test]
    public async Task ALoggedInConnectionIdleLongerThanAConfiguredIdleTimeoutIsClosed()
    {
        ManualTimeProvider clock = new();
        await using TargetRig rig = new(new TargetOptions { Time = clock, Limits = new ConnectionLimits { IdleTimeout = TimeSpan.FromSeconds(60) } });
        SilentPeer peer = new(rig.FrontEnd);
        await peer.LoginAsync();
        SilentPeer.WaitUntil(() => peer.Connection.FramesReceived == 2, "PLOGI and PRLI handled");

        clock.Advance(TimeSpan.FromSeconds(50));
        Assert.That(peer.Connection.AbortReason, Is.Null, "not idle long enough yet");
        clock.Advance(TimeSpan.FromSeconds(20));
        string? reason = await peer.Served.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(reason, Does.Contain("idle timeout 60 s"), "closed for idleness");
    }

    [Test]
    public async Task AFrameBegunAndNotFinishedWithinTheFrameTimeoutClosesTheConnection()
    {
        ManualTimeProvider clock = new();
        await using TargetRig rig = new(new TargetOptions { Time = clock });
        SilentPeer peer = new(rig.FrontEnd);
        await peer.LoginAsync();
        await peer.SendBytesAsync(SilentPeer.HalfFrame());
        SilentPeer.WaitUntil(() => peer.Connection.Watchdog.HasPartialFrame, "the half frame seen by the reader");

        clock.Advance(TimeSpan.FromSeconds(10) - Tick);
        Assert.That(peer.Connection.AbortReason, Is.Null, "not closed before the frame timeout");
        clock.Advance(Tick);
        string? reason = await peer.Served.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(reason, Does.Contain("is not complete").And.Contain("frame timeout 10 s"), "closed for the unfinished frame");
    }

    [Test]
    public async Task ASendThatMakesNoProgressWithinTheSendTimeoutClosesTheConnectionAndReturnsItsBuffers()
    {
        ManualTimeProvider clock = new();
        await using TargetRig rig = new(new TargetOptions { Time = clock });
        SilentPeer peer = new(rig.FrontEnd);
        await peer.LoginAsync();
        await peer.SendReadsAsync(4, 1024 * 1024);
        SilentPeer.WaitUntil(() => peer.Connection.Watchdog.IsFlushing, "a flush stuck on the peer that does not read");

        clock.Advance(TimeSpan.FromSeconds(30) - Tick);
        Assert.That(peer.Connection.AbortReason, Is.Null, "not closed before the send timeout");
        clock.Advance(Tick);
        string? reason = await peer.Served.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(reason, Does.Contain("no send progress").And.Contain("send timeout 30 s"), "closed for the stuck send");
        SilentPeer.WaitUntil(() => rig.FrontEnd.DataBuffersOutstanding == 0, "every data buffer returned");
        Assert.That(rig.FrontEnd.QueuedAnswerBytes, Is.Zero, "the closed connection's answers left the budget");
    }

    [Test]
    public async Task AFrameTimeoutSetOffLeavesAHalfFrameAlone()
    {
        ManualTimeProvider clock = new();
        await using TargetRig rig = new(new TargetOptions { Time = clock, Limits = new ConnectionLimits { FrameTimeout = null } });
        SilentPeer peer = new(rig.FrontEnd);
        await peer.LoginAsync();
        await peer.SendBytesAsync(SilentPeer.HalfFrame());
        SilentPeer.WaitUntil(() => peer.Connection.Watchdog.HasPartialFrame, "the half frame seen by the reader");

        clock.Advance(TimeSpan.FromHours(1));
        Assert.That(peer.Connection.AbortReason, Is.Null, "with the frame timeout off a half frame may wait");
        await peer.CloseAsync();
        await peer.Served;
    }
}
