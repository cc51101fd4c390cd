//! Property test of our chart: 1,000 generated values combinations rendered
//! in-process by chartgen, every workload checked against the typed model of
//! securityContext precedence and built-in secrets (`chartgen_airflow`).
//! Run optimised: `cargo test --release -p conformance --test airflow_property`.

use std::path::Path;

use chartgen_airflow::property::run_cases;
use chartgen_airflow::Release;
use chartgen_helm::action::{LoadedChart, TemplateOptions};
use chartgen_helm::coalesce::Warnings;

#[test]
fn thousand_random_values_agree_with_the_model() {
    let chart_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../chart");
    let chart = LoadedChart::load(&chart_dir, &mut Warnings::new()).expect("chart loads");
    let render = |yaml: &str, release: &Release| -> Result<String, String> {
        let user = chartgen_yaml::parse_map(yaml.as_bytes()).map_err(|e| e.to_string())?;
        let opts = TemplateOptions {
            release_name: release.name.clone(),
            namespace: release.namespace.clone(),
            ..Default::default()
        };
        chart
            .template(&user, &opts, &mut Warnings::new())
            .map(|r| r.stream)
            .map_err(|e| e.message)
    };
    let cases: u64 = std::env::var("AIRFLOW_PROPERTY_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if cfg!(debug_assertions) { 100 } else { 1000 });
    let release = Release {
        name: "airflow".into(),
        namespace: "airflow".into(),
    };
    let failures = run_cases(&render, 0..cases, 2, &release);
    assert!(
        failures.is_empty(),
        "{} of {cases} cases disagree with the model; first: {:?}",
        failures.len(),
        failures.first()
    );
}
