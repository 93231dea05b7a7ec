// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Text.RegularExpressions;
using NUnit.Framework;

namespace Controller.Testing.Tests;

public sealed class SnapshotScrubbingTests
{
    [Test]
    public void TimestampsBecomeNumberedTokensAndRepeatsShareAToken()
    {
        var options = new SnapshotOptions();

        string scrubbed = options.Scrub(
            "start 2026-03-01T10:00:00Z\n"
            + "stop 2026-03-01T10:05:30.125+02:00\n"
            + "again 2026-03-01T10:00:00Z\n");

        Assert.That(
            scrubbed,
            Is.EqualTo("start {Timestamp_1}\nstop {Timestamp_2}\nagain {Timestamp_1}\n"),
            "each distinct timestamp gets the next number and a repeat reuses its token");
    }

    [TestCase("2026-03-01T10:00:00")]
    [TestCase("2026-03-01T10:00:00Z")]
    [TestCase("2026-03-01T10:00:00.1234567Z")]
    [TestCase("2026-03-01T10:00:00.5-07:00")]
    [TestCase("2026-03-01T10:00:00+0530")]
    [TestCase("2026-03-01 10:00:00Z")]
    [TestCase("2026-03-01T10:00")]
    public void IsoTimestampVariantsAreScrubbed(string timestamp)
    {
        Assert.That(new SnapshotOptions().Scrub("at " + timestamp + "."), Is.EqualTo("at {Timestamp_1}."), "the whole timestamp is one token");
    }

    [TestCase("2026-03-01")]
    [TestCase("version 12026-03-01T10:00:00")]
    public void TextThatIsNotATimestampIsLeftAlone(string text)
    {
        Assert.That(new SnapshotOptions().Scrub(text), Is.EqualTo(text), "only full date-times are scrubbed");
    }

    [Test]
    public void GuidsBecomeNumberedTokens()
    {
        const string First = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";
        const string Second = "6B29FC40-CA47-1067-B31D-00DD010662DA";

        string scrubbed = new SnapshotOptions().Scrub($"a={First} b={Second} c={First} d={{{Second}}}");

        Assert.That(scrubbed, Is.EqualTo("a={Guid_1} b={Guid_2} c={Guid_1} d={{Guid_2}}"), "GUIDs of either case are numbered by first appearance");
    }

    [Test]
    public void CustomScrubberUsesItsTokenName()
    {
        var options = new SnapshotOptions().AddScrubber(new Regex(@"id=\d+"), "Id");

        string scrubbed = options.Scrub("id=42 id=7 id=42");

        Assert.That(scrubbed, Is.EqualTo("{Id_1} {Id_2} {Id_1}"), "user scrubbers number their tokens like the built-ins");
    }

    [Test]
    public void TokenKindsAreNumberedIndependently()
    {
        var options = new SnapshotOptions().AddScrubber(new Regex(@"id=\d+"), "Id");

        string scrubbed = options.Scrub(
            "id=9 at 2026-01-01T00:00:00Z for 3f2504e0-4f89-11d3-9a0c-0305e82c3301, id=10 at 2026-01-01T00:00:01Z");

        Assert.That(
            scrubbed,
            Is.EqualTo("{Id_1} at {Timestamp_1} for {Guid_1}, {Id_2} at {Timestamp_2}"),
            "each token name keeps its own counter");
    }

    [Test]
    public void CustomScrubberDoesNotMangleBuiltInTokens()
    {
        var options = new SnapshotOptions().AddScrubber(new Regex(@"\d+"), "Number");

        string scrubbed = options.Scrub("count 5 at 2026-01-01T00:00:00Z");

        Assert.That(
            scrubbed,
            Is.EqualTo("count {Number_1} at {Timestamp_1}"),
            "all scrubbers match the original text and the longest match at a position wins");
    }

    [Test]
    public void BuiltInScrubbersCanBeDisabled()
    {
        var options = new SnapshotOptions { UseBuiltInScrubbers = false }.AddScrubber(new Regex(@"id=\d+"), "Id");
        const string Text = "id=1 at 2026-01-01T00:00:00Z for 3f2504e0-4f89-11d3-9a0c-0305e82c3301";

        Assert.That(
            options.Scrub(Text),
            Is.EqualTo("{Id_1} at 2026-01-01T00:00:00Z for 3f2504e0-4f89-11d3-9a0c-0305e82c3301"),
            "with the built-ins off only user scrubbers run");
    }

    [Test]
    public void NumberingRestartsForEachVerification()
    {
        var options = new SnapshotOptions();

        string first = options.Scrub("2026-01-01T00:00:00Z");
        string second = options.Scrub("2027-12-31T23:59:59Z");

        Assert.That(second, Is.EqualTo(first), "every verification numbers its tokens from 1");
    }

    [Test]
    public void VerifierWritesScrubbedTextToTheReceivedFile()
    {
        using var directory = new TemporaryDirectory();
        var options = FakeEnvironment.Options().AddScrubber(new Regex(@"id=\d+"), "Id");
        var verifier = new SnapshotVerifier(directory.Path, options);

        Assert.Throws<AssertionException>(
            () => verifier.Verify("id=3 2026-01-01T00:00:00Z\nid=3 2026-01-01T00:00:00Z\n", "Scrubbed"),
            "a missing snapshot must fail");

        Assert.That(
            File.ReadAllText(verifier.GetReceivedPath("Scrubbed")),
            Is.EqualTo("{Id_1} {Timestamp_1}\n{Id_1} {Timestamp_1}\n"),
            "the received file holds the scrubbed text");
    }

    [Test]
    public void ScrubbedTextMatchesAcrossRuns()
    {
        using var directory = new TemporaryDirectory();
        var verifier = new SnapshotVerifier(directory.Path, FakeEnvironment.Options());
        File.WriteAllText(verifier.GetVerifiedPath("Run"), "started {Timestamp_1} as {Guid_1}\n");

        Assert.DoesNotThrow(
            () => verifier.Verify($"started {DateTimeOffset.UtcNow:O} as {Guid.NewGuid()}", "Run"),
            "run-dependent values are scrubbed before the comparison");
    }

    [TestCase("")]
    [TestCase("Has Space")]
    [TestCase("{Id}")]
    public void InvalidTokenNamesAreRejected(string tokenName)
    {
        Assert.Throws<ArgumentException>(() => new SnapshotScrubber(new Regex("x"), tokenName), "token names are plain identifiers");
    }
}
