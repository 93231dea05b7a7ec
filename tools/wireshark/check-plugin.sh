#!/usr/bin/env bash
# Checks the Wireshark plug-in tools/wireshark/controller-copy-management.lua with the real tshark: builds captures
# with text2pcap (FC-2 frames, pcap link type 224; and the same frames FCIP-encapsulated on TCP port 3225), runs
# tshark with the plug-in and looks for the decoded copy-management commands, their parameter lists and the
# stock decoding of a non-vendor command; then the same for the remote-copy link commands (RC UPDATE COPY, RC PAIR
# CONTROL, RC RESYNC: protocol ctlrc), over link type 224, FCIP in one TCP segment and FCIP split across segments. Needs tshark and text2pcap (Wireshark 4.0 or later, built with Lua).
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

# expect_count OUTPUT N: the output has N packet lines.
expect_count() {
    checks=$((checks + 1))
    local n
    n=$(grep -cE '^ *[0-9]+ ' "$1")
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
# Row: entry ID, P-VOL, S-VOL, type, state, split mode, mirror unit, progress, reserved, split sequence number,
# split time (ns since the epoch), differential tracks, mirror name (32 bytes).
row1=00000001"00400104""0001""0000""00400104""0002""00""03""00""00""64""00"
row1+=0000000000000007"18ea4d6127159715"000000000000000c"41555853455431"$(printf '%050d' 0)
row2=00000002"00400104""0004""0000""00421014""0005""00""02""00""00""ff""00"$(printf '%048d%064d' 0 0)
ps_data=$(din 0022 "000000a0""0002""0050""${row1}${row2}")
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
# RC UPDATE COPY of a host write with reserved bit 1 of byte 1 set, LBA and SEQUENCE beyond 32 bits: LBA
# 0x800000000010, 1 block, sequence 0x123456789abc.
rb_cmnd=$(rc cmd 0032 01 E002"800000000010""0001""123456789abc" 00000200)

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

rc_frames=("$uc_cmnd" "$uc_xrdy" "$uc_data1" "$uc_data2" "$uc_rsp" "$ct_cmnd" "$ct_rsp" "$rb_cmnd"
    "$pc1_cmnd" "$pc1_xrdy" "$pc1_data" "$pc1_rsp" "$pc2_cmnd" "$pc2_xrdy" "$pc2_data" "$pc2_rsp"
    "$pc3_cmnd" "$pc3_xrdy" "$pc3_data1" "$pc3_data2" "$pc3_rsp"
    "$rs1_cmnd" "$rs1_data" "$rs1_rsp" "$rs2_cmnd" "$rs2_data1" "$rs2_data2" "$rs2_rsp")
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

# Link type 224: the Info column of every frame.
run "$work/rc.out" -r "$work/rc.pcap"
expect_count "$work/rc.out" 28
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

# The field values.
run "$work/rc-uc.out" -r "$work/rc.pcap" -Y 'ctlrc.command == "RC UPDATE COPY"' -T fields -e frame.number \
    -e ctlrc.lba -e ctlrc.transfer_length -e ctlrc.sequence -e ctlrc.copied_track -e ctlrc.svol -e ctlrc.fcp_dl
expect_rows "$work/rc-uc.out" 3
expect_line "$work/rc-uc.out" "1${t}1024${t}8${t}4711${t}0${t}0x421014/0x0002${t}4096"
expect_line "$work/rc-uc.out" "6${t}0${t}128${t}0${t}1${t}0x421014/0x0002${t}65536"
expect_line "$work/rc-uc.out" "8${t}140737488355344${t}1${t}20015998343868${t}0${t}0x421014/0x0002${t}512"
run "$work/rc-pc.out" -r "$work/rc.pcap" -Y 'ctlrc.kind' -T fields -e frame.number -e ctlrc.kind -e ctlrc.state \
    -e ctlrc.split_mode -e ctlrc.fence -e ctlrc.pvol -e ctlrc.svol -e ctlrc.capacity -e ctlrc.track_size
expect_rows "$work/rc-pc.out" 3
expect_line "$work/rc-pc.out" "11${t}1${t}0${t}0${t}1${t}0x400104/0x0001${t}0x421014/0x0002${t}4096${t}49152"
expect_line "$work/rc-pc.out" "15${t}2${t}3${t}1${t}0${t}0x400104/0x0001${t}0x421014/0x0002${t}0${t}0"
expect_line "$work/rc-pc.out" "20${t}4${t}0${t}0${t}0${t}0x400104/0x0001${t}0x421014/0x0002${t}0${t}0"
run "$work/rc-rs.out" -r "$work/rc.pcap" -Y 'ctlrc.command == "RC RESYNC"' -T fields -e frame.number \
    -e ctlrc.pvol.port_id -e ctlrc.pvol.lun -e ctlrc.alloc_length -e ctlrc.svol.port_id -e ctlrc.svol.lun
expect_rows "$work/rc-rs.out" 2
expect_line "$work/rc-rs.out" "22${t}0x400104${t}0x0001${t}2${t}0x421014${t}0x0002"
expect_line "$work/rc-rs.out" "25${t}0x400104${t}0x0004${t}8${t}0x421014${t}0x0002"
run "$work/rc-bm.out" -r "$work/rc.pcap" -Y 'ctlrc.bitmap' -T fields -e frame.number -e ctlrc.bitmap \
    -e ctlrc.bitmap.marked -e ctlrc.bitmap.track
expect_rows "$work/rc-bm.out" 3
expect_line "$work/rc-bm.out" "23${t}0501${t}3${t}0,2,8"
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
    ctlrc.wrong_direction || ctlrc.bitmap_short || ctlcm'
expect_count "$work/rc-f3.out" 0
run "$work/rc-f4.out" -r "$work/mirrors.pcap" -Y 'ctlrc'
expect_count "$work/rc-f4.out" 0

# The detail tree.
run "$work/rc-v.out" -r "$work/rc.pcap" -V -O ctlrc
expect "$work/rc-v.out" "Controller remote copy: RC UPDATE COPY LUN:0x0002 LBA 1024 blocks 8 seq 4711"
expect "$work/rc-v.out" ".... ...0 = COPIED TRACK: host write"
expect "$work/rc-v.out" "[S-VOL: 0x421014/0x0002 (the command's LUN at the target port)]"
expect "$work/rc-v.out" "Blocks in this frame: LBA 1028-1031"
expect "$work/rc-v.out" "Reserved bits 7-1 of byte 1 set (0x02): the secondary refuses the command"
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

# FCIP cut into 1000-byte TCP segments: frames spanning segments, the RC UPDATE COPY data kept as headers only.
run "$work/fcip-rc-split.out" -r "$work/fcip-rc-split.pcap" -d tcp.port==3225,fcip
expect "$work/fcip-rc-split.out" "RC UPDATE COPY LUN:0x0002 LBA 1024 blocks 8 seq 4711"
expect "$work/fcip-rc-split.out" "RC UPDATE COPY data, bytes 0-2047 of 4096"
expect "$work/fcip-rc-split.out" "RC UPDATE COPY data, bytes 2048-4095 of 4096"
expect "$work/fcip-rc-split.out" "RC PAIR CONTROL: CREATE 0x400104/0x0001 -> 0x421014/0x0002 fence data, 4096 blocks"
expect "$work/fcip-rc-split.out" "RC PAIR CONTROL: DELETE 0x400104/0x0001 -> 0x421014/0x0002"
expect "$work/fcip-rc-split.out" "RC PAIR CONTROL: CHECK CONDITION 05/80/1A TrackSizeMismatch"
expect "$work/fcip-rc-split.out" "RC RESYNC bitmap: 2 bytes, 3 tracks marked"
run "$work/fcip-rc-split-f.out" -r "$work/fcip-rc-split.pcap" -d tcp.port==3225,fcip \
    -Y 'ctlrc.opcode == 0xe0 && ctlrc.data_length' -T fields -e frame.number -e ctlrc.data_offset -e ctlrc.data_length
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

echo "check-plugin: $checks checks passed ($(tshark -v 2>/dev/null | head -n 1))"
