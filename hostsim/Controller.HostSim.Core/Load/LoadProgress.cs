// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;

namespace Controller.HostSim.Core.Load;

/// <summary>A progress bar on standard error while a load runs: elapsed time, commands per second over the last interval.</summary>
public sealed class LoadProgress : IDisposable
{
    private const int Width = 30;
    private readonly LoadGenerator _generator;
    private readonly double _seconds;
    private readonly Timer _timer;
    private readonly DateTime _start = DateTime.UtcNow;
    private long _lastCount;
    private DateTime _lastTime;

    /// <summary>Starts drawing.</summary>
    /// <param name="generator">The load.</param>
    /// <param name="seconds">Its length.</param>
    public LoadProgress(LoadGenerator generator, double seconds)
    {
        _generator = generator;
        _seconds = seconds;
        _lastTime = _start;
        _timer = new Timer(_ => Draw(), null, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(250));
    }

    /// <summary>Stops drawing and clears the line.</summary>
    public void Dispose()
    {
        _timer.Dispose();
        Console.Error.Write("\r" + new string(' ', Width + 60) + "\r");
    }

    private void Draw()
    {
        DateTime now = DateTime.UtcNow;
        long count = _generator.Completed;
        double elapsed = (now - _start).TotalSeconds;
        double rate = (count - _lastCount) / Math.Max(1e-3, (now - _lastTime).TotalSeconds);
        _lastCount = count;
        _lastTime = now;
        int filled = (int)Math.Clamp(elapsed / _seconds * Width, 0, Width);
        Console.Error.Write(string.Create(CultureInfo.InvariantCulture, $"\r[{new string('#', filled)}{new string('.', Width - filled)}] {elapsed,5:F1}/{_seconds:F0} s  {rate,12:N0} commands/s"));
    }
}
