// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;

namespace Controller.Firmware.Pairs;

/// <summary>
/// The words of a split's log entry or abort reason, kept as a composite format and its values: taken under the
/// table's lock (MP threads end splits there), and formatted only when someone reads them, outside it
/// (<see cref="ToString"/>). A value may be another note, formatted with it.
/// </summary>
internal readonly struct SplitNote
{
    private readonly string? _format;
    private readonly object? _a;
    private readonly object? _b;
    private readonly object? _c;
    private readonly object? _d;
    private readonly object? _e;

    /// <summary>Initializes a note from a composite format (invariant culture) and up to five values.</summary>
    /// <param name="format">The format, e.g. "freeze: {0} members, {1} P-VOLs held".</param>
    /// <param name="a">Value {0}.</param>
    /// <param name="b">Value {1}.</param>
    /// <param name="c">Value {2}.</param>
    /// <param name="d">Value {3}.</param>
    /// <param name="e">Value {4}.</param>
    public SplitNote(string format, object? a = null, object? b = null, object? c = null, object? d = null, object? e = null)
    {
        _format = format;
        _a = a;
        _b = b;
        _c = c;
        _d = d;
        _e = e;
    }

    /// <summary>Gets the empty note.</summary>
    public static SplitNote Empty => default;

    /// <summary>A note of fixed words (nothing to format; braces are taken literally).</summary>
    /// <param name="text">The words.</param>
    /// <returns>The note.</returns>
    public static SplitNote Text(string text)
    {
        return new SplitNote("{0}", text);
    }

    /// <summary>Formats the note.</summary>
    /// <returns>The words; empty for the empty note.</returns>
    public override string ToString()
    {
        return _format is null ? string.Empty : string.Format(CultureInfo.InvariantCulture, _format, _a, _b, _c, _d, _e);
    }
}
