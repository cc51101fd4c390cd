//! chartgen-validate on a chart with a sub-chart, `$ref`s, `required`,
//! globals and several values files (tests/data/shop).

use std::path::PathBuf;

use chartgen_helm::chart::Chart;
use chartgen_validate::{validate_files, Diagnostic, Format, Options, Severity};

fn data() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

fn no_builtin() -> Result<Chart, String> {
    Err("no built-in chart in this test".into())
}

fn run(files: &[&str], each: bool) -> Vec<Diagnostic> {
    let opts = Options {
        chart: None,
        each,
        cwd: data(),
        builtin: &no_builtin,
        stdin: None,
        prepared_schemas: &[],
    };
    let files: Vec<String> = files.iter().map(|f| f.to_string()).collect();
    validate_files(&files, &opts).diagnostics
}

fn headlines(d: &[Diagnostic]) -> Vec<String> {
    d.iter().map(Diagnostic::headline).collect()
}

#[test]
fn merged_files_blame_the_file_that_set_each_value() {
    let d = run(&["shop/values/base.yaml", "shop/values/prod.yaml"], false);
    assert_eq!(
        headlines(&d),
        [
            "shop/values/prod.yaml:2:13: error: maximum: got 20, want 10",
            "shop/values/prod.yaml:5:5: error: additional properties 'repo' not allowed",
            "shop/values/prod.yaml:8:7: error: additional properties 'prot' not allowed",
            "shop/values/prod.yaml:10:12: error: 'lots' does not match pattern '^[0-9]+[MG]i$'",
            "shop/values/prod.yaml:12:11: error: value must be one of 'eu', 'us'",
        ]
    );
    let by_pointer = |p: &str| d.iter().find(|x| x.pointer.as_deref() == Some(p)).unwrap();
    let repo = by_pointer("/frontend/image/repo");
    assert_eq!(repo.suggestion.as_deref(), Some("repository"));
    assert_eq!(repo.width, 4);
    assert_eq!(
        by_pointer("/frontend/ports/0/prot").suggestion.as_deref(),
        Some("port")
    );
    let storage = by_pointer("/db/storage");
    assert_eq!(storage.chart.as_deref(), Some("db"));
    assert_eq!(
        storage.notes,
        ["checked against the schema of sub-chart 'db'"]
    );
    // A sub-chart's `global` is the parent's: blamed where `global:` was written.
    assert_eq!(by_pointer("/db/global/region").line, 12);
}

#[test]
fn each_file_on_its_own() {
    // base.yaml alone is valid; prod.yaml alone has the same five problems.
    assert!(run(&["shop/values/base.yaml"], true).is_empty());
    assert_eq!(
        run(&["shop/values/base.yaml", "shop/values/prod.yaml"], true).len(),
        5
    );
}

#[test]
fn missing_properties_point_at_their_object() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.yaml"),
        "frontend:\n  image:\n    repository: null\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("b.yaml"), "frontend: null\n").unwrap();
    let opts = Options {
        chart: Some(data().join("shop")),
        each: true,
        cwd: dir.path().to_path_buf(),
        builtin: &no_builtin,
        stdin: None,
        prepared_schemas: &[],
    };
    let r = validate_files(&["a.yaml".into(), "b.yaml".into()], &opts);
    assert_eq!(
        headlines(&r.diagnostics),
        [
            "a.yaml:2:3: error: missing property 'repository'",
            // helm's null deletes the chart's default: `frontend` is missing.
            "b.yaml:1:1: error: missing property 'frontend'",
        ]
    );
    assert_eq!(r.diagnostics[0].pointer.as_deref(), Some("/frontend/image"));
    assert_eq!(r.diagnostics[0].width, 5);
    assert!(r
        .render(Format::Text, false)
        .contains("= pointer: \"\" (the top level)"));
}

#[test]
fn files_without_a_chart_use_the_builtin_one() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("v.yaml"), "frontend: {replicas: 0}\n").unwrap();
    let calls = std::cell::Cell::new(0);
    let builtin = || {
        calls.set(calls.get() + 1);
        chartgen_helm::loader::load(data().join("shop")).map_err(|e| e.message)
    };
    let opts = Options {
        chart: None,
        each: false,
        cwd: dir.path().to_path_buf(),
        builtin: &builtin,
        stdin: None,
        prepared_schemas: &[],
    };
    let r = validate_files(
        &["v.yaml".into(), "-".into()],
        &Options {
            stdin: Some(b"frontend: {replicas: 3}\n".to_vec()),
            prepared_schemas: &[],
            ..opts
        },
    );
    // Loaded once for both; stdin (`-`) comes last and wins.
    assert_eq!(calls.get(), 1);
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
}

#[test]
fn a_file_that_does_not_parse_stops_the_merged_check_only() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.yaml"), "frontend: [\n").unwrap();
    std::fs::write(dir.path().join("big.yaml"), "frontend: {replicas: 99}\n").unwrap();
    let mk = |each| Options {
        chart: Some(data().join("shop")),
        each,
        cwd: dir.path().to_path_buf(),
        builtin: &no_builtin,
        stdin: None,
        prepared_schemas: &[],
    };
    let files = ["bad.yaml".to_string(), "big.yaml".to_string()];
    let merged = validate_files(&files, &mk(false));
    assert_eq!(merged.diagnostics.len(), 1);
    assert_eq!(merged.diagnostics[0].file, "bad.yaml");
    assert_eq!(merged.diagnostics[0].line, 2);
    let each = validate_files(&files, &mk(true));
    assert_eq!(
        headlines(&each.diagnostics)[1],
        "big.yaml:1:22: error: maximum: got 99, want 10"
    );
}

#[test]
fn unloadable_charts_and_unreadable_files_are_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("v.yaml"), "a: 1\n").unwrap();
    let opts = Options {
        chart: Some(dir.path().join("nochart")),
        each: false,
        cwd: dir.path().to_path_buf(),
        builtin: &no_builtin,
        stdin: None,
        prepared_schemas: &[],
    };
    let r = validate_files(&["v.yaml".into(), "gone.yaml".into()], &opts);
    assert!(r.has_errors());
    assert!(r
        .diagnostics
        .iter()
        .all(|d| d.line == 0 && d.severity == Severity::Error));
    let text = r.render(Format::Text, false);
    assert!(
        text.contains("gone.yaml: error: cannot read the file: no such file or directory"),
        "{text}"
    );
    assert!(text.contains("error: cannot load the chart: "), "{text}");
}
