-- Copyright (c) 2026 The Controller Simulator authors.
-- Licensed under the MIT License. See LICENSE in the repository root.
--
-- Wireshark/tshark plug-in (Lua postdissector, "ctlcm"): names the controller's vendor copy-management CDBs
-- (opcodes 0xC0-0xD0, docs/protocol.md "Copy management") carried in FCP_CMND, and decodes the parameter list
-- (FCP_DATA out: pair list, mirror name) and the PAIR STATUS rows (FCP_DATA in) of the same exchange.
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
-- Display filter fields: ctlcm.opcode, ctlcm.command, ctlcm.rw, ctlcm.mechanism, ctlcm.param_list_length,
-- ctlcm.alloc_length, ctlcm.pair_count, ctlcm.pvol, ctlcm.svol (text "0x400104/0x0001"), ctlcm.pvol.port_id,
-- ctlcm.pvol.lun, ctlcm.svol.port_id, ctlcm.svol.lun, ctlcm.vol (either), ctlcm.mirror_name, ctlcm.status.*,
-- ctlcm.response.*, ctlcm.command_in; expert infos ctlcm.truncated, ctlcm.reserved_not_zero, ctlcm.length_mismatch,
-- ctlcm.bad_pair_count, ctlcm.bad_mirror_name, ctlcm.bad_mechanism, ctlcm.pair_error, ...

local ctlcm = Proto("ctlcm", "Controller copy management")

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

local OP_NAME_MIRRORS = 0xC8
local OP_ATOMIC_SPLIT = 0xC9
local OP_ATOMIC_SPLIT_BY_NAME = 0xCA
local OP_PAIR_STATUS = 0xD0

local function is_single_pair(op) return op >= 0xC0 and op <= 0xC6 end
local function takes_rw(op) return op == 0xC1 or op == OP_ATOMIC_SPLIT or op == OP_ATOMIC_SPLIT_BY_NAME end
local function takes_mechanism(op) return op == OP_ATOMIC_SPLIT or op == OP_ATOMIC_SPLIT_BY_NAME end

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

-- Vendor ASC/ASCQ of a rejected pair command (docs/protocol.md "Copy-management errors").
local PAIR_ERROR_NAMES = {
    [0x01] = "NotPaired", [0x02] = "PairSuspended", [0x03] = "CopyInProgress", [0x04] = "NotSplit",
    [0x05] = "SuspendedByError", [0x06] = "CapacityMismatch", [0x07] = "MirrorUnitsExhausted",
    [0x08] = "SVolInUse", [0x09] = "SameVolume", [0x0A] = "PairNotFound", [0x0B] = "MirrorLoop",
    [0x0C] = "SplitInProgress", [0x0D] = "UnknownMirrorName", [0x0E] = "DuplicatePair", [0x0F] = "EmptyPairList",
    [0x10] = "NamedElsewhere", [0x11] = "SplitTimeout", [0x12] = "MemberFailed", [0x13] = "InvalidMirrorName",
}

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
    options_reserved = ProtoField.uint8("ctlcm.options.reserved", "Reserved", base.HEX, nil, 0xF8),
    mechanism = ProtoField.uint8("ctlcm.mechanism", "MECHANISM", base.DEC, MECHANISM_NAMES, 0x06),
    rw = ProtoField.bool("ctlcm.rw", "RW", 8, { "read/write S-VOL", "read-only S-VOL" }, 0x01),
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
    st_split_seq = ProtoField.uint64("ctlcm.status.split_sequence", "Split sequence number", base.DEC),
    st_split_time = ProtoField.absolute_time("ctlcm.status.split_time", "Split time", base.UTC),
    st_diff_tracks = ProtoField.uint64("ctlcm.status.differential_tracks", "Differential tracks", base.DEC),

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

---------------------------------------------------------------------------------------------------------------------
-- State
---------------------------------------------------------------------------------------------------------------------

-- commands[key] = the FCP_CMNDs seen on that exchange key, ascending by position: { pos = p, st = state }, st
-- false for a command that is not ours (it ends the previous exchange under that OX_ID). A key gets a list only once a
-- copy-management command used it. A data or response frame belongs to the latest command before it (position:
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

-- Adds a reserved field; warns when it is not zero. The caller has checked the bytes exist.
local function add_reserved(tree, tvb, off, len)
    local item = tree:add(pf.reserved, tvb(off, len))
    if not all_zero(tvb, off, len) then
        item:add_proto_expert_info(ef.reserved)
    end
    return item
end

-- How many truncations were reported so far (the Info column says "(truncated)" when a decoder reported one).
local truncations = 0

local function truncated(item, what, need, have)
    truncations = truncations + 1
    item:add_proto_expert_info(ef.truncated,
        string.format("%s truncated: %d bytes needed, %d available", what, need, have))
end

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

-- Adds a text item (a subtree root) over tvb(off, len), or with no bytes when len is 0 or less.
local function subtree(tree, tvb, off, len, text)
    if len > 0 then return tree:add(ctlcm, tvb(off, len), text) end
    return tree:add(ctlcm, text)
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

-- Adds one volume (port ID at off, 3 bytes; LUN at off + 3, 2 bytes) under tree; returns its text.
local function add_volume(tree, tvb, off, which)
    local port = tvb(off, 3):uint()
    local lun = tvb(off + 3, 2):uint()
    local text = vol_text(port, lun)
    if which == "P" then
        tree:add(pf.pvol, tvb(off, 5), text)
        tree:add(pf.pvol_port, tvb(off, 3))
        tree:add(pf.pvol_lun, tvb(off + 3, 2))
    else
        tree:add(pf.svol, tvb(off, 5), text)
        tree:add(pf.svol_port, tvb(off, 3))
        tree:add(pf.svol_lun, tvb(off + 3, 2))
    end
    tree:add(pf.vol, tvb(off, 5), text):set_hidden()
    return text
end

-- Pair list: n (2), reserved (2), n x 16-byte descriptors. rule: "one" (n = 1), "some" (n >= 1), "any" (n >= 0).
local function decode_pair_list(tree, tvb, off, len, rule)
    local pairs_text = {}
    if len < 4 then
        local item = subtree(tree, tvb, off, len, "Pair list")
        truncated(item, "Pair list header", 4, len)
        return len, pairs_text, false
    end
    local n = tvb(off, 2):uint()
    local need = 4 + 16 * n
    local shown = math.min(need, len)
    local list = tree:add(ctlcm, tvb(off, shown), string.format("Pair list (%d pair%s)", n, n == 1 and "" or "s"))
    local count_item = list:add(pf.pair_count, tvb(off, 2))
    if rule == "one" and n ~= 1 then
        count_item:add_proto_expert_info(ef.count, string.format("This command takes exactly one pair, not %d", n))
    elseif rule == "some" and n == 0 then
        count_item:add_proto_expert_info(ef.count, "This command needs at least one pair")
    end
    add_reserved(list, tvb, off + 2, 2)
    local ok = true
    for i = 0, n - 1 do
        local d = off + 4 + 16 * i
        if d + 16 > off + len then
            truncated(list, string.format("Pair descriptor %d of %d", i + 1, n), need, len)
            ok = false
            break
        end
        local item = list:add(pf.pair, tvb(d, 16))
        add_reserved(item, tvb, d, 1)
        local p = add_volume(item, tvb, d + 1, "P")
        add_reserved(item, tvb, d + 6, 2)
        add_reserved(item, tvb, d + 8, 1)
        local s = add_volume(item, tvb, d + 9, "S")
        add_reserved(item, tvb, d + 14, 2)
        item:set_text(string.format("Pair %d: P-VOL %s -> S-VOL %s", i + 1, p, s))
        pairs_text[#pairs_text + 1] = p .. "->" .. s
    end
    return math.min(need, len), pairs_text, ok
end

-- Mirror name block: L (1), reserved (3), name padded with zeros to a multiple of 4.
local function decode_name_block(tree, tvb, off, len)
    if len < 4 then
        local item = subtree(tree, tvb, off, len, "Mirror name block")
        truncated(item, "Mirror name header", 4, len)
        return len, nil, false
    end
    local l = tvb(off, 1):uint()
    local padded = l + (4 - l % 4) % 4
    local need = 4 + padded
    local block = tree:add(pf.name_block, tvb(off, math.min(need, len)))
    local l_item = block:add(pf.name_length, tvb(off, 1))
    add_reserved(block, tvb, off + 1, 3)
    if l == 0 or l > 32 then
        l_item:add_proto_expert_info(ef.name, string.format("Name length %d: must be 1-32", l))
    end
    local avail = len - 4
    local name_len = math.min(l, avail)
    local name = nil
    if name_len > 0 then
        local printable
        name, printable = printable_name(tvb, off + 4, name_len)
        local n_item = block:add(pf.mirror_name, tvb(off + 4, name_len), name)
        if not printable then
            n_item:add_proto_expert_info(ef.name, "Name holds bytes outside printable ASCII 0x21-0x7E")
        end
    end
    local ok = true
    if l > avail then
        truncated(block, "Mirror name", need, len)
        ok = false
    elseif padded > l then
        local pad_len = math.min(padded - l, avail - l)
        if pad_len > 0 then
            local pad_item = block:add(pf.name_padding, tvb(off + 4 + l, pad_len))
            if not all_zero(tvb, off + 4 + l, pad_len) then
                pad_item:add_proto_expert_info(ef.reserved, "Name padding not zero")
            end
        end
        if pad_len < padded - l then
            truncated(block, "Mirror name padding", need, len)
            ok = false
        end
    end
    block:set_text(string.format("Mirror name: %s (length %d)", name or "", l))
    return math.min(need, len), name, ok
end

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

-- PAIR STATUS data-in: 8-byte header, 80-byte rows. Returns the Info column text.
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
    if row_len ~= 80 then
        rl_item:add_proto_expert_info(ef.length,
            string.format("Row length %d; the rows are decoded as 80 bytes", row_len))
    end
    if row_data % 80 ~= 0 then
        hdr:add_proto_expert_info(ef.length, "ROW DATA LENGTH is not a multiple of 80")
    end
    local present = math.floor(math.min(row_data, len - 8) / 80)
    local summary = {}
    for i = 0, present - 1 do
        local r = off + 8 + 80 * i
        local row = root:add(pf.st_row, tvb(r, 80))
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
        add_reserved(row, tvb, r + 23, 1)
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
        local state_name = PAIR_STATE_NAMES[state] or string.format("state %d", state)
        row:set_text(string.format("Row %d: entry %d, P-VOL %s -> S-VOL %s, %s%s", i + 1, entry, p, s, state_name,
            name ~= "" and (", mirror " .. name) or ""))
        summary[#summary + 1] = string.format("#%d %s->%s %s%s", entry, p, s, state_name,
            name ~= "" and (" " .. name) or "")
    end
    -- ROW DATA LENGTH counts the rows (80 x rows); the target sends the whole rows that fit in the ALLOCATION LENGTH
    -- (and FCP_DL), so fewer rows than that are a short allocation, not truncated data.
    local expected_rows = math.floor(row_data / 80)
    local cap = st.alloc or 0
    if st.dl then cap = math.min(cap, st.dl) end
    local fitting = math.max(0, math.floor((cap - 8) / 80))
    local sent_rows = math.min(expected_rows, fitting)
    if present < sent_rows then
        truncated(root, string.format("PAIR STATUS rows (%d of %d present)", present, sent_rows),
            8 + 80 * sent_rows, len)
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
-- FCP information units
---------------------------------------------------------------------------------------------------------------------

-- FCP_CMND. Returns the Info text when the CDB is one of ours.
local function on_command(ctx, fc, tree)
    local tvb, p, plen = ctx.tvb, fc.payload, fc.payload_len
    if plen < 13 then return nil end                      -- no opcode to look at
    local opcode = tvb(p + 12, 1):uint()
    local name = OPCODE_NAMES[opcode]
    local tmf = tvb(p + 10, 1):uint()
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
    local st = { opcode = opcode, lun = lun, cmd_frame = ctx.number, chunks = {} }
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
        local reserved_mask = 0xF8
        if not takes_rw(opcode) then reserved_mask = reserved_mask + 0x01 end
        if not takes_mechanism(opcode) then reserved_mask = reserved_mask + 0x06 end
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

-- Bytes of data the exchange moves, as far as is known: data-out, the parameter list; data-in (PAIR STATUS), the
-- header and rows, within the allocation length. get_u32(offset) reads the data so far, or nil when not there.
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

-- FCP_DATA of a copy-management exchange.
local function on_data(ctx, fc, tree)
    local tvb, p, plen = ctx.tvb, fc.payload, fc.payload_len
    local st = lookup_command(fc.key, ctx.pos)
    if not st then return nil end
    local name = OPCODE_NAMES[st.opcode]
    local root = subtree(tree, tvb, p, plen, "Controller copy management: " .. name .. " data")
    root:add(pf.command_in, st.cmd_frame):set_generated()
    root:add(pf.opcode, st.opcode):set_generated()
    root:add(pf.data_offset, tvb(fc.header + 20, 4), fc.parameter)
    root:add(pf.data_length, plen):set_generated()

    local wants_in = (st.opcode == OP_PAIR_STATUS)
    if fc.from_responder ~= wants_in then
        root:add_proto_expert_info(ef.direction)
        return nil
    end
    if plen <= 0 then
        truncated(root, "FCP_DATA payload", 1, 0)
        return name .. " data (empty)"
    end
    if not st.chunks[ctx.pos] then
        st.chunks[ctx.pos] = { pos = ctx.pos, frame = ctx.number, ro = fc.parameter, bytes = tvb(p, plen):bytes() }
    end

    local dtvb, doff, dlen
    local direct_need = needed_length(st, function(o)
        if o + 4 <= plen then return tvb(p + o, 4):uint() end
        return nil
    end)
    -- The last frame of a sequence (F_CTL END_SEQUENCE) ends the data even when it is short: decode what came.
    local last = band(fc.f_ctl, 0x080000) ~= 0
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
            dtvb, doff = buf:subset(0, dlen):tvb("Copy-management data (reassembled)"), 0
            local first = ctx.number
            for _, c in pairs(st.chunks) do
                if c.pos <= ctx.pos then first = math.min(first, c.frame) end
            end
            root:add_proto_expert_info(ef.reassembled, string.format("Reassembled from FCP_DATA frames %d-%d",
                first, ctx.number))
        else
            root:add_proto_expert_info(ef.reassembled, string.format(
                "Bytes %d-%d of %d: decoded with the frame that completes them", fc.parameter,
                fc.parameter + plen - 1, need))
            return string.format("%s data, bytes %d-%d of %d", name, fc.parameter, fc.parameter + plen - 1, need)
        end
    end
    local before_count = truncations
    local info
    if st.opcode == OP_PAIR_STATUS then
        info = decode_pair_status(st, root, dtvb, doff, dlen)
    else
        if dlen < (st.pll or 0) then
            truncated(root, "Parameter list", st.pll, dlen)
        end
        info = decode_parameter_list(st, root, dtvb, doff, dlen)
    end
    if truncations ~= before_count then info = info .. " (truncated)" end
    return info
end

-- FCP_RSP of a copy-management exchange: the status and, for a rejected pair command, the vendor ASC/ASCQ.
local function on_response(ctx, fc, tree)
    local tvb, p, plen = ctx.tvb, fc.payload, fc.payload_len
    local st = lookup_command(fc.key, ctx.pos)
    if not st then return nil end
    local name = OPCODE_NAMES[st.opcode]
    local root = subtree(tree, tvb, p, plen, "Controller copy management: response to " .. name)
    root:add(pf.command_in, st.cmd_frame):set_generated()
    root:add(pf.opcode, st.opcode):set_generated()
    if plen < 24 then
        truncated(root, "FCP_RSP", 24, plen)
        return name .. ": FCP_RSP truncated", true
    end
    local flags = tvb(p + 10, 1):uint()
    local status = tvb(p + 11, 1):uint()
    root:add(pf.rsp_status, tvb(p + 11, 1))
    local text = string.format("%s: %s", name, SCSI_STATUS_NAMES[status] or string.format("status 0x%02X", status))
    local sns_len = (band(flags, 0x02) ~= 0) and tvb(p + 16, 4):uint() or 0
    local rsp_len = (band(flags, 0x01) ~= 0) and tvb(p + 20, 4):uint() or 0
    local s = p + 24 + rsp_len
    if sns_len > 0 then
        local have = math.min(sns_len, p + plen - s)
        if have < 1 then
            truncated(root, "Sense data", 1, 0)
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
            truncated(root, "Sense data", needed, have)
            return text, true
        end
        key = band(tvb(koff, 1):uint(), 0x0F)
        asc = tvb(aoff, 1):uint()
        ascq = tvb(aoff + 1, 1):uint()
        root:add(pf.rsp_sense_key, tvb(koff, 1), key)
        root:add(pf.rsp_asc, tvb(aoff, 1))
        root:add(pf.rsp_ascq, tvb(aoff + 1, 1))
        local err
        if asc == 0x80 then
            err = PAIR_ERROR_NAMES[ascq] or string.format("pair error 0x%02X", ascq)
        elseif asc == 0x81 and ascq == 0x00 then
            err = "volume not mapped"
        end
        text = text .. string.format(" %02X/%02X/%02X", key, asc, ascq)
        if err then
            local e_item = root:add(pf.rsp_pair_error, tvb(aoff, 2), err)
            e_item:add_proto_expert_info(ef.pair_error, string.format("%s rejected: %s (%02X/%02X)", name, err, asc,
                ascq))
            text = text .. " " .. err
        end
    end
    root:set_text("Controller copy management: response to " .. text)
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

-- Whether an FC frame (header at h in a ByteArray) may matter to the plug-in: FCP commands and responses (small),
-- and FCP_DATA of an exchange key a copy-management command has used. Bulk READ/WRITE data is not kept.
local function worth_keeping(buf, h)
    if buf:get_index(h + 8) ~= 0x08 then return false end
    local iu = buf:get_index(h)
    if iu == 0x06 or iu == 0x07 then return true end
    if iu ~= 0x01 then return false end
    local d = buf:get_index(h + 1) * 65536 + buf:get_index(h + 2) * 256 + buf:get_index(h + 3)
    local s = buf:get_index(h + 5) * 65536 + buf:get_index(h + 6) * 256 + buf:get_index(h + 7)
    if band(buf:get_index(h + 9), 0x80) ~= 0 then d, s = s, d end
    local ox = buf:get_index(h + 16) * 256 + buf:get_index(h + 17)
    return commands[string.format("%06X>%06X:%04X", s, d, ox)] ~= nil
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
                elseif worth_keeping(buf, pos + 32) then  -- spans segments: keep a copy, if it may be ours
                    frames[#frames + 1] = { bytes = buf:subset(pos + 32, len - 40) }
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

-- Returns a list of { tvb, start, stop } (FC header at start; stop just past the payload, fill bytes included).
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
                    frames[#frames + 1] = { tvb = t, start = 0, stop = t:len() }
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

-- Parses an FC-2 header; nil when it is not an FCP frame this plug-in looks at.
local function parse_fc(tvb, start, stop, index)
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
    fc.payload_len = math.max(0, stop - fill - p)
    fc.from_responder = band(fc.f_ctl, 0x800000) ~= 0
    local initiator, target = fc.s_id, fc.d_id
    if fc.from_responder then initiator, target = fc.d_id, fc.s_id end
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
            local fc = parse_fc(fr.tvb, fr.start, fr.stop, index)
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
