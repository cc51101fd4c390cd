//! Property test: random values over the precedence and secrets knobs,
//! rendered, must agree with the model.
//!
//! The rendering step is a `chartgen_airflow::property::Renderer`. Today it is
//! real helm (slow: ~0.3 s per case), so that test is `#[ignore]`d and limited
//! to a few dozen cases:
//!
//! ```sh
//! cargo test -p chartgen-airflow --test property -- --ignored
//! AIRFLOW_PROPERTY_CASES=200 cargo test -p chartgen-airflow --test property -- --ignored
//! ```
//!
//! With the in-process renderer, pass a closure
//! `|yaml: &str, release: &Release| -> Result<String, String>` to `run_cases`
//! and raise the count to 1,000+.

use chartgen_airflow::property::{generate_values, run_cases, CaseFailure, HelmCli};
use chartgen_airflow::{explain_secrets, explain_security_context, Release, Values, Workload};
use std::path::PathBuf;

fn release() -> Release {
    Release {
        name: "airflow".into(),
        namespace: "airflow".into(),
    }
}

fn report(failures: &[CaseFailure]) -> String {
    let mut s = String::new();
    for f in failures.iter().take(5) {
        s.push_str(&format!("\n=== seed {} ===\n{}", f.seed, f.values_yaml));
        if let Some(e) = &f.error {
            s.push_str(&format!("error: {e}\n"));
        }
        for d in &f.disagreements {
            s.push_str(&format!("  {d}\n"));
        }
    }
    s
}

fn cases_from_env(default: u64) -> u64 {
    std::env::var("AIRFLOW_PROPERTY_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// Renders generated values with real helm and checks zero disagreements.
#[test]
#[ignore = "runs real helm (~0.3 s per case); run with --ignored"]
fn helm_renders_agree_with_the_model() {
    let helm = std::env::var("HELM").unwrap_or_else(|_| "/usr/local/bin/helm".into());
    let chart = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../chart");
    let renderer = HelmCli::new(helm, chart);
    let n = cases_from_env(40);
    let threads = std::thread::available_parallelism().map_or(4, |n| n.get().min(8));
    let failures = run_cases(&renderer, 0..n, threads, &release());
    assert!(
        failures.is_empty(),
        "{} of {n} cases disagree:{}",
        failures.len(),
        report(&failures)
    );
}

/// The same runner with a stub renderer: the harness itself works and reports.
#[test]
fn runner_reports_render_failures() {
    let renderer = |_: &str, _: &Release| -> Result<String, String> { Err("boom".into()) };
    let failures = run_cases(&renderer, 0..3, 2, &release());
    assert_eq!(failures.len(), 3);
    assert!(failures[0].error.as_deref().unwrap().contains("boom"));
}

/// Every generated case gives a complete model and explanation (no rendering).
#[test]
fn model_is_total_over_generated_values() {
    for seed in 0..cases_from_env(300) {
        let user = generate_values(seed);
        let v = Values::from_user_values(&user, "airflow", "airflow");
        let _ = explain_secrets(&v);
        for w in Workload::ALL {
            let _ = explain_security_context(&v, w);
        }
    }
}

/// The generator reaches every workload, every precedence level and every
/// built-in switch (so that rendering its cases exercises the whole model).
#[test]
fn generator_covers_the_knobs() {
    use chartgen_airflow::{ChartSecret, Level};
    use std::collections::BTreeSet;
    let mut workloads = BTreeSet::new();
    let mut pod_levels = BTreeSet::new();
    let mut container_levels = BTreeSet::new();
    let mut switched_off = BTreeSet::new();
    let mut overridden = BTreeSet::new();
    let mut created = BTreeSet::new();
    for seed in 0..400 {
        let v = Values::from_user_values(&generate_values(seed), "airflow", "airflow");
        for w in v.enabled_workloads() {
            workloads.insert(w);
            pod_levels.insert(v.pod_security_context(w).level.to_string());
            let pod = v.pod(w).unwrap();
            for c in pod.all_containers() {
                container_levels.insert(v.container_security_context(w, c).level.to_string());
                for s in v.container_env(w, c).skipped {
                    if s.reason.starts_with("switched off") {
                        switched_off.insert(s.var);
                    }
                }
            }
        }
        for s in v.secrets() {
            if s.overridden {
                overridden.insert(s.secret);
            }
            if s.created {
                created.insert(s.secret);
            }
        }
    }
    assert_eq!(workloads.len(), Workload::ALL.len(), "{workloads:?}");
    for l in [
        Level::Component,
        Level::ComponentLegacy,
        Level::Global,
        Level::GlobalLegacy,
        Level::UidGid,
        Level::ComponentUid,
        Level::SubChart,
    ] {
        assert!(
            pod_levels.contains(&l.to_string()),
            "pod level {l}: {pod_levels:?}"
        );
    }
    for l in [
        Level::ContainerOwn,
        Level::Component,
        Level::Global,
        Level::ChartDefault,
        Level::SubChart,
        Level::AsGiven,
    ] {
        assert!(
            container_levels.contains(&l.to_string()),
            "container level {l}: {container_levels:?}"
        );
    }
    assert_eq!(switched_off.len(), 10, "{switched_off:?}");
    assert!(overridden.len() >= 12, "{overridden:?}");
    assert_eq!(created.len(), ChartSecret::ALL.len(), "{created:?}");
}
