#!/usr/bin/env bash
# Copyright (c) 2026 The Controller Simulator authors.
# Licensed under the MIT License. See LICENSE in the repository root.
#
# How fast the default `hostsim load` (1 GiB embedded volume, 4 KiB random writes, QD 32) runs from its first
# second (docs/performance.md). Each run is a fresh process, so every round pays the start-up a user pays. Per round,
# alternating: the default; the baseline, a 64 MiB volume (little to provision or fault in); and --sparse (each
# track's memory taken by its first write while the clock runs, as before provisioning).
# Usage: tools/bench-load-start.sh [ROUNDS] [SECONDS]    (default 5 rounds of 10 s)
# HOSTSIM_DLL=path/to/hostsim.dll measures another build (e.g. an older commit) instead of building this one.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
rounds=${1:-5}
seconds=${2:-10}
dll=${HOSTSIM_DLL:-}
if [ -z "$dll" ]; then
    dotnet build -c Release -warnaserror hostsim/Controller.HostSim >/dev/null
    dll=hostsim/Controller.HostSim/bin/Release/net10.0/hostsim.dll
fi
kinds=(default baseline sparse)
# A build from before provisioning has no --sparse: its default already is sparse.
dotnet "$dll" load --help | grep -q -- --sparse || kinds=(default baseline)
field() { sed -n "s/.*\"$1\":\([0-9.]*\).*/\1/p" <<<"$2" | head -1; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
declare -A runs firsts slowests
echo "| Run | round | commands/s over the run | first second | slowest second | provisioned before the clock |"
echo "|---|---:|---:|---:|---:|---:|"
for round in $(seq 1 "$rounds"); do
    for kind in "${kinds[@]}"; do
        case $kind in
            default) args=() ;;
            baseline) args=(--capacity-mib 64) ;;
            sparse) args=(--sparse) ;;
        esac
        json=$(dotnet "$dll" load --seconds "$seconds" --no-progress --json "${args[@]}" | tr -d ' \n')
        rate=$(field commandsPerSecond "$json")
        # Whole seconds from the 100 ms timeline (so an older build without firstSecondCommands is measured alike).
        read -r first slowest < <(grep -o '"atSeconds":[0-9.]*,"commands":[0-9]*' <<<"$json" | tr ':,' '  ' |
            awk -v whole="${seconds%.*}" '{ s = int($2 + 1e-9); if (s < whole) c[s] += $4 }
                END { m = -1; for (s = 0; s < whole; s++) if (m < 0 || c[s] < m) m = c[s]; print c[0] + 0, m }')
        provision=$(sed -n 's/.*"provisioning":{"sparse":false,[^}]*"seconds":\([0-9.]*\).*/\1/p' <<<"$json")
        runs[$kind]+="$rate "; firsts[$kind]+="$first "; slowests[$kind]+="$slowest "
        printf '| %s | %d | %.0f | %s | %s | %s |\n' "$kind" "$round" "$rate" "$first" "$slowest" "${provision:+$provision s}"
    done
done
echo
echo "| Run (median of $rounds) | commands/s over the run | first second | slowest second |"
echo "|---|---:|---:|---:|"
for kind in "${kinds[@]}"; do
    printf '| %s | %s | %s | %s |\n' "$kind" \
        "$(tr ' ' '\n' <<<"${runs[$kind]}" | grep . | median)" \
        "$(tr ' ' '\n' <<<"${firsts[$kind]}" | grep . | median)" \
        "$(tr ' ' '\n' <<<"${slowests[$kind]}" | grep . | median)"
done
echo "($(nproc) cores, $(dotnet --version), $(date -u +%Y-%m-%d), $dll)"
