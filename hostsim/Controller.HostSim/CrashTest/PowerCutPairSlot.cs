// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;

namespace Controller.HostSim.CrashTest;

/// <summary>
/// One P-VOL/S-VOL couple of a power-cut run and what its pair row may be kept as: every value the row took
/// (<see cref="Observe"/>), and the floor, the value it had when a commit or a checkpoint last returned. The kept
/// row must be a value from the floor on: one from before it means an answered change was lost.
/// </summary>
/// <param name="index">The couple's index (its P-VOL's in the ledger).</param>
/// <param name="pVol">The P-VOL's address.</param>
/// <param name="sVol">The S-VOL's address.</param>
internal sealed class PowerCutPairSlot(int index, VolumeAddress pVol, VolumeAddress sVol)
{
    private readonly List<PowerCutRow> _seen = [PowerCutRow.Absent];
    private int _floor;

    /// <summary>Gets the couple's index.</summary>
    public int Index { get; } = index;

    /// <summary>Gets the P-VOL's address.</summary>
    public VolumeAddress PVol { get; } = pVol;

    /// <summary>Gets the S-VOL's address.</summary>
    public VolumeAddress SVol { get; } = sVol;

    /// <summary>
    /// Gets or sets the window of an answered split whose S-VOL image must be kept exactly (the run's clock at the
    /// command and at its answer), or null: none, or a later command may have changed the S-VOL.
    /// </summary>
    public (long Start, long Answer)? SplitImage { get; set; }

    /// <summary>Gets the row's value now (the last observed).</summary>
    public PowerCutRow Current => _seen[^1];

    /// <summary>Records the row's value now.</summary>
    /// <param name="row">The value.</param>
    public void Observe(PowerCutRow row)
    {
        if (row != _seen[^1])
        {
            _seen.Add(row);
        }
    }

    /// <summary>A commit or a checkpoint returned that began with the row as last observed: nothing older may be kept.</summary>
    public void Kept()
    {
        _floor = _seen.Count - 1;
    }

    /// <summary>Tells whether a restored row is one the restart table allows from a value the row may have been kept as.</summary>
    /// <param name="restored">The row after the restart.</param>
    /// <returns>True when allowed.</returns>
    public bool Allows(PowerCutRow restored)
    {
        for (int i = _floor; i < _seen.Count; i++)
        {
            if (_seen[i].MayRestartAs(restored))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Describes the values the row may have been kept as.</summary>
    /// <returns>One line.</returns>
    public string DescribeAllowed()
    {
        List<string> values = [];
        for (int i = _floor; i < _seen.Count; i++)
        {
            values.Add(_seen[i].ToString());
        }

        return string.Join(" | ", values);
    }
}
