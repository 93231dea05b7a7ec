// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Diagnostics;
using System.Globalization;
using Controller.Firmware.PairVocabulary;
using Controller.Initiator;
using Controller.Wire.CopyManagement;

namespace Controller.HostSim.Pairs;

/// <summary>
/// What a scenario that runs against long-lived subsystems (two controllerd) does before it creates its pairs: it reads
/// PAIR STATUS on both and looks at every pair on a volume it needs. A pair whose owner (the row that is not the
/// secondary's) carries one of the scenario's own mirror names is a leftover of an earlier run: it is deleted at its
/// owner and both sides are waited for until they are SMPL. Any other pair - unnamed, another scenario's, or one whose
/// owner is not here - refuses the whole run before anything is changed, naming the pair (the scenario never deletes
/// or swaps volumes it does not own).
/// </summary>
internal sealed class OwnedPairs
{
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(10);
    private readonly IReadOnlyList<(string Name, PairClient Client)> _subsystems;
    private readonly HashSet<WireVolumeId> _volumes;
    private readonly HashSet<string> _names;

    /// <summary>Initializes the check.</summary>
    /// <param name="subsystems">Each subsystem as the messages name it ("SS1"), and a client to it.</param>
    /// <param name="volumes">The volumes the scenario creates pairs on.</param>
    /// <param name="names">The mirror names the scenario gives its pairs.</param>
    public OwnedPairs(IReadOnlyList<(string Name, PairClient Client)> subsystems, IEnumerable<WireVolumeId> volumes, IEnumerable<string> names)
    {
        _subsystems = subsystems;
        _volumes = [.. volumes];
        _names = new HashSet<string>(names, StringComparer.Ordinal);
    }

    /// <summary>Deletes the scenario's own pairs left on its volumes, or refuses if another pair is on one.</summary>
    /// <param name="patience">How long the deleted pairs may take to become SMPL on both sides.</param>
    /// <returns>How many pairs were deleted.</returns>
    /// <exception cref="PairsInTheWayException">A pair the scenario does not own is on one of its volumes; nothing was changed.</exception>
    /// <exception cref="InitiatorException">PAIR STATUS or a PAIR DELETE failed, or a deleted pair did not become SMPL in time.</exception>
    public async Task<int> ClearAsync(TimeSpan patience)
    {
        Dictionary<WirePair, (PairStatusRow Row, int Subsystem)?> owners = [];
        foreach ((int index, PairStatusRow row) in await RowsAsync().ConfigureAwait(false))
        {
            WirePair pair = new(row.PVol, row.SVol);
            owners.TryAdd(pair, null);
            if (!row.IsSecondary)
            {
                owners[pair] = (row, index);
            }
        }

        List<string> inTheWay = [];
        foreach ((WirePair pair, (PairStatusRow Row, int Subsystem)? owner) in owners)
        {
            if (owner is not { } found || !_names.Contains(found.Row.MirrorName ?? string.Empty))
            {
                inTheWay.Add(Describe(pair, owner));
            }
        }

        if (inTheWay.Count > 0)
        {
            throw new PairsInTheWayException("pairs this scenario does not own are on its volumes: " + string.Join("; ", inTheWay)
                + ". Nothing was changed. Delete them at their owner (hostsim pair delete P-VOL S-VOL --target OWNER) or restart the daemons (RAM store).");
        }

        foreach ((WirePair pair, (PairStatusRow Row, int Subsystem)? owner) in owners)
        {
            ScsiResult deleted = await _subsystems[owner!.Value.Subsystem].Client.ExecuteAsync(CopyManagementRequest.ForPair(CopyManagementOpcode.PairDelete, pair)).ConfigureAwait(false);
            if (!deleted.IsGood)
            {
                throw new InitiatorException("PAIR DELETE " + pair + " (a leftover of an earlier run) at " + _subsystems[owner.Value.Subsystem].Name + ": " + PairClient.Describe(deleted));
            }
        }

        // A remote pair's secondary side goes when its owner tells it: wait until neither side lists any of them.
        long start = Stopwatch.GetTimestamp();
        while (owners.Count > 0 && (await RowsAsync().ConfigureAwait(false)).Any(r => owners.ContainsKey(new WirePair(r.Row.PVol, r.Row.SVol))))
        {
            if (Stopwatch.GetElapsedTime(start) >= patience)
            {
                throw new InitiatorException("the pairs of an earlier run were deleted but did not become SMPL on both sides within " + patience.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s");
            }

            await Task.Delay(s_poll).ConfigureAwait(false);
        }

        return owners.Count;
    }

    private static string Describe(WirePair pair, (PairStatusRow Row, int Subsystem)? owner)
    {
        if (owner is not { } found)
        {
            return "P-VOL " + pair.PVol + ", S-VOL " + pair.SVol + ": only a secondary side, its owner not here";
        }

        string name = string.IsNullOrEmpty(found.Row.MirrorName) ? "no mirror name" : "mirror name '" + found.Row.MirrorName + "'";
        return "P-VOL " + pair.PVol + ", S-VOL " + pair.SVol + ": " + (found.Row.Type == 1 ? "remote" : "local") + ", " + PairStateNames.Of((PairState)found.Row.State) + ", " + name;
    }

    // Every row of either subsystem on one of the volumes, with the subsystem that listed it.
    private async Task<List<(int Subsystem, PairStatusRow Row)>> RowsAsync()
    {
        List<(int, PairStatusRow)> rows = [];
        for (int i = 0; i < _subsystems.Count; i++)
        {
            foreach (PairStatusRow row in await _subsystems[i].Client.StatusAsync().ConfigureAwait(false))
            {
                if (_volumes.Contains(row.PVol) || _volumes.Contains(row.SVol))
                {
                    rows.Add((i, row));
                }
            }
        }

        return rows;
    }
}
