// Copyright (c) 2026 The Controller Simulator authors.
// Licensed under the MIT License. See LICENSE in the repository root.

namespace Controller.Firmware.PairVocabulary;

/// <summary>
/// Why a pair command was refused (docs/state-tables.md). On the wire each is the vendor ASCQ under ASC 0x80
/// (docs/protocol.md).
/// </summary>
public enum PairErrorCode
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>The volume is not in a pair (SMPL): create the pair first.</summary>
    NotPaired = 1,

    /// <summary>The pair exists and is suspended: resync it instead of creating it again.</summary>
    PairSuspended = 2,

    /// <summary>A copy (initial, resync or restore) is running: wait for PAIR.</summary>
    CopyInProgress = 3,

    /// <summary>The pair must be split (PSUS) first.</summary>
    NotSplit = 4,

    /// <summary>The pair is suspended by error: only a (full) resync or a delete is possible.</summary>
    SuspendedByError = 5,

    /// <summary>The P-VOL and S-VOL capacities differ.</summary>
    CapacityMismatch = 6,

    /// <summary>The P-VOL already has three local mirrors (mirror units 0-2).</summary>
    MirrorUnitsExhausted = 7,

    /// <summary>The S-VOL is already the S-VOL of another pair.</summary>
    SVolInUse = 8,

    /// <summary>The P-VOL and the S-VOL are the same volume.</summary>
    SameVolume = 9,

    /// <summary>No pair joins these two volumes.</summary>
    PairNotFound = 10,

    /// <summary>The pair would close a loop of mirrors (its S-VOL already feeds its P-VOL, directly or by a cascade).</summary>
    MirrorLoop = 11,

    /// <summary>The pair is a member of an atomic split still running: a second split over it is refused (BUSY).</summary>
    SplitInProgress = 12,

    /// <summary>No mirror name is defined with this name (FIG 9).</summary>
    UnknownMirrorName = 13,

    /// <summary>The same pair appears twice in one command.</summary>
    DuplicatePair = 14,

    /// <summary>The command lists no pair (an atomic split needs one or more).</summary>
    EmptyPairList = 15,

    /// <summary>The pair already belongs to another mirror name (a pair belongs to at most one).</summary>
    NamedElsewhere = 16,

    /// <summary>The atomic split did not finish within its hold timeout: aborted, no member split.</summary>
    SplitTimeout = 17,

    /// <summary>A member left PAIR (e.g. suspended by error) during the atomic split: aborted, no member split.</summary>
    MemberFailed = 18,

    /// <summary>The mirror name is empty, too long or not printable ASCII.</summary>
    InvalidMirrorName = 19,

    /// <summary>The remote-copy link to the pair's other subsystem is down: the command needs the peer.</summary>
    LinkDown = 20,

    /// <summary>The S-VOL's port belongs to no subsystem a remote-copy path of this one reaches.</summary>
    NoRemotePath = 21,

    /// <summary>The peer has no volume at the S-VOL's address.</summary>
    RemoteVolumeNotMapped = 22,

    /// <summary>The command does not exist for this mirror type (e.g. restore of a remote mirror, pairsplit -P of a local one).</summary>
    NotSupportedForMirrorType = 23,

    /// <summary>The command changes a remote pair's state and was sent to its secondary: send it to the primary.</summary>
    NotPrimary = 24,

    /// <summary>Another command on the same remote pair is still waiting for the peer (BUSY); never for a determining pair, whose commands wait their turn.</summary>
    PairBusy = 25,

    /// <summary>The two subsystems use different track sizes, so their differential bitmaps cannot be merged.</summary>
    TrackSizeMismatch = 26,

    /// <summary>A no-copy create of volumes that are not provably equal (not from one atomic split, or written since).</summary>
    NoCopyRefused = 27,

    /// <summary>The peer answered a remote-copy command with a SCSI error that is not a pair error (TASK SET FULL, a medium error, a bad field).</summary>
    PeerError = 28,

    /// <summary>
    /// FIG 4 ABNORMAL END: the determining pair is PAIRED, so another host's reserve already holds it (a resync or swap
    /// resync of a PAIRED determining pair is refused, unlike T1's no-op).
    /// </summary>
    DeterminingPairHeld = 29,

    /// <summary>A swap resync was sent to the P-VOL: it must be sent to the S-VOL (the side that takes the P role).</summary>
    NotSecondary = 30,
}
