//! The `helm template` conformance suite again, each case rendered twice in
//! its directory with the command line's template cache on
//! (`chartgen::tree_cache`): the first run parses the chart's templates and
//! keeps their trees, the second decodes them, and it is the second run
//! that must match helm (stdout, stderr, exit code, files written).

use std::path::Path;

use conformance::chart_cases::{run_chart_suite_with, run_in_process};

/// Flags after which a second run sees what the first changed in the chart.
const CHANGES_THE_CHART: &[&str] = &["--dependency-update", "--dep-up"];

fn twice(args: &[String], cwd: &Path, stdin: Vec<u8>) -> chartgen::Outcome {
    if !args.iter().any(|a| CHANGES_THE_CHART.contains(&a.as_str())) {
        run_in_process(&printing_only(args), cwd, stdin.clone());
    }
    run_in_process(args, cwd, stdin)
}

/// `args` without `--output-dir` (whose hook files a second run appends to).
fn printing_only(args: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--output-dir" {
            it.next();
        } else if !a.starts_with("--output-dir=") {
            out.push(a.clone());
        }
    }
    out
}

#[test]
fn template_conformance_stored_trees() {
    let cache = std::env::temp_dir().join(format!("chartgen-stored-trees-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&cache);
    chartgen::tree_cache::enable_in(Some(cache.clone()));
    run_chart_suite_with("template", &twice);
    // Second runs did decode what the first ones kept (not all: a case
    // whose render fails keeps nothing).
    let _ = std::fs::remove_dir_all(&cache);
    let loaded = chartgen::tree_cache::loaded();
    eprintln!("{loaded} runs decoded stored trees");
    assert!(loaded > 150, "{loaded}");
}
