#!/usr/bin/env bash
# Makes the report page README shows: a hostsim load with splits and a hostsim bench split, rendered by
# hostsim report, then a screenshot taken with headless Chromium (Debian package, installed if missing).
# Usage: tools/report-screenshot.sh [output.png]   (default docs/report.png; the page goes beside it as .html)
set -euo pipefail
cd "$(dirname "$0")/.."
png="${1:-docs/report.png}"
html="${png%.png}.html"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if ! command -v chromium >/dev/null 2>&1; then
    echo "tools/report-screenshot.sh: installing chromium (Debian package) for the headless screenshot"
    sudo_cmd=""
    [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo_cmd apt-get update -qq >/dev/null && $sudo_cmd apt-get install -y -qq chromium >/dev/null
fi

dotnet build hostsim/Controller.HostSim -c Release -v quiet >/dev/null
hostsim=hostsim/Controller.HostSim/bin/Release/net10.0/hostsim
"$hostsim" load --seconds 5 --read-percent 30 --capacity-mib 64 --no-progress \
    --lun 0x400104,0x0001 --lun 0x400104,0x0003 \
    --mirror 0x400104,0x0001=0x400104,0x0002 --mirror 0x400104,0x0003=0x400104,0x0004 \
    --split-at-seconds 1 --split-at-seconds 2 --split-at-seconds 3 --split-at-seconds 4 --json > "$work/load.json"
"$hostsim" bench split --members 1,8,64,512 --splits 100 --baseline 0.5 --json > "$work/bench.json"
"$hostsim" report "$html" --load "$work/load.json" --bench "$work/bench.json"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1100,1720 \
    --screenshot="$png" "file://$(pwd)/$html" >/dev/null 2>&1
echo "wrote $png and $html"
