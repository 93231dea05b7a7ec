// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.Pairs;
using Controller.HostSim.Pairs;
using Controller.Wire.CopyManagement;

namespace Controller.HostSim.CrashTest;

/// <summary>The checks after a restart, then the resync that makes every pair PAIR again and S equal to P.</summary>
internal sealed partial class CrashTestRun
{
    // Returns the pairs' states as PAIR STATUS showed them after the restart, for the report.
    private async Task<string> VerifyAsync(List<SplitRecord> splits, bool afterCrash)
    {
        PairClient client = await ClientAsync().ConfigureAwait(false);
        PairStatusRow[] rows = await WithinAsync(client.StatusAsync(), "PAIR STATUS after the restart").ConfigureAwait(false);
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
            CrashVerifier.CheckState(pair, seen, afterCrash, Findings);
        }

        // The P-VOLs: every acknowledged write there.
        byte[][] pImages = new byte[_topology.PVols.Count][];
        List<long[]> held = [];
        for (int volume = 0; volume < _topology.PVols.Count; volume++)
        {
            pImages[volume] = await ReadVolumeAsync(_topology.PVols[volume]).ConfigureAwait(false);
            held.Add(CrashVerifier.CheckVolume(_ledger, volume, _topology.PVols[volume] + " (P-VOL)", pImages[volume], Findings));
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
                CrashVerifier.CheckAtomicity(split, states, sequences, Findings);
            }

            if (splitNow.Count > 0)
            {
                List<byte[]> images = [];
                foreach (PairModel member in splitNow)
                {
                    images.Add(await ReadVolumeAsync(_topology.SVols[member.Volume]).ConfigureAwait(false));
                }

                SplitRecord kept = new(split.Description, splitNow, split.IssuedAt) { AnsweredAt = split.AnsweredAt };
                CrashVerifier.CheckSplitImage(_ledger, kept, images, Findings);
            }
        }

        // A pair in PAIR after the restart: its S-VOL equals its P-VOL now (every acknowledged write on both).
        foreach ((PairModel pair, PairStatusRow row) in found)
        {
            if ((PairState)row.State == PairState.Pair)
            {
                byte[] sImage = await ReadVolumeAsync(_topology.SVols[pair.Volume]).ConfigureAwait(false);
                CrashVerifier.CheckEqual(pair, pImages[pair.Volume], sImage, "in PAIR after the restart", Findings);
            }
        }

        // Resync what is suspended, wait until every pair is PAIR (copies started again included), compare.
        foreach ((PairModel pair, PairStatusRow row) in found)
        {
            if ((PairState)row.State is PairState.Psus or PairState.Psue)
            {
                await ExpectGoodAsync(client, CopyManagementRequest.ForPair(CopyManagementOpcode.PairResync, pair.Pair), "PAIR RESYNC " + pair.Name + " after the restart").ConfigureAwait(false);
                pair.Answered(PairState.CopyResync);
            }
        }

        foreach (PairModel pair in found.Keys)
        {
            await WaitForStateAsync(client, pair, PairState.Pair).ConfigureAwait(false);
            byte[] sImage = await ReadVolumeAsync(_topology.SVols[pair.Volume]).ConfigureAwait(false);
            CrashVerifier.CheckEqual(pair, pImages[pair.Volume], sImage, "after the resync", Findings);
        }

        // The fresh pair is unpaired again, so that the next initial copy is of a fresh pair.
        if (found.ContainsKey(_topology.Fresh))
        {
            await ExpectGoodAsync(client, CopyManagementRequest.ForPair(CopyManagementOpcode.PairDelete, _topology.Fresh.Pair), "PAIR DELETE " + _topology.Fresh.Name).ConfigureAwait(false);
            _topology.Fresh.Answered(PairState.Smpl);
        }

        // Every mirror is PAIR now, but a copy reaching PAIR is kept only by the next commit (docs/durability.md, the
        // ordering): NAME MIRRORS, answered after its commit, makes PAIR the kept state, so that the next crash tests
        // the restart table's PAIR cell, not a copy's.
        await NameMirrorsAsync(client).ConfigureAwait(false);

        // The determining pair's volume at SS1: after its round, what the swap left; else a plain volume of the load.
        if (_swap is not null)
        {
            if (_swapRound is SwapRound round)
            {
                (long[] remoteHeld, string remoteRows) = await VerifySwapAsync(round).ConfigureAwait(false);
                held.Add(remoteHeld);
                shown.Add("| " + remoteRows);
                _swapRound = null;
            }
            else
            {
                held.Add(CrashVerifier.CheckVolume(_ledger, RemoteVolume, _swap.Ss1Volume + " (unpaired)", await ReadVolumeAsync(_swap.Ss1Volume).ConfigureAwait(false), Findings));
            }
        }

        _ledger.NextRound(held);
        return string.Join(' ', shown);
    }
}
