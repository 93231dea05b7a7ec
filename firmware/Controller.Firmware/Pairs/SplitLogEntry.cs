// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.Pairs;

/// <summary>
/// One entry of the split log as it is kept: the values of an <see cref="AtomicSplitEvent"/> with its words still
/// unformatted (<see cref="SplitNote"/>), so that logging under the table's lock formats nothing.
/// </summary>
/// <param name="Time">The scheduler's time.</param>
/// <param name="Sequence">The write sequence number at the event.</param>
/// <param name="SplitId">The split's number here (0: none was made).</param>
/// <param name="Phase">The phase.</param>
/// <param name="Detail">The words, formatted when read.</param>
internal readonly record struct SplitLogEntry(DateTimeOffset Time, long Sequence, int SplitId, AtomicSplitPhase Phase, SplitNote Detail)
{
    /// <summary>Formats the entry (outside the lock).</summary>
    /// <returns>The event.</returns>
    public AtomicSplitEvent ToEvent()
    {
        return new AtomicSplitEvent(Time, Sequence, SplitId, Phase, Detail.ToString());
    }
}
