// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using NUnit.Framework;

namespace Controller.Testing;

/// <summary>
/// The shared folder beside the checkout (<c>../shared</c>): the real block traces the tests read in place
/// (they are not copied into the repository; see NOTICE). CI has it too.
/// </summary>
public static class SharedData
{
    /// <summary>Gets the path of a trace in <c>../shared/data/traces</c>, failing the test with a clear message if the folder is missing.</summary>
    /// <param name="name">The file's name.</param>
    /// <returns>The full path.</returns>
    public static string Trace(string name)
    {
        string path = Path.Combine(TracesFolder, name);
        if (!File.Exists(path))
        {
            Assert.Fail("the shared trace " + path + " is missing: the tests read ../shared/data/traces beside the checkout");
        }

        return path;
    }

    /// <summary>Gets <c>../shared/data/traces</c>.</summary>
    public static string TracesFolder => Path.Combine(RepositoryRoot, "..", "shared", "data", "traces");

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
