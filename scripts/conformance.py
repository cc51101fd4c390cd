#!/usr/bin/env python3
"""Template conformance corpora: produce / check expected outputs with real helm.

Suites: tests/conformance/engine (Go text/template) and tests/conformance/funcs
(sprig and helm functions). Each case in tests/conformance/<suite>/cases/<topic>.txt
is rendered by a
throw-away chart whose templates/_case.tpl is the case body, printed through
`include ... | b64enc` so that the raw text/template output survives YAML.
The outcome (exit code, stdout, stderr) of `helm template c` is stored in
tests/conformance/<suite>/expected/<topic>.json.

Usage:
  scripts/conformance.py [--suite S] [regen] [TOPIC ...]   rewrite expected files
  scripts/conformance.py [--suite S] --check [TOPIC ...]   compare, exit 1 on diff

Without --suite every suite is processed (topics then need a --suite).

TOPIC is a case file name (`fmt.txt`), its stem (`fmt`) or a path to it.
helm is $HELM, else `helm` on PATH, else the fetch-helm.sh default location;
it must be v4.1.4.

Standard library only.
"""

import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Suites in the template-case format; each is tests/conformance/<suite>/.
SUITES = ("engine", "funcs")
CORPUS = CASES_DIR = EXPECTED_DIR = None


def use_suite(suite):
    global CORPUS, CASES_DIR, EXPECTED_DIR
    CORPUS = os.path.join(REPO, "tests", "conformance", suite)
    CASES_DIR = os.path.join(CORPUS, "cases")
    EXPECTED_DIR = os.path.join(CORPUS, "expected")
HELM_VERSION = "v4.1.4"
WORKERS = 2

CASE_NAME_RE = re.compile(r"^[a-z0-9_-]+$")

CHART_YAML = "apiVersion: v2\nname: c\nversion: 0.1.0\n"
OUT_YAML = 'out: {{ include "c/templates/_case.tpl" . | b64enc }}\n'


class CaseFileError(Exception):
    pass


def parse_case_file(path):
    """Return a list of (name, values_json_or_None, body) in file order."""
    with open(path, "r", encoding="utf-8", newline="") as f:
        text = f.read()
    lines = text.split("\n")
    cases = []
    seen = set()
    i = 0
    n = len(lines)
    # File comments before the first case.
    while i < n and not lines[i].startswith("=== "):
        if lines[i].startswith("#") or (i == n - 1 and lines[i] == ""):
            i += 1
            continue
        raise CaseFileError("%s:%d: expected a `#` comment or `=== NAME`, got %r"
                            % (path, i + 1, lines[i]))
    while i < n:
        header = lines[i]
        if not header.startswith("=== "):
            raise CaseFileError("%s:%d: expected `=== NAME`" % (path, i + 1))
        name = header[4:]
        if not CASE_NAME_RE.match(name):
            raise CaseFileError("%s:%d: bad case name %r" % (path, i + 1, name))
        if name in seen:
            raise CaseFileError("%s:%d: duplicate case name %r" % (path, i + 1, name))
        seen.add(name)
        i += 1
        values = None
        if i < n and lines[i].startswith("values: "):
            values = lines[i][len("values: "):]
            try:
                parsed = json.loads(values)
            except ValueError as e:
                raise CaseFileError("%s:%d: values is not JSON: %s" % (path, i + 1, e))
            if not isinstance(parsed, dict):
                raise CaseFileError("%s:%d: values must be a JSON object" % (path, i + 1))
            i += 1
        if i >= n or lines[i] != "---":
            raise CaseFileError("%s:%d: expected `---` in case %r" % (path, i + 1, name))
        i += 1
        start = i
        while i < n and not lines[i].startswith("=== "):
            i += 1
        body = "\n".join(lines[start:i])
        if i < n:
            body += "\n"  # the newline that ended the last body line
        if body.endswith("\n"):
            body = body[:-1]
        cases.append((name, values, body))
    return cases


def find_helm():
    cands = []
    if os.environ.get("HELM"):
        cands.append(os.environ["HELM"])
    else:
        on_path = shutil.which("helm")
        if on_path:
            cands.append(on_path)
        cands.append(os.path.join(os.path.expanduser("~"), ".local", "share",
                                  "chartgen", "helm", "helm"))
    for c in cands:
        if not os.path.isfile(c):
            continue
        try:
            v = subprocess.run([c, "version", "--short"], capture_output=True,
                               text=True, timeout=60).stdout.strip()
        except OSError:
            continue
        if v.startswith(HELM_VERSION):
            return c
        sys.exit("conformance: %s reports %r, need %s (run scripts/fetch-helm.sh "
                 "and set HELM)" % (c, v, HELM_VERSION))
    sys.exit("conformance: no helm found; run scripts/fetch-helm.sh "
             "(or set HELM=/path/to/helm %s)" % HELM_VERSION)


def helm_env(tmp):
    env = {k: v for k, v in os.environ.items() if not k.startswith("HELM_")}
    env["HELM_CACHE_HOME"] = os.path.join(tmp, "helm-cache")
    env["HELM_CONFIG_HOME"] = os.path.join(tmp, "helm-config")
    env["HELM_DATA_HOME"] = os.path.join(tmp, "helm-data")
    env["LC_ALL"] = "C"
    # Date functions format in the local zone; pin it so expected outputs do
    # not depend on the machine (tests/funcs_conformance.rs pins the same).
    env["TZ"] = "UTC"
    # No kubeconfig and no pod: the namespace is helm's `default`.
    env["KUBECONFIG"] = os.path.join(tmp, "no-kubeconfig")
    env.pop("KUBERNETES_SERVICE_HOST", None)
    return env


def run_case(helm, values, body):
    tmp = tempfile.mkdtemp(prefix="chartgen-conf-")
    try:
        chart = os.path.join(tmp, "c")
        os.makedirs(os.path.join(chart, "templates"))
        with open(os.path.join(chart, "Chart.yaml"), "w", encoding="utf-8", newline="") as f:
            f.write(CHART_YAML)
        with open(os.path.join(chart, "values.yaml"), "w", encoding="utf-8", newline="") as f:
            f.write(values if values is not None else "{}")
        with open(os.path.join(chart, "templates", "_case.tpl"), "wb") as f:
            f.write(body.encode("utf-8"))
        with open(os.path.join(chart, "templates", "out.yaml"), "w", encoding="utf-8", newline="") as f:
            f.write(OUT_YAML)
        p = subprocess.run([helm, "template", "c"], cwd=tmp, env=helm_env(tmp),
                           stdin=subprocess.DEVNULL, capture_output=True, timeout=900)
        return {
            "exit": p.returncode,
            "stdout": p.stdout.decode("utf-8", errors="replace"),
            "stderr": p.stderr.decode("utf-8", errors="replace"),
        }
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def render_json(results):
    return json.dumps(results, indent=1, ensure_ascii=False, sort_keys=False) + "\n"


def select_topics(args):
    all_files = sorted(f for f in os.listdir(CASES_DIR) if f.endswith(".txt"))
    if not args:
        return all_files
    chosen = []
    for a in args:
        base = os.path.basename(a)
        if not base.endswith(".txt"):
            base += ".txt"
        if base not in all_files:
            sys.exit("conformance: no case file %s in %s" % (base, CASES_DIR))
        if base not in chosen:
            chosen.append(base)
    return chosen


def main(argv):
    suites = []
    rest = []
    it = iter(argv)
    for a in it:
        if a == "--suite":
            suites.append(next(it, ""))
        elif a.startswith("--suite="):
            suites.append(a.split("=", 1)[1])
        else:
            rest.append(a)
    for suite in suites:
        if suite not in SUITES:
            sys.exit("conformance: unknown suite %r (known: %s)" % (suite, ", ".join(SUITES)))
    if not suites:
        suites = [s for s in SUITES if os.path.isdir(os.path.join(REPO, "tests", "conformance", s, "cases"))]
        if len(suites) > 1 and any(not a.startswith("-") and a != "regen" for a in rest):
            sys.exit("conformance: name a --suite when selecting topics")
    status = 0
    for suite in suites:
        use_suite(suite)
        status |= main_suite(suite, rest)
    return status


def main_suite(suite, argv):
    check = False
    topics_args = []
    for a in argv:
        if a == "--check":
            check = True
        elif a == "regen":
            pass
        elif a in ("-h", "--help"):
            print(__doc__)
            return 0
        elif a.startswith("-"):
            sys.exit("conformance: unknown option %s" % a)
        else:
            topics_args.append(a)

    topics = select_topics(topics_args)
    parsed = {}
    try:
        for t in topics:
            parsed[t] = parse_case_file(os.path.join(CASES_DIR, t))
    except CaseFileError as e:
        sys.exit("conformance: %s" % e)

    helm = find_helm()

    jobs = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=WORKERS) as ex:
        for t in topics:
            for name, values, body in parsed[t]:
                jobs[(t, name)] = ex.submit(run_case, helm, values, body)
        results = {}
        for t in topics:
            results[t] = {name: jobs[(t, name)].result() for name, _, _ in parsed[t]}

    total = sum(len(r) for r in results.values())
    if not check:
        os.makedirs(EXPECTED_DIR, exist_ok=True)
        for t in topics:
            out = os.path.join(EXPECTED_DIR, t[:-4] + ".json")
            with open(out, "w", encoding="utf-8", newline="") as f:
                f.write(render_json(results[t]))
        if not topics_args:
            # Drop expected files whose case file is gone.
            for f in os.listdir(EXPECTED_DIR):
                if f.endswith(".json") and f[:-5] + ".txt" not in topics:
                    os.remove(os.path.join(EXPECTED_DIR, f))
                    print("removed stale %s" % f)
        print("%s conformance: wrote %d cases in %d topics" % (suite, total, len(topics)))
        return 0

    bad = []
    for t in topics:
        topic = t[:-4]
        path = os.path.join(EXPECTED_DIR, topic + ".json")
        try:
            with open(path, "r", encoding="utf-8", newline="") as f:
                committed_text = f.read()
            committed = json.loads(committed_text)
        except (OSError, ValueError) as e:
            bad.append("%s: expected file unreadable (%s)" % (topic, e))
            continue
        if committed_text == render_json(results[t]):
            continue
        for name, got in results[t].items():
            if committed.get(name) != got:
                bad.append("%s/%s" % (topic, name))
        for name in committed:
            if name not in results[t]:
                bad.append("%s/%s (stale expected entry)" % (topic, name))
        if list(committed) == list(results[t]) and not any(
                b.startswith(topic + "/") for b in bad):
            bad.append("%s: expected file formatting/order differs" % topic)
    if not topics_args:
        for f in sorted(os.listdir(EXPECTED_DIR)) if os.path.isdir(EXPECTED_DIR) else []:
            if f.endswith(".json") and f[:-5] + ".txt" not in topics:
                bad.append("%s: expected file without case file" % f)
    if bad:
        for b in bad:
            print("DIFF %s" % b)
        print("%s conformance: %d of %d cases differ from helm" % (suite, len(bad), total))
        return 1
    print("%s conformance: %d cases match helm" % (suite, total))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
