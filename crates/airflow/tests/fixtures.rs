//! Every fixture case: helm's golden agrees with the model (zero disagreements).

use chartgen_airflow::{check_manifests, explain_secrets, explain_security_context, Values};
use std::path::PathBuf;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

fn cases() -> Vec<(String, PathBuf, PathBuf)> {
    let dir = fixtures().join("cases");
    let mut out = Vec::new();
    for e in std::fs::read_dir(&dir).expect("fixtures/cases") {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "yaml") {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            let golden = fixtures().join("golden").join(format!("{name}.yaml"));
            out.push((name, p, golden));
        }
    }
    out.sort();
    out
}

fn load(case: &PathBuf) -> Values {
    let text = std::fs::read_to_string(case).unwrap();
    // Release name and namespace of every golden (see fixtures/README.md).
    Values::from_user_yaml(&text, "airflow", "airflow").unwrap()
}

#[test]
fn every_golden_agrees_with_the_model() {
    let cases = cases();
    assert!(cases.len() >= 50, "only {} fixture cases", cases.len());
    let mut failures = Vec::new();
    for (name, case, golden) in &cases {
        let values = load(case);
        let rendered =
            std::fs::read_to_string(golden).unwrap_or_else(|e| panic!("{}: {e}", golden.display()));
        match check_manifests(&values, &rendered) {
            Ok(d) => {
                for d in d {
                    failures.push(format!("{name}: {d}"));
                }
            }
            Err(e) => failures.push(format!("{name}: {e}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} disagreements:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn explain_works_for_every_fixture_and_workload() {
    for (name, case, _) in cases() {
        let values = load(&case);
        let s = explain_secrets(&values);
        assert!(s.contains("built-in secrets"), "{name}");
        for w in chartgen_airflow::Workload::ALL {
            let e = explain_security_context(&values, w);
            assert!(e.contains("pod securityContext:"), "{name} {w}");
        }
    }
}

/// The guide's three worked examples, as the fixtures state them.
#[test]
fn guide_examples() {
    use chartgen_airflow::{Level, Workload};
    let expect = [
        ("sc-guide-example1", Level::Component, 1001),
        ("sc-guide-example2", Level::UidGid, 40000),
        ("sc-guide-example3", Level::Global, 50000),
    ];
    for (name, level, uid) in expect {
        let v = load(&fixtures().join("cases").join(format!("{name}.yaml")));
        let d = v.pod_security_context(Workload::Scheduler);
        assert_eq!(d.level, level, "{name}");
        assert_eq!(d.run_as_user(), Some(uid), "{name}");
        assert_eq!(d.fs_group(), Some(0), "{name}");
    }
}

/// The checker is not vacuous: single edits of a golden are caught.
#[test]
fn mutated_goldens_are_caught() {
    use chartgen_airflow::Aspect;
    let case = fixtures().join("cases/defaults.yaml");
    let golden = std::fs::read_to_string(fixtures().join("golden/defaults.yaml")).unwrap();
    let values = load(&case);
    assert!(check_manifests(&values, &golden).unwrap().is_empty());
    let mutations: [(&str, &str, Aspect); 7] = [
        (
            "runAsUser: 50000",
            "runAsUser: 50001",
            Aspect::PodSecurityContext,
        ),
        ("key: fernet-key", "key: fernet", Aspect::SecretEnv),
        (
            "name: AIRFLOW__CELERY__BROKER_URL",
            "name: AIRFLOW__CELERY__BROKER",
            Aspect::SecretEnv,
        ),
        (
            "allowPrivilegeEscalation: false",
            "allowPrivilegeEscalation: true",
            Aspect::ContainerSecurityContext,
        ),
        (
            "name: scheduler-log-groomer",
            "name: log-groomer",
            Aspect::Containers,
        ),
        (
            "name: airflow-airflow-broker-url\n  namespace",
            "name: airflow-broker-url\n  namespace",
            Aspect::Secrets,
        ),
        ("kind: StatefulSet", "kind: Deployment", Aspect::Workload),
    ];
    for (from, to, aspect) in mutations {
        assert!(golden.contains(from), "{from}");
        let mutated = golden.replacen(from, to, 1);
        let d = check_manifests(&values, &mutated).unwrap();
        assert!(
            d.iter().any(|d| d.aspect == aspect),
            "{from} -> {to}: expected a {aspect} disagreement, got {d:?}"
        );
    }
    // A pod template must be present and checked with the Kubernetes executor.
    let case = fixtures().join("cases/executor-kubernetes.yaml");
    let golden =
        std::fs::read_to_string(fixtures().join("golden/executor-kubernetes.yaml")).unwrap();
    let values = load(&case);
    let mutated = golden.replacen("- name: base", "- name: basis", 1);
    assert_ne!(mutated, golden);
    let d = check_manifests(&values, &mutated).unwrap();
    assert!(
        d.iter()
            .any(|d| d.workload == Some(chartgen_airflow::Workload::PodTemplate)),
        "{d:?}"
    );
}
