// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using NUnit.Framework;

namespace Controller.Testing.Tests;

public sealed class SnapshotNormalisationPropertyTests
{
    private TemporaryDirectory _directory = null!;
    private int _case;

    [SetUp]
    public void SetUp() => _directory = new TemporaryDirectory();

    [TearDown]
    public void TearDown() => _directory.Dispose();

    [FsCheck.NUnit.Property]
    [SuppressMessage("Structure", "NUnit1027", Justification = "FsCheck supplies the arguments.")]
    public void AcceptedTextAlwaysMatchesItselfWithAnyLineEndingStyle(string[] lines)
    {
        // FsCheck may supply null elements and embedded line breaks; keep each element to one line.
        string[] clean = (lines ?? [])
            .Select(line => (line ?? string.Empty)
                .Replace("\r", string.Empty, StringComparison.Ordinal)
                .Replace("\n", string.Empty, StringComparison.Ordinal))
            .ToArray();
        string name = "Case" + (++_case).ToString(CultureInfo.InvariantCulture);
        var accepting = new SnapshotVerifier(_directory.Path, FakeEnvironment.Options(("SNAPSHOT_ACCEPT", "1")));
        var strict = new SnapshotVerifier(_directory.Path, FakeEnvironment.Options());

        accepting.Verify(string.Join('\n', clean), name);

        Assert.DoesNotThrow(
            () => strict.Verify(string.Join("\r\n", clean) + "\r\n\r\n", name),
            "the same lines with CRLF endings and extra trailing newlines must match");
    }
}
