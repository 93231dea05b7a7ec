// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.HostSim.CrashTest;

/// <summary>What the crash test's checks found, counted, with the first problems in words. Every count is of a check that ran.</summary>
internal sealed class CrashFindings
{
    /// <summary>The most problems described (all are counted).</summary>
    public const int MaxDescribed = 20;

    private readonly List<string> _problems = [];

    /// <summary>Gets the blocks read and checked against the ledger (P-VOLs and split S-VOLs).</summary>
    public long BlocksChecked { get; set; }

    /// <summary>Gets the blocks missing an acknowledged write (older content, or zeros).</summary>
    public long Lost { get; set; }

    /// <summary>Gets the blocks whose stamp does not check (torn or garbage).</summary>
    public long Torn { get; set; }

    /// <summary>Gets the blocks holding a whole stamp of another block, or of a write never sent there.</summary>
    public long Misplaced { get; set; }

    /// <summary>Gets the pair states checked after restarts.</summary>
    public long PairsChecked { get; set; }

    /// <summary>Gets the pair states the restart table does not allow.</summary>
    public long PairStateViolations { get; set; }

    /// <summary>Gets the determining pairs whose two subsystems' rows disagreed on the roles after a restart (determining-swap).</summary>
    public long RoleViolations { get; set; }

    /// <summary>Gets the determining swaps found taken after the restart (SS2 the owner).</summary>
    public long SwapsTaken { get; set; }

    /// <summary>Gets the determining swaps found not taken after the restart (SS1 still the owner; only when unanswered).</summary>
    public long SwapsNotTaken { get; set; }

    /// <summary>
    /// Gets the swaps the kill left unanswered that came back as two S-VOL rows (the owner took the swap, the requester
    /// never kept its turn); each is sent again, and must then leave SS2 the owner (else a role violation). Counted,
    /// not a finding: a host resolves a command it has no answer for by sending it again.
    /// </summary>
    public long SwapsWithTwoSVols { get; set; }

    /// <summary>Gets the split S-VOL images checked.</summary>
    public long SplitImagesChecked { get; set; }

    /// <summary>Gets the split images that are not the image of their split (a block missing, from after it, or no single point in time).</summary>
    public long SplitImageViolations { get; set; }

    /// <summary>Gets the atomic splits that came back half applied, or with members at different split points.</summary>
    public long AtomicityViolations { get; set; }

    /// <summary>Gets the pairs compared S-VOL to P-VOL (PAIR after a restart, and after every resync).</summary>
    public long PairsCompared { get; set; }

    /// <summary>Gets the pairs whose S-VOL differed from the P-VOL where they had to be equal.</summary>
    public long SNotEqualP { get; set; }

    /// <summary>Gets other failures: a pair command refused, a write not GOOD, a daemon that would not start.</summary>
    public long Failures { get; set; }

    /// <summary>Gets the first problems, in words.</summary>
    public IReadOnlyList<string> Problems => _problems;

    /// <summary>Gets whether nothing was found.</summary>
    public bool IsClean => Lost == 0 && Torn == 0 && Misplaced == 0 && PairStateViolations == 0 && RoleViolations == 0 && SplitImageViolations == 0
        && AtomicityViolations == 0 && SNotEqualP == 0 && Failures == 0;

    /// <summary>Describes a problem (the first <see cref="MaxDescribed"/> are kept).</summary>
    /// <param name="problem">What was found, and where.</param>
    public void Describe(string problem)
    {
        if (_problems.Count < MaxDescribed)
        {
            _problems.Add(problem);
        }
    }

    /// <summary>Counts and describes a failure that is none of the checks' findings.</summary>
    /// <param name="problem">What failed.</param>
    public void Fail(string problem)
    {
        Failures++;
        Describe(problem);
    }
}
