#!/usr/bin/env bash
# Regenerates crates/chartgen-cli/hot-symbols.txt: the functions a release
# `chartgen` runs on typical commands, hottest first. The linker places them
# together at the start of the code (see link_hot_code_first in
# crates/chartgen-cli/build.rs), so that a run maps in far fewer code pages.
#
# Usage: scripts/hot-symbols.sh [CHART_DIR_OR_TGZ...]
#
# Workloads: `template` of our chart (default values, the largest fixture,
# the built-in copy), `validate` of a fixture, then `template` of every
# chart given on the command line. Needs valgrind (callgrind).
#
# Symbol names carry a hash of their crate's metadata and of their type,
# not of their code, so the list stays valid across most edits; names that
# no longer exist are skipped by the linker. Regenerate it after upgrading
# the toolchain or dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v valgrind >/dev/null || { echo "valgrind is required" >&2; exit 1; }
cargo build --release -p chartgen >&2
bin="$PWD/target/release/chartgen"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

largest_fixture="fixtures/cases/$(ls -S fixtures/golden | head -n 1)"
[ -f "$largest_fixture" ] || largest_fixture="fixtures/cases/$(ls fixtures/cases | head -n 1)"

n=0
profile() {
    n=$((n + 1))
    valgrind --tool=callgrind --demangle=no --callgrind-out-file="$tmp/cg.$n" \
        "$bin" "$@" >/dev/null 2>&1 || true
}
profile template x chart
profile template x chart -f "$largest_fixture"
profile template x
profile validate --chart chart "$largest_fixture"
for chart in "$@"; do
    profile template x "$chart"
done

# Self cost of each of the binary's functions, summed over the runs.
for f in "$tmp"/cg.*; do
    callgrind_annotate --threshold=100 --auto=no "$f" 2>/dev/null |
        grep -F "$bin]" || true
done | python3 -c '
import re, sys
cost = {}
for line in sys.stdin:
    m = re.match(r"\s*([\d,]+) \([^)]*\)\s+(?:[^:]*:)?(\S+) \[", line)
    if not m:
        continue
    name = re.sub(r"\x27\d+$", "", m.group(2))  # callgrind marks recursion as name'"'"'2
    if name.startswith("0x") or name.startswith("("):
        continue
    cost[name] = cost.get(name, 0) + int(m.group(1).replace(",", ""))
for name, _ in sorted(cost.items(), key=lambda kv: (-kv[1], kv[0])):
    print(name)
' >crates/chartgen-cli/hot-symbols.txt
echo "$(wc -l <crates/chartgen-cli/hot-symbols.txt) functions in crates/chartgen-cli/hot-symbols.txt" >&2
