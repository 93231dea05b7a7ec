// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Daemon.Configuration;
using Controller.Target.RemoteCopy;

namespace Controller.Daemon.Hosting;

/// <summary>
/// The remote-copy paths of the configuration's <c>remote-copy-path</c> lines: made while the controller is built (its
/// kept remote pairs follow them), started by <see cref="RemoteCopyPathService"/> once the daemon listens. Their frames
/// go to the trace through <see cref="Tap"/>, which has its recorder only once the trace is open.
/// </summary>
internal sealed class RemoteCopyPaths
{
    private readonly List<(FcpRemotePath Path, RemoteCopyPathConfig Config)> _paths = [];

    /// <summary>Initializes the list.</summary>
    /// <param name="recording">Whether frames are recorded (then the paths get <see cref="Tap"/>).</param>
    public RemoteCopyPaths(bool recording)
    {
        Tap = recording ? new LateFrameTap() : null;
    }

    /// <summary>Gets the paths' frame tap, or null when nothing is recorded.</summary>
    public LateFrameTap? Tap { get; }

    /// <summary>Gets the paths with their lines, in file order.</summary>
    public IReadOnlyList<(FcpRemotePath Path, RemoteCopyPathConfig Config)> All => _paths;

    /// <summary>Makes a line's path (not started); the controller's builder calls this for each line.</summary>
    /// <param name="config">The line.</param>
    /// <returns>The path.</returns>
    public FcpRemotePath Open(RemoteCopyPathConfig config)
    {
        FcpRemotePath path = FcpRemotePath.OverTcp(NameOf(config), config.Initiator, config.PeerPorts, config.Peer, Tap);
        path.ReconnectInterval = TimeSpan.FromSeconds(1);
        path.Key = config.Key;
        _paths.Add((path, config));
        return path;
    }

    /// <summary>The name a path's log lines give it.</summary>
    /// <param name="config">The line.</param>
    /// <returns><c>remote-copy path INITIATOR -> ADDRESS:PORT</c>.</returns>
    public static string NameOf(RemoteCopyPathConfig config)
    {
        return "remote-copy path " + config.Initiator + " -> " + config.Peer;
    }
}
