#!/usr/bin/env bash
# Checks the Wireshark plug-in tools/wireshark/controller-copy-management.lua with the real tshark: builds captures
# with text2pcap (FC-2 frames, pcap link type 224; and the same frames FCIP-encapsulated on TCP port 3225), runs
# tshark with the plug-in and looks for the decoded copy-management commands, their parameter lists and the
# stock decoding of a non-vendor command. Needs tshark and text2pcap (Wireshark 4.0 or later, built with Lua).
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

# FCP_CMND payload: LUN 1 (00 01 00 00 00 00 00 00), CRN 0, task attribute 0, task management 0, flags, CDB, FCP_DL.
cmnd_payload() { # FLAGS CDB(32 hex digits) FCP_DL(8 hex digits)
    printf '0001000000000000000000%s%s%s' "$1" "$2" "$3"
}

I=010200    # initiator port ID
T=400104    # target port ID

# F_CTL of each information unit (the firmware's FcFrameControl): command 0x290000; XFER_RDY 0x890000; data out from
# the initiator with relative offset present 0x090008; response 0x990000.
cmd()  { fc 06 $T $I 290000 "$1" ffff 00000000 "$(cmnd_payload "$2" "$3" "$4")"; }   # OX_ID FLAGS CDB FCP_DL
xrdy() { fc 05 $I $T 890000 "$1" 0020 00000000 "00000000${2}00000000"; }            # OX_ID BURST_LEN
dout() { fc 01 $T $I 090008 "$1" 0020 00000000 "$2"; }                               # OX_ID PAYLOAD
din()  { fc 01 $I $T 880008 "$1" 0020 00000000 "$2"; }                               # OX_ID PAYLOAD
rsp()  { fc 07 $I $T 990000 "$1" 0020 00000000 "$2"; }                               # OX_ID PAYLOAD

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

echo "check-plugin: $checks checks passed ($(tshark -v 2>/dev/null | head -n 1))"
