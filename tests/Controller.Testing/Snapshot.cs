// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Runtime.CompilerServices;
using System.Text;
using NUnit.Framework;

namespace Controller.Testing;

/// <summary>
/// Snapshot assertions for NUnit tests, in the manner of Verify.NUnit: the text is compared with
/// <c>&lt;TestClass&gt;.&lt;TestMethod&gt;.verified.txt</c> beside the calling test's source file.
/// </summary>
/// <example>
/// <code>
/// [Test]
/// public void StatusPageIsStable()
/// {
///     Snapshot.Verify(controller.RenderStatusPage());
/// }
/// </code>
/// </example>
public static class Snapshot
{
    /// <summary>
    /// Asserts that <paramref name="actual"/> matches the committed snapshot of the calling test; see
    /// <see cref="SnapshotVerifier"/> for the comparison, scrubbing and auto-accept rules.
    /// </summary>
    /// <param name="actual">The text to check.</param>
    /// <param name="name">
    /// An optional suffix for tests with several snapshots (and for parameterised tests, whose cases
    /// would otherwise share one file): the file becomes
    /// <c>&lt;TestClass&gt;.&lt;TestMethod&gt;.&lt;name&gt;.verified.txt</c>.
    /// </param>
    /// <param name="options">The scrubbers and environment to use; <see langword="null"/> for the defaults.</param>
    /// <param name="sourceFilePath">Supplied by the compiler: the calling source file. Do not pass.</param>
    /// <param name="memberName">Supplied by the compiler: the calling member. Do not pass.</param>
    /// <exception cref="AssertionException">The snapshot is missing or different (and not auto-accepted).</exception>
    /// <exception cref="InvalidOperationException">The calling source file's directory does not exist.</exception>
    public static void Verify(
        string actual,
        string? name = null,
        SnapshotOptions? options = null,
        [CallerFilePath] string sourceFilePath = "",
        [CallerMemberName] string memberName = "")
    {
        string baseName = GetSnapshotName(sourceFilePath, memberName);
        string fullName = string.IsNullOrEmpty(name) ? baseName : baseName + "." + name;
        var verifier = new SnapshotVerifier(GetSourceDirectory(sourceFilePath), options);
        verifier.Verify(actual, fullName);
    }

    /// <summary>
    /// Gets the default snapshot name <c>&lt;TestClass&gt;.&lt;TestMethod&gt;</c> of the running NUnit test,
    /// falling back to the source file name and calling member outside a test.
    /// </summary>
    /// <param name="sourceFilePath">Supplied by the compiler: the calling source file. Do not pass.</param>
    /// <param name="memberName">Supplied by the compiler: the calling member. Do not pass.</param>
    /// <returns>The snapshot name.</returns>
    public static string GetSnapshotName(
        [CallerFilePath] string sourceFilePath = "",
        [CallerMemberName] string memberName = "")
    {
        TestContext.TestAdapter test = TestContext.CurrentContext.Test;
        string className = test.Type is { } type ? GetTypeName(type) : Path.GetFileNameWithoutExtension(sourceFilePath);
        string methodName = string.IsNullOrEmpty(test.MethodName) ? memberName : test.MethodName;
        return Sanitize(className) + "." + Sanitize(methodName);
    }

    private static string GetSourceDirectory(string sourceFilePath)
    {
        string? directory = string.IsNullOrEmpty(sourceFilePath) ? null : Path.GetDirectoryName(sourceFilePath);
        if (string.IsNullOrEmpty(directory) || !Directory.Exists(directory))
        {
            throw new InvalidOperationException(
                $"Cannot find the directory of the calling source file '{sourceFilePath}'. Snapshot files live "
                + "beside the test source, so the test project must be built with real source paths (no "
                + "PathMap, DeterministicSourcePaths or ContinuousIntegrationBuild), or use SnapshotVerifier "
                + "with an explicit directory.");
        }

        return directory;
    }

    private static string GetTypeName(Type type)
    {
        string name = type.Name;
        int arity = name.IndexOf('`', StringComparison.Ordinal);
        if (arity >= 0)
        {
            name = name[..arity];
        }

        return type.DeclaringType is { } outer ? GetTypeName(outer) + "." + name : name;
    }

    private static string Sanitize(string part)
    {
        char[] invalid = Path.GetInvalidFileNameChars();
        var builder = new StringBuilder(part.Length);
        foreach (char c in part)
        {
            builder.Append(c == '/' || c == '\\' || Array.IndexOf(invalid, c) >= 0 ? '_' : c);
        }

        return builder.ToString();
    }
}
