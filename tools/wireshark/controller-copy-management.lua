-- Copyright (c) 2026 The Controller Simulator authors.
-- Licensed under the MIT License. See LICENSE in the repository root.
--
-- Wireshark/tshark plug-in (Lua postdissector, "ctlcm"): names the controller's vendor copy-management CDBs
-- (opcodes 0xC0-0xD0, docs/protocol.md "Copy management") carried in FCP_CMND, and decodes the parameter list
-- (FCP_DATA out: pair list, mirror name) and the PAIR STATUS rows (FCP_DATA in) of the same exchange.
--
-- The copy-management CDB: byte 1 bit 0 RW (splits), bits 2-1 MECHANISM (atomic splits), bits 5-3 MODIFIERS (a number
-- 0-7: PAIR CREATE bit 0 NOCOPY, bit 1 FENCE 0 never / 1 data, bit 2 DETERMINING, a determining pair; PAIR SPLIT bit 0
-- PROTECT P-VOL, pairsplit -P), bits 7-6 reserved; bytes 6-9 PARAMETER LIST (ALLOCATION for PAIR STATUS) LENGTH.
-- A PAIR STATUS row's byte 23 is FLAGS: bit 0 SECONDARY (the secondary's row: the local volume is the S-VOL), bit 1
-- DETERMINING; bits 7-2 0. A row is 96 bytes: bytes 80-87 TRACKS COPIED by the pair's last copy (initial copy, resync,
-- restore, swap resync), 88-95 the last copy's TOTAL TRACKS; a target from before them sent 80-byte rows (row length 80).
--
-- It also decodes, as protocol "ctlrc" (Controller remote copy), the vendor commands of the remote-copy link, sent
-- by a primary controller's initiator port to a target port of its secondary (firmware/Controller.Wire/RemoteCopy);
-- a PAIR COMMAND (RC PAIR CONTROL KIND 10) and the RC READ BITMAP after an accepted swap resync go the other way, from
-- the secondary's initiator port to the primary's target port, at the P-VOL's LUN. All are 16-byte CDBs, big-endian:
--   0xE0 RC UPDATE COPY (data-out: the blocks, shown by length only): byte 1 bit 0 COPIED TRACK (1: a track of an
--        initial copy or resync, 0: a host write), bit 1 BEYOND CUT (the write is beyond the sequence cut of a
--        cross-subsystem atomic split the primary coordinates), bits 7-2 reserved; bytes 2-7 LBA; 8-9 TRANSFER
--        LENGTH (512-byte blocks; FCP_DL = TRANSFER LENGTH x 512); 10-15 SEQUENCE (the origin host write's sequence
--        number in the primary, 0 for a copied track). The S-VOL is the FCP_CMND's LUN behind the frame's D_ID.
--   0xE1 RC PAIR CONTROL (data-out): bytes 6-9 PARAMETER LIST LENGTH = 32 to 32+32+36+4+4096x16 (a 32-byte header
--        and a tail), every other byte 0. Header: byte 0 KIND (1 CREATE, 2 SET STATE, 4 DELETE, 5 NAME MIRRORS,
--        6 SPLIT PREPARE, 7 SPLIT COMMIT, 8 SPLIT ABORT, 9 SPLIT CONFIRM, 10 PAIR COMMAND; 3 is not used here),
--        1 STATE (pair state number), 2 SPLIT MODE (1 read/write), 3 FENCE (0 never, 1 data), 4-7 P-VOL port ID and
--        8-9 its LUN, 10-13 S-VOL port ID and 14-15 its LUN, 16-23 P-VOL capacity in blocks, 24-27 track size in
--        bytes, 28 OPERATION (PAIR COMMAND only: the firmware's PairOperation number, 1 Split, 2 SuspendByError,
--        3 Resync, 4 Restore, 5 SwapResync, 6 Delete, 8 SplitProtectPVol; 0 in the other kinds), 29 FLAGS (bit 0
--        DETERMINING, a determining pair: CREATE only), 30-31 reserved. PAIR COMMAND: a pair command sent to a remote
--        pair's secondary, passed to the owner, the primary (sent by the secondary to the P-VOL's LUN there).
--        Tail by KIND: CREATE none, or (a no-copy create) a SPLIT BLOCK naming its origin; SET STATE, DELETE and
--        PAIR COMMAND none;
--        NAME MIRRORS a mirror name block and a pair list, as in the copy-management NAME MIRRORS (0xC8; the header's
--        volume fields are 0); SPLIT PREPARE/COMMIT/ABORT/CONFIRM a SPLIT BLOCK and a pair list (the peer's members;
--        empty, count 0, for ABORT and CONFIRM). The tail fills the list exactly.
--        SPLIT BLOCK (32 bytes): 0-3 SERIAL (the coordinating subsystem's serial number), 4-7 SPLIT number (shown
--        "serial#split", e.g. 1#7), byte 8 MECHANISM (0 none, 1 freeze, 2 sequence cut), 9 SPLIT MODE (1 read/write),
--        10-11 reserved, 12-15 HOLD TIMEOUT (ms), 16-23 SPLIT TIME (ns since 1970), 24-27 ORIGIN port ID and 28-29
--        ORIGIN LUN (the volume a no-copy create's P-VOL was split from), byte 30 bit 0 ORIGIN PRESENT, 31 reserved.
--   0xE2 RC RESYNC (data-in: the S side's differential bitmap, one bit per track, track 0 in bit 0 of byte 0):
--        bytes 1-3 P-VOL port ID, 4-5 P-VOL LUN; 6-9 ALLOCATION LENGTH; 10-15 reserved. S-VOL as for 0xE0.
--   0xE3 RC READ BITMAP (data-in, the CDB of RC RESYNC): fetches the bitmap set aside with the answer to an RC PAIR
--        CONTROL, decoded as the RC RESYNC bitmap: after a no-copy CREATE the S-VOL's changes since the split (sent to
--        the S-VOL, the CDB naming the P-VOL); after an accepted PAIR COMMAND SwapResync the old owner's changes to the
--        P-VOL (sent by the new primary to the P-VOL's LUN at the old owner, the CDB naming the S-VOL: the plug-in
--        labels the volumes so when that PAIR COMMAND came before it on the same ports).
-- The receiver refuses any of them with CHECK CONDITION 05/80/<pair error code>, decoded as for copy management.
--
-- Load:  tshark -X lua_script:tools/wireshark/controller-copy-management.lua -r trace.pcap
--        (FCIP on TCP: add -d tcp.port==3225,fcip), or copy this file to ~/.local/lib/wireshark/plugins/.
--
-- Where the FC-2 frames are found:
--   * pcap link type 224 (LINKTYPE_FC_2), or any other carrier the stock FC dissector handles: at the stock field
--     fc.r_ctl, the frame running to the end of the packet;
--   * FCIP (RFC 3821) on TCP port 3225 (preference "FCIP TCP port"): the plug-in splits the TCP byte stream into
--     FCIP frames itself (tcp.payload, tcp.seq_raw), because the stock FCIP dissector of Wireshark 4.0 dissects the
--     first FC frame of a segment again for every further frame in it and loses frames that span segments. It does
--     so with or without -d tcp.port==3225,fcip (which the stock FC/FCP/SCSI decoding of the same packets needs);
--   * FCIP on another port, left to the stock dissector by Decode As: at fcip.framelen (whole frames only).
-- The FC header and FCP payloads are then read from the bytes directly, so the plug-in needs no FCP or SCSI field
-- (tshark 4.0 has none for the CDB: fcp.* stops at fcp.dl and the SCSI layer shows a vendor CDB as plain data).
--
-- Correlation: an exchange is (initiator port ID, target port ID, OX_ID); the initiator is S_ID unless F_CTL says
-- the frame comes from the exchange responder. A data or response frame belongs to the latest FCP_CMND before it on
-- that exchange; state is kept per frame, not per pass, so the GUI's re-dissections and tshark -2 show the same.
-- Malformed or truncated data never raises a Lua error: it is shown with an expert info (ctlcm.truncated, ...).
--
-- Display filter fields: ctlcm.opcode, ctlcm.command, ctlcm.rw, ctlcm.mechanism, ctlcm.modifiers, ctlcm.nocopy,
-- ctlcm.fence, ctlcm.determining, ctlcm.protect_pvol, ctlcm.param_list_length, ctlcm.alloc_length, ctlcm.pair_count,
-- ctlcm.pvol, ctlcm.svol (text "0x400104/0x0001"), ctlcm.pvol.port_id, ctlcm.pvol.lun, ctlcm.svol.port_id,
-- ctlcm.svol.lun, ctlcm.vol (either), ctlcm.mirror_name, ctlcm.status.* (ctlcm.status.flags, .secondary,
-- .determining, ...), ctlcm.response.*, ctlcm.command_in; expert infos ctlcm.truncated, ctlcm.reserved_not_zero,
-- ctlcm.length_mismatch, ctlcm.bad_pair_count, ctlcm.bad_mirror_name, ctlcm.bad_mechanism, ctlcm.pair_error, ...
--
-- Remote copy: ctlrc (the protocol), ctlrc.opcode, ctlrc.command, ctlrc.lun, ctlrc.flags, ctlrc.copied_track,
-- ctlrc.beyond_cut, ctlrc.lba, ctlrc.transfer_length, ctlrc.sequence, ctlrc.param_list_length, ctlrc.alloc_length,
-- ctlrc.fcp_dl, ctlrc.kind, ctlrc.state, ctlrc.split_mode, ctlrc.fence, ctlrc.pvol, ctlrc.svol (text
-- "0x400104/0x0001"; for RC UPDATE COPY, RC RESYNC and RC READ BITMAP the S-VOL is generated from D_ID and LUN, for
-- the RC READ BITMAP after a PAIR COMMAND SwapResync the P-VOL), ctlrc.pvol.port_id, ctlrc.pvol.lun,
-- ctlrc.svol.port_id, ctlrc.svol.lun, ctlrc.vol (either, members too), ctlrc.capacity, ctlrc.track_size,
-- ctlrc.operation (PAIR COMMAND), ctlrc.flags (also the list's FLAGS, byte 29) and ctlrc.determining (CREATE); the
-- split block: ctlrc.split (text "1#7"), ctlrc.split.serial, ctlrc.split.id, ctlrc.split.mechanism,
-- ctlrc.split.mode, ctlrc.split.hold_timeout, ctlrc.split.time, ctlrc.split.origin (text), ctlrc.split.origin.port_id,
-- ctlrc.split.origin.lun, ctlrc.split.origin_present; the name block and pair list: ctlrc.name_length, ctlrc.name,
-- ctlrc.members (count), ctlrc.member, ctlrc.member.pvol, ctlrc.member.svol, ctlrc.member.pvol.port_id,
-- ctlrc.member.pvol.lun, ctlrc.member.svol.port_id, ctlrc.member.svol.lun; ctlrc.bitmap, ctlrc.bitmap.marked,
-- ctlrc.bitmap.track, ctlrc.data_offset, ctlrc.data_length, ctlrc.response.*, ctlrc.command_in; expert infos
-- ctlrc.truncated, ctlrc.reserved_not_zero, ctlrc.length_mismatch, ctlrc.bad_field, ctlrc.bad_mirror_name,
-- ctlrc.wrong_direction, ctlrc.reassembled, ctlrc.pair_error, ctlrc.bitmap_short.

local ctlcm = Proto("ctlcm", "Controller copy management")
local ctlrc = Proto("ctlrc", "Controller remote copy")

local band = bit32.band
local rshift = bit32.rshift

---------------------------------------------------------------------------------------------------------------------
-- Names
---------------------------------------------------------------------------------------------------------------------

local OPCODE_NAMES = {
    [0xC0] = "PAIR CREATE",
    [0xC1] = "PAIR SPLIT",
    [0xC2] = "PAIR RESYNC",
    [0xC3] = "PAIR RESTORE",
    [0xC4] = "PAIR SWAP RESYNC",
    [0xC5] = "PAIR DELETE",
    [0xC6] = "PAIR SUSPEND BY ERROR",
    [0xC8] = "NAME MIRRORS",
    [0xC9] = "ATOMIC SPLIT",
    [0xCA] = "ATOMIC SPLIT BY NAME",
    [0xD0] = "PAIR STATUS",
}

local OP_PAIR_CREATE = 0xC0
local OP_PAIR_SPLIT = 0xC1
local OP_NAME_MIRRORS = 0xC8
local OP_ATOMIC_SPLIT = 0xC9
local OP_ATOMIC_SPLIT_BY_NAME = 0xCA
local OP_PAIR_STATUS = 0xD0

local function is_single_pair(op) return op >= 0xC0 and op <= 0xC6 end
local function takes_rw(op) return op == 0xC1 or op == OP_ATOMIC_SPLIT or op == OP_ATOMIC_SPLIT_BY_NAME end
local function takes_mechanism(op) return op == OP_ATOMIC_SPLIT or op == OP_ATOMIC_SPLIT_BY_NAME end
local function takes_modifiers(op) return op == OP_PAIR_CREATE or op == OP_PAIR_SPLIT end

local MECHANISM_NAMES = {
    [0] = "controller default",
    [1] = "freeze",
    [2] = "sequence cut",
    [3] = "reserved (refused)",
}

local PAIR_TYPE_NAMES = { [0] = "LOCAL", [1] = "REMOTE" }
local PAIR_STATE_NAMES = {
    [0] = "SMPL", [1] = "COPY", [2] = "PAIR", [3] = "PSUS", [4] = "PSUE", [5] = "COPY(RS)", [6] = "RCPY",
}
local SPLIT_MODE_NAMES = { [0] = "read-only", [1] = "read/write" }

-- MODIFIERS (CDB byte 1 bits 5-3, a number 0-7): PAIR CREATE bit 0 NOCOPY, bit 1 FENCE (0 never, 1 data), bit 2
-- DETERMINING (a determining pair, seed 002), so 0-7 are all defined; PAIR SPLIT bit 0 PROTECT P-VOL (pairsplit -P),
-- 2-7 refused; reserved (0) for the other commands.
local MODIFIERS_MAX = { [OP_PAIR_CREATE] = 7, [OP_PAIR_SPLIT] = 1 }

-- FLAGS of a PAIR STATUS row (byte 23): the bits defined; the others are 0.
local ROW_SECONDARY, ROW_DETERMINING = 0x01, 0x02

-- Vendor ASC/ASCQ of a rejected pair command (docs/protocol.md "Copy-management errors").
local PAIR_ERROR_NAMES = {
    [0x01] = "NotPaired", [0x02] = "PairSuspended", [0x03] = "CopyInProgress", [0x04] = "NotSplit",
    [0x05] = "SuspendedByError", [0x06] = "CapacityMismatch", [0x07] = "MirrorUnitsExhausted",
    [0x08] = "SVolInUse", [0x09] = "SameVolume", [0x0A] = "PairNotFound", [0x0B] = "MirrorLoop",
    [0x0C] = "SplitInProgress", [0x0D] = "UnknownMirrorName", [0x0E] = "DuplicatePair", [0x0F] = "EmptyPairList",
    [0x10] = "NamedElsewhere", [0x11] = "SplitTimeout", [0x12] = "MemberFailed", [0x13] = "InvalidMirrorName",
    -- Remote copy (pair error codes 20-28).
    [0x14] = "LinkDown", [0x15] = "NoRemotePath", [0x16] = "RemoteVolumeNotMapped",
    [0x17] = "NotSupportedForMirrorType", [0x18] = "NotPrimary", [0x19] = "PairBusy", [0x1A] = "TrackSizeMismatch",
    [0x1B] = "NoCopyRefused", [0x1C] = "PeerError",
    -- Determining pairs (pair error codes 29-30).
    [0x1D] = "DeterminingPairHeld", [0x1E] = "NotSecondary",
}

-- Remote-copy link (protocol ctlrc): sent by a primary's initiator port to a target port of its secondary (a PAIR
-- COMMAND and the RC READ BITMAP after it the other way).
local RC_OPCODE_NAMES = {
    [0xE0] = "RC UPDATE COPY",
    [0xE1] = "RC PAIR CONTROL",
    [0xE2] = "RC RESYNC",
    [0xE3] = "RC READ BITMAP",
}

local OP_RC_UPDATE_COPY = 0xE0
local OP_RC_PAIR_CONTROL = 0xE1
local OP_RC_RESYNC = 0xE2
local OP_RC_READ_BITMAP = 0xE3

local function is_rc_bitmap(op) return op == OP_RC_RESYNC or op == OP_RC_READ_BITMAP end

local RC_KIND_CREATE, RC_KIND_SET_STATE, RC_KIND_DELETE, RC_KIND_NAME_MIRRORS = 1, 2, 4, 5
local RC_KIND_SPLIT_PREPARE, RC_KIND_SPLIT_COMMIT, RC_KIND_SPLIT_ABORT, RC_KIND_SPLIT_CONFIRM = 6, 7, 8, 9
local RC_KIND_PAIR_COMMAND = 10
local RC_KIND_NAMES = { [1] = "CREATE", [2] = "SET STATE", [3] = "not used on this command", [4] = "DELETE",
    [5] = "NAME MIRRORS", [6] = "SPLIT PREPARE", [7] = "SPLIT COMMIT", [8] = "SPLIT ABORT", [9] = "SPLIT CONFIRM",
    [10] = "PAIR COMMAND" }
local function is_rc_split_kind(kind) return kind >= RC_KIND_SPLIT_PREPARE and kind <= RC_KIND_SPLIT_CONFIRM end
local SPLIT_MECHANISM_NAMES = { [0] = "none", [1] = "freeze", [2] = "sequence cut" }

-- RC PAIR CONTROL parameter list lengths: the header, and the longest list (header, split block, longest name block,
-- pair list of 4,096 pairs).
local RC_PC_HEADER = 32
local RC_SPLIT_BLOCK = 32
local RC_PC_MAX = RC_PC_HEADER + RC_SPLIT_BLOCK + 36 + 4 + 4096 * 16
local FENCE_NAMES = { [0] = "never", [1] = "data" }
local STATE_PSUS = 3
-- OPERATION of a PAIR COMMAND (KIND 10, header byte 28): the firmware's PairOperation number
-- (firmware/Controller.Firmware/Pairs/PairOperation.cs). A pair is created at its primary, so 0 and 7 are never
-- passed on: a PAIR COMMAND carries 1-6 or 8.
local PAIR_OPERATION_NAMES = {
    [0] = "Create", [1] = "Split", [2] = "SuspendByError", [3] = "Resync", [4] = "Restore", [5] = "SwapResync",
    [6] = "Delete", [7] = "CreateNoCopy", [8] = "SplitProtectPVol",
}
local OPERATION_SPLIT, OPERATION_SWAP_RESYNC = 1, 5
local function is_passed_operation(op) return op >= 1 and op <= 8 and op ~= 7 end
-- FLAGS of RC PAIR CONTROL (header byte 29): bit 0 DETERMINING, in a CREATE only.
local RC_FLAG_DETERMINING = 0x01

local SCSI_STATUS_NAMES = {
    [0x00] = "GOOD", [0x02] = "CHECK CONDITION", [0x08] = "BUSY", [0x18] = "RESERVATION CONFLICT",
    [0x28] = "TASK SET FULL",
}

---------------------------------------------------------------------------------------------------------------------
-- Fields (all filterable: tshark -Y 'ctlcm.opcode == 0xc9', 'ctlcm.pvol == "0x400104/0x0001"', ...)
---------------------------------------------------------------------------------------------------------------------

local pf = {
    opcode = ProtoField.uint8("ctlcm.opcode", "Operation code", base.HEX, OPCODE_NAMES),
    command = ProtoField.string("ctlcm.command", "Command"),
    lun = ProtoField.uint16("ctlcm.lun", "Command LUN", base.HEX),
    options = ProtoField.uint8("ctlcm.options", "Options", base.HEX),
    options_reserved = ProtoField.uint8("ctlcm.options.reserved", "Reserved", base.HEX, nil, 0xC0),
    mechanism = ProtoField.uint8("ctlcm.mechanism", "MECHANISM", base.DEC, MECHANISM_NAMES, 0x06),
    rw = ProtoField.bool("ctlcm.rw", "RW", 8, { "read/write S-VOL", "read-only S-VOL" }, 0x01),
    modifiers = ProtoField.uint8("ctlcm.modifiers", "MODIFIERS", base.DEC, nil, 0x38),
    nocopy = ProtoField.bool("ctlcm.nocopy", "NOCOPY", 8, { "no initial copy (straight to PAIR)", "initial copy" },
        0x08),
    fence = ProtoField.uint8("ctlcm.fence", "FENCE", base.DEC, FENCE_NAMES, 0x10),
    determining = ProtoField.bool("ctlcm.determining", "DETERMINING", 8,
        { "determining pair (seed 002)", "not a determining pair" }, 0x20),
    protect_pvol = ProtoField.bool("ctlcm.protect_pvol", "PROTECT P-VOL", 8,
        { "P-VOL write-protected too (pairsplit -P)", "P-VOL not protected" }, 0x08),
    param_list_length = ProtoField.uint32("ctlcm.param_list_length", "PARAMETER LIST LENGTH", base.DEC),
    alloc_length = ProtoField.uint32("ctlcm.alloc_length", "ALLOCATION LENGTH", base.DEC),
    control = ProtoField.uint8("ctlcm.control", "CONTROL", base.HEX),
    reserved = ProtoField.bytes("ctlcm.reserved", "Reserved"),
    fcp_dl = ProtoField.uint32("ctlcm.fcp_dl", "FCP_DL", base.DEC),
    command_in = ProtoField.framenum("ctlcm.command_in", "Command in", base.NONE, frametype.REQUEST),
    data_offset = ProtoField.uint32("ctlcm.data_offset", "Relative offset", base.DEC),
    data_length = ProtoField.uint32("ctlcm.data_length", "Bytes in this frame", base.DEC),

    pair_count = ProtoField.uint16("ctlcm.pair_count", "Number of pair descriptors", base.DEC),
    pair = ProtoField.none("ctlcm.pair", "Pair descriptor"),
    pvol = ProtoField.string("ctlcm.pvol", "P-VOL"),
    pvol_port = ProtoField.uint24("ctlcm.pvol.port_id", "P-VOL port ID", base.HEX),
    pvol_lun = ProtoField.uint16("ctlcm.pvol.lun", "P-VOL LUN", base.HEX),
    svol = ProtoField.string("ctlcm.svol", "S-VOL"),
    svol_port = ProtoField.uint24("ctlcm.svol.port_id", "S-VOL port ID", base.HEX),
    svol_lun = ProtoField.uint16("ctlcm.svol.lun", "S-VOL LUN", base.HEX),
    vol = ProtoField.string("ctlcm.vol", "Volume (P-VOL or S-VOL)"),

    name_block = ProtoField.none("ctlcm.mirror_name_block", "Mirror name block"),
    name_length = ProtoField.uint8("ctlcm.mirror_name_length", "Name length", base.DEC),
    mirror_name = ProtoField.string("ctlcm.mirror_name", "Mirror name"),
    name_padding = ProtoField.bytes("ctlcm.mirror_name_padding", "Padding"),

    st_row_data_length = ProtoField.uint32("ctlcm.status.row_data_length", "ROW DATA LENGTH", base.DEC),
    st_row_count = ProtoField.uint16("ctlcm.status.row_count", "Number of rows", base.DEC),
    st_row_length = ProtoField.uint16("ctlcm.status.row_length", "Row length", base.DEC),
    st_row = ProtoField.none("ctlcm.status.row", "Row"),
    st_entry_id = ProtoField.uint32("ctlcm.status.entry_id", "Entry ID", base.DEC),
    st_type = ProtoField.uint8("ctlcm.status.type", "Type", base.DEC, PAIR_TYPE_NAMES),
    st_state = ProtoField.uint8("ctlcm.status.state", "State", base.DEC, PAIR_STATE_NAMES),
    st_split_mode = ProtoField.uint8("ctlcm.status.split_mode", "Split mode", base.DEC, SPLIT_MODE_NAMES),
    st_mirror_unit = ProtoField.uint8("ctlcm.status.mirror_unit", "Mirror unit", base.DEC),
    st_progress = ProtoField.uint8("ctlcm.status.progress", "Copy progress (%)", base.DEC),
    st_flags = ProtoField.uint8("ctlcm.status.flags", "Flags", base.HEX),
    st_secondary = ProtoField.bool("ctlcm.status.secondary", "SECONDARY", 8,
        { "the secondary's row (the local volume is the S-VOL)", "not the secondary's row" }, ROW_SECONDARY),
    st_determining = ProtoField.bool("ctlcm.status.determining", "DETERMINING", 8,
        { "determining pair (seed 002)", "not a determining pair" }, ROW_DETERMINING),
    st_flags_reserved = ProtoField.uint8("ctlcm.status.flags.reserved", "Reserved", base.HEX, nil, 0xFC),
    st_split_seq = ProtoField.uint64("ctlcm.status.split_sequence", "Split sequence number", base.DEC),
    st_split_time = ProtoField.absolute_time("ctlcm.status.split_time", "Split time", base.UTC),
    st_diff_tracks = ProtoField.uint64("ctlcm.status.differential_tracks", "Differential tracks", base.DEC),
    st_copied_tracks = ProtoField.uint64("ctlcm.status.copied_tracks", "Tracks copied by the last copy", base.DEC),
    st_copy_total = ProtoField.uint64("ctlcm.status.copy_total_tracks", "Last copy's total tracks", base.DEC),

    rsp_status = ProtoField.uint8("ctlcm.response.status", "SCSI status", base.HEX, SCSI_STATUS_NAMES),
    rsp_sense_key = ProtoField.uint8("ctlcm.response.sense_key", "Sense key", base.HEX),
    rsp_asc = ProtoField.uint8("ctlcm.response.asc", "ASC", base.HEX),
    rsp_ascq = ProtoField.uint8("ctlcm.response.ascq", "ASCQ", base.HEX),
    rsp_pair_error = ProtoField.string("ctlcm.response.pair_error", "Pair error"),
}

local field_list = {}
for _, f in pairs(pf) do field_list[#field_list + 1] = f end
ctlcm.fields = field_list

local ef = {
    truncated = ProtoExpert.new("ctlcm.truncated", "Copy-management data truncated",
        expert.group.MALFORMED, expert.severity.ERROR),
    reserved = ProtoExpert.new("ctlcm.reserved_not_zero", "Reserved field not zero",
        expert.group.PROTOCOL, expert.severity.WARN),
    length = ProtoExpert.new("ctlcm.length_mismatch", "Length does not match the parameter list",
        expert.group.PROTOCOL, expert.severity.WARN),
    count = ProtoExpert.new("ctlcm.bad_pair_count", "Pair count not allowed for this command",
        expert.group.PROTOCOL, expert.severity.WARN),
    name = ProtoExpert.new("ctlcm.bad_mirror_name", "Mirror name not valid",
        expert.group.PROTOCOL, expert.severity.WARN),
    mechanism = ProtoExpert.new("ctlcm.bad_mechanism", "MECHANISM 3 is refused",
        expert.group.PROTOCOL, expert.severity.WARN),
    direction = ProtoExpert.new("ctlcm.wrong_direction", "Data in the wrong direction for this command",
        expert.group.SEQUENCE, expert.severity.WARN),
    reassembled = ProtoExpert.new("ctlcm.reassembled", "Data spans several FCP_DATA frames",
        expert.group.REASSEMBLE, expert.severity.CHAT),
    pair_error = ProtoExpert.new("ctlcm.pair_error", "Pair command rejected",
        expert.group.RESPONSE_CODE, expert.severity.NOTE),
    allocation = ProtoExpert.new("ctlcm.allocation_short", "ALLOCATION LENGTH holds only some of the rows",
        expert.group.PROTOCOL, expert.severity.NOTE),
    internal = ProtoExpert.new("ctlcm.internal_error", "Plug-in could not decode this frame",
        expert.group.MALFORMED, expert.severity.ERROR),
}
ctlcm.experts = { ef.truncated, ef.reserved, ef.length, ef.count, ef.name, ef.mechanism, ef.direction,
    ef.reassembled, ef.pair_error, ef.allocation, ef.internal }

-- Remote copy (tshark -Y 'ctlrc.opcode == 0xe1', 'ctlrc.svol == "0x421014/0x0002"', 'ctlrc.sequence == 4711', ...)
local rpf = {
    opcode = ProtoField.uint8("ctlrc.opcode", "Operation code", base.HEX, RC_OPCODE_NAMES),
    command = ProtoField.string("ctlrc.command", "Command"),
    lun = ProtoField.uint16("ctlrc.lun", "Command LUN", base.HEX),
    flags = ProtoField.uint8("ctlrc.flags", "Flags", base.HEX),
    flags_reserved = ProtoField.uint8("ctlrc.flags.reserved", "Reserved", base.HEX, nil, 0xFC),
    copied_track = ProtoField.bool("ctlrc.copied_track", "COPIED TRACK", 8,
        { "copied track (initial copy or resync)", "host write" }, 0x01),
    beyond_cut = ProtoField.bool("ctlrc.beyond_cut", "BEYOND CUT", 8,
        { "beyond the sequence cut of a cross-subsystem split", "not beyond a cut" }, 0x02),
    lba = ProtoField.uint64("ctlrc.lba", "LBA", base.DEC),
    transfer_length = ProtoField.uint16("ctlrc.transfer_length", "TRANSFER LENGTH (blocks)", base.DEC),
    sequence = ProtoField.uint64("ctlrc.sequence", "SEQUENCE", base.DEC),
    param_list_length = ProtoField.uint32("ctlrc.param_list_length", "PARAMETER LIST LENGTH", base.DEC),
    alloc_length = ProtoField.uint32("ctlrc.alloc_length", "ALLOCATION LENGTH", base.DEC),
    reserved = ProtoField.bytes("ctlrc.reserved", "Reserved"),
    fcp_dl = ProtoField.uint32("ctlrc.fcp_dl", "FCP_DL", base.DEC),
    command_in = ProtoField.framenum("ctlrc.command_in", "Command in", base.NONE, frametype.REQUEST),
    data_offset = ProtoField.uint32("ctlrc.data_offset", "Relative offset", base.DEC),
    data_length = ProtoField.uint32("ctlrc.data_length", "Bytes in this frame", base.DEC),

    kind = ProtoField.uint8("ctlrc.kind", "KIND", base.DEC, RC_KIND_NAMES),
    state = ProtoField.uint8("ctlrc.state", "STATE", base.DEC, PAIR_STATE_NAMES),
    split_mode = ProtoField.uint8("ctlrc.split_mode", "SPLIT MODE", base.DEC, SPLIT_MODE_NAMES),
    fence = ProtoField.uint8("ctlrc.fence", "FENCE", base.DEC, FENCE_NAMES),
    pvol = ProtoField.string("ctlrc.pvol", "P-VOL"),
    pvol_port = ProtoField.uint24("ctlrc.pvol.port_id", "P-VOL port ID", base.HEX),
    pvol_lun = ProtoField.uint16("ctlrc.pvol.lun", "P-VOL LUN", base.HEX),
    svol = ProtoField.string("ctlrc.svol", "S-VOL"),
    svol_port = ProtoField.uint24("ctlrc.svol.port_id", "S-VOL port ID", base.HEX),
    svol_lun = ProtoField.uint16("ctlrc.svol.lun", "S-VOL LUN", base.HEX),
    vol = ProtoField.string("ctlrc.vol", "Volume (P-VOL or S-VOL)"),
    capacity = ProtoField.uint64("ctlrc.capacity", "P-VOL capacity (blocks)", base.DEC),
    track_size = ProtoField.uint32("ctlrc.track_size", "Track size (bytes)", base.DEC),
    operation = ProtoField.uint8("ctlrc.operation", "OPERATION", base.DEC, PAIR_OPERATION_NAMES),
    determining = ProtoField.bool("ctlrc.determining", "DETERMINING", 8,
        { "determining pair (seed 002)", "not a determining pair" }, RC_FLAG_DETERMINING),

    split = ProtoField.string("ctlrc.split", "Split (serial#split)"),
    split_serial = ProtoField.uint32("ctlrc.split.serial", "SERIAL (coordinating subsystem)", base.DEC),
    split_id = ProtoField.uint32("ctlrc.split.id", "SPLIT number", base.DEC),
    split_mechanism = ProtoField.uint8("ctlrc.split.mechanism", "MECHANISM", base.DEC, SPLIT_MECHANISM_NAMES),
    split_split_mode = ProtoField.uint8("ctlrc.split.mode", "SPLIT MODE", base.DEC, SPLIT_MODE_NAMES),
    split_hold = ProtoField.uint32("ctlrc.split.hold_timeout", "HOLD TIMEOUT (ms)", base.DEC),
    split_time = ProtoField.absolute_time("ctlrc.split.time", "SPLIT TIME", base.UTC),
    split_origin = ProtoField.string("ctlrc.split.origin", "ORIGIN"),
    split_origin_port = ProtoField.uint24("ctlrc.split.origin.port_id", "ORIGIN port ID", base.HEX),
    split_origin_lun = ProtoField.uint16("ctlrc.split.origin.lun", "ORIGIN LUN", base.HEX),
    split_origin_present = ProtoField.bool("ctlrc.split.origin_present", "ORIGIN PRESENT", 8,
        { "origin present (no-copy create)", "no origin" }, 0x01),

    name_block = ProtoField.none("ctlrc.name_block", "Mirror name block"),
    name_length = ProtoField.uint8("ctlrc.name_length", "Name length", base.DEC),
    name = ProtoField.string("ctlrc.name", "Mirror name"),
    name_padding = ProtoField.bytes("ctlrc.name_padding", "Padding"),
    members = ProtoField.uint16("ctlrc.members", "Number of pair descriptors", base.DEC),
    member = ProtoField.none("ctlrc.member", "Pair descriptor"),
    member_pvol = ProtoField.string("ctlrc.member.pvol", "P-VOL"),
    member_pvol_port = ProtoField.uint24("ctlrc.member.pvol.port_id", "P-VOL port ID", base.HEX),
    member_pvol_lun = ProtoField.uint16("ctlrc.member.pvol.lun", "P-VOL LUN", base.HEX),
    member_svol = ProtoField.string("ctlrc.member.svol", "S-VOL"),
    member_svol_port = ProtoField.uint24("ctlrc.member.svol.port_id", "S-VOL port ID", base.HEX),
    member_svol_lun = ProtoField.uint16("ctlrc.member.svol.lun", "S-VOL LUN", base.HEX),

    bitmap = ProtoField.bytes("ctlrc.bitmap", "Differential bitmap"),
    bitmap_marked = ProtoField.uint32("ctlrc.bitmap.marked", "Tracks marked in this frame", base.DEC),
    bitmap_track = ProtoField.uint32("ctlrc.bitmap.track", "Marked track", base.DEC),

    rsp_status = ProtoField.uint8("ctlrc.response.status", "SCSI status", base.HEX, SCSI_STATUS_NAMES),
    rsp_sense_key = ProtoField.uint8("ctlrc.response.sense_key", "Sense key", base.HEX),
    rsp_asc = ProtoField.uint8("ctlrc.response.asc", "ASC", base.HEX),
    rsp_ascq = ProtoField.uint8("ctlrc.response.ascq", "ASCQ", base.HEX),
    rsp_pair_error = ProtoField.string("ctlrc.response.pair_error", "Pair error"),
}

local rc_field_list = {}
for _, f in pairs(rpf) do rc_field_list[#rc_field_list + 1] = f end
ctlrc.fields = rc_field_list

local ref = {
    truncated = ProtoExpert.new("ctlrc.truncated", "Remote-copy data truncated",
        expert.group.MALFORMED, expert.severity.ERROR),
    reserved = ProtoExpert.new("ctlrc.reserved_not_zero", "Reserved field not zero",
        expert.group.PROTOCOL, expert.severity.WARN),
    length = ProtoExpert.new("ctlrc.length_mismatch", "Length does not match the command",
        expert.group.PROTOCOL, expert.severity.WARN),
    field = ProtoExpert.new("ctlrc.bad_field", "Field value the secondary refuses",
        expert.group.PROTOCOL, expert.severity.WARN),
    direction = ProtoExpert.new("ctlrc.wrong_direction", "Data in the wrong direction for this command",
        expert.group.SEQUENCE, expert.severity.WARN),
    reassembled = ProtoExpert.new("ctlrc.reassembled", "Data spans several FCP_DATA frames",
        expert.group.REASSEMBLE, expert.severity.CHAT),
    pair_error = ProtoExpert.new("ctlrc.pair_error", "Remote-copy command rejected",
        expert.group.RESPONSE_CODE, expert.severity.NOTE),
    allocation = ProtoExpert.new("ctlrc.bitmap_short", "Bitmap shorter than the ALLOCATION LENGTH",
        expert.group.PROTOCOL, expert.severity.NOTE),
    name = ProtoExpert.new("ctlrc.bad_mirror_name", "Mirror name not valid",
        expert.group.PROTOCOL, expert.severity.WARN),
}
ctlrc.experts = { ref.truncated, ref.reserved, ref.length, ref.field, ref.direction, ref.reassembled,
    ref.pair_error, ref.allocation, ref.name }

-- What the shared code (exchanges, FCP_DATA, FCP_RSP, name blocks and pair lists) uses for each protocol. An
-- exchange's state says which (st.D). pl: the fields of a mirror name block and a pair list; arrow: between the
-- volumes of a pair in the Info column.
local CM = { proto = ctlcm, f = pf, e = ef, names = OPCODE_NAMES, title = "Controller copy management",
    data_name = "Copy-management data (reassembled)", arrow = "->",
    pl = { count = pf.pair_count, pair = pf.pair, pvol = pf.pvol, pvol_port = pf.pvol_port, pvol_lun = pf.pvol_lun,
        svol = pf.svol, svol_port = pf.svol_port, svol_lun = pf.svol_lun, vol = pf.vol, name_block = pf.name_block,
        name_length = pf.name_length, name = pf.mirror_name, name_padding = pf.name_padding } }
local RC = { proto = ctlrc, f = rpf, e = ref, names = RC_OPCODE_NAMES, title = "Controller remote copy",
    data_name = "Remote-copy data (reassembled)", arrow = " -> ",
    pl = { count = rpf.members, pair = rpf.member, pvol = rpf.member_pvol, pvol_port = rpf.member_pvol_port,
        pvol_lun = rpf.member_pvol_lun, svol = rpf.member_svol, svol_port = rpf.member_svol_port,
        svol_lun = rpf.member_svol_lun, vol = rpf.vol, name_block = rpf.name_block, name_length = rpf.name_length,
        name = rpf.name, name_padding = rpf.name_padding } }

---------------------------------------------------------------------------------------------------------------------
-- State
---------------------------------------------------------------------------------------------------------------------

-- commands[key] = the FCP_CMNDs seen on that exchange key, ascending by position: { pos = p, st = state }, st
-- false for a command that is not ours (it ends the previous exchange under that OX_ID). A key gets a list only once a
-- copy-management or remote-copy command used it; st.D says which of the two (CM, RC). A data or response frame belongs to the latest command before it (position:
-- frame number and the FC frame's place in the packet, as FCIP packs several), so the answer
-- does not depend on the order or the number of times frames are dissected (GUI clicks, tshark -2), only on the
-- command frame having been dissected with a tree once (the GUI's first pass, with colouring rules on, and tshark do).
local commands = {}

-- FCIP streams the plug-in reads itself: streams[tcp.stream .. ":" .. source port] = { next_seq, buf (bytes of an
-- FCIP frame not yet complete) }; tcp_frames[frame number] = the FC frames that frame completes.
local streams = {}
local tcp_frames = {}

function ctlcm.init()
    commands = {}
    streams = {}
    tcp_frames = {}
end

-- Records a command frame; returns the state kept for it (the first one, when the frame is dissected again).
local function record_command(key, pos, st)
    local list = commands[key]
    if not list then
        if not st then return nil end
        list = {}
        commands[key] = list
    end
    local at = 1
    for i = #list, 1, -1 do
        if list[i].pos == pos then return list[i].st or nil end
        if list[i].pos < pos then
            at = i + 1
            break
        end
    end
    table.insert(list, at, { pos = pos, st = st })
    return st or nil
end

-- The copy-management exchange a data or response frame belongs to, or nil.
local function lookup_command(key, pos)
    local list = commands[key]
    if not list then return nil end
    for i = #list, 1, -1 do
        if list[i].pos < pos then return list[i].st or nil end
    end
    return nil
end

-- The RC PAIR CONTROL whose answer set aside the bitmap an RC READ BITMAP fetches: the latest one before pos on the
-- same initiator and target port as key whose list names the READ BITMAP's pair, as a no-copy CREATE of cdb_vol (the
-- CDB's volume) -> target_vol (the command's LUN at the target port), or as a PAIR COMMAND SwapResync of target_vol
-- -> cdb_vol (sent by the secondary to the P-VOL at the owner). Returns that command's state (st.pc: its header, set
-- when its list was decoded), or nil.
local function read_bitmap_origin(key, pos, cdb_vol, target_vol)
    local nexus = key:sub(1, 13)                          -- "initiator>target"
    local best, best_pos
    for k, list in pairs(commands) do
        if k:sub(1, 13) == nexus then
            for _, e in ipairs(list) do
                local pc = e.st and e.st.opcode == OP_RC_PAIR_CONTROL and e.st.pc
                if pc and e.pos < pos and (not best_pos or e.pos > best_pos)
                    and ((pc.nocopy and pc.pvol == cdb_vol and pc.svol == target_vol)
                        or (pc.kind == RC_KIND_PAIR_COMMAND and pc.operation == OPERATION_SWAP_RESYNC
                            and pc.pvol == target_vol and pc.svol == cdb_vol)) then
                    best, best_pos = e.st, e.pos
                end
            end
        end
    end
    return best
end

local f_fc_rctl = Field.new("fc.r_ctl")
local f_fcip_framelen = Field.new("fcip.framelen")
local f_tcp_payload = Field.new("tcp.payload")
local f_tcp_stream = Field.new("tcp.stream")
local f_tcp_srcport = Field.new("tcp.srcport")
local f_tcp_dstport = Field.new("tcp.dstport")
local f_tcp_seq_raw = Field.new("tcp.seq_raw")

ctlcm.prefs.fcip_port = Pref.uint("FCIP TCP port", 3225,
    "TCP port whose byte stream the plug-in splits into FCIP frames itself (0: leave FCIP to the stock dissector)")

---------------------------------------------------------------------------------------------------------------------
-- Helpers
---------------------------------------------------------------------------------------------------------------------

local function vol_text(port, lun)
    return string.format("0x%06x/0x%04x", port, lun)
end

local function all_zero(tvb, off, len)
    for i = 0, len - 1 do
        if tvb(off + i, 1):uint() ~= 0 then return false end
    end
    return true
end

-- Adds a reserved field of protocol D (CM or RC); warns when it is not zero. The caller has checked the bytes exist.
local function add_reserved_in(D, tree, tvb, off, len)
    local item = tree:add(D.f.reserved, tvb(off, len))
    if not all_zero(tvb, off, len) then
        item:add_proto_expert_info(D.e.reserved)
    end
    return item
end

local function add_reserved(tree, tvb, off, len) return add_reserved_in(CM, tree, tvb, off, len) end

-- How many truncations were reported so far (the Info column says "(truncated)" when a decoder reported one).
local truncations = 0

local function truncated_in(D, item, what, need, have)
    truncations = truncations + 1
    item:add_proto_expert_info(D.e.truncated,
        string.format("%s truncated: %d bytes needed, %d available", what, need, have))
end

local function truncated(item, what, need, have) truncated_in(CM, item, what, need, have) end

local function printable_name(tvb, off, len)
    local out = {}
    local ok = true
    for i = 0, len - 1 do
        local c = tvb(off + i, 1):uint()
        if c >= 0x21 and c <= 0x7E then
            out[#out + 1] = string.char(c)
        else
            ok = false
            out[#out + 1] = string.format("\\x%02X", c)
        end
    end
    return table.concat(out), ok
end

-- Adds a text item (a subtree root) of protocol D over tvb(off, len), or with no bytes when len is 0 or less.
local function subtree_in(D, tree, tvb, off, len, text)
    if len > 0 then return tree:add(D.proto, tvb(off, len), text) end
    return tree:add(D.proto, text)
end

local function subtree(tree, tvb, off, len, text) return subtree_in(CM, tree, tvb, off, len, text) end

local function plural(n, word)
    return string.format("%d %s%s", n, word, n == 1 and "" or "s")
end

-- A 48-bit big-endian number (exact in a Lua number) and its decimal text.
local function u48(tvb, off)
    local v = tvb(off, 2):uint() * 4294967296 + tvb(off + 2, 4):uint()
    return v, string.format("%.0f", v)
end

local function join(list, sep, limit)
    if #list == 0 then return "(none)" end
    if limit and #list > limit then
        local head = {}
        for i = 1, limit do head[i] = list[i] end
        return table.concat(head, sep) .. string.format("%s... (%d more)", sep, #list - limit)
    end
    return table.concat(list, sep)
end

---------------------------------------------------------------------------------------------------------------------
-- Parameter list blocks (docs/protocol.md FIG 7, FIG 8, FIG 9). Each decoder gets (tree, tvb, off, len) with len the
-- bytes available, never reads beyond them, and returns what it consumed plus a summary.
---------------------------------------------------------------------------------------------------------------------

-- Adds one volume of a pair descriptor (port ID at off, 3 bytes; LUN at off + 3, 2 bytes) under tree, with the
-- fields of protocol D's name block and pair list (D.pl); returns its text.
local function add_volume_in(D, tree, tvb, off, which)
    local F = D.pl
    local port = tvb(off, 3):uint()
    local lun = tvb(off + 3, 2):uint()
    local text = vol_text(port, lun)
    if which == "P" then
        tree:add(F.pvol, tvb(off, 5), text)
        tree:add(F.pvol_port, tvb(off, 3))
        tree:add(F.pvol_lun, tvb(off + 3, 2))
    else
        tree:add(F.svol, tvb(off, 5), text)
        tree:add(F.svol_port, tvb(off, 3))
        tree:add(F.svol_lun, tvb(off + 3, 2))
    end
    tree:add(F.vol, tvb(off, 5), text):set_hidden()
    return text
end

local function add_volume(tree, tvb, off, which) return add_volume_in(CM, tree, tvb, off, which) end

-- Pair list: n (2), reserved (2), n x 16-byte descriptors. rule: "one" (n = 1), "some" (n >= 1), "any" (n >= 0).
-- Used by copy management (NAME MIRRORS, ATOMIC SPLIT, ...) and remote copy (RC PAIR CONTROL tails): protocol D.
-- Returns the bytes consumed, the pairs' texts ("P-VOL" .. D.arrow .. "S-VOL") and whether it was whole.
local function decode_pair_list_in(D, tree, tvb, off, len, rule)
    local F = D.pl
    local pairs_text = {}
    if len < 4 then
        local item = subtree_in(D, tree, tvb, off, len, "Pair list")
        truncated_in(D, item, "Pair list header", 4, len)
        return len, pairs_text, false
    end
    local n = tvb(off, 2):uint()
    local need = 4 + 16 * n
    local shown = math.min(need, len)
    local list = tree:add(D.proto, tvb(off, shown), string.format("Pair list (%d pair%s)", n, n == 1 and "" or "s"))
    local count_item = list:add(F.count, tvb(off, 2))
    if rule == "one" and n ~= 1 then
        count_item:add_proto_expert_info(D.e.count, string.format("This command takes exactly one pair, not %d", n))
    elseif rule == "some" and n == 0 then
        count_item:add_proto_expert_info(D.e.count, "This command needs at least one pair")
    end
    add_reserved_in(D, list, tvb, off + 2, 2)
    local ok = true
    for i = 0, n - 1 do
        local d = off + 4 + 16 * i
        if d + 16 > off + len then
            truncated_in(D, list, string.format("Pair descriptor %d of %d", i + 1, n), need, len)
            ok = false
            break
        end
        local item = list:add(F.pair, tvb(d, 16))
        add_reserved_in(D, item, tvb, d, 1)
        local p = add_volume_in(D, item, tvb, d + 1, "P")
        add_reserved_in(D, item, tvb, d + 6, 2)
        add_reserved_in(D, item, tvb, d + 8, 1)
        local s = add_volume_in(D, item, tvb, d + 9, "S")
        add_reserved_in(D, item, tvb, d + 14, 2)
        item:set_text(string.format("Pair %d: P-VOL %s -> S-VOL %s", i + 1, p, s))
        pairs_text[#pairs_text + 1] = p .. D.arrow .. s
    end
    return math.min(need, len), pairs_text, ok
end

local function decode_pair_list(tree, tvb, off, len, rule)
    return decode_pair_list_in(CM, tree, tvb, off, len, rule)
end

-- Mirror name block: L (1), reserved (3), name padded with zeros to a multiple of 4. Protocol D, as above.
local function decode_name_block_in(D, tree, tvb, off, len)
    local F = D.pl
    if len < 4 then
        local item = subtree_in(D, tree, tvb, off, len, "Mirror name block")
        truncated_in(D, item, "Mirror name header", 4, len)
        return len, nil, false
    end
    local l = tvb(off, 1):uint()
    local padded = l + (4 - l % 4) % 4
    local need = 4 + padded
    local block = tree:add(F.name_block, tvb(off, math.min(need, len)))
    local l_item = block:add(F.name_length, tvb(off, 1))
    add_reserved_in(D, block, tvb, off + 1, 3)
    if l == 0 or l > 32 then
        l_item:add_proto_expert_info(D.e.name, string.format("Name length %d: must be 1-32", l))
    end
    local avail = len - 4
    local name_len = math.min(l, avail)
    local name = nil
    if name_len > 0 then
        local printable
        name, printable = printable_name(tvb, off + 4, name_len)
        local n_item = block:add(F.name, tvb(off + 4, name_len), name)
        if not printable then
            n_item:add_proto_expert_info(D.e.name, "Name holds bytes outside printable ASCII 0x21-0x7E")
        end
    end
    local ok = true
    if l > avail then
        truncated_in(D, block, "Mirror name", need, len)
        ok = false
    elseif padded > l then
        local pad_len = math.min(padded - l, avail - l)
        if pad_len > 0 then
            local pad_item = block:add(F.name_padding, tvb(off + 4 + l, pad_len))
            if not all_zero(tvb, off + 4 + l, pad_len) then
                pad_item:add_proto_expert_info(D.e.reserved, "Name padding not zero")
            end
        end
        if pad_len < padded - l then
            truncated_in(D, block, "Mirror name padding", need, len)
            ok = false
        end
    end
    block:set_text(string.format("Mirror name: %s (length %d)", name or "", l))
    return math.min(need, len), name, ok
end

local function decode_name_block(tree, tvb, off, len) return decode_name_block_in(CM, tree, tvb, off, len) end

-- Data-out parameter list of a copy-management command. Returns the Info column text.
local function decode_parameter_list(st, tree, tvb, off, len)
    local name = OPCODE_NAMES[st.opcode]
    local root = subtree(tree, tvb, off, len, "Controller copy management: " .. name ..
        " parameter list")
    local consumed, pairs_text, mirror = 0, {}, nil
    local info
    if st.opcode == OP_ATOMIC_SPLIT_BY_NAME then
        consumed, mirror = decode_name_block(root, tvb, off, len)
        info = string.format("%s mirror: %s", name, mirror or "(none)")
    elseif st.opcode == OP_NAME_MIRRORS then
        local used
        used, mirror = decode_name_block(root, tvb, off, len)
        consumed = used
        local used2
        used2, pairs_text = decode_pair_list(root, tvb, off + used, len - used, "any")
        consumed = consumed + used2
        if #pairs_text == 0 and used2 >= 4 and tvb(off + used, 2):uint() == 0 then
            info = string.format("%s mirror: %s (delete)", name, mirror or "(none)")
        else
            info = string.format("%s mirror: %s pairs: %s", name, mirror or "(none)", join(pairs_text, ", ", 8))
        end
    else
        local used
        used, pairs_text = decode_pair_list(root, tvb, off, len, is_single_pair(st.opcode) and "one" or "some")
        consumed = used
        info = string.format("%s pairs: %s", name, join(pairs_text, ", ", 8))
    end
    root:set_text(string.format("Controller copy management: %s parameter list (%d bytes)", name, consumed))
    if st.pll and consumed < len then
        -- PARAMETER LIST LENGTH says more than the blocks hold: the target answers PARAMETER LIST LENGTH ERROR.
        root:add_proto_expert_info(ef.length, string.format(
            "PARAMETER LIST LENGTH %d, but the blocks hold %d bytes (target answers 05/1A/00)", st.pll, consumed))
    end
    return info
end

-- PAIR STATUS data-in: 8-byte header, 96-byte rows (80-byte rows from a target before the copy counts). Returns the
-- Info column text.
local function decode_pair_status(st, tree, tvb, off, len)
    local root = subtree(tree, tvb, off, len, "Controller copy management: PAIR STATUS data")
    if len < 8 then
        local cap = st.alloc or 0
        if st.dl then cap = math.min(cap, st.dl) end
        if len >= cap then                                -- what the allocation asked for: no room for a header
            root:add_proto_expert_info(ef.allocation, string.format("ALLOCATION LENGTH %d: header cut short", cap))
        else
            truncated(root, "PAIR STATUS header", 8, len)
        end
        return string.format("PAIR STATUS data, %d bytes", len)
    end
    local row_data = tvb(off, 4):uint()
    local rows = tvb(off + 4, 2):uint()
    local row_len = tvb(off + 6, 2):uint()
    local hdr = root:add(ctlcm, tvb(off, 8), string.format("Header: %d rows, %d bytes of rows", rows, row_data))
    hdr:add(pf.st_row_data_length, tvb(off, 4))
    hdr:add(pf.st_row_count, tvb(off + 4, 2))
    local rl_item = hdr:add(pf.st_row_length, tvb(off + 6, 2))
    local rl = row_len
    if row_len ~= 96 and row_len ~= 80 then
        rl = 96
        rl_item:add_proto_expert_info(ef.length,
            string.format("Row length %d, neither 96 nor 80; the rows are decoded as 96 bytes", row_len))
    end
    if row_data % rl ~= 0 then
        hdr:add_proto_expert_info(ef.length, string.format("ROW DATA LENGTH is not a multiple of %d", rl))
    end
    local present = math.floor(math.min(row_data, len - 8) / rl)
    local summary = {}
    for i = 0, present - 1 do
        local r = off + 8 + rl * i
        local row = root:add(pf.st_row, tvb(r, rl))
        local entry = tvb(r, 4):uint()
        row:add(pf.st_entry_id, tvb(r, 4))
        add_reserved(row, tvb, r + 4, 1)
        local p = add_volume(row, tvb, r + 5, "P")
        add_reserved(row, tvb, r + 10, 2)
        add_reserved(row, tvb, r + 12, 1)
        local s = add_volume(row, tvb, r + 13, "S")
        row:add(pf.st_type, tvb(r + 18, 1))
        local state = tvb(r + 19, 1):uint()
        row:add(pf.st_state, tvb(r + 19, 1))
        row:add(pf.st_split_mode, tvb(r + 20, 1))
        row:add(pf.st_mirror_unit, tvb(r + 21, 1))
        local progress = row:add(pf.st_progress, tvb(r + 22, 1))
        if tvb(r + 22, 1):uint() == 0xFF then progress:append_text(" (not known)") end
        local flags = tvb(r + 23, 1):uint()
        local f_item = row:add(pf.st_flags, tvb(r + 23, 1))
        f_item:add(pf.st_secondary, tvb(r + 23, 1))
        f_item:add(pf.st_determining, tvb(r + 23, 1))
        local fr_item = f_item:add(pf.st_flags_reserved, tvb(r + 23, 1))
        if band(flags, 0xFC) ~= 0 then
            fr_item:add_proto_expert_info(ef.reserved, string.format(
                "Reserved bits 7-2 of the row's FLAGS (byte 23) set (0x%02X)", band(flags, 0xFC)))
        end
        local flag_words = ""
        if band(flags, ROW_SECONDARY) ~= 0 then flag_words = flag_words .. ", secondary" end
        if band(flags, ROW_DETERMINING) ~= 0 then flag_words = flag_words .. ", determining" end
        row:add(pf.st_split_seq, tvb(r + 24, 8))
        local ns = tvb(r + 32, 8):uint64()
        local secs = (ns / UInt64(1000000000)):tonumber()
        local nsecs = (ns % UInt64(1000000000)):tonumber()
        local t_item = row:add(pf.st_split_time, tvb(r + 32, 8), NSTime(secs, nsecs))
        if secs == 0 and nsecs == 0 then t_item:append_text(" (never split)") end
        row:add(pf.st_diff_tracks, tvb(r + 40, 8))
        -- The name is zero padded: show the bytes before the first zero.
        local name_len = 0
        while name_len < 32 and tvb(r + 48 + name_len, 1):uint() ~= 0 do name_len = name_len + 1 end
        local name = ""
        if name_len > 0 then
            local printable
            name, printable = printable_name(tvb, r + 48, name_len)
            local n_item = row:add(pf.mirror_name, tvb(r + 48, 32), name)
            if not printable then n_item:add_proto_expert_info(ef.name) end
        else
            row:add(pf.mirror_name, tvb(r + 48, 32), ""):set_text("Mirror name: (none)")
        end
        if rl == 96 then
            row:add(pf.st_copied_tracks, tvb(r + 80, 8))
            row:add(pf.st_copy_total, tvb(r + 88, 8))
        end
        local state_name = PAIR_STATE_NAMES[state] or string.format("state %d", state)
        row:set_text(string.format("Row %d: entry %d, P-VOL %s -> S-VOL %s, %s%s%s", i + 1, entry, p, s, state_name,
            flag_words, name ~= "" and (", mirror " .. name) or ""))
        summary[#summary + 1] = string.format("#%d %s->%s %s%s%s", entry, p, s, state_name,
            (flag_words:gsub(",", "")), name ~= "" and (" " .. name) or "")
    end
    -- ROW DATA LENGTH counts the rows (row length x rows); the target sends the whole rows that fit in the ALLOCATION
    -- LENGTH (and FCP_DL), so fewer rows than that are a short allocation, not truncated data.
    local expected_rows = math.floor(row_data / rl)
    local cap = st.alloc or 0
    if st.dl then cap = math.min(cap, st.dl) end
    local fitting = math.max(0, math.floor((cap - 8) / rl))
    local sent_rows = math.min(expected_rows, fitting)
    if present < sent_rows then
        truncated(root, string.format("PAIR STATUS rows (%d of %d present)", present, sent_rows),
            8 + rl * sent_rows, len)
    elseif present < expected_rows then
        root:add_proto_expert_info(ef.allocation, string.format(
            "ALLOCATION LENGTH %d holds %d of the %d rows", st.alloc or 0, present, expected_rows))
    end
    root:set_text(string.format("Controller copy management: PAIR STATUS data, %d of %d rows", present, rows))
    local info = string.format("PAIR STATUS rows: %d of %d", present, rows)
    if #summary > 0 then info = info .. " (" .. join(summary, ", ", 4) .. ")" end
    return info
end

---------------------------------------------------------------------------------------------------------------------
-- Remote-copy blocks (protocol ctlrc). Same rules: never read beyond the bytes available.
---------------------------------------------------------------------------------------------------------------------

-- Adds one volume of a remote-copy CDB or parameter list (port ID at off, port_len bytes: 3 in a CDB, 4 in the
-- RC PAIR CONTROL list; LUN at off + port_len, 2 bytes) under tree; returns its text. The port ID field is 24 bits,
-- as in ctlcm (a wider value, which the secondary refuses, shows in full but filters as its low 24 bits; the
-- ctlrc.pvol / ctlrc.svol text keeps it whole).
local function add_rc_volume(tree, tvb, off, port_len, which)
    local port = tvb(off, port_len):uint()
    local lun = tvb(off + port_len, 2):uint()
    local text = vol_text(port, lun)
    local f_vol, f_port, f_lun = rpf.pvol, rpf.pvol_port, rpf.pvol_lun
    if which == "S" then f_vol, f_port, f_lun = rpf.svol, rpf.svol_port, rpf.svol_lun end
    tree:add(f_vol, tvb(off, port_len + 2), text)
    local p_item = tree:add(f_port, tvb(off, port_len), port)
    tree:add(f_lun, tvb(off + port_len, 2))
    tree:add(rpf.vol, tvb(off, port_len + 2), text):set_hidden()
    if port > 0xFFFFFF then
        p_item:add_proto_expert_info(ref.field, string.format(
            "%s-VOL port ID 0x%08x is wider than 24 bits: the secondary refuses the list", which, port))
    end
    return text
end

-- The S-VOL of RC UPDATE COPY, RC RESYNC and RC READ BITMAP: the FCP_CMND's LUN behind the exchange's target port
-- (generated); which = "P" for the P-VOL (the RC READ BITMAP after a PAIR COMMAND SwapResync, sent to the P-VOL).
local function add_rc_target_volume(tree, fc, lun, which)
    local text = vol_text(fc.target, lun)
    local f_vol, f_port, f_lun = rpf.svol, rpf.svol_port, rpf.svol_lun
    if which == "P" then f_vol, f_port, f_lun = rpf.pvol, rpf.pvol_port, rpf.pvol_lun end
    local item = tree:add(f_vol, text)
    item:set_generated()
    item:append_text(" (the command's LUN at the target port)")
    tree:add(f_port, fc.target):set_generated()
    tree:add(f_lun, lun):set_generated()
    tree:add(rpf.vol, text):set_hidden()
    return text
end

-- SPLIT BLOCK of an RC PAIR CONTROL tail (32 bytes, see the header comment). Returns the bytes consumed and what the
-- Info column needs: { text = "serial#split" (nil when the SPLIT number is not there), mechanism, mode, origin (text,
-- nil when not present or not there) }.
local function decode_split_block(tree, tvb, off, len)
    local root = subtree_in(RC, tree, tvb, off, math.min(len, RC_SPLIT_BLOCK), "Split block")
    if len < RC_SPLIT_BLOCK then truncated_in(RC, root, "Split block", RC_SPLIT_BLOCK, len) end
    local function have(o, n) return o + n <= len end
    local sb = {}
    if have(0, 8) then
        local serial, id = tvb(off, 4):uint(), tvb(off + 4, 4):uint()
        sb.text = string.format("%d#%d", serial, id)
        root:add(rpf.split, tvb(off, 8), sb.text)
        root:add(rpf.split_serial, tvb(off, 4))
        root:add(rpf.split_id, tvb(off + 4, 4))
    elseif have(0, 4) then
        root:add(rpf.split_serial, tvb(off, 4))
    end
    if have(8, 1) then
        sb.mechanism = tvb(off + 8, 1):uint()
        local m_item = root:add(rpf.split_mechanism, tvb(off + 8, 1))
        if sb.mechanism > 2 then
            m_item:add_proto_expert_info(ref.field, string.format(
                "MECHANISM %d: must be 0-2 (the secondary refuses the list)", sb.mechanism))
        end
    end
    if have(9, 1) then
        sb.mode = tvb(off + 9, 1):uint()
        local m_item = root:add(rpf.split_split_mode, tvb(off + 9, 1))
        if sb.mode > 1 then
            m_item:add_proto_expert_info(ref.field, string.format(
                "SPLIT MODE %d: must be 0 or 1 (the secondary refuses the list)", sb.mode))
        end
    end
    if have(10, 2) then add_reserved_in(RC, root, tvb, off + 10, 2) end
    if have(12, 4) then root:add(rpf.split_hold, tvb(off + 12, 4)) end
    if have(16, 8) then
        local ns = tvb(off + 16, 8):uint64()
        local secs = (ns / UInt64(1000000000)):tonumber()
        local nsecs = (ns % UInt64(1000000000)):tonumber()
        local t_item = root:add(rpf.split_time, tvb(off + 16, 8), NSTime(secs, nsecs))
        if secs == 0 and nsecs == 0 then t_item:append_text(" (not set)") end
    end
    local present = have(30, 1) and band(tvb(off + 30, 1):uint(), 0x01) ~= 0
    if have(24, 6) then
        local port, lun = tvb(off + 24, 4):uint(), tvb(off + 28, 2):uint()
        if present then
            sb.origin = vol_text(port, lun)
            root:add(rpf.split_origin, tvb(off + 24, 6), sb.origin)
        end
        local p_item = root:add(rpf.split_origin_port, tvb(off + 24, 4), port)
        root:add(rpf.split_origin_lun, tvb(off + 28, 2))
        if port > 0xFFFFFF then
            p_item:add_proto_expert_info(ref.field, string.format(
                "ORIGIN port ID 0x%08x is wider than 24 bits: the secondary refuses the list", port))
        end
    end
    if have(30, 1) then
        local b30 = tvb(off + 30, 1):uint()
        local o_item = root:add(rpf.split_origin_present, tvb(off + 30, 1))
        if band(b30, 0xFE) ~= 0 then
            o_item:add_proto_expert_info(ref.reserved, string.format(
                "Reserved bits 7-1 of split block byte 30 set (0x%02X): the secondary refuses the list",
                band(b30, 0xFE)))
        end
    end
    if have(31, 1) then add_reserved_in(RC, root, tvb, off + 31, 1) end
    local words = { "Split block: " .. (sb.text or "?") }
    if sb.mechanism and sb.mechanism ~= 0 then
        words[#words + 1] = SPLIT_MECHANISM_NAMES[sb.mechanism] or ("mechanism " .. sb.mechanism)
    end
    if sb.origin then words[#words + 1] = "origin " .. sb.origin end
    root:set_text(table.concat(words, ", "))
    return math.min(len, RC_SPLIT_BLOCK), sb
end

-- RC PAIR CONTROL parameter list: the 32-byte header and the KIND's tail. Returns the Info column text.
local function decode_rc_pair_control(st, tree, tvb, off, len)
    local name = RC_OPCODE_NAMES[st.opcode]
    local root = subtree_in(RC, tree, tvb, off, len, "Controller remote copy: " .. name .. " parameter list")
    -- The list's length: the CDB's PARAMETER LIST LENGTH (when it allows a header), else what came.
    local total = (st.pll and st.pll >= RC_PC_HEADER) and st.pll or math.max(len, RC_PC_HEADER)
    if len < total then truncated_in(RC, root, "RC PAIR CONTROL parameter list", total, len) end
    local function have(o, n) return o + n <= len end
    local kind, state, mode, fence, pvol, svol, blocks, operation, flags
    if have(0, 1) then
        kind = tvb(off, 1):uint()
        local k_item = root:add(rpf.kind, tvb(off, 1))
        if not RC_KIND_NAMES[kind] or kind == 3 then
            k_item:add_proto_expert_info(ref.field, string.format(
                "KIND %d is not used on RC PAIR CONTROL (1, 2, 4-10)", kind))
        end
    end
    -- Who answers the list: the secondary, or for a PAIR COMMAND (sent by a secondary) the owner, the primary.
    local receiver = (kind == RC_KIND_PAIR_COMMAND) and "the primary" or "the secondary"
    if have(1, 1) then
        state = tvb(off + 1, 1):uint()
        local s_item = root:add(rpf.state, tvb(off + 1, 1))
        if kind == RC_KIND_SET_STATE and not PAIR_STATE_NAMES[state] then
            s_item:add_proto_expert_info(ref.field, string.format("STATE %d is no pair state", state))
        end
    end
    if have(2, 1) then
        mode = tvb(off + 2, 1):uint()
        root:add(rpf.split_mode, tvb(off + 2, 1))
    end
    if have(3, 1) then
        fence = tvb(off + 3, 1):uint()
        root:add(rpf.fence, tvb(off + 3, 1))
    end
    if have(4, 6) then pvol = add_rc_volume(root, tvb, off + 4, 4, "P") end
    if have(10, 6) then svol = add_rc_volume(root, tvb, off + 10, 4, "S") end
    if have(16, 8) then
        blocks = tostring(tvb(off + 16, 8):uint64())
        local c_item = root:add(rpf.capacity, tvb(off + 16, 8))
        if band(tvb(off + 16, 1):uint(), 0x80) ~= 0 then
            c_item:add_proto_expert_info(ref.field, "Negative capacity: " .. receiver .. " refuses the list")
        end
    end
    if have(24, 4) then
        local t_item = root:add(rpf.track_size, tvb(off + 24, 4))
        if band(tvb(off + 24, 1):uint(), 0x80) ~= 0 then
            t_item:add_proto_expert_info(ref.field, "Negative track size: " .. receiver .. " refuses the list")
        end
    end
    -- Byte 28 OPERATION: a PAIR COMMAND's (1-6, 8), 0 in every other kind.
    if have(28, 1) then
        operation = tvb(off + 28, 1):uint()
        if kind == RC_KIND_PAIR_COMMAND then
            local o_item = root:add(rpf.operation, tvb(off + 28, 1))
            if not is_passed_operation(operation) then
                o_item:add_proto_expert_info(ref.field, string.format(
                    "OPERATION %d: a PAIR COMMAND carries 1-6 or 8 (%s refuses the list)", operation, receiver))
            end
        else
            local o_item = root:add(rpf.reserved, tvb(off + 28, 1))
            o_item:append_text(" (OPERATION: for a PAIR COMMAND only)")
            if operation ~= 0 then
                o_item:add_proto_expert_info(ref.field, string.format(
                    "OPERATION %d in a KIND %d list: only a PAIR COMMAND (10) carries one (%s refuses the list)",
                    operation, kind, receiver))
            end
        end
    end
    -- Byte 29 FLAGS: bit 0 DETERMINING, in a CREATE only; the other bits 0.
    if have(29, 1) then
        flags = tvb(off + 29, 1):uint()
        local f_item = root:add(rpf.flags, tvb(off + 29, 1))
        if kind == RC_KIND_CREATE then
            f_item:add(rpf.determining, tvb(off + 29, 1))
            if band(flags, 0xFE) ~= 0 then
                f_item:add_proto_expert_info(ref.reserved, string.format(
                    "Reserved bits 7-1 of FLAGS (byte 29) set (0x%02X): %s refuses the list", band(flags, 0xFE),
                    receiver))
            end
        elseif flags ~= 0 then
            f_item:add_proto_expert_info(ref.field, string.format(
                "FLAGS 0x%02X in a KIND %d list: only a CREATE (1) carries them (%s refuses the list)", flags, kind,
                receiver))
        end
    end
    if have(30, 2) then add_reserved_in(RC, root, tvb, off + 30, 2) end
    -- What an RC READ BITMAP after this list needs to know (on_rc_command).
    if st.pc == nil and have(0, 30) then
        st.pc = { kind = kind, operation = operation, pvol = pvol, svol = svol,
            nocopy = kind == RC_KIND_CREATE and total > RC_PC_HEADER }
    end

    -- The tail (bytes 32 on): what the KIND takes.
    local t_off, t_len = off + RC_PC_HEADER, math.max(0, len - RC_PC_HEADER)
    local consumed = math.min(len, RC_PC_HEADER)
    local sb, mirror, members, member_count
    local tail_flagged = false
    if kind == RC_KIND_CREATE then
        if total > RC_PC_HEADER then                      -- a no-copy create: the split block naming its origin
            local used
            used, sb = decode_split_block(root, tvb, t_off, t_len)
            consumed = consumed + used
        end
    elseif kind == RC_KIND_NAME_MIRRORS or (kind and is_rc_split_kind(kind)) then
        if kind ~= RC_KIND_NAME_MIRRORS then
            local used
            used, sb = decode_split_block(root, tvb, t_off, t_len)
            consumed = consumed + used
        else
            local used
            used, mirror = decode_name_block_in(RC, root, tvb, t_off, t_len)
            consumed = consumed + used
        end
        if total > consumed or len > consumed then
            local used
            local p_off = off + consumed
            used, members = decode_pair_list_in(RC, root, tvb, p_off, len - consumed, "any")
            if len - consumed >= 4 then member_count = tvb(p_off, 2):uint() end
            consumed = consumed + used
        elseif len >= total then
            root:add_proto_expert_info(ref.length, string.format(
                "PARAMETER LIST LENGTH %d leaves no room for the pair list (the secondary refuses the list)", total))
        end
    elseif kind and len > RC_PC_HEADER then               -- SET STATE, DELETE, PAIR COMMAND, unknown: no tail
        root:add_proto_expert_info(ref.length, string.format(
            "%d bytes after the 32-byte header: KIND %d (%s) takes none (%s refuses the list)",
            len - RC_PC_HEADER, kind, RC_KIND_NAMES[kind] or "unknown", receiver))
        tail_flagged = true
    end
    if not tail_flagged and consumed < len then
        root:add_proto_expert_info(ref.length, string.format(
            "PARAMETER LIST LENGTH %d, but the header and its tail hold %d bytes (%s refuses the list)",
            total, consumed, receiver))
    end

    local vols = string.format("%s -> %s", pvol or "?", svol or "?")
    local split_text = sb and (sb.text or "?") or nil
    local function member_text(with_list)
        local n = member_count or #(members or {})
        local text = plural(n, "member")
        if with_list and members and #members > 0 then text = text .. " (" .. join(members, ", ", 8) .. ")" end
        return text
    end
    local info
    if kind == nil then
        info = name .. ": (no data)"
    elseif kind == RC_KIND_CREATE then
        local f_text = fence and (FENCE_NAMES[fence] or tostring(fence)) or "?"
        local nocopy = ""
        if sb then
            nocopy = string.format(" (no copy, %s, split %s)", sb.origin and ("origin " .. sb.origin) or "no origin",
                split_text)
        end
        info = string.format("%s: CREATE%s %s fence %s, %s blocks", name, nocopy, vols, f_text, blocks or "?")
        if flags and band(flags, RC_FLAG_DETERMINING) ~= 0 then info = info .. ", determining" end
    elseif kind == RC_KIND_SET_STATE then
        local s_text = state and (PAIR_STATE_NAMES[state] or string.format("state %d", state)) or "?"
        if state == STATE_PSUS and mode then
            s_text = s_text .. " (" .. (SPLIT_MODE_NAMES[mode] or string.format("split mode %d", mode)) .. ")"
        end
        info = string.format("%s: SET STATE %s %s", name, s_text, vols)
    elseif kind == RC_KIND_DELETE then
        info = string.format("%s: DELETE %s", name, vols)
    elseif kind == RC_KIND_PAIR_COMMAND then
        local o_text = operation and (PAIR_OPERATION_NAMES[operation] or ("operation " .. operation)) or "?"
        if operation == OPERATION_SPLIT and mode == 1 then o_text = o_text .. " (read/write)" end
        info = string.format("%s: PAIR COMMAND %s %s", name, o_text, vols)
    elseif kind == RC_KIND_NAME_MIRRORS then
        local n = member_count or #(members or {})
        info = string.format("%s: NAME MIRRORS '%s' %s", name, mirror or "", plural(n, "pair"))
    elseif is_rc_split_kind(kind) then
        info = string.format("%s: %s %s", name, RC_KIND_NAMES[kind], split_text)
        if kind == RC_KIND_SPLIT_PREPARE or kind == RC_KIND_SPLIT_COMMIT then
            local words = {}
            if sb.mechanism then
                words[#words + 1] = SPLIT_MECHANISM_NAMES[sb.mechanism] or ("mechanism " .. sb.mechanism)
            end
            if sb.mode == 1 then words[#words + 1] = "read/write" end
            words[#words + 1] = member_text(true)
            info = info .. " " .. table.concat(words, ", ")
        elseif (member_count or 0) > 0 then
            info = info .. ", " .. member_text(true)
        end
    else
        info = string.format("%s: KIND %d %s", name, kind, vols)
    end
    root:set_text(string.format("Controller remote copy: %s parameter list (%d bytes): %s", name, len,
        info:sub(#name + 3)))
    return info
end

-- Counts the set bits of a bitmap chunk (bitmap offset ro, ByteArray bytes, n bytes of it); returns the count and up
-- to limit of the marked track numbers (track t is bit t % 8 of byte t / 8).
local function count_marked(bytes, n, ro, limit)
    local marked, tracks = 0, {}
    for i = 0, n - 1 do
        local b = bytes:get_index(i)
        if b ~= 0 then
            for bit = 0, 7 do
                if band(b, bit32.lshift(1, bit)) ~= 0 then
                    marked = marked + 1
                    if #tracks < limit then tracks[#tracks + 1] = (ro + i) * 8 + bit end
                end
            end
        end
    end
    return marked, tracks
end

---------------------------------------------------------------------------------------------------------------------
-- FCP information units
---------------------------------------------------------------------------------------------------------------------

-- FCP_CMND of a remote-copy command (protocol ctlrc). Returns the Info text.
local function on_rc_command(ctx, fc, tree, opcode)
    local tvb, p, plen = ctx.tvb, fc.payload, fc.payload_len
    local name = RC_OPCODE_NAMES[opcode]
    local root = tree:add(ctlrc, tvb(p + 12, math.min(16, plen - 12)), "Controller remote copy: " .. name)
    local lun_hi, lun_lo = tvb(p, 1):uint(), tvb(p + 1, 1):uint()
    local lun = band(lun_hi, 0x3F) * 256 + lun_lo
    root:add(rpf.lun, tvb(p, 2), lun)
    root:add(rpf.command, tvb(p + 12, 1), name)
    root:add(rpf.opcode, tvb(p + 12, 1))
    local st = { D = RC, opcode = opcode, lun = lun, cmd_frame = ctx.number, chunks = {} }
    local info
    if plen < 28 then
        truncated_in(RC, root, "CDB", 28, plen)
        info = name .. " (CDB truncated)"
    else
        local c = p + 12                                  -- the CDB
        local length, length_name
        if opcode == OP_RC_UPDATE_COPY then
            local flags = tvb(c + 1, 1):uint()
            local f_item = root:add(rpf.flags, tvb(c + 1, 1))
            f_item:add(rpf.copied_track, tvb(c + 1, 1))
            f_item:add(rpf.beyond_cut, tvb(c + 1, 1))
            local r_item = f_item:add(rpf.flags_reserved, tvb(c + 1, 1))
            if band(flags, 0xFC) ~= 0 then
                r_item:add_proto_expert_info(ref.reserved, string.format(
                    "Reserved bits 7-2 of byte 1 set (0x%02X): the secondary refuses the command", band(flags, 0xFC)))
            end
            local copied = band(flags, 0x01) ~= 0
            local beyond = band(flags, 0x02) ~= 0
            local lba, lba_text = u48(tvb, c + 2)
            root:add(rpf.lba, tvb(c + 2, 6))
            local blocks = tvb(c + 8, 2):uint()
            local b_item = root:add(rpf.transfer_length, tvb(c + 8, 2))
            if blocks == 0 then
                b_item:add_proto_expert_info(ref.field, "TRANSFER LENGTH 0: the secondary refuses the command")
            end
            local seq, seq_text = u48(tvb, c + 10)
            local s_item = root:add(rpf.sequence, tvb(c + 10, 6))
            if copied and seq ~= 0 then
                s_item:add_proto_expert_info(ref.field, "A copied track carries no SEQUENCE: the secondary refuses it")
            elseif copied then
                s_item:append_text(" (copied track)")
            end
            add_rc_target_volume(root, fc, lun)
            st.lba, st.blocks = lba, blocks
            length, length_name = blocks * 512, "TRANSFER LENGTH x 512"
            info = string.format("%s%s LUN:0x%04X LBA %s blocks %d", name, copied and " (copied track)" or "", lun,
                lba_text, blocks)
            if not copied or seq ~= 0 then info = info .. " seq " .. seq_text end
            if beyond then info = info .. " beyond cut" end
        elseif opcode == OP_RC_PAIR_CONTROL then
            add_reserved_in(RC, root, tvb, c + 1, 5)
            length = tvb(c + 6, 4):uint()
            local l_item = root:add(rpf.param_list_length, tvb(c + 6, 4))
            if length < RC_PC_HEADER or length > RC_PC_MAX then
                l_item:add_proto_expert_info(ref.length, string.format(
                    "PARAMETER LIST LENGTH %d: must be %d to %d (the secondary refuses the command)", length,
                    RC_PC_HEADER, RC_PC_MAX))
            end
            add_reserved_in(RC, root, tvb, c + 10, 6)
            st.pll = length
            length_name = "PARAMETER LIST LENGTH"
            info = string.format("%s LUN:0x%04X parameter list %d bytes", name, lun, length)
        else                                              -- RC RESYNC, RC READ BITMAP (the same CDB)
            -- The CDB names the P-VOL and the command goes to the S-VOL; except the RC READ BITMAP after an accepted
            -- PAIR COMMAND SwapResync, which the new primary sends to the P-VOL at the old owner, naming the S-VOL.
            local cdb_vol = vol_text(tvb(c + 1, 3):uint(), tvb(c + 4, 2):uint())
            local origin = opcode == OP_RC_READ_BITMAP and
                read_bitmap_origin(fc.key, ctx.pos, cdb_vol, vol_text(fc.target, lun)) or nil
            local swap = origin ~= nil and origin.pc.kind == RC_KIND_PAIR_COMMAND
            local vol = add_rc_volume(root, tvb, c + 1, 3, swap and "S" or "P")
            length = tvb(c + 6, 4):uint()
            root:add(rpf.alloc_length, tvb(c + 6, 4))
            add_reserved_in(RC, root, tvb, c + 10, 6)
            add_rc_target_volume(root, fc, lun, swap and "P" or "S")
            if swap then
                root:add(ctlrc, string.format("After the PAIR COMMAND SwapResync of frame %d: the old owner's changes "
                    .. "to the P-VOL (the CDB names the S-VOL, the command goes to the P-VOL)", origin.cmd_frame))
            elseif origin then
                root:add(ctlrc, string.format(
                    "After the no-copy CREATE of frame %d: the S-VOL's changes since the split", origin.cmd_frame))
            end
            st.alloc = length
            length_name = "ALLOCATION LENGTH"
            if swap then
                info = string.format("%s (swap resync) LUN:0x%04X -> %s allocation length %d", name, lun, vol, length)
            else
                info = string.format("%s %s -> LUN:0x%04X allocation length %d", name, vol, lun, length)
            end
        end

        local addl = rshift(band(tvb(p + 11, 1):uint(), 0xFC), 2) * 4
        if plen >= 32 + addl then
            st.dl = tvb(p + 28 + addl, 4):uint()
            local dl_item = root:add(rpf.fcp_dl, tvb(p + 28 + addl, 4))
            if st.dl ~= length then
                dl_item:add_proto_expert_info(ref.length, string.format("FCP_DL %d differs from %s %d", st.dl,
                    length_name, length))
            end
        else
            truncated_in(RC, root, "FCP_CMND (FCP_DL)", 32 + addl, plen)
        end
    end
    root:set_text("Controller remote copy: " .. info)
    record_command(fc.key, ctx.pos, st)
    return info
end

-- FCP_CMND. Returns the Info text when the CDB is one of ours.
local function on_command(ctx, fc, tree)
    local tvb, p, plen = ctx.tvb, fc.payload, fc.payload_len
    if plen < 13 then return nil end                      -- no opcode to look at
    local opcode = tvb(p + 12, 1):uint()
    local name = OPCODE_NAMES[opcode]
    local tmf = tvb(p + 10, 1):uint()
    if RC_OPCODE_NAMES[opcode] and tmf == 0 then return on_rc_command(ctx, fc, tree, opcode) end
    if not name or tmf ~= 0 then
        record_command(fc.key, ctx.pos, false)            -- a new command on this OX_ID ends any older exchange
        return nil
    end

    local root = tree:add(ctlcm, tvb(p + 12, math.min(16, plen - 12)), "Controller copy management: " .. name)
    -- FCP_CMND: LUN (8), CRN, task attribute, task management, additional CDB length/RDDATA/WRDATA, CDB, FCP_DL.
    local lun_hi, lun_lo = tvb(p, 1):uint(), tvb(p + 1, 1):uint()
    local lun = band(lun_hi, 0x3F) * 256 + lun_lo
    root:add(pf.lun, tvb(p, 2), lun)
    root:add(pf.command, tvb(p + 12, 1), name)
    root:add(pf.opcode, tvb(p + 12, 1))
    local st = { D = CM, opcode = opcode, lun = lun, cmd_frame = ctx.number, chunks = {} }
    local info = name
    if plen < 28 then
        truncated(root, "CDB", 28, plen)
        info = name .. " (CDB truncated)"
    else
        local options = tvb(p + 13, 1):uint()
        local opt = root:add(pf.options, tvb(p + 13, 1))
        local rw = band(options, 1)
        local mech = rshift(band(options, 0x06), 1)
        if takes_rw(opcode) then opt:add(pf.rw, tvb(p + 13, 1)) end
        if takes_mechanism(opcode) then
            local m_item = opt:add(pf.mechanism, tvb(p + 13, 1))
            if mech == 3 then m_item:add_proto_expert_info(ef.mechanism) end
        end
        local modifiers = rshift(band(options, 0x38), 3)
        if takes_modifiers(opcode) then
            local m_item = opt:add(pf.modifiers, tvb(p + 13, 1))
            if opcode == OP_PAIR_CREATE then
                m_item:add(pf.nocopy, tvb(p + 13, 1))
                m_item:add(pf.fence, tvb(p + 13, 1))
                m_item:add(pf.determining, tvb(p + 13, 1))
            else
                m_item:add(pf.protect_pvol, tvb(p + 13, 1))
            end
            if modifiers > MODIFIERS_MAX[opcode] then
                m_item:add_proto_expert_info(ef.reserved, string.format(
                    "MODIFIERS %d: not defined for %s (0-%d; the target answers INVALID FIELD IN CDB)", modifiers,
                    name, MODIFIERS_MAX[opcode]))
            end
        end
        local reserved_mask = 0xC0
        if not takes_rw(opcode) then reserved_mask = reserved_mask + 0x01 end
        if not takes_mechanism(opcode) then reserved_mask = reserved_mask + 0x06 end
        if not takes_modifiers(opcode) then reserved_mask = reserved_mask + 0x38 end
        local o_res = opt:add(pf.options_reserved, tvb(p + 13, 1))
        if band(options, reserved_mask) ~= 0 then
            o_res:add_proto_expert_info(ef.reserved, string.format("Reserved option bits set (0x%02X)",
                band(options, reserved_mask)))
        end
        add_reserved(root, tvb, p + 14, 4)
        local length = tvb(p + 18, 4):uint()
        if opcode == OP_PAIR_STATUS then
            root:add(pf.alloc_length, tvb(p + 18, 4))
            st.alloc = length
        else
            root:add(pf.param_list_length, tvb(p + 18, 4))
            st.pll = length
        end
        add_reserved(root, tvb, p + 22, 5)
        local c_item = root:add(pf.control, tvb(p + 27, 1))
        if tvb(p + 27, 1):uint() ~= 0 then c_item:add_proto_expert_info(ef.reserved, "CONTROL not zero") end

        local addl = rshift(band(tvb(p + 11, 1):uint(), 0xFC), 2) * 4
        if plen >= 32 + addl then
            st.dl = tvb(p + 28 + addl, 4):uint()
            local dl_item = root:add(pf.fcp_dl, tvb(p + 28 + addl, 4))
            if st.dl ~= length then
                dl_item:add_proto_expert_info(ef.length, string.format("FCP_DL %d differs from the CDB's length %d",
                    st.dl, length))
            end
        else
            truncated(root, "FCP_CMND (FCP_DL)", 32 + addl, plen)
        end

        local words = {}
        if takes_mechanism(opcode) then words[#words + 1] = MECHANISM_NAMES[mech] end
        if takes_rw(opcode) then words[#words + 1] = (rw == 1) and "read/write" or "read-only" end
        if opcode == OP_PAIR_CREATE then
            if band(modifiers, 0x01) ~= 0 then words[#words + 1] = "no copy" end
            if band(modifiers, 0x02) ~= 0 then words[#words + 1] = "fence data" end
            if band(modifiers, 0x04) ~= 0 then words[#words + 1] = "determining" end
        elseif opcode == OP_PAIR_SPLIT then
            if band(modifiers, 0x01) ~= 0 then words[#words + 1] = "protect P-VOL" end
            if modifiers > MODIFIERS_MAX[opcode] then words[#words + 1] = string.format("MODIFIERS %d", modifiers) end
        end
        info = name
        if #words > 0 then info = info .. " (" .. table.concat(words, ", ") .. ")" end
        info = info .. string.format(" LUN:0x%04X", lun)
        if opcode == OP_PAIR_STATUS then
            info = info .. string.format(" allocation length %d", length)
        else
            info = info .. string.format(" parameter list %d bytes", length)
        end
    end
    root:set_text("Controller copy management: " .. info)
    record_command(fc.key, ctx.pos, st)
    return info
end

-- The exchange's data as received in frames before (or up to) a frame: a ByteArray and how many bytes from offset 0
-- are there without a gap.
local function assemble(st, pos, inclusive)
    local list = {}
    for _, c in pairs(st.chunks) do
        if c.pos < pos or (inclusive and c.pos == pos) then list[#list + 1] = c end
    end
    table.sort(list, function(a, b) return a.pos < b.pos end)
    local size = 0
    for _, c in ipairs(list) do size = math.max(size, c.ro + c.bytes:len()) end
    local buf = ByteArray.new()
    buf:set_size(size)
    local spans = {}
    for _, c in ipairs(list) do
        local n = c.bytes:len()
        for i = 0, n - 1 do buf:set_index(c.ro + i, c.bytes:get_index(i)) end
        spans[#spans + 1] = { c.ro, c.ro + n }
    end
    table.sort(spans, function(a, b) return a[1] < b[1] end)
    local contig = 0
    for _, sp in ipairs(spans) do
        if sp[1] > contig then break end
        if sp[2] > contig then contig = sp[2] end
    end
    return buf, contig
end

-- Bytes of data the exchange moves, as far as is known: data-out, the parameter list (RC PAIR CONTROL too); data-in
-- (PAIR STATUS), the header and rows, within the allocation length. (RC UPDATE COPY, RC RESYNC and RC READ BITMAP
-- data are not reassembled: see on_rc_update_copy_data, on_rc_resync_data.) get_u32(offset) reads the data so far,
-- or nil when not there.
local function needed_length(st, get_u32)
    local limit = st.dl
    if st.opcode == OP_PAIR_STATUS then
        local cap = st.alloc or 0
        if limit then cap = math.min(cap, limit) end
        if cap < 8 then return cap end
        local row_data = get_u32(0)
        if row_data == nil then return 8 end
        return math.min(cap, 8 + row_data)
    end
    local need = st.pll or 0
    if limit then need = math.min(need, limit) end
    return need
end

local function u32_reader(buf, have)
    return function(o)
        if o + 4 > have then return nil end
        return buf:get_index(o) * 16777216 + buf:get_index(o + 1) * 65536 + buf:get_index(o + 2) * 256 +
            buf:get_index(o + 3)
    end
end

-- RC UPDATE COPY data-out: the blocks, shown by their place only (never kept: they are bulk data, and an FCIP frame
-- of them that spans TCP segments keeps only its headers, fc.cut).
local function on_rc_update_copy_data(ctx, fc, st, root)
    local name = RC_OPCODE_NAMES[st.opcode]
    local total = st.dl or (st.blocks or 0) * 512
    local ro, n = fc.parameter, fc.data_len
    local info = string.format("%s data, bytes %d-%d of %d", name, ro, ro + n - 1, total)
    if ro + n > total then
        root:add_proto_expert_info(ref.length, string.format("Bytes %d-%d: beyond FCP_DL %d", ro, ro + n - 1, total))
    end
    if st.lba then
        root:add(ctlrc, string.format("Blocks in this frame: LBA %.0f-%.0f", st.lba + math.floor(ro / 512),
            st.lba + math.floor((ro + n - 1) / 512)))
    end
    if fc.cut then
        root:add(ctlrc, "FCIP frame spanning TCP segments: the plug-in kept its headers only")
    end
    root:set_text("Controller remote copy: " .. info)
    return info
end

-- RC RESYNC, RC READ BITMAP: the bitmap bytes from offset 0 without a gap in the frames before (or up to) a frame,
-- the tracks marked in them and the first frame. The chunks of this exchange keep counts, not bytes (a bitmap counts
-- per byte, so each frame is decoded on its own); a chunk sent again at the same offset counts once.
local function bitmap_covered(st, pos, inclusive)
    local by_ro = {}
    for _, c in pairs(st.chunks) do
        if c.pos < pos or (inclusive and c.pos == pos) then
            local o = by_ro[c.ro]
            if not o or o.pos < c.pos then by_ro[c.ro] = c end
        end
    end
    local list = {}
    for _, c in pairs(by_ro) do list[#list + 1] = c end
    table.sort(list, function(a, b) return a.ro < b.ro end)
    local contig, marked, first = 0, 0, nil
    for _, c in ipairs(list) do
        if c.ro > contig then break end
        if c.ro + c.len > contig then
            contig = c.ro + c.len
            marked = marked + c.marked
            first = math.min(first or c.frame, c.frame)
        end
    end
    return contig, marked, first
end

local TRACK_LIST_LIMIT = 64                               -- marked tracks listed one by one per frame

-- RC RESYNC and RC READ BITMAP data-in: the S side's differential bitmap (track t: bit t % 8 of byte t / 8); for
-- RC READ BITMAP the one set aside with the answer to a no-copy create, or to an accepted PAIR COMMAND SwapResync
-- (then the old owner's changes to the P-VOL).
local function on_rc_resync_data(ctx, fc, st, root, last)
    local tvb, p, plen = ctx.tvb, fc.payload, fc.payload_len
    local name = RC_OPCODE_NAMES[st.opcode]
    local need = st.alloc or 0
    if st.dl then need = math.min(need, st.dl) end
    local ro, n = fc.parameter, plen
    if ro + n > need then
        root:add_proto_expert_info(ref.length, string.format(
            "Bytes %d-%d: beyond the ALLOCATION LENGTH (and FCP_DL) %d", ro, ro + plen - 1, need))
        n = math.max(0, need - ro)
        if n == 0 then return string.format("%s data beyond the ALLOCATION LENGTH", name) end
    end
    local marked, tracks = count_marked(tvb(p, n):bytes(), n, ro, TRACK_LIST_LIMIT)
    local bm = root:add(rpf.bitmap, tvb(p, n))
    bm:set_text(string.format("Differential bitmap, bytes %d-%d (tracks %d-%d): %s marked", ro, ro + n - 1, ro * 8,
        (ro + n) * 8 - 1, plural(marked, "track")))
    bm:add(rpf.bitmap_marked, marked):set_generated()
    for _, t in ipairs(tracks) do
        bm:add(rpf.bitmap_track, tvb(p + math.floor(t / 8) - ro, 1), t)
    end
    if marked > #tracks then bm:add(ctlrc, string.format("... and %d more marked tracks", marked - #tracks)) end
    if not st.chunks[ctx.pos] then
        st.chunks[ctx.pos] = { pos = ctx.pos, frame = ctx.number, ro = ro, len = n, marked = marked }
    end

    local info
    if ro == 0 and (n >= need or last) then
        info = string.format("%s bitmap: %s, %s marked", name, plural(n, "byte"), plural(marked, "track"))
        if n < need then
            root:add_proto_expert_info(ref.allocation, string.format("Bitmap of %d bytes, ALLOCATION LENGTH %d", n,
                need))
        end
    else
        info = string.format("%s bitmap: bytes %d-%d of %d, %s marked", name, ro, ro + n - 1, need,
            plural(marked, "track"))
        local contig, all_marked, first = bitmap_covered(st, ctx.pos, true)
        local before = bitmap_covered(st, ctx.pos, false)
        if (contig >= need and before < need) or (last and contig < need) then
            info = info .. string.format(" (bitmap %s, %s marked)", plural(contig, "byte"),
                plural(all_marked, "track"))
            root:add_proto_expert_info(ref.reassembled, string.format("Bitmap from FCP_DATA frames %d-%d",
                first or ctx.number, ctx.number))
            if contig < need then
                root:add_proto_expert_info(ref.allocation, string.format(
                    "%d bytes of the bitmap without a gap, ALLOCATION LENGTH %d", contig, need))
            end
        end
    end
    root:set_text("Controller remote copy: " .. info)
    return info
end

-- FCP_DATA of a copy-management or remote-copy exchange.
local function on_data(ctx, fc, tree)
    local tvb, p, plen = ctx.tvb, fc.payload, fc.payload_len
    local st = lookup_command(fc.key, ctx.pos)
    if not st then return nil end
    local D = st.D
    local name = D.names[st.opcode]
    local root = subtree_in(D, tree, tvb, p, plen, D.title .. ": " .. name .. " data")
    root:add(D.f.command_in, st.cmd_frame):set_generated()
    root:add(D.f.opcode, st.opcode):set_generated()
    root:add(D.f.data_offset, tvb(fc.header + 20, 4), fc.parameter)
    root:add(D.f.data_length, fc.data_len):set_generated()

    local wants_in = (st.opcode == OP_PAIR_STATUS or is_rc_bitmap(st.opcode))
    if fc.from_responder ~= wants_in then
        root:add_proto_expert_info(D.e.direction)
        return nil
    end
    if fc.data_len <= 0 then
        truncated_in(D, root, "FCP_DATA payload", 1, 0)
        return name .. " data (empty)"
    end
    -- The last frame of a sequence (F_CTL END_SEQUENCE) ends the data even when it is short: decode what came.
    local last = band(fc.f_ctl, 0x080000) ~= 0
    if st.opcode == OP_RC_UPDATE_COPY then return on_rc_update_copy_data(ctx, fc, st, root) end
    if is_rc_bitmap(st.opcode) then return on_rc_resync_data(ctx, fc, st, root, last) end
    if not st.chunks[ctx.pos] then
        st.chunks[ctx.pos] = { pos = ctx.pos, frame = ctx.number, ro = fc.parameter, bytes = tvb(p, plen):bytes() }
    end

    local dtvb, doff, dlen
    local direct_need = needed_length(st, function(o)
        if o + 4 <= plen then return tvb(p + o, 4):uint() end
        return nil
    end)
    if fc.parameter == 0 and (plen >= direct_need or last) then
        -- The whole list is in this frame (or all there is of it). No length in the CDB (0) but data all the same:
        -- decode what came.
        dtvb, doff, dlen = tvb, p, (direct_need > 0) and math.min(direct_need, plen) or plen
    else
        local buf, contig = assemble(st, ctx.pos, true)
        local need = needed_length(st, u32_reader(buf, contig))
        local before_buf, before = assemble(st, ctx.pos, false)
        local need_before = needed_length(st, u32_reader(before_buf, before))
        local complete = contig >= need and before < need_before
        local cut_short = last and contig > 0 and contig < need
        if complete or cut_short then
            dlen = complete and need or contig
            dtvb, doff = buf:subset(0, dlen):tvb(D.data_name), 0
            local first = ctx.number
            for _, c in pairs(st.chunks) do
                if c.pos <= ctx.pos then first = math.min(first, c.frame) end
            end
            root:add_proto_expert_info(D.e.reassembled, string.format("Reassembled from FCP_DATA frames %d-%d",
                first, ctx.number))
        else
            root:add_proto_expert_info(D.e.reassembled, string.format(
                "Bytes %d-%d of %d: decoded with the frame that completes them", fc.parameter,
                fc.parameter + plen - 1, need))
            return string.format("%s data, bytes %d-%d of %d", name, fc.parameter, fc.parameter + plen - 1, need)
        end
    end
    local before_count = truncations
    local info
    if st.opcode == OP_PAIR_STATUS then
        info = decode_pair_status(st, root, dtvb, doff, dlen)
    elseif st.opcode == OP_RC_PAIR_CONTROL then
        info = decode_rc_pair_control(st, root, dtvb, doff, dlen)
    else
        if dlen < (st.pll or 0) then
            truncated(root, "Parameter list", st.pll, dlen)
        end
        info = decode_parameter_list(st, root, dtvb, doff, dlen)
    end
    if truncations ~= before_count then info = info .. " (truncated)" end
    return info
end

-- FCP_RSP of a copy-management or remote-copy exchange: the status and, for a rejected pair command, the vendor
-- ASC/ASCQ.
local function on_response(ctx, fc, tree)
    local tvb, p, plen = ctx.tvb, fc.payload, fc.payload_len
    local st = lookup_command(fc.key, ctx.pos)
    if not st then return nil end
    local D = st.D
    local f = D.f
    local name = D.names[st.opcode]
    local root = subtree_in(D, tree, tvb, p, plen, D.title .. ": response to " .. name)
    root:add(f.command_in, st.cmd_frame):set_generated()
    root:add(f.opcode, st.opcode):set_generated()
    if plen < 24 then
        truncated_in(D, root, "FCP_RSP", 24, plen)
        return name .. ": FCP_RSP truncated", true
    end
    local flags = tvb(p + 10, 1):uint()
    local status = tvb(p + 11, 1):uint()
    root:add(f.rsp_status, tvb(p + 11, 1))
    local text = string.format("%s: %s", name, SCSI_STATUS_NAMES[status] or string.format("status 0x%02X", status))
    local sns_len = (band(flags, 0x02) ~= 0) and tvb(p + 16, 4):uint() or 0
    local rsp_len = (band(flags, 0x01) ~= 0) and tvb(p + 20, 4):uint() or 0
    local s = p + 24 + rsp_len
    if sns_len > 0 then
        local have = math.min(sns_len, p + plen - s)
        if have < 1 then
            truncated_in(D, root, "Sense data", 1, 0)
            return text, true
        end
        local code = band(tvb(s, 1):uint(), 0x7F)
        local key, asc, ascq, koff, aoff, needed
        if code == 0x72 or code == 0x73 then
            koff, aoff, needed = s + 1, s + 2, 4              -- descriptor format
        else
            koff, aoff, needed = s + 2, s + 12, 14            -- fixed format
        end
        if have < needed then
            truncated_in(D, root, "Sense data", needed, have)
            return text, true
        end
        key = band(tvb(koff, 1):uint(), 0x0F)
        asc = tvb(aoff, 1):uint()
        ascq = tvb(aoff + 1, 1):uint()
        root:add(f.rsp_sense_key, tvb(koff, 1), key)
        root:add(f.rsp_asc, tvb(aoff, 1))
        root:add(f.rsp_ascq, tvb(aoff + 1, 1))
        local err
        if asc == 0x80 then
            err = PAIR_ERROR_NAMES[ascq] or string.format("pair error 0x%02X", ascq)
        elseif asc == 0x81 and ascq == 0x00 then
            err = "volume not mapped"
        end
        text = text .. string.format(" %02X/%02X/%02X", key, asc, ascq)
        if err then
            local e_item = root:add(f.rsp_pair_error, tvb(aoff, 2), err)
            e_item:add_proto_expert_info(D.e.pair_error, string.format("%s rejected: %s (%02X/%02X)", name, err, asc,
                ascq))
            text = text .. " " .. err
        end
    end
    root:set_text(D.title .. ": response to " .. text)
    return text, true
end

---------------------------------------------------------------------------------------------------------------------
-- Finding the FC frames of a packet
---------------------------------------------------------------------------------------------------------------------

local FCIP_MAGIC = { 0x01, 0x01, 0xFE, 0xFE, 0x01, 0x01, 0xFE, 0xFE }
local FCIP_MIN = 64                                       -- FCIP header, SOF, FC header, CRC, EOF
local FCIP_MAX = 2176
local TWO32 = 4294967296

-- Length in bytes of the FCIP frame whose header starts at pos of a ByteArray, 0 when there is no valid header
-- there, nil when the bytes to tell are not all there yet.
local function fcip_frame_length(buf, pos)
    local n = buf:len()
    if n - pos < 16 then return nil end
    for i = 1, 8 do
        if buf:get_index(pos + i - 1) ~= FCIP_MAGIC[i] then return 0 end
    end
    local w = band(buf:get_index(pos + 12) * 256 + buf:get_index(pos + 13), 0x03FF)
    local wc = band(buf:get_index(pos + 14) * 256 + buf:get_index(pos + 15), 0x03FF)
    if w ~= band(bit32.bnot(wc), 0x03FF) or w * 4 < FCIP_MIN or w * 4 > FCIP_MAX then return 0 end
    return w * 4
end

-- Bytes kept of an FCIP-carried FC frame whose payload the plug-in does not need (RC UPDATE COPY data): the
-- headers (VFT, frame header, optional headers) and a little more.
local HEADERS_KEPT = 160

-- How much of an FC frame (header at h in a ByteArray) may matter to the plug-in: "all" for FCP commands and
-- responses (small) and FCP_DATA of a copy-management or remote-copy exchange (the latest command on that exchange
-- key, as frames are split in order); "headers" for the data of RC UPDATE COPY (bulk, shown by length only); false
-- otherwise. Bulk READ/WRITE data is not kept.
local function worth_keeping(buf, h)
    if buf:get_index(h + 8) ~= 0x08 then return false end
    local iu = buf:get_index(h)
    if iu == 0x06 or iu == 0x07 then return "all" end
    if iu ~= 0x01 then return false end
    local d = buf:get_index(h + 1) * 65536 + buf:get_index(h + 2) * 256 + buf:get_index(h + 3)
    local s = buf:get_index(h + 5) * 65536 + buf:get_index(h + 6) * 256 + buf:get_index(h + 7)
    if band(buf:get_index(h + 9), 0x80) ~= 0 then d, s = s, d end
    local ox = buf:get_index(h + 16) * 256 + buf:get_index(h + 17)
    local list = commands[string.format("%06X>%06X:%04X", s, d, ox)]
    if not list then return false end
    local st = list[#list].st
    if not st then return false end                       -- another command reused the OX_ID: not ours
    if st.opcode == OP_RC_UPDATE_COPY then return "headers" end
    return "all"
end

-- Splits a TCP segment of an FCIP connection into the FC frames it completes, on the first time the frame is seen
-- (in order, as tshark and the GUI's first pass do). The stock FCIP dissector of Wireshark 4.0 cannot be relied on
-- here: it dissects the first FC frame of a segment again for each further frame in it and mishandles frames that
-- span segments. A lost segment drops the partial frame and the reader finds the next FCIP header.
local function tcp_fcip_split(pinfo, payload_fi)
    local seq_fi, stream_fi, src_fi = f_tcp_seq_raw(), f_tcp_stream(), f_tcp_srcport()
    if not (seq_fi and stream_fi and src_fi) then return {} end
    local key = tostring(stream_fi.value) .. ":" .. tostring(src_fi.value)
    local seq = tonumber(tostring(seq_fi.value)) or 0
    local seg = payload_fi.range:bytes()
    local skip = 0
    local st = streams[key]
    if not st then
        st = { next_seq = seq, buf = ByteArray.new() }
        streams[key] = st
    end
    local delta = (seq - st.next_seq) % TWO32
    if delta >= TWO32 / 2 then delta = delta - TWO32 end
    if delta > 0 then                                     -- bytes missing: start again at this segment
        st.buf = ByteArray.new()
    elseif delta < 0 then                                 -- retransmitted bytes: keep only the new ones
        skip = -delta
        if skip >= seg:len() then return {} end
        seg = seg:subset(skip, seg:len() - skip)
        seq = (seq + skip) % TWO32
    end
    local base = st.buf:len()                             -- where this segment's bytes start in buf
    local buf = st.buf
    buf:append(seg)
    st.next_seq = (seq + seg:len()) % TWO32

    local frames = {}
    local pos = 0
    while true do
        local len = fcip_frame_length(buf, pos)
        if len == nil then break end
        if len == 0 then
            pos = pos + 1                                 -- not a header: look for the next one
        else
            if buf:len() - pos < len then break end
            local special = band(buf:get_index(pos + 8), 0x01) ~= 0
            if not special then
                if pos >= base then                       -- wholly in this segment: point at the packet's bytes
                    frames[#frames + 1] = { rel = pos - base + skip + 32, len = len - 40 }
                else                                      -- spans segments: keep a copy, if it may be ours
                    local keep = worth_keeping(buf, pos + 32)
                    if keep == "all" then
                        frames[#frames + 1] = { bytes = buf:subset(pos + 32, len - 40) }
                    elseif keep == "headers" then         -- the headers only, and the frame's real length
                        frames[#frames + 1] = { bytes = buf:subset(pos + 32, math.min(len - 40, HEADERS_KEPT)),
                            full = len - 40 }
                    end
                end
            end
            pos = pos + len
        end
    end
    local rest = buf:len() - pos
    if rest > FCIP_MAX then                               -- no header in sight: keep only what may start one
        pos = buf:len() - 15
        rest = 15
    end
    st.buf = (rest > 0) and buf:subset(pos, rest) or ByteArray.new()
    return frames
end

-- Returns a list of { tvb, start, stop, full_stop } (FC header at start; stop just past the payload, fill bytes
-- included; full_stop, for a frame of which only the headers were kept, where its payload really ends).
local function fc_frames(pinfo)
    local frames = {}
    local seen = {}

    local port = ctlcm.prefs.fcip_port
    local payloads = { f_tcp_payload() }
    if port ~= 0 and #payloads == 1 then
        local sp, dp = f_tcp_srcport(), f_tcp_dstport()
        if (sp and sp.value == port) or (dp and dp.value == port) then
            local list = tcp_frames[pinfo.number]
            if not list then
                list = tcp_fcip_split(pinfo, payloads[1])
                tcp_frames[pinfo.number] = list
            end
            local payload_fi = payloads[1]
            for _, f in ipairs(list) do
                if f.bytes then
                    local t = f.bytes:tvb("FC frame (from FCIP frames spanning TCP segments)")
                    frames[#frames + 1] = { tvb = t, start = 0, stop = t:len(), full_stop = f.full }
                else
                    local src = payload_fi.source
                    local start = payload_fi.offset + f.rel
                    frames[#frames + 1] = { tvb = src, start = start, stop = math.min(start + f.len, src:len()) }
                end
            end
            return frames
        end
    end

    local fcip = { f_fcip_framelen() }
    if #fcip > 0 then
        -- FCIP left to the stock dissector (another port, Decode As): header word 3 (offset 12) holds the frame length
        -- in words; SOF at 28, FC frame at 32, then CRC and EOF (8 bytes). Only frames wholly in the packet.
        for _, fi in ipairs(fcip) do
            local src = fi.source
            local base_off = fi.offset - 12
            local words = fi.value
            if src and base_off >= 0 and type(words) == "number" and not seen[base_off] then
                seen[base_off] = true
                local start = base_off + 32
                local stop = math.min(base_off + 4 * words - 8, src:len())
                local special = base_off + 9 <= src:len() and band(src(base_off + 8, 1):uint(), 0x01) ~= 0
                if not special and stop - start >= 24 then
                    frames[#frames + 1] = { tvb = src, start = start, stop = stop }
                end
            end
        end
        return frames
    end

    -- FC-2 frames as such (pcap link type 224) or in another carrier: the frame starts at the stock fc.r_ctl.
    for _, fi in ipairs({ f_fc_rctl() }) do
        local src = fi.source
        if src and not seen[fi.offset] then
            seen[fi.offset] = true
            frames[#frames + 1] = { tvb = src, start = fi.offset, stop = src:len() }
        end
    end
    return frames
end

-- Parses an FC-2 header; nil when it is not an FCP frame this plug-in looks at. fc.payload_len is the payload in tvb,
-- fc.data_len the payload on the wire (more when only the headers were kept: full_stop, fc.cut).
local function parse_fc(tvb, start, stop, index, full_stop)
    if stop - start < 24 then return nil end
    if tvb(start, 1):uint() == 0x50 then                  -- VFT extended header (8 bytes) before the frame header
        start = start + 8
        if stop - start < 24 then return nil end
    end
    local fc = { index = index, header = start }
    fc.r_ctl = tvb(start, 1):uint()
    fc.d_id = tvb(start + 1, 3):uint()
    fc.s_id = tvb(start + 5, 3):uint()
    fc.type = tvb(start + 8, 1):uint()
    fc.f_ctl = tvb(start + 9, 3):uint()
    fc.df_ctl = tvb(start + 13, 1):uint()
    fc.ox_id = tvb(start + 16, 2):uint()
    fc.parameter = tvb(start + 20, 4):uint()
    if fc.type ~= 0x08 then return nil end                -- FCP only
    if band(fc.df_ctl, 0x40) ~= 0 then return nil end     -- ESP: payload encrypted
    local p = start + 24
    if band(fc.df_ctl, 0x20) ~= 0 then p = p + 16 end     -- network header
    if band(fc.df_ctl, 0x10) ~= 0 then p = p + 32 end     -- association header
    local dev = band(fc.df_ctl, 0x03)
    if dev > 0 then p = p + 8 * (2 ^ dev) end             -- device header: 16, 32 or 64 bytes
    local fill = band(fc.f_ctl, 0x03)
    fc.payload = p
    if full_stop then
        fc.data_len = math.max(0, full_stop - fill - p)
        fc.payload_len = math.max(0, math.min(stop, full_stop - fill) - p)
        fc.cut = true
    else
        fc.payload_len = math.max(0, stop - fill - p)
        fc.data_len = fc.payload_len
    end
    fc.from_responder = band(fc.f_ctl, 0x800000) ~= 0
    local initiator, target = fc.s_id, fc.d_id
    if fc.from_responder then initiator, target = fc.d_id, fc.s_id end
    fc.target = target
    fc.key = string.format("%06X>%06X:%04X", initiator, target, fc.ox_id)
    return fc
end

---------------------------------------------------------------------------------------------------------------------
-- Postdissector
---------------------------------------------------------------------------------------------------------------------

function ctlcm.dissector(_, pinfo, tree)
    local frames = fc_frames(pinfo)
    if #frames == 0 then return end
    local texts, appends = {}, {}
    for index, fr in ipairs(frames) do
        local ok, result, append = pcall(function()
            local fc = parse_fc(fr.tvb, fr.start, fr.stop, index, fr.full_stop)
            if not fc then return nil end
            -- Position of this FC frame in the capture: frame number, then its place in the packet.
            local ctx = { tvb = fr.tvb, number = pinfo.number, pos = pinfo.number * 4096 + index }
            local iu = band(fc.r_ctl, 0x0F)
            if band(fc.r_ctl, 0xF0) ~= 0x00 then return nil end   -- FC-4 device data only
            if iu == 0x06 then return on_command(ctx, fc, tree) end
            if iu == 0x01 then return on_data(ctx, fc, tree) end
            if iu == 0x07 then return on_response(ctx, fc, tree) end
            return nil
        end)
        if not ok then
            local item = tree:add(ctlcm, "Controller copy management")
            item:add_proto_expert_info(ef.internal, "Plug-in could not decode this frame: " .. tostring(result))
        elseif result and append then
            appends[#appends + 1] = result
        elseif result then
            texts[#texts + 1] = result
        end
    end
    -- One FC frame in the packet (always so for link type 224): our text replaces the stock "SCSI Command: 0xc9".
    -- Several (FCIP frames sharing a TCP segment): appended, so nothing else is lost. Responses: always appended.
    if #texts == 1 and #frames == 1 then
        pinfo.cols.info:clear_fence()
        pinfo.cols.info:set(texts[1])
    elseif #texts > 0 then
        appends = { table.concat(texts, " | "), table.unpack(appends) }
    end
    if #appends > 0 then
        pinfo.cols.info:append(" [" .. table.concat(appends, " | ") .. "]")
    end
end

register_postdissector(ctlcm)
