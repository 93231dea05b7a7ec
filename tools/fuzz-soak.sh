#!/usr/bin/env bash
# Copyright (c) 2026 The Controller Simulator authors.
# Licensed under the MIT License. See LICENSE in the repository root.
#
# The fuzzing budget of issue #19 item 5: `hostsim fuzz` RUNS times on each of SEEDS with INPUTS inputs, one pass or
# fail line per run (seed, run, verdict, inputs fed, wall seconds, first fault), then a closing tally. A deterministic
# run (the default) is a function of its seed, so the runs of one seed must all agree: the script also says whether
# their reports (less the wall-clock figures) were identical. Exit 0 only when every run passed.
#
#   tools/fuzz-soak.sh [SEEDS] [RUNS] [INPUTS] [extra hostsim fuzz options...]
#   tools/fuzz-soak.sh 1,42,7 20 1000000            # the budget: 60 runs of 1,000,000 inputs
#   tools/fuzz-soak.sh 42 10 1000000 --real-time    # on threads in real time instead
#
# HOSTSIM overrides how hostsim is started (default: the Release build, built first if missing).
set -euo pipefail

seeds="${1:-1,42,7}"
runs="${2:-20}"
inputs="${3:-1000000}"
shift $(( $# < 3 ? $# : 3 ))
root="$(cd "$(dirname "$0")/.." && pwd)"
dll="$root/hostsim/Controller.HostSim/bin/Release/net10.0/hostsim.dll"
if [[ -z "${HOSTSIM:-}" ]]; then
  if [[ ! -f "$dll" ]]; then
    dotnet build "$root/hostsim/Controller.HostSim" -c Release > /dev/null
  fi
  HOSTSIM="dotnet $dll"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
total_seconds=0
for seed in ${seeds//,/ }; do
  for ((run = 1; run <= runs; run++)); do
    out="$work/$seed-$run.json"
    start=$(date +%s.%N)
    set +e
    $HOSTSIM fuzz --seed "$seed" --inputs "$inputs" --json "$@" > "$out" 2> "$work/$seed-$run.err"
    code=$?
    set -e
    seconds=$(echo "$(date +%s.%N) - $start" | bc)
    total_seconds=$(echo "$total_seconds + $seconds" | bc)
    line=$(python3 - "$out" <<'PY'
import json, sys
try:
    report = json.load(open(sys.argv[1]))
except Exception as e:
    print("no report (" + type(e).__name__ + ")")
    sys.exit(0)
fault = (report.get("targetFaults") or [None])[0] or (report.get("failure") or {}).get("exception", "")
fault = (fault or report.get("canaryProblem") or report.get("stillServingProblem") or "").splitlines()[0][:160] if (fault or report.get("canaryProblem") or report.get("stillServingProblem")) else ""
print(f"{report['inputs']:,} inputs" + (f": {fault}" if fault else ""))
PY
)
    if [[ $code -eq 0 ]]; then
      passed=$((passed + 1))
      verdict=pass
    else
      failed=$((failed + 1))
      verdict=FAIL
    fi
    printf 'seed %-6s run %3d  %-4s  %7.1f s  %s\n' "$seed" "$run" "$verdict" "$seconds" "$line"
  done
  same=$(python3 - "$work" "$seed" "$runs" <<'PY'
import json, sys, os
work, seed, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
reports = []
for run in range(1, runs + 1):
    try:
        report = json.load(open(os.path.join(work, f"{seed}-{run}.json")))
    except Exception:
        continue
    report.pop("seconds", None)
    report.pop("inputsPerSecond", None)
    reports.append(report)
print("identical" if reports and all(r == reports[0] for r in reports) else "NOT identical")
PY
)
  echo "seed $seed: $runs runs, reports $same (less the wall-clock figures)"
done

printf 'fuzz soak: %d of %d runs passed (%d failed), seeds %s x %d runs x %s inputs, %.0f s in all\n' "$passed" "$((passed + failed))" "$failed" "$seeds" "$runs" "$inputs" "$total_seconds"
[[ $failed -eq 0 ]]
