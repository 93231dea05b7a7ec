#!/usr/bin/env bash
# Copyright (c) 2026 The Controller Simulator authors.
# Licensed under the MIT License. See LICENSE in the repository root.
#
# Durable 4 KiB random writes on the file store (docs/performance.md): controllerd (Release build) with one 256 MiB
# LDEV in 'store file DIR write-through' in a temporary directory, driven by hostsim load at queue depth 1 and 32;
# beside it, as the baseline of the same run on the same file system, fio on a file of the same size in the same
# directory: ioengine=psync fdatasync=1 (QD 1) and ioengine=libaio direct=1 sync=1 iodepth=32 (QD 32). Both files
# are written in full first, so neither side pays for allocating blocks. Prints one table.
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
store file store write-through
ldev 00:01 size ${size_mib}MiB
port 0x400104
lun 0x400104 0x0001 00:01
CONF
# Written in full, as fio lays out its file: overwrites, no block allocation on either side.
dd if=/dev/zero of="$work/store/ldev-00-01.img" bs=1M count=$size_mib conv=fsync status=none

"${daemon[@]}" --config "$work/controllerd.conf" >"$work/controllerd.log" 2>&1 & pid=$!
for _ in $(seq 1 100); do
    grep -q "listening on" "$work/controllerd.log" 2>/dev/null && break
    sleep 0.1
done
target=$(sed -n 's/.*listening on \([0-9.:]*\) (FCIP).*/\1/p' "$work/controllerd.log")
[ -n "$target" ] || { cat "$work/controllerd.log"; echo "bench-durable: controllerd did not start" >&2; exit 1; }
grep "store:" "$work/controllerd.log" | sed 's/^[^ ]* //'

hostsim_iops() {
    "${hostsim[@]}" load --target "$target" --lun 0x400104,0x0001 --read-percent 0 --block-size 4k --queue-depth "$1" \
        --seconds "$seconds" --no-progress --json >"$work/load-$1.json"
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(round(d["commandsPerSecond"]))' "$work/load-$1.json"
}

fio_iops() {
    fio --name="durable-qd$1" --filename="$work/fio.img" --size=${size_mib}M --bs=4k --rw=randwrite "${@:2}" \
        --runtime="$seconds" --time_based --output-format=json >"$work/fio-$1.json"
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(round(d["jobs"][0]["write"]["iops"]))' "$work/fio-$1.json"
}

h1=$(hostsim_iops 1)
h32=$(hostsim_iops 32)
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
grep -E "synced|FAILED" "$work/controllerd.log" | sed 's/^[^ ]* //' || true
f1=$(fio_iops 1 --ioengine=psync --fdatasync=1)
f32=$(fio_iops 32 --ioengine=libaio --direct=1 --sync=1 --iodepth=32)

echo
echo "durable 4 KiB random writes, ${seconds} s each, $(df -T "$work" | awk 'NR==2 {print $2 " on " $1}')"
printf '%-6s %-44s %10s %-52s %10s %7s\n' QD "controllerd (store file, write-through)" IOPS "fio baseline" IOPS ratio
printf '%-6s %-44s %10s %-52s %10s %7s\n' 1 "hostsim load --queue-depth 1" "$h1" "psync, fdatasync=1" "$f1" "$(python3 -c "print(f'{$h1/$f1:.2f}x')")"
printf '%-6s %-44s %10s %-52s %10s %7s\n' 32 "hostsim load --queue-depth 32" "$h32" "libaio, direct=1, sync=1, iodepth=32" "$f32" "$(python3 -c "print(f'{$h32/$f32:.2f}x')")"
