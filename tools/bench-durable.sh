#!/usr/bin/env bash
# Copyright (c) 2026 The Controller Simulator authors.
# Licensed under the MIT License. See LICENSE in the repository root.
#
# Durable 4 KiB random writes on the file store (docs/performance.md): controllerd (Release build) with one 256 MiB
# LDEV in 'store file DIR write-through' in a temporary directory, driven by hostsim load at queue depth 1 and 32;
# beside it, as the baseline of the same run on the same file system, fio on a file of the same size in the same
# directory: ioengine=psync fdatasync=1 (QD 1) and ioengine=libaio direct=1 sync=1 iodepth=32 (QD 32). Both files
# are written in full first (O_DIRECT), so neither side pays for allocating blocks. Prints one table.
# POLICY=write-back runs the LDEV write-back instead (no sync per write: what durability costs).
# A third QD 32 figure per round, "embedded": the same firmware path inside one process (hostsim load --store, a file
# of the same size written the same way), no TCP and no second process: what the file store and group commit do alone.
# Usage: tools/bench-durable.sh [SECONDS] [DIRECTORY]    (default 10 s; the directory default is a mktemp -d under
# $TMPDIR, i.e. the file system of /tmp)
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
seconds=${1:-10}
parent=${2:-${TMPDIR:-/tmp}}
size_mib=256

if ! command -v fio >/dev/null 2>&1; then
    echo "bench-durable: installing fio (Debian package)"
    sudo_cmd=""
    if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
    $sudo_cmd apt-get install -y -qq fio >/dev/null
fi

[ "${SKIP_BUILD:-0}" = 1 ] || dotnet build -c Release -warnaserror Controller.sln >/dev/null
daemon=(dotnet firmware/Controller.Daemon/bin/Release/net10.0/controllerd.dll)
hostsim=(dotnet hostsim/Controller.HostSim/bin/Release/net10.0/hostsim.dll)
work=$(mktemp -d "$parent/bench-durable.XXXXXX")
pid=""
cleanup() {
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/store"
cat >"$work/controllerd.conf" <<CONF
listen 127.0.0.1:0
queue-depth 4096
store file store ${POLICY:-write-through}
ldev 00:01 size ${size_mib}MiB
port 0x400104 open
lun 0x400104 0x0001 00:01
CONF
# Both files are written in full first: overwrites, no block allocation on either side. With O_DIRECT, so neither
# file starts with its pages in the page cache: written through it with 1 MiB writes they stay cached in large folios,
# and each later 4 KiB buffered write into one (controllerd's pwrite, not fio's O_DIRECT) walks all the folio's
# buffers: 7.5 k instead of 12 k IOPS at QD 32 in one measurement (docs/performance.md). A controllerd started on an
# existing store finds it this way, cold.
dd if=/dev/zero of="$work/store/ldev-00-01.img" bs=1M count=$size_mib oflag=direct conv=fsync status=none
dd if=/dev/zero of="$work/fio.img" bs=1M count=$size_mib oflag=direct conv=fsync status=none
mkdir -p "$work/embedded"
dd if=/dev/zero of="$work/embedded/ldev-00-01.img" bs=1M count=$size_mib oflag=direct conv=fsync status=none

"${daemon[@]}" --config "$work/controllerd.conf" >"$work/controllerd.log" 2>&1 & pid=$!
for _ in $(seq 1 100); do
    grep -q "listening on" "$work/controllerd.log" 2>/dev/null && break
    sleep 0.1
done
target=$(sed -n 's/.*listening on \([0-9.:]*\) (FCIP).*/\1/p' "$work/controllerd.log")
[ -n "$target" ] || { cat "$work/controllerd.log"; echo "bench-durable: controllerd did not start" >&2; exit 1; }
grep "store:" "$work/controllerd.log" | sed 's/^[^ ]* //'

# Prints the IOPS and the CPU time per write (us) of controllerd and of hostsim: on a shared 2-core VM the CPU, not
# the disk, is what runs out first, and fio hardly needs any.
hostsim_iops() {
    local ticks_before ticks_after cpu
    ticks_before=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
    { TIMEFORMAT='%U %S'; time "${hostsim[@]}" load --target "$target" --lun 0x400104,0x0001 --read-percent 0 --block-size 4k \
        --queue-depth "$1" --seconds "$seconds" --no-progress --json >"$work/load-$1.json" 2>"$work/load-$1.err"; } 2>"$work/time-$1"
    ticks_after=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
    cpu=$(cat "$work/time-$1")
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); w=d["commandsPerSecond"]*float(sys.argv[2]); u,s=map(float,sys.argv[5].split()); print(round(d["commandsPerSecond"]), round((int(sys.argv[4])-int(sys.argv[3]))/float(sys.argv[6])/w*1e6), round((u+s)/w*1e6))' \
        "$work/load-$1.json" "$seconds" "$ticks_before" "$ticks_after" "$cpu" "$(getconf CLK_TCK)"
}

embedded_iops() {
    "${hostsim[@]}" load --store "$work/embedded" --policy "${POLICY:-write-through}" --capacity-mib $size_mib --read-percent 0 \
        --block-size 4k --queue-depth "$1" --seconds "$seconds" --no-progress --json >"$work/embedded-$1.json" 2>"$work/embedded-$1.err"
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(round(d["commandsPerSecond"]), round(d["writes"] / max(d["store"]["syncs"], 1), 1))' "$work/embedded-$1.json"
}

fio_iops() {
    fio --name="durable-qd$1" --filename="$work/fio.img" --size=${size_mib}M --bs=4k --rw=randwrite "${@:2}" \
        --runtime="$seconds" --time_based --output-format=json >"$work/fio-$1.json"
    python3 -c 'import json,sys; j=json.load(open(sys.argv[1]))["jobs"][0]; print(round(j["write"]["iops"]), round((j["usr_cpu"]+j["sys_cpu"])/100*j["job_runtime"]/1000/max(j["write"]["total_ios"],1)*1e6))' "$work/fio-$1.json"
}

# Each fio run right beside the hostsim run it is compared with, in ROUNDS rounds (default 3): the disk of a shared
# VM drifts by several times over a minute, so the table shows every round and the median of each column.
rounds=${ROUNDS:-3}
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
f1s=(); h1s=(); h32s=(); f32s=(); cd32s=(); ch32s=(); cf32s=(); e32s=(); eg32s=()
for _ in $(seq 1 "$rounds"); do
    read -r iops _ <<<"$(fio_iops 1 --ioengine=psync --fdatasync=1)"; f1s+=("$iops")
    read -r iops _ _ <<<"$(hostsim_iops 1)"; h1s+=("$iops")
    read -r iops cd ch <<<"$(hostsim_iops 32)"; h32s+=("$iops"); cd32s+=("$cd"); ch32s+=("$ch")
    read -r iops cf <<<"$(fio_iops 32 --ioengine=libaio --direct=1 --sync=1 --iodepth=32)"; f32s+=("$iops"); cf32s+=("$cf")
    read -r iops group <<<"$(embedded_iops 32)"; e32s+=("$iops"); eg32s+=("$group")
done
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
grep -E "synced|FAILED" "$work/controllerd.log" | sed 's/^[^ ]* //' || true
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
h1=$(median "${h1s[@]}"); f1=$(median "${f1s[@]}"); h32=$(median "${h32s[@]}"); f32=$(median "${f32s[@]}"); e32=$(median "${e32s[@]}")

echo
# hostsim and controllerd need the CPU (TCP on loopback, two processes), fio hardly any: on a busy machine the ratio
# says more about the CPU than the disk, so the load is printed with it.
echo "load average before / after: $load_before / $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
echo "rounds (IOPS): hostsim QD 1 / fio QD 1 / hostsim QD 32 / fio QD 32 / embedded QD 32"
for i in $(seq 0 $((rounds - 1))); do
    echo "  ${h1s[$i]} / ${f1s[$i]} / ${h32s[$i]} / ${f32s[$i]} / ${e32s[$i]}  (QD 32 ratio $(python3 -c "print(f'{${h32s[$i]}/${f32s[$i]}:.2f}')")," \
        "embedded $(python3 -c "print(f'{${e32s[$i]}/${f32s[$i]}:.2f}')") with ${eg32s[$i]} writes per sync;" \
        "CPU per write at QD 32: controllerd ${cd32s[$i]} us + hostsim ${ch32s[$i]} us, fio ${cf32s[$i]} us)"
done
echo
echo "durable 4 KiB random writes, median of ${rounds} rounds of ${seconds} s each, policy ${POLICY:-write-through}, $(df -T "$work" | awk 'NR==2 {print $2 " on " $1}')"
printf '%-6s %-44s %10s %-52s %10s %7s\n' QD "controllerd (store file)" IOPS "fio baseline" IOPS ratio
printf '%-6s %-44s %10s %-52s %10s %7s\n' 1 "hostsim load --queue-depth 1" "$h1" "psync, fdatasync=1" "$f1" "$(python3 -c "print(f'{$h1/$f1:.2f}x')")"
printf '%-6s %-44s %10s %-52s %10s %7s\n' 32 "hostsim load --queue-depth 32" "$h32" "libaio, direct=1, sync=1, iodepth=32" "$f32" "$(python3 -c "print(f'{$h32/$f32:.2f}x')")"
printf '%-6s %-44s %10s %-52s %10s %7s\n' 32 "embedded: hostsim load --store, QD 32" "$e32" "libaio, direct=1, sync=1, iodepth=32" "$f32" "$(python3 -c "print(f'{$e32/$f32:.2f}x')")"
echo "CPU time per write at QD 32 (median): controllerd $(median "${cd32s[@]}") us + hostsim $(median "${ch32s[@]}") us; fio $(median "${cf32s[@]}") us"
