// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Addressing;
using Controller.Firmware.Bitmaps;
using Controller.Firmware.Volumes;

namespace Controller.Firmware.Pairs;

/// <summary>
/// The no-copy create of seed 000 FIG 12 (R0-30, R0-31): a new mirror LV3 -> LV4 between two volumes that are the
/// split S-VOLs of one atomic split whose P-VOLs were equal at its point (the same P-VOL, or one fed by the other in
/// PAIR: LV1 -> LV2). Then only what was written on either volume since the split is copied (their S-side bitmaps):
/// usually nothing, so the pair is in PAIR after one step with zero blocks copied. Volumes that cannot be proven
/// equal are refused (NoCopyRefused); a full-copy create is always possible.
/// </summary>
public sealed partial class CopyManagementTable
{
    /// <summary>Creates a local pair without an initial copy (paircreate -nocopy), when FIG 12's proof holds.</summary>
    /// <param name="pVolAddress">The new P-VOL's address (LV3).</param>
    /// <param name="pVol">The new P-VOL.</param>
    /// <param name="sVolAddress">The new S-VOL's address (LV4).</param>
    /// <param name="sVol">The new S-VOL.</param>
    /// <returns>The answer: COPY of the tracks changed since the split (PAIR follows), or the refusal and why.</returns>
    public PairCommandResponse CreateNoCopy(VolumeAddress pVolAddress, Ldev pVol, VolumeAddress sVolAddress, Ldev sVol)
    {
        ArgumentNullException.ThrowIfNull(pVol);
        ArgumentNullException.ThrowIfNull(sVol);
        lock (_lock)
        {
            MirrorPair? existing = FindUnsynchronized(pVolAddress, sVolAddress);
            if (existing is not null)
            {
                return ApplyUnsynchronized(existing, PairOperation.CreateNoCopy, SplitMode.ReadOnly);
            }

            PairErrorCode error = CheckNewPairUnsynchronized(pVolAddress, pVol, sVolAddress, sVol, out int mirrorUnit);
            if (error != PairErrorCode.None)
            {
                return Refuse(pVolAddress, sVolAddress, PairOperation.CreateNoCopy, error);
            }

            MirrorPair? a = SplitPairOfUnsynchronized(pVol);
            MirrorPair? b = SplitPairOfUnsynchronized(sVol);
            string? why = WhyNotOneImage(a, b?.SplitSource ?? default, b?.PVolAddress, b?.SplitUpstream);
            if (why is not null)
            {
                PairCommandResponse refused = Refuse(pVolAddress, sVolAddress, PairOperation.CreateNoCopy, PairErrorCode.NoCopyRefused);
                return refused with { Message = refused.Message + ": " + why };
            }

            MirrorPair pair = new(_nextEntryId++, pVolAddress, pVol, sVolAddress, sVol, mirrorUnit, MirrorType.Local)
            {
                NoCopyInherited = [a!.SVolBitmap, b!.SVolBitmap],
            };
            _pairs.Add(pair);
            _byAddress.Add(new PairAddress(pVolAddress, sVolAddress), pair);
            PublishPairingUnsynchronized(pair);
            return ApplyUnsynchronized(pair, PairOperation.CreateNoCopy, SplitMode.ReadOnly);
        }
    }

    // The split pair a volume is the S-VOL of, left by an atomic split (the origin of its image), if any.
    private MirrorPair? SplitPairOfUnsynchronized(Ldev volume)
    {
        foreach (MirrorPair pair in _pairs)
        {
            if (ReferenceEquals(pair.SVol, volume) && pair.State == PairState.Psus && pair.SplitSource.IsSome)
            {
                return pair;
            }
        }

        return null;
    }

    // Null when the two split S-VOLs hold one image: split by one atomic split, from the same P-VOL or from two P-VOLs
    // one of which fed the other in PAIR at the split (G3). Else why not, in words.
    private static string? WhyNotOneImage(MirrorPair? a, SplitIdentity bSplit, VolumeAddress? bPVol, VolumeAddress? bUpstream)
    {
        if (a is null)
        {
            return "the P-VOL is not the S-VOL of a pair split by an atomic split";
        }

        if (!bSplit.IsSome || bPVol is null)
        {
            return "the S-VOL is not the S-VOL of a pair split by an atomic split";
        }

        if (a.SplitSource != bSplit)
        {
            return "the volumes come from different atomic splits (" + a.SplitSource + " and " + bSplit + ")";
        }

        bool oneImage = a.PVolAddress == bPVol.Value || bUpstream == a.PVolAddress || a.SplitUpstream == bPVol.Value;
        return oneImage ? null : "their P-VOLs " + a.PVolAddress + " and " + bPVol + " were not one mirrored image at split " + bSplit;
    }

    // The bitmaps a no-copy create's copy takes in (set by the create before it applies the command).
    private static DifferentialBitmap[] InheritedForNoCopy(MirrorPair pair)
    {
        DifferentialBitmap[] inherited = pair.NoCopyInherited;
        pair.NoCopyInherited = [];
        return inherited;
    }
}
