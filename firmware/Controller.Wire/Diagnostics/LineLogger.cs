// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Microsoft.Extensions.Logging;

namespace Controller.Wire.Diagnostics;

/// <summary>
/// A logger factory that hands every event's formatted message, the line controllerd prints after its time
/// stamp, to a delegate (a list, a queue), whatever its category and level.
/// </summary>
public sealed class LineLogger : ILoggerFactory, ILogger
{
    private readonly Action<string> _write;

    /// <summary>Initializes the logger.</summary>
    /// <param name="write">Takes each line.</param>
    public LineLogger(Action<string> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        _write = write;
    }

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName)
    {
        return this;
    }

    /// <inheritdoc/>
    public void AddProvider(ILoggerProvider provider)
    {
        throw new NotSupportedException("a LineLogger writes to its delegate only");
    }

    /// <inheritdoc/>
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull
    {
        return null;
    }

    /// <inheritdoc/>
    public bool IsEnabled(LogLevel logLevel)
    {
        return logLevel != LogLevel.None;
    }

    /// <inheritdoc/>
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        _write(formatter(state, exception));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }
}
