//! Snapshot suites for charts: a YAML manifest lists cases (values files,
//! `--set` flags, release, namespace, Kubernetes version, API versions, a
//! seed and a frozen clock) and the golden file each case's `chartgen
//! template` output must equal. [`check`] renders every case and compares
//! (mismatches, missing goldens, and orphans: goldens no case produces);
//! [`update`] rewrites the goldens that changed, atomically.
//!
//! The chart is loaded once by the caller ([`LoadedChart`]) and rendered
//! once per case, cases in parallel on `jobs` threads; results come back in
//! manifest order whatever the scheduling.
//!
//! What this crate is not: it does not load charts from repositories, does
//! not parse command lines or print (the `chartgen` CLI does), and it never
//! produces helm's goldens — goldens made by real helm (as this repository's
//! `fixtures/golden`) stay helm's; `update` is for goldens the suite owns.

pub mod diff;
pub mod junit;
pub mod manifest;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chartgen_helm::action::{LoadedChart, TemplateOptions};
use chartgen_helm::capabilities::KubeVersion;
use chartgen_helm::coalesce::Warnings;
use chartgen_helm::values::{merge_user_values, UserValues};
use chartgen_sprig::Determinism;

pub use manifest::{Case, ManifestError, Suite};

/// What one case came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// The render equals the golden.
    Pass,
    /// The render differs from the golden (check), or the golden was
    /// rewritten (update).
    Changed { golden: String, rendered: String },
    /// The golden does not exist (check), or was created (update).
    Missing { rendered: String },
    /// The case could not be rendered, or its golden not read or written.
    Error(String),
}

/// One case's result.
#[derive(Clone, Debug)]
pub struct CaseResult {
    pub name: String,
    pub golden: PathBuf,
    pub status: Status,
    pub time: Duration,
}

/// A run over a whole suite.
#[derive(Clone, Debug)]
pub struct Report {
    /// In manifest order.
    pub cases: Vec<CaseResult>,
    /// Files in a golden directory, matching the golden pattern, that no
    /// case produces (sorted).
    pub orphans: Vec<PathBuf>,
    pub time: Duration,
}

impl Report {
    pub fn passed(&self) -> usize {
        self.cases
            .iter()
            .filter(|c| c.status == Status::Pass)
            .count()
    }

    /// Failed cases plus orphans (for `check`).
    pub fn failed(&self) -> usize {
        self.cases.len() - self.passed() + self.orphans.len()
    }

    pub fn errors(&self) -> usize {
        self.cases
            .iter()
            .filter(|c| matches!(c.status, Status::Error(_)))
            .count()
    }
}

/// How to run a suite.
#[derive(Clone, Debug)]
pub struct RunOptions {
    /// Seed and clock for cases (and suite defaults) that set none.
    pub determinism: Determinism,
    /// Threads rendering cases (at least 1).
    pub jobs: usize,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            determinism: Determinism::default(),
            jobs: std::thread::available_parallelism().map_or(1, |n| n.get()),
        }
    }
}

/// Renders every case and compares it with its golden; writes nothing.
pub fn check(suite: &Suite, chart: &LoadedChart, opts: &RunOptions) -> Report {
    run(suite, chart, opts, |case, rendered| {
        match std::fs::read(&case.golden) {
            // Equal bytes are the common case: no text is made for them.
            Ok(bytes) if bytes == rendered.as_bytes() => Status::Pass,
            Ok(bytes) => Status::Changed {
                golden: String::from_utf8_lossy(&bytes).into_owned(),
                rendered,
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Status::Missing { rendered },
            Err(e) => Status::Error(format!("reading {}: {e}", case.golden.display())),
        }
    })
}

/// Renders every case and writes the goldens that differ (each atomically:
/// a temporary file in the same directory, then a rename). Unchanged goldens
/// are not touched; `Changed`/`Missing` report what was written.
pub fn update(suite: &Suite, chart: &LoadedChart, opts: &RunOptions) -> Report {
    run(suite, chart, opts, |case, rendered| {
        let old = match std::fs::read(&case.golden) {
            Ok(bytes) if bytes == rendered.as_bytes() => return Status::Pass,
            Ok(bytes) => Some(String::from_utf8_lossy(&bytes).into_owned()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Status::Error(format!("reading {}: {e}", case.golden.display())),
        };
        if let Err(e) = write_atomically(&case.golden, rendered.as_bytes()) {
            return Status::Error(format!("writing {}: {e}", case.golden.display()));
        }
        match old {
            Some(golden) => Status::Changed { golden, rendered },
            None => Status::Missing { rendered },
        }
    })
}

fn run(
    suite: &Suite,
    chart: &LoadedChart,
    opts: &RunOptions,
    judge: impl Fn(&Case, String) -> Status + Sync,
) -> Report {
    let start = Instant::now();
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<CaseResult>>> = Mutex::new(vec![None; suite.cases.len()]);
    let jobs = opts.jobs.clamp(1, suite.cases.len().max(1));
    std::thread::scope(|s| {
        for _ in 0..jobs {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(case) = suite.cases.get(i) else {
                    break;
                };
                let t = Instant::now();
                let status = match render_case(suite, chart, case, &opts.determinism) {
                    Ok(rendered) => judge(case, rendered),
                    Err(e) => Status::Error(e),
                };
                let r = CaseResult {
                    name: case.name.clone(),
                    golden: case.golden.clone(),
                    status,
                    time: t.elapsed(),
                };
                results.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(r);
            });
        }
    });
    let cases = results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .flatten()
        .collect();
    Report {
        cases,
        orphans: orphans(suite),
        time: start.elapsed(),
    }
}

/// What `chartgen template` prints for the case (its stdout), or its error.
pub fn render_case(
    suite: &Suite,
    chart: &LoadedChart,
    case: &Case,
    fallback: &Determinism,
) -> Result<String, String> {
    let mut user = UserValues::new()
        .with_base_dir(&suite.dir)
        .with_stdin(Vec::new());
    user.value_files = case.values.clone();
    user.values = case.set.clone();
    user.string_values = case.set_string.clone();
    user.file_values = case.set_file.clone();
    user.json_values = case.set_json.clone();
    user.literal_values = case.set_literal.clone();
    let values = merge_user_values(&user).map_err(|e| e.message)?;
    let kube_version = match case.kube_version.as_deref().filter(|v| !v.is_empty()) {
        Some(v) => {
            Some(KubeVersion::parse(v).map_err(|e| format!("invalid kube version '{v}': {e}"))?)
        }
        None => None,
    };
    let opts = TemplateOptions {
        release_name: case
            .release
            .clone()
            .unwrap_or_else(|| "release-name".to_string()),
        namespace: case
            .namespace
            .clone()
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| "default".to_string()),
        kube_version,
        api_versions: case.api_versions.clone(),
        determinism: Determinism {
            seed: case.seed.or(fallback.seed),
            now: case.now.clone().or_else(|| fallback.now.clone()),
        },
        // Cases already render on every core.
        one_thread: true,
        ..TemplateOptions::default()
    };
    let mut log = Warnings::new();
    chart
        .template(&values, &opts, &mut log)
        .map(|r| r.stream)
        .map_err(|e| e.message)
}

/// Goldens no case names: files in the directories of the cases' goldens
/// whose names match the suite's golden pattern.
pub fn orphans(suite: &Suite) -> Vec<PathBuf> {
    let named: std::collections::BTreeSet<&Path> =
        suite.cases.iter().map(|c| c.golden.as_path()).collect();
    let dirs: std::collections::BTreeSet<PathBuf> = suite
        .cases
        .iter()
        .filter_map(|c| c.golden.parent().map(Path::to_path_buf))
        .collect();
    let mut out = Vec::new();
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let name = e.file_name();
            let name = name.to_string_lossy();
            let path = dir.join(&*name);
            if e.file_type().is_ok_and(|t| t.is_file())
                && suite.golden_pattern.matches(&name)
                && !named.contains(path.as_path())
            {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Writes `data` to `path` through a temporary file in the same directory
/// and a rename, so readers see the old or the new content, never a part.
pub fn write_atomically(path: &Path, data: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let tmp = dir.join(format!(
        ".{name}.{}.{}.tmp",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(data)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
