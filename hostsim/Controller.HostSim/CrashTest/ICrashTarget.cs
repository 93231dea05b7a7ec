// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.HostSim.Hosts;

namespace Controller.HostSim.CrashTest;

/// <summary>
/// The controller a crash test drives and kills: started on its store, killed at a moment, started again on the same
/// store. <see cref="ControllerdTarget"/> is a real controllerd process killed with SIGKILL. This is the seam for
/// other kinds of crash (an embedded controller on a power-cut store, whose kill is a simulated power cut): the
/// rounds, the ledger and the checks do not change, only the target and what its kill may lose.
/// </summary>
internal interface ICrashTarget : IAsyncDisposable
{
    /// <summary>Gets what is driven, for reports.</summary>
    string Description { get; }

    /// <summary>Gets the last lines the controller logged, for a failure's message.</summary>
    string LogTail { get; }

    /// <summary>
    /// Gets whether the controller's remote-copy path is up, as the last line it logged about it said (false from each
    /// start until the path logs in; a path reconnects every second while its peer is away). The determining-swap
    /// scenario waits for both daemons' paths before it uses the remote pair.
    /// </summary>
    bool RemoteCopyPathUp { get; }

    /// <summary>Starts the controller on its store (again, after a kill or a stop) and connects the hosts to it.</summary>
    /// <returns>The hosts' connections to it (the caller disposes them).</returns>
    Task<HostConnections> StartAsync();

    /// <summary>Kills it now, without warning (SIGKILL). Called from any thread.</summary>
    void Kill();

    /// <summary>Waits until the killed controller is gone (its store free for the next start).</summary>
    /// <returns>A task that completes then.</returns>
    Task WaitUntilGoneAsync();

    /// <summary>Stops it gracefully (SIGTERM) and waits for its exit.</summary>
    /// <returns>The exit code.</returns>
    Task<int> StopAsync();
}
