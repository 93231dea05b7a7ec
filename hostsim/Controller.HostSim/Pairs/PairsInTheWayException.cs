// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim.Pairs;

/// <summary>
/// A scenario refused to start: pairs it does not own (see <see cref="OwnedPairs"/>) are on volumes it needs. The
/// message names each pair (P-VOL, S-VOL, state, mirror name) and says how to clear it; nothing was changed.
/// </summary>
internal sealed class PairsInTheWayException : InvalidOperationException
{
    /// <summary>Initializes the exception.</summary>
    public PairsInTheWayException()
    {
    }

    /// <summary>Initializes the exception.</summary>
    /// <param name="message">The pairs in the way and how to clear them.</param>
    public PairsInTheWayException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public PairsInTheWayException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
