#!/usr/bin/env bash
# Runs every benchmark once with BenchmarkDotNet's dry job: proves each suite still builds, sets up and
# runs. The numbers it prints mean nothing; real runs are tools/bench.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
artifacts=$(mktemp -d)
trap 'rm -rf "$artifacts"' EXIT
dotnet run -c Release --project benchmarks/Controller.Benchmarks -- --job dry --filter '*' --artifacts "$artifacts" >"$artifacts/log.txt" 2>&1 || {
    cat "$artifacts/log.txt"
    echo "tools/bench-smoke.sh: benchmark smoke run failed" >&2
    exit 1
}
executed=$(grep -o 'executed benchmarks: [0-9]*' "$artifacts/log.txt" | tail -n 1 | grep -o '[0-9]*$')
if grep -q -E 'ExitCode != 0|Exception' "$artifacts/log.txt"; then
    grep -n -E 'ExitCode != 0|Exception' "$artifacts/log.txt" | head -20
    echo "tools/bench-smoke.sh: a benchmark failed" >&2
    exit 1
fi
echo "benchmark smoke: ${executed:-0} benchmarks ran (dry job)"
