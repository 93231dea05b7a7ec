#!/usr/bin/env bash
# Where a split's tail comes from: runs `hostsim bench split` for one member count and mechanism with --samples,
# records the kernel scheduler (perf sched, on the monotonic clock the samples use) for a window in the middle of
# the timed splits, and for every split slower than a threshold prints what the CPUs ran during it: the
# MPs (the thread-pool workers that run them), idle, the GC, tiered compilation, the main thread, other processes.
#
# Usage: tools/split-tail.sh [MEMBERS] [MECHANISM] [THRESHOLD_US]   (defaults 64 sequence-cut 500)
# Needs: root, perf (Debian: linux-perf), python3, a Release build of hostsim (dotnet build -c Release).
# Output: one line per slow split, then the share of CPU time in all slow splits' windows by who ran.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
members="${1:-64}"
mechanism="${2:-sequence-cut}"
threshold="${3:-500}"
work="$(mktemp -d /tmp/split-tail.XXXXXX)"
hostsim="$repo/hostsim/Controller.HostSim/bin/Release/net10.0/hostsim.dll"
[ -f "$hostsim" ] || { echo "split-tail: build hostsim first: dotnet build hostsim/Controller.HostSim -c Release" >&2; exit 2; }
command -v perf > /dev/null || { echo "split-tail: perf is not installed (Debian: apt-get install linux-perf)" >&2; exit 2; }

dotnet "$hostsim" bench split --members "$members" --mechanism "$mechanism" --splits 3000 --samples "$work/samples.csv" > "$work/bench.txt" &
bench=$!
# Warm-up, baseline and the first splits take about 8 s on a 2-core VM; then 6 s of splits are traced.
sleep 9
perf sched record -k CLOCK_MONOTONIC -o "$work/sched.data" -- sleep 6 > /dev/null 2>&1
wait "$bench" || true
perf sched timehist -i "$work/sched.data" > "$work/timehist.txt" 2> /dev/null
tail -1 "$work/bench.txt"

python3 - "$work/timehist.txt" "$work/samples.csv" "$threshold" <<'EOF'
import collections, re, sys
timehist, samples, threshold = sys.argv[1], sys.argv[2], float(sys.argv[3])
slices = []
for line in open(timehist):
    p = line.split()
    if len(p) < 6:
        continue
    try:
        end = float(p[0])
    except ValueError:
        continue
    cpu = re.match(r"\[(\d+)\]", p[1])
    if not cpu:
        continue
    name = re.sub(r"\[.*", "", " ".join(p[2:-3])).strip()
    run = float(p[-1]) / 1e3
    slices.append((end - run, end, name))
if not slices:
    sys.exit("split-tail: the trace is empty (is perf allowed here?)")
first, last = slices[0][1], slices[-1][1]

def who(name):
    if name.startswith("MP") or "TP Worker" in name:
        return "MP (pool worker)"
    if name == "<idle>":
        return "idle"
    if name == "dotnet":
        return "main thread"
    if "BGC" in name or ".NET GC" in name:
        return "GC"
    if "Tiered" in name:
        return "tiered compilation"
    if name.startswith(".NET"):
        return name
    return "other: " + name[:24]

total, inside, slow = collections.Counter(), 0, 0
for row in list(open(samples))[1:]:
    cols = row.strip().split(",")
    start, latency = float(cols[3]), float(cols[4])
    end = start + latency / 1e6
    if start < first or end > last:
        continue
    inside += 1
    if latency < threshold:
        continue
    slow += 1
    ran = collections.Counter()
    for (a, b, name) in slices:
        overlap = min(b, end) - max(a, start)
        if overlap > 0:
            ran[who(name)] += overlap
    whole = sum(ran.values()) or 1
    print(f"split {cols[2]:>5} {latency:8.0f} us: " + ", ".join(f"{k} {v / whole * 100:.0f}%" for k, v in ran.most_common()))
    total.update(ran)
whole = sum(total.values()) or 1
print(f"{slow} of {inside} traced splits took {threshold:.0f} us or more; CPU time in their windows: "
      + ", ".join(f"{k} {v / whole * 100:.1f}%" for k, v in total.most_common()))
EOF
echo "split-tail: samples, trace and timehist in $work"
