// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Wire.CopyManagement;

/// <summary>
/// A copy-management command with its parameter list decoded: the opcode, the CDB's options, the pairs and the
/// mirror name. The target builds one with <see cref="TryDecode"/> from a CDB and the data-out bytes; the host
/// simulator builds one with the <c>For...</c> factories and encodes it with <see cref="ToCdb"/> and
/// <see cref="TryWrite"/>. Which fields a command carries (docs/protocol.md):
/// <list type="bullet">
/// <item>PAIR CREATE to PAIR SUSPEND BY ERROR (0xC0-0xC6): a pair list of exactly one pair;</item>
/// <item>NAME MIRRORS (0xC8): a name, then a pair list of any length (none deletes the name);</item>
/// <item>ATOMIC SPLIT (0xC9): a pair list of one pair or more;</item>
/// <item>ATOMIC SPLIT BY NAME (0xCA): a name;</item>
/// <item>PAIR STATUS (0xD0): no parameter list, an allocation length.</item>
/// </list>
/// </summary>
public readonly partial struct CopyManagementRequest
{
    private readonly WirePair[]? _pairs;

    private CopyManagementRequest(CopyManagementOpcode opcode, bool readWrite, SplitMechanism mechanism, WirePair[]? pairs, string? mirrorName, uint allocationLength)
    {
        Opcode = opcode;
        ReadWrite = readWrite;
        Mechanism = mechanism;
        _pairs = pairs;
        MirrorName = mirrorName;
        AllocationLength = allocationLength;
    }

    /// <summary>Gets the command.</summary>
    public CopyManagementOpcode Opcode { get; }

    /// <summary>Gets the RW option: the split S-VOLs become read/write (splits only; false otherwise).</summary>
    public bool ReadWrite { get; }

    /// <summary>Gets how an atomic split cuts its set (atomic splits only; <see cref="SplitMechanism.ControllerDefault"/> otherwise).</summary>
    public SplitMechanism Mechanism { get; }

    /// <summary>Gets the pairs, in the order of the list (empty for ATOMIC SPLIT BY NAME and PAIR STATUS).</summary>
    public IReadOnlyList<WirePair> Pairs => _pairs ?? [];

    /// <summary>Gets the mirror name (NAME MIRRORS and ATOMIC SPLIT BY NAME; null for the other commands).</summary>
    public string? MirrorName { get; }

    /// <summary>Gets the ALLOCATION LENGTH (PAIR STATUS; 0 for the other commands).</summary>
    public uint AllocationLength { get; }

    /// <summary>Gets the CDB's MODIFIERS (<see cref="CopyManagementCdb.Modifiers"/>): NOCOPY and FENCE of a create, PROTECT P-VOL of a split.</summary>
    public byte Modifiers { get; private init; }

    /// <summary>Gets NOCOPY of a PAIR CREATE.</summary>
    public bool NoCopy => Opcode == CopyManagementOpcode.PairCreate && (Modifiers & 1) != 0;

    /// <summary>Gets FENCE of a PAIR CREATE: 0 never, 1 data (remote pairs).</summary>
    public int Fence => Opcode == CopyManagementOpcode.PairCreate ? (Modifiers >> 1) & 1 : 0;

    /// <summary>Gets DETERMINING of a PAIR CREATE (a determining pair, seed 002).</summary>
    public bool Determining => Opcode == CopyManagementOpcode.PairCreate && (Modifiers & 4) != 0;

    /// <summary>Gets PROTECT P-VOL of a PAIR SPLIT (pairsplit -P).</summary>
    public bool ProtectPVol => Opcode == CopyManagementOpcode.PairSplit && (Modifiers & 1) != 0;

    /// <summary>Creates a PAIR CREATE (0xC0) with its options.</summary>
    /// <param name="pair">The pair.</param>
    /// <param name="fence">The fence level of a remote pair: 0 never, 1 data.</param>
    /// <param name="noCopy">Create straight to PAIR, without the initial copy.</param>
    /// <param name="determining">Create a determining pair (seed 002; remote pairs).</param>
    /// <returns>The request.</returns>
    public static CopyManagementRequest ForPairCreate(WirePair pair, int fence, bool noCopy, bool determining = false)
    {
        if (fence is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(fence), fence, "FENCE is 0 (never) or 1 (data)");
        }

        return new CopyManagementRequest(CopyManagementOpcode.PairCreate, readWrite: false, SplitMechanism.ControllerDefault, [pair], mirrorName: null, allocationLength: 0)
        {
            Modifiers = CopyManagementCdb.CreateModifiers(noCopy, fence, determining),
        };
    }

    /// <summary>Creates a PAIR SPLIT (0xC1) that also write-protects the P-VOL (pairsplit -P, remote pairs).</summary>
    /// <param name="pair">The pair.</param>
    /// <returns>The request.</returns>
    public static CopyManagementRequest ForPairSplitProtectingPVol(WirePair pair)
    {
        return new CopyManagementRequest(CopyManagementOpcode.PairSplit, readWrite: false, SplitMechanism.ControllerDefault, [pair], mirrorName: null, allocationLength: 0) { Modifiers = 1 };
    }

    /// <summary>Creates one of the single-pair commands, 0xC0-0xC6 (PAIR SPLIT read-only; see <see cref="ForPairSplit"/>).</summary>
    /// <param name="opcode">PAIR CREATE, PAIR SPLIT, PAIR RESYNC, PAIR RESTORE, PAIR SWAP RESYNC, PAIR DELETE or PAIR SUSPEND BY ERROR.</param>
    /// <param name="pair">The pair.</param>
    /// <returns>The request.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The opcode is not a single-pair command.</exception>
    public static CopyManagementRequest ForPair(CopyManagementOpcode opcode, WirePair pair)
    {
        if (!CopyManagementOpcodes.IsSinglePair(opcode))
        {
            throw new ArgumentOutOfRangeException(nameof(opcode), opcode, CopyManagementOpcodes.GetName(opcode) + " is not a single-pair command");
        }

        return new CopyManagementRequest(opcode, readWrite: false, SplitMechanism.ControllerDefault, [pair], mirrorName: null, allocationLength: 0);
    }

    /// <summary>Creates a PAIR SPLIT (0xC1).</summary>
    /// <param name="pair">The pair.</param>
    /// <param name="readWrite">Whether the S-VOL becomes read/write (pairsplit -rw) rather than read-only.</param>
    /// <returns>The request.</returns>
    public static CopyManagementRequest ForPairSplit(WirePair pair, bool readWrite)
    {
        return new CopyManagementRequest(CopyManagementOpcode.PairSplit, readWrite, SplitMechanism.ControllerDefault, [pair], mirrorName: null, allocationLength: 0);
    }

    /// <summary>Creates a NAME MIRRORS (0xC8, FIG 8): defines or replaces a mirror name, or deletes it when there are no pairs.</summary>
    /// <param name="mirrorName">The name (checked when encoded).</param>
    /// <param name="pairs">The pairs it names, in order; none deletes the name.</param>
    /// <returns>The request.</returns>
    public static CopyManagementRequest ForNameMirrors(string mirrorName, ReadOnlySpan<WirePair> pairs)
    {
        ArgumentNullException.ThrowIfNull(mirrorName);
        return new CopyManagementRequest(CopyManagementOpcode.NameMirrors, readWrite: false, SplitMechanism.ControllerDefault, pairs.ToArray(), mirrorName, allocationLength: 0);
    }

    /// <summary>Creates an ATOMIC SPLIT by pair list (0xC9, FIG 7).</summary>
    /// <param name="pairs">The pairs to split at one point, in order (one or more, checked when encoded).</param>
    /// <param name="mechanism">How the split is cut.</param>
    /// <param name="readWrite">Whether the S-VOLs become read/write rather than read-only.</param>
    /// <returns>The request.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The mechanism is not defined.</exception>
    public static CopyManagementRequest ForAtomicSplit(ReadOnlySpan<WirePair> pairs, SplitMechanism mechanism, bool readWrite)
    {
        ThrowIfUndefined(mechanism);
        return new CopyManagementRequest(CopyManagementOpcode.AtomicSplit, readWrite, mechanism, pairs.ToArray(), mirrorName: null, allocationLength: 0);
    }

    /// <summary>Creates an ATOMIC SPLIT by mirror name (0xCA, FIG 9).</summary>
    /// <param name="mirrorName">The name NAME MIRRORS gave the set (checked when encoded).</param>
    /// <param name="mechanism">How the split is cut.</param>
    /// <param name="readWrite">Whether the S-VOLs become read/write rather than read-only.</param>
    /// <returns>The request.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The mechanism is not defined.</exception>
    public static CopyManagementRequest ForAtomicSplitByName(string mirrorName, SplitMechanism mechanism, bool readWrite)
    {
        ArgumentNullException.ThrowIfNull(mirrorName);
        ThrowIfUndefined(mechanism);
        return new CopyManagementRequest(CopyManagementOpcode.AtomicSplitByName, readWrite, mechanism, pairs: null, mirrorName, allocationLength: 0);
    }

    /// <summary>Creates a PAIR STATUS (0xD0): the Copy Management Table rows, as many as fit.</summary>
    /// <param name="allocationLength">The bytes the initiator can take (see <see cref="PairStatusData.GetLength"/>).</param>
    /// <returns>The request.</returns>
    public static CopyManagementRequest ForPairStatus(uint allocationLength)
    {
        return new CopyManagementRequest(CopyManagementOpcode.PairStatus, readWrite: false, SplitMechanism.ControllerDefault, pairs: null, mirrorName: null, allocationLength);
    }

    /// <summary>Formats for logs, e.g. "ATOMIC SPLIT freeze read-only: 0x400104/0x0001 -> 0x400104/0x0002, ...".</summary>
    /// <returns>The command, its options, the name and the first pairs.</returns>
    public override string ToString()
    {
        // Logs need the gist, not 65535 pairs.
        const int PairsShown = 4;
        string text = CopyManagementCdb.Describe(Opcode, ReadWrite, Mechanism);
        if (MirrorName is not null)
        {
            text += " '" + MirrorName + "'";
        }

        IReadOnlyList<WirePair> pairs = Pairs;
        for (int i = 0; i < pairs.Count && i < PairsShown; i++)
        {
            text += (i == 0 ? ": " : ", ") + pairs[i].ToString();
        }

        if (pairs.Count > PairsShown)
        {
            text += " and " + (pairs.Count - PairsShown) + " more";
        }

        return Opcode == CopyManagementOpcode.PairStatus ? text + ", allocation length " + AllocationLength : text;
    }

    private static void ThrowIfUndefined(SplitMechanism mechanism)
    {
        if (mechanism > SplitMechanism.SequenceCut)
        {
            throw new ArgumentOutOfRangeException(nameof(mechanism), mechanism, "MECHANISM is 0 (default), 1 (freeze) or 2 (sequence cut)");
        }
    }
}
