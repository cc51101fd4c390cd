//! `chartgen validate` as users run it: the binary, its exit status, and
//! its diagnostics compared with reviewed insta snapshots
//! (`crates/chartgen-cli/tests/snapshots/`). The test command runs with
//! `INSTA_UPDATE=no`, so a changed output fails instead of being recorded.

use std::path::Path;
use std::process::Command;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn chartgen(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_chartgen"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .output()
        .expect("run chartgen");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("utf-8 stderr"),
    }
}

fn scratch(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// A misspelled key, a wrong type and an out-of-range number, against the
/// built-in chart (no Chart.yaml above the file).
const THREE_PROBLEMS: &str = "\
executor: CeleryExecutor
schedulr:
  replicas: 2
webserver:
  replicas: two
workers:
  replicas: -3
";

#[test]
fn three_problems_three_located_diagnostics() {
    let dir = scratch(&[("values.yaml", THREE_PROBLEMS)]);
    let r = chartgen(dir.path(), &["validate", "values.yaml"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.stderr, "");
    let headlines: Vec<&str> = r
        .stdout
        .lines()
        .filter(|l| l.starts_with("values.yaml:"))
        .collect();
    assert_eq!(
        headlines,
        [
            "values.yaml:2:1: error: additional properties 'schedulr' not allowed",
            "values.yaml:5:13: error: got string, want integer",
            "values.yaml:7:13: error: minimum: got -3, want 0",
        ]
    );
    insta::assert_snapshot!("three_problems", r.stdout);
}

#[test]
fn three_problems_as_json() {
    let dir = scratch(&[("values.yaml", THREE_PROBLEMS)]);
    let r = chartgen(dir.path(), &["validate", "--format", "json", "values.yaml"]);
    assert_eq!(r.code, 1);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("JSON");
    assert_eq!(v["valid"], false);
    assert_eq!(v["diagnostics"].as_array().map(Vec::len), Some(3));
    assert_eq!(v["diagnostics"][0]["suggestion"], "scheduler");
    insta::assert_snapshot!("three_problems_json", r.stdout);
}

#[test]
fn valid_values_print_nothing() {
    let dir = scratch(&[(
        "values.yaml",
        "executor: KubernetesExecutor\nwebserver:\n  replicas: 2\n",
    )]);
    let r = chartgen(dir.path(), &["validate", "values.yaml"]);
    assert_eq!((r.code, r.stdout.as_str(), r.stderr.as_str()), (0, "", ""));
    let r = chartgen(dir.path(), &["validate", "--format", "json", "values.yaml"]);
    assert_eq!(r.code, 0);
    assert_eq!(
        r.stdout,
        "{\n  \"valid\": true,\n  \"diagnostics\": []\n}\n"
    );
}

#[test]
fn later_files_win_and_are_blamed() {
    let dir = scratch(&[
        (
            "base.yaml",
            "workers:\n  replicas: -1\nwebserver:\n  replicas: -1\n",
        ),
        (
            "prod.yaml",
            "workers:\n  replicas: 3\nwebserver:\n  replicas: -2\n",
        ),
    ]);
    let r = chartgen(dir.path(), &["validate", "base.yaml", "prod.yaml"]);
    assert_eq!(r.code, 1);
    insta::assert_snapshot!("merged", r.stdout);
    // On their own, each file's problems are its own.
    let r = chartgen(
        dir.path(),
        &["validate", "--each", "base.yaml", "prod.yaml"],
    );
    assert_eq!(r.code, 1);
    insta::assert_snapshot!("each", r.stdout);
}

#[test]
fn yaml_errors_are_located() {
    let dir = scratch(&[
        ("tabs.yaml", "webserver:\n\treplicas: 1\n"),
        ("list.yaml", "- a\n- b\n"),
        ("flow.yaml", "webserver: {replicas: 1\n"),
    ]);
    let r = chartgen(
        dir.path(),
        &["validate", "--each", "tabs.yaml", "list.yaml", "flow.yaml"],
    );
    assert_eq!(r.code, 1);
    insta::assert_snapshot!("yaml_errors", r.stdout);
}

#[test]
fn repeated_keys_warn_without_failing() {
    let dir = scratch(&[(
        "values.yaml",
        "webserver:\n  replicas: 1\nwebserver:\n  replicas: 2\n",
    )]);
    let r = chartgen(dir.path(), &["validate", "values.yaml"]);
    assert_eq!(r.code, 0);
    insta::assert_snapshot!("repeated_keys", r.stdout);
}

#[test]
fn the_nearest_chart_is_used() {
    let dir = scratch(&[
        ("c/Chart.yaml", "apiVersion: v2\nname: c\nversion: 0.1.0\n"),
        ("c/values.yaml", "port: 80\n"),
        (
            "c/values.schema.json",
            r#"{"properties": {"port": {"type": "integer", "maximum": 65535}}, "additionalProperties": false}"#,
        ),
        ("c/env/prod.yaml", "port: 70000\n"),
        ("c/env/ok.yaml", "port: 8080\n"),
    ]);
    let r = chartgen(
        dir.path(),
        &[
            "validate",
            "c/env/prod.yaml",
            "c/env/ok.yaml",
            "c/values.yaml",
        ],
    );
    assert_eq!(r.code, 0, "ok.yaml comes last and wins: {}", r.stdout);
    let r = chartgen(
        dir.path(),
        &["validate", "--each", "c/env/prod.yaml", "c/env/ok.yaml"],
    );
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stdout.lines().next(),
        Some("c/env/prod.yaml:1:7: error: maximum: got 70,000, want 65,535")
    );
    // --chart overrides the discovery: the built-in chart has no `port`.
    let chart = dir.path().join("c");
    let r = chartgen(&chart, &["validate", "--chart", "../c", "env/ok.yaml"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
}

/// Patterns are Go's RE2, as helm reads them: `\s` and `\w` are ASCII, and
/// a lookahead makes the schema itself unusable.
#[test]
fn patterns_follow_re2() {
    let dir = scratch(&[
        ("c/Chart.yaml", "apiVersion: v2\nname: c\nversion: 0.1.0\n"),
        (
            "c/values.schema.json",
            r#"{"properties": {"s": {"pattern": "^\\s$"}, "k": {"patternProperties": {"^\\w+$": {"type": "integer"}}, "additionalProperties": false}}}"#,
        ),
        ("c/ok.yaml", "s: \"\\t\"\nk: {ab: 1}\n"),
        ("c/bad.yaml", "s: \"\\u00a0\"\nk: {é: 1}\n"),
    ]);
    let r = chartgen(dir.path(), &["validate", "c/ok.yaml"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    let r = chartgen(dir.path(), &["validate", "c/bad.yaml"]);
    assert_eq!(r.code, 1);
    let headlines: Vec<&str> = r
        .stdout
        .lines()
        .filter(|l| l.starts_with("c/bad.yaml:"))
        .collect();
    assert_eq!(
        headlines,
        [
            "c/bad.yaml:1:4: error: '\\u00a0' does not match pattern '^\\\\s$'",
            "c/bad.yaml:2:5: error: additional properties 'é' not allowed",
        ],
        "{}",
        r.stdout
    );
    std::fs::write(
        dir.path().join("c/values.schema.json"),
        r#"{"properties": {"s": {"pattern": "(?=x)"}}}"#,
    )
    .unwrap();
    let r = chartgen(dir.path(), &["validate", "c/ok.yaml"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.contains("'(?=x)' is not valid regex: error parsing regexp: invalid or unsupported Perl syntax: `(?=`"),
        "{}",
        r.stdout
    );
}

#[test]
fn usage_and_unreadable_files() {
    let dir = scratch(&[]);
    let r = chartgen(dir.path(), &["validate"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("required arguments"), "{}", r.stderr);
    let r = chartgen(dir.path(), &["validate", "--format", "xml", "v.yaml"]);
    assert_eq!(r.code, 2);
    let r = chartgen(dir.path(), &["validate", "missing.yaml"]);
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stdout,
        "missing.yaml: error: cannot read the file: no such file or directory\n\n"
    );
}

fn chartgen_env(dir: &Path, args: &[&str], located: &str) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_chartgen"))
        .args(args)
        .current_dir(dir)
        .env("CHARTGEN_LOCATED_ERRORS", located)
        .output()
        .expect("run chartgen");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("utf-8 stderr"),
    }
}

#[test]
fn template_keeps_helms_error_and_can_add_locations() {
    let dir = scratch(&[
        ("values.yaml", THREE_PROBLEMS),
        ("tabs.yaml", "webserver:\n\treplicas: 1\n"),
    ]);
    // Schema failure; `--set` overrides one of the file's problems.
    let args = [
        "template",
        "-f",
        "values.yaml",
        "--set",
        "webserver.replicas=-5",
    ];
    let plain = chartgen_env(dir.path(), &args, "0");
    assert_eq!(plain.code, 1);
    assert!(plain
        .stderr
        .starts_with("Error: values don't meet the specifications of the schema(s)"));
    let located = chartgen_env(dir.path(), &args, "1");
    assert_eq!(located.code, 1);
    let extra = located
        .stderr
        .strip_prefix(plain.stderr.as_str())
        .expect("helm's text first, unchanged");
    let mut lines: Vec<&str> = extra.lines().collect();
    lines.sort_unstable();
    assert_eq!(
        lines,
        [
            "values.yaml:2:1: error: additional properties 'schedulr' not allowed",
            "values.yaml:7:13: error: minimum: got -3, want 0",
        ]
    );
    // YAML syntax error.
    let args = ["template", "-f", "tabs.yaml"];
    let plain = chartgen_env(dir.path(), &args, "0");
    assert_eq!(
        plain.stderr,
        "Error: failed to parse tabs.yaml: cannot unmarshal yaml document: error converting YAML to JSON: yaml: line 2: found character that cannot start any token\n"
    );
    let located = chartgen_env(dir.path(), &args, "1");
    assert_eq!(
        located.stderr.strip_prefix(plain.stderr.as_str()),
        Some("tabs.yaml:2:1: error: failed to parse tabs.yaml: cannot unmarshal yaml document: error converting YAML to JSON: yaml: line 2: found character that cannot start any token\n")
    );
}
