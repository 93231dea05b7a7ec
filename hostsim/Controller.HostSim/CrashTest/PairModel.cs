// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.PairVocabulary;
using Controller.Wire.CopyManagement;

namespace Controller.HostSim.CrashTest;

/// <summary>
/// What the host knows of one pair's kept state: the states the controller may have on disk for it. A command's
/// answer is sent only after its change is committed (docs/durability.md, the ordering), so an answered command
/// leaves one state; a command the kill left unanswered may or may not have been kept; a copy reaching PAIR by itself
/// is kept only by a later commit, so a copying state keeps PAIR beside it.
/// </summary>
internal sealed class PairModel
{
    private readonly HashSet<PairState> _kept = [PairState.Smpl];

    /// <summary>Initializes a model of a pair the table does not have yet.</summary>
    /// <param name="name">The pair, for reports.</param>
    /// <param name="pair">Its volumes on the wire.</param>
    /// <param name="volume">The ledger's index of its P-VOL.</param>
    public PairModel(string name, WirePair pair, int volume)
    {
        Name = name;
        Pair = pair;
        Volume = volume;
    }

    /// <summary>Gets the pair, for reports.</summary>
    public string Name { get; }

    /// <summary>Gets its volumes on the wire.</summary>
    public WirePair Pair { get; }

    /// <summary>Gets the ledger's index of its P-VOL.</summary>
    public int Volume { get; }

    /// <summary>Gets the states the controller may have kept for it.</summary>
    public IReadOnlyCollection<PairState> Kept => _kept;

    /// <summary>A command on the pair was answered GOOD: its result is kept.</summary>
    /// <param name="result">The state the command leaves (SMPL for a delete).</param>
    public void Answered(PairState result)
    {
        _kept.Clear();
        Add(result);
    }

    /// <summary>A command on the pair was sent and the kill came before its answer: kept, or not.</summary>
    /// <param name="result">The state the command would leave.</param>
    public void InDoubt(PairState result)
    {
        Add(result);
    }

    /// <summary>The states the pair may show after a restart.</summary>
    /// <param name="afterCrash">True after a crash, false after a graceful stop.</param>
    /// <returns>The allowed states.</returns>
    public HashSet<PairState> AllowedAfterRestart(bool afterCrash)
    {
        HashSet<PairState> allowed = [];
        foreach (PairState kept in _kept)
        {
            allowed.UnionWith(CrashRestartTable.Allowed(kept, afterCrash));
        }

        return allowed;
    }

    /// <summary>
    /// The pair was seen after a restart: the restored table is checkpointed at start, so what it shows is kept, but
    /// a PAIR seen may be a copy restarted and finished since (not kept yet), so the copying states allowed stay.
    /// </summary>
    /// <param name="seen">The state seen.</param>
    /// <param name="allowed">The states that were allowed.</param>
    public void SeenAfterRestart(PairState seen, IReadOnlyCollection<PairState> allowed)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        _kept.Clear();
        Add(seen);
        if (seen == PairState.Pair)
        {
            foreach (PairState state in allowed)
            {
                if (CrashRestartTable.IsCopying(state))
                {
                    _kept.Add(state);
                }
            }
        }
    }

    private void Add(PairState state)
    {
        _kept.Add(state);
        if (CrashRestartTable.IsCopying(state))
        {
            _kept.Add(PairState.Pair);
        }
    }
}
