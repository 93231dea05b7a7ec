// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Daemon.Tests;

/// <summary>Finds files of the repository (the sample configuration in docs/) from the test's output directory.</summary>
internal static class RepositoryRoot
{
    /// <summary>Walks up from the test directory to the one that holds Controller.sln.</summary>
    /// <returns>The repository root.</returns>
    public static string Find()
    {
        DirectoryInfo? directory = new(TestContext.CurrentContext.TestDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Controller.sln")))
        {
            directory = directory.Parent;
        }

        Assert.That(directory, Is.Not.Null, "Controller.sln is above " + TestContext.CurrentContext.TestDirectory);
        return directory!.FullName;
    }

    /// <summary>Gets the path of a file in the repository.</summary>
    /// <param name="relativePath">The path from the root, with '/' separators.</param>
    /// <returns>The full path.</returns>
    public static string PathOf(string relativePath)
    {
        return Path.Combine(Find(), relativePath);
    }
}
