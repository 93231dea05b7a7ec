#!/usr/bin/env bash
# Before/after in one sitting: builds two commits side by side and runs the same benchmarks on both, alternating
# base and head in every round so that the machine's drift falls on both equally, then prints one markdown table
# (median of the rounds, the run-to-run spread of each side, and a verdict against that spread).
#
# Usage: tools/bench-compare.sh BASE_REF [HEAD_REF] [ROUNDS]     (HEAD_REF defaults to HEAD, ROUNDS to 3)
# e.g.   tools/bench-compare.sh 87e8184 HEAD 5
# What it runs per side and round (about 8 minutes a round on a 2-core VM):
#   - BenchmarkDotNet, short job: MirroredWriteBenchmarks (simplex and mirrored 4 KiB writes) and
#     FrameCodecBenchmarks (decode FCP_CMND + encode FCP_RSP);
#   - hostsim bench split --members 64 --splits 200, both mechanisms (split p50/p99, freeze hold p99);
#   - hostsim loopback against a controllerd of the same side on loopback TCP (XFER_RDY handshake), 5 s.
# Results and logs stay in the work folder it prints (BENCH_COMPARE_DIR to choose it).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

base_ref="${1:?usage: tools/bench-compare.sh BASE_REF [HEAD_REF] [ROUNDS]}"
head_ref="${2:-HEAD}"
rounds="${3:-3}"
work="${BENCH_COMPARE_DIR:-$(mktemp -d /tmp/bench-compare.XXXXXX)}"
mkdir -p "$work"
echo "bench-compare: $base_ref (base) vs $head_ref (head), $rounds rounds, in $work"

for side in base head; do
    ref=$base_ref
    [ "$side" = head ] && ref=$head_ref
    commit=$(git -C "$repo" rev-parse --short "$ref")
    echo "$commit" > "$work/$side.commit"
    if [ ! -f "$work/$side/.built" ]; then
        rm -rf "${work:?}/$side"
        mkdir -p "$work/$side"
        git -C "$repo" archive "$commit" | tar -x -C "$work/$side"
        echo "bench-compare: building $side ($commit)"
        for project in benchmarks/Controller.Benchmarks hostsim/Controller.HostSim firmware/Controller.Daemon; do
            dotnet build "$work/$side/$project" -c Release -v q -nologo > "$work/$side.build.log" 2>&1 \
                || { echo "bench-compare: build of $side failed (see $work/$side.build.log)" >&2; exit 1; }
        done
        touch "$work/$side/.built"
    fi
done

hostsim() { dotnet "$work/$1/hostsim/Controller.HostSim/bin/Release/net10.0/hostsim.dll" "${@:2}"; }

run_loopback() {
    local side=$1 round=$2 port=$((3400 + RANDOM % 500))
    local daemon="$work/$side/firmware/Controller.Daemon/bin/Release/net10.0/controllerd.dll"
    dotnet "$daemon" --config "$work/$side/docs/controllerd.conf" --listen "127.0.0.1:$port" > "$work/$side.loopback-daemon.$round.log" 2>&1 &
    local pid=$!
    for _ in $(seq 1 100); do
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
        sleep 0.1
    done
    hostsim "$side" loopback --target "127.0.0.1:$port" --seconds 5 --warmup 1 --json > "$work/$side.loopback.$round.json" || true
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

for round in $(seq 1 "$rounds"); do
    for side in base head; do
        echo "bench-compare: round $round, $side"
        (cd "$work/$side" && dotnet run -c Release --no-build --project benchmarks/Controller.Benchmarks -- \
            --filter '*MirroredWriteBenchmarks*' '*FrameCodecBenchmarks*' --job short --exporters json \
            --artifacts "$work/$side.bdn.$round" > "$work/$side.bdn.$round.log" 2>&1) || echo "bench-compare: BenchmarkDotNet failed ($side, round $round)" >&2
        hostsim "$side" bench split --members 64 --splits 200 --json > "$work/$side.split.$round.json" 2> "$work/$side.split.$round.log" || true
        run_loopback "$side" "$round"
    done
done

python3 - "$work" "$rounds" <<'PY'
import glob, json, os, statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
rows = {}  # name -> side -> [values]; lower_is_better per name

def add(name, side, value, lower=True):
    if value is None:
        return
    rows.setdefault(name, {"lower": lower, "base": [], "head": []})[side].append(float(value))

for side in ("base", "head"):
    for r in range(1, rounds + 1):
        for report in glob.glob(f"{work}/{side}.bdn.{r}/results/*-report-full-compressed.json"):
            for b in json.load(open(report))["Benchmarks"]:
                stats = b.get("Statistics") or {}
                name = b["Type"] + "." + b["Method"] + (" (" + b["Parameters"] + ")" if b.get("Parameters") else "")
                add(name + ", ns", side, stats.get("Mean"))
        try:
            split = json.load(open(f"{work}/{side}.split.{r}.json"))
            for run in split["runs"]:
                m = run["mechanism"]
                add(f"split 64 {m}: p50 us", side, run["splitLatencyMicroseconds"]["p50"])
                add(f"split 64 {m}: p99 us", side, run["splitLatencyMicroseconds"]["p99"])
                if m == "freeze":
                    add(f"split 64 {m}: hold p99 us", side, run["holdMicroseconds"]["p99"])
        except (OSError, ValueError, KeyError):
            pass
        try:
            loop = json.load(open(f"{work}/{side}.loopback.{r}.json"))
            add("loopback TCP 4 KiB writes QD32: IOPS", side, loop["iops"], lower=False)
            add("loopback TCP 4 KiB writes QD32: p99 us", side, loop["p99Microseconds"])
        except (OSError, ValueError, KeyError):
            pass

def spread(values):
    return (max(values) - min(values)) / statistics.median(values) if len(values) > 1 and statistics.median(values) else 0.0

base_commit = open(f"{work}/base.commit").read().strip()
head_commit = open(f"{work}/head.commit").read().strip()
print()
print(f"| Row ({rounds} rounds, alternating) | base {base_commit} median | head {head_commit} median | head/base | spread base / head | verdict |")
print("|---|---:|---:|---:|---|---|")
for name, row in rows.items():
    if not row["base"] or not row["head"]:
        print(f"| {name} | {row['base']} | {row['head']} | - | - | missing |")
        continue
    b, h = statistics.median(row["base"]), statistics.median(row["head"])
    ratio = h / b if b else float("nan")
    noise = max(spread(row["base"]), spread(row["head"]))
    worse = (ratio - 1) if row["lower"] else (1 - ratio)
    verdict = "within noise" if abs(ratio - 1) <= noise else ("worse" if worse > 0 else "better")
    print(f"| {name} | {b:,.1f} | {h:,.1f} | {ratio:.2f} | {spread(row['base']):.0%} / {spread(row['head']):.0%} | {verdict} |")
PY
