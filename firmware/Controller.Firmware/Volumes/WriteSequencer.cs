// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.Volumes;

/// <summary>
/// The controller-wide write sequence (docs/architecture.md decision 1): every admitted host write takes the next
/// number before it touches media, so a write issued after another completed always has the larger number and
/// a cut of the sequence is a consistent cut. Pair events and split points are stamped with it.
/// </summary>
public sealed class WriteSequencer
{
    private long _last;

    /// <summary>Gets the last number handed out (0 before the first write).</summary>
    public long Current => Volatile.Read(ref _last);

    /// <summary>Takes the next number; lock-free, safe from any thread.</summary>
    /// <returns>The number, starting at 1.</returns>
    public long Next()
    {
        return Interlocked.Increment(ref _last);
    }
}
