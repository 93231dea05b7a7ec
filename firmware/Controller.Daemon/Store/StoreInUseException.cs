// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Daemon.Store;

/// <summary>The store directory is locked by another process (another controllerd): this one cannot run (exit code 1).</summary>
internal sealed class StoreInUseException : Exception
{
    /// <summary>Initializes the exception.</summary>
    /// <param name="message">Names the directory and, when it can be read, the holder's pid.</param>
    public StoreInUseException(string message)
        : base(message)
    {
    }
}
