// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using NUnit.Framework;

namespace Controller.Testing;

/// <summary>
/// The test data in the repository (<c>tests/data</c>), and the optional external traces that may not be
/// redistributed (their folder is named by <see cref="ExternalTracesVariable"/>).
/// </summary>
public static class TestData
{
    /// <summary>The environment variable that names a folder of optional external traces (e.g. the CloudPhysics sample).</summary>
    public const string ExternalTracesVariable = "CONTROLLER_EXTERNAL_TRACES";

    /// <summary>Gets <c>tests/data/traces</c> in the checkout.</summary>
    public static string TracesFolder => Path.Combine(RepositoryRoot, "tests", "data", "traces");

    /// <summary>Gets the path of a trace in <c>tests/data/traces</c>, failing the test if it is missing (it is part of the repository).</summary>
    /// <param name="name">The file's name.</param>
    /// <returns>The full path.</returns>
    public static string Trace(string name)
    {
        string path = Path.Combine(TracesFolder, name);
        if (!File.Exists(path))
        {
            Assert.Fail("the test trace " + path + " is missing: it is part of the repository (tests/data/traces/SOURCES.md)");
        }

        return path;
    }

    /// <summary>
    /// Gets the path of an optional external trace in the folder <see cref="ExternalTracesVariable"/> names; when the
    /// variable is unset or the file is not there, the test is reported as ignored with the variable and the path.
    /// </summary>
    /// <param name="name">The file's name.</param>
    /// <returns>The full path.</returns>
    public static string ExternalTrace(string name)
    {
        string? folder = Environment.GetEnvironmentVariable(ExternalTracesVariable);
        if (string.IsNullOrWhiteSpace(folder))
        {
            Assert.Ignore("optional external trace " + name + " not checked: " + ExternalTracesVariable + " is not set (set it to the folder that holds " + name + ")");
        }

        string path = Path.GetFullPath(Path.Combine(folder!, name));
        if (!File.Exists(path))
        {
            Assert.Ignore("optional external trace " + name + " not checked: " + ExternalTracesVariable + "=" + folder + ", and " + path + " does not exist");
        }

        return path;
    }

    /// <summary>Gets the checkout's root: the nearest folder above the test assembly that holds Controller.sln.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "Controller.sln")))
                {
                    return folder.FullName;
                }
            }

            throw new InvalidOperationException("no Controller.sln above " + AppContext.BaseDirectory);
        }
    }
}
