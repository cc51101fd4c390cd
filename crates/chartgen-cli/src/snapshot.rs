//! `chartgen snapshot check|update MANIFEST`: the command-line face of
//! `chartgen_snapshot` (which see for the manifest format). `check` exits 1
//! on any mismatch, missing golden, orphan golden or render error and never
//! writes; `update` rewrites only the goldens that changed and refuses to run
//! in CI (`$CI` set, not `false`/`0`) unless `--force`. Exit 2: usage,
//! manifest or chart errors.

use std::path::{Path, PathBuf};

use chartgen_helm::action::LoadedChart;
use chartgen_helm::coalesce::Warnings;
use chartgen_snapshot::{diff, junit, RunOptions, Status, Suite};

use crate::determinism;
use crate::diff::Terminal;
use crate::embedded;
use crate::template::Outcome;
use crate::tree_cache::TreeCache;
use chartgen_helm::engine::{HeadsLater, StoredLater};

#[derive(clap::Subcommand, Clone, Debug)]
pub enum Command {
    /// Render every case and compare it with its golden (writes nothing but --junit).
    Check {
        #[command(flatten)]
        common: Common,
    },
    /// Render every case and rewrite the goldens that changed.
    Update {
        #[command(flatten)]
        common: Common,
        /// Write even when $CI says this is a CI run.
        #[arg(long)]
        force: bool,
    },
}

#[derive(clap::Args, Clone, Debug)]
pub struct Common {
    /// The suite manifest (YAML).
    pub manifest: PathBuf,
    /// Seed for cases that set none (also $CHARTGEN_SEED).
    #[arg(long)]
    pub seed: Option<String>,
    /// Frozen clock (RFC 3339) for cases that set none (also $CHARTGEN_NOW).
    #[arg(long)]
    pub now: Option<String>,
    /// Write a JUnit XML report to FILE.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Cases rendered in parallel (default: the number of CPUs).
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,
    /// Colour the diffs: never, auto, always.
    #[arg(long, value_parser = ["never", "auto", "always"])]
    pub color: Option<String>,
}

/// The process's view of its environment (variables, terminal).
pub struct Context<'a> {
    pub cwd: PathBuf,
    pub var: &'a dyn Fn(&str) -> Option<String>,
    pub term: Terminal,
}

fn error(message: &str) -> Outcome {
    Outcome {
        exit: 2,
        stdout: String::new(),
        stderr: format!("Error: {message}\n"),
        located: Vec::new(),
    }
}

/// Whether `$CI` says this is a CI run.
fn in_ci(var: &dyn Fn(&str) -> Option<String>) -> bool {
    var("CI").is_some_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// Runs `chartgen snapshot …`.
pub fn run(cmd: &Command, ctx: &Context<'_>) -> Outcome {
    let (common, updating) = match cmd {
        Command::Check { common } => (common, false),
        Command::Update { common, force } => {
            if in_ci(ctx.var) && !force {
                return error(
                    "refusing to write goldens in CI ($CI is set); run `chartgen snapshot check`, or pass --force",
                );
            }
            (common, true)
        }
    };
    let det = match determinism::from_flags(common.seed.clone(), common.now.clone(), ctx.var) {
        Ok(d) => d,
        Err(e) => return error(&e),
    };
    let manifest = ctx.cwd.join(&common.manifest);
    let suite = match Suite::load(&manifest) {
        Ok(s) => s,
        Err(e) => return error(&relative(&ctx.cwd, &e.0)),
    };
    let mut log = Warnings::new();
    let tree_cache = suite.chart.as_deref().and_then(TreeCache::for_chart);
    let chart = match &suite.chart {
        Some(path) => {
            let mut pre = embedded::precompiled();
            pre.stored_later = tree_cache
                .clone()
                .map(|cache| StoredLater::new(move || cache.load()));
            pre.heads_later = tree_cache
                .clone()
                .map(|cache| HeadsLater::new(move |heads| cache.load_heads(heads)));
            pre.schema_store = crate::tree_cache::PreparedFiles::schema_store();
            pre.values_store = crate::tree_cache::PreparedFiles::values_store();
            LoadedChart::load_compiled(path, pre, &mut log).map_err(|e| e.message)
        }
        None => embedded::load_pending()
            .map_err(|e| e.message)
            .and_then(|c| {
                LoadedChart::from_pending_compiled(c, embedded::precompiled(), &mut log)
                    .map_err(|e| e.message)
            }),
    };
    let chart = match chart {
        Ok(c) => c,
        Err(e) => return error(&format!("loading the chart: {e}")),
    };
    let opts = RunOptions {
        determinism: det,
        jobs: common.jobs.unwrap_or(RunOptions::default().jobs),
    };
    let report = if updating {
        chartgen_snapshot::update(&suite, &chart, &opts)
    } else {
        chartgen_snapshot::check(&suite, &chart, &opts)
    };
    // The templates parse alike whatever the cases' values did.
    if let Some(cache) = tree_cache {
        if let Some(update) = chart.stored_update(embedded::TREE_BUILD_ID) {
            cache.save(&update);
        }
        if let Some(update) = chart.heads_update(embedded::TREE_BUILD_ID) {
            cache.save_heads(&update);
        }
    }
    let show = |p: &Path| display(&ctx.cwd, p);
    let color = ctx.term.color(common.color.as_deref());
    let mut out = Outcome {
        exit: 0,
        stdout: String::new(),
        stderr: log.render(),
        located: Vec::new(),
    };
    for c in &report.cases {
        let golden = show(&c.golden);
        match (&c.status, updating) {
            (Status::Pass, _) => {}
            (
                Status::Changed {
                    golden: old,
                    rendered,
                },
                false,
            ) => {
                out.stdout
                    .push_str(&format!("FAIL {}: {golden} differs\n", c.name));
                out.stdout
                    .push_str(&diff::unified(old, rendered, &golden, "rendered", color));
                for change in diff::resource_changes(old, rendered) {
                    out.stdout.push_str(&format!("  {change}\n"));
                }
            }
            (Status::Missing { .. }, false) => out.stdout.push_str(&format!(
                "MISSING {}: {golden} does not exist (`chartgen snapshot update` writes it)\n",
                c.name
            )),
            (Status::Changed { .. }, true) => out.stdout.push_str(&format!("wrote {golden}\n")),
            (Status::Missing { .. }, true) => {
                out.stdout.push_str(&format!("wrote {golden} (new)\n"))
            }
            (Status::Error(e), _) => {
                out.stdout
                    .push_str(&format!("ERROR {}: {}\n", c.name, relative(&ctx.cwd, e)))
            }
        }
    }
    for o in &report.orphans {
        let note = if updating { " (left in place)" } else { "" };
        out.stdout
            .push_str(&format!("ORPHAN {}: no case produces it{note}\n", show(o)));
    }
    if updating {
        let written = report
            .cases
            .iter()
            .filter(|c| matches!(c.status, Status::Changed { .. } | Status::Missing { .. }))
            .count();
        out.stdout.push_str(&format!(
            "{written} written, {} unchanged, {} failed\n",
            report.passed(),
            report.errors()
        ));
        if report.errors() > 0 {
            out.exit = 1;
        }
    } else {
        out.stdout.push_str(&format!(
            "{} passed, {} failed\n",
            report.passed(),
            report.failed()
        ));
        if report.failed() > 0 {
            out.exit = 1;
        }
    }
    if let Some(path) = &common.junit {
        let name = show(&suite.manifest);
        let xml = junit::render(&report, &name, show);
        if let Err(e) = chartgen_snapshot::write_atomically(&ctx.cwd.join(path), xml.as_bytes()) {
            out.stderr
                .push_str(&format!("Error: writing {}: {e}\n", path.display()));
            out.exit = out.exit.max(2);
        }
    }
    out
}

/// `p` relative to `cwd` when under it.
fn display(cwd: &Path, p: &Path) -> String {
    p.strip_prefix(cwd)
        .unwrap_or(p)
        .to_string_lossy()
        .into_owned()
}

/// A message with the working directory's prefix removed from its paths.
fn relative(cwd: &Path, message: &str) -> String {
    let prefix = format!("{}/", cwd.to_string_lossy().trim_end_matches('/'));
    message.replace(&prefix, "")
}
