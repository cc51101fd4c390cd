#!/usr/bin/env python3
"""Benchmark `chartgen snapshot check` over generated cases of our chart.

Generates N (default 1000) cases in a temporary directory: each takes one of
fixtures/cases/*.yaml (in turn) plus its own values file varying replicas,
labels and annotations; writes the suite manifest; produces the goldens with
`chartgen snapshot update`; then times `chartgen snapshot check` (best and
median of --runs) and prints the figure. The goldens are chartgen's own: this
measures speed, conformance is checked elsewhere.

Usage:
  scripts/bench-snapshot.py [--cases N] [--runs R] [--jobs J] [--bin PATH]

Without --bin it builds the profile-guided release binary first
(scripts/build-pgo.sh; with PGO=0, `cargo build --release -p chartgen`).
Standard library only.
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cases", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=0, help="threads (default: CPUs)")
    ap.add_argument("--bin", help="chartgen binary (default: build the release one)")
    args = ap.parse_args()

    binary = args.bin
    if not binary and os.environ.get("PGO", "1") != "0":
        # The binary scripts/bench.sh measures (profile-guided).
        p = subprocess.run([os.path.join(REPO, "scripts", "build-pgo.sh")], cwd=REPO,
                           stdout=subprocess.PIPE, text=True)
        if p.returncode == 0:
            binary = p.stdout.strip()
        else:
            print("the PGO build failed; measuring the plain release build", file=sys.stderr)
    if not binary:
        subprocess.run(["cargo", "build", "--release", "-p", "chartgen"], cwd=REPO, check=True)
        binary = os.path.join(REPO, "target", "release", "chartgen")
    bases = sorted(f for f in os.listdir(os.path.join(REPO, "fixtures", "cases"))
                   if f.endswith(".yaml"))

    with tempfile.TemporaryDirectory(prefix="chartgen-bench-") as tmp:
        os.makedirs(os.path.join(tmp, "cases"))
        lines = ["chart: %s" % os.path.join(REPO, "chart"),
                 "defaults:", "  release: airflow", "  namespace: airflow", "cases:"]
        for i in range(args.cases):
            name = "c%04d" % i
            with open(os.path.join(tmp, "cases", name + ".yaml"), "w") as f:
                f.write("labels:\n  bench: \"%d\"\n" % i)
                f.write("scheduler:\n  replicas: %d\n" % (i % 4 + 1))
                f.write("airflowPodAnnotations:\n  bench/case: \"%s\"\n" % name)
            base = os.path.join(REPO, "fixtures", "cases", bases[i % len(bases)])
            lines += ["  - name: %s" % name,
                      "    values: [%s, cases/%s.yaml]" % (base, name),
                      "    golden: golden/%s.yaml" % name]
        manifest = os.path.join(tmp, "suite.yaml")
        with open(manifest, "w") as f:
            f.write("\n".join(lines) + "\n")

        cmd = [binary, "snapshot"]
        jobs = ["--jobs", str(args.jobs)] if args.jobs else []
        env = {k: v for k, v in os.environ.items() if k != "CI"}
        t = time.monotonic()
        p = subprocess.run(cmd + ["update", manifest] + jobs, env=env,
                           capture_output=True, text=True)
        if p.returncode != 0:
            sys.exit("update failed:\n" + p.stdout[-2000:] + p.stderr[-2000:])
        print("update (writes %d goldens): %.2f s" % (args.cases, time.monotonic() - t))

        times = []
        cpus = []
        for _ in range(args.runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.monotonic()
            p = subprocess.run(cmd + ["check", manifest] + jobs, capture_output=True, text=True)
            times.append(time.monotonic() - t)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
            if p.returncode != 0:
                sys.exit("check failed:\n" + p.stdout[-2000:] + p.stderr[-2000:])
        print("check (%d cases, %s threads, %d runs): best %.2f s, median %.2f s (target < 2 s)"
              % (args.cases, args.jobs or os.cpu_count(), args.runs, min(times),
                 statistics.median(times)))
        # On a shared machine wall time mostly measures the other load: the
        # CPU time over the threads used is what an idle machine would take.
        threads = args.jobs or os.cpu_count()
        print("check CPU time: best %.2f s (%.1f ms per case; %.2f s over %d idle cores)"
              % (min(cpus), 1000 * min(cpus) / args.cases, min(cpus) / threads, threads))
        print(p.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
