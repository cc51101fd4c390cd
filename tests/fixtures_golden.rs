//! Our chart's fixtures: `chartgen template` (the library action the CLI
//! uses) must reproduce every golden helm produced under `fixtures/golden/`,
//! byte for byte, and fail exactly as helm does on `fixtures/invalid/`.

use std::fs;
use std::path::{Path, PathBuf};

use chartgen_helm::action::{LoadedChart, TemplateOptions};
use chartgen_helm::coalesce::Warnings;
use chartgen_helm::values::{merge_user_values, UserValues};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn cases(dir: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(repo().join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    v.sort();
    v
}

/// `helm template airflow chart/ -f CASE --namespace airflow`: (exit, stdout, stderr).
fn template(chart: &LoadedChart, case: &Path) -> (i32, String, String) {
    let mut log = Warnings::new();
    let mut user = UserValues::new();
    user.value_files.push(case.display().to_string());
    let values = match merge_user_values(&user) {
        Ok(v) => v,
        Err(e) => return (1, String::new(), format!("Error: {}\n", e.message)),
    };
    let opts = TemplateOptions {
        release_name: "airflow".into(),
        namespace: "airflow".into(),
        ..Default::default()
    };
    match chart.template(&values, &opts, &mut log) {
        Ok(r) => (0, r.stream, log.render()),
        Err(e) => {
            let hint = if e.during_render {
                "\n\nUse --debug flag to render out invalid YAML"
            } else {
                ""
            };
            (1, String::new(), format!("Error: {}{hint}\n", e.message))
        }
    }
}

fn load_chart() -> LoadedChart {
    let mut log = Warnings::new();
    LoadedChart::load(repo().join("chart"), &mut log).expect("chart/ loads")
}

#[test]
fn every_golden_is_reproduced() {
    let chart = load_chart();
    let mut failures = Vec::new();
    let all = cases("fixtures/cases");
    assert!(all.len() >= 50, "expected at least 50 fixtures");
    // Then again, backwards and with every other case, on the same loaded
    // chart: renders reuse outputs of earlier ones (of other values).
    let again = all.iter().rev().chain(all.iter().step_by(2));
    for case in all.iter().chain(again) {
        let name = case.file_stem().unwrap().to_string_lossy().to_string();
        let golden =
            fs::read_to_string(repo().join(format!("fixtures/golden/{name}.yaml"))).unwrap();
        let (exit, stdout, stderr) = template(&chart, case);
        if exit != 0 || stdout != golden {
            let first_diff = stdout
                .lines()
                .zip(golden.lines())
                .position(|(a, b)| a != b)
                .map(|i| format!("first difference at line {}", i + 1))
                .unwrap_or_else(|| "lengths differ".to_string());
            failures.push(format!(
                "{name}: exit {exit}, {first_diff}; stderr: {stderr}"
            ));
        }
    }
    println!(
        "fixture renders: {} passed, {} failed",
        all.len() * 2 + all.len().div_ceil(2) - failures.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_invalid_case_fails_like_helm() {
    let chart = load_chart();
    let mut failures = Vec::new();
    for case in cases("fixtures/invalid") {
        let name = case.file_stem().unwrap().to_string_lossy().to_string();
        let expected =
            fs::read_to_string(repo().join(format!("fixtures/golden/invalid/{name}.txt"))).unwrap();
        let (exit, _, stderr) = template(&chart, &case);
        let got = format!("exit code: {exit}\n{stderr}");
        if got.trim_end() != expected.trim_end() {
            failures.push(format!("{name}:\n  want {expected:?}\n  got  {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
