// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim.CrashTest;

/// <summary>The crash test could not go on: the controller would not start, a command it needs was refused, a wait timed out.</summary>
internal sealed class CrashTestException : Exception
{
    /// <summary>Initializes an exception.</summary>
    public CrashTestException()
    {
    }

    /// <summary>Initializes an exception.</summary>
    /// <param name="message">What failed, and where.</param>
    public CrashTestException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes an exception.</summary>
    /// <param name="message">What failed, and where.</param>
    /// <param name="inner">The cause.</param>
    public CrashTestException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
