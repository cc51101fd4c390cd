#!/usr/bin/env bash
# The release binary built with profile-guided optimisation (PGO): LLVM
# lays out and inlines the code after a profile of chartgen's own runs.
# The template engine is an interpreter, a chain of branches that depend
# on the template being run; with the profile, the common paths fall
# through and the rare ones move out of the way.
#
# Usage: scripts/build-pgo.sh [CHART_DIR_OR_TGZ...]
#
# Steps: build an instrumented binary (target/pgo/gen), run it over the
# training runs below, merge what they recorded with llvm-profdata (from
# rustup's llvm-tools component, installed if missing), then build again
# with the profile. Both builds take the flags of `cargo build-static`
# (see .cargo/config.toml) on x86-64 Linux. Output: target/pgo/chartgen,
# whose path is printed on stdout. An up-to-date binary (same commit, same
# uncommitted changes, same charts) is kept without rebuilding.
#
# Training runs, from the repository alone: our chart with every fixture's
# values (the template cache cold, then warm), `snapshot update` and
# `check` over 200 generated cases (scripts/bench-snapshot.py), `validate`
# of every fixture, and `template` of each chart given (cold, then warm).
# The profile only steers optimisation: a binary built with any profile,
# or none, renders the same bytes.
set -euo pipefail
cd "$(dirname "$0")/.."

work="$PWD/target/pgo"
out="$work/chartgen"
mkdir -p "$work"

charts=()
for c in "$@"; do
    charts+=("$(cd "$(dirname "$c")" && pwd)/$(basename "$c")")
done

stamp="$( (git rev-parse HEAD; git diff HEAD; printf '%s\n' "${charts[@]+"${charts[@]}"}") | sha256sum | cut -d' ' -f1)"
if [ -x "$out" ] && [ "$(cat "$work/stamp" 2>/dev/null)" = "$stamp" ]; then
    echo "build-pgo: up to date" >&2
    echo "$out"
    exit 0
fi

host="$(rustc -vV | sed -n 's/^host: //p')"
profdata="$(rustc --print sysroot)/lib/rustlib/$host/bin/llvm-profdata"
if [ ! -x "$profdata" ]; then
    echo "build-pgo: installing rustup's llvm-tools (llvm-profdata)" >&2
    rustup component add llvm-tools >&2
fi

# As `cargo build-static` on x86-64 Linux; elsewhere a plain release build.
target_args=()
flags=""
if [ "$host" = "x86_64-unknown-linux-gnu" ]; then
    target_args=(--target "$host")
    flags="'-C', 'target-feature=+crt-static', '-C', 'relocation-model=static', "
fi
build() {
    # $1: target directory, $2: the PGO flag.
    CARGO_TARGET_DIR="$1" cargo build --release --locked -p chartgen ${target_args[@]+"${target_args[@]}"} \
        --config "target.$host.rustflags = [$flags'-C', '$2']" >&2
    if [ "${#target_args[@]}" -gt 0 ]; then
        echo "$1/$host/release/chartgen"
    else
        echo "$1/release/chartgen"
    fi
}

raw="$work/raw"
rm -rf "$raw"
mkdir -p "$raw"
echo "build-pgo: instrumented build" >&2
gen="$(build "$work/gen" "profile-generate=$raw")"

echo "build-pgo: training" >&2
cache="$work/cache"
train() {
    CHARTGEN_CACHE_DIR="$cache" "$gen" "$@" >/dev/null 2>&1 || true
}
for pass in cold warm; do
    [ "$pass" = cold ] && rm -rf "$cache"
    train template airflow chart
    for f in fixtures/cases/*.yaml; do
        train template airflow chart -n airflow -f "$f"
    done
    for c in "${charts[@]+"${charts[@]}"}"; do
        train template "$c"
    done
done
train validate --chart chart --each fixtures/cases/*.yaml
CHARTGEN_CACHE_DIR="$cache" python3 scripts/bench-snapshot.py --bin "$gen" --cases 200 --runs 1 >/dev/null
"$profdata" merge -o "$work/merged.profdata" "$raw"
# Named by its contents: cargo rebuilds what its flags name, not what a
# flag's file holds, so a new profile must be a new flag.
profile="$work/chartgen-$(sha256sum "$work/merged.profdata" | cut -c1-16).profdata"
mv "$work/merged.profdata" "$profile"
find "$work" -maxdepth 1 -name 'chartgen-*.profdata' ! -path "$profile" -delete

echo "build-pgo: optimised build" >&2
built="$(build "$work/use" "profile-use=$profile")"
cp "$built" "$out.tmp"
mv "$out.tmp" "$out"
echo "$stamp" > "$work/stamp"
echo "$out"
