// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Daemon.Configuration;
using Controller.Daemon.Logging;
using Controller.Target.RemoteCopy;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Controller.Daemon.Hosting;

/// <summary>
/// The remote-copy paths as a hosted service: each connects to its secondary in the background once the daemon listens
/// (<see cref="StartedAsync"/>, after every service's start), and again whenever the link is lost; they are closed
/// after the listener's drain (<see cref="StoppedAsync"/>, after every service's stop): a host write to a remote pair's
/// P-VOL still in flight at the signal needs its path, and a closed path suspends the mirroring remote pairs (PSUE,
/// exact marks) before the clean-stop checkpoint (docs/controllerd.md, "Stopping").
/// </summary>
internal sealed class RemoteCopyPathService : IHostedLifecycleService
{
    private readonly RemoteCopyPaths _paths;
    private readonly ILogger _logger;

    /// <summary>Initializes the service.</summary>
    /// <param name="paths">The paths the controller was built with.</param>
    /// <param name="logger">Where each path's coming up and going down is logged.</param>
    public RemoteCopyPathService(RemoteCopyPaths paths, ILogger<RemoteCopyPathService> logger)
    {
        _paths = paths;
        _logger = logger;
    }

    /// <inheritdoc/>
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        foreach ((FcpRemotePath path, RemoteCopyPathConfig config) in _paths.All)
        {
            string name = RemoteCopyPaths.NameOf(config);
            string ports = string.Join(", ", config.PeerPorts);
            path.ConnectFailed += reason => DaemonLog.PathCannotComeUp(_logger, name, reason);
            path.StateChanged += up =>
            {
                if (up)
                {
                    DaemonLog.PathUp(_logger, name, ports);
                }
                else
                {
                    DaemonLog.PathDown(_logger, name, path.LastError ?? string.Empty);
                }
            };
            path.Start();
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        foreach ((FcpRemotePath path, _) in _paths.All)
        {
            await path.DisposeAsync().ConfigureAwait(false);
        }
    }
}
