// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Daemon.Configuration;

/// <summary>Where the LDEVs of a configured controller keep their blocks.</summary>
internal enum StoreKind
{
    /// <summary>Sparse RAM (<c>store ram</c>), the default: nothing on disk, contents lost at exit.</summary>
    Ram = 0,

    /// <summary>One sparse file per LDEV in a directory (<c>store file DIRECTORY</c>).</summary>
    File = 1,
}
