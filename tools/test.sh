#!/usr/bin/env bash
# The project's test command (README): builds and runs every test project, then prints the count of
# passed and failed tests read from the TRX results, as the closing line "N passed, N failed".
# Usage: tools/test.sh [extra dotnet test arguments, e.g. --filter Category=R0-2]
set -uo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if ! command -v dotnet >/dev/null 2>&1; then
    echo "tools/test.sh: the .NET SDK (dotnet) is not on PATH; install .NET 10 SDK (see global.json)" >&2
    exit 2
fi

# The end-to-end and pcap tests check our frames with the real Wireshark decoder: install tshark if missing.
if ! command -v tshark >/dev/null 2>&1; then
    echo "tools/test.sh: installing tshark (Debian package) for the pcap and end-to-end tests"
    sudo_cmd=""
    [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo_cmd apt-get update -qq >/dev/null && $sudo_cmd apt-get install -y -qq tshark >/dev/null \
        || echo "tools/test.sh: could not install tshark; the tests that need it will fail and say so" >&2
fi

results="${TEST_RESULTS_DIR:-TestResults}"
rm -rf "$results"
dotnet test Controller.sln -c Release --logger "trx" --results-directory "$results" "$@"
status=$?

passed=0
failed=0
skipped=0
shopt -s nullglob
trx_files=("$results"/*.trx)
for trx in "${trx_files[@]}"; do
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
    p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
    f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
    n=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters")
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0}))
    skipped=$((skipped + ${n:-0}))
done

if [ "${#trx_files[@]}" -eq 0 ]; then
    echo "tools/test.sh: no test results were written (did the build fail?)" >&2
    [ "$status" -ne 0 ] || status=1
fi

# Ignored tests (an optional external file absent) are not passes: say how many, and why, before the count.
if [ "$skipped" -gt 0 ]; then
    echo "$skipped ignored (not run), e.g.:"
    awk '/outcome="NotExecuted"/ { open = 1 } open && /<Message>/ { sub(/.*<Message>/, ""); sub(/<\/Message>.*/, ""); print "  " $0; open = 0 } /<\/UnitTestResult>/ { open = 0 }' \
        "${trx_files[@]}" | sort -u | head -n 3
fi
summary="$passed passed, $failed failed"
echo "$summary" > "$results/summary.txt"
echo "$summary"
if [ "$failed" -gt 0 ] && [ "$status" -eq 0 ]; then
    status=1
fi
exit "$status"
