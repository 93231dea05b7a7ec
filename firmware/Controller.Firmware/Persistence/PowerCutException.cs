// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.Persistence;

/// <summary>
/// Thrown by <see cref="PowerCutFileSystem"/> at the operation its cut was armed for, and at every operation after it
/// until <see cref="PowerCutFileSystem.CutPower"/>: the power is gone, so the controller that made the call never
/// gets to answer anything after it. A test rig catches it where it drives the controller; firmware never does.
/// </summary>
public sealed class PowerCutException : Exception
{
    /// <summary>Initializes an exception with a default message.</summary>
    public PowerCutException()
        : base("the power was cut")
    {
    }

    /// <summary>Initializes an exception with a message.</summary>
    /// <param name="message">What was cut off.</param>
    public PowerCutException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes an exception with a message and a cause.</summary>
    /// <param name="message">What was cut off.</param>
    /// <param name="innerException">The cause.</param>
    public PowerCutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
