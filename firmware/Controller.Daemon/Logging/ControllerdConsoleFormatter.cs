// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Controller.Daemon.Logging;

/// <summary>
/// controllerd's console format: one line per event, <c>2026-12-07T14:02:03.123Z controllerd: MESSAGE</c> (the UTC
/// time the event was logged, to the millisecond), the format controllerd printed before it had a logging framework
/// and the one its tests, hostsim's crash test and scripts read (<c>listening on ADDRESS (FCIP)</c>). The level, the
/// category and the event ID are not printed: <c>--log-level</c> chooses what is. An exception attached to an event
/// adds its message, never a stack trace (docs/style.md item 5).
/// </summary>
internal sealed class ControllerdConsoleFormatter : ConsoleFormatter
{
    /// <summary>The formatter's name (<c>ConsoleLoggerOptions.FormatterName</c>).</summary>
    public const string FormatterName = "controllerd";

    /// <summary>Initializes the formatter.</summary>
    public ControllerdConsoleFormatter()
        : base(FormatterName)
    {
    }

    /// <inheritdoc/>
    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        ArgumentNullException.ThrowIfNull(textWriter);
        string message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        textWriter.Write(DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
        textWriter.Write(" controllerd: ");
        textWriter.Write(message);
        if (logEntry.Exception is not null)
        {
            textWriter.Write(": ");
            textWriter.Write(logEntry.Exception.Message);
        }

        textWriter.Write(Environment.NewLine);
    }
}
