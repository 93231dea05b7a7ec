// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics.CodeAnalysis;

namespace Controller.Addressing;

/// <summary>
/// Cold throw paths, kept out of the constructors so that those stay small enough to inline where the wire codec
/// builds a <see cref="PortId"/> per frame (the dotnet/runtime ThrowHelper pattern, docs/style.md item 4).
/// </summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowArgumentOutOfRange(string paramName, string message)
    {
        throw new ArgumentOutOfRangeException(paramName, message);
    }
}
