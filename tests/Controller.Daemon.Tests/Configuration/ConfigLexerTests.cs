// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Daemon.Configuration;

namespace Controller.Daemon.Tests.Configuration;

public sealed class ConfigLexerTests
{
    [TestCase("", new string[0])]
    [TestCase("   \t ", new string[0])]
    [TestCase("# only a comment", new string[0])]
    [TestCase("ldev 00:01 size 1MiB", new[] { "ldev", "00:01", "size", "1MiB" })]
    [TestCase("  ldev\t00:01   size 1MiB  ", new[] { "ldev", "00:01", "size", "1MiB" })]
    [TestCase("port 0x400104 # the first port", new[] { "port", "0x400104" })]
    [TestCase("port 0x400104#no space before the comment", new[] { "port", "0x400104" })]
    [TestCase("store file \"/srv/ctl data\"", new[] { "store", "file", "/srv/ctl data" })]
    [TestCase("store file \"/srv/#1\" # a comment", new[] { "store", "file", "/srv/#1" })]
    [TestCase("store file \"\"", new[] { "store", "file", "" })]
    [TestCase("a \"b\"# c", new[] { "a", "b" })]
    public void ALineSplitsIntoWords(string line, string[] expected)
    {
        List<string> words = ["left over from an earlier line"];
        Assert.That(ConfigLexer.TryTokenize(line, words, out string? error), Is.True, "'" + line + "' splits: " + error);
        Assert.That(words, Is.EqualTo(expected), "the words of '" + line + "'");
    }

    [TestCase("store file \"/srv", "the quote at column 12 is never closed")]
    [TestCase("store file \"/srv\"x", "the quoted word ending at column 17 runs into the text after it; put a space between them")]
    [TestCase("store file /srv\"x\"", "the quote at column 16 is inside a word; quotes may only surround a whole word")]
    public void AMisplacedQuoteIsAnError(string line, string expected)
    {
        Assert.That(ConfigLexer.TryTokenize(line, [], out string? error), Is.False, "'" + line + "' is refused");
        Assert.That(error, Is.EqualTo(expected), "the message names the column");
    }
}
