// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Text.RegularExpressions;

namespace Controller.Testing;

/// <summary>
/// Replaces run-dependent text (timestamps, identifiers, ...) with numbered tokens such as
/// <c>{Timestamp_1}</c> before a snapshot is compared, so that snapshots stay stable between runs.
/// </summary>
/// <remarks>
/// Every distinct matched value gets the next number for its token name, in order of first
/// appearance within one verification; a value that recurs gets the same token each time.
/// </remarks>
public sealed partial class SnapshotScrubber
{
    /// <summary>
    /// Initialises a scrubber that replaces every match of <paramref name="pattern"/> with
    /// <c>{<paramref name="tokenName"/>_N}</c>.
    /// </summary>
    /// <param name="pattern">The text to scrub. Empty matches are ignored.</param>
    /// <param name="tokenName">The token name: ASCII letters, digits and underscores only.</param>
    /// <exception cref="ArgumentNullException"><paramref name="pattern"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="tokenName"/> is empty or not a plain identifier.</exception>
    public SnapshotScrubber(Regex pattern, string tokenName)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentException.ThrowIfNullOrWhiteSpace(tokenName);
        foreach (char c in tokenName)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                throw new ArgumentException(
                    $"Token name '{tokenName}' may contain only ASCII letters, digits and underscores.",
                    nameof(tokenName));
            }
        }

        Pattern = pattern;
        TokenName = tokenName;
    }

    /// <summary>
    /// Gets the built-in scrubber for ISO 8601 date-times (<c>2026-01-02T03:04:05</c>, with optional
    /// fractional seconds and an optional <c>Z</c> or <c>+hh:mm</c> zone; a space instead of the
    /// <c>T</c> is accepted too). Its token name is <c>Timestamp</c>.
    /// </summary>
    public static SnapshotScrubber Timestamps { get; } = new(TimestampPattern(), "Timestamp");

    /// <summary>
    /// Gets the built-in scrubber for GUIDs in the hyphenated 8-4-4-4-12 hexadecimal form, either case.
    /// Its token name is <c>Guid</c>.
    /// </summary>
    public static SnapshotScrubber Guids { get; } = new(GuidPattern(), "Guid");

    /// <summary>Gets the pattern whose matches are replaced.</summary>
    public Regex Pattern { get; }

    /// <summary>Gets the token name used in the replacement, e.g. <c>Id</c> for <c>{Id_1}</c>.</summary>
    public string TokenName { get; }

    [GeneratedRegex(
        @"(?<![0-9])[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]+)?)?(?:[Zz]|[+-][0-9]{2}(?::?[0-9]{2})?)?(?![0-9])",
        RegexOptions.CultureInvariant)]
    private static partial Regex TimestampPattern();

    [GeneratedRegex(
        @"(?<![0-9A-Fa-f])[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}(?![0-9A-Fa-f])",
        RegexOptions.CultureInvariant)]
    private static partial Regex GuidPattern();
}
