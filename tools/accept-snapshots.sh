#!/usr/bin/env bash
# Copyright (c) 2026 The Controller Simulator authors.
# Licensed under the MIT License. See LICENSE in the repository root.
#
# Accepts every pending snapshot: renames each tests/**/*.received.txt to *.verified.txt
# (replacing the old verified file) and prints what it renamed. Review the diff before committing.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${repo_root}"

count=0
while IFS= read -r -d '' received; do
    verified="${received%.received.txt}.verified.txt"
    mv -f -- "${received}" "${verified}"
    printf '%s -> %s\n' "${received#./}" "${verified#./}"
    count=$((count + 1))
done < <(find ./tests -type f -name '*.received.txt' -not -path '*/bin/*' -not -path '*/obj/*' -print0 | sort -z)

if [[ ${count} -eq 0 ]]; then
    echo "No received snapshots under tests/."
else
    echo "Accepted ${count} snapshot(s)."
fi
