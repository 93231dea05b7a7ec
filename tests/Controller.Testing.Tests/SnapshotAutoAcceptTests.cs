// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using NUnit.Framework;

namespace Controller.Testing.Tests;

public sealed class SnapshotAutoAcceptTests
{
    private const string Name = "AcceptTests.Sample";

    private TemporaryDirectory _directory = null!;

    [SetUp]
    public void SetUp() => _directory = new TemporaryDirectory();

    [TearDown]
    public void TearDown() => _directory.Dispose();

    [TestCase("true")]
    [TestCase("TRUE")]
    [TestCase("True")]
    public void CiTrueNeverAutoAcceptsAMissingSnapshot(string ci)
    {
        var verifier = new SnapshotVerifier(_directory.Path, FakeEnvironment.Options(("CI", ci), ("SNAPSHOT_ACCEPT", "1")));

        var exception = Assert.Throws<AssertionException>(() => verifier.Verify("alpha", Name), "CI must fail a missing snapshot");

        Assert.Multiple(() =>
        {
            Assert.That(File.Exists(verifier.GetVerifiedPath(Name)), Is.False, "CI never writes a verified file");
            Assert.That(File.Exists(verifier.GetReceivedPath(Name)), Is.True, "CI still writes the received file");
            Assert.That(exception.Message, Does.Contain("never auto-accepted in CI"), "the message explains why SNAPSHOT_ACCEPT was ignored");
        });
    }

    [Test]
    public void CiTrueNeverAutoAcceptsAChangedSnapshot()
    {
        var verifier = new SnapshotVerifier(_directory.Path, FakeEnvironment.Options(("CI", "true"), ("SNAPSHOT_ACCEPT", "1")));
        File.WriteAllText(verifier.GetVerifiedPath(Name), "old\n");

        Assert.Throws<AssertionException>(() => verifier.Verify("new", Name), "CI must fail a changed snapshot");

        Assert.That(File.ReadAllText(verifier.GetVerifiedPath(Name)), Is.EqualTo("old\n"), "CI leaves the verified file alone");
    }

    [Test]
    public void SnapshotAcceptWithoutCiAcceptsAMissingSnapshot()
    {
        var verifier = new SnapshotVerifier(_directory.Path, FakeEnvironment.Options(("SNAPSHOT_ACCEPT", "1")));

        Assert.DoesNotThrow(() => verifier.Verify("alpha\r\n", Name), "auto-accept passes a missing snapshot");

        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllText(verifier.GetVerifiedPath(Name)), Is.EqualTo("alpha\n"), "the normalised text becomes the verified file");
            Assert.That(File.Exists(verifier.GetReceivedPath(Name)), Is.False, "no received file is left behind");
        });
    }

    [TestCase("false")]
    [TestCase("0")]
    [TestCase("")]
    public void SnapshotAcceptWithCiNotTrueAcceptsAChangedSnapshot(string ci)
    {
        var verifier = new SnapshotVerifier(_directory.Path, FakeEnvironment.Options(("CI", ci), ("SNAPSHOT_ACCEPT", "1")));
        File.WriteAllText(verifier.GetVerifiedPath(Name), "old\n");
        File.WriteAllText(verifier.GetReceivedPath(Name), "stale\n");

        Assert.DoesNotThrow(() => verifier.Verify("new", Name), "auto-accept passes a changed snapshot");

        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllText(verifier.GetVerifiedPath(Name)), Is.EqualTo("new\n"), "the received text replaces the verified file");
            Assert.That(File.Exists(verifier.GetReceivedPath(Name)), Is.False, "the stale received file is removed");
        });
    }

    [TestCase(null)]
    [TestCase("0")]
    [TestCase("yes please")]
    public void WithoutSnapshotAcceptNothingIsAccepted(string? accept)
    {
        var options = accept is null ? FakeEnvironment.Options() : FakeEnvironment.Options(("SNAPSHOT_ACCEPT", accept));
        var verifier = new SnapshotVerifier(_directory.Path, options);

        Assert.Throws<AssertionException>(() => verifier.Verify("alpha", Name), "without the opt-in a missing snapshot fails");

        Assert.That(File.Exists(verifier.GetVerifiedPath(Name)), Is.False, "nothing is accepted without the opt-in");
    }

    [Test]
    public void OptionsReportTheEnvironmentTheyWereGiven()
    {
        var options = FakeEnvironment.Options(("CI", "True"), ("SNAPSHOT_ACCEPT", "TRUE"));

        Assert.Multiple(() =>
        {
            Assert.That(options.IsContinuousIntegration, Is.True, "CI=True is a CI run");
            Assert.That(options.IsAutoAcceptRequested, Is.True, "SNAPSHOT_ACCEPT=TRUE requests auto-accept");
            Assert.That(options.ShouldAutoAccept, Is.False, "CI wins over the opt-in");
        });
    }
}
