// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.InteropServices;
using Controller.Daemon.Logging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Controller.Daemon.Hosting;

/// <summary>
/// controllerd's host lifetime: SIGTERM and SIGINT stop the host (<see cref="IHostApplicationLifetime.StopApplication"/>),
/// which runs the hosted services' graceful stop (docs/controllerd.md, "Stopping"); a second signal during the stop exits
/// at once with code 4. In place of the Generic Host's <c>ConsoleLifetime</c>, which would take the second signal as
/// one more request to stop and wait, and prints start-up lines of its own.
/// </summary>
internal sealed class ControllerdLifetime : IHostLifetime, IDisposable
{
    private readonly IHostApplicationLifetime _application;
    private readonly DaemonOutcome _outcome;
    private readonly IEnumerable<ILoggerProvider> _loggerProviders;
    private readonly ILogger _logger;
    private PosixSignalRegistration? _sigint;
    private PosixSignalRegistration? _sigterm;

    // 1 once the first signal came: the stop has begun (set by one compare-and-swap, so two signals at once are one
    // stop and one exit, never two stops).
    private int _first;

    /// <summary>Initializes the lifetime.</summary>
    /// <param name="application">The host's application lifetime, stopped by the first signal.</param>
    /// <param name="outcome">Where the first signal's name is kept (the stop's first log line names it).</param>
    /// <param name="loggerProviders">The log's providers, flushed before an exit at once.</param>
    /// <param name="logger">Where a second signal is logged.</param>
    public ControllerdLifetime(IHostApplicationLifetime application, DaemonOutcome outcome, IEnumerable<ILoggerProvider> loggerProviders, ILogger<ControllerdLifetime> logger)
    {
        _application = application;
        _outcome = outcome;
        _loggerProviders = loggerProviders;
        _logger = logger;
    }

    /// <inheritdoc/>
    public Task WaitForStartAsync(CancellationToken cancellationToken)
    {
        _sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _sigint?.Dispose();
        _sigterm?.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        // Keep the runtime from terminating the process: the stop answers the commands in flight first.
        context.Cancel = true;
        string signal = context.Signal.ToString();
        if (Interlocked.CompareExchange(ref _first, 1, 0) == 0)
        {
            _outcome.Signal = signal;
            _application.StopApplication();
            return;
        }

        // The operator does not want to wait: the kernel closes the connections and the files; what was written is in
        // the page cache, but commands in flight are not answered and nothing is flushed. The console logger writes
        // from a queue of its own: disposing its provider writes what is queued, this line included, before the exit.
        DaemonLog.SecondSignal(_logger, signal, DaemonOutcome.ExitUnanswered);
        foreach (ILoggerProvider provider in _loggerProviders)
        {
            provider.Dispose();
        }

        Environment.Exit(DaemonOutcome.ExitUnanswered);
    }
}
