#!/usr/bin/env bash
# Copyright (c) 2026 The Controller Simulator authors.
# Licensed under the MIT License. See LICENSE in the repository root.
#
# Remote-mirrored 4 KiB writes between two controllerd processes on loopback (docs/performance.md): SS2 and SS1
# start from docs/controllerd-ss2.conf and -ss1.conf (Release build), a synchronous remote pair LV1 (0x400104,0x0001)
# -> LV2 (0x421014,0x0001) is created and waited for, then hostsim load writes at queue depth 32 for SECONDS to the
# mirrored LUN and, as the baseline of the same run, to an unpaired LUN of the same daemon (0x400104,0x0002).
# Usage: tools/bench-remote-copy.sh [SECONDS]    (default 10)
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
seconds=${1:-10}
dotnet build -c Release -warnaserror Controller.sln >/dev/null
daemon=(dotnet firmware/Controller.Daemon/bin/Release/net10.0/controllerd.dll)
hostsim=(dotnet hostsim/Controller.HostSim/bin/Release/net10.0/hostsim.dll)
work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
"${daemon[@]}" --config docs/controllerd-ss2.conf >"$work/ss2.log" 2>&1 & pids+=($!)
"${daemon[@]}" --config docs/controllerd-ss1.conf >"$work/ss1.log" 2>&1 & pids+=($!)
for _ in $(seq 1 100); do
    grep -q " is up (logged in to" "$work/ss1.log" 2>/dev/null && break
    sleep 0.1
done
grep -q " is up (logged in to" "$work/ss1.log" || { cat "$work/ss1.log" "$work/ss2.log"; echo "bench-remote-copy: the link did not come up" >&2; exit 1; }
"${hostsim[@]}" pair create 0x400104,0x0001 0x421014,0x0001 --target 127.0.0.1:3225 >/dev/null
"${hostsim[@]}" pair wait 0x400104,0x0001 0x421014,0x0001 --state pair --timeout 120 --target 127.0.0.1:3225 >/dev/null
run() {
    "${hostsim[@]}" load --target 127.0.0.1:3225 --lun "$1" --read-percent 0 --block-size 4k --queue-depth 32 --seconds "$seconds" --no-progress
}
echo "== remote-mirrored LUN 0x400104,0x0001 -> 0x421014,0x0001 (fence never), QD 32, 4 KiB writes, ${seconds} s"
run 0x400104,0x0001
echo "== baseline: unpaired LUN 0x400104,0x0002 of the same daemon"
run 0x400104,0x0002
"${hostsim[@]}" pair status --target 127.0.0.1:3225
