// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Target;

/// <summary>The high-water mark of a counter that many threads move: raised lock-free, never lowered.</summary>
internal static class PeakGauge
{
    /// <summary>Raises <paramref name="peak"/> to <paramref name="value"/> if it is higher (compare-and-swap until it holds).</summary>
    /// <param name="peak">The mark.</param>
    /// <param name="value">The counter's value just now.</param>
    public static void Raise(ref long peak, long value)
    {
        long seen = Volatile.Read(ref peak);
        while (value > seen)
        {
            long before = Interlocked.CompareExchange(ref peak, value, seen);
            if (before == seen)
            {
                return;
            }

            seen = before;
        }
    }
}
