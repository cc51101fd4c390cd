//! Chart conformance (`tests/conformance/charts/`): tiny charts with values
//! files and flags, compared with what real helm v4.1.4 printed for
//! `helm template` (recorded by `scripts/conformance-charts.py`).
//!
//! Until the full render pipeline (`chartgen_helm::render`) lands, each case
//! runs through a small pipeline built from the chart modules (load, user
//! values, dependency processing, coalescing, schema validation, built-in
//! objects, per-chart scopes) and the engine (`engine::render`, with helm's
//! and sprig's functions); output assembly is simplified, so documents are
//! compared as a set of (`# Source:`, body) pairs, stderr exactly.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use chartgen_helm::capabilities::{Capabilities, KubeVersion};
use chartgen_helm::coalesce::{self, Warnings};
use chartgen_helm::objects::{self, ReleaseOptions};
use chartgen_helm::values::UserValues;
use chartgen_helm::{deps, loader, schema};

const DEFAULT_CHART_YAML: &str = "apiVersion: v2\nname: c\nversion: 0.1.0\n";
const DEFAULT_TEMPLATE: &str = "v: {{ toJson .Values }}\n";

#[derive(Default, Debug)]
struct Spec {
    args: Vec<String>,
    files: Vec<(String, String)>,
    packs: Vec<(String, String)>,
    links: Vec<(String, String)>,
    default_chart: bool,
}

fn parse_cases(text: &str) -> Vec<(String, Spec)> {
    let mut lines: Vec<&str> = text.split('\n').collect();
    if lines.last() == Some(&"") {
        lines.pop();
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() && !lines[i].starts_with("=== ") {
        i += 1;
    }
    while i < lines.len() {
        let name = lines[i][4..].to_string();
        i += 1;
        let mut spec = Spec {
            default_chart: true,
            ..Default::default()
        };
        while i < lines.len() && !lines[i].starts_with("--- ") && !lines[i].starts_with("=== ") {
            let l = lines[i];
            if let Some(a) = l.strip_prefix("args:") {
                spec.args = shell_split(a);
            } else if let Some(p) = l.strip_prefix("pack:") {
                let (a, b) = p.split_once("->").unwrap();
                spec.packs.push((a.trim().into(), b.trim().into()));
            } else if let Some(p) = l.strip_prefix("link:") {
                let (a, b) = p.split_once("->").unwrap();
                spec.links.push((a.trim().into(), b.trim().into()));
            } else if l.trim() == "no-default-chart" {
                spec.default_chart = false;
            }
            i += 1;
        }
        while i < lines.len() && lines[i].starts_with("--- ") {
            let mut fname = lines[i][4..].trim().to_string();
            i += 1;
            let start = i;
            while i < lines.len() && !lines[i].starts_with("--- ") && !lines[i].starts_with("=== ")
            {
                i += 1;
            }
            let body = &lines[start..i];
            let mut text = body.join("\n");
            if !body.is_empty() {
                text.push('\n');
            }
            if let Some(f) = fname.strip_suffix(" (noeol)") {
                fname = f.to_string();
                if text.ends_with('\n') {
                    text.pop();
                }
            }
            spec.files.push((fname, text));
        }
        out.push((name, spec));
    }
    out
}

/// POSIX shell word splitting as Python's `shlex.split`.
fn shell_split(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                for d in chars.by_ref() {
                    if d == '\'' {
                        break;
                    }
                    cur.push(d);
                }
            }
            '"' => {
                in_word = true;
                while let Some(d) = chars.next() {
                    match d {
                        '"' => break,
                        '\\' => match chars.peek() {
                            Some(&n) if matches!(n, '"' | '\\' | '$' | '`') => {
                                cur.push(n);
                                chars.next();
                            }
                            _ => cur.push('\\'),
                        },
                        d => cur.push(d),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        out.push(cur);
    }
    out
}

fn pack(tmp: &Path, src: &str, dst: &str) {
    let src_dir = tmp.join(src);
    let top = Path::new(src.trim_end_matches('/'))
        .file_name()
        .unwrap()
        .to_string_lossy()
        .to_string();
    let mut files = Vec::new();
    fn walk(d: &Path, base: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        let mut ents: Vec<_> = fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        ents.sort();
        for p in ents {
            if p.is_dir() {
                walk(&p, base, out);
            } else {
                let rel = p.strip_prefix(base).unwrap().to_string_lossy().to_string();
                out.push((rel, fs::read(&p).unwrap()));
            }
        }
    }
    walk(&src_dir, &src_dir, &mut files);
    let mut tarball = Vec::new();
    {
        let mut b = tar::Builder::new(&mut tarball);
        for (rel, data) in &files {
            let mut h = tar::Header::new_gnu();
            h.set_size(data.len() as u64);
            h.set_mode(0o644);
            h.set_mtime(0);
            h.set_cksum();
            b.append_data(&mut h, format!("{top}/{rel}"), &data[..])
                .unwrap();
        }
        b.finish().unwrap();
    }
    let out = tmp.join(dst);
    fs::create_dir_all(out.parent().unwrap()).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&tarball).unwrap();
    fs::write(&out, gz.finish().unwrap()).unwrap();
    fs::remove_dir_all(&src_dir).unwrap();
}

fn materialize(tmp: &Path, spec: &Spec) -> Option<Vec<u8>> {
    let mut files = spec.files.clone();
    if spec.default_chart {
        let mut extra = Vec::new();
        if !files.iter().any(|(n, _)| n == "c/Chart.yaml") {
            extra.push(("c/Chart.yaml".to_string(), DEFAULT_CHART_YAML.to_string()));
        }
        if !files.iter().any(|(n, _)| n.starts_with("c/templates/")) {
            extra.push((
                "c/templates/out.yaml".to_string(),
                DEFAULT_TEMPLATE.to_string(),
            ));
        }
        extra.extend(files);
        files = extra;
    }
    let mut stdin = None;
    for (name, text) in &files {
        if name == "<stdin>" {
            stdin = Some(text.as_bytes().to_vec());
            continue;
        }
        let p = tmp.join(name);
        if name.ends_with('/') {
            fs::create_dir_all(&p).unwrap();
            continue;
        }
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, text.as_bytes()).unwrap();
    }
    for (src, dst) in &spec.packs {
        pack(tmp, src, dst);
    }
    for (link, target) in &spec.links {
        let p = tmp.join(link);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(target, &p).unwrap();
    }
    stdin
}

struct Outcome {
    exit: i64,
    stdout: String,
    stderr: String,
}

/// The pipeline `helm template` runs, built from the chart modules.
fn run_pipeline(tmp: &Path, spec: &Spec, stdin: Option<Vec<u8>>) -> Outcome {
    let mut log = Warnings::new();
    let fail = |log: &Warnings, msg: String| Outcome {
        exit: 1,
        stdout: String::new(),
        stderr: format!("{}Error: {msg}\n", log.render()),
    };
    let mut uv = UserValues::new().with_base_dir(tmp);
    if let Some(s) = stdin {
        uv = uv.with_stdin(s);
    }
    let mut positional = Vec::new();
    let mut namespace = "default".to_string();
    let mut kube = None;
    let mut apis: Vec<String> = Vec::new();
    let mut is_upgrade = false;
    let mut skip_schema = false;
    let mut it = spec.args.iter();
    while let Some(a) = it.next() {
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (a.clone(), None),
        };
        let mut val = || {
            inline
                .clone()
                .or_else(|| it.next().cloned())
                .unwrap_or_default()
        };
        match flag.as_str() {
            "-f" | "--values" => {
                for f in val().split(',') {
                    uv.value_files.push(f.to_string());
                }
            }
            "--set" => uv.values.push(val()),
            "--set-string" => uv.string_values.push(val()),
            "--set-json" => uv.json_values.push(val()),
            "--set-file" => uv.file_values.push(val()),
            "--set-literal" => uv.literal_values.push(val()),
            "-n" | "--namespace" => namespace = val(),
            "--kube-version" => {
                let v = val();
                match KubeVersion::parse(&v) {
                    Ok(k) => kube = Some(k),
                    Err(e) => return fail(&log, format!("invalid kube version '{v}': {e}")),
                }
            }
            "-a" | "--api-versions" => apis.extend(val().split(',').map(str::to_string)),
            "--is-upgrade" => is_upgrade = true,
            "--skip-schema-validation" => skip_schema = true,
            _ if !a.starts_with('-') => positional.push(a.clone()),
            _ => {}
        }
    }
    let (name, chart_arg) = match positional.as_slice() {
        [c] => ("release-name".to_string(), c.clone()),
        [n, c, ..] => (n.clone(), c.clone()),
        [] => ("release-name".to_string(), "c".to_string()),
    };
    let user = match chartgen_helm::values::merge_user_values(&uv) {
        Ok(v) => v,
        Err(e) => return fail(&log, e.message),
    };
    let mut chart = match loader::load_logged(tmp.join(&chart_arg), &mut log) {
        Ok(c) => c,
        Err(e) => return fail(&log, e.message),
    };
    if let Err(e) = deps::preflight(&chart, &mut log) {
        return fail(&log, e.0);
    }
    if let Err(e) = deps::process_dependencies_logged(&mut chart, &user, &mut log) {
        return fail(&log, e.0);
    }
    let coalesced = match coalesce::coalesce_values_logged(&chart, &user, &mut log) {
        Ok(v) => v,
        Err(e) => return fail(&log, e.0),
    };
    if !skip_schema {
        if let Err(e) = schema::validate(&chart, &coalesced) {
            return fail(&log, e.to_string());
        }
    }
    let caps = Capabilities::for_template(kube, &apis);
    let opts = ReleaseOptions::for_template(&name, &namespace, is_upgrade);
    let top = objects::render_values(&chart, &coalesced, &opts, &caps);
    let scopes = objects::chart_scopes(&chart, &top);

    let mut sources = Vec::new();
    for s in &scopes {
        for (n, t) in &s.templates {
            sources.push(chartgen_helm::engine::TemplateSource {
                name: n.clone(),
                text: t.clone(),
                scope: s.scope.clone(),
                base_path: s.base_path.clone(),
            });
        }
    }
    let rendered = match chartgen_helm::engine::render(
        &sources,
        &chartgen_helm::engine::EngineOptions::default(),
    ) {
        Ok(r) => r,
        Err(e) => {
            return fail(
                &log,
                format!(
                    "{}\n\nUse --debug flag to render out invalid YAML",
                    e.message
                ),
            )
        }
    };
    let mut docs = Vec::new();
    for (n, out) in &rendered {
        if n.ends_with("NOTES.txt") {
            continue;
        }
        let body = out.trim();
        if !body.is_empty() {
            docs.push(format!("---\n# Source: {n}\n{body}\n"));
        }
    }
    Outcome {
        exit: 0,
        stdout: docs.concat(),
        stderr: log.render(),
    }
}

fn doc_set(stdout: &str) -> Vec<String> {
    let mut v: Vec<String> = stdout
        .split("---\n# Source: ")
        .filter(|s| !s.is_empty())
        .map(|s| s.to_string())
        .collect();
    v.sort();
    v
}

fn tmpdir() -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let d = std::env::temp_dir().join(format!(
        "chartgen-charts-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn charts_conformance() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance/charts");
    let mut topics: Vec<PathBuf> = fs::read_dir(dir.join("cases"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    topics.sort();
    let only = std::env::var("CASE").ok();
    let (mut total, mut failures) = (0, Vec::new());
    for path in topics {
        let topic = path.file_stem().unwrap().to_string_lossy().to_string();
        let expected: BTreeMap<String, serde_json::Value> = serde_json::from_str(
            &fs::read_to_string(dir.join("expected").join(format!("{topic}.json"))).unwrap(),
        )
        .unwrap();
        for (name, spec) in parse_cases(&fs::read_to_string(&path).unwrap()) {
            if only.as_deref().is_some_and(|o| o != name) {
                continue;
            }
            total += 1;
            let Some(exp) = expected.get(&name) else {
                failures.push(format!("{topic}/{name}: no expected output"));
                continue;
            };
            let tmp = tmpdir();
            let stdin = materialize(&tmp, &spec);
            let got = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                run_pipeline(&tmp, &spec, stdin)
            }))
            .unwrap_or_else(|_| Outcome {
                exit: -1,
                stdout: String::new(),
                stderr: "PANIC".into(),
            });
            let real = fs::canonicalize(&tmp)
                .unwrap()
                .to_string_lossy()
                .to_string();
            let norm = |s: &str| {
                s.replace(&real, "$TMP")
                    .replace(&*tmp.to_string_lossy(), "$TMP")
            };
            let _ = fs::remove_dir_all(&tmp);
            let (ee, eo, es) = (
                exp["exit"].as_i64().unwrap(),
                exp["stdout"].as_str().unwrap(),
                exp["stderr"].as_str().unwrap(),
            );
            let (go, gs) = (norm(&got.stdout), norm(&got.stderr));
            if got.exit != ee || doc_set(&go) != doc_set(eo) || gs != es {
                failures.push(format!(
                    "{topic}/{name}:\n  want exit {ee} stdout {eo:?} stderr {es:?}\n  got  exit {} stdout {go:?} stderr {gs:?}",
                    got.exit
                ));
            }
        }
    }
    let passed = total - failures.len();
    eprintln!("charts conformance: {passed} of {total} cases match helm");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
