// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.PairVocabulary;
using Controller.HostSim.Hosts;
using Controller.HostSim.Pairs;
using Controller.Wire.CopyManagement;

namespace Controller.HostSim.CrashTest;

/// <summary>
/// The checks after a restart (<see cref="CrashVerifier"/>'s, on what the controller shows), then the resync that
/// makes every pair PAIR again and each S-VOL equal to its P-VOL, so that the next round starts from a known state.
/// </summary>
/// <remarks>
/// Its own type because it is one job with no state of its own: it reads the controller, checks against the ledger
/// and the pairs' models, reports to the findings, and sets the ledger's next round. The determining pair's volume is
/// checked by <see cref="DeterminingSwapScenario"/>, which knows what its round left.
/// </remarks>
internal sealed class RestartVerification
{
    private readonly CrashTopology _topology;
    private readonly WriteLedger _ledger;
    private readonly CrashFindings _findings;
    private readonly DeterminingSwapScenario? _swap;

    /// <summary>Initializes the checks.</summary>
    /// <param name="topology">The controller's volumes and pairs.</param>
    /// <param name="ledger">The load's ledger.</param>
    /// <param name="findings">Where the checks report.</param>
    /// <param name="swap">The determining-swap scenario, or null when it does not run.</param>
    public RestartVerification(CrashTopology topology, WriteLedger ledger, CrashFindings findings, DeterminingSwapScenario? swap)
    {
        _topology = topology;
        _ledger = ledger;
        _findings = findings;
        _swap = swap;
    }

    /// <summary>Checks what the controller shows after a restart, then brings every pair back to PAIR.</summary>
    /// <param name="hosts">The hosts' connections to the restarted controller.</param>
    /// <param name="splits">The splits the round made.</param>
    /// <param name="afterCrash">Whether the restart followed a kill (else a graceful stop).</param>
    /// <returns>The pairs' states as PAIR STATUS showed them after the restart, for the report.</returns>
    public async Task<string> VerifyAsync(HostConnections hosts, List<SplitRecord> splits, bool afterCrash)
    {
        PairClient client = await CrashTestSteps.ClientAsync(hosts).ConfigureAwait(false);
        PairStatusRow[] rows = await CrashTestSteps.WithinAsync(client.StatusAsync(), "PAIR STATUS after the restart").ConfigureAwait(false);
        Dictionary<PairModel, PairStatusRow> found = [];
        List<string> shown = [];
        foreach (PairModel pair in _topology.AllPairs)
        {
            PairState seen = PairState.Smpl;
            foreach (PairStatusRow row in rows)
            {
                if (row.PVol == pair.Pair.PVol && row.SVol == pair.Pair.SVol)
                {
                    found[pair] = row;
                    seen = (PairState)row.State;
                }
            }

            shown.Add(PairStateNames.Of(seen));
            CrashVerifier.CheckState(pair, seen, afterCrash, _findings);
        }

        // The P-VOLs: every acknowledged write there.
        byte[][] pImages = new byte[_topology.PVols.Count][];
        List<long[]> held = [];
        for (int volume = 0; volume < _topology.PVols.Count; volume++)
        {
            pImages[volume] = await CrashTestSteps.ReadVolumeAsync(hosts, _topology.PVols[volume], _topology.Blocks).ConfigureAwait(false);
            held.Add(CrashVerifier.CheckVolume(_ledger, volume, _topology.PVols[volume] + " (P-VOL)", pImages[volume], _findings));
        }

        // Splits: whole (all members split at one point, or none), and each split S-VOL exactly its image.
        foreach (SplitRecord split in splits)
        {
            List<PairState> states = [];
            List<ulong> sequences = [];
            List<PairModel> splitNow = [];
            foreach (PairModel member in split.Members)
            {
                PairState state = found.TryGetValue(member, out PairStatusRow row) ? (PairState)row.State : PairState.Smpl;
                states.Add(state);
                sequences.Add(found.TryGetValue(member, out PairStatusRow again) ? again.SplitSequence : 0);
                if (state == PairState.Psus)
                {
                    splitNow.Add(member);
                }
            }

            if (split.Members.Count > 1)
            {
                CrashVerifier.CheckAtomicity(split, states, sequences, _findings);
            }

            if (splitNow.Count > 0)
            {
                List<byte[]> images = [];
                foreach (PairModel member in splitNow)
                {
                    images.Add(await CrashTestSteps.ReadVolumeAsync(hosts, _topology.SVols[member.Volume], _topology.Blocks).ConfigureAwait(false));
                }

                SplitRecord kept = new(split.Description, splitNow, split.IssuedAt) { AnsweredAt = split.AnsweredAt };
                CrashVerifier.CheckSplitImage(_ledger, kept, images, _findings);
            }
        }

        // A pair in PAIR after the restart: its S-VOL equals its P-VOL now (every acknowledged write on both).
        foreach ((PairModel pair, PairStatusRow row) in found)
        {
            if ((PairState)row.State == PairState.Pair)
            {
                byte[] sImage = await CrashTestSteps.ReadVolumeAsync(hosts, _topology.SVols[pair.Volume], _topology.Blocks).ConfigureAwait(false);
                CrashVerifier.CheckEqual(pair, pImages[pair.Volume], sImage, "in PAIR after the restart", _findings);
            }
        }

        // Resync what is suspended, wait until every pair is PAIR (copies started again included), compare.
        foreach ((PairModel pair, PairStatusRow row) in found)
        {
            if ((PairState)row.State is PairState.Psus or PairState.Psue)
            {
                await CrashTestSteps.ExpectGoodAsync(client, CopyManagementRequest.ForPair(CopyManagementOpcode.PairResync, pair.Pair), "PAIR RESYNC " + pair.Name + " after the restart").ConfigureAwait(false);
                pair.Answered(PairState.CopyResync);
            }
        }

        foreach (PairModel pair in found.Keys)
        {
            await CrashTestSteps.WaitForStateAsync(client, pair, PairState.Pair).ConfigureAwait(false);
            byte[] sImage = await CrashTestSteps.ReadVolumeAsync(hosts, _topology.SVols[pair.Volume], _topology.Blocks).ConfigureAwait(false);
            CrashVerifier.CheckEqual(pair, pImages[pair.Volume], sImage, "after the resync", _findings);
        }

        // The fresh pair is unpaired again, so that the next initial copy is of a fresh pair.
        if (found.ContainsKey(_topology.Fresh))
        {
            await CrashTestSteps.ExpectGoodAsync(client, CopyManagementRequest.ForPair(CopyManagementOpcode.PairDelete, _topology.Fresh.Pair), "PAIR DELETE " + _topology.Fresh.Name).ConfigureAwait(false);
            _topology.Fresh.Answered(PairState.Smpl);
        }

        // Every mirror is PAIR now, but a copy reaching PAIR is kept only by the next commit (docs/durability.md, the
        // ordering): NAME MIRRORS, answered after its commit, makes PAIR the kept state, so that the next crash tests
        // the restart table's PAIR cell, not a copy's.
        await CrashTestSteps.NameMirrorsAsync(client, _topology).ConfigureAwait(false);

        // The determining pair's volume at SS1: after its round, what the swap left; else a plain volume of the load.
        if (_swap is not null)
        {
            (long[] remoteHeld, string? remoteRows) = await _swap.VerifyAfterRestartAsync(hosts).ConfigureAwait(false);
            held.Add(remoteHeld);
            if (remoteRows is not null)
            {
                shown.Add("| " + remoteRows);
            }
        }

        _ledger.NextRound(held);
        return string.Join(' ', shown);
    }
}
