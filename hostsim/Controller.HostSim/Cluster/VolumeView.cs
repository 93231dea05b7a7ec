// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Addressing;
using Controller.Firmware.Pairs;
using Controller.Firmware.PairVocabulary;
using Controller.Traces;
using Controller.Wire.CopyManagement;

namespace Controller.HostSim.Cluster;

/// <summary>
/// One volume as its own storage reports it in PAIR STATUS (R2-29): the pair it is in, its attribute (P-VOL or S-VOL:
/// the row's FLAGS say whether it is the S side) and the pair's state.
/// </summary>
/// <param name="Pair">The pair as the storage names it (P-VOL first), or default when not paired.</param>
/// <param name="Role">The volume's attribute, or null when not paired.</param>
/// <param name="State">The pair state (SMPL when not paired).</param>
internal readonly record struct VolumeView(WirePair Pair, PairRole? Role, PairState State)
{
    /// <summary>The view of a volume no storage answered for (its storage failed).</summary>
    public static readonly VolumeView Unknown = new(default, null, (PairState)255);

    /// <summary>Gets whether the storage answered.</summary>
    public bool Known => (int)State != 255;

    /// <summary>Finds a volume's view in PAIR STATUS rows.</summary>
    /// <param name="rows">The rows of the volume's own storage.</param>
    /// <param name="volume">The volume.</param>
    /// <returns>The view.</returns>
    public static VolumeView Of(IEnumerable<PairStatusRow> rows, TraceVolume volume)
    {
        WireVolumeId id = new(new PortId((uint)volume.PortId), volume.Lun);
        foreach (PairStatusRow row in rows)
        {
            if (row.Type == 1 && ((row.PVol == id && !row.IsSecondary) || (row.SVol == id && row.IsSecondary)))
            {
                return new VolumeView(new WirePair(row.PVol, row.SVol), row.IsSecondary ? PairRole.SVol : PairRole.PVol, (PairState)row.State);
            }
        }

        return new VolumeView(default, null, PairState.Smpl);
    }

    /// <summary>Gets the attribute as the figures print it.</summary>
    public string Attribute => !Known ? "?" : Role is PairRole role ? (role == PairRole.PVol ? "P-VOL" : "S-VOL") : "-";

    /// <summary>Gets the state as FIG 4 names it ("SUSPENDED (NORMAL)", "PAIRED", ...).</summary>
    public string StateName => !Known ? "(storage down)" : DeterminingPairTable.NameOf(DeterminingPairTable.StateOf(State)).Replace(" STATE", string.Empty, StringComparison.Ordinal).Replace("SUSPEND ", "SUSPENDED ", StringComparison.Ordinal);

    /// <inheritdoc/>
    public override string ToString()
    {
        return Known ? Attribute + " " + StateName : "(storage down)";
    }
}
