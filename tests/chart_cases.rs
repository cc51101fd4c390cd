//! The chart-case suites (`conformance/charts/`, `conformance/template/`):
//! tiny charts, values files and `helm template` arguments, each run through
//! `chartgen template` exactly as the binary runs it
//! ([`chartgen::run_template`], in the case directory, with the case's
//! stdin) and compared byte for byte with what real helm v4.1.4 printed
//! (stdout, stderr, exit code) and wrote (files created or changed in the
//! case directory, e.g. by `--output-dir`). Expected outputs are recorded by
//! `scripts/conformance-charts.py --suite SUITE`; the case format is in
//! `conformance/charts/README.md`.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

const DEFAULT_CHART_YAML: &str = "apiVersion: v2\nname: c\nversion: 0.1.0\n";
const DEFAULT_TEMPLATE: &str = "v: {{ toJson .Values }}\n";

/// helm template flags that take a value (the same list as the script's).
const VALUE_FLAGS: &[&str] = &[
    "-f",
    "--values",
    "--set",
    "--set-string",
    "--set-json",
    "--set-file",
    "--set-literal",
    "-n",
    "--namespace",
    "--kube-version",
    "-a",
    "--api-versions",
    "--name-template",
    "-s",
    "--show-only",
    "--output-dir",
    "--version",
    "--post-renderer",
    "--post-renderer-args",
    "-l",
    "--labels",
    "--description",
    "--timeout",
    "--ca-file",
    "--cert-file",
    "--key-file",
    "--keyring",
    "--password",
    "--username",
    "--repo",
    "--burst-limit",
    "--color",
    "--colour",
    "--content-cache",
    "--kube-apiserver",
    "--kube-as-group",
    "--kube-as-user",
    "--kube-ca-file",
    "--kube-context",
    "--kube-tls-server-name",
    "--kube-token",
    "--kubeconfig",
    "--qps",
    "--registry-config",
    "--repository-cache",
    "--repository-config",
];

#[derive(Default, Debug, Clone)]
pub struct Spec {
    pub args: Vec<String>,
    pub files: Vec<(String, String)>,
    pub packs: Vec<(String, String)>,
    pub links: Vec<(String, String)>,
    pub default_chart: bool,
    /// `chartgen-only: WHY` with `exit: N` and `stderr: LINE` lines: a case
    /// helm is not run for (a limit helm lacks, or one where helm crashes);
    /// chartgen's expected outcome is written in the case.
    pub chartgen_only: Option<ChartgenOnly>,
}

/// chartgen's own expectation for a `chartgen-only` case.
#[derive(Default, Debug, Clone)]
pub struct ChartgenOnly {
    pub reason: String,
    pub exit: i64,
    /// The `stderr:` lines (or `stderr-end:` lines), each ending with a newline.
    pub stderr: String,
    /// Given as `stderr-end:`: stderr must end with [`ChartgenOnly::stderr`]
    /// (for messages too long to write out).
    pub stderr_is_suffix: bool,
    /// The `stdout:` lines, each ending with a newline.
    pub stdout: String,
}

pub fn parse_cases(text: &str) -> Vec<(String, Spec)> {
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
            } else if let Some(r) = l.strip_prefix("chartgen-only:") {
                spec.chartgen_only
                    .get_or_insert_with(Default::default)
                    .reason = r.trim().into();
            } else if let Some(n) = l.strip_prefix("exit:") {
                spec.chartgen_only.get_or_insert_with(Default::default).exit =
                    n.trim().parse().expect("exit: a number");
            } else if let Some(e) = l.strip_prefix("stderr:") {
                let c = spec.chartgen_only.get_or_insert_with(Default::default);
                c.stderr.push_str(e.strip_prefix(' ').unwrap_or(e));
                c.stderr.push('\n');
            } else if let Some(o) = l.strip_prefix("stdout:") {
                let c = spec.chartgen_only.get_or_insert_with(Default::default);
                c.stdout.push_str(o.strip_prefix(' ').unwrap_or(o));
                c.stdout.push('\n');
            } else if let Some(e) = l.strip_prefix("stderr-end:") {
                let c = spec.chartgen_only.get_or_insert_with(Default::default);
                c.stderr.push_str(e.strip_prefix(' ').unwrap_or(e));
                c.stderr.push('\n');
                c.stderr_is_suffix = true;
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
            if let Some(f) = fname.strip_suffix(" (expand)") {
                fname = f.to_string();
                text = expand(&text);
            }
            spec.files.push((fname, text));
        }
        out.push((name, spec));
    }
    out
}

/// `<<<N:TEXT>>>` stands for TEXT repeated N times (inputs too large to
/// write out: deep nesting, long lines).
pub fn expand(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find("<<<") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 3..];
        let parsed = after.split_once(':').and_then(|(n, tail)| {
            let n: usize = n.parse().ok()?;
            let (body, tail) = tail.split_once(">>>")?;
            Some((n, body, tail))
        });
        match parsed {
            Some((n, body, tail)) => {
                out.push_str(&body.repeat(n));
                rest = tail;
            }
            None => {
                out.push_str("<<<");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// POSIX shell word splitting as Python's `shlex.split`.
pub fn shell_split(s: &str) -> Vec<String> {
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

/// The positional arguments, as the script finds them.
fn has_positional(args: &[String]) -> bool {
    let mut skip = false;
    for a in args {
        if skip {
            skip = false;
            continue;
        }
        if VALUE_FLAGS.contains(&a.as_str()) {
            skip = true;
            continue;
        }
        if a.starts_with('-') {
            continue;
        }
        return true;
    }
    false
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

/// Writes the case's files; returns what stdin holds.
pub fn materialize(tmp: &Path, spec: &Spec) -> Vec<u8> {
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
    let mut stdin = Vec::new();
    for (name, text) in &files {
        if name == "<stdin>" {
            stdin = text.as_bytes().to_vec();
            continue;
        }
        let p = tmp.join(name);
        if name.ends_with('/') {
            fs::create_dir_all(&p).unwrap();
            continue;
        }
        if let Some(name) = name.strip_suffix(" (base64)") {
            // Binary content: the body is base64 (whitespace ignored).
            use base64::Engine as _;
            let p = tmp.join(name);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            let b64: String = text.split_whitespace().collect();
            let data = base64::engine::general_purpose::STANDARD
                .decode(b64)
                .expect("base64 file body");
            fs::write(&p, data).unwrap();
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

/// Every regular file under `dir` (symlinks skipped), by relative path.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(d: &Path, base: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        let Ok(rd) = fs::read_dir(d) else { return };
        for e in rd.flatten() {
            let p = e.path();
            let Ok(meta) = fs::symlink_metadata(&p) else {
                continue;
            };
            if meta.file_type().is_symlink() {
                continue;
            }
            if meta.is_dir() {
                walk(&p, base, out);
            } else if let Ok(data) = fs::read(&p) {
                let rel = p.strip_prefix(base).unwrap().to_string_lossy().to_string();
                out.insert(rel, data);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// A written file without what changes from run to run (as
/// scripts/conformance-charts.py does): a chart archive as the list of its
/// entries and their contents, a lock file's `generated` time.
fn stable_file(path: &str, data: &[u8]) -> Vec<u8> {
    if path.ends_with(".tgz") {
        let mut out = b"tgz:\n".to_vec();
        let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(data));
        let entries = archive.entries().and_then(|es| {
            es.map(|e| {
                let mut e = e?;
                let name = e.path()?.to_string_lossy().into_owned();
                let mode = e.header().mode()?;
                let mut body = Vec::new();
                if e.header().entry_type().is_file() {
                    std::io::Read::read_to_end(&mut e, &mut body)?;
                }
                Ok((name, mode, body))
            })
            .collect::<std::io::Result<Vec<_>>>()
        });
        match entries {
            Ok(list) => {
                for (name, mode, body) in list {
                    out.extend(format!("== {name} {mode:o} {}\n", body.len()).as_bytes());
                    out.extend(body);
                    out.push(b'\n');
                }
            }
            Err(_) => out.extend(b"invalid: archive\n"),
        }
        return out;
    }
    if path.ends_with("Chart.lock") || path.ends_with("requirements.lock") {
        let text = String::from_utf8_lossy(data);
        let lines: Vec<String> = text
            .split('\n')
            .map(|l| {
                if l.starts_with("generated: ") {
                    "generated: $TIME".to_string()
                } else {
                    l.to_string()
                }
            })
            .collect();
        return lines.join("\n").into_bytes();
    }
    data.to_vec()
}

/// What a case produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub exit: i64,
    pub stdout: String,
    pub stderr: String,
    pub files: BTreeMap<String, String>,
}

fn tmpdir(suite: &str) -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let d = std::env::temp_dir().join(format!(
        "chartgen-{suite}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).unwrap();
    d
}

/// Runs `chartgen template ARGS` in `cwd` with `stdin`.
pub type Runner<'a> = &'a (dyn Fn(&[String], &Path, Vec<u8>) -> chartgen::Outcome + Sync);

/// Runs `chartgen template` in-process, as the binary does.
pub fn run_in_process(args: &[String], cwd: &Path, stdin: Vec<u8>) -> chartgen::Outcome {
    let mut input = std::io::Cursor::new(stdin);
    let mut env = chartgen::Env {
        cwd: cwd.to_path_buf(),
        stdin: &mut input,
    };
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        chartgen::run_template(args, &mut env)
    }))
    .unwrap_or_else(|_| chartgen::Outcome {
        exit: -1,
        stdout: String::new(),
        stderr: "PANIC".into(),
        ..Default::default()
    })
}

/// Runs one case through `chartgen template` in a fresh directory.
pub fn run_case(suite: &str, spec: &Spec) -> Outcome {
    run_case_with(suite, spec, &[], &run_in_process)
}

/// [`run_case`] with `extra` arguments appended and another way to run.
pub fn run_case_with(suite: &str, spec: &Spec, extra: &[&str], run: Runner<'_>) -> Outcome {
    let tmp = tmpdir(suite);
    let stdin = materialize(&tmp, spec);
    let before = snapshot(&tmp);
    let mut args = spec.args.clone();
    args.extend(extra.iter().map(|a| a.to_string()));
    if !has_positional(&args) {
        args.push("c".to_string());
    }
    let got = run(&args, &tmp, stdin);
    let real = fs::canonicalize(&tmp)
        .unwrap()
        .to_string_lossy()
        .to_string();
    let shown = tmp.to_string_lossy().to_string();
    let norm = |s: &str| s.replace(&real, "$TMP").replace(&shown, "$TMP");
    let after = snapshot(&tmp);
    let deleted: Vec<String> = before
        .keys()
        .filter(|k| !after.contains_key(*k))
        .cloned()
        .collect();
    let mut files: BTreeMap<String, String> = after
        .into_iter()
        .filter(|(k, v)| before.get(k) != Some(v))
        .map(|(k, v)| {
            let v = stable_file(&k, &v);
            (k, norm(&String::from_utf8_lossy(&v)))
        })
        .collect();
    files.extend(deleted.into_iter().map(|k| (k, "(deleted)".to_string())));
    let _ = fs::remove_dir_all(&tmp);
    Outcome {
        exit: got.exit as i64,
        stdout: norm(&got.stdout),
        stderr: norm(&got.stderr),
        files,
    }
}

pub fn expected_outcome(v: &serde_json::Value) -> Outcome {
    Outcome {
        exit: v["exit"].as_i64().unwrap(),
        stdout: v["stdout"].as_str().unwrap().to_string(),
        stderr: v["stderr"].as_str().unwrap().to_string(),
        files: v
            .get("files")
            .and_then(|f| f.as_object())
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// A readable account of how `got` differs from `want`.
pub fn describe(want: &Outcome, got: &Outcome) -> String {
    let mut s = String::new();
    if want.exit != got.exit {
        s.push_str(&format!("  exit: want {} got {}\n", want.exit, got.exit));
    }
    for (what, w, g) in [
        ("stdout", &want.stdout, &got.stdout),
        ("stderr", &want.stderr, &got.stderr),
    ] {
        if w != g {
            s.push_str(&format!("  {what}:\n    want {w:?}\n    got  {g:?}\n"));
        }
    }
    if want.files != got.files {
        s.push_str(&format!(
            "  files:\n    want {:?}\n    got  {:?}\n",
            want.files, got.files
        ));
    }
    s
}

/// Runs every case of `conformance/SUITE/` (or only `$CASE`) and panics
/// listing each one that differs from helm, unless it is a listed known
/// difference (which must still differ).
pub fn run_chart_suite(suite: &str) {
    run_chart_suite_with(suite, &run_in_process)
}

/// [`run_chart_suite`], each case run by `run`.
pub fn run_chart_suite_with(suite: &str, run: Runner<'_>) {
    let dir = crate::suite_dir(suite);
    let mut topics: Vec<PathBuf> = fs::read_dir(dir.join("cases"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    topics.sort();
    let only = std::env::var("CASE").ok();
    let known = crate::known_differences();
    let mut jobs = Vec::new();
    for path in topics {
        let topic = path.file_stem().unwrap().to_string_lossy().to_string();
        let expected: BTreeMap<String, serde_json::Value> = serde_json::from_str(
            &fs::read_to_string(dir.join("expected").join(format!("{topic}.json")))
                .unwrap_or_else(|e| panic!("{suite}/expected/{topic}.json: {e}")),
        )
        .unwrap();
        for (name, spec) in parse_cases(&fs::read_to_string(&path).unwrap()) {
            if only.as_deref().is_some_and(|o| o != name) {
                continue;
            }
            let exp = expected.get(&name).map(expected_outcome);
            jobs.push((topic.clone(), name, spec, exp));
        }
    }
    let total = jobs.len();
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(4)
        .clamp(1, 8);
    let chunk = total.div_ceil(threads).max(1);
    let results: Vec<(String, Option<String>)> = std::thread::scope(|s| {
        let handles: Vec<_> = jobs
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    part.iter()
                        .map(|(topic, name, spec, exp)| {
                            let id = format!("{suite}/{topic}/{name}");
                            let Some(exp) = exp else {
                                return (id, Some("  no expected output recorded\n".to_string()));
                            };
                            let got = run_case_with(suite, spec, &[], run);
                            let diff = (got != *exp).then(|| describe(exp, &got));
                            (id, diff)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    let mut failures = Vec::new();
    let matching = results.iter().filter(|(_, d)| d.is_none()).count();
    for (id, diff) in results {
        let listed = known.contains(&id);
        match diff {
            Some(d) if !listed => failures.push(format!("{id}:\n{d}")),
            None if listed => failures.push(format!(
                "{id}: listed in known-differences.txt but now matches helm; remove it"
            )),
            _ => {}
        }
    }
    eprintln!(
        "{suite} conformance: {matching} of {total} cases match helm byte for byte ({} known differences)",
        total - matching - failures.iter().filter(|f| !f.contains("now matches")).count()
    );
    assert!(total > 0, "no cases found");
    assert!(
        failures.is_empty(),
        "{} of {total} cases differ from helm:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
