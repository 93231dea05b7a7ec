// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Daemon.Configuration;

/// <summary>
/// Splits one configuration line into words: white space separates them, <c>#</c> outside quotes starts a
/// comment that runs to the end of the line, and double quotes make one word of text that holds spaces or
/// <c>#</c> (a store directory such as <c>"/srv/ctl data"</c>). There are no escapes: a word cannot hold a quote.
/// </summary>
internal static class ConfigLexer
{
    /// <summary>Splits a line into words.</summary>
    /// <param name="line">The line, without its line ending.</param>
    /// <param name="words">Cleared, then filled with the words; empty for a blank or comment-only line.</param>
    /// <param name="error">Why the line cannot be split (a quote left open, a quote inside a word), or null.</param>
    /// <returns>True when the line was split.</returns>
    public static bool TryTokenize(string line, List<string> words, out string? error)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(words);
        words.Clear();
        int i = 0;
        while (i < line.Length)
        {
            char c = line[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            if (c == '#')
            {
                break;
            }

            if (c == '"')
            {
                int close = line.IndexOf('"', i + 1);
                if (close < 0)
                {
                    error = "the quote at column " + (i + 1) + " is never closed";
                    return false;
                }

                words.Add(line.Substring(i + 1, close - i - 1));
                i = close + 1;
                if (i < line.Length && !char.IsWhiteSpace(line[i]) && line[i] != '#')
                {
                    error = "the quoted word ending at column " + i + " runs into the text after it; put a space between them";
                    return false;
                }

                continue;
            }

            int start = i;
            while (i < line.Length && !char.IsWhiteSpace(line[i]) && line[i] != '#' && line[i] != '"')
            {
                i++;
            }

            if (i < line.Length && line[i] == '"')
            {
                // A quote in the middle of a word is almost always a typo; guessing what was meant would hide it.
                error = "the quote at column " + (i + 1) + " is inside a word; quotes may only surround a whole word";
                return false;
            }

            words.Add(line.Substring(start, i - start));
        }

        error = null;
        return true;
    }
}
