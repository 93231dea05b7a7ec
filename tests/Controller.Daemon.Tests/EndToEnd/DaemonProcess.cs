// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace Controller.Daemon.Tests.EndToEnd;

/// <summary>controllerd run as a real process (dotnet controllerd.dll), listening on a free loopback port.</summary>
internal sealed partial class DaemonProcess : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly TaskCompletionSource<IPEndPoint> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(string Fragment, TaskCompletionSource<string> Line)> _lineWaiters = [];

    private DaemonProcess(Process process)
    {
        _process = process;
    }

    public ConcurrentQueue<string> Output { get; } = new();

    public ConcurrentQueue<string> Errors { get; } = new();

    public int Id => _process.Id;

    public static DaemonProcess Start(params string[] arguments)
    {
        string daemon = Path.Combine(TestContext.CurrentContext.TestDirectory, "controllerd.dll");
        Assert.That(File.Exists(daemon), Is.True, "controllerd.dll is built beside the tests: " + daemon);
        ProcessStartInfo start = new("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(daemon);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process = Process.Start(start) ?? throw new InvalidOperationException("controllerd did not start");
        DaemonProcess daemonProcess = new(process);
        process.OutputDataReceived += (_, line) => daemonProcess.OnOutput(line.Data);
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is not null)
            {
                daemonProcess.Errors.Enqueue(line.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return daemonProcess;
    }

    public async Task<IPEndPoint> WaitUntilListeningAsync()
    {
        Task exited = _process.WaitForExitAsync();
        Task first = await Task.WhenAny(_listening.Task, exited).WaitAsync(Timeout);
        Assert.That(first, Is.SameAs(_listening.Task), "controllerd exited before listening: " + string.Join(" | ", Errors));
        return await _listening.Task;
    }

    /// <summary>Waits until it listens (true) or exits first (false).</summary>
    public async Task<bool> ListensOrExitsAsync()
    {
        Task exited = _process.WaitForExitAsync();
        Task first = await Task.WhenAny(_listening.Task, exited).WaitAsync(Timeout);
        return first == _listening.Task;
    }

    /// <summary>Waits for the first line of its log (stdout) that contains <paramref name="fragment"/>, one already written included.</summary>
    public Task<string> WaitForLineAsync(string fragment)
    {
        TaskCompletionSource<string> line = new(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lineWaiters)
        {
            foreach (string written in Output)
            {
                if (written.Contains(fragment, StringComparison.Ordinal))
                {
                    return Task.FromResult(written);
                }
            }

            _lineWaiters.Add((fragment, line));
        }

        return line.Task.WaitAsync(Timeout);
    }

    /// <summary>Sends a signal (e.g. "TERM", "KILL") and returns without waiting for the exit.</summary>
    public async Task SignalAsync(string signal)
    {
        using Process kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        Assert.That(kill.ExitCode, Is.Zero, "kill -" + signal + " " + _process.Id);
    }

    /// <summary>Sends SIGTERM (as a service manager does) and waits for the exit code.</summary>
    public async Task<int> TerminateAsync()
    {
        using (Process kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        return await WaitForExitAsync();
    }

    public async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync().WaitAsync(Timeout);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"listening on (\S+) \(FCIP\)")]
    private static partial Regex ListeningLine();

    private void OnOutput(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lineWaiters)
        {
            Output.Enqueue(line);
            _lineWaiters.RemoveAll(waiter => line.Contains(waiter.Fragment, StringComparison.Ordinal) && waiter.Line.TrySetResult(line));
        }

        Match match = ListeningLine().Match(line);
        if (match.Success)
        {
            _listening.TrySetResult(IPEndPoint.Parse(match.Groups[1].Value));
        }
    }
}
