#!/usr/bin/env python3
"""Chart conformance corpora: produce / check expected outputs with real helm.

Cases live in tests/conformance/<SUITE>/cases/<topic>.txt (SUITE is `charts`,
`template` or `bad-input`; format described in tests/conformance/charts/README.md): each
case is a set of files (a chart `c/`, sub-charts, values files, what `-f -`
reads), optional `.tgz` packing and symlinks, and the arguments of `helm
template`. The outcome of `helm template [ARGS]` run in the case directory
(exit code, stdout, stderr, and every file it created or changed there, e.g.
under `--output-dir`) is stored in tests/conformance/<SUITE>/expected/<topic>.json,
with the case directory's path replaced by `$TMP`. In the `bad-input` suite
each case also runs a second time with `--output-dir out` added, recorded as
its `output_dir` entry; cases marked `chartgen-only:` (helm lacks the limit
or crashes) are not run with helm: their expectation is in the case file.

Usage:
  scripts/conformance-charts.py [--suite S] [regen] [TOPIC ...]   rewrite expected files
  scripts/conformance-charts.py [--suite S] --check [TOPIC ...]   compare, exit 1 on diff
  scripts/conformance-template.py …                               same, --suite template
  scripts/conformance-bad-input.py …                              same, --suite bad-input

helm is $HELM, else `helm` on PATH; it must be v4.1.4. Standard library only.
"""

import base64
import concurrent.futures
import gzip
import io
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tarfile
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SUITES = ("charts", "template", "bad-input")
CORPUS = CASES_DIR = EXPECTED_DIR = SUITE = None


def set_suite(name):
    global CORPUS, CASES_DIR, EXPECTED_DIR, SUITE
    if name not in SUITES:
        sys.exit("conformance-charts: unknown suite %r (one of %s)" % (name, ", ".join(SUITES)))
    SUITE = name
    CORPUS = os.path.join(REPO, "tests", "conformance", name)
    CASES_DIR = os.path.join(CORPUS, "cases")
    EXPECTED_DIR = os.path.join(CORPUS, "expected")


set_suite("charts")
HELM_VERSION = "v4.1.4"
WORKERS = 4
CASE_NAME_RE = re.compile(r"^[a-z0-9_-]+$")
EXPAND_RE = re.compile(r"<<<(\d+):(.*?)>>>", re.S)
DEFAULT_CHART_YAML = "apiVersion: v2\nname: c\nversion: 0.1.0\n"
DEFAULT_TEMPLATE = "v: {{ toJson .Values }}\n"


class CaseFileError(Exception):
    pass


def parse_case_file(path):
    """[(name, spec)] where spec = {args, files: [(path, text)], packs, links, stdin, default_chart}."""
    with open(path, "r", encoding="utf-8", newline="") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    cases = []
    seen = set()
    i, n = 0, len(lines)
    while i < n and not lines[i].startswith("=== "):
        if lines[i].startswith("#") or lines[i] == "":
            i += 1
            continue
        raise CaseFileError("%s:%d: expected `#` or `=== NAME`" % (path, i + 1))
    while i < n:
        name = lines[i][4:]
        if not CASE_NAME_RE.match(name) or name in seen:
            raise CaseFileError("%s:%d: bad or duplicate case name %r" % (path, i + 1, name))
        seen.add(name)
        i += 1
        spec = {"args": [], "files": [], "packs": [], "links": [], "default_chart": True,
                "chartgen_only": None}
        # Directives up to the first file.
        while i < n and not lines[i].startswith("--- ") and not lines[i].startswith("=== "):
            l = lines[i]
            if l.startswith("args:"):
                spec["args"] = shlex.split(l[5:])
            elif l.startswith("pack:"):
                src, _, dst = l[5:].partition("->")
                spec["packs"].append((src.strip(), dst.strip()))
            elif l.startswith("link:"):
                src, _, dst = l[5:].partition("->")
                spec["links"].append((src.strip(), dst.strip()))
            elif l.strip() == "no-default-chart":
                spec["default_chart"] = False
            elif l.startswith(("chartgen-only:", "exit:", "stdout:", "stderr:", "stderr-end:")):
                # chartgen's own expectation (bad-input suite); helm is not run.
                spec["chartgen_only"] = True
            elif l.startswith("#") or l == "":
                pass
            else:
                raise CaseFileError("%s:%d: unknown directive %r" % (path, i + 1, l))
            i += 1
        while i < n and lines[i].startswith("--- "):
            fname = lines[i][4:].strip()
            i += 1
            start = i
            while i < n and not lines[i].startswith("--- ") and not lines[i].startswith("=== "):
                i += 1
            body = lines[start:i]
            text = "\n".join(body)
            if body:
                text += "\n"
            if fname.endswith(" (noeol)"):
                fname = fname[: -len(" (noeol)")]
                text = text[:-1] if text.endswith("\n") else text
            if fname.endswith(" (expand)"):
                # `<<<N:TEXT>>>` stands for TEXT repeated N times.
                fname = fname[: -len(" (expand)")]
                text = EXPAND_RE.sub(lambda m: m.group(2) * int(m.group(1)), text)
            spec["files"].append((fname, text))
        cases.append((name, spec))
    return cases


def find_helm():
    cand = os.environ.get("HELM") or shutil.which("helm")
    if not cand:
        sys.exit("conformance-charts: no helm found (set HELM)")
    v = subprocess.run([cand, "version", "--short"], capture_output=True, text=True).stdout.strip()
    if not v.startswith(HELM_VERSION):
        sys.exit("conformance-charts: %s is %r, need %s" % (cand, v, HELM_VERSION))
    return cand


def helm_env(tmp):
    env = {k: v for k, v in os.environ.items() if not k.startswith("HELM_")}
    env["HELM_CACHE_HOME"] = os.path.join(tmp, ".helm-cache")
    env["HELM_CONFIG_HOME"] = os.path.join(tmp, ".helm-config")
    env["HELM_DATA_HOME"] = os.path.join(tmp, ".helm-data")
    env["LC_ALL"] = "C"
    # No kubeconfig and no pod: the namespace is helm's `default`.
    env["KUBECONFIG"] = os.path.join(tmp, "no-kubeconfig")
    env.pop("KUBERNETES_SERVICE_HOST", None)
    return env


def pack(tmp, src, dst):
    """tar+gzip directory tmp/src as dst, members under basename(src)/, deterministic."""
    src_dir = os.path.join(tmp, src)
    top = os.path.basename(src.rstrip("/"))
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tf:
        for root, dirs, files in os.walk(src_dir):
            dirs.sort()
            for fn in sorted(files):
                full = os.path.join(root, fn)
                rel = os.path.relpath(full, src_dir)
                data = open(full, "rb").read()
                ti = tarfile.TarInfo(top + "/" + rel.replace(os.sep, "/"))
                ti.size = len(data)
                ti.mtime = 0
                ti.mode = 0o644
                tf.addfile(ti, io.BytesIO(data))
    out = os.path.join(tmp, dst)
    os.makedirs(os.path.dirname(out) or tmp, exist_ok=True)
    with open(out, "wb") as f:
        f.write(gzip.compress(buf.getvalue(), mtime=0))
    shutil.rmtree(src_dir)


def materialize(tmp, spec):
    names = [f for f, _ in spec["files"]]
    stdin = None
    if spec["default_chart"]:
        extra = []
        if "c/Chart.yaml" not in names:
            extra.append(("c/Chart.yaml", DEFAULT_CHART_YAML))
        if not any(n.startswith("c/templates/") for n in names):
            extra.append(("c/templates/out.yaml", DEFAULT_TEMPLATE))
        spec = dict(spec, files=extra + spec["files"])
    for fname, text in spec["files"]:
        if fname == "<stdin>":
            stdin = text.encode("utf-8")
            continue
        p = os.path.join(tmp, fname)
        if fname.endswith("/"):
            os.makedirs(p, exist_ok=True)
            continue
        data = text.encode("utf-8")
        if fname.endswith(" (base64)"):
            # Binary content: the body is base64 (whitespace ignored).
            p = os.path.join(tmp, fname[: -len(" (base64)")])
            data = base64.b64decode("".join(text.split()))
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(data)
    for src, dst in spec["packs"]:
        pack(tmp, src, dst)
    for link, target in spec["links"]:
        p = os.path.join(tmp, link)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        os.symlink(target, p)
    return stdin


def snapshot(tmp):
    """{relative path: bytes} of every file under tmp (helm's own dirs excluded)."""
    out = {}
    for root, dirs, files in os.walk(tmp):
        dirs[:] = sorted(d for d in dirs if not (root == tmp and d.startswith(".helm-")))
        for fn in files:
            full = os.path.join(root, fn)
            if os.path.islink(full):
                continue
            with open(full, "rb") as f:
                out[os.path.relpath(full, tmp).replace(os.sep, "/")] = f.read()
    return out


LOCK_GENERATED = re.compile(rb'(?m)^generated: .*$')


def stable_file(path, data):
    """A written file without what changes from run to run: a chart archive
    as the list of its entries and their contents (no timestamps), a lock
    file's `generated` time. tests/chart_cases.rs does the same."""
    if path.endswith(".tgz"):
        out = [b"tgz:\n"]
        try:
            with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as t:
                for m in t.getmembers():
                    body = t.extractfile(m).read() if m.isfile() else b""
                    out.append(b"== %s %o %d\n" % (m.name.encode(), m.mode, len(body)))
                    out.append(body + b"\n")
        except (tarfile.TarError, OSError, EOFError):
            out.append(b"invalid: archive\n")
        return b"".join(out)
    if path.endswith("Chart.lock") or path.endswith("requirements.lock"):
        return LOCK_GENERATED.sub(b"generated: $TIME", data)
    return data


def run_case(helm, spec):
    if SUITE != "bad-input":
        return run_once(helm, spec)
    result = run_once(helm, spec)
    result["output_dir"] = run_once(helm, dict(spec, args=spec["args"] + ["--output-dir", "out"]))
    return result


def run_once(helm, spec):
    tmp = tempfile.mkdtemp(prefix="chartgen-charts-")
    try:
        stdin = materialize(tmp, spec)
        before = snapshot(tmp)
        args = spec["args"]
        if not args_positional(args):
            args = args + ["c"]
        p = subprocess.run([helm, "template"] + args, cwd=tmp, env=helm_env(tmp),
                           input=stdin if stdin is not None else b"",
                           capture_output=True, timeout=120)
        real = os.path.realpath(tmp)

        def norm(b):
            s = b.decode("utf-8", errors="replace")
            return s.replace(real, "$TMP").replace(tmp, "$TMP")
        result = {"exit": p.returncode, "stdout": norm(p.stdout), "stderr": norm(p.stderr)}
        after = snapshot(tmp)
        written = {k: norm(stable_file(k, v)) for k, v in sorted(after.items())
                   if before.get(k) != v}
        written.update({k: "(deleted)" for k in before if k not in after})
        if written:
            result["files"] = written
        return result
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# helm template flags that take a value (for finding positional arguments;
# tests/chart_cases.rs has the same list).
VALUE_FLAGS = {"-f", "--values", "--set", "--set-string", "--set-json", "--set-file",
               "--set-literal", "-n", "--namespace", "--kube-version", "-a",
               "--api-versions", "--name-template", "-s", "--show-only", "--output-dir",
               "--version", "--post-renderer", "--post-renderer-args", "-l", "--labels",
               "--description", "--timeout", "--ca-file", "--cert-file", "--key-file",
               "--keyring", "--password", "--username", "--repo", "--burst-limit",
               "--color", "--colour", "--content-cache", "--kube-apiserver",
               "--kube-as-group", "--kube-as-user", "--kube-ca-file", "--kube-context",
               "--kube-tls-server-name", "--kube-token", "--kubeconfig", "--qps",
               "--registry-config", "--repository-cache", "--repository-config"}


def args_positional(args):
    out = []
    skip = False
    for a in args:
        if skip:
            skip = False
            continue
        if a in VALUE_FLAGS:
            skip = True
            continue
        if a.startswith("-"):
            continue
        out.append(a)
    return out


def render_json(results):
    return json.dumps(results, indent=1, ensure_ascii=False) + "\n"


def main(argv):
    argv = list(argv)
    if "--suite" in argv:
        i = argv.index("--suite")
        if i + 1 >= len(argv):
            sys.exit("conformance-charts: --suite needs a name")
        set_suite(argv[i + 1])
        del argv[i:i + 2]
    check = "--check" in argv
    topics_args = [a for a in argv if not a.startswith("-") and a != "regen"]
    all_files = sorted(f for f in os.listdir(CASES_DIR) if f.endswith(".txt"))
    topics = all_files
    if topics_args:
        topics = []
        for a in topics_args:
            b = os.path.basename(a)
            b = b if b.endswith(".txt") else b + ".txt"
            if b not in all_files:
                sys.exit("conformance-charts: no case file %s" % b)
            topics.append(b)
    try:
        parsed = {t: parse_case_file(os.path.join(CASES_DIR, t)) for t in topics}
    except CaseFileError as e:
        sys.exit("conformance-charts: %s" % e)
    helm = find_helm()
    with concurrent.futures.ThreadPoolExecutor(max_workers=WORKERS) as ex:
        jobs = {(t, n): ex.submit(run_case, helm, s) for t in topics for n, s in parsed[t]
                if not s["chartgen_only"]}
        results = {t: {n: jobs[(t, n)].result() for n, s in parsed[t] if not s["chartgen_only"]}
                   for t in topics}
    total = sum(len(r) for r in results.values())
    if not check:
        os.makedirs(EXPECTED_DIR, exist_ok=True)
        for t in topics:
            with open(os.path.join(EXPECTED_DIR, t[:-4] + ".json"), "w", encoding="utf-8",
                      newline="") as f:
                f.write(render_json(results[t]))
        print("%s conformance: wrote %d cases in %d topics" % (SUITE, total, len(topics)))
        return 0
    bad = []
    for t in topics:
        path = os.path.join(EXPECTED_DIR, t[:-4] + ".json")
        try:
            committed = json.load(open(path, encoding="utf-8"))
        except (OSError, ValueError) as e:
            bad.append("%s: unreadable expected file (%s)" % (t, e))
            continue
        for name, got in results[t].items():
            if committed.get(name) != got:
                bad.append("%s/%s" % (t[:-4], name))
        for name in committed:
            if name not in results[t]:
                bad.append("%s/%s (stale)" % (t[:-4], name))
    for b in bad:
        print("DIFF %s" % b)
    if bad:
        print("%s conformance: %d of %d cases differ from helm" % (SUITE, len(bad), total))
        return 1
    print("%s conformance: %d cases match helm" % (SUITE, total))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
