#!/usr/bin/env bash
# Checks the Wireshark plug-in tools/wireshark/controller-copy-management.lua with the real tshark: builds captures
# with text2pcap (FC-2 frames, pcap link type 224; and the same frames FCIP-encapsulated on TCP port 3225), runs
# tshark with the plug-in and looks for the decoded copy-management commands, their parameter lists and the
# stock decoding of a non-vendor command; then the same for the remote-copy link commands (RC UPDATE COPY with
# COPIED TRACK and BEYOND CUT; RC PAIR CONTROL with its tails: no-copy CREATE, NAME MIRRORS, SPLIT PREPARE, COMMIT,
# ABORT, CONFIRM; RC RESYNC; RC READ BITMAP: protocol ctlrc), over link type 224, FCIP in one TCP segment and FCIP
# split across segments, and malformed RC PAIR CONTROL lists; and determining pairs (seed 002): PAIR CREATE's and
# PAIR SPLIT's MODIFIERS, the pair errors 80/1D and 80/1E, the PAIR STATUS row's FLAGS, RC PAIR CONTROL's PAIR COMMAND
# (KIND 10, OPERATION) and FLAGS (DETERMINING), the RC READ BITMAP after a swap resync, and malformed headers; the
# PAIR STATUS row's copy counts (96-byte rows) and an older target's 80-byte rows without them. Needs
# tshark and text2pcap (Wireshark 4.0 or later, built with Lua).
# Usage: tools/wireshark/check-plugin.sh [-v]     (-v: print every tshark output)
# Exit status: 0 all checks passed, 1 a check failed (the message says which and shows the output), 2 missing tool.
set -uo pipefail
cd "$(dirname "$0")/../.."

plugin=tools/wireshark/controller-copy-management.lua
verbose=0
[[ "${1:-}" == "-v" ]] && verbose=1

for tool in tshark text2pcap; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "check-plugin: $tool is not on PATH (install Wireshark's command-line tools: apt-get install tshark)" >&2
        exit 2
    fi
done
if ! tshark -v 2>/dev/null | grep -qi 'with Lua'; then
    echo "check-plugin: this tshark is built without Lua; the plug-in cannot load" >&2
    exit 2
fi
if [[ ! -f "$plugin" ]]; then
    echo "check-plugin: $plugin not found" >&2
    exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
checks=0

fail() {
    echo "check-plugin: FAILED: $1" >&2
    if [[ -n "${2:-}" && -f "$2" ]]; then
        echo "---- tshark output ($2) ----" >&2
        cat "$2" >&2
        echo "----" >&2
    fi
    exit 1
}

# --- building frames --------------------------------------------------------------------------------------------

# Spaces a run of hex digits into bytes: "400104" -> "40 01 04".
sp() {
    local s="${*// /}"
    s=$(sed 's/../& /g' <<<"$s")
    printf '%s' "${s% }"
}

# One FC-2 frame: fc R_CTL D_ID S_ID F_CTL OX_ID RX_ID PARAMETER PAYLOAD... (hex digits, no 0x). CS_CTL, SEQ_ID,
# DF_CTL and SEQ_CNT are 0, TYPE is 0x08 (FCP).
fc() {
    local r=$1 d=$2 s=$3 f=$4 ox=$5 rx=$6 par=$7
    shift 7
    sp "${r}${d}00${s}08${f}00000000${ox}${rx}${par}$*"
}

# FCP_CMND payload: LUN $LUN (00 01 00 00 00 00 00 00 for LUN 1), CRN 0, task attribute 0, task management 0, flags,
# CDB, FCP_DL.
cmnd_payload() { # FLAGS CDB(32 hex digits) FCP_DL(8 hex digits)
    printf '%s000000000000000000%s%s%s' "$LUN" "$1" "$2" "$3"
}

I=010200    # initiator port ID
T=400104    # target port ID
LUN=0001    # FCP_CMND LUN

# F_CTL of each information unit (the firmware's FcFrameControl): command 0x290000; XFER_RDY 0x890000; data out from
# the initiator with relative offset present 0x090008; response 0x990000.
cmd()  { fc 06 $T $I 290000 "$1" ffff 00000000 "$(cmnd_payload "$2" "$3" "$4")"; }   # OX_ID FLAGS CDB FCP_DL
xrdy() { fc 05 $I $T 890000 "$1" 0020 00000000 "00000000${2}00000000"; }            # OX_ID BURST_LEN
dout() { fc 01 $T $I 090008 "$1" 0020 00000000 "$2"; }                               # OX_ID PAYLOAD
din()  { fc 01 $I $T 880008 "$1" 0020 00000000 "$2"; }                               # OX_ID PAYLOAD
rsp()  { fc 07 $I $T 990000 "$1" 0020 00000000 "$2"; }                               # OX_ID PAYLOAD
# FCP_DATA of a sequence of several frames, or with fill bytes: F_CTL and relative offset given. Data out, not last:
# 0x000008; last: 0x090008. Data in, not last: 0x800008; last: 0x880008 (+ the number of fill bytes, bits 1-0).
doutx() { fc 01 $T $I "$2" "$1" 0020 "$3" "$4"; }                                   # OX_ID F_CTL OFFSET PAYLOAD
dinx()  { fc 01 $I $T "$2" "$1" 0020 "$3" "$4"; }                                   # OX_ID F_CTL OFFSET PAYLOAD

# The remote-copy link: rc BUILDER ARGS... builds a frame between the primary's initiator port 0x400200 and the
# secondary's target port 0x421014, FCP_CMND LUN 2 (the S-VOL 0x421014/0x0002).
rc() { local I=400200 T=421014 LUN=0002; "$@"; }

# Writes packets (one argument each, hex bytes) as a text2pcap hex dump.
hexdump_packets() {
    local pkt
    for pkt in "$@"; do
        local -a b=($pkt)
        local off
        for ((off = 0; off < ${#b[@]}; off += 16)); do
            printf '%06x %s\n' "$off" "${b[*]:off:16}"
        done
        echo
    done
}

# CRC-32 (IEEE 802.3) of hex bytes, least significant byte first, as FCIP carries the FC CRC.
crc32_le() {
    local crc=$((0xFFFFFFFF)) b i
    for b in $1; do
        crc=$((crc ^ 0x$b))
        for i in 1 2 3 4 5 6 7 8; do
            if ((crc & 1)); then crc=$(((crc >> 1) ^ 0xEDB88320)); else crc=$((crc >> 1)); fi
        done
    done
    crc=$((crc ^ 0xFFFFFFFF))
    printf '%02x %02x %02x %02x' $((crc & 255)) $(((crc >> 8) & 255)) $(((crc >> 16) & 255)) $(((crc >> 24) & 255))
}

# FCIP encapsulation of one FC frame (docs/protocol.md): header, SOFi3, frame, CRC, EOFt.
fcip() {
    local -a b=($1)
    local words=$(((28 + 4 + ${#b[@]} + 8) / 4))
    printf '01 01 fe fe 01 01 fe fe 00 00 ff ff %02x %02x %02x %02x ' \
        $((words >> 8)) $((words & 255)) $(((~words >> 8) & 255)) $((~words & 255))
    printf '00 00 00 01 00 00 00 00 00 00 00 00 2e 2e d1 d1 %s %s 42 42 bd bd' "$1" "$(crc32_le "$1")"
}

# --- running tshark ---------------------------------------------------------------------------------------------

# run OUTPUT tshark-arguments...: runs tshark with the plug-in; fails on a Lua error.
run() {
    local out=$1
    shift
    tshark -X "lua_script:$plugin" "$@" >"$out" 2>"$out.err"
    local status=$?
    cat "$out.err" >>"$out"
    ((verbose)) && { echo "\$ tshark -X lua_script:$plugin $*"; cat "$out"; echo; }
    if ((status != 0)); then fail "tshark $* exited with status $status" "$out"; fi
    if grep -qi 'lua' "$out.err" || grep -qi 'lua error' "$out"; then fail "Lua error running tshark $*" "$out"; fi
    if grep -q 'could not decode this frame' "$out"; then fail "plug-in internal error (tshark $*)" "$out"; fi
}

# expect OUTPUT TEXT: the output holds TEXT (fixed string).
expect() {
    checks=$((checks + 1))
    grep -qF -- "$2" "$1" || fail "expected \"$2\" in the output of $(basename "$1")" "$1"
}

# expect_line OUTPUT LINE: the output has LINE as a whole line (for -T fields output; fields separated by tabs).
expect_line() {
    checks=$((checks + 1))
    grep -qxF -- "$2" "$1" || fail "expected the line \"$2\" in the output of $(basename "$1")" "$1"
}

# expect_rows OUTPUT N: the -T fields output (first field frame.number) has N rows.
expect_rows() {
    checks=$((checks + 1))
    local n
    n=$(grep -cE $'^[0-9]+(\t|$)' "$1")
    ((n == $2)) || fail "expected $2 rows in $(basename "$1"), got $n" "$1"
}

# expect_not OUTPUT TEXT
expect_not() {
    checks=$((checks + 1))
    if grep -qF -- "$2" "$1"; then fail "did not expect \"$2\" in the output of $(basename "$1")" "$1"; fi
}

# expect_count OUTPUT N: the output has N packet lines (frame number, then time: a -V bit-field line such as
# "0000 00.. = Reserved" is not one).
expect_count() {
    checks=$((checks + 1))
    local n
    n=$(grep -cE '^ *[0-9]+ [0-9]+\.[0-9]+ ' "$1")
    ((n == $2)) || fail "expected $2 packets in $(basename "$1"), got $n" "$1"
}

# --- the captures -----------------------------------------------------------------------------------------------

# FIG 7 (docs/protocol.md): ATOMIC SPLIT, freeze, read-only, two pairs; parameter list 36 bytes.
fig7_cdb=C9020000000000000024000000000000
fig7_list=00020000"00400104000100000040010400020000""00400104000400000042101400050000"
pairs='0x400104/0x0001->0x400104/0x0002, 0x400104/0x0004->0x421014/0x0005'

f7_cmnd=$(cmd 0010 01 $fig7_cdb 00000024)
f7_xrdy=$(xrdy 0010 00000024)
f7_data=$(dout 0010 $fig7_list)
hexdump_packets "$f7_cmnd" "$f7_xrdy" "$f7_data" >"$work/fig7.txt"
text2pcap -q -l 224 "$work/fig7.txt" "$work/fig7.pcap" || fail "text2pcap could not build fig7.pcap"

# NAME MIRRORS AUXSET1 (FIG 8) with the same two pairs: name block 4 + 8, pair list 36 = 48 bytes. Then ATOMIC SPLIT
# BY NAME AUXSET1 (FIG 9), sequence cut, read/write (options 0x05), answered CHECK CONDITION 05/80/02 PairSuspended.
# Then a WRITE(16) reusing OX_ID 0x0020: stock decoding, and its data is not taken for the old NAME MIRRORS. Then
# PAIR STATUS (allocation length 4096) answered with two rows.
name_block=07000000"41555853455431"00                      # L = 7, reserved, "AUXSET1", one zero of padding
nm_cmnd=$(cmd 0020 01 C8000000000000000030000000000000 00000030)
nm_xrdy=$(xrdy 0020 00000030)
nm_data=$(dout 0020 "${name_block}${fig7_list}")
good=$(printf '%048d' 0)                                 # FCP_RSP: GOOD, no residual, no sense
nm_rsp=$(rsp 0020 "$good")
bn_cmnd=$(cmd 0021 01 CA05000000000000000C000000000000 0000000C)
bn_data=$(dout 0021 "$name_block")
sense=700005000000000A00000000800200000000                # fixed format, ILLEGAL REQUEST, ASC/ASCQ 80/02
# FCP_RSP: reserved (8), retry delay (2), flags 0x02 (FCP_SNS_LEN valid), status 0x02, FCP_RESID, FCP_SNS_LEN 18,
# FCP_RSP_LEN, sense.
bn_rsp=$(rsp 0021 "0000000000000000""0000""02""02""00000000""00000012""00000000""${sense}")
w16_cmnd=$(cmd 0020 01 8A000000000000000010000000080000 00001000)
w16_data=$(dout 0020 "$(printf '%0128d' 0)")
ps_cmnd=$(cmd 0022 02 D0000000000000001000000000000000 00001000)
# Row (96 bytes): entry ID, P-VOL, S-VOL, type, state, split mode, mirror unit, progress, reserved, split sequence
# number, split time (ns since the epoch), differential tracks, mirror name (32 bytes), tracks copied by the last
# copy, the last copy's total tracks.
row1=00000001"00400104""0001""0000""00400104""0002""00""03""00""00""64""00"
row1+=0000000000000007"18ea4d6127159715"000000000000000c"41555853455431"$(printf '%050d' 0)
row1+=0000000100000002"0000000100000003"
row2=00000002"00400104""0004""0000""00421014""0005""00""02""00""00""ff""00"$(printf '%048d%064d' 0 0)
row2+=0000000000000040"0000000000000040"
ps_data=$(din 0022 "000000c0""0002""0060""${row1}${row2}")
ps_rsp=$(rsp 0022 "$good")
hexdump_packets "$nm_cmnd" "$nm_xrdy" "$nm_data" "$nm_rsp" "$bn_cmnd" "$bn_data" "$bn_rsp" "$w16_cmnd" "$w16_data" \
    "$ps_cmnd" "$ps_data" "$ps_rsp" >"$work/mirrors.txt"
text2pcap -q -l 224 "$work/mirrors.txt" "$work/mirrors.pcap" || fail "text2pcap could not build mirrors.pcap"

# The same exchanges FCIP-encapsulated, all frames in one TCP segment to port 3225 (the stock FCIP dissector of
# Wireshark 4.0 shows only the first frame of such a segment; the plug-in reads the stream itself).
stream=""
for frame in "$f7_cmnd" "$f7_xrdy" "$f7_data" "$nm_cmnd" "$nm_xrdy" "$nm_data" "$bn_cmnd" "$bn_data" "$bn_rsp"; do
    stream+="$(fcip "$frame") "
done
hexdump_packets "$stream" >"$work/fcip.txt"
text2pcap -q -T 40000,3225 "$work/fcip.txt" "$work/fcip.pcap" || fail "text2pcap could not build fcip.pcap"

# A parameter list cut short: FIG 7 command, data frame with 20 of the 36 bytes (ends the sequence).
short_data=$(dout 0010 "${fig7_list:0:40}")
hexdump_packets "$f7_cmnd" "$short_data" >"$work/short.txt"
text2pcap -q -l 224 "$work/short.txt" "$work/short.pcap" || fail "text2pcap could not build short.pcap"

# --- the remote-copy link (protocol ctlrc) ---------------------------------------------------------------------

# RC UPDATE COPY of a host write: LBA 1024, 8 blocks, sequence 4711 (0x1267); FCP_DL 4096 in two FCP_DATA frames.
uc_cmnd=$(rc cmd 0030 01 E000"000000000400""0008""000000001267" 00001000)
uc_xrdy=$(rc xrdy 0030 00001000)
uc_data1=$(rc doutx 0030 000008 00000000 "$(printf '%04096d' 0)")
uc_data2=$(rc doutx 0030 090008 00000800 "$(printf '%04096d' 0)")
uc_rsp=$(rc rsp 0030 "$good")
# RC UPDATE COPY of a copied track (LBA 0, 128 blocks, no sequence), refused CHECK CONDITION 05/80/19 PairBusy.
ct_cmnd=$(rc cmd 0031 01 E001"000000000000""0080""000000000000" 00010000)
ct_rsp=$(rc rsp 0031 "0000000000000000""0000""02""02""00000000""00000012""00000000""700005000000000A00000000801900000000")
# RC UPDATE COPY of a host write with reserved bit 2 of byte 1 set, LBA and SEQUENCE beyond 32 bits: LBA
# 0x800000000010, 1 block, sequence 0x123456789abc.
rb_cmnd=$(rc cmd 0032 01 E004"800000000010""0001""123456789abc" 00000200)

# RC PAIR CONTROL: CDB 0xE1, PARAMETER LIST LENGTH 32. The lists: KIND, STATE, SPLIT MODE, FENCE, P-VOL port ID (4)
# and LUN, S-VOL port ID (4) and LUN, P-VOL capacity in blocks (8), track size (4), reserved (4).
pc_cdb=E1"0000000000""00000020""000000000000"
rc_vols="00400104""0001""00421014""0002"
# CREATE, fence data, 4096 blocks, tracks of 49152 bytes; refused CHECK CONDITION 05/80/1A TrackSizeMismatch.
pc1_list="01""00""00""01"$rc_vols"0000000000001000""0000c000""00000000"
pc1_cmnd=$(rc cmd 0040 01 $pc_cdb 00000020)
pc1_xrdy=$(rc xrdy 0040 00000020)
pc1_data=$(rc dout 0040 "$pc1_list")
pc1_rsp=$(rc rsp 0040 "0000000000000000""0000""02""02""00000000""00000012""00000000""700005000000000A00000000801A00000000")
# SET STATE PSUS, split mode read/write; GOOD.
pc2_list="02""03""01""00"$rc_vols"0000000000000000""00000000""00000000"
pc2_cmnd=$(rc cmd 0041 01 $pc_cdb 00000020)
pc2_xrdy=$(rc xrdy 0041 00000020)
pc2_data=$(rc dout 0041 "$pc2_list")
pc2_rsp=$(rc rsp 0041 "$good")
# DELETE, the list in two FCP_DATA frames of 16 bytes; GOOD.
pc3_list="04""00""00""00"$rc_vols"0000000000000000""00000000""00000000"
pc3_cmnd=$(rc cmd 0042 01 $pc_cdb 00000020)
pc3_xrdy=$(rc xrdy 0042 00000020)
pc3_data1=$(rc doutx 0042 000008 00000000 "${pc3_list:0:32}")
pc3_data2=$(rc doutx 0042 090008 00000010 "${pc3_list:32}")
pc3_rsp=$(rc rsp 0042 "$good")

# RC RESYNC of P-VOL 0x400104/0x0001, ALLOCATION LENGTH 2: bitmap 05 01 (tracks 0, 2 and 8) in one frame with two
# fill bytes; GOOD.
rs1_cmnd=$(rc cmd 0050 02 E2"400104""0001""00000002""000000000000" 00000002)
rs1_data=$(rc dinx 0050 88000a 00000000 05010000)
rs1_rsp=$(rc rsp 0050 "$good")
# RC RESYNC of P-VOL 0x400104/0x0004, ALLOCATION LENGTH 8, in two frames: 00 80 00 00 (track 15), then ff 01 00 00
# (tracks 32-39 and 40); GOOD.
rs2_cmnd=$(rc cmd 0051 02 E2"400104""0004""00000008""000000000000" 00000008)
rs2_data1=$(rc dinx 0051 800008 00000000 00800000)
rs2_data2=$(rc dinx 0051 880008 00000004 ff010000)
rs2_rsp=$(rc rsp 0051 "$good")

# RC UPDATE COPY of a host write beyond the sequence cut of a cross-subsystem split (byte 1 bit 1 BEYOND CUT): LBA
# 1024, 8 blocks, sequence 4711; GOOD.
bc_cmnd=$(rc cmd 0033 01 E002"000000000400""0008""000000001267" 00001000)
bc_rsp=$(rc rsp 0033 "$good")

# RC PAIR CONTROL with a tail: the CDB with PARAMETER LIST LENGTH n (hex digits, 8).
pc_cdb_n() { printf 'E10000000000%s000000000000' "$1"; }
zero_vols=$(printf '%040d' 0)                              # header P-VOL, S-VOL (6 + 6 bytes) and capacity (8) = 0
hdr_rest=$(printf '%016d' 0)                               # track size, reserved
# A SPLIT BLOCK: split_block SERIAL SPLIT MECHANISM MODE HOLD(8 hex digits) ORIGIN(12 hex digits) PRESENT (hex).
# SPLIT TIME 0x18ea4d6127159715 ns (Nov 22, 2026 07:28:01.123456789 UTC, as in the PAIR STATUS row).
split_block() { printf '%08x%08x%02x%02x0000%s18ea4d6127159715%s%02x00' "$1" "$2" "$3" "$4" "$5" "$6" "$7"; }
# NAME MIRRORS AUXSET1 with two pairs: header (KIND 5, volume fields 0), the name block of FIG 8, a pair list of two
# (0x400104/0x0001 -> 0x421014/0x0002, 0x400104/0x0004 -> 0x421014/0x0005): 32 + 12 + 36 = 80 bytes, in two
# FCP_DATA frames of 40 bytes; GOOD.
rc_pairs=00020000"00400104000100000042101400020000""00400104000400000042101400050000"
pn_list="05000000"$zero_vols$hdr_rest$name_block$rc_pairs
pn_cmnd=$(rc cmd 0043 01 "$(pc_cdb_n 00000050)" 00000050)
pn_xrdy=$(rc xrdy 0043 00000050)
pn_data1=$(rc doutx 0043 000008 00000000 "${pn_list:0:80}")
pn_data2=$(rc doutx 0043 090008 00000028 "${pn_list:80}")
pn_rsp=$(rc rsp 0043 "$good")
# The split messages of split 1#7 (coordinator serial 1, split 7), the peer's one member 0x421014/0x0002 ->
# 0x421014/0x0004. SPLIT PREPARE: sequence cut, read-only, hold timeout 5000 ms; 32 + 32 + 20 = 84 bytes; GOOD.
member1=00010000"00421014000200000042101400040000"
sp_list="06000000"$zero_vols$hdr_rest"$(split_block 1 7 2 0 00001388 000000000000 0)"$member1
sp_cmnd=$(rc cmd 0044 01 "$(pc_cdb_n 00000054)" 00000054)
sp_xrdy=$(rc xrdy 0044 00000054)
sp_data=$(rc dout 0044 "$sp_list")
sp_rsp=$(rc rsp 0044 "$good")
# SPLIT COMMIT: freeze, read/write (header and split block SPLIT MODE 1); 84 bytes; GOOD.
sc_list="07000100"$zero_vols$hdr_rest"$(split_block 1 7 1 1 00001388 000000000000 0)"$member1
sc_cmnd=$(rc cmd 0045 01 "$(pc_cdb_n 00000054)" 00000054)
sc_xrdy=$(rc xrdy 0045 00000054)
sc_data=$(rc dout 0045 "$sc_list")
sc_rsp=$(rc rsp 0045 "$good")
# SPLIT ABORT and SPLIT CONFIRM: an empty pair list (count 0); 32 + 32 + 4 = 68 bytes; GOOD.
sa_list="08000000"$zero_vols$hdr_rest"$(split_block 1 7 2 0 00001388 000000000000 0)"00000000
sa_cmnd=$(rc cmd 0046 01 "$(pc_cdb_n 00000044)" 00000044)
sa_xrdy=$(rc xrdy 0046 00000044)
sa_data=$(rc dout 0046 "$sa_list")
sa_rsp=$(rc rsp 0046 "$good")
sf_list="09000000"$zero_vols$hdr_rest"$(split_block 1 7 2 0 00001388 000000000000 0)"00000000
sf_cmnd=$(rc cmd 0047 01 "$(pc_cdb_n 00000044)" 00000044)
sf_xrdy=$(rc xrdy 0047 00000044)
sf_data=$(rc dout 0047 "$sf_list")
sf_rsp=$(rc rsp 0047 "$good")
# A no-copy CREATE 0x400104/0x0003 -> 0x421014/0x0004, fence never, 2048 blocks, tracks of 49152 bytes, split from
# the origin 0x400104/0x0001 by split 1#7 (MECHANISM 0, HOLD TIMEOUT 0): 32 + 32 = 64 bytes; GOOD.
nc_list="01000000""00400104""0003""00421014""0004""0000000000000800""0000c000""00000000"
nc_list+="$(split_block 1 7 0 0 00000000 004001040001 1)"
nc_cmnd=$(rc cmd 0048 01 "$(pc_cdb_n 00000040)" 00000040)
nc_xrdy=$(rc xrdy 0048 00000040)
nc_data=$(rc dout 0048 "$nc_list")
nc_rsp=$(rc rsp 0048 "$good")
# RC READ BITMAP (the CDB of RC RESYNC, opcode 0xE3) of P-VOL 0x400104/0x0003 to the new S-VOL (FCP_CMND LUN 4),
# ALLOCATION LENGTH 2: bitmap 81 06 (tracks 0, 7, 9 and 10) in one frame with two fill bytes; GOOD.
rcl() { local I=400200 T=421014 LUN=$1; shift; "$@"; }
rb_cdb=E3"400104""0003""00000002""000000000000"
rm_cmnd=$(rcl 0004 cmd 0052 02 $rb_cdb 00000002)
rm_data=$(rcl 0004 dinx 0052 88000a 00000000 81060000)
rm_rsp=$(rcl 0004 rsp 0052 "$good")

rc_frames=("$uc_cmnd" "$uc_xrdy" "$uc_data1" "$uc_data2" "$uc_rsp" "$ct_cmnd" "$ct_rsp" "$rb_cmnd"
    "$pc1_cmnd" "$pc1_xrdy" "$pc1_data" "$pc1_rsp" "$pc2_cmnd" "$pc2_xrdy" "$pc2_data" "$pc2_rsp"
    "$pc3_cmnd" "$pc3_xrdy" "$pc3_data1" "$pc3_data2" "$pc3_rsp"
    "$rs1_cmnd" "$rs1_data" "$rs1_rsp" "$rs2_cmnd" "$rs2_data1" "$rs2_data2" "$rs2_rsp"
    "$bc_cmnd" "$bc_rsp"                                                     # 29-30
    "$pn_cmnd" "$pn_xrdy" "$pn_data1" "$pn_data2" "$pn_rsp"                  # 31-35
    "$sp_cmnd" "$sp_xrdy" "$sp_data" "$sp_rsp"                               # 36-39
    "$sc_cmnd" "$sc_xrdy" "$sc_data" "$sc_rsp"                               # 40-43
    "$sa_cmnd" "$sa_xrdy" "$sa_data" "$sa_rsp"                               # 44-47
    "$sf_cmnd" "$sf_xrdy" "$sf_data" "$sf_rsp"                               # 48-51
    "$nc_cmnd" "$nc_xrdy" "$nc_data" "$nc_rsp"                               # 52-55
    "$rm_cmnd" "$rm_data" "$rm_rsp")                                         # 56-58
hexdump_packets "${rc_frames[@]}" >"$work/rc.txt"
text2pcap -q -l 224 "$work/rc.txt" "$work/rc.pcap" || fail "text2pcap could not build rc.pcap"

# The same frames FCIP-encapsulated on TCP port 3225: all in one segment, as fcip.pcap; and the same byte stream cut
# into segments of 1000 bytes, so that frames span segments (the plug-in keeps a copy of a spanning frame, only its
# headers for RC UPDATE COPY data).
rc_stream=""
for frame in "${rc_frames[@]}"; do
    rc_stream+="$(fcip "$frame") "
done
hexdump_packets "$rc_stream" >"$work/fcip-rc.txt"
text2pcap -q -T 40000,3225 "$work/fcip-rc.txt" "$work/fcip-rc.pcap" || fail "text2pcap could not build fcip-rc.pcap"
read -ra rc_bytes <<<"$rc_stream"
rc_segments=()
for ((off = 0; off < ${#rc_bytes[@]}; off += 1000)); do
    rc_segments+=("${rc_bytes[*]:off:1000}")
done
hexdump_packets "${rc_segments[@]}" >"$work/fcip-rc-split.txt"
text2pcap -q -T 40000,3225 "$work/fcip-rc-split.txt" "$work/fcip-rc-split.pcap" ||
    fail "text2pcap could not build fcip-rc-split.pcap"

# An RC PAIR CONTROL list cut short: the CREATE command, a data frame with 20 of the 32 bytes (ends the sequence).
pc_short=$(rc dout 0040 "${pc1_list:0:40}")
hexdump_packets "$pc1_cmnd" "$pc_short" >"$work/rc-short.txt"
text2pcap -q -l 224 "$work/rc-short.txt" "$work/rc-short.pcap" || fail "text2pcap could not build rc-short.pcap"

# Malformed RC PAIR CONTROL lists. SET STATE PSUS with 4 bytes after its header (PARAMETER LIST LENGTH 36): the
# secondary refuses it. SPLIT PREPARE whose pair list says 2 members where the 84 bytes hold 1. SPLIT ABORT whose split
# block has MECHANISM 3 and reserved byte 31 set. The NAME MIRRORS list (80 bytes) in a sequence that ends after 40.
bad1_cmnd=$(rc cmd 0060 01 "$(pc_cdb_n 00000024)" 00000024)
bad1_xrdy=$(rc xrdy 0060 00000024)
bad1_data=$(rc dout 0060 "${pc2_list}0000abcd")
bad2_list="06000000"$zero_vols$hdr_rest"$(split_block 1 7 2 0 00001388 000000000000 0)"00020000"${member1:8}"
bad2_cmnd=$(rc cmd 0061 01 "$(pc_cdb_n 00000054)" 00000054)
bad2_data=$(rc dout 0061 "$bad2_list")
bad3_block=$(split_block 1 7 3 0 00001388 000000000000 0)
bad3_list="08000000"$zero_vols$hdr_rest"${bad3_block:0:62}ff"00000000
bad3_cmnd=$(rc cmd 0062 01 "$(pc_cdb_n 00000044)" 00000044)
bad3_data=$(rc dout 0062 "$bad3_list")
bad4_cmnd=$(rc cmd 0063 01 "$(pc_cdb_n 00000050)" 00000050)
bad4_data=$(rc doutx 0063 090008 00000000 "${pn_list:0:80}")
hexdump_packets "$bad1_cmnd" "$bad1_xrdy" "$bad1_data" "$bad2_cmnd" "$bad2_data" "$bad3_cmnd" "$bad3_data" \
    "$bad4_cmnd" "$bad4_data" >"$work/rc-bad.txt"
text2pcap -q -l 224 "$work/rc-bad.txt" "$work/rc-bad.pcap" || fail "text2pcap could not build rc-bad.pcap"

# --- determining pairs (seed 002) -------------------------------------------------------------------------------

# Copy management: the MODIFIERS of PAIR CREATE (byte 1 bits 5-3: bit 0 NOCOPY, bit 1 FENCE, bit 2 DETERMINING) and
# of PAIR SPLIT (bit 0 PROTECT P-VOL), the pair errors 29-30 and the PAIR STATUS row's FLAGS (byte 23). One pair,
# 0x400104/0x0001 -> 0x421014/0x0002: a pair list of 20 bytes.
cm_cdb() { printf '%s%s00000000%s000000000000' "$1" "$2" "$3"; }    # OPCODE OPTIONS LENGTH(8 hex digits)
det_pair=00010000"00400104000100000042101400020000"
# FCP_RSP CHECK CONDITION 05/80/ASCQ (a pair error): pair_reject OX_ID ASCQ(2 hex digits).
pair_reject() {
    rsp "$1" "0000000000000000""0000""02""02""00000000""00000012""00000000""700005000000000A0000000080${2}00000000"
}
# PAIR CREATE, fence data and DETERMINING (MODIFIERS 6, options 0x30); GOOD.
dc_cmnd=$(cmd 0070 01 "$(cm_cdb C0 30 00000014)" 00000014)
dc_xrdy=$(xrdy 0070 00000014)
dc_data=$(dout 0070 "$det_pair")
dc_rsp=$(rsp 0070 "$good")
# PAIR CREATE, NOCOPY and DETERMINING, fence never (MODIFIERS 5, options 0x28): the command only.
dn_cmnd=$(cmd 0071 01 "$(cm_cdb C0 28 00000014)" 00000014)
# PAIR RESYNC of the PAIRED determining pair: CHECK CONDITION 05/80/1D DeterminingPairHeld.
dr_cmnd=$(cmd 0072 01 "$(cm_cdb C2 00 00000014)" 00000014)
dr_xrdy=$(xrdy 0072 00000014)
dr_data=$(dout 0072 "$det_pair")
dr_rsp=$(pair_reject 0072 1D)
# PAIR SWAP RESYNC sent to the P-VOL: CHECK CONDITION 05/80/1E NotSecondary.
ds_cmnd=$(cmd 0073 01 "$(cm_cdb C4 00 00000014)" 00000014)
ds_rsp=$(pair_reject 0073 1E)
# PAIR SPLIT with PROTECT P-VOL (MODIFIERS 1, options 0x08), read-only; PAIR SPLIT with MODIFIERS 2 (options 0x10),
# not defined; PAIR DELETE with MODIFIERS 1 (options 0x08), which takes none. The commands only.
dp_cmnd=$(cmd 0074 01 "$(cm_cdb C1 08 00000014)" 00000014)
dx_cmnd=$(cmd 0075 01 "$(cm_cdb C1 10 00000014)" 00000014)
dd_cmnd=$(cmd 0076 01 "$(cm_cdb C5 08 00000014)" 00000014)
# PAIR STATUS with two rows of the REMOTE pair in PAIR, copy progress 100, in the 80-byte rows (row length 80) of a
# target from before the copy counts: entry 3 FLAGS 0x03 (SECONDARY and
# DETERMINING), entry 4 FLAGS 0x06 (DETERMINING and the reserved bit 2). det_row ENTRY(8 hex digits) FLAGS(2).
det_row() { printf '%s%s%s' "$1" "00400104""0001""0000""00421014""0002""01""02""00""00""64" "$2"; printf '%0112d' 0; }
dt_cmnd=$(cmd 0077 02 "$(cm_cdb D0 00 00001000)" 00001000)
dt_data=$(din 0077 "000000a0""0002""0050""$(det_row 00000003 03)$(det_row 00000004 06)")
dt_rsp=$(rsp 0077 "$good")
hexdump_packets "$dc_cmnd" "$dc_xrdy" "$dc_data" "$dc_rsp" "$dn_cmnd" "$dr_cmnd" "$dr_xrdy" "$dr_data" "$dr_rsp" \
    "$ds_cmnd" "$ds_rsp" "$dp_cmnd" "$dx_cmnd" "$dd_cmnd" "$dt_cmnd" "$dt_data" "$dt_rsp" >"$work/det.txt"
text2pcap -q -l 224 "$work/det.txt" "$work/det.pcap" || fail "text2pcap could not build det.pcap"

# Remote copy: RC PAIR CONTROL KIND 10 PAIR COMMAND (header byte 28 OPERATION), sent by the secondary's initiator
# port 0x421200 to the primary's target port 0x400104 at the P-VOL's LUN 1; the RC READ BITMAP after an accepted swap
# resync (to the P-VOL, the CDB naming the S-VOL); a CREATE with FLAGS (byte 29) DETERMINING from the primary.
rcs() { local I=421200 T=400104 LUN=0001; "$@"; }
# pc_list KIND STATE MODE FENCE OPERATION FLAGS RESERVED(4 hex digits): 0x400104/0x0001 -> 0x421014/0x0002, 4096
# blocks, tracks of 49152 bytes.
pc_list() { printf '%s%s%s%s%s%s%s%s%s%s' "$1" "$2" "$3" "$4" "$rc_vols" 0000000000001000 0000c000 "$5" "$6" "$7"; }
# PAIR COMMAND SwapResync; GOOD. Then RC READ BITMAP of the S-VOL 0x421014/0x0002 at LUN 1, ALLOCATION LENGTH 2:
# bitmap c0 01 (tracks 6, 7 and 8) with two fill bytes; GOOD.
kc_list=$(pc_list 0a 00 00 00 05 00 0000)
kc_cmnd=$(rcs cmd 0080 01 $pc_cdb 00000020)
kc_xrdy=$(rcs xrdy 0080 00000020)
kc_data=$(rcs dout 0080 "$kc_list")
kc_rsp=$(rcs rsp 0080 "$good")
kb_cmnd=$(rcs cmd 0081 02 E3"421014""0002""00000002""000000000000" 00000002)
kb_data=$(rcs dinx 0081 88000a 00000000 c0010000)
kb_rsp=$(rcs rsp 0081 "$good")
# PAIR COMMAND SwapResync of the PAIRED determining pair: CHECK CONDITION 05/80/1D DeterminingPairHeld.
kh_cmnd=$(rcs cmd 0082 01 $pc_cdb 00000020)
kh_data=$(rcs dout 0082 "$kc_list")
kh_rsp=$(rcs pair_reject 0082 1D)
# PAIR COMMAND Split, read/write (SPLIT MODE 1); GOOD.
ks_cmnd=$(rcs cmd 0083 01 $pc_cdb 00000020)
ks_data=$(rcs dout 0083 "$(pc_list 0a 00 01 00 01 00 0000)")
ks_rsp=$(rcs rsp 0083 "$good")
# CREATE of a determining pair (FLAGS 0x01), fence data, from the primary 0x400200 to the secondary 0x421014; GOOD.
kd_cmnd=$(rc cmd 0084 01 $pc_cdb 00000020)
kd_xrdy=$(rc xrdy 0084 00000020)
kd_data=$(rc dout 0084 "$(pc_list 01 00 00 01 00 01 0000)")
kd_rsp=$(rc rsp 0084 "$good")
det_rc_frames=("$kc_cmnd" "$kc_xrdy" "$kc_data" "$kc_rsp" "$kb_cmnd" "$kb_data" "$kb_rsp"    # 1-7
    "$kh_cmnd" "$kh_data" "$kh_rsp" "$ks_cmnd" "$ks_data" "$ks_rsp"                          # 8-13
    "$kd_cmnd" "$kd_xrdy" "$kd_data" "$kd_rsp")                                              # 14-17
hexdump_packets "${det_rc_frames[@]}" >"$work/rc-det.txt"
text2pcap -q -l 224 "$work/rc-det.txt" "$work/rc-det.pcap" || fail "text2pcap could not build rc-det.pcap"
# The same frames FCIP-encapsulated, all in one TCP segment to port 3225.
det_stream=""
for frame in "${det_rc_frames[@]}"; do
    det_stream+="$(fcip "$frame") "
done
hexdump_packets "$det_stream" >"$work/fcip-rc-det.txt"
text2pcap -q -T 40000,3225 "$work/fcip-rc-det.txt" "$work/fcip-rc-det.pcap" ||
    fail "text2pcap could not build fcip-rc-det.pcap"

# Malformed headers, each a command and its list (frames 1-14): PAIR COMMAND with OPERATION 0 (Create: a pair is
# created at its primary), with OPERATION 9 (not defined), with FLAGS 0x01 (a CREATE's only); CREATE with FLAGS 0x03
# (bit 1 reserved); SET STATE PSUS with OPERATION 5; DELETE with reserved bytes 30-31 = 0x0001; PAIR COMMAND with 4
# bytes after its header (PARAMETER LIST LENGTH 36). Then (frame 15) an RC READ BITMAP that no PAIR COMMAND or CREATE
# of its pair came before: its volumes labelled as RC RESYNC's.
kx1_cmnd=$(rcs cmd 0090 01 $pc_cdb 00000020)
kx1_data=$(rcs dout 0090 "$(pc_list 0a 00 00 00 00 00 0000)")
kx2_cmnd=$(rcs cmd 0091 01 $pc_cdb 00000020)
kx2_data=$(rcs dout 0091 "$(pc_list 0a 00 00 00 09 00 0000)")
kx3_cmnd=$(rcs cmd 0092 01 $pc_cdb 00000020)
kx3_data=$(rcs dout 0092 "$(pc_list 0a 00 00 00 01 01 0000)")
kx4_cmnd=$(rc cmd 0093 01 $pc_cdb 00000020)
kx4_data=$(rc dout 0093 "$(pc_list 01 00 00 01 00 03 0000)")
kx5_cmnd=$(rc cmd 0094 01 $pc_cdb 00000020)
kx5_data=$(rc dout 0094 "$(pc_list 02 03 01 00 05 00 0000)")
kx6_cmnd=$(rc cmd 0095 01 $pc_cdb 00000020)
kx6_data=$(rc dout 0095 "$(pc_list 04 00 00 00 00 00 0001)")
kx7_cmnd=$(rcs cmd 0096 01 "$(pc_cdb_n 00000024)" 00000024)
kx7_data=$(rcs dout 0096 "${kc_list}0000abcd")
kx8_cmnd=$(rcs cmd 0097 02 E3"421014""0009""00000002""000000000000" 00000002)
hexdump_packets "$kx1_cmnd" "$kx1_data" "$kx2_cmnd" "$kx2_data" "$kx3_cmnd" "$kx3_data" "$kx4_cmnd" "$kx4_data" \
    "$kx5_cmnd" "$kx5_data" "$kx6_cmnd" "$kx6_data" "$kx7_cmnd" "$kx7_data" "$kx8_cmnd" >"$work/rc-det-bad.txt"
text2pcap -q -l 224 "$work/rc-det-bad.txt" "$work/rc-det-bad.pcap" ||
    fail "text2pcap could not build rc-det-bad.pcap"

# --- the checks -------------------------------------------------------------------------------------------------

# FIG 7 over link type 224.
run "$work/fig7.out" -r "$work/fig7.pcap"
expect_count "$work/fig7.out" 3
expect "$work/fig7.out" "ATOMIC SPLIT (freeze, read-only) LUN:0x0001 parameter list 36 bytes"
expect "$work/fig7.out" "XFER_RDY"
expect "$work/fig7.out" "ATOMIC SPLIT pairs: $pairs"

run "$work/fig7-v.out" -r "$work/fig7.pcap" -V -O ctlcm
expect "$work/fig7-v.out" "Controller copy management: ATOMIC SPLIT"
expect "$work/fig7-v.out" ".... .01. = MECHANISM: freeze (1)"
expect "$work/fig7-v.out" ".... ...0 = RW: read-only S-VOL"
expect "$work/fig7-v.out" "PARAMETER LIST LENGTH: 36"
expect "$work/fig7-v.out" "Number of pair descriptors: 2"
expect "$work/fig7-v.out" "Pair 1: P-VOL 0x400104/0x0001 -> S-VOL 0x400104/0x0002"
expect "$work/fig7-v.out" "Pair 2: P-VOL 0x400104/0x0004 -> S-VOL 0x421014/0x0005"
expect_not "$work/fig7-v.out" "Expert Info"

# Display filters on the plug-in's fields.
run "$work/f1.out" -r "$work/fig7.pcap" -Y 'ctlcm.opcode == 0xc9'
expect_count "$work/f1.out" 2
run "$work/f2.out" -r "$work/fig7.pcap" -Y 'ctlcm.pvol == "0x400104/0x0004" && ctlcm.svol == "0x421014/0x0005"'
expect_count "$work/f2.out" 1
run "$work/f3.out" -r "$work/fig7.pcap" -Y 'ctlcm.pair_count == 2 && ctlcm.svol.port_id == 0x421014'
expect_count "$work/f3.out" 1
run "$work/f4.out" -r "$work/fig7.pcap" -Y 'ctlcm.mechanism == 1 && ctlcm.rw == 0 && ctlcm.param_list_length == 36'
expect_count "$work/f4.out" 1

# Two passes (state kept per frame, not per pass).
run "$work/fig7-2.out" -2 -r "$work/fig7.pcap"
expect "$work/fig7-2.out" "ATOMIC SPLIT pairs: $pairs"

# NAME MIRRORS, ATOMIC SPLIT BY NAME, the vendor sense, and the stock decoding of WRITE(16).
run "$work/mirrors.out" -r "$work/mirrors.pcap"
expect_count "$work/mirrors.out" 12
expect "$work/mirrors.out" "NAME MIRRORS LUN:0x0001 parameter list 48 bytes"
expect "$work/mirrors.out" "NAME MIRRORS mirror: AUXSET1 pairs: $pairs"
expect "$work/mirrors.out" "[NAME MIRRORS: GOOD]"
expect "$work/mirrors.out" "ATOMIC SPLIT BY NAME (sequence cut, read/write) LUN:0x0001 parameter list 12 bytes"
expect "$work/mirrors.out" "ATOMIC SPLIT BY NAME mirror: AUXSET1"
expect "$work/mirrors.out" "[ATOMIC SPLIT BY NAME: CHECK CONDITION 05/80/02 PairSuspended]"
expect "$work/mirrors.out" "SCSI: Write(16) LUN: 0x01 (LBA: 16, Len: 8)"
run "$work/m1.out" -r "$work/mirrors.pcap" -Y 'ctlcm.mirror_name == "AUXSET1"'
expect_count "$work/m1.out" 3    # NAME MIRRORS, ATOMIC SPLIT BY NAME, the PAIR STATUS row
run "$work/m2.out" -r "$work/mirrors.pcap" -Y 'frame.number in {8, 9} && ctlcm'
expect_count "$work/m2.out" 0
expect "$work/mirrors.out" "PAIR STATUS LUN:0x0001 allocation length 4096"
expect "$work/mirrors.out" "PAIR STATUS rows: 2 of 2 (#1 0x400104/0x0001->0x400104/0x0002 PSUS AUXSET1, #2 \
0x400104/0x0004->0x421014/0x0005 PAIR)"
run "$work/m3.out" -r "$work/mirrors.pcap" -Y 'ctlcm.status.state == 3 && ctlcm.status.entry_id == 1' -V -O ctlcm
expect_count "$work/m3.out" 0    # -V prints "Frame N:" headers, not summary lines
expect "$work/m3.out" "Row 1: entry 1, P-VOL 0x400104/0x0001 -> S-VOL 0x400104/0x0002, PSUS, mirror AUXSET1"
expect "$work/m3.out" "Split time: Nov 22, 2026 07:28:01.123456789 UTC"
expect "$work/m3.out" "Copy progress (%): 255 (not known)"
expect "$work/m3.out" "Tracks copied by the last copy: 4294967298"
expect "$work/m3.out" "Last copy's total tracks: 4294967299"
run "$work/m4.out" -r "$work/mirrors.pcap" -Y 'ctlcm.status.copied_tracks == 64' -T fields -e ctlcm.status.entry_id \
    -e ctlcm.status.copy_total_tracks
expect_line "$work/m4.out" "1,2	4294967299,64"

# Without the plug-in, tshark shows the non-vendor frames the same way.
tshark -r "$work/mirrors.pcap" 2>/dev/null | grep -F 'Write(16)' >"$work/w16-stock.out"
grep -F 'Write(16)' "$work/mirrors.out" >"$work/w16-plugin.out"
checks=$((checks + 1))
[[ -s "$work/w16-stock.out" ]] && cmp -s "$work/w16-stock.out" "$work/w16-plugin.out" ||
    fail "the WRITE(16) line differs with the plug-in (stock: $(cat "$work/w16-stock.out"))" "$work/w16-plugin.out"

# FCIP on TCP port 3225, every frame in one segment.
run "$work/fcip.out" -r "$work/fcip.pcap" -d tcp.port==3225,fcip
expect "$work/fcip.out" "ATOMIC SPLIT (freeze, read-only) LUN:0x0001 parameter list 36 bytes"
expect "$work/fcip.out" "ATOMIC SPLIT pairs: $pairs"
expect "$work/fcip.out" "NAME MIRRORS mirror: AUXSET1 pairs: $pairs"
expect "$work/fcip.out" "ATOMIC SPLIT BY NAME mirror: AUXSET1"
expect "$work/fcip.out" "ATOMIC SPLIT BY NAME: CHECK CONDITION 05/80/02 PairSuspended"

# Truncated parameter list: decoded as far as it goes, with an expert info, no Lua error.
run "$work/short.out" -r "$work/short.pcap" -V -O ctlcm
expect "$work/short.out" "Pair 1: P-VOL 0x400104/0x0001 -> S-VOL 0x400104/0x0002"
expect "$work/short.out" "Pair descriptor 2 of 2 truncated"
run "$work/short-y.out" -r "$work/short.pcap" -Y ctlcm.truncated
expect_count "$work/short-y.out" 1
expect "$work/short-y.out" "ATOMIC SPLIT pairs: 0x400104/0x0001->0x400104/0x0002 (truncated)"

# --- the remote-copy link (protocol ctlrc) ---------------------------------------------------------------------

t=$'\t'
# The Info column of the RC PAIR CONTROL lists with a tail (frames 38, 42, 54 of rc.pcap).
sp_info='RC PAIR CONTROL: SPLIT PREPARE 1#7 sequence cut, 1 member (0x421014/0x0002 -> 0x421014/0x0004)'
sc_info='RC PAIR CONTROL: SPLIT COMMIT 1#7 freeze, read/write, 1 member (0x421014/0x0002 -> 0x421014/0x0004)'
nc_info='RC PAIR CONTROL: CREATE (no copy, origin 0x400104/0x0001, split 1#7) 0x400104/0x0003 -> 0x421014/0x0004'
nc_info+=' fence never, 2048 blocks'

# Link type 224: the Info column of every frame.
run "$work/rc.out" -r "$work/rc.pcap"
expect_count "$work/rc.out" 58
expect "$work/rc.out" "RC UPDATE COPY LUN:0x0002 LBA 1024 blocks 8 seq 4711"
expect "$work/rc.out" "RC UPDATE COPY data, bytes 0-2047 of 4096"
expect "$work/rc.out" "RC UPDATE COPY data, bytes 2048-4095 of 4096"
expect "$work/rc.out" "[RC UPDATE COPY: GOOD]"
expect "$work/rc.out" "RC UPDATE COPY (copied track) LUN:0x0002 LBA 0 blocks 128"
expect_not "$work/rc.out" "RC UPDATE COPY (copied track) LUN:0x0002 LBA 0 blocks 128 seq"
expect "$work/rc.out" "[RC UPDATE COPY: CHECK CONDITION 05/80/19 PairBusy]"
expect "$work/rc.out" "RC UPDATE COPY LUN:0x0002 LBA 140737488355344 blocks 1 seq 20015998343868"
expect "$work/rc.out" "RC PAIR CONTROL LUN:0x0002 parameter list 32 bytes"
expect "$work/rc.out" "RC PAIR CONTROL: CREATE 0x400104/0x0001 -> 0x421014/0x0002 fence data, 4096 blocks"
expect "$work/rc.out" "[RC PAIR CONTROL: CHECK CONDITION 05/80/1A TrackSizeMismatch]"
expect "$work/rc.out" "RC PAIR CONTROL: SET STATE PSUS (read/write) 0x400104/0x0001 -> 0x421014/0x0002"
expect "$work/rc.out" "[RC PAIR CONTROL: GOOD]"
expect "$work/rc.out" "RC PAIR CONTROL data, bytes 0-15 of 32"
expect "$work/rc.out" "RC PAIR CONTROL: DELETE 0x400104/0x0001 -> 0x421014/0x0002"
expect "$work/rc.out" "RC RESYNC 0x400104/0x0001 -> LUN:0x0002 allocation length 2"
expect "$work/rc.out" "RC RESYNC bitmap: 2 bytes, 3 tracks marked"
expect "$work/rc.out" "[RC RESYNC: GOOD]"
expect "$work/rc.out" "RC RESYNC 0x400104/0x0004 -> LUN:0x0002 allocation length 8"
expect "$work/rc.out" "RC RESYNC bitmap: bytes 0-3 of 8, 1 track marked"
expect "$work/rc.out" "RC RESYNC bitmap: bytes 4-7 of 8, 9 tracks marked (bitmap 8 bytes, 10 tracks marked)"
expect "$work/rc.out" "RC UPDATE COPY LUN:0x0002 LBA 1024 blocks 8 seq 4711 beyond cut"
expect_not "$work/rc.out" "seq 20015998343868 beyond cut"
expect "$work/rc.out" "RC PAIR CONTROL LUN:0x0002 parameter list 80 bytes"
expect "$work/rc.out" "RC PAIR CONTROL data, bytes 0-39 of 80"
expect "$work/rc.out" "RC PAIR CONTROL LUN:0x0002 parameter list 84 bytes"
expect "$work/rc.out" "RC PAIR CONTROL LUN:0x0002 parameter list 68 bytes"
expect "$work/rc.out" "RC PAIR CONTROL LUN:0x0002 parameter list 64 bytes"
expect "$work/rc.out" "RC READ BITMAP 0x400104/0x0003 -> LUN:0x0004 allocation length 2"
expect "$work/rc.out" "RC READ BITMAP bitmap: 2 bytes, 4 tracks marked"
expect "$work/rc.out" "[RC READ BITMAP: GOOD]"

# The Info column of the RC PAIR CONTROL lists with a tail, whole (the data frames 34-54).
run "$work/rc-tail.out" -r "$work/rc.pcap" -Y 'ctlrc.kind >= 5 || ctlrc.split' -T fields -e frame.number \
    -e _ws.col.Info
expect_rows "$work/rc-tail.out" 6
expect_line "$work/rc-tail.out" "34${t}RC PAIR CONTROL: NAME MIRRORS 'AUXSET1' 2 pairs"
expect_line "$work/rc-tail.out" "38${t}${sp_info}"
expect_line "$work/rc-tail.out" "42${t}${sc_info}"
expect_line "$work/rc-tail.out" "46${t}RC PAIR CONTROL: SPLIT ABORT 1#7"
expect_line "$work/rc-tail.out" "50${t}RC PAIR CONTROL: SPLIT CONFIRM 1#7"
expect_line "$work/rc-tail.out" "54${t}${nc_info}"

# The field values.
run "$work/rc-uc.out" -r "$work/rc.pcap" -Y 'ctlrc.command == "RC UPDATE COPY"' -T fields -e frame.number \
    -e ctlrc.lba -e ctlrc.transfer_length -e ctlrc.sequence -e ctlrc.copied_track -e ctlrc.beyond_cut \
    -e ctlrc.svol -e ctlrc.fcp_dl
expect_rows "$work/rc-uc.out" 4
expect_line "$work/rc-uc.out" "1${t}1024${t}8${t}4711${t}0${t}0${t}0x421014/0x0002${t}4096"
expect_line "$work/rc-uc.out" "6${t}0${t}128${t}0${t}1${t}0${t}0x421014/0x0002${t}65536"
expect_line "$work/rc-uc.out" "8${t}140737488355344${t}1${t}20015998343868${t}0${t}0${t}0x421014/0x0002${t}512"
expect_line "$work/rc-uc.out" "29${t}1024${t}8${t}4711${t}0${t}1${t}0x421014/0x0002${t}4096"
run "$work/rc-bc.out" -r "$work/rc.pcap" -Y 'ctlrc.beyond_cut == 1' -T fields -e frame.number
expect_rows "$work/rc-bc.out" 1
expect_line "$work/rc-bc.out" "29"
run "$work/rc-pc.out" -r "$work/rc.pcap" -Y 'ctlrc.kind' -T fields -e frame.number -e ctlrc.kind -e ctlrc.state \
    -e ctlrc.split_mode -e ctlrc.fence -e ctlrc.pvol -e ctlrc.svol -e ctlrc.capacity -e ctlrc.track_size
expect_rows "$work/rc-pc.out" 9
expect_line "$work/rc-pc.out" "11${t}1${t}0${t}0${t}1${t}0x400104/0x0001${t}0x421014/0x0002${t}4096${t}49152"
expect_line "$work/rc-pc.out" "15${t}2${t}3${t}1${t}0${t}0x400104/0x0001${t}0x421014/0x0002${t}0${t}0"
expect_line "$work/rc-pc.out" "20${t}4${t}0${t}0${t}0${t}0x400104/0x0001${t}0x421014/0x0002${t}0${t}0"
expect_line "$work/rc-pc.out" "34${t}5${t}0${t}0${t}0${t}0x000000/0x0000${t}0x000000/0x0000${t}0${t}0"
expect_line "$work/rc-pc.out" "38${t}6${t}0${t}0${t}0${t}0x000000/0x0000${t}0x000000/0x0000${t}0${t}0"
expect_line "$work/rc-pc.out" "42${t}7${t}0${t}1${t}0${t}0x000000/0x0000${t}0x000000/0x0000${t}0${t}0"
expect_line "$work/rc-pc.out" "46${t}8${t}0${t}0${t}0${t}0x000000/0x0000${t}0x000000/0x0000${t}0${t}0"
expect_line "$work/rc-pc.out" "50${t}9${t}0${t}0${t}0${t}0x000000/0x0000${t}0x000000/0x0000${t}0${t}0"
expect_line "$work/rc-pc.out" "54${t}1${t}0${t}0${t}0${t}0x400104/0x0003${t}0x421014/0x0004${t}2048${t}49152"
# The split blocks: split text, SERIAL, SPLIT, MECHANISM, SPLIT MODE, HOLD TIMEOUT, SPLIT TIME, ORIGIN, ORIGIN
# PRESENT, number of pairs.
run "$work/rc-sb.out" -r "$work/rc.pcap" -Y 'ctlrc.split' -T fields -e frame.number -e ctlrc.split \
    -e ctlrc.split.serial -e ctlrc.split.id -e ctlrc.split.mechanism -e ctlrc.split.mode -e ctlrc.split.hold_timeout \
    -e ctlrc.split.time -e ctlrc.split.origin -e ctlrc.split.origin_present -e ctlrc.members
split_time='Nov 22, 2026 07:28:01.123456789 UTC'
expect_rows "$work/rc-sb.out" 5
expect_line "$work/rc-sb.out" "38${t}1#7${t}1${t}7${t}2${t}0${t}5000${t}${split_time}${t}${t}0${t}1"
expect_line "$work/rc-sb.out" "42${t}1#7${t}1${t}7${t}1${t}1${t}5000${t}${split_time}${t}${t}0${t}1"
expect_line "$work/rc-sb.out" "46${t}1#7${t}1${t}7${t}2${t}0${t}5000${t}${split_time}${t}${t}0${t}0"
expect_line "$work/rc-sb.out" "50${t}1#7${t}1${t}7${t}2${t}0${t}5000${t}${split_time}${t}${t}0${t}0"
expect_line "$work/rc-sb.out" "54${t}1#7${t}1${t}7${t}0${t}0${t}0${t}${split_time}${t}0x400104/0x0001${t}1${t}"
# The name block and the pair lists (members): count, P-VOLs, S-VOLs, name.
run "$work/rc-mb.out" -r "$work/rc.pcap" -Y 'ctlrc.members' -T fields -e frame.number -e ctlrc.members \
    -e ctlrc.member.pvol -e ctlrc.member.svol -e ctlrc.member.svol.port_id -e ctlrc.member.svol.lun -e ctlrc.name
expect_rows "$work/rc-mb.out" 5
expect_line "$work/rc-mb.out" \
    "34${t}2${t}0x400104/0x0001,0x400104/0x0004${t}0x421014/0x0002,0x421014/0x0005${t}0x421014,0x421014${t}\
0x0002,0x0005${t}AUXSET1"
expect_line "$work/rc-mb.out" "38${t}1${t}0x421014/0x0002${t}0x421014/0x0004${t}0x421014${t}0x0004${t}"
expect_line "$work/rc-mb.out" "42${t}1${t}0x421014/0x0002${t}0x421014/0x0004${t}0x421014${t}0x0004${t}"
expect_line "$work/rc-mb.out" "46${t}0${t}${t}${t}${t}${t}"
expect_line "$work/rc-mb.out" "50${t}0${t}${t}${t}${t}${t}"
run "$work/rc-nm.out" -r "$work/rc.pcap" -Y 'ctlrc.name == "AUXSET1" && ctlrc.name_length == 7'
expect_count "$work/rc-nm.out" 1
# ctlrc.vol: the members' volumes, a list's S-VOL and the generated S-VOL of RC READ BITMAP.
run "$work/rc-vol.out" -r "$work/rc.pcap" -Y 'ctlrc.vol == "0x421014/0x0004"' -T fields -e frame.number
expect_rows "$work/rc-vol.out" 4
for n in 38 42 54 56; do expect_line "$work/rc-vol.out" "$n"; done
# RC READ BITMAP: the CDB of RC RESYNC.
run "$work/rc-rb.out" -r "$work/rc.pcap" -Y 'ctlrc.opcode == 0xe3' -T fields -e frame.number -e ctlrc.command \
    -e ctlrc.pvol -e ctlrc.alloc_length -e ctlrc.svol -e ctlrc.fcp_dl -e ctlrc.bitmap.marked -e ctlrc.command_in
expect_rows "$work/rc-rb.out" 3
expect_line "$work/rc-rb.out" "56${t}RC READ BITMAP${t}0x400104/0x0003${t}2${t}0x421014/0x0004${t}2${t}${t}"
expect_line "$work/rc-rb.out" "57${t}${t}${t}${t}${t}${t}4${t}56"
expect_line "$work/rc-rb.out" "58${t}${t}${t}${t}${t}${t}${t}56"
run "$work/rc-rs.out" -r "$work/rc.pcap" -Y 'ctlrc.command == "RC RESYNC"' -T fields -e frame.number \
    -e ctlrc.pvol.port_id -e ctlrc.pvol.lun -e ctlrc.alloc_length -e ctlrc.svol.port_id -e ctlrc.svol.lun
expect_rows "$work/rc-rs.out" 2
expect_line "$work/rc-rs.out" "22${t}0x400104${t}0x0001${t}2${t}0x421014${t}0x0002"
expect_line "$work/rc-rs.out" "25${t}0x400104${t}0x0004${t}8${t}0x421014${t}0x0002"
run "$work/rc-bm.out" -r "$work/rc.pcap" -Y 'ctlrc.bitmap' -T fields -e frame.number -e ctlrc.bitmap \
    -e ctlrc.bitmap.marked -e ctlrc.bitmap.track
expect_rows "$work/rc-bm.out" 4
expect_line "$work/rc-bm.out" "23${t}0501${t}3${t}0,2,8"
expect_line "$work/rc-bm.out" "57${t}8106${t}4${t}0,7,9,10"
expect_line "$work/rc-bm.out" "26${t}00800000${t}1${t}15"
expect_line "$work/rc-bm.out" "27${t}ff010000${t}9${t}32,33,34,35,36,37,38,39,40"
run "$work/rc-rsp.out" -r "$work/rc.pcap" -Y 'ctlrc.response.status == 2' -T fields -e frame.number \
    -e ctlrc.response.ascq -e ctlrc.response.pair_error -e ctlrc.command_in
expect_rows "$work/rc-rsp.out" 2
expect_line "$work/rc-rsp.out" "7${t}0x19${t}PairBusy${t}6"
expect_line "$work/rc-rsp.out" "12${t}0x1a${t}TrackSizeMismatch${t}9"

# Display filters: volumes, the expert infos (only the reserved bit of frame 8), and the two protocols kept apart.
run "$work/rc-f1.out" -r "$work/rc.pcap" -Y 'ctlrc.pvol == "0x400104/0x0001" && ctlrc.svol == "0x421014/0x0002"'
expect_count "$work/rc-f1.out" 4    # the three parameter lists and the first RC RESYNC
run "$work/rc-f2.out" -r "$work/rc.pcap" -Y 'ctlrc.reserved_not_zero'
expect_count "$work/rc-f2.out" 1
expect "$work/rc-f2.out" "RC UPDATE COPY LUN:0x0002 LBA 140737488355344 blocks 1 seq 20015998343868"
run "$work/rc-f3.out" -r "$work/rc.pcap" -Y 'ctlrc.truncated || ctlrc.length_mismatch || ctlrc.bad_field ||
    ctlrc.wrong_direction || ctlrc.bitmap_short || ctlrc.bad_mirror_name || ctlcm'
expect_count "$work/rc-f3.out" 0
run "$work/rc-f4.out" -r "$work/mirrors.pcap" -Y 'ctlrc'
expect_count "$work/rc-f4.out" 0

# The detail tree.
run "$work/rc-v.out" -r "$work/rc.pcap" -V -O ctlrc
expect "$work/rc-v.out" "Controller remote copy: RC UPDATE COPY LUN:0x0002 LBA 1024 blocks 8 seq 4711"
expect "$work/rc-v.out" ".... ...0 = COPIED TRACK: host write"
expect "$work/rc-v.out" "[S-VOL: 0x421014/0x0002 (the command's LUN at the target port)]"
expect "$work/rc-v.out" "Blocks in this frame: LBA 1028-1031"
expect "$work/rc-v.out" "Reserved bits 7-2 of byte 1 set (0x04): the secondary refuses the command"
expect "$work/rc-v.out" "Controller remote copy: RC UPDATE COPY LUN:0x0002 LBA 1024 blocks 8 seq 4711 beyond cut"
expect "$work/rc-v.out" ".... ..1. = BEYOND CUT: beyond the sequence cut of a cross-subsystem split"
expect "$work/rc-v.out" ".... ..0. = BEYOND CUT: not beyond a cut"
expect "$work/rc-v.out" "KIND: NAME MIRRORS (5)"
expect "$work/rc-v.out" "Reassembled from FCP_DATA frames 33-34"
expect "$work/rc-v.out" "Mirror name: AUXSET1 (length 7)"
expect "$work/rc-v.out" "Pair 2: P-VOL 0x400104/0x0004 -> S-VOL 0x421014/0x0005"
expect "$work/rc-v.out" "KIND: SPLIT PREPARE (6)"
expect "$work/rc-v.out" "Split block: 1#7, sequence cut"
expect "$work/rc-v.out" "Split block: 1#7, freeze"
expect "$work/rc-v.out" "HOLD TIMEOUT (ms): 5000"
expect "$work/rc-v.out" "SPLIT TIME: $split_time"
expect "$work/rc-v.out" "Pair 1: P-VOL 0x421014/0x0002 -> S-VOL 0x421014/0x0004"
expect "$work/rc-v.out" "KIND: SPLIT ABORT (8)"
expect "$work/rc-v.out" "KIND: SPLIT CONFIRM (9)"
expect "$work/rc-v.out" "Pair list (0 pairs)"
expect "$work/rc-v.out" "Split block: 1#7, origin 0x400104/0x0001"
expect "$work/rc-v.out" ".... ...1 = ORIGIN PRESENT: origin present (no-copy create)"
expect "$work/rc-v.out" "Controller remote copy: RC PAIR CONTROL parameter list (64 bytes): CREATE (no copy"
expect "$work/rc-v.out" "Controller remote copy: RC READ BITMAP 0x400104/0x0003 -> LUN:0x0004 allocation length 2"
expect "$work/rc-v.out" "Differential bitmap, bytes 0-1 (tracks 0-15): 4 tracks marked"
expect "$work/rc-v.out" "KIND: CREATE (1)"
expect "$work/rc-v.out" "FENCE: data (1)"
expect "$work/rc-v.out" "Track size (bytes): 49152"
expect "$work/rc-v.out" "STATE: PSUS (3)"
expect "$work/rc-v.out" "Reassembled from FCP_DATA frames 19-20"
expect "$work/rc-v.out" "Differential bitmap, bytes 0-1 (tracks 0-15): 3 tracks marked"
expect "$work/rc-v.out" "Bitmap from FCP_DATA frames 26-27"
expect "$work/rc-v.out" "RC PAIR CONTROL rejected: TrackSizeMismatch (80/1A)"

# Two passes.
run "$work/rc-2.out" -2 -r "$work/rc.pcap"
expect "$work/rc-2.out" "RC PAIR CONTROL: DELETE 0x400104/0x0001 -> 0x421014/0x0002"
expect "$work/rc-2.out" "RC RESYNC bitmap: bytes 4-7 of 8, 9 tracks marked (bitmap 8 bytes, 10 tracks marked)"
expect "$work/rc-2.out" "RC PAIR CONTROL: NAME MIRRORS 'AUXSET1' 2 pairs"
expect "$work/rc-2.out" "${sc_info}"
expect "$work/rc-2.out" "RC READ BITMAP bitmap: 2 bytes, 4 tracks marked"

# FCIP on TCP port 3225, every frame in one segment.
run "$work/fcip-rc.out" -r "$work/fcip-rc.pcap" -d tcp.port==3225,fcip
expect "$work/fcip-rc.out" "RC UPDATE COPY LUN:0x0002 LBA 1024 blocks 8 seq 4711"
expect "$work/fcip-rc.out" "RC UPDATE COPY data, bytes 2048-4095 of 4096"
expect "$work/fcip-rc.out" "RC UPDATE COPY: CHECK CONDITION 05/80/19 PairBusy"
expect "$work/fcip-rc.out" "RC PAIR CONTROL: CREATE 0x400104/0x0001 -> 0x421014/0x0002 fence data, 4096 blocks"
expect "$work/fcip-rc.out" "RC PAIR CONTROL: CHECK CONDITION 05/80/1A TrackSizeMismatch"
expect "$work/fcip-rc.out" "RC PAIR CONTROL: SET STATE PSUS (read/write) 0x400104/0x0001 -> 0x421014/0x0002"
expect "$work/fcip-rc.out" "RC PAIR CONTROL: DELETE 0x400104/0x0001 -> 0x421014/0x0002"
expect "$work/fcip-rc.out" "RC RESYNC 0x400104/0x0001 -> LUN:0x0002 allocation length 2"
expect "$work/fcip-rc.out" "RC RESYNC bitmap: 2 bytes, 3 tracks marked"
expect "$work/fcip-rc.out" "RC RESYNC bitmap: bytes 4-7 of 8, 9 tracks marked (bitmap 8 bytes, 10 tracks marked)"
expect "$work/fcip-rc.out" "RC UPDATE COPY LUN:0x0002 LBA 1024 blocks 8 seq 4711 beyond cut"
expect "$work/fcip-rc.out" "RC PAIR CONTROL: NAME MIRRORS 'AUXSET1' 2 pairs"
expect "$work/fcip-rc.out" "${sp_info}"
expect "$work/fcip-rc.out" "${sc_info}"
expect "$work/fcip-rc.out" "RC PAIR CONTROL: SPLIT ABORT 1#7"
expect "$work/fcip-rc.out" "RC PAIR CONTROL: SPLIT CONFIRM 1#7"
expect "$work/fcip-rc.out" "${nc_info}"
expect "$work/fcip-rc.out" "RC READ BITMAP 0x400104/0x0003 -> LUN:0x0004 allocation length 2"
expect "$work/fcip-rc.out" "RC READ BITMAP bitmap: 2 bytes, 4 tracks marked"
run "$work/fcip-rc-f.out" -r "$work/fcip-rc.pcap" -d tcp.port==3225,fcip -Y 'ctlrc.truncated || ctlrc.length_mismatch ||
    ctlrc.bad_field || ctlrc.wrong_direction || ctlrc.bitmap_short || ctlrc.bad_mirror_name'
expect_count "$work/fcip-rc-f.out" 0

# FCIP cut into 1000-byte TCP segments: frames spanning segments, the RC UPDATE COPY data kept as headers only.
run "$work/fcip-rc-split.out" -r "$work/fcip-rc-split.pcap" -d tcp.port==3225,fcip
expect "$work/fcip-rc-split.out" "RC UPDATE COPY LUN:0x0002 LBA 1024 blocks 8 seq 4711"
expect "$work/fcip-rc-split.out" "RC UPDATE COPY data, bytes 0-2047 of 4096"
expect "$work/fcip-rc-split.out" "RC UPDATE COPY data, bytes 2048-4095 of 4096"
expect "$work/fcip-rc-split.out" "RC PAIR CONTROL: CREATE 0x400104/0x0001 -> 0x421014/0x0002 fence data, 4096 blocks"
expect "$work/fcip-rc-split.out" "RC PAIR CONTROL: DELETE 0x400104/0x0001 -> 0x421014/0x0002"
expect "$work/fcip-rc-split.out" "RC PAIR CONTROL: CHECK CONDITION 05/80/1A TrackSizeMismatch"
expect "$work/fcip-rc-split.out" "RC RESYNC bitmap: 2 bytes, 3 tracks marked"
expect "$work/fcip-rc-split.out" "RC UPDATE COPY LUN:0x0002 LBA 1024 blocks 8 seq 4711 beyond cut"
expect "$work/fcip-rc-split.out" "RC PAIR CONTROL: NAME MIRRORS 'AUXSET1' 2 pairs"
expect "$work/fcip-rc-split.out" "${sp_info}"
expect "$work/fcip-rc-split.out" "${sc_info}"
expect "$work/fcip-rc-split.out" "RC PAIR CONTROL: SPLIT ABORT 1#7"
expect "$work/fcip-rc-split.out" "RC PAIR CONTROL: SPLIT CONFIRM 1#7"
expect "$work/fcip-rc-split.out" "${nc_info}"
expect "$work/fcip-rc-split.out" "RC READ BITMAP 0x400104/0x0003 -> LUN:0x0004 allocation length 2"
expect "$work/fcip-rc-split.out" "RC READ BITMAP bitmap: 2 bytes, 4 tracks marked"
# The split blocks in stream order (several FC frames share a packet: a packet's values are joined by commas).
run "$work/fcip-rc-split-sb.out" -r "$work/fcip-rc-split.pcap" -d tcp.port==3225,fcip -Y 'ctlrc.split' -T fields \
    -e ctlrc.split.mechanism -e ctlrc.split.origin
checks=$((checks + 1))
got=$(grep -v 'Running as' "$work/fcip-rc-split-sb.out" | cut -f1 | paste -sd, -)
[[ "$got" == "2,1,2,2,0" ]] ||
    fail "expected the split block MECHANISMs 2,1,2,2,0 in fcip-rc-split-sb.out, got $got" "$work/fcip-rc-split-sb.out"
expect "$work/fcip-rc-split-sb.out" "${t}0x400104/0x0001"
run "$work/fcip-rc-split-f.out" -r "$work/fcip-rc-split.pcap" -d tcp.port==3225,fcip \
    -Y 'ctlrc.opcode == 0xe0 && ctlrc.data_length == 2048' -T fields -e frame.number -e ctlrc.data_offset \
    -e ctlrc.data_length
expect_rows "$work/fcip-rc-split-f.out" 2
expect_line "$work/fcip-rc-split-f.out" "3${t}0${t}2048"
expect_line "$work/fcip-rc-split-f.out" "5${t}2048${t}2048"
run "$work/fcip-rc-split-v.out" -r "$work/fcip-rc-split.pcap" -d tcp.port==3225,fcip -V -O ctlrc
expect "$work/fcip-rc-split-v.out" "FCIP frame spanning TCP segments: the plug-in kept its headers only"

# Truncated RC PAIR CONTROL list: decoded as far as it goes, with an expert info, no Lua error.
run "$work/rc-short.out" -r "$work/rc-short.pcap" -V -O ctlrc
expect "$work/rc-short.out" "RC PAIR CONTROL parameter list truncated: 32 bytes needed, 20 available"
expect "$work/rc-short.out" "S-VOL: 0x421014/0x0002"
run "$work/rc-short-y.out" -r "$work/rc-short.pcap" -Y ctlrc.truncated
expect_count "$work/rc-short-y.out" 1
expect "$work/rc-short-y.out" "RC PAIR CONTROL: CREATE 0x400104/0x0001 -> 0x421014/0x0002 fence data, ? blocks (truncated)"

# Malformed RC PAIR CONTROL lists: each flagged with its own expert info, no Lua error.
run "$work/rc-bad.out" -r "$work/rc-bad.pcap"
expect_count "$work/rc-bad.out" 9
expect "$work/rc-bad.out" "RC PAIR CONTROL: NAME MIRRORS 'AUXS' 0 pairs (truncated)"
expect "$work/rc-bad.out" "RC PAIR CONTROL LUN:0x0002 parameter list 36 bytes"
expect "$work/rc-bad.out" "RC PAIR CONTROL: SET STATE PSUS (read/write) 0x400104/0x0001 -> 0x421014/0x0002"
expect "$work/rc-bad.out" "RC PAIR CONTROL: SPLIT PREPARE 1#7 sequence cut, 2 members (0x421014/0x0002 -> \
0x421014/0x0004) (truncated)"
run "$work/rc-bad-v.out" -r "$work/rc-bad.pcap" -V -O ctlrc
expect "$work/rc-bad-v.out" \
    "4 bytes after the 32-byte header: KIND 2 (SET STATE) takes none (the secondary refuses the list)"
expect "$work/rc-bad-v.out" "Pair descriptor 2 of 2 truncated: 36 bytes needed, 20 available"
expect "$work/rc-bad-v.out" "MECHANISM 3: must be 0-2 (the secondary refuses the list)"
expect_not "$work/rc-bad-v.out" "PARAMETER LIST LENGTH 36: must be"
expect "$work/rc-bad-v.out" "RC PAIR CONTROL parameter list truncated: 80 bytes needed, 40 available"
run "$work/rc-bad-e.out" -r "$work/rc-bad.pcap" -Y 'ctlrc.length_mismatch' -T fields -e frame.number -e ctlrc.kind
expect_rows "$work/rc-bad-e.out" 1
expect_line "$work/rc-bad-e.out" "3${t}2"
run "$work/rc-bad-t.out" -r "$work/rc-bad.pcap" -Y 'ctlrc.truncated' -T fields -e frame.number -e ctlrc.members \
    -e ctlrc.name_length
expect_rows "$work/rc-bad-t.out" 2
expect_line "$work/rc-bad-t.out" "5${t}2${t}"
expect_line "$work/rc-bad-t.out" "9${t}${t}7"
run "$work/rc-bad-f.out" -r "$work/rc-bad.pcap" -Y 'ctlrc.bad_field && ctlrc.reserved_not_zero' -T fields \
    -e frame.number -e ctlrc.split.mechanism
expect_rows "$work/rc-bad-f.out" 1
expect_line "$work/rc-bad-f.out" "7${t}3"

# --- determining pairs (seed 002) -------------------------------------------------------------------------------

# Copy management: PAIR CREATE's MODIFIERS (NOCOPY, FENCE, DETERMINING), PAIR SPLIT's PROTECT P-VOL, the pair errors
# 80/1D and 80/1E, the PAIR STATUS row's FLAGS.
run "$work/det.out" -r "$work/det.pcap"
expect_count "$work/det.out" 17
expect "$work/det.out" "PAIR CREATE (fence data, determining) LUN:0x0001 parameter list 20 bytes"
expect "$work/det.out" "PAIR CREATE pairs: 0x400104/0x0001->0x421014/0x0002"
expect "$work/det.out" "[PAIR CREATE: GOOD]"
expect "$work/det.out" "PAIR CREATE (no copy, determining) LUN:0x0001 parameter list 20 bytes"
expect "$work/det.out" "[PAIR RESYNC: CHECK CONDITION 05/80/1D DeterminingPairHeld]"
expect "$work/det.out" "[PAIR SWAP RESYNC: CHECK CONDITION 05/80/1E NotSecondary]"
expect "$work/det.out" "PAIR SPLIT (read-only, protect P-VOL) LUN:0x0001 parameter list 20 bytes"
expect "$work/det.out" "PAIR SPLIT (read-only, MODIFIERS 2) LUN:0x0001 parameter list 20 bytes"
expect "$work/det.out" "PAIR STATUS rows: 2 of 2 (#3 0x400104/0x0001->0x421014/0x0002 PAIR secondary determining, #4 \
0x400104/0x0001->0x421014/0x0002 PAIR determining)"
# The MODIFIERS and their bits: only PAIR CREATE and PAIR SPLIT carry them.
run "$work/det-mod.out" -r "$work/det.pcap" -Y 'ctlcm.modifiers' -T fields -e frame.number -e ctlcm.modifiers \
    -e ctlcm.nocopy -e ctlcm.fence -e ctlcm.determining -e ctlcm.protect_pvol
expect_rows "$work/det-mod.out" 4
expect_line "$work/det-mod.out" "1${t}6${t}0${t}1${t}1${t}"
expect_line "$work/det-mod.out" "5${t}5${t}1${t}0${t}1${t}"
expect_line "$work/det-mod.out" "12${t}1${t}${t}${t}${t}1"
expect_line "$work/det-mod.out" "13${t}2${t}${t}${t}${t}0"
run "$work/det-f1.out" -r "$work/det.pcap" -Y 'ctlcm.determining == 1 && ctlcm.fence == 1'
expect_count "$work/det-f1.out" 1
# The row FLAGS: SECONDARY and DETERMINING, and the reserved bit 2 of entry 4.
run "$work/det-st.out" -r "$work/det.pcap" -Y 'ctlcm.status.flags' -T fields -e frame.number \
    -e ctlcm.status.entry_id -e ctlcm.status.flags -e ctlcm.status.secondary -e ctlcm.status.determining
expect_rows "$work/det-st.out" 1
# 80-byte rows carry no copy counts: decoded as rows all the same, without the fields.
run "$work/det-cc.out" -r "$work/det.pcap" -Y 'ctlcm.status.copied_tracks || ctlcm.status.copy_total_tracks' -T fields \
    -e frame.number
expect_rows "$work/det-cc.out" 0
expect_line "$work/det-st.out" "16${t}3,4${t}0x03,0x06${t}1,0${t}1,1"
run "$work/det-f2.out" -r "$work/det.pcap" -Y 'ctlcm.status.secondary == 1 && ctlcm.status.determining == 1'
expect_count "$work/det-f2.out" 1
# Expert infos: the undefined MODIFIERS of PAIR SPLIT, MODIFIERS on PAIR DELETE, the row's reserved FLAGS bit; and
# the pair errors.
run "$work/det-e.out" -r "$work/det.pcap" -Y 'ctlcm.reserved_not_zero' -T fields -e frame.number
expect_rows "$work/det-e.out" 3
for n in 13 14 16; do expect_line "$work/det-e.out" "$n"; done
run "$work/det-pe.out" -r "$work/det.pcap" -Y 'ctlcm.pair_error' -T fields -e frame.number -e ctlcm.response.ascq \
    -e ctlcm.response.pair_error -e ctlcm.command_in
expect_rows "$work/det-pe.out" 2
expect_line "$work/det-pe.out" "9${t}0x1d${t}DeterminingPairHeld${t}6"
expect_line "$work/det-pe.out" "11${t}0x1e${t}NotSecondary${t}10"
run "$work/det-v.out" -r "$work/det.pcap" -V -O ctlcm
expect "$work/det-v.out" "..11 0... = MODIFIERS: 6"
expect "$work/det-v.out" ".... 0... = NOCOPY: initial copy"
expect "$work/det-v.out" "...1 .... = FENCE: data (1)"
expect "$work/det-v.out" "..1. .... = DETERMINING: determining pair (seed 002)"
expect "$work/det-v.out" ".... 1... = NOCOPY: no initial copy (straight to PAIR)"
expect "$work/det-v.out" ".... 1... = PROTECT P-VOL: P-VOL write-protected too (pairsplit -P)"
expect "$work/det-v.out" "MODIFIERS 2: not defined for PAIR SPLIT (0-1; the target answers INVALID FIELD IN CDB)"
expect "$work/det-v.out" "Reserved option bits set (0x08)"
expect "$work/det-v.out" "PAIR RESYNC rejected: DeterminingPairHeld (80/1D)"
expect "$work/det-v.out" "PAIR SWAP RESYNC rejected: NotSecondary (80/1E)"
expect "$work/det-v.out" "Row 1: entry 3, P-VOL 0x400104/0x0001 -> S-VOL 0x421014/0x0002, PAIR, secondary, determining"
expect "$work/det-v.out" ".... ...1 = SECONDARY: the secondary's row (the local volume is the S-VOL)"
expect "$work/det-v.out" ".... ..1. = DETERMINING: determining pair (seed 002)"
expect "$work/det-v.out" "Row 2: entry 4, P-VOL 0x400104/0x0001 -> S-VOL 0x421014/0x0002, PAIR, determining"
expect "$work/det-v.out" "Reserved bits 7-2 of the row's FLAGS (byte 23) set (0x04)"

# Remote copy: PAIR COMMAND (KIND 10) and its OPERATION, the RC READ BITMAP after a swap resync, CREATE with FLAGS.
run "$work/rc-det.out" -r "$work/rc-det.pcap"
expect_count "$work/rc-det.out" 17
expect "$work/rc-det.out" "RC PAIR CONTROL LUN:0x0001 parameter list 32 bytes"
expect "$work/rc-det.out" "RC PAIR CONTROL: PAIR COMMAND SwapResync 0x400104/0x0001 -> 0x421014/0x0002"
expect "$work/rc-det.out" "RC READ BITMAP (swap resync) LUN:0x0001 -> 0x421014/0x0002 allocation length 2"
expect "$work/rc-det.out" "RC READ BITMAP bitmap: 2 bytes, 3 tracks marked"
expect "$work/rc-det.out" "[RC PAIR CONTROL: CHECK CONDITION 05/80/1D DeterminingPairHeld]"
expect "$work/rc-det.out" "RC PAIR CONTROL: PAIR COMMAND Split (read/write) 0x400104/0x0001 -> 0x421014/0x0002"
expect "$work/rc-det.out" \
    "RC PAIR CONTROL: CREATE 0x400104/0x0001 -> 0x421014/0x0002 fence data, 4096 blocks, determining"
run "$work/rc-det-pc.out" -r "$work/rc-det.pcap" -Y 'ctlrc.kind' -T fields -e frame.number -e ctlrc.kind \
    -e ctlrc.operation -e ctlrc.split_mode -e ctlrc.flags -e ctlrc.determining -e ctlrc.pvol -e ctlrc.svol
expect_rows "$work/rc-det-pc.out" 4
expect_line "$work/rc-det-pc.out" "3${t}10${t}5${t}0${t}0x00${t}${t}0x400104/0x0001${t}0x421014/0x0002"
expect_line "$work/rc-det-pc.out" "9${t}10${t}5${t}0${t}0x00${t}${t}0x400104/0x0001${t}0x421014/0x0002"
expect_line "$work/rc-det-pc.out" "12${t}10${t}1${t}1${t}0x00${t}${t}0x400104/0x0001${t}0x421014/0x0002"
expect_line "$work/rc-det-pc.out" "16${t}1${t}${t}0${t}0x01${t}1${t}0x400104/0x0001${t}0x421014/0x0002"
run "$work/rc-det-f.out" -r "$work/rc-det.pcap" -Y 'ctlrc.operation == 5 && ctlrc.kind == 10'
expect_count "$work/rc-det-f.out" 2
# The RC READ BITMAP after the swap resync: sent to the P-VOL (generated from D_ID and LUN), the CDB naming the S-VOL.
run "$work/rc-det-rb.out" -r "$work/rc-det.pcap" -Y 'ctlrc.opcode == 0xe3' -T fields -e frame.number \
    -e ctlrc.pvol -e ctlrc.svol -e ctlrc.alloc_length -e ctlrc.bitmap.track -e ctlrc.command_in
expect_rows "$work/rc-det-rb.out" 3
expect_line "$work/rc-det-rb.out" "5${t}0x400104/0x0001${t}0x421014/0x0002${t}2${t}${t}"
expect_line "$work/rc-det-rb.out" "6${t}${t}${t}${t}6,7,8${t}5"
run "$work/rc-det-e.out" -r "$work/rc-det.pcap" -Y 'ctlrc.truncated || ctlrc.length_mismatch || ctlrc.bad_field ||
    ctlrc.wrong_direction || ctlrc.reserved_not_zero || ctlrc.bitmap_short || ctlcm'
expect_count "$work/rc-det-e.out" 0
run "$work/rc-det-v.out" -r "$work/rc-det.pcap" -V -O ctlrc
expect "$work/rc-det-v.out" "KIND: PAIR COMMAND (10)"
expect "$work/rc-det-v.out" "OPERATION: SwapResync (5)"
expect "$work/rc-det-v.out" "OPERATION: Split (1)"
expect "$work/rc-det-v.out" "Controller remote copy: RC PAIR CONTROL parameter list (32 bytes): PAIR COMMAND SwapResync"
expect "$work/rc-det-v.out" "[P-VOL: 0x400104/0x0001 (the command's LUN at the target port)]"
expect "$work/rc-det-v.out" "After the PAIR COMMAND SwapResync of frame 1: the old owner's changes to the P-VOL"
expect "$work/rc-det-v.out" "RC PAIR CONTROL rejected: DeterminingPairHeld (80/1D)"
expect "$work/rc-det-v.out" "Reserved: 00 (OPERATION: for a PAIR COMMAND only)"
expect "$work/rc-det-v.out" ".... ...1 = DETERMINING: determining pair (seed 002)"
# The RC READ BITMAP after the no-copy CREATE of rc.pcap keeps its labels.
run "$work/rc-nc-v.out" -r "$work/rc.pcap" -V -O ctlrc
expect "$work/rc-nc-v.out" "After the no-copy CREATE of frame 52: the S-VOL's changes since the split"
# Two passes, and FCIP on TCP port 3225 (every frame in one segment).
run "$work/rc-det-2.out" -2 -r "$work/rc-det.pcap"
expect "$work/rc-det-2.out" "RC READ BITMAP (swap resync) LUN:0x0001 -> 0x421014/0x0002 allocation length 2"
run "$work/fcip-rc-det.out" -r "$work/fcip-rc-det.pcap" -d tcp.port==3225,fcip
expect "$work/fcip-rc-det.out" "RC PAIR CONTROL: PAIR COMMAND SwapResync 0x400104/0x0001 -> 0x421014/0x0002"
expect "$work/fcip-rc-det.out" "RC READ BITMAP (swap resync) LUN:0x0001 -> 0x421014/0x0002 allocation length 2"
expect "$work/fcip-rc-det.out" "RC PAIR CONTROL: PAIR COMMAND Split (read/write) 0x400104/0x0001 -> 0x421014/0x0002"
expect "$work/fcip-rc-det.out" "fence data, 4096 blocks, determining"

# Malformed headers: OPERATION and FLAGS where they are not allowed, reserved bits and bytes; no Lua error.
run "$work/rc-det-bad.out" -r "$work/rc-det-bad.pcap"
expect_count "$work/rc-det-bad.out" 15
expect "$work/rc-det-bad.out" "RC PAIR CONTROL: PAIR COMMAND Create 0x400104/0x0001 -> 0x421014/0x0002"
expect "$work/rc-det-bad.out" "RC PAIR CONTROL: PAIR COMMAND operation 9 0x400104/0x0001 -> 0x421014/0x0002"
expect "$work/rc-det-bad.out" "RC READ BITMAP 0x421014/0x0009 -> LUN:0x0001 allocation length 2"
run "$work/rc-det-bad-f.out" -r "$work/rc-det-bad.pcap" -Y 'ctlrc.bad_field' -T fields -e frame.number -e ctlrc.kind \
    -e ctlrc.operation -e ctlrc.flags
expect_rows "$work/rc-det-bad-f.out" 4
expect_line "$work/rc-det-bad-f.out" "2${t}10${t}0${t}0x00"
expect_line "$work/rc-det-bad-f.out" "4${t}10${t}9${t}0x00"
expect_line "$work/rc-det-bad-f.out" "6${t}10${t}1${t}0x01"
expect_line "$work/rc-det-bad-f.out" "10${t}2${t}${t}0x00"
run "$work/rc-det-bad-r.out" -r "$work/rc-det-bad.pcap" -Y 'ctlrc.reserved_not_zero' -T fields -e frame.number \
    -e ctlrc.kind -e ctlrc.determining
expect_rows "$work/rc-det-bad-r.out" 2
expect_line "$work/rc-det-bad-r.out" "8${t}1${t}1"
expect_line "$work/rc-det-bad-r.out" "12${t}4${t}"
run "$work/rc-det-bad-l.out" -r "$work/rc-det-bad.pcap" -Y 'ctlrc.length_mismatch' -T fields -e frame.number
expect_rows "$work/rc-det-bad-l.out" 1
expect_line "$work/rc-det-bad-l.out" "14"
run "$work/rc-det-bad-v.out" -r "$work/rc-det-bad.pcap" -V -O ctlrc
expect "$work/rc-det-bad-v.out" "OPERATION 0: a PAIR COMMAND carries 1-6 or 8 (the primary refuses the list)"
expect "$work/rc-det-bad-v.out" "OPERATION: Unknown (9)"
expect "$work/rc-det-bad-v.out" "OPERATION 9: a PAIR COMMAND carries 1-6 or 8 (the primary refuses the list)"
expect "$work/rc-det-bad-v.out" \
    "FLAGS 0x01 in a KIND 10 list: only a CREATE (1) carries them (the primary refuses the list)"
expect "$work/rc-det-bad-v.out" "Reserved bits 7-1 of FLAGS (byte 29) set (0x02): the secondary refuses the list"
expect "$work/rc-det-bad-v.out" \
    "OPERATION 5 in a KIND 2 list: only a PAIR COMMAND (10) carries one (the secondary refuses the list)"
expect "$work/rc-det-bad-v.out" \
    "4 bytes after the 32-byte header: KIND 10 (PAIR COMMAND) takes none (the primary refuses the list)"
expect "$work/rc-det-bad-v.out" "[S-VOL: 0x400104/0x0001 (the command's LUN at the target port)]"
expect_not "$work/rc-det-bad-v.out" "After the"

echo "check-plugin: $checks checks passed ($(tshark -v 2>/dev/null | head -n 1))"
