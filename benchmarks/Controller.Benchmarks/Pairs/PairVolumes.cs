// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware;
using Controller.Firmware.PairVocabulary;
using Controller.Firmware.Volumes;

namespace Controller.Benchmarks.Pairs;

/// <summary>
/// The set-up the pair benchmarks share: a P-VOL on MP 0 and an S-VOL on MP 1 (LDEV numbers 2 and 1 of a
/// two-MP subsystem) at the FIG 7 addresses 0x400104/0x0001 and 0x0002, written in full before the run so that
/// no measured write allocates a track and the copy engine cannot skip never-written tracks.
/// </summary>
internal static class PairVolumes
{
    public static readonly VolumeAddress PAddress = new(new PortId(0x400104), new Lun(1));

    public static readonly VolumeAddress SAddress = new(new PortId(0x400104), new Lun(2));

    /// <summary>Creates the two volumes and writes every track of the chosen ones.</summary>
    public static (Ldev P, Ldev S) Create(StorageSubsystem subsystem, long blocks, bool writeSVol)
    {
        Ldev p = subsystem.CreateLdev(new LdevId(2), blocks);
        Ldev s = subsystem.CreateLdev(new LdevId(1), blocks);
        byte[] track = new byte[p.Geometry.TrackSizeBytes];
        track.AsSpan().Fill(0xA5);
        for (long lba = 0; lba < blocks; lba += p.Geometry.BlocksPerTrack)
        {
            p.Media.Write(lba, track);
            if (writeSVol)
            {
                s.Media.Write(lba, track);
            }
        }

        return (p, s);
    }

    /// <summary>
    /// Waits until the pair is PAIR. Blocks rather than spins: a third busy thread on two cores would slow the
    /// MPs being measured.
    /// </summary>
    public static void WaitForPair(StorageSubsystem subsystem)
    {
        if (!subsystem.Pairs.WaitForState(PAddress, SAddress, PairState.Pair, TimeSpan.FromMinutes(1)))
        {
            throw new InvalidOperationException("the pair did not reach PAIR within a minute");
        }
    }
}
