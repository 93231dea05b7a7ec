// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Initiator;

/// <summary>The initiator could not run a command: the connection closed, a login was refused.</summary>
public sealed class InitiatorException : Exception
{
    /// <summary>Initializes an exception with no message.</summary>
    public InitiatorException()
    {
    }

    /// <summary>Initializes an exception.</summary>
    /// <param name="message">What went wrong.</param>
    public InitiatorException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes an exception with its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public InitiatorException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
