// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using Controller.Firmware.PairVocabulary;
using Controller.Workload;

namespace Controller.HostSim.CrashTest;

/// <summary>
/// The crash test's checks of what a restarted controller shows against what the host knows (the
/// <see cref="WriteLedger"/>, the <see cref="PairModel"/>s and <see cref="SplitRecord"/>s); each adds what it finds to a
/// <see cref="CrashFindings"/>. Blocks carry <see cref="BlockStamp"/>s (the consistency oracle's format: write ID,
/// volume, LBA, a check word), so a torn block, a block of another LBA and an older write are told apart.
/// </summary>
internal static class CrashVerifier
{
    private const int BlockSize = BlockStamp.BlockSize;

    /// <summary>What a block's content is.</summary>
    internal enum StampRead
    {
        /// <summary>A whole stamp of this volume and LBA, or zeros (ID 0).</summary>
        Stamp,

        /// <summary>Not a whole stamp: torn or garbage.</summary>
        Torn,

        /// <summary>A whole stamp of another volume or LBA.</summary>
        Misplaced,
    }

    /// <summary>Reads a block's stamp.</summary>
    /// <param name="block">512 bytes.</param>
    /// <param name="volume">The ledger's volume index the block belongs to (a P-VOL's; its S-VOL carries the same stamps).</param>
    /// <param name="lba">Its LBA.</param>
    /// <param name="writeId">The write it holds: 0 for zeros.</param>
    /// <returns>Whether it is a stamp of this block.</returns>
    public static StampRead Read(ReadOnlySpan<byte> block, int volume, long lba, out long writeId)
    {
        writeId = 0;
        if (!block.ContainsAnyExcept((byte)0))
        {
            return StampRead.Stamp;
        }

        if (!BlockStamp.TryRead(block, out BlockStamp.Stamp stamp))
        {
            return StampRead.Torn;
        }

        writeId = stamp.WriteId;
        return stamp.Volume == volume && stamp.Lba == lba ? StampRead.Stamp : StampRead.Misplaced;
    }

    /// <summary>
    /// Checks a P-VOL read after a restart: every block holds its latest acknowledged write (or its base when none
    /// was acknowledged this round), or a later write the kill left unanswered (or answered not GOOD); nothing else.
    /// </summary>
    /// <param name="ledger">The ledger.</param>
    /// <param name="volume">The volume index.</param>
    /// <param name="name">The volume, for reports.</param>
    /// <param name="image">The volume as read, every block.</param>
    /// <param name="findings">Receives what is wrong.</param>
    /// <returns>The write each block holds (the next round's base; for a block found wrong, what it holds anyway).</returns>
    public static long[] CheckVolume(WriteLedger ledger, int volume, string name, ReadOnlySpan<byte> image, CrashFindings findings)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(findings);
        long[] held = new long[ledger.BlocksPerVolume];
        for (long lba = 0; lba < ledger.BlocksPerVolume; lba++)
        {
            findings.BlocksChecked++;
            ReadOnlySpan<byte> block = image.Slice((int)(lba * BlockSize), BlockSize);
            StampRead read = Read(block, volume, lba, out long id);
            held[lba] = id;
            if (read == StampRead.Torn)
            {
                findings.Torn++;
                findings.Describe(name + " LBA " + lba + ": torn (no whole stamp)");
                continue;
            }

            if (read == StampRead.Misplaced)
            {
                findings.Misplaced++;
                findings.Describe(name + " LBA " + lba + ": holds a stamp of another block (write " + id + ")");
                continue;
            }

            IReadOnlyList<LedgerWrite> history = ledger.HistoryOf(volume, lba);
            int lastAcked = LastAcknowledged(history);
            long expected = lastAcked >= 0 ? history[lastAcked].Id : ledger.BaseOf(volume, lba);
            if (id == expected || IsLaterAndUnanswered(history, lastAcked, id))
            {
                continue;
            }

            if (id < expected)
            {
                findings.Lost++;
                findings.Describe(name + " LBA " + lba + ": acknowledged write " + expected + " is lost; the block holds " + (id == 0 ? "zeros" : "the older write " + id));
            }
            else
            {
                findings.Misplaced++;
                findings.Describe(name + " LBA " + lba + ": holds write " + id + ", which was never acknowledged or in doubt there (expected " + expected + ")");
            }
        }

        return held;
    }

    /// <summary>
    /// Checks the S-VOL images of a split: in each block, no write acknowledged before the split was sent is missing,
    /// no write sent after it was answered is present, and across every member (an atomic split) the image is one
    /// point in time: no write in it was sent after a write missing from it had been acknowledged.
    /// </summary>
    /// <param name="ledger">The ledger (the members' P-VOL writes).</param>
    /// <param name="split">The split.</param>
    /// <param name="images">Each member's S-VOL as read, in the order of <see cref="SplitRecord.Members"/>.</param>
    /// <param name="findings">Receives what is wrong.</param>
    /// <returns>True when the images are the split's.</returns>
    public static bool CheckSplitImage(WriteLedger ledger, SplitRecord split, IReadOnlyList<byte[]> images, CrashFindings findings)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(findings);
        long violations = 0;
        long latestIn = 0;
        string? latestInWhat = null;
        long earliestOut = long.MaxValue;
        string? earliestOutWhat = null;
        for (int member = 0; member < split.Members.Count; member++)
        {
            PairModel pair = split.Members[member];
            findings.SplitImagesChecked++;
            for (long lba = 0; lba < ledger.BlocksPerVolume; lba++)
            {
                findings.BlocksChecked++;
                string where = pair.Name + " S-VOL LBA " + lba;
                StampRead read = Read(images[member].AsSpan((int)(lba * BlockSize), BlockSize), pair.Volume, lba, out long id);
                if (read != StampRead.Stamp)
                {
                    if (read == StampRead.Torn)
                    {
                        findings.Torn++;
                    }
                    else
                    {
                        findings.Misplaced++;
                    }

                    violations++;
                    findings.Describe(where + ": " + (read == StampRead.Torn ? "torn" : "a stamp of another block") + " in the split image of " + split.Description);
                    continue;
                }

                IReadOnlyList<LedgerWrite> history = ledger.HistoryOf(pair.Volume, lba);
                long baseId = ledger.BaseOf(pair.Volume, lba);
                int index = id == baseId ? -1 : IndexOf(history, id);
                if (index == -2)
                {
                    violations++;
                    findings.Describe(where + ": holds " + (id == 0 ? "zeros" : "write " + id) + ", neither the block's content before the round (" + baseId + ") nor a write of it since: not the image of " + split.Description);
                    continue;
                }

                long inIssued = index < 0 ? 0 : history[index].IssuedAt;
                if (split.AnsweredAt != 0 && inIssued > split.AnsweredAt)
                {
                    violations++;
                    findings.Describe(where + ": write " + id + " was sent after " + split.Description + " was answered, yet it is in the image");
                }

                if (inIssued > latestIn)
                {
                    latestIn = inIssued;
                    latestInWhat = "write " + id + " (" + where + ")";
                }

                LedgerWrite? firstOut = FirstAcknowledgedAfter(history, index);
                if (firstOut is null)
                {
                    continue;
                }

                if (firstOut.AckedAt < split.IssuedAt)
                {
                    violations++;
                    findings.Describe(where + ": write " + firstOut.Id + " was acknowledged before " + split.Description + " was sent, yet the image holds " + (id == 0 ? "zeros" : "the older write " + id));
                }

                if (firstOut.AckedAt < earliestOut)
                {
                    earliestOut = firstOut.AckedAt;
                    earliestOutWhat = "write " + firstOut.Id + " (" + where + ")";
                }
            }
        }

        if (latestIn > earliestOut)
        {
            violations++;
            findings.Describe(split.Description + ": not one point in time: " + latestInWhat + " is in the image, sent after " + earliestOutWhat + ", which is not, had been acknowledged");
        }

        findings.SplitImageViolations += violations;
        return violations == 0;
    }

    /// <summary>Checks a pair's state after a restart against the restart table.</summary>
    /// <param name="pair">The pair's model.</param>
    /// <param name="seen">The state PAIR STATUS shows (SMPL when it has no row).</param>
    /// <param name="afterCrash">True after a crash, false after a graceful stop.</param>
    /// <param name="findings">Receives a violation.</param>
    /// <returns>True when allowed.</returns>
    public static bool CheckState(PairModel pair, PairState seen, bool afterCrash, CrashFindings findings)
    {
        ArgumentNullException.ThrowIfNull(pair);
        ArgumentNullException.ThrowIfNull(findings);
        findings.PairsChecked++;
        HashSet<PairState> allowed = pair.AllowedAfterRestart(afterCrash);
        bool ok = allowed.Contains(seen);
        if (!ok)
        {
            findings.PairStateViolations++;
            findings.Describe(pair.Name + ": " + PairStateNames.Of(seen) + " after " + (afterCrash ? "a crash" : "a graceful stop") + ", but the kept state was " + Names(pair.Kept) + ", which the restart table turns into " + Names(allowed));
        }

        pair.SeenAfterRestart(seen, allowed);
        return ok;
    }

    /// <summary>Checks that an atomic split came back whole: all members split at one split sequence, or none split.</summary>
    /// <param name="split">The split.</param>
    /// <param name="states">Each member's state after the restart, in member order.</param>
    /// <param name="sequences">Each member's split sequence (PAIR STATUS), in member order.</param>
    /// <param name="findings">Receives a violation.</param>
    /// <returns>True when whole.</returns>
    public static bool CheckAtomicity(SplitRecord split, IReadOnlyList<PairState> states, IReadOnlyList<ulong> sequences, CrashFindings findings)
    {
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(states);
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentNullException.ThrowIfNull(findings);
        int splitCount = 0;
        ulong? sequence = null;
        bool oneSequence = true;
        for (int i = 0; i < states.Count; i++)
        {
            if (states[i] == PairState.Psus)
            {
                splitCount++;
                oneSequence &= sequence is null || sequence == sequences[i];
                sequence ??= sequences[i];
            }
        }

        if ((splitCount == 0 || splitCount == states.Count) && oneSequence)
        {
            return true;
        }

        findings.AtomicityViolations++;
        findings.Describe(split.Description + ": " + splitCount + " of " + states.Count + " members came back split" + (oneSequence ? string.Empty : ", at different split sequences") + ": an atomic split is all or nothing, at one point");
        return false;
    }

    /// <summary>Compares a pair's S-VOL with its P-VOL, block for block.</summary>
    /// <param name="pair">The pair.</param>
    /// <param name="pVol">The P-VOL as read.</param>
    /// <param name="sVol">The S-VOL as read.</param>
    /// <param name="when">When they had to be equal, for reports.</param>
    /// <param name="findings">Receives a mismatch.</param>
    /// <returns>True when equal.</returns>
    public static bool CheckEqual(PairModel pair, ReadOnlySpan<byte> pVol, ReadOnlySpan<byte> sVol, string when, CrashFindings findings)
    {
        ArgumentNullException.ThrowIfNull(pair);
        ArgumentNullException.ThrowIfNull(findings);
        findings.PairsCompared++;
        if (pVol.SequenceEqual(sVol))
        {
            return true;
        }

        long differing = 0;
        long first = -1;
        for (int offset = 0; offset + BlockSize <= Math.Min(pVol.Length, sVol.Length); offset += BlockSize)
        {
            if (!pVol.Slice(offset, BlockSize).SequenceEqual(sVol.Slice(offset, BlockSize)))
            {
                differing++;
                first = first < 0 ? offset / BlockSize : first;
            }
        }

        findings.SNotEqualP++;
        findings.Describe(pair.Name + ": S-VOL differs from P-VOL " + when + ": " + differing + " blocks, the first at LBA " + first + (pVol.Length == sVol.Length ? string.Empty : " (and the sizes differ)"));
        return false;
    }

    private static int LastAcknowledged(IReadOnlyList<LedgerWrite> history)
    {
        for (int i = history.Count - 1; i >= 0; i--)
        {
            if (history[i].IsAcknowledged)
            {
                return i;
            }
        }

        return -1;
    }

    // A write after the last acknowledged one whose answer never came (the kill) or was not GOOD: it may be there. A
    // write answered BUSY or TASK SET FULL did not run, so it may not.
    private static bool IsLaterAndUnanswered(IReadOnlyList<LedgerWrite> history, int lastAcked, long id)
    {
        for (int i = lastAcked + 1; i < history.Count; i++)
        {
            if (history[i].Id == id && history[i].Outcome is WriteOutcome.InDoubt or WriteOutcome.NotGood)
            {
                return true;
            }
        }

        return false;
    }

    // -2 when the write is not in the history.
    private static int IndexOf(IReadOnlyList<LedgerWrite> history, long id)
    {
        for (int i = 0; i < history.Count; i++)
        {
            if (history[i].Id == id && history[i].Outcome != WriteOutcome.Refused)
            {
                return i;
            }
        }

        return -2;
    }

    private static LedgerWrite? FirstAcknowledgedAfter(IReadOnlyList<LedgerWrite> history, int index)
    {
        for (int i = index + 1; i < history.Count; i++)
        {
            if (history[i].IsAcknowledged)
            {
                return history[i];
            }
        }

        return null;
    }

    private static string Names(IEnumerable<PairState> states)
    {
        List<string> names = [];
        foreach (PairState state in states)
        {
            names.Add(PairStateNames.Of(state));
        }

        names.Sort(StringComparer.Ordinal);
        return "{" + string.Join(", ", names) + "}";
    }
}
