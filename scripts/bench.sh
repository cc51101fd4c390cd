#!/usr/bin/env bash
# Whole-process speed and peak memory of `chartgen template` against
# `helm template` (v4.1.4), with hyperfine.
#
# Usage: scripts/bench.sh [CHART_DIR_OR_TGZ...]
#
# Cases: our chart with default values (chartgen's built-in copy against
# `helm template chart`), our chart with the fixture whose helm output is
# largest, then every chart given on the command line (default values).
# For each: mean and min wall time of both tools, the ratio of the means
# (and of the mins, and of the CPU times: the better estimates on a busy
# machine), and peak RSS.
#
# Charts on disk are measured twice: as a user's repeated runs see them
# (chartgen's template cache warm: the warm-up runs fill a private cache
# directory, see src/tree_cache.rs), and with the cache off
# (CHARTGEN_NO_CACHE=1: every run parses every template). Our chart
# (built-in) is prepared at build time either way.
#
# Environment: CHARTGEN (default: the release binary as distributed, built
# or brought up to date first by scripts/build-pgo.sh: profile-guided, from
# the repository's own runs; with PGO=0, or should that build fail, the
# plain release build: on x86-64 Linux `cargo build-static`, glibc linked
# in, see .cargo/config.toml; elsewhere `cargo build --release`),
# HELM (default: scripts/fetch-helm.sh), RUNS (default 20), WARMUP
# (default 3).
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS="${RUNS:-20}"
WARMUP="${WARMUP:-3}"

if ! command -v hyperfine >/dev/null 2>&1; then
    echo "installing hyperfine" >&2
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq >&2
    $SUDO apt-get install -y -qq hyperfine >&2
fi
if [ ! -x /usr/bin/time ]; then
    echo "installing GNU time" >&2
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get install -y -qq time >&2
fi
HELM="${HELM:-$(scripts/fetch-helm.sh)}"
if [ -z "${CHARTGEN:-}" ] && [ "${PGO:-1}" != 0 ]; then
    # Trained on the repository's own runs only, never on the charts
    # measured here.
    CHARTGEN="$(scripts/build-pgo.sh)" || {
        echo "bench: the PGO build failed; measuring the plain release build" >&2
        CHARTGEN=""
    }
fi
if [ -z "${CHARTGEN:-}" ]; then
    if [ "$(uname -sm)" = "Linux x86_64" ] && ldd --version 2>&1 | grep -qi 'gnu libc\|glibc'; then
        cargo build-static >&2
        CHARTGEN=target/x86_64-unknown-linux-gnu/release/chartgen
    else
        cargo build --release --locked -p chartgen >&2
        CHARTGEN=target/release/chartgen
    fi
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# A private template cache: the user's is neither read nor touched.
export CHARTGEN_CACHE_DIR="$tmp/cache"
unset CHARTGEN_NO_CACHE

# Peak RSS in KiB of one run (the largest of 3).
peak_rss() {
    local best=0 r
    for _ in 1 2 3; do
        r=$(/usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1)
        [ "$r" -gt "$best" ] && best=$r
    done
    echo "$best"
}

# bench LABEL "CHARTGEN ARGS" "HELM ARGS"
bench() {
    local label=$1 cg_args=$2 helm_args=$3
    # Both must succeed and agree, or the timing means nothing.
    # shellcheck disable=SC2086
    if ! "$CHARTGEN" template $cg_args >"$tmp/c.out" 2>/dev/null; then
        echo "$label: chartgen failed" >&2
        return 1
    fi
    # shellcheck disable=SC2086
    if ! "$HELM" template $helm_args >"$tmp/h.out" 2>/dev/null; then
        echo "$label: helm failed" >&2
        return 1
    fi
    local same="identical output"
    cmp -s "$tmp/c.out" "$tmp/h.out" || same="outputs differ: random content, or a bug"
    hyperfine -N -w "$WARMUP" -r "$RUNS" --export-json "$tmp/h.json" \
        "$CHARTGEN template $cg_args" "$HELM template $helm_args" >/dev/null 2>&1
    # shellcheck disable=SC2086
    local rss_c rss_h
    rss_c=$(peak_rss "$CHARTGEN" template $cg_args)
    # shellcheck disable=SC2086
    rss_h=$(peak_rss "$HELM" template $helm_args)
    python3 - "$tmp/h.json" "$label" "$rss_c" "$rss_h" "$same" "$(wc -c <"$tmp/h.out")" <<'EOF'
import json, sys
path, label, rss_c, rss_h, same, size = sys.argv[1:]
c, h = json.load(open(path))["results"]
ms = lambda x: x * 1000
print(f"{label}  ({int(size) // 1024} KiB of output, {same})")
for name, r in (("chartgen", c), ("helm", h)):
    print(f"  {name:9s} mean {ms(r['mean']):7.1f} ms  min {ms(r['min']):7.1f} ms  "
          f"user+sys {ms(r['user'] + r['system']):6.1f} ms")
cpu = lambda r: r["user"] + r["system"]
print(f"  speed-up  {h['mean'] / c['mean']:.1f}x (means)  {h['min'] / c['min']:.1f}x (mins)  "
      f"{cpu(h) / cpu(c):.1f}x (CPU time)")
print(f"  peak RSS  chartgen {int(rss_c) / 1024:.1f} MiB  helm {int(rss_h) / 1024:.1f} MiB"
      f"  ({int(rss_c) / int(rss_h):.2f} of helm's)")
EOF
}

bench "chart/ (default values)" "" "chart"

# The fixture whose helm output (golden) is largest.
# (sed reads the whole listing: `head` would leave ls to die of SIGPIPE,
# which pipefail turns into a failure of the script.)
largest=$(ls -S fixtures/golden/*.yaml | sed -n 1p)
case="fixtures/cases/$(basename "$largest")"
bench "chart/ with $case" "airflow chart -f $case --namespace airflow" \
    "airflow chart -f $case --namespace airflow"

for chart in "$@"; do
    bench "$chart (default values, template cache warm)" "$chart" "$chart"
    CHARTGEN_NO_CACHE=1 bench "$chart (default values, template cache off)" "$chart" "$chart"
done
