// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics.CodeAnalysis;

namespace Controller.Firmware;

/// <summary>
/// Cold throw paths, kept out of hot methods so that those stay small enough to inline
/// (the dotnet/runtime ThrowHelper pattern).
/// </summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowArgumentOutOfRange(string paramName, string message)
    {
        throw new ArgumentOutOfRangeException(paramName, message);
    }

    [DoesNotReturn]
    public static void ThrowArgument(string paramName, string message)
    {
        throw new ArgumentException(message, paramName);
    }

    [DoesNotReturn]
    public static void ThrowInvalidOperation(string message)
    {
        throw new InvalidOperationException(message);
    }

    [DoesNotReturn]
    public static void ThrowTrackOutOfRange(long track, long trackCount)
    {
        throw new ArgumentOutOfRangeException(nameof(track), track,
            "track " + track + " is outside the bitmap's 0.." + (trackCount - 1) + " tracks");
    }
}
