//! Check rendered manifests against the model.
//!
//! For every pod spec in a rendered stream (Deployment, StatefulSet,
//! DaemonSet, ReplicaSet, Job, CronJob, Pod, and the KubernetesExecutor pod
//! template inside the `<release>-pod-template` ConfigMap) the checker
//! compares, with the model's prediction for the same values:
//!
//! * that the workload is expected at all, with that kind and name (and that
//!   every expected workload is present);
//! * the init container and container names;
//! * the pod `securityContext` and each container's `securityContext`;
//! * each container's env vars read from secrets (`valueFrom.secretKeyRef`),
//!   in order;
//! * the pod's chart-named secret volumes and its `imagePullSecrets`;
//!
//! and, for the whole stream, that the `Secret` objects are exactly the chart
//! secrets the model says are created (plus `extraSecrets`).

use crate::secrets::CHART_SECRET_VOLUMES;
use crate::values::{go_string, lookup, lookup_list, lookup_str, show, values_equal, Values};
use crate::workload::{ContainerModel, PodModel, Workload};
use gotmpl::Value;
use std::collections::BTreeSet;
use std::fmt;

/// What a disagreement is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Aspect {
    /// A workload is rendered but not expected, expected but not rendered, or of another kind.
    Workload,
    /// The container list differs.
    Containers,
    PodSecurityContext,
    ContainerSecurityContext,
    /// Env vars read from secrets.
    SecretEnv,
    /// Chart-named secret volumes.
    SecretVolume,
    ImagePullSecrets,
    /// The set of rendered `Secret` objects.
    Secrets,
}

impl fmt::Display for Aspect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Aspect::Workload => "workload",
            Aspect::Containers => "containers",
            Aspect::PodSecurityContext => "pod securityContext",
            Aspect::ContainerSecurityContext => "container securityContext",
            Aspect::SecretEnv => "secret env",
            Aspect::SecretVolume => "secret volume",
            Aspect::ImagePullSecrets => "imagePullSecrets",
            Aspect::Secrets => "secrets",
        })
    }
}

/// One difference between the rendered manifests and the model.
#[derive(Clone, Debug, PartialEq)]
pub struct Disagreement {
    /// `Kind/name` of the rendered object (or of the expected one).
    pub object: String,
    pub workload: Option<Workload>,
    pub container: Option<String>,
    pub aspect: Aspect,
    pub expected: String,
    pub actual: String,
}

impl fmt::Display for Disagreement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.object)?;
        if let Some(w) = self.workload {
            write!(f, " ({w})")?;
        }
        if let Some(c) = &self.container {
            write!(f, " container {c}")?;
        }
        write!(
            f,
            ": {}: expected {}, rendered {}",
            self.aspect, self.expected, self.actual
        )
    }
}

/// The rendered stream could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckError(pub String);

impl fmt::Display for CheckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CheckError {}

/// Split a rendered stream (`helm template` output) into its YAML documents.
pub fn split_documents(stream: &str) -> Vec<&str> {
    let mut docs = Vec::new();
    let mut start = 0;
    let mut pos = 0;
    for line in stream.split_inclusive('\n') {
        let t = line.trim_end();
        let is_sep = t == "---" || (t.starts_with("--- ") && t[4..].trim_start().starts_with('#'));
        if is_sep {
            docs.push(&stream[start..pos]);
            start = pos + line.len();
        }
        pos += line.len();
    }
    docs.push(&stream[start..]);
    docs.into_iter()
        .filter(|d| {
            d.lines()
                .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        })
        .collect()
}

/// A pod spec found in the stream.
struct FoundPod {
    kind: String,
    name: String,
    spec: Value,
}

fn pod_spec_of(doc: &Value, kind: &str) -> Option<Value> {
    let path = match kind {
        "Deployment"
        | "StatefulSet"
        | "DaemonSet"
        | "ReplicaSet"
        | "Job"
        | "ReplicationController" => "spec.template.spec",
        "CronJob" => "spec.jobTemplate.spec.template.spec",
        "Pod" => "spec",
        _ => return None,
    };
    lookup(doc, path)
}

/// Check a rendered stream against the model for `values`.
pub fn check_manifests(values: &Values, rendered: &str) -> Result<Vec<Disagreement>, CheckError> {
    let mut out = Vec::new();
    let mut pods: Vec<FoundPod> = Vec::new();
    let mut secrets: Vec<String> = Vec::new();
    let template_cm = values.workload_object_name(Workload::PodTemplate);
    for (i, doc) in split_documents(rendered).into_iter().enumerate() {
        let v = chartgen_yaml::parse(doc.as_bytes())
            .map_err(|e| CheckError(format!("document {}: {e}", i + 1)))?;
        if v.is_nil_interface() {
            continue;
        }
        let kind = lookup_str(&v, "kind").unwrap_or_default();
        let name = lookup_str(&v, "metadata.name").unwrap_or_default();
        if kind == "Secret" {
            secrets.push(name.clone());
        }
        if kind == "ConfigMap" && name == template_cm {
            // The key contains a dot: look it up in the data map directly.
            let file = lookup(&v, "data")
                .and_then(|d| d.as_map())
                .and_then(|m| m.get("pod_template_file.yaml").map(go_string));
            if let Some(file) = file {
                if !values
                    .pod(Workload::PodTemplate)
                    .is_some_and(|p| p.user_template)
                {
                    let pod = chartgen_yaml::parse(file.as_bytes()).map_err(|e| {
                        CheckError(format!("{kind}/{name} pod_template_file.yaml: {e}"))
                    })?;
                    if let Some(spec) = lookup(&pod, "spec") {
                        pods.push(FoundPod { kind, name, spec });
                    }
                }
            }
            continue;
        }
        if let Some(spec) = pod_spec_of(&v, &kind) {
            pods.push(FoundPod { kind, name, spec });
        }
    }

    // Match rendered pods with the model.
    let expected: Vec<PodModel> = values
        .enabled_workloads()
        .into_iter()
        .filter_map(|w| values.pod(w))
        .collect();
    let mut seen = BTreeSet::new();
    for found in &pods {
        let m = expected
            .iter()
            .find(|p| p.object_name == found.name && p.kind == found.kind);
        match m {
            Some(model) => {
                if !seen.insert((found.kind.clone(), found.name.clone())) {
                    out.push(Disagreement {
                        object: format!("{}/{}", found.kind, found.name),
                        workload: Some(model.workload),
                        container: None,
                        aspect: Aspect::Workload,
                        expected: "one object".into(),
                        actual: "duplicate object".into(),
                    });
                    continue;
                }
                check_pod(values, model, found, &mut out);
            }
            None => {
                let same_name = expected.iter().find(|p| p.object_name == found.name);
                out.push(Disagreement {
                    object: format!("{}/{}", found.kind, found.name),
                    workload: same_name.map(|p| p.workload),
                    container: None,
                    aspect: Aspect::Workload,
                    expected: match same_name {
                        Some(p) => format!("kind {}", p.kind),
                        None => "no such workload".into(),
                    },
                    actual: format!("a {} with a pod spec", found.kind),
                });
            }
        }
    }
    for p in &expected {
        if p.user_template {
            continue;
        }
        if !seen.contains(&(p.kind.to_string(), p.object_name.clone()))
            && !pods.iter().any(|f| f.name == p.object_name)
        {
            out.push(Disagreement {
                object: format!("{}/{}", p.kind, p.object_name),
                workload: Some(p.workload),
                container: None,
                aspect: Aspect::Workload,
                expected: format!("rendered ({})", values.workload_status(p.workload).reason),
                actual: "absent".into(),
            });
        }
    }

    check_secrets(values, &secrets, &mut out);
    Ok(out)
}

fn container_list(spec: &Value, key: &str) -> Vec<Value> {
    lookup_list(spec, key)
}

fn check_pod(values: &Values, model: &PodModel, found: &FoundPod, out: &mut Vec<Disagreement>) {
    let w = model.workload;
    let object = format!("{}/{}", found.kind, found.name);
    let push = |out: &mut Vec<Disagreement>,
                container: Option<String>,
                aspect: Aspect,
                expected: String,
                actual: String| {
        out.push(Disagreement {
            object: object.clone(),
            workload: Some(w),
            container,
            aspect,
            expected,
            actual,
        })
    };

    // Pod securityContext.
    let pod_sc = values.pod_security_context(w);
    let actual = lookup(&found.spec, "securityContext");
    if !sc_equal(pod_sc.value.as_ref(), actual.as_ref()) {
        push(
            out,
            None,
            Aspect::PodSecurityContext,
            format!(
                "{} (from {} {})",
                show(pod_sc.value.as_ref()),
                pod_sc.level,
                pod_sc.path
            ),
            show(actual.as_ref()),
        );
    }

    // imagePullSecrets.
    let want = values.pod_image_pull_secrets(w);
    let got: Vec<String> = lookup_list(&found.spec, "imagePullSecrets")
        .iter()
        .map(|e| lookup_str(e, "name").unwrap_or_default())
        .collect();
    if want != got {
        push(
            out,
            None,
            Aspect::ImagePullSecrets,
            format!("{want:?}"),
            format!("{got:?}"),
        );
    }

    // Chart-named secret volumes.
    let want: Vec<(String, String)> = values
        .pod_secret_volumes(w)
        .into_iter()
        .map(|v| (v.volume.to_string(), v.secret))
        .collect();
    let got: Vec<(String, String)> = lookup_list(&found.spec, "volumes")
        .iter()
        .filter_map(|v| {
            let name = lookup_str(v, "name")?;
            let secret = lookup_str(v, "secret.secretName")?;
            CHART_SECRET_VOLUMES
                .contains(&name.as_str())
                .then_some((name, secret))
        })
        .collect();
    if want != got {
        push(
            out,
            None,
            Aspect::SecretVolume,
            format!("{want:?}"),
            format!("{got:?}"),
        );
    }

    // Containers.
    for (key, models) in [
        ("initContainers", &model.init_containers),
        ("containers", &model.containers),
    ] {
        let actual = container_list(&found.spec, key);
        let names: Vec<String> = actual
            .iter()
            .map(|c| lookup_str(c, "name").unwrap_or_default())
            .collect();
        let names_match = names.len() == models.len()
            && models
                .iter()
                .zip(&names)
                .all(|(m, n)| m.name.as_ref().is_none_or(|mn| mn == n));
        if !names_match {
            push(
                out,
                None,
                Aspect::Containers,
                format!(
                    "{key} {:?}",
                    models.iter().map(|m| m.display_name()).collect::<Vec<_>>()
                ),
                format!("{key} {names:?}"),
            );
        }
        for (i, m) in models.iter().enumerate() {
            let a = match &m.name {
                Some(n) => actual
                    .iter()
                    .find(|c| lookup_str(c, "name").as_deref() == Some(n)),
                None if names_match => actual.get(i),
                None => None,
            };
            if let Some(a) = a {
                check_container(values, w, m, a, out, &object);
            }
        }
    }
}

fn check_container(
    values: &Values,
    w: Workload,
    m: &ContainerModel,
    actual: &Value,
    out: &mut Vec<Disagreement>,
    object: &str,
) {
    let name = lookup_str(actual, "name");
    let push = |out: &mut Vec<Disagreement>, aspect: Aspect, expected: String, actual: String| {
        out.push(Disagreement {
            object: object.to_string(),
            workload: Some(w),
            container: name.clone(),
            aspect,
            expected,
            actual,
        })
    };
    let sc = values.container_security_context(w, m);
    let got = lookup(actual, "securityContext");
    if sc.exact && !sc_equal(sc.value.as_ref(), got.as_ref()) {
        push(
            out,
            Aspect::ContainerSecurityContext,
            format!(
                "{} (from {} {})",
                show(sc.value.as_ref()),
                sc.level,
                sc.path
            ),
            show(got.as_ref()),
        );
    }
    let env = values.container_env(w, m);
    let want: Vec<(String, String, String)> = env
        .vars
        .iter()
        .map(|e| (e.var.clone(), e.secret.clone(), e.key.clone()))
        .collect();
    let got: Vec<(String, String, String)> = lookup_list(actual, "env")
        .iter()
        .filter_map(|e| {
            let r = lookup(e, "valueFrom.secretKeyRef")?;
            Some((
                lookup_str(e, "name").unwrap_or_default(),
                lookup_str(&r, "name").unwrap_or_default(),
                lookup_str(&r, "key").unwrap_or_default(),
            ))
        })
        .collect();
    let ok = if env.opaque {
        is_subsequence(&want, &got)
    } else {
        want == got
    };
    if !ok {
        let fmt = |l: &[(String, String, String)]| {
            l.iter()
                .map(|(v, s, k)| format!("{v}<-{s}/{k}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        push(
            out,
            Aspect::SecretEnv,
            format!(
                "[{}]{}",
                fmt(&want),
                if env.opaque {
                    " (as a subsequence: templated extraEnv)"
                } else {
                    ""
                }
            ),
            format!("[{}]", fmt(&got)),
        );
    }
}

fn is_subsequence<T: PartialEq>(small: &[T], big: &[T]) -> bool {
    let mut it = big.iter();
    small.iter().all(|s| it.any(|b| b == s))
}

/// A rendered `securityContext` equals the model's: `None` expected means the key is absent.
fn sc_equal(expected: Option<&Value>, actual: Option<&Value>) -> bool {
    match (expected, actual) {
        (None, None) => true,
        (Some(e), Some(a)) => values_equal(e, a),
        (Some(e), None) => e.is_nil_interface(),
        (None, Some(a)) => a.is_nil_interface(),
    }
}

fn check_secrets(values: &Values, rendered: &[String], out: &mut Vec<Disagreement>) {
    let model = values.secrets();
    let mut expected: BTreeSet<String> = model
        .iter()
        .filter(|s| s.created)
        .map(|s| s.name.clone())
        .collect();
    // extraSecrets: literal names are expected; templated names are allowed.
    let mut templated = 0usize;
    if let Some(m) = values.map("extraSecrets") {
        for k in m.keys() {
            if k.contains("{{") {
                templated += 1;
            } else {
                expected.insert(k.to_string());
            }
        }
    }
    let rendered_set: BTreeSet<String> = rendered.iter().cloned().collect();
    for s in &model {
        if s.created && !rendered_set.contains(&s.name) {
            out.push(Disagreement {
                object: format!("Secret/{}", s.name),
                workload: None,
                container: None,
                aspect: Aspect::Secrets,
                expected: format!("created ({})", s.reason),
                actual: "absent".into(),
            });
        }
    }
    let unexpected: Vec<&String> = rendered_set
        .iter()
        .filter(|n| !expected.contains(*n))
        .collect();
    if unexpected.len() > templated {
        for n in unexpected {
            let why = model
                .iter()
                .find(|s| &s.name == n)
                .map(|s| format!("not created ({})", s.reason))
                .unwrap_or_else(|| "no such chart secret".into());
            out.push(Disagreement {
                object: format!("Secret/{n}"),
                workload: None,
                container: None,
                aspect: Aspect::Secrets,
                expected: why,
                actual: "rendered".into(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_helm_streams() {
        let s = "---\n# Source: a.yaml\nkind: A\n---\n# Source: b.yaml\n---\nkind: B\n";
        let d = split_documents(s);
        assert_eq!(d.len(), 2);
        assert!(d[0].contains("kind: A"));
        assert!(d[1].contains("kind: B"));
    }

    #[test]
    fn subsequence() {
        assert!(is_subsequence(&[1, 3], &[1, 2, 3]));
        assert!(!is_subsequence(&[3, 1], &[1, 2, 3]));
    }

    #[test]
    fn detects_a_wrong_security_context() {
        let v = Values::from_user_yaml("statsd:\n  enabled: true\n", "airflow", "airflow").unwrap();
        let doc = "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: airflow-statsd\nspec:\n  template:\n    spec:\n      securityContext:\n        runAsUser: 1\n      containers:\n        - name: statsd\n          securityContext:\n            allowPrivilegeEscalation: false\n            capabilities:\n              drop: [ALL]\n";
        let d = check_manifests(&v, doc).unwrap();
        assert!(d.iter().any(|d| d.aspect == Aspect::PodSecurityContext));
        assert!(!d
            .iter()
            .any(|d| d.aspect == Aspect::ContainerSecurityContext));
        // Every other enabled workload is missing, and every created secret.
        assert!(d
            .iter()
            .any(|d| d.aspect == Aspect::Workload && d.workload == Some(Workload::Scheduler)));
        assert!(d.iter().any(|d| d.aspect == Aspect::Secrets));
    }
}
