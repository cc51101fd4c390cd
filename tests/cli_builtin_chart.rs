//! `chartgen template` without a CHART renders the chart compiled into the
//! binary (the repository's `chart/`): through the CLI's own code path
//! (`chartgen::run_template`, as the binary runs it) it must reproduce helm's
//! goldens (`helm template airflow chart/ -f CASE --namespace airflow`) byte
//! for byte, as `chartgen template airflow chart/ …` does.

use std::fs;
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn run(args: &[&str]) -> chartgen::Outcome {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let mut stdin = std::io::empty();
    let mut env = chartgen::Env {
        cwd: fs::canonicalize(repo()).unwrap(),
        stdin: &mut stdin,
    };
    chartgen::run_template(&args, &mut env)
}

/// A spread of the fixtures (every one is checked through the library by
/// `fixtures_golden`).
fn sample() -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(repo().join("fixtures/cases"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().to_string())
        .collect();
    names.sort();
    names.into_iter().step_by(10).collect()
}

#[test]
fn builtin_chart_reproduces_goldens() {
    let names = sample();
    assert!(names.len() >= 5);
    let failures: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = names
            .iter()
            .map(|name| {
                s.spawn(move || {
                    let golden =
                        fs::read_to_string(repo().join(format!("fixtures/golden/{name}.yaml")))
                            .unwrap();
                    let values = format!("fixtures/cases/{name}.yaml");
                    let builtin = run(&[
                        "--name-template",
                        "airflow",
                        "-f",
                        &values,
                        "--namespace",
                        "airflow",
                    ]);
                    let dir = run(&["airflow", "chart/", "-f", &values, "--namespace", "airflow"]);
                    let mut f = Vec::new();
                    for (how, out) in [("built-in", builtin), ("chart/", dir)] {
                        if out.exit != 0 || out.stdout != golden {
                            f.push(format!(
                                "{name} ({how}): exit {}, stderr {:?}, stdout differs: {}",
                                out.exit,
                                out.stderr,
                                out.stdout != golden
                            ));
                        }
                    }
                    f
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
