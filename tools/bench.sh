#!/usr/bin/env bash
# Full benchmark run (minutes per suite): tools/bench.sh [BenchmarkDotNet arguments]
# e.g. tools/bench.sh --filter '*Ring*'. Results land in BenchmarkDotNet.Artifacts/results;
# copy the tables, with the machine and date, into docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if [ "$#" -eq 0 ]; then
    set -- --filter '*'
fi
exec dotnet run -c Release --project benchmarks/Controller.Benchmarks -- "$@"
