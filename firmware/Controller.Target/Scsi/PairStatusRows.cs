// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Wire.CopyManagement;

namespace Controller.Target.Scsi;

/// <summary>
/// A Copy Management Table row as PAIR STATUS carries it (docs/protocol.md): what the port front answers, and what a
/// pairdisplay of an in-process controller renders, so both show the same row.
/// </summary>
public static class PairStatusRows
{
    /// <summary>The PAIR STATUS row of a pair.</summary>
    /// <param name="pair">The pair.</param>
    /// <returns>Its row, read once: the state first, then the percentage for that state.</returns>
    public static PairStatusRow Of(MirrorPair pair)
    {
        ArgumentNullException.ThrowIfNull(pair);

        // The state read once, and the percentage for it: the copy may end between two reads.
        PairState state = pair.State;
        int? percent = pair.PercentIdenticalIn(state);
        long splitTime = pair.SplitTime is DateTimeOffset time ? (time - DateTimeOffset.UnixEpoch).Ticks * 100 : 0;
        return new PairStatusRow(
            (uint)pair.EntryId,
            new WireVolumeId(pair.PVolAddress),
            new WireVolumeId(pair.SVolAddress),
            (byte)pair.Type,
            (byte)state,
            (byte)pair.SplitMode,
            (byte)pair.MirrorUnit,
            percent is int p ? (byte)p : PairStatusRow.PercentUnknown,
            (ulong)Math.Max(pair.SplitSequence, 0),
            splitTime,
            (ulong)pair.CountDifferentialTracks(),
            pair.MirrorName ?? string.Empty)
        {
            Flags = (byte)((pair.IsSecondary ? PairStatusRow.SecondaryFlag : 0) | (pair.Determining ? PairStatusRow.DeterminingFlag : 0)),
            CopiedTracks = (ulong)Math.Max(pair.TracksCopied, 0),
            CopyTotalTracks = (ulong)Math.Max(pair.CopyTotalTracks, 0),
        };
    }
}
