// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics.CodeAnalysis;

namespace Controller.Addressing;

/// <summary>
/// Cold throw paths, kept out of hot methods so that those stay small enough to inline: the constructors where the
/// wire codec builds a <see cref="PortId"/> per frame, and the core's per-I/O methods (the dotnet/runtime ThrowHelper
/// pattern, docs/style.md item 4).
/// </summary>
/// <remarks>
/// The one throw helper of the product: it lives here, in the assembly below the wire codec and the core, so that
/// every namespace of the core can use it without using a namespace above it (the core's root namespace, where it
/// once was, sits on top of all the others: docs/architecture.md, "Layers inside the core").
/// </remarks>
public static class ThrowHelper
{
    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/>.</summary>
    /// <param name="paramName">The argument's name.</param>
    /// <param name="message">What is wrong with it.</param>
    [DoesNotReturn]
    public static void ThrowArgumentOutOfRange(string paramName, string message)
    {
        throw new ArgumentOutOfRangeException(paramName, message);
    }

    /// <summary>Throws an <see cref="ArgumentException"/>.</summary>
    /// <param name="paramName">The argument's name.</param>
    /// <param name="message">What is wrong with it.</param>
    [DoesNotReturn]
    public static void ThrowArgument(string paramName, string message)
    {
        throw new ArgumentException(message, paramName);
    }

    /// <summary>Throws an <see cref="InvalidOperationException"/>.</summary>
    /// <param name="message">Why the operation is refused.</param>
    [DoesNotReturn]
    public static void ThrowInvalidOperation(string message)
    {
        throw new InvalidOperationException(message);
    }
}
