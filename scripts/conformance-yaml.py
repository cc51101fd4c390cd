#!/usr/bin/env python3
"""YAML/JSON/TOML conformance corpus: produce / check expected outputs with real helm.

Each case in tests/conformance/yaml/cases/<topic>.txt is rendered by a
throw-away chart (see tests/conformance/yaml/README.md): its body becomes
values.yaml (or, for the from* functions, the string .Values.s), and
templates/out.yaml prints one function's result through `b64enc`, so that
YAML-invalid output survives. The outcome (exit code, stdout, stderr) of
`helm template c` is stored in tests/conformance/yaml/expected/<topic>.json.

Usage:
  scripts/conformance-yaml.py [regen] [TOPIC ...]   rewrite expected files
  scripts/conformance-yaml.py --check [TOPIC ...]   compare, exit 1 on diff

helm is $HELM, else `helm` on PATH, else the fetch-helm.sh default location;
it must be v4.1.4. Standard library only.
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
CORPUS = os.path.join(REPO, "tests", "conformance", "yaml")
CASES_DIR = os.path.join(CORPUS, "cases")
EXPECTED_DIR = os.path.join(CORPUS, "expected")
HELM_VERSION = "v4.1.4"
WORKERS = 2

CASE_NAME_RE = re.compile(r"^[a-z0-9_-]+$")
CHART_YAML = "apiVersion: v2\nname: c\nversion: 0.1.0\n"

# fn -> (template expression, body is the string .Values.s)
VALUE_FNS = ["toYaml", "mustToYaml", "toYamlPretty", "toJson", "mustToJson",
             "toRawJson", "mustToRawJson", "toPrettyJson", "mustToPrettyJson", "toToml"]
STRING_FNS = ["fromYaml", "fromYamlArray", "fromJson", "fromJsonArray", "fromToml"]
FNS = ["values"] + VALUE_FNS + STRING_FNS


def expression(fn):
    if fn == "values":
        return "toJson .Values"
    if fn in VALUE_FNS:
        return "%s .Values.v" % fn
    return "toJson (%s .Values.s)" % fn


class CaseFileError(Exception):
    pass


def parse_case_file(path):
    """Return a list of (name, fn, body) in file order."""
    with open(path, "r", encoding="utf-8", newline="") as f:
        text = f.read()
    lines = text.split("\n")
    cases = []
    seen = set()
    i = 0
    n = len(lines)
    while i < n and not lines[i].startswith("=== "):
        if lines[i].startswith("#") or lines[i] == "":
            i += 1
            continue
        raise CaseFileError("%s:%d: expected a `#` comment or `=== NAME`" % (path, i + 1))
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
        fn = "values"
        if i < n and lines[i].startswith("fn: "):
            fn = lines[i][4:]
            if fn not in FNS:
                raise CaseFileError("%s:%d: unknown fn %r" % (path, i + 1, fn))
            i += 1
        if i >= n or lines[i] != "---":
            raise CaseFileError("%s:%d: expected `---` in case %r" % (path, i + 1, name))
        i += 1
        start = i
        while i < n and not lines[i].startswith("=== "):
            i += 1
        body = "\n".join(lines[start:i])
        if i < n:
            body += "\n"
        if body.endswith("\n"):
            body = body[:-1]
        body = decode_escapes(body)
        cases.append((name, fn, body))
    return cases


def decode_escapes(body):
    """`\\x{HEX}` in a body stands for that code point (for BOMs, tabs, controls)."""
    return re.sub(r"\\x\{([0-9A-Fa-f]{1,6})\}", lambda m: chr(int(m.group(1), 16)), body)


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
        sys.exit("conformance-yaml: %s reports %r, need %s (run scripts/fetch-helm.sh "
                 "and set HELM)" % (c, v, HELM_VERSION))
    sys.exit("conformance-yaml: no helm found; run scripts/fetch-helm.sh "
             "(or set HELM=/path/to/helm %s)" % HELM_VERSION)


def helm_env(tmp):
    env = {k: v for k, v in os.environ.items() if not k.startswith("HELM_")}
    env["HELM_CACHE_HOME"] = os.path.join(tmp, "helm-cache")
    env["HELM_CONFIG_HOME"] = os.path.join(tmp, "helm-config")
    env["HELM_DATA_HOME"] = os.path.join(tmp, "helm-data")
    env["LC_ALL"] = "C"
    # No kubeconfig and no pod: the namespace is helm's `default`.
    env["KUBECONFIG"] = os.path.join(tmp, "no-kubeconfig")
    env.pop("KUBERNETES_SERVICE_HOST", None)
    return env


def run_case(helm, fn, body):
    tmp = tempfile.mkdtemp(prefix="chartgen-yaml-")
    try:
        chart = os.path.join(tmp, "c")
        os.makedirs(os.path.join(chart, "templates"))
        with open(os.path.join(chart, "Chart.yaml"), "w", encoding="utf-8", newline="") as f:
            f.write(CHART_YAML)
        if fn in STRING_FNS:
            values = json.dumps({"s": body})
        else:
            values = body
        with open(os.path.join(chart, "values.yaml"), "wb") as f:
            f.write(values.encode("utf-8"))
        with open(os.path.join(chart, "templates", "out.yaml"), "w", encoding="utf-8", newline="") as f:
            f.write("out: {{ %s | b64enc }}\n" % expression(fn))
        p = subprocess.run([helm, "template", "c"], cwd=tmp, env=helm_env(tmp),
                           stdin=subprocess.DEVNULL, capture_output=True, timeout=120)
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
            sys.exit("conformance-yaml: no case file %s in %s" % (base, CASES_DIR))
        if base not in chosen:
            chosen.append(base)
    return chosen


def main(argv):
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
            sys.exit("conformance-yaml: unknown option %s" % a)
        else:
            topics_args.append(a)

    topics = select_topics(topics_args)
    parsed = {}
    try:
        for t in topics:
            parsed[t] = parse_case_file(os.path.join(CASES_DIR, t))
    except CaseFileError as e:
        sys.exit("conformance-yaml: %s" % e)

    helm = find_helm()
    jobs = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=WORKERS) as ex:
        for t in topics:
            for name, fn, body in parsed[t]:
                jobs[(t, name)] = ex.submit(run_case, helm, fn, body)
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
            for f in os.listdir(EXPECTED_DIR):
                if f.endswith(".json") and f[:-5] + ".txt" not in topics:
                    os.remove(os.path.join(EXPECTED_DIR, f))
                    print("removed stale %s" % f)
        print("yaml conformance: wrote %d cases in %d topics" % (total, len(topics)))
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
        print("yaml conformance: %d of %d cases differ from helm" % (len(bad), total))
        return 1
    print("yaml conformance: %d cases match helm" % total)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
