// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;

namespace Controller.Workload;

/// <summary>
/// Proves a split image consistent, or shows where it is torn (seed 000 G1, G2; R0-19, R0-20). It reads, on every
/// member S-VOL, the blocks the dependent-write chains wrote to its P-VOL, and decides for each write whether the
/// image holds it (the block holds that write, or a later write of the same chain to the same LBA). Then:
/// <list type="number">
/// <item>every write acknowledged before the split was issued is present;</item>
/// <item>no write issued after the split completed is present;</item>
/// <item>prefix-closed: no write is present without the write it depends on (per chain, the present writes are a
/// prefix of its member writes);</item>
/// <item>one cut for all members: no present write was issued after an absent write was acknowledged (so the
/// image is a cut of the real-time order across every volume and chain);</item>
/// <item>every block read is one the workload wrote there, or unwritten.</item>
/// </list>
/// </summary>
public static class ConsistencyOracle
{
    /// <summary>The most violations a verdict lists.</summary>
    public const int MaxViolations = 10;

    /// <summary>Reads one block of a member's split image.</summary>
    /// <param name="volume">The workload's volume index (of the P-VOL whose S-VOL is read).</param>
    /// <param name="lba">The block.</param>
    /// <param name="block">Receives 512 bytes.</param>
    /// <returns>False when the block could not be read.</returns>
    public delegate bool ImageReader(int volume, long lba, Span<byte> block);

    /// <summary>Checks a split image.</summary>
    /// <param name="workload">The chains, stopped or paused (<see cref="DependentWriteRunner.Pause"/>): none may be issuing.</param>
    /// <param name="members">The volume indices whose S-VOLs hold the split image.</param>
    /// <param name="read">Reads a member's S-VOL.</param>
    /// <param name="splitIssuedAt">The logical time the split was issued (<see cref="DependentWriteChains.Tick"/>).</param>
    /// <param name="splitCompletedAt">The logical time the split was answered.</param>
    /// <returns>The verdict.</returns>
    public static OracleVerdict Check(DependentWriteChains workload, IReadOnlyCollection<int> members, ImageReader read, long splitIssuedAt, long splitCompletedAt)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(read);
        HashSet<int> memberSet = [.. members];
        List<string> violations = [];
        Dictionary<(int Volume, long Lba), int> presentIndex = ReadImage(workload, memberSet, read, violations);

        int checkedCount = 0;
        int present = 0;
        int ackedBefore = 0;
        int issuedAfter = 0;
        int[] cutPerChain = new int[workload.ChainCount];
        long earliestAbsentAck = long.MaxValue;
        WriteRecord? earliestAbsent = null;
        long latestPresentIssue = 0;
        WriteRecord? latestPresent = null;
        foreach (IReadOnlyList<WriteRecord> chain in workload.Chains)
        {
            WriteRecord? firstAbsent = null;
            foreach (WriteRecord write in chain)
            {
                if (!memberSet.Contains(write.Volume))
                {
                    continue;
                }

                checkedCount++;
                bool isPresent = presentIndex.TryGetValue((write.Volume, write.Lba), out int index) && index >= write.Index;
                if (write.AckedAt != 0 && write.AckedAt < splitIssuedAt)
                {
                    ackedBefore++;
                    if (!isPresent)
                    {
                        Add(violations, "write " + Name(write) + " was acknowledged before the split was issued but is missing");
                    }
                }

                if (write.IssuedAt > splitCompletedAt)
                {
                    issuedAfter++;
                    if (isPresent)
                    {
                        Add(violations, "write " + Name(write) + " was issued after the split completed but is in the image");
                    }
                }

                if (isPresent)
                {
                    present++;
                    if (firstAbsent is not null)
                    {
                        Add(violations, "write " + Name(write) + " is present without the earlier write " + Name(firstAbsent) + " of its chain (not prefix-closed)");
                    }
                    else
                    {
                        cutPerChain[write.Chain]++;
                    }

                    if (write.IssuedAt > latestPresentIssue)
                    {
                        latestPresentIssue = write.IssuedAt;
                        latestPresent = write;
                    }
                }
                else
                {
                    firstAbsent ??= write;
                    if (write.AckedAt != 0 && write.AckedAt < earliestAbsentAck)
                    {
                        earliestAbsentAck = write.AckedAt;
                        earliestAbsent = write;
                    }
                }
            }
        }

        if (latestPresent is not null && earliestAbsent is not null && earliestAbsentAck < latestPresentIssue)
        {
            Add(violations, "write " + Name(latestPresent) + " is present but was issued after write " + Name(earliestAbsent) + ", which is missing, was acknowledged (the members do not agree on one cut)");
        }

        return new OracleVerdict
        {
            Violations = violations,
            WritesChecked = checkedCount,
            WritesPresent = present,
            AckedBeforeSplit = ackedBefore,
            IssuedAfterSplit = issuedAfter,
            CutPerChain = cutPerChain,
            Cut = DescribeCut(present, checkedCount, latestPresent, earliestAbsent),
        };
    }

    // For every LBA a member write went to: the index (in its chain) of the write the image holds there, or no
    // entry when the block is unwritten. A block holding anything else is a violation.
    private static Dictionary<(int Volume, long Lba), int> ReadImage(DependentWriteChains workload, HashSet<int> members, ImageReader read, List<string> violations)
    {
        Dictionary<(int Volume, long Lba), int> held = [];
        Dictionary<long, WriteRecord> byId = [];
        HashSet<(int Volume, long Lba)> lbas = [];
        foreach (IReadOnlyList<WriteRecord> chain in workload.Chains)
        {
            foreach (WriteRecord write in chain)
            {
                byId[write.Id] = write;
                if (members.Contains(write.Volume))
                {
                    lbas.Add((write.Volume, write.Lba));
                }
            }
        }

        byte[] block = new byte[BlockStamp.BlockSize];
        foreach ((int volume, long lba) in lbas)
        {
            if (!read(volume, lba, block))
            {
                Add(violations, "volume " + volume + " LBA " + lba + " could not be read");
                continue;
            }

            if (!BlockStamp.TryRead(block, out BlockStamp.Stamp stamp))
            {
                if (block.AsSpan().ContainsAnyExcept((byte)0))
                {
                    Add(violations, "volume " + volume + " LBA " + lba + " holds a block no write of the workload made (torn or foreign data)");
                }

                continue;
            }

            if (!byId.TryGetValue(stamp.WriteId, out WriteRecord? write) || write.Volume != volume || write.Lba != lba || stamp.Volume != volume || stamp.Lba != lba)
            {
                Add(violations, "volume " + volume + " LBA " + lba + " holds write 0x" + stamp.WriteId.ToString("X", CultureInfo.InvariantCulture) + ", which was not written there");
                continue;
            }

            held[(volume, lba)] = write.Index;
        }

        return held;
    }

    private static string DescribeCut(int present, int checkedCount, WriteRecord? latestPresent, WriteRecord? earliestAbsent)
    {
        string text = present + " of " + checkedCount + " member writes in the image";
        if (latestPresent is not null)
        {
            text += "; last in: " + Name(latestPresent) + " (issued at " + latestPresent.IssuedAt + ")";
        }

        if (earliestAbsent is not null)
        {
            text += "; first out, acknowledged: " + Name(earliestAbsent) + " (acknowledged at " + earliestAbsent.AckedAt + ")";
        }

        return text;
    }

    private static string Name(WriteRecord write)
    {
        return "chain " + write.Chain + " #" + write.Index + " (volume " + write.Volume + ", LBA " + write.Lba + ")";
    }

    private static void Add(List<string> violations, string violation)
    {
        if (violations.Count < MaxViolations)
        {
            violations.Add(violation);
        }
    }
}
