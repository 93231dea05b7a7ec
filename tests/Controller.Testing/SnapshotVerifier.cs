// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using System.Text;
using NUnit.Framework;

namespace Controller.Testing;

/// <summary>
/// Compares text with committed snapshot files <c>&lt;name&gt;.verified.txt</c> in one directory, in the
/// manner of Verify.NUnit. <see cref="Snapshot.Verify"/> uses it with the directory of the calling test.
/// </summary>
/// <remarks>
/// <para>
/// Both sides are compared after normalising line endings to <c>\n</c> and ending the text with exactly
/// one <c>\n</c>; the received text is scrubbed first (see <see cref="SnapshotOptions"/>).
/// </para>
/// <para>
/// When the snapshot matches, any stale <c>&lt;name&gt;.received.txt</c> is deleted and the check passes.
/// When it is missing or different, the received text is written to <c>&lt;name&gt;.received.txt</c> and
/// the check fails through <see cref="Assert.Fail(string)"/>, unless <see cref="SnapshotOptions.ShouldAutoAccept"/>,
/// in which case the received text becomes the verified file and the check passes.
/// </para>
/// </remarks>
public sealed class SnapshotVerifier
{
    /// <summary>The file-name suffix of a committed, accepted snapshot.</summary>
    public const string VerifiedSuffix = ".verified.txt";

    /// <summary>The file-name suffix of the text produced by a failing check.</summary>
    public const string ReceivedSuffix = ".received.txt";

    /// <summary>The script, relative to the repository root, that accepts every received snapshot.</summary>
    public const string AcceptScript = "tools/accept-snapshots.sh";

    private const int MaxPreviewLines = 40;

    /// <summary>Initialises a verifier for the snapshot files in <paramref name="directory"/>.</summary>
    /// <param name="directory">The directory holding the snapshot files; created on demand.</param>
    /// <param name="options">The scrubbers and environment to use; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is null, empty or white space.</exception>
    public SnapshotVerifier(string directory, SnapshotOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        SnapshotDirectory = Path.GetFullPath(directory);
        Options = options ?? new SnapshotOptions();
    }

    /// <summary>Gets the full path of the directory holding the snapshot files.</summary>
    public string SnapshotDirectory { get; }

    /// <summary>Gets the scrubbers and environment used by <see cref="Verify"/>.</summary>
    public SnapshotOptions Options { get; }

    /// <summary>Gets the path of the verified snapshot file for <paramref name="name"/>.</summary>
    /// <param name="name">The snapshot name, e.g. <c>MyTests.MyMethod</c>.</param>
    /// <returns>The full path of <c>&lt;name&gt;.verified.txt</c>.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a plain file name.</exception>
    public string GetVerifiedPath(string name) => Path.Combine(SnapshotDirectory, ValidateName(name) + VerifiedSuffix);

    /// <summary>Gets the path of the received snapshot file for <paramref name="name"/>.</summary>
    /// <param name="name">The snapshot name, e.g. <c>MyTests.MyMethod</c>.</param>
    /// <returns>The full path of <c>&lt;name&gt;.received.txt</c>.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a plain file name.</exception>
    public string GetReceivedPath(string name) => Path.Combine(SnapshotDirectory, ValidateName(name) + ReceivedSuffix);

    /// <summary>
    /// Asserts that <paramref name="actual"/>, once scrubbed and normalised, equals the snapshot
    /// <c>&lt;name&gt;.verified.txt</c>.
    /// </summary>
    /// <param name="actual">The text to check.</param>
    /// <param name="name">The snapshot name, e.g. <c>MyTests.MyMethod</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="actual"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a plain file name.</exception>
    /// <exception cref="AssertionException">The snapshot is missing or different (and not auto-accepted).</exception>
    public void Verify(string actual, string name)
    {
        ArgumentNullException.ThrowIfNull(actual);
        string verifiedPath = GetVerifiedPath(name);
        string receivedPath = GetReceivedPath(name);

        string received = Prepare(actual);
        string? verified = File.Exists(verifiedPath)
            ? SnapshotText.Normalize(File.ReadAllText(verifiedPath, SnapshotText.FileEncoding))
            : null;

        if (string.Equals(verified, received, StringComparison.Ordinal))
        {
            File.Delete(receivedPath);
            return;
        }

        Directory.CreateDirectory(SnapshotDirectory);
        if (Options.ShouldAutoAccept)
        {
            File.WriteAllText(verifiedPath, received, SnapshotText.FileEncoding);
            File.Delete(receivedPath);
            TestContext.Out.WriteLine(
                $"Snapshot '{name}' auto-accepted ({SnapshotOptions.AcceptVariable} is set): wrote {verifiedPath}");
            return;
        }

        File.WriteAllText(receivedPath, received, SnapshotText.FileEncoding);
        string message = verified is null
            ? MissingMessage(name, verifiedPath, receivedPath, received)
            : ChangedMessage(name, verifiedPath, receivedPath, verified, received);
        Assert.Fail(message);
    }

    private string Prepare(string actual)
    {
        string unified = SnapshotText.Normalize(actual);
        string scrubbed = Options.Scrub(unified);
        return SnapshotText.RoundTrip(SnapshotText.Normalize(scrubbed));
    }

    private string MissingMessage(string name, string verifiedPath, string receivedPath, string received)
    {
        var builder = new StringBuilder();
        builder.Append(CultureInfo.InvariantCulture, $"Snapshot '{name}' has no verified file.").AppendLine();
        builder.Append(CultureInfo.InvariantCulture, $"  verified (missing): {verifiedPath}").AppendLine();
        builder.Append(CultureInfo.InvariantCulture, $"  received (written): {receivedPath}").AppendLine();
        AppendHowToAccept(builder);
        builder.AppendLine("Received text:");
        string[] lines = received.TrimEnd('\n').Split('\n');
        foreach (string line in lines.Take(MaxPreviewLines))
        {
            builder.Append("  ").AppendLine(line);
        }

        if (lines.Length > MaxPreviewLines)
        {
            builder.Append(CultureInfo.InvariantCulture, $"  ... ({lines.Length - MaxPreviewLines} more lines)").AppendLine();
        }

        return builder.ToString();
    }

    private string ChangedMessage(string name, string verifiedPath, string receivedPath, string verified, string received)
    {
        (int lineNumber, string? expectedLine, string? receivedLine) = SnapshotText.FirstDifference(verified, received);
        var builder = new StringBuilder();
        builder.Append(CultureInfo.InvariantCulture, $"Snapshot '{name}' does not match its verified file.").AppendLine();
        builder.Append(CultureInfo.InvariantCulture, $"First difference at line {lineNumber}:").AppendLine();
        builder.Append(CultureInfo.InvariantCulture, $"  expected: {Describe(expectedLine)}").AppendLine();
        builder.Append(CultureInfo.InvariantCulture, $"  received: {Describe(receivedLine)}").AppendLine();
        builder.Append(CultureInfo.InvariantCulture, $"  verified: {verifiedPath}").AppendLine();
        builder.Append(CultureInfo.InvariantCulture, $"  received (written): {receivedPath}").AppendLine();
        AppendHowToAccept(builder);
        return builder.ToString();
    }

    private void AppendHowToAccept(StringBuilder builder)
    {
        builder.AppendLine(
            "To accept the received text, rename the .received.txt file to .verified.txt, or run "
            + AcceptScript + " from the repository root.");
        if (Options.IsAutoAcceptRequested && Options.IsContinuousIntegration)
        {
            builder.AppendLine(
                SnapshotOptions.AcceptVariable + " is ignored because " + SnapshotOptions.CiVariable
                + " is true: snapshots are never auto-accepted in CI.");
        }
    }

    private static string Describe(string? line) => line is null ? "(end of file)" : "\"" + line + "\"";

    private static string ValidateName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.IndexOfAny(['/', '\\']) >= 0
            || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0
            || name is "." or "..")
        {
            throw new ArgumentException($"Snapshot name '{name}' must be a plain file name.", nameof(name));
        }

        return name;
    }
}
