// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;

namespace Controller.Firmware.PairVocabulary;

/// <summary>
/// Which atomic split produced a split pair: the serial number of the subsystem that coordinated it and its split
/// number there. Every member of one split, in either subsystem, carries the same identity; FIG 12's no-copy create
/// asks that both volumes carry one.
/// </summary>
/// <param name="Serial">The coordinating subsystem's serial number.</param>
/// <param name="SplitId">The split's number in that subsystem (from 1).</param>
public readonly record struct SplitIdentity(int Serial, int SplitId)
{
    /// <summary>Gets whether this names a split (the default names none).</summary>
    public bool IsSome => SplitId != 0;

    /// <summary>Formats as "serial#split", e.g. "1#7".</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        return Serial.ToString(CultureInfo.InvariantCulture) + "#" + SplitId.ToString(CultureInfo.InvariantCulture);
    }
}
