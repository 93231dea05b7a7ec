// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Controller.HostSim.Hosts;

namespace Controller.HostSim.CrashTest;

/// <summary>
/// A real controllerd, started by the crash test on the configuration it wrote: <c>dotnet controllerd.dll --config
/// FILE</c> (or an executable), or a user's restart command run by <c>/bin/sh -c</c> with <c>{config}</c> replaced by
/// the file. Its address comes from its log line <c>listening on ADDRESS (FCIP)</c> (the file says port 0: any free
/// port); its log is appended to <c>controllerd.log</c> beside the file. The kill is SIGKILL (the restart command's
/// whole process tree).
/// </summary>
internal sealed partial class ControllerdTarget : ICrashTarget
{
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(60);
    private readonly string _config;
    private readonly string? _daemon;
    private readonly string? _restartCommand;
    private readonly string _logPath;
    private readonly Queue<string> _tail = new();
    private Process? _process;
    private StreamWriter? _log;
    private int _starts;
    private volatile bool _remoteCopyPathUp;

    /// <summary>Initializes a target; nothing starts yet.</summary>
    /// <param name="config">The configuration file.</param>
    /// <param name="daemon">controllerd.dll (run with dotnet) or an executable; null with a restart command.</param>
    /// <param name="restartCommand">A shell command that runs controllerd in the foreground, <c>{config}</c> in it; or null.</param>
    public ControllerdTarget(string config, string? daemon, string? restartCommand)
    {
        _config = config;
        _daemon = daemon;
        _restartCommand = restartCommand;
        _logPath = Path.Combine(Path.GetDirectoryName(config)!, "controllerd.log");
    }

    /// <inheritdoc/>
    public string Description => _daemon is not null ? "controllerd " + _daemon : "restart command: " + _restartCommand;

    /// <inheritdoc/>
    public string LogTail
    {
        get
        {
            lock (_tail)
            {
                return string.Join(" | ", _tail);
            }
        }
    }

    /// <inheritdoc/>
    public bool RemoteCopyPathUp => _remoteCopyPathUp;

    /// <summary>Gets the log file the daemon's output is appended to.</summary>
    public string LogPath => _logPath;

    /// <inheritdoc/>
    public async Task<HostConnections> StartAsync()
    {
        if (_process is { HasExited: false })
        {
            throw new InvalidOperationException("controllerd is already running");
        }

        _process?.Dispose();
        if (_log is not null)
        {
            await _log.DisposeAsync().ConfigureAwait(false);
        }

        _starts++;
        _remoteCopyPathUp = false;
        ProcessStartInfo start = StartInfo();
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        TaskCompletionSource<IPEndPoint> listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
        StreamWriter log = _log = new(_logPath, append: true) { AutoFlush = true };
        await log.WriteLineAsync("--- crash test: start " + _starts.ToString(CultureInfo.InvariantCulture) + " ---").ConfigureAwait(false);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new CrashTestException("controllerd did not start: " + start.FileName);
        }
        catch (System.ComponentModel.Win32Exception failure)
        {
            throw new CrashTestException("cannot start " + start.FileName + ": " + failure.Message, failure);
        }

        _process = process;
        DataReceivedEventHandler onLine = (_, line) =>
        {
            if (line.Data is not string text)
            {
                return;
            }

            lock (_tail)
            {
                log.WriteLine(text);
                _tail.Enqueue(text);
                while (_tail.Count > 12)
                {
                    _tail.Dequeue();
                }
            }

            // The path's state as its last line said (volatile: written on the output reader's thread, read by the run's).
            if (text.Contains("remote-copy path ", StringComparison.Ordinal))
            {
                if (text.Contains(" is up (logged in to", StringComparison.Ordinal))
                {
                    _remoteCopyPathUp = true;
                }
                else if (text.Contains(" is down", StringComparison.Ordinal))
                {
                    _remoteCopyPathUp = false;
                }
            }

            Match match = ListeningLine().Match(text);
            if (match.Success && IPEndPoint.TryParse(match.Groups[1].Value, out IPEndPoint? endPoint))
            {
                listening.TrySetResult(endPoint);
            }
        };
        process.OutputDataReceived += onLine;
        process.ErrorDataReceived += onLine;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // No Exited handler and no blocking WaitForExit: Process raises Exited under its own lock, and a handler that
        // waited there deadlocked with another wait (seen once in 40 rounds). WaitForExitAsync also waits until every
        // line of output has been handled, so an early exit's message carries its last words.
        Task exited = process.WaitForExitAsync();
        Task first;
        try
        {
            first = await Task.WhenAny(listening.Task, exited).WaitAsync(s_patience).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new CrashTestException("controllerd did not log 'listening on' within " + s_patience.TotalSeconds + " s: " + LogTail);
        }

        if (first != listening.Task)
        {
            throw new CrashTestException("controllerd exited (code " + ExitCode(process) + ") before listening: " + LogTail);
        }

        return HostConnections.ToRemote(await listening.Task.ConfigureAwait(false));
    }

    /// <inheritdoc/>
    public void Kill()
    {
        // SIGKILL (Process.Kill on Unix). dotnet runs controllerd.dll in its own process; a restart command may be a
        // shell with children, so its whole tree.
        try
        {
            _process?.Kill(entireProcessTree: _restartCommand is not null);
        }
        catch (InvalidOperationException)
        {
            // Gone already: nothing to kill.
        }
    }

    /// <inheritdoc/>
    public async Task WaitUntilGoneAsync()
    {
        if (_process is Process process)
        {
            // Also waits until every line of its output has been handled.
            await process.WaitForExitAsync().WaitAsync(s_patience).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async Task<int> StopAsync()
    {
        if (_process is not Process process || process.HasExited)
        {
            throw new InvalidOperationException("controllerd is not running");
        }

        using (Process term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync().ConfigureAwait(false);
        }

        await WaitUntilGoneAsync().ConfigureAwait(false);
        return process.ExitCode;
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        if (_process is Process process)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(s_patience);
            }

            process.Dispose();
            _process = null;
        }

        _log?.Dispose();
        _log = null;
        return ValueTask.CompletedTask;
    }

    [GeneratedRegex(@"listening on (\S+) \(FCIP\)")]
    private static partial Regex ListeningLine();

    private static string ExitCode(Process process)
    {
        try
        {
            return process.ExitCode.ToString(CultureInfo.InvariantCulture);
        }
        catch (InvalidOperationException)
        {
            return "?";
        }
    }

    private ProcessStartInfo StartInfo()
    {
        if (_restartCommand is string command)
        {
            ProcessStartInfo shell = new("/bin/sh");
            shell.ArgumentList.Add("-c");
            shell.ArgumentList.Add(command.Replace("{config}", "'" + _config + "'", StringComparison.Ordinal));
            return shell;
        }

        string daemon = _daemon!;
        bool isAssembly = daemon.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        ProcessStartInfo start = new(isAssembly ? "dotnet" : daemon);
        if (isAssembly)
        {
            start.ArgumentList.Add(daemon);
        }

        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(_config);
        return start;
    }
}
