#!/usr/bin/env python3
"""Chart fixtures: render goldens with real helm, check them, validate them.

Every values file fixtures/cases/<name>.yaml is rendered with

    helm template airflow chart/ -f fixtures/cases/<name>.yaml --namespace airflow

and helm's stdout is the golden fixtures/golden/<name>.yaml. Every values file
fixtures/invalid/<name>.yaml must make helm fail (schema violations, `fail`
guards); helm's exit code and stderr are stored in
fixtures/golden/invalid/<name>.txt.

Usage:
  scripts/fixtures.py [NAME ...]             regenerate goldens (all cases, or the named ones)
  scripts/fixtures.py --check [NAME ...]     re-render with helm and compare; exit 1 listing
                                             every difference, missing or orphaned golden
                                             (without NAME also: every schema default equals
                                             chart/values.yaml and every key is described)
  scripts/fixtures.py --validate [NAME ...]  validate goldens offline against the Kubernetes
                                             OpenAPI schemas of the chart's minimum Kubernetes
                                             version (kubernetes-validate --strict); exit 1 on
                                             any failure
  scripts/fixtures.py --lint                 `helm lint chart/`; exit 1 on errors

NAME is a case name (`defaults`), a file name or a path. helm is $HELM, else
`helm` on PATH, else the scripts/fetch-helm.sh default location; it must be
v4.1.4. --validate needs the PyPI package kubernetes-validate
(`pip install kubernetes-validate`).

Standard library only.
"""

import concurrent.futures
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHART = os.path.join(REPO, "chart")
FIXTURES = os.path.join(REPO, "fixtures")
CASES = os.path.join(FIXTURES, "cases")
INVALID = os.path.join(FIXTURES, "invalid")
GOLDEN = os.path.join(FIXTURES, "golden")
GOLDEN_INVALID = os.path.join(GOLDEN, "invalid")
HELM_VERSION = "v4.1.4"
RELEASE = "airflow"
NAMESPACE = "airflow"
WORKERS = 2
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def die(msg, code=2):
    print("fixtures: " + msg, file=sys.stderr)
    sys.exit(code)


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
        die("%s reports %r, need %s (run scripts/fetch-helm.sh and set HELM)"
            % (c, v, HELM_VERSION))
    die("no helm found; run scripts/fetch-helm.sh (or set HELM=/path/to/helm %s)"
        % HELM_VERSION)


def helm_env(tmp):
    """An environment isolated from the user's helm configuration."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HELM_")}
    env["HELM_CACHE_HOME"] = os.path.join(tmp, "cache")
    env["HELM_CONFIG_HOME"] = os.path.join(tmp, "config")
    env["HELM_DATA_HOME"] = os.path.join(tmp, "data")
    # No kubeconfig and no pod: the namespace is helm's `default`.
    env["KUBECONFIG"] = os.path.join(tmp, "no-kubeconfig")
    env.pop("KUBERNETES_SERVICE_HOST", None)
    return env


def min_kube_version():
    """The minimum Kubernetes version from chart/Chart.yaml's kubeVersion (">=1.30.0-0" -> "1.30.0")."""
    with open(os.path.join(CHART, "Chart.yaml"), encoding="utf-8") as f:
        for line in f:
            m = re.match(r'^kubeVersion:\s*"?>=\s*v?(\d+)\.(\d+)(?:\.(\d+))?', line)
            if m:
                return "%s.%s.%s" % (m.group(1), m.group(2), m.group(3) or "0")
    die("chart/Chart.yaml has no `kubeVersion: \">=X.Y.Z\"` line")


def list_cases(directory):
    if not os.path.isdir(directory):
        return []
    names = []
    for fn in sorted(os.listdir(directory)):
        if not fn.endswith(".yaml"):
            continue
        name = fn[:-len(".yaml")]
        if not NAME_RE.match(name):
            die("bad case file name %r (use [a-z0-9-])" % fn)
        names.append(name)
    return names


def select(names, wanted):
    if not wanted:
        return names
    out = []
    for w in wanted:
        stem = os.path.basename(w)
        for ext in (".yaml", ".txt"):
            if stem.endswith(ext):
                stem = stem[:-len(ext)]
        if stem not in names:
            die("no case named %r" % w)
        out.append(stem)
    return out


def render(helm, env, values_path):
    """Run helm template; return (exit code, stdout, stderr without helm's INFO log lines)."""
    cmd = [helm, "template", RELEASE, CHART, "-f", values_path, "--namespace", NAMESPACE]
    p = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=REPO, timeout=300)
    # helm logs the chart's values.schema.json symlink at INFO level with an absolute path.
    stderr = "".join(l for l in p.stderr.splitlines(True) if not l.startswith("level=INFO"))
    return p.returncode, p.stdout, stderr


def invalid_record(code, stderr):
    return "exit code: %d\n%s" % (code, stderr)


def run_all(jobs):
    with concurrent.futures.ThreadPoolExecutor(max_workers=WORKERS) as ex:
        return list(ex.map(lambda j: j(), jobs))


def read(path):
    try:
        with open(path, encoding="utf-8", newline="") as f:
            return f.read()
    except FileNotFoundError:
        return None


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


def outcomes(helm, env, valid, invalid):
    """Render every selected case; return [(kind, name, golden path, produced text or None, error)]."""
    def valid_job(name):
        def job():
            code, out, err = render(helm, env, os.path.join(CASES, name + ".yaml"))
            if code != 0:
                return ("valid", name, os.path.join(GOLDEN, name + ".yaml"), None,
                        "helm failed (exit %d):\n%s" % (code, err))
            return ("valid", name, os.path.join(GOLDEN, name + ".yaml"), out, None)
        return job

    def invalid_job(name):
        def job():
            code, _out, err = render(helm, env, os.path.join(INVALID, name + ".yaml"))
            path = os.path.join(GOLDEN_INVALID, name + ".txt")
            if code == 0:
                return ("invalid", name, path, None, "helm succeeded but the case must fail")
            return ("invalid", name, path, invalid_record(code, err), None)
        return job

    jobs = [valid_job(n) for n in valid] + [invalid_job(n) for n in invalid]
    return run_all(jobs)


def cmd_regen(helm, env, valid, invalid):
    failed = 0
    for kind, name, path, text, error in outcomes(helm, env, valid, invalid):
        if error:
            print("FAIL %s %s: %s" % (kind, name, error), file=sys.stderr)
            failed += 1
            continue
        if read(path) != text:
            write(path, text)
            print("wrote %s" % os.path.relpath(path, REPO))
    print("%d case(s) rendered, %d failed" % (len(valid) + len(invalid) - failed, failed))
    return 1 if failed else 0


def schema_problems(helm, env, tmp):
    """Compare schema/values.schema.json with the values helm actually loads from chart/values.yaml:
    every values key must be described, every schema default must equal the value."""
    chart = os.path.join(tmp, "chart-copy")
    shutil.copytree(CHART, chart, symlinks=False)
    write(os.path.join(chart, "templates", "zz-values-dump.yaml"),
          "{{- /* dump */ -}}\n# {{ .Values | toJson }}\n")
    p = subprocess.run([helm, "template", RELEASE, chart, "--namespace", NAMESPACE,
                        "--show-only", "templates/zz-values-dump.yaml"],
                       capture_output=True, text=True, env=env, timeout=300)
    if p.returncode != 0:
        return ["schema check: helm failed: %s" % p.stderr.strip()]
    line = [l for l in p.stdout.splitlines() if l.startswith("# {")][0]
    values = json.loads(line[2:])
    with open(os.path.join(REPO, "schema", "values.schema.json"), encoding="utf-8") as f:
        schema = json.load(f)
    out = []

    def walk(path, node, value):
        if "default" in node and node["default"] != value:
            out.append("schema default of %s is %s, values.yaml has %s"
                       % (path or "/", json.dumps(node["default"]), json.dumps(value)))
        props = node.get("properties")
        if props is None or not isinstance(value, dict):
            return
        for k, v in value.items():
            if k in props:
                walk(path + "/" + k, props[k], v)
            elif node.get("additionalProperties") is False:
                out.append("values.yaml key %s/%s is missing from the schema" % (path, k))
        for k, sub in props.items():
            if not sub.get("description"):
                out.append("schema property %s/%s has no description" % (path, k))

    walk("", schema, values)
    return out


def cmd_check(helm, env, valid, invalid, full, tmp):
    problems = []
    orphans = []
    if full:
        orphans.extend(schema_problems(helm, env, tmp))
    for kind, name, path, text, error in outcomes(helm, env, valid, invalid):
        rel = os.path.relpath(path, REPO)
        if error:
            problems.append("%s: %s" % (rel, error))
            continue
        old = read(path)
        if old is None:
            problems.append("%s: missing (run scripts/fixtures.py %s)" % (rel, name))
        elif old != text:
            diff = difflib.unified_diff(old.splitlines(True), text.splitlines(True),
                                        rel + " (golden)", rel + " (helm now)", n=2)
            problems.append("%s: differs\n%s" % (rel, "".join(list(diff)[:80])))
    if full:
        for fn in sorted(os.listdir(GOLDEN)) if os.path.isdir(GOLDEN) else []:
            if fn.endswith(".yaml") and fn[:-5] not in valid:
                orphans.append("fixtures/golden/%s: orphan (no fixtures/cases/%s)" % (fn, fn))
        for fn in sorted(os.listdir(GOLDEN_INVALID)) if os.path.isdir(GOLDEN_INVALID) else []:
            if fn.endswith(".txt") and fn[:-4] not in invalid:
                orphans.append("fixtures/golden/invalid/%s: orphan (no fixtures/invalid/%s)"
                               % (fn, fn[:-4] + ".yaml"))
    for p in problems + orphans:
        print(p)
    total = len(valid) + len(invalid)
    print("%d passed, %d failed" % (total - len(problems), len(problems) + len(orphans)))
    return 1 if problems or orphans else 0


def cmd_validate(valid):
    version = min_kube_version()
    try:
        import kubernetes_validate  # noqa: F401
    except ImportError:
        die("the PyPI package kubernetes-validate is needed: pip install kubernetes-validate")
    paths = []
    for name in valid:
        path = os.path.join(GOLDEN, name + ".yaml")
        if not os.path.isfile(path):
            die("missing golden %s (run scripts/fixtures.py first)" % os.path.relpath(path, REPO))
        paths.append(path)
    failed = []
    checked = 0
    with tempfile.TemporaryDirectory(prefix="fixtures-validate-") as tmp:
        for path in paths:
            targets = [path]
            # The KubernetesExecutor pod template is a Pod inside a ConfigMap: validate it too.
            for i, pod in enumerate(embedded_pod_templates(read(path))):
                extra = os.path.join(tmp, "%s.pod-template-%d.yaml"
                                     % (os.path.basename(path)[:-5], i))
                write(extra, pod)
                targets.append(extra)
            for target in targets:
                checked += 1
                p = subprocess.run([sys.executable, "-m", "kubernetes_validate", "--strict",
                                    "--kubernetes-version", version, "--quiet", target],
                                   capture_output=True, text=True, timeout=600)
                if p.returncode != 0:
                    failed.append((path if target == path else target,
                                   (p.stdout + p.stderr).strip()))
    for path, out in failed:
        print("%s:\n%s" % (os.path.relpath(path, REPO), out))
    print("kubernetes %s (strict): %d passed, %d failed (%d goldens, %d embedded pod templates)"
          % (version, checked - len(failed), len(failed), len(paths), checked - len(paths)))
    return 1 if failed else 0


def embedded_pod_templates(text):
    """Return the pod_template_file.yaml block scalars of a rendered manifest, dedented."""
    out = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        m = re.match(r"^( *)pod_template_file\.yaml: \|-?$", lines[i])
        i += 1
        if not m:
            continue
        indent = len(m.group(1)) + 2
        body = []
        while i < len(lines) and (lines[i].strip() == "" or
                                  len(lines[i]) - len(lines[i].lstrip(" ")) >= indent):
            body.append(lines[i][indent:])
            i += 1
        out.append("\n".join(body).rstrip("\n") + "\n")
    return out


def cmd_lint(helm, env):
    p = subprocess.run([helm, "lint", CHART], capture_output=True, text=True, env=env,
                       cwd=REPO, timeout=300)
    out = "".join(l for l in (p.stdout + p.stderr).splitlines(True)
                  if not l.startswith("level=INFO"))
    print(out.rstrip())
    return 0 if p.returncode == 0 and "[ERROR]" not in out else 1


def main(argv):
    mode = "regen"
    args = []
    for a in argv:
        if a in ("--check", "--validate", "--lint"):
            if mode != "regen":
                die("give only one of --check, --validate, --lint")
            mode = a[2:]
        elif a in ("-h", "--help"):
            print(__doc__)
            return 0
        elif a.startswith("-"):
            die("unknown option %s" % a)
        else:
            args.append(a)
    all_valid = list_cases(CASES)
    all_invalid = list_cases(INVALID)
    overlap = set(all_valid) & set(all_invalid)
    if overlap:
        die("names used by both cases/ and invalid/: %s" % ", ".join(sorted(overlap)))
    if args:
        chosen = select(all_valid + all_invalid, args)
        valid = [n for n in chosen if n in all_valid]
        invalid = [n for n in chosen if n in all_invalid]
    else:
        valid, invalid = all_valid, all_invalid
    if mode == "validate":
        return cmd_validate(valid)
    helm = find_helm()
    with tempfile.TemporaryDirectory(prefix="fixtures-helm-") as tmp:
        env = helm_env(tmp)
        if mode == "lint":
            return cmd_lint(helm, env)
        if mode == "check":
            return cmd_check(helm, env, valid, invalid, full=not args, tmp=tmp)
        return cmd_regen(helm, env, valid, invalid)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
