//! Human-readable explanations of the model's decisions (`chartgen explain`).

use crate::secrets::BuiltInEnv;
use crate::security::{CandidateState, SecurityContextDecision};
use crate::values::{go_string, Values};
use crate::workload::{ContainerModel, Workload};
use gotmpl::Value;
use std::fmt::Write;

/// (env var, secret, key).
type EnvTriple = (String, String, String);

/// A scalar as YAML would show it; maps and lists as flow JSON.
fn flow(v: &Value) -> String {
    match v {
        Value::String(_) | Value::Bool(_) | Value::Int(..) | Value::Uint(..) | Value::Float(_) => {
            let s = go_string(v);
            if matches!(v, Value::String(_)) && (s.is_empty() || s.parse::<f64>().is_ok()) {
                format!("{s:?}")
            } else {
                s
            }
        }
        Value::Invalid | Value::Nil => "null".into(),
        other => chartgen_yaml::to_json(other),
    }
}

fn header(values: &Values) -> String {
    format!(
        "release {:?} in namespace {:?}; Airflow {} ({}); executor {:?}",
        values.release().name,
        values.release().namespace,
        values
            .get("airflowVersion")
            .map(go_string)
            .unwrap_or_default(),
        if values.is_airflow3() {
            "api-server"
        } else {
            "webserver"
        },
        values.string_or("executor", ""),
    )
}

fn write_decision(out: &mut String, d: &SecurityContextDecision, indent: &str) {
    match &d.value {
        None => {
            let _ = writeln!(
                out,
                "{indent}(no securityContext: the extra container sets none)"
            );
        }
        Some(v) if v.as_map().is_some_and(|m| m.is_empty()) => {
            let _ = writeln!(out, "{indent}{{}} (empty)");
        }
        Some(v) if v.as_map().is_none() => {
            let _ = writeln!(out, "{indent}{}", flow(v));
        }
        Some(_) => {
            let width = d.fields.iter().map(|f| f.field.len()).max().unwrap_or(0) + 1;
            let vwidth = d
                .fields
                .iter()
                .map(|f| flow(&f.value).len())
                .max()
                .unwrap_or(0);
            for f in &d.fields {
                let _ = writeln!(
                    out,
                    "{indent}{:width$} {:vwidth$}  <- {} [{}]",
                    format!("{}:", f.field),
                    flow(&f.value),
                    f.path,
                    f.level,
                );
            }
        }
    }
    if !d.exact {
        let _ = writeln!(
            out,
            "{indent}(contains template actions: rendered through tpl, not predicted exactly)"
        );
    }
    let _ = writeln!(out, "{indent}levels, first non-empty wins (never merged):");
    let width = d.candidates.iter().map(|c| c.path.len()).max().unwrap_or(0);
    for (i, c) in d.candidates.iter().enumerate() {
        let state = match &c.state {
            CandidateState::Picked => "<= picked".to_string(),
            CandidateState::Empty => match &c.value {
                None => "unset".to_string(),
                Some(v) => format!("empty ({})", flow(v)),
            },
            CandidateState::Shadowed => "set, but a higher level wins".to_string(),
            CandidateState::NotApplicable(why) => format!("not consulted: {why}"),
        };
        let _ = writeln!(
            out,
            "{indent}  {}. {:width$}  [{}] {}",
            i + 1,
            c.path,
            c.level,
            state,
            width = width
        );
    }
}

fn container_title(c: &ContainerModel) -> String {
    format!(
        "{} {}",
        if c.init {
            "init container"
        } else {
            "container"
        },
        c.display_name()
    )
}

/// Values that render but probably do not do what their author meant
/// (settings the templates ignore, secret keys the chart does not write,
/// containers left without a database URL).
pub fn warnings(values: &Values) -> Vec<String> {
    let mut out = Vec::new();
    if values.truthy("pgbouncer.enabled")
        && !values.truthy("pgbouncer.metricsExporterSidecar.statsSecretName")
    {
        let key = values.string_or(
            "pgbouncer.metricsExporterSidecar.statsSecretKey",
            "connection",
        );
        if key != "connection" {
            out.push(format!(
                "pgbouncer.metricsExporterSidecar.statsSecretKey is {key:?} but statsSecretName is unset: it is ignored, and the exporter reads key `connection` of the chart's {}",
                values.secret_info(crate::secrets::ChartSecret::PgbouncerStats).name
            ));
        }
    }
    for name in BuiltInEnv::COMPAT_NAMES {
        let mut paths = vec!["enableBuiltInSecretEnvVars".to_string()];
        paths.extend(
            Workload::ALL
                .into_iter()
                .filter(|w| w.is_airflow() && *w != Workload::PodTemplate)
                .map(|w| format!("{}.enableBuiltInSecretEnvVars", w.values_key())),
        );
        for p in paths {
            if values
                .map(&p)
                .and_then(|m| m.get(name).cloned())
                .is_some_and(|v| !v.is_true())
            {
                out.push(format!(
                    "{p}.{name}: false has no effect (accepted for compatibility with the official chart)"
                ));
            }
        }
    }
    for block in [
        "workers.kerberosInitContainer",
        "workers.celery.kerberosInitContainer",
        "workers.kubernetes.kerberosInitContainer",
    ] {
        if values.truthy(&format!("{block}.containerLifecycleHooks")) {
            out.push(format!(
                "{block}.containerLifecycleHooks is not rendered: Kubernetes rejects lifecycle hooks on init containers"
            ));
        }
    }
    for w in values.enabled_workloads() {
        let Some(pod) = values.pod(w) else { continue };
        if pod.user_template {
            continue;
        }
        for c in pod.all_containers() {
            if c.role != crate::workload::ContainerRole::WaitForMigrations {
                continue;
            }
            let env = values.container_env(w, c);
            let has_db = env
                .vars
                .iter()
                .any(|e| e.var == "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN");
            let key = w.values_key();
            let given_elsewhere = [
                "env".to_string(),
                "extraEnv".to_string(),
                "extraEnvFrom".to_string(),
                format!("{key}.env"),
                format!("{key}.waitForMigrations.env"),
            ]
            .iter()
            .filter_map(|p| values.get(p))
            .any(|v| {
                chartgen_yaml::to_yaml(&v).contains("SQL_ALCHEMY_CONN")
                    || matches!(&v, Value::String(s) if s.contains("SQL_ALCHEMY_CONN"))
            }) || values.truthy("extraEnvFrom");
            if !has_db && !env.opaque && !given_elsewhere {
                out.push(format!(
                    "{w}: wait-for-airflow-migrations gets no database URL from a secret (AIRFLOW__DATABASE__SQL_ALCHEMY_CONN is switched off); give a _CMD/_SECRET variant in extraEnv or set {}.waitForMigrations.enabled: false",
                    w.values_key()
                ));
            }
        }
    }
    out
}

fn write_warnings(out: &mut String, values: &Values) {
    let w = warnings(values);
    if !w.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "warnings:");
        for x in w {
            let _ = writeln!(out, "  - {x}");
        }
    }
}

/// Explain the pod and container securityContexts of one workload:
/// the effective context, the level and values path of every field, and
/// every level considered.
pub fn explain_security_context(values: &Values, workload: Workload) -> String {
    let mut out = String::new();
    let status = values.workload_status(workload);
    let pod = values.pod_layout(workload);
    let _ = writeln!(
        out,
        "securityContext of {workload} ({} {}) — {}",
        pod.kind,
        pod.object_name,
        header(values)
    );
    if status.enabled {
        let _ = writeln!(out, "rendered: yes ({})", status.reason);
    } else {
        let _ = writeln!(
            out,
            "rendered: NO ({}); showing what it would get if it were enabled",
            status.reason
        );
    }
    let rule = match workload.family() {
        crate::workload::Family::Airflow => "Airflow pod: pod = <component>.securityContexts.pod (Celery workers / pod template: workers.celery / workers.kubernetes first), else the deprecated <component>.securityContext, else securityContexts.pod, else the deprecated securityContext, else uid/gid; containers = own block, else <component>.securityContexts.containers/.container, else the global ones, else the hardened default",
        crate::workload::Family::ThirdParty => "exception (like the official chart): pgbouncer, redis and statsd ignore uid, gid and the global securityContexts; pod = <component>.securityContexts.pod, else the deprecated <component>.securityContext (statsd, redis), else runAsUser <component>.uid (redis also fsGroup); containers = own block, else <component>.securityContexts.containers/.container, else the hardened default",
        crate::workload::Family::SubChart => "embedded PostgreSQL sub-chart: postgresql.securityContexts.pod and .container (else .containers) rendered as given (the Airflow settings do not apply)",
    };
    let _ = writeln!(out, "rule: {rule}");
    if pod.user_template {
        let _ = writeln!(
            out,
            "note: podTemplate is set: the rendered pod_template_file.yaml is the user's own template, not this model"
        );
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "pod securityContext:");
    write_decision(&mut out, &values.pod_security_context(workload), "  ");
    for c in pod.all_containers() {
        let _ = writeln!(out);
        let _ = writeln!(out, "{} securityContext:", container_title(c));
        write_decision(
            &mut out,
            &values.container_security_context(workload, c),
            "  ",
        );
    }
    write_warnings(&mut out, values);
    out
}

/// Explain the built-in secrets (names, overrides, whether the chart creates
/// them) and, for every rendered workload and container, which env var reads
/// which secret key and why.
pub fn explain_secrets(values: &Values) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "built-in secrets — {}", header(values));
    let _ = writeln!(out);
    let _ = writeln!(out, "secrets:");
    let secrets = values.secrets();
    let width = secrets.iter().map(|s| s.name.len()).max().unwrap_or(0);
    for s in &secrets {
        let state = match (s.used, s.created) {
            (true, true) => "used, created by the chart",
            (true, false) => "used, must exist (not created by the chart)",
            (false, true) => "created, not read by any pod",
            (false, false) => "not used",
        };
        let _ = writeln!(
            out,
            "  {:width$}  {state}; keys: {}",
            s.name,
            s.secret.keys().join(", "),
            width = width
        );
        let ov = match s.override_path {
            Some(p) if s.overridden => format!("name from {p}"),
            Some(p) => format!("default name (override: {p})"),
            None => "fixed name".into(),
        };
        let _ = writeln!(out, "  {:width$}    {ov}; {}", "", s.reason, width = width);
    }

    let _ = writeln!(out);
    let _ = writeln!(out, "enableBuiltInSecretEnvVars in effect:");
    for b in BuiltInEnv::ALL {
        let mut overrides = Vec::new();
        for w in Workload::ALL.into_iter().filter(|w| w.is_airflow()) {
            if w == Workload::PodTemplate {
                continue;
            }
            let sw = values.builtin_env_switch(w, b.var());
            if sw.decided_by.starts_with(w.values_key()) {
                overrides.push(format!("{}={}", w.values_key(), sw.enabled));
            }
        }
        let g = match values
            .map("enableBuiltInSecretEnvVars")
            .and_then(|m| m.get(b.var()).cloned())
        {
            Some(v) => format!("{}", v.is_true()),
            None => "true (default)".into(),
        };
        let _ = writeln!(
            out,
            "  {:38} global {g}{}",
            b.var(),
            if overrides.is_empty() {
                String::new()
            } else {
                format!("; per component: {}", overrides.join(", "))
            }
        );
    }
    let _ = writeln!(
        out,
        "  (accepted for compatibility, no effect: {})",
        BuiltInEnv::COMPAT_NAMES.join(", ")
    );

    let _ = writeln!(out);
    let _ = writeln!(out, "env vars read from secrets, by workload:");
    for w in values.enabled_workloads() {
        let Some(pod) = values.pod(w) else { continue };
        let _ = writeln!(out);
        let _ = writeln!(out, "{w} ({} {}):", pod.kind, pod.object_name);
        if pod.user_template {
            let _ = writeln!(
                out,
                "  podTemplate is set: the pod template is the user's own, not modelled"
            );
            continue;
        }
        let mut skipped_shown = false;
        let mut previous: Option<(String, Vec<EnvTriple>)> = None;
        for c in pod.all_containers() {
            let env = values.container_env(w, c);
            let _ = writeln!(out, "  {}:", container_title(c));
            let triples: Vec<EnvTriple> = env
                .vars
                .iter()
                .map(|e| (e.var.clone(), e.secret.clone(), e.key.clone()))
                .collect();
            let same = previous
                .as_ref()
                .filter(|(_, p)| !triples.is_empty() && *p == triples)
                .map(|(n, _)| n.clone());
            previous = Some((c.display_name(), triples));
            if let Some(prev) = same {
                let _ = writeln!(out, "    (the same as {prev})");
                continue;
            }
            if env.vars.is_empty() {
                let _ = writeln!(out, "    (none)");
            }
            for e in &env.vars {
                let _ = writeln!(
                    out,
                    "    {} <- secret {} key {}  ({})",
                    e.var, e.secret, e.key, e.reason
                );
            }
            if env.opaque {
                let _ = writeln!(
                    out,
                    "    (+ whatever the templated extraEnv string renders to)"
                );
            }
            if !skipped_shown && !env.skipped.is_empty() {
                skipped_shown = true;
                let list: Vec<String> = env
                    .skipped
                    .iter()
                    .map(|s| format!("{} ({})", s.var, s.reason))
                    .collect();
                let _ = writeln!(
                    out,
                    "    not set in this component's Airflow containers: {}",
                    list.join("; ")
                );
            }
        }
        let vols = values.pod_secret_volumes(w);
        for v in vols {
            let _ = writeln!(
                out,
                "  volume {} <- secret {}  ({})",
                v.volume, v.secret, v.reason
            );
        }
        let pulls = values.pod_image_pull_secrets(w);
        if !pulls.is_empty() {
            let _ = writeln!(out, "  imagePullSecrets: {}", pulls.join(", "));
        }
    }
    write_warnings(&mut out, values);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explains_the_guide_example() {
        let v = Values::from_user_yaml(
            "uid: 40000\ngid: 0\nsecurityContexts: {}\nscheduler:\n  securityContexts: {}\n",
            "airflow",
            "airflow",
        )
        .unwrap();
        let s = explain_security_context(&v, Workload::Scheduler);
        assert!(s.contains("runAsUser: 40000  <- uid [uid/gid]"), "{s}");
        assert!(s.contains("fsGroup:   0      <- gid [uid/gid]"), "{s}");
        assert!(
            s.contains("init container wait-for-airflow-migrations"),
            "{s}"
        );
    }

    #[test]
    fn explains_deprecated_levels_and_overlays() {
        let v = Values::from_user_yaml(
            "securityContext: {runAsUser: 7}\nworkers:\n  celery:\n    securityContexts:\n      pod: {runAsUser: 8}\n    kerberosInitContainer:\n      containerLifecycleHooks: {postStart: {exec: {command: [x]}}}\n",
            "airflow",
            "airflow",
        )
        .unwrap();
        let s = explain_security_context(&v, Workload::Scheduler);
        assert!(
            s.contains("runAsUser: 7  <- securityContext.runAsUser [global-legacy]"),
            "{s}"
        );
        let s = explain_security_context(&v, Workload::Worker);
        assert!(
            s.contains("<- workers.celery.securityContexts.pod.runAsUser [component]"),
            "{s}"
        );
        assert!(s.contains("workers.securityContext  "), "{s}");
        assert!(
            s.contains(
                "workers.celery.kerberosInitContainer.containerLifecycleHooks is not rendered"
            ),
            "{s}"
        );
    }

    #[test]
    fn explains_secrets() {
        let v = Values::from_user_yaml(
            "workers:\n  enableBuiltInSecretEnvVars:\n    AIRFLOW__CORE__FERNET_KEY: false\n",
            "rel",
            "ns",
        )
        .unwrap();
        let s = explain_secrets(&v);
        assert!(s.contains("rel-airflow-metadata"), "{s}");
        assert!(s.contains("per component: workers=false"), "{s}");
        assert!(s.contains(
            "switched off by workers.enableBuiltInSecretEnvVars.AIRFLOW__CORE__FERNET_KEY: false"
        ));
    }
}
