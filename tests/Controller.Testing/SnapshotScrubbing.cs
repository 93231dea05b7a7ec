// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Controller.Testing;

/// <summary>Applies a set of <see cref="SnapshotScrubber"/>s to a text in one pass.</summary>
internal static class SnapshotScrubbing
{
    /// <summary>
    /// Replaces every match with its numbered token. All scrubbers are matched against the original
    /// text, so one scrubber never sees (or mangles) another's tokens. Where matches overlap, the one
    /// that starts first wins, then the longer one, then the scrubber earlier in the list.
    /// </summary>
    public static string Apply(string text, IReadOnlyList<SnapshotScrubber> scrubbers)
    {
        if (text.Length == 0 || scrubbers.Count == 0)
        {
            return text;
        }

        var candidates = new List<(int Index, int Length, int Priority)>();
        for (int priority = 0; priority < scrubbers.Count; priority++)
        {
            foreach (Match match in scrubbers[priority].Pattern.Matches(text))
            {
                if (match.Length > 0)
                {
                    candidates.Add((match.Index, match.Length, priority));
                }
            }
        }

        if (candidates.Count == 0)
        {
            return text;
        }

        candidates.Sort(static (a, b) =>
        {
            if (a.Index != b.Index)
            {
                return a.Index.CompareTo(b.Index);
            }

            return a.Length != b.Length ? b.Length.CompareTo(a.Length) : a.Priority.CompareTo(b.Priority);
        });

        var tokens = new Dictionary<(string TokenName, string Value), string>();
        var counters = new Dictionary<string, int>(StringComparer.Ordinal);
        var builder = new StringBuilder(text.Length);
        int position = 0;
        foreach ((int index, int length, int priority) in candidates)
        {
            if (index < position)
            {
                // Overlaps a match that has already been replaced.
                continue;
            }

            string tokenName = scrubbers[priority].TokenName;
            string value = text.Substring(index, length);
            if (!tokens.TryGetValue((tokenName, value), out string? token))
            {
                int number = counters.GetValueOrDefault(tokenName) + 1;
                counters[tokenName] = number;
                token = string.Create(CultureInfo.InvariantCulture, $"{{{tokenName}_{number}}}");
                tokens.Add((tokenName, value), token);
            }

            builder.Append(text, position, index - position).Append(token);
            position = index + length;
        }

        return builder.Append(text, position, text.Length - position).ToString();
    }
}
