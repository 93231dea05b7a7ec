// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using NUnit.Framework;

namespace Controller.Testing.Tests;

public sealed class SnapshotVerifierTests
{
    private const string Name = "SampleTests.SampleMethod";

    private TemporaryDirectory _directory = null!;
    private SnapshotVerifier _verifier = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = new TemporaryDirectory();
        _verifier = new SnapshotVerifier(_directory.Path, FakeEnvironment.Options());
    }

    [TearDown]
    public void TearDown() => _directory.Dispose();

    [Test]
    public void MissingSnapshotFailsAndWritesReceivedFile()
    {
        Assert.Throws<AssertionException>(
            () => _verifier.Verify("alpha\nbeta\n", Name),
            "a missing snapshot must fail the assertion");

        Assert.Multiple(() =>
        {
            Assert.That(File.Exists(_verifier.GetReceivedPath(Name)), Is.True, "the received file is written beside the verified one");
            Assert.That(File.ReadAllText(_verifier.GetReceivedPath(Name)), Is.EqualTo("alpha\nbeta\n"), "the received file holds the actual text");
            Assert.That(File.Exists(_verifier.GetVerifiedPath(Name)), Is.False, "a failing check never writes the verified file");
        });
    }

    [Test]
    public void MissingSnapshotMessageExplainsHowToAccept()
    {
        var exception = Assert.Throws<AssertionException>(
            () => _verifier.Verify("alpha", Name),
            "a missing snapshot must fail the assertion");

        Assert.That(
            exception.Message,
            Does.Contain("rename the .received.txt file to .verified.txt").And.Contain("tools/accept-snapshots.sh").And.Contain(Name + ".received.txt"),
            "the message names the received file and both ways to accept it");
    }

    [Test]
    public void SnapshotFilesAreNamedAfterTheSnapshotInTheConfiguredDirectory()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_verifier.GetVerifiedPath(Name), Is.EqualTo(Path.Combine(_directory.Path, Name + ".verified.txt")), "verified path");
            Assert.That(_verifier.GetReceivedPath(Name), Is.EqualTo(Path.Combine(_directory.Path, Name + ".received.txt")), "received path");
        });
    }

    [Test]
    public void MatchingSnapshotPasses()
    {
        File.WriteAllText(_verifier.GetVerifiedPath(Name), "alpha\nbeta\n");

        Assert.DoesNotThrow(() => _verifier.Verify("alpha\nbeta\n", Name), "identical text must pass");
    }

    [Test]
    public void MatchingSnapshotRemovesStaleReceivedFile()
    {
        File.WriteAllText(_verifier.GetVerifiedPath(Name), "alpha\n");
        File.WriteAllText(_verifier.GetReceivedPath(Name), "left over from an earlier failure\n");

        _verifier.Verify("alpha", Name);

        Assert.That(File.Exists(_verifier.GetReceivedPath(Name)), Is.False, "a passing check deletes the stale received file");
    }

    [Test]
    public void ChangedSnapshotFailsAndWritesReceivedFile()
    {
        File.WriteAllText(_verifier.GetVerifiedPath(Name), "alpha\nbeta\n");

        Assert.Throws<AssertionException>(() => _verifier.Verify("alpha\ngamma\n", Name), "a changed snapshot must fail the assertion");

        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllText(_verifier.GetReceivedPath(Name)), Is.EqualTo("alpha\ngamma\n"), "the received file holds the new text");
            Assert.That(File.ReadAllText(_verifier.GetVerifiedPath(Name)), Is.EqualTo("alpha\nbeta\n"), "the verified file is left alone");
        });
    }

    [Test]
    public void ChangedSnapshotMessageShowsFirstDifferingLine()
    {
        File.WriteAllText(_verifier.GetVerifiedPath(Name), "line one\nline two\nline three\nline four\n");

        var exception = Assert.Throws<AssertionException>(
            () => _verifier.Verify("line one\nline two\nline 3\nline 4\n", Name),
            "a changed snapshot must fail the assertion");

        Assert.That(
            exception.Message,
            Does.Contain("line 3:").And.Contain("expected: \"line three\"").And.Contain("received: \"line 3\"").And.Not.Contain("line four"),
            "the message shows the 1-based number and both versions of the first differing line only");
    }

    [Test]
    public void ShorterReceivedTextReportsEndOfFile()
    {
        File.WriteAllText(_verifier.GetVerifiedPath(Name), "alpha\nbeta\n");

        var exception = Assert.Throws<AssertionException>(() => _verifier.Verify("alpha\n", Name), "a truncated snapshot must fail");

        Assert.That(
            exception.Message,
            Does.Contain("line 2:").And.Contain("expected: \"beta\"").And.Contain("received: (end of file)"),
            "a side that has run out of lines is shown as the end of the file");
    }

    [TestCase("alpha\r\nbeta\r\n")]
    [TestCase("alpha\nbeta")]
    [TestCase("alpha\rbeta\n\n\n")]
    [TestCase("\uFEFFalpha\nbeta\n")]
    public void LineEndingsAndTrailingNewlinesDoNotMatter(string actual)
    {
        File.WriteAllText(_verifier.GetVerifiedPath(Name), "alpha\r\nbeta");

        Assert.DoesNotThrow(() => _verifier.Verify(actual, Name), "only the line ending style or the trailing newlines differ");
    }

    [Test]
    public void ReceivedFileUsesLfAndOneTrailingNewline()
    {
        Assert.Throws<AssertionException>(() => _verifier.Verify("alpha\r\nbeta\r\n\r\n", Name), "a missing snapshot must fail");

        Assert.That(File.ReadAllText(_verifier.GetReceivedPath(Name)), Is.EqualTo("alpha\nbeta\n"), "the received file is normalised");
    }

    [TestCase("")]
    [TestCase(" ")]
    [TestCase("sub/dir")]
    [TestCase("..")]
    public void InvalidSnapshotNamesAreRejected(string name)
    {
        Assert.Throws<ArgumentException>(() => _verifier.Verify("alpha", name), "the name must be a plain file name");
    }
}
