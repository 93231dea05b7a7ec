// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Controller.Traces.Formats;

/// <summary>The text formats: one record per line, parsed by the format; blank lines are passed over.</summary>
public abstract class LineTraceReader : TraceReader
{
    private readonly TextReader _text;
    private long _line;

    /// <summary>Initializes a reader over text.</summary>
    /// <param name="text">The lines.</param>
    /// <param name="file">The file's name, for messages.</param>
    protected LineTraceReader(TextReader text, string file)
        : base(file)
    {
        _text = text;
    }

    /// <summary>Gets the number of the line being parsed, from 1.</summary>
    protected long LineNumber => _line;

    /// <inheritdoc/>
    public override bool TryRead(out TraceRecord record)
    {
        while (_text.ReadLine() is string line)
        {
            _line++;
            if (string.IsNullOrWhiteSpace(line))
            {
                IgnoredLines++;
                continue;
            }

            if (TryParse(line.Trim(), out record))
            {
                return true;
            }

            IgnoredLines++;
        }

        record = default;
        return false;
    }

    /// <summary>Parses one non-blank line.</summary>
    /// <param name="line">The line, trimmed.</param>
    /// <param name="record">The I/O it describes.</param>
    /// <returns>False for a line that is well formed but carries no I/O (a header, a file action).</returns>
    /// <exception cref="TraceFormatException">The line is malformed (thrown through <see cref="Bad"/>).</exception>
    protected abstract bool TryParse(string line, out TraceRecord record);

    /// <summary>Throws the error for the current line.</summary>
    /// <param name="problem">What is wrong, and what was expected.</param>
    [DoesNotReturn]
    protected void Bad(string problem)
    {
        throw new TraceFormatException(File, _line, problem);
    }

    /// <summary>Checks the field count of a line split into fields.</summary>
    /// <param name="fields">The fields.</param>
    /// <param name="expected">The count the format defines.</param>
    /// <param name="layout">The layout, for the message.</param>
    protected void ExpectFields(string[] fields, int expected, string layout)
    {
        if (fields.Length != expected)
        {
            Bad(fields.Length + " fields where " + expected + " are expected (" + layout + ")");
        }
    }

    /// <summary>Parses a non-negative decimal integer field.</summary>
    /// <param name="text">The field.</param>
    /// <param name="name">The field's name in the format, for the message.</param>
    /// <returns>The value.</returns>
    protected long Integer(string text, string name)
    {
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value))
        {
            Bad(name + " '" + text + "' is not a non-negative integer");
        }

        return value;
    }

    /// <summary>Parses a non-negative decimal number field that may carry a fraction (a time).</summary>
    /// <param name="text">The field.</param>
    /// <param name="name">The field's name in the format, for the message.</param>
    /// <returns>The value.</returns>
    protected double Number(string text, string name)
    {
        if (!double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
        {
            Bad(name + " '" + text + "' is not a non-negative number");
        }

        return value;
    }

    /// <summary>Converts a time to nanoseconds, refusing one beyond the 292 years a signed 64-bit count holds.</summary>
    /// <param name="value">The time in its unit.</param>
    /// <param name="nanosecondsPerUnit">Nanoseconds per unit.</param>
    /// <param name="name">The field's name, for the message.</param>
    /// <returns>The time in nanoseconds.</returns>
    protected long Nanoseconds(long value, long nanosecondsPerUnit, string name)
    {
        if (value > long.MaxValue / nanosecondsPerUnit)
        {
            Bad(name + " " + value.ToString(CultureInfo.InvariantCulture) + " is too large to be a time");
        }

        return value * nanosecondsPerUnit;
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _text.Dispose();
        }
    }
}
