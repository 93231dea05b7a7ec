// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Media;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.RemoteCopy;
using Controller.Firmware.Volumes;

namespace Controller.Firmware.Pairs;

/// <summary>
/// The pairs of one volume, as the write path sees them: the mirrors it is the P-VOL of (up to three local ones)
/// and the pairs it is the S-VOL of: at most one that mirrors into it, plus split ones (FIG 12: LV4 is the split
/// S-VOL of LV2 -> LV4 and the S-VOL of the new mirror LV3 -> LV4). Immutable; the Copy Management Table publishes a
/// new one.
/// </summary>
internal sealed class VolumePairing : LdevAttachment
{
    /// <summary>The pairing of a volume in no pair (SMPL).</summary>
    public static readonly VolumePairing None = new([], []);

    public VolumePairing(MirrorPair[] asPVol, MirrorPair[] asSVols)
    {
        AsPVol = asPVol;
        AsSVols = asSVols;
        AsSVol = Array.Find(asSVols, pair => pair.State is not (PairState.Psus or PairState.Psue)) ?? (asSVols.Length > 0 ? asSVols[0] : null);
    }

    /// <summary>Gets every pair whose S-VOL this volume is.</summary>
    public MirrorPair[] AsSVols { get; }

    /// <summary>Gets the pairs whose P-VOL this volume is, in mirror-unit order.</summary>
    public MirrorPair[] AsPVol { get; }

    /// <summary>Gets the pair that feeds this volume (the one not split, if any; else the first), if any.</summary>
    public MirrorPair? AsSVol { get; }

    /// <summary>Gets whether the volume is in no pair at all.</summary>
    public bool IsSimplex => AsPVol.Length == 0 && AsSVol is null;

    /// <summary>Tells whether a host may write the volume now (vendor tables T4b/T4c, via <see cref="HostWriteAccess"/>).</summary>
    /// <returns>Good; WriteProtected when one of its pairs protects it; Fenced when a remote mirror with fence level data is suspended by error.</returns>
    public MediaStatus AdmitHostWrite()
    {
        foreach (MirrorPair upstream in AsSVols)
        {
            if (!HostWriteAccess.IsAllowed(upstream.State, PairRole.SVol, upstream.SplitMode))
            {
                return MediaStatus.WriteProtected;
            }
        }

        foreach (MirrorPair pair in AsPVol)
        {
            PairState state = pair.State;
            if (!HostWriteAccess.IsAllowed(state, PairRole.PVol, pair.SplitMode) || (state == PairState.Psus && pair.PVolProtected))
            {
                return MediaStatus.WriteProtected;
            }

            if (state == PairState.Psue && pair.Fence == FenceLevel.Data)
            {
                return MediaStatus.Fenced;
            }
        }

        return MediaStatus.Good;
    }
}
