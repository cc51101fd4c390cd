//! The securityContexts precedence, exactly as the chart implements it
//! (`airflow.podSecurityContext`, `airflow.containerSecurityContext`,
//! `airflow.localPodSecurityContext`, `airflow.localContainerSecurityContext`
//! in `chart/templates/_helpers.tpl`, and the PostgreSQL sub-chart).
//!
//! Levels are never merged: the first non-empty level supplies the whole
//! securityContext, so every field of the result has the same level. An
//! empty map (or any other falsy value) counts as unset.

use crate::values::{lookup, map_of, to_int64, Values};
use crate::workload::{ContainerModel, ContainerRole, Family, Workload};
use gotmpl::Value;
use std::fmt;

/// The kind of precedence level a securityContext came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Level {
    /// A sidecar's or init container's own block
    /// (`<component>.waitForMigrations.securityContexts.container`, …).
    ContainerOwn,
    /// The component's `securityContexts.pod` / `.containers` / `.container`
    /// (for the Celery workers and the pod template also `workers.celery` /
    /// `workers.kubernetes`, before `workers`).
    Component,
    /// The component's deprecated singular `securityContext` (pod level).
    ComponentLegacy,
    /// The global `securityContexts.pod` / `.containers` / `.container`.
    Global,
    /// The global deprecated singular `securityContext` (pod level).
    GlobalLegacy,
    /// Global `uid` (runAsUser) and `gid` (fsGroup).
    UidGid,
    /// pgbouncer/redis/statsd: `runAsUser` (redis also `fsGroup`) from the component's own `uid`.
    ComponentUid,
    /// The chart's hardened container default (`allowPrivilegeEscalation: false`,
    /// all capabilities dropped; git-sync adds `runAsUser: dags.gitSync.uid`;
    /// volume-permissions runs as root with CHOWN/FOWNER).
    ChartDefault,
    /// The PostgreSQL sub-chart's `postgresql.securityContexts`, rendered as given.
    SubChart,
    /// An extra container from `extraContainers`/`extraInitContainers`, rendered as given.
    AsGiven,
}

impl Level {
    pub fn describe(self) -> &'static str {
        match self {
            Level::ContainerOwn => "the container's own securityContexts",
            Level::Component => "the component's securityContexts",
            Level::ComponentLegacy => "the component's deprecated securityContext",
            Level::Global => "the global securityContexts",
            Level::GlobalLegacy => "the global deprecated securityContext",
            Level::UidGid => "the global uid/gid",
            Level::ComponentUid => "the component's own uid (pgbouncer/redis/statsd exception)",
            Level::ChartDefault => "the chart's hardened default",
            Level::SubChart => "the PostgreSQL sub-chart's securityContexts (as given)",
            Level::AsGiven => "the extra container as given in values",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Level::ContainerOwn => "container-own",
            Level::Component => "component",
            Level::ComponentLegacy => "component-legacy",
            Level::Global => "global",
            Level::GlobalLegacy => "global-legacy",
            Level::UidGid => "uid/gid",
            Level::ComponentUid => "component-uid",
            Level::ChartDefault => "chart-default",
            Level::SubChart => "sub-chart",
            Level::AsGiven => "as-given",
        })
    }
}

/// What happened to one candidate level.
#[derive(Clone, Debug, PartialEq)]
pub enum CandidateState {
    /// This level supplied the securityContext.
    Picked,
    /// Unset or empty (falsy), so the next level was consulted.
    Empty,
    /// Set, but a higher level already won.
    Shadowed,
    /// Not consulted for this container, with the reason.
    NotApplicable(&'static str),
}

/// One level considered, in precedence order.
#[derive(Clone, Debug)]
pub struct Candidate {
    pub level: Level,
    /// Values path of the level (`scheduler.securityContexts.pod`, `uid`+`gid`, `(chart default)`).
    pub path: String,
    /// The value found there (`None`: missing).
    pub value: Option<Value>,
    pub state: CandidateState,
}

/// One field of the effective securityContext and where it came from.
#[derive(Clone, Debug)]
pub struct FieldOrigin {
    /// Top-level field name (`runAsUser`, `capabilities`, …).
    pub field: String,
    pub value: Value,
    pub level: Level,
    /// Values path that supplied the field (`scheduler.securityContexts.pod.runAsUser`,
    /// `uid`, `gid`, `dags.gitSync.uid`, `(chart default)`).
    pub path: String,
}

/// The effective securityContext of a pod or container, and why.
#[derive(Clone, Debug)]
pub struct SecurityContextDecision {
    /// The rendered `securityContext` (`None`: the key is absent, only for extra
    /// containers given without one).
    pub value: Option<Value>,
    /// The level that supplied it.
    pub level: Level,
    /// Values path of that level.
    pub path: String,
    /// Each top-level field with its origin.
    pub fields: Vec<FieldOrigin>,
    /// Every level considered, in precedence order.
    pub candidates: Vec<Candidate>,
    /// Whether the rendered value can be predicted exactly (false for
    /// templated extra containers, whose securityContext passes through `tpl`).
    pub exact: bool,
}

impl SecurityContextDecision {
    /// `runAsUser` of the effective context, if set to a number.
    pub fn run_as_user(&self) -> Option<i64> {
        self.field_i64("runAsUser")
    }

    /// `fsGroup` of the effective context, if set to a number.
    pub fn fs_group(&self) -> Option<i64> {
        self.field_i64("fsGroup")
    }

    fn field_i64(&self, name: &str) -> Option<i64> {
        let v = self.value.as_ref()?.as_map()?.get(name)?.clone();
        matches!(v, Value::Int(..) | Value::Float(_) | Value::Uint(..)).then(|| to_int64(&v))
    }
}

const DEFAULT_PATH: &str = "(chart default)";

fn hardened_default() -> Vec<(&'static str, Value)> {
    vec![
        ("allowPrivilegeEscalation", Value::Bool(false)),
        (
            "capabilities",
            map_of(vec![("drop", Value::list(vec![Value::string("ALL")]))]),
        ),
    ]
}

fn volume_permissions_default() -> Vec<(&'static str, Value)> {
    vec![
        ("runAsUser", Value::int64(0)),
        ("runAsNonRoot", Value::Bool(false)),
        ("allowPrivilegeEscalation", Value::Bool(false)),
        (
            "capabilities",
            map_of(vec![
                ("drop", Value::list(vec![Value::string("ALL")])),
                (
                    "add",
                    Value::list(vec![Value::string("CHOWN"), Value::string("FOWNER")]),
                ),
            ]),
        ),
    ]
}

struct Resolver {
    candidates: Vec<Candidate>,
}

impl Resolver {
    fn new() -> Resolver {
        Resolver {
            candidates: Vec::new(),
        }
    }

    /// Consider a values path as the next level. Under `workers.celery` and
    /// `workers.kubernetes` nulls are dropped first, as the chart does before
    /// overlaying them (a block of nulls counts as unset).
    fn level(&mut self, v: &Values, level: Level, path: String) {
        let mut value = v.get(&path);
        if path.starts_with("workers.celery.") || path.starts_with("workers.kubernetes.") {
            value = value.map(|x| crate::values::prune_nulls(&x));
        }
        self.push(level, path, value);
    }

    fn push(&mut self, level: Level, path: String, value: Option<Value>) {
        let picked = self
            .candidates
            .iter()
            .any(|c| c.state == CandidateState::Picked);
        let truthy = value.as_ref().is_some_and(Value::is_true);
        let state = if !truthy {
            CandidateState::Empty
        } else if picked {
            CandidateState::Shadowed
        } else {
            CandidateState::Picked
        };
        self.candidates.push(Candidate {
            level,
            path,
            value,
            state,
        });
    }

    fn not_applicable(&mut self, v: &Values, level: Level, path: String, why: &'static str) {
        let value = v.get(&path);
        self.candidates.push(Candidate {
            level,
            path,
            value,
            state: CandidateState::NotApplicable(why),
        });
    }

    fn picked(&self) -> Option<&Candidate> {
        self.candidates
            .iter()
            .find(|c| c.state == CandidateState::Picked)
    }

    /// Finish with the picked level, else the given fallback fields (each with its path).
    fn finish(
        mut self,
        fallback_level: Level,
        fallback: Vec<(&'static str, Value, String)>,
    ) -> SecurityContextDecision {
        if let Some(c) = self.picked() {
            let value = c.value.clone().unwrap();
            let fields = value
                .as_map()
                .map(|m| {
                    m.iter()
                        .map(|(k, fv)| FieldOrigin {
                            field: k.to_string(),
                            value: fv.clone(),
                            level: c.level,
                            path: format!("{}.{}", c.path, k),
                        })
                        .collect()
                })
                .unwrap_or_default();
            return SecurityContextDecision {
                level: c.level,
                path: c.path.clone(),
                value: Some(value),
                fields,
                candidates: self.candidates,
                exact: true,
            };
        }
        let path = {
            let mut ps: Vec<&str> = Vec::new();
            for (_, _, p) in &fallback {
                if !ps.contains(&p.as_str()) {
                    ps.push(p);
                }
            }
            ps.join(" + ")
        };
        let pairs: Vec<(&str, Value)> = fallback.iter().map(|(k, v, _)| (*k, v.clone())).collect();
        let fields = fallback
            .iter()
            .map(|(k, fv, p)| FieldOrigin {
                field: k.to_string(),
                value: fv.clone(),
                level: fallback_level,
                path: p.clone(),
            })
            .collect();
        self.candidates.push(Candidate {
            level: fallback_level,
            path: path.clone(),
            value: Some(map_of(pairs.clone())),
            state: CandidateState::Picked,
        });
        SecurityContextDecision {
            value: Some(map_of(pairs)),
            level: fallback_level,
            path,
            fields,
            candidates: self.candidates,
            exact: true,
        }
    }
}

fn with_path(fields: Vec<(&'static str, Value)>, path: &str) -> Vec<(&'static str, Value, String)> {
    fields
        .into_iter()
        .map(|(k, v)| (k, v, path.to_string()))
        .collect()
}

/// Values prefixes of a component's own settings, most specific first: the
/// per-executor block overlaid on `workers` (`workers.celery` for the Celery
/// workers, `workers.kubernetes` for the pod template), then `<key>`.
fn component_prefixes(w: Workload) -> Vec<String> {
    let key = w.values_key();
    let mut out = Vec::new();
    if let Some(ex) = w.worker_overlay() {
        out.push(format!("{key}.{ex}"));
    }
    out.push(key.to_string());
    out
}

impl Values {
    /// The effective pod securityContext of a workload.
    pub fn pod_security_context(&self, w: Workload) -> SecurityContextDecision {
        let key = w.values_key();
        let mut r = Resolver::new();
        match w.family() {
            Family::Airflow => {
                for prefix in component_prefixes(w) {
                    r.level(
                        self,
                        Level::Component,
                        format!("{prefix}.securityContexts.pod"),
                    );
                }
                r.level(
                    self,
                    Level::ComponentLegacy,
                    format!("{key}.securityContext"),
                );
                r.level(self, Level::Global, "securityContexts.pod".into());
                r.level(self, Level::GlobalLegacy, "securityContext".into());
                r.finish(
                    Level::UidGid,
                    vec![
                        ("runAsUser", Value::int64(self.int64("uid")), "uid".into()),
                        ("fsGroup", Value::int64(self.int64("gid")), "gid".into()),
                    ],
                )
            }
            Family::ThirdParty => {
                r.level(
                    self,
                    Level::Component,
                    format!("{key}.securityContexts.pod"),
                );
                // pgbouncer has no deprecated singular form (the official chart has none either).
                if w != Workload::PgBouncer {
                    r.level(
                        self,
                        Level::ComponentLegacy,
                        format!("{key}.securityContext"),
                    );
                }
                r.not_applicable(
                    self,
                    Level::Global,
                    "securityContexts.pod".into(),
                    "pgbouncer, redis and statsd ignore the Airflow global securityContexts",
                );
                let uid_path = format!("{key}.uid");
                let uid = Value::int64(self.int64(&uid_path));
                let mut fields = vec![("runAsUser", uid.clone(), uid_path.clone())];
                if w == Workload::Redis {
                    fields.push(("fsGroup", uid, uid_path));
                }
                r.finish(Level::ComponentUid, fields)
            }
            Family::SubChart => {
                let path = "postgresql.securityContexts.pod".to_string();
                as_given(self, Level::SubChart, path)
            }
        }
    }

    /// The effective securityContext of one container of a workload's pod.
    pub fn container_security_context(
        &self,
        w: Workload,
        c: &ContainerModel,
    ) -> SecurityContextDecision {
        let key = w.values_key();
        if let ContainerRole::Extra { given, .. } = &c.role {
            let sc = lookup(given, "securityContext");
            let exact = !sc
                .as_ref()
                .is_some_and(|v| chartgen_yaml::to_yaml(v).contains("{{"));
            let fields = sc
                .as_ref()
                .and_then(Value::as_map)
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| FieldOrigin {
                            field: k.to_string(),
                            value: v.clone(),
                            level: Level::AsGiven,
                            path: format!("{}.securityContext.{k}", extra_path(w, c)),
                        })
                        .collect()
                })
                .unwrap_or_default();
            return SecurityContextDecision {
                value: sc.clone(),
                level: Level::AsGiven,
                path: format!("{}.securityContext", extra_path(w, c)),
                fields,
                candidates: vec![Candidate {
                    level: Level::AsGiven,
                    path: format!("{}.securityContext", extra_path(w, c)),
                    value: sc,
                    state: CandidateState::Picked,
                }],
                exact,
            };
        }
        if w.family() == Family::SubChart {
            // The sub-chart prefers `container` when it is set and not empty.
            let path = if self.truthy("postgresql.securityContexts.container") {
                "postgresql.securityContexts.container"
            } else {
                "postgresql.securityContexts.containers"
            };
            return as_given(self, Level::SubChart, path.into());
        }
        // The container's own block; for worker pods also the overlay's
        // (`workers.celery.persistence`, `workers.<executor>.kerberosInitContainer`).
        let overlaid = |block: &str| -> Vec<String> {
            let mut v: Vec<String> = component_prefixes(w)
                .into_iter()
                .map(|p| format!("{p}.{block}"))
                .collect();
            // Only blocks the overlay schema has are looked up there.
            v.retain(|p| p.starts_with(&format!("{key}.{block}")) || self.get(p).is_some());
            v
        };
        let own: Vec<String> = match c.role {
            ContainerRole::WaitForMigrations => vec![format!("{key}.waitForMigrations")],
            ContainerRole::LogGroomer => vec![format!("{key}.logGroomerSidecar")],
            ContainerRole::GitSync => vec!["dags.gitSync".into()],
            ContainerRole::KerberosSidecar => vec!["workers.kerberosSidecar".into()],
            ContainerRole::KerberosInit => overlaid("kerberosInitContainer"),
            ContainerRole::VolumePermissions => overlaid("persistence"),
            ContainerRole::MetricsExporter => vec!["pgbouncer.metricsExporterSidecar".into()],
            ContainerRole::Main | ContainerRole::Extra { .. } => Vec::new(),
        };
        let mut r = Resolver::new();
        for own in &own {
            r.level(
                self,
                Level::ContainerOwn,
                format!("{own}.securityContexts.containers"),
            );
            r.level(
                self,
                Level::ContainerOwn,
                format!("{own}.securityContexts.container"),
            );
        }
        if c.role == ContainerRole::GitSync {
            // git-sync's deprecated singular form, after its securityContexts.
            r.level(
                self,
                Level::ContainerOwn,
                "dags.gitSync.securityContext".into(),
            );
        }
        if c.role == ContainerRole::VolumePermissions {
            let why = "volume-permissions must run as root: only its own block and its root default apply";
            for prefix in component_prefixes(w) {
                for p in [
                    format!("{prefix}.securityContexts.containers"),
                    format!("{prefix}.securityContexts.container"),
                ] {
                    r.not_applicable(self, Level::Component, p, why);
                }
            }
            for p in ["securityContexts.containers", "securityContexts.container"] {
                r.not_applicable(self, Level::Global, p.into(), why);
            }
            return r.finish(
                Level::ChartDefault,
                with_path(volume_permissions_default(), DEFAULT_PATH),
            );
        }
        for prefix in component_prefixes(w) {
            r.level(
                self,
                Level::Component,
                format!("{prefix}.securityContexts.containers"),
            );
            r.level(
                self,
                Level::Component,
                format!("{prefix}.securityContexts.container"),
            );
        }
        if w.family() == Family::Airflow {
            r.level(self, Level::Global, "securityContexts.containers".into());
            r.level(self, Level::Global, "securityContexts.container".into());
        } else {
            let why = "pgbouncer, redis and statsd ignore the Airflow global securityContexts";
            r.not_applicable(
                self,
                Level::Global,
                "securityContexts.containers".into(),
                why,
            );
            r.not_applicable(
                self,
                Level::Global,
                "securityContexts.container".into(),
                why,
            );
        }
        let mut fallback = Vec::new();
        if c.role == ContainerRole::GitSync {
            fallback.push((
                "runAsUser",
                Value::int64(self.int64("dags.gitSync.uid")),
                "dags.gitSync.uid".to_string(),
            ));
        }
        fallback.extend(with_path(hardened_default(), DEFAULT_PATH));
        r.finish(Level::ChartDefault, fallback)
    }
}

fn extra_path(w: Workload, c: &ContainerModel) -> String {
    match &c.role {
        ContainerRole::Extra { index, .. } => format!(
            "{}.{}[{index}]",
            w.values_key(),
            if c.init {
                "extraInitContainers"
            } else {
                "extraContainers"
            }
        ),
        _ => String::new(),
    }
}

/// `securityContext: {{ toYaml <path> }}` (the sub-chart): the value as is, even when empty.
fn as_given(v: &Values, level: Level, path: String) -> SecurityContextDecision {
    let value = v.get(&path).unwrap_or(Value::Nil);
    let fields = value
        .as_map()
        .map(|m| {
            m.iter()
                .map(|(k, fv)| FieldOrigin {
                    field: k.to_string(),
                    value: fv.clone(),
                    level,
                    path: format!("{path}.{k}"),
                })
                .collect()
        })
        .unwrap_or_default();
    SecurityContextDecision {
        value: Some(value.clone()),
        level,
        path: path.clone(),
        fields,
        candidates: vec![Candidate {
            level,
            path,
            value: Some(value),
            state: CandidateState::Picked,
        }],
        exact: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::values_equal;

    fn vals(yaml: &str) -> Values {
        Values::from_user_yaml(yaml, "airflow", "airflow").unwrap()
    }

    fn y(s: &str) -> Value {
        chartgen_yaml::parse(s.as_bytes()).unwrap()
    }

    fn main(w: Workload) -> ContainerModel {
        ContainerModel {
            name: Some(w.main_container().into()),
            role: ContainerRole::Main,
            init: false,
        }
    }

    #[test]
    fn guide_example_component_wins() {
        let v = vals("uid: 40000\ngid: 0\nsecurityContexts:\n  pod:\n    runAsUser: 50000\n    fsGroup: 0\nscheduler:\n  securityContexts:\n    pod:\n      runAsUser: 1001\n      fsGroup: 0\n");
        let d = v.pod_security_context(Workload::Scheduler);
        assert_eq!(d.level, Level::Component);
        assert_eq!(d.run_as_user(), Some(1001));
        assert_eq!(d.path, "scheduler.securityContexts.pod");
        let global = d
            .candidates
            .iter()
            .find(|c| c.path == "securityContexts.pod")
            .unwrap();
        assert_eq!(global.state, CandidateState::Shadowed);
    }

    #[test]
    fn deprecated_singular_levels_in_official_order() {
        // <c>.securityContexts.pod > <c>.securityContext > securityContexts.pod > securityContext > uid/gid
        let all = "uid: 1\ngid: 0\nsecurityContext: {runAsUser: 2}\nsecurityContexts: {pod: {runAsUser: 3}}\nscheduler:\n  securityContext: {runAsUser: 4}\n  securityContexts: {pod: {runAsUser: 5}}\n";
        let v = vals(all);
        let d = v.pod_security_context(Workload::Scheduler);
        assert_eq!((d.level, d.run_as_user()), (Level::Component, Some(5)));
        let paths: Vec<&str> = d.candidates.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "scheduler.securityContexts.pod",
                "scheduler.securityContext",
                "securityContexts.pod",
                "securityContext"
            ]
        );
        let v = vals(&all.replace("  securityContexts: {pod: {runAsUser: 5}}\n", ""));
        let d = v.pod_security_context(Workload::Scheduler);
        assert_eq!(
            (d.level, d.run_as_user()),
            (Level::ComponentLegacy, Some(4))
        );
        let d = v.pod_security_context(Workload::Triggerer);
        assert_eq!((d.level, d.run_as_user()), (Level::Global, Some(3)));
        let v = vals("securityContext: {runAsUser: 2}\n");
        let d = v.pod_security_context(Workload::Worker);
        assert_eq!((d.level, d.run_as_user()), (Level::GlobalLegacy, Some(2)));
        // Not for the third-party images, which have their own deprecated form.
        let d = v.pod_security_context(Workload::Statsd);
        assert_eq!(d.level, Level::ComponentUid);
        let v = vals("statsd:\n  securityContext: {runAsUser: 9}\n");
        let d = v.pod_security_context(Workload::Statsd);
        assert_eq!(
            (d.level, d.run_as_user()),
            (Level::ComponentLegacy, Some(9))
        );
        assert!(!v
            .pod_security_context(Workload::PgBouncer)
            .candidates
            .iter()
            .any(|c| c.path == "pgbouncer.securityContext"));
    }

    #[test]
    fn git_sync_deprecated_singular() {
        let v = vals("dags:\n  gitSync:\n    enabled: true\n    securityContext: {runAsUser: 7}\nsecurityContexts:\n  containers: {runAsUser: 8}\n");
        let p = v.pod(Workload::Worker).unwrap();
        let d = v.container_security_context(Workload::Worker, p.container("git-sync").unwrap());
        assert_eq!((d.level, d.run_as_user()), (Level::ContainerOwn, Some(7)));
        assert_eq!(d.path, "dags.gitSync.securityContext");
        let s = v.container_security_context(Workload::Worker, p.container("worker").unwrap());
        assert_eq!(s.run_as_user(), Some(8), "only git-sync reads it");
    }

    #[test]
    fn overlay_blocks_of_nulls_count_as_unset() {
        let v = vals("workers:\n  securityContexts:\n    pod: {runAsUser: 1}\n  celery:\n    securityContexts:\n      pod: {runAsUser: ~}\n");
        let d = v.pod_security_context(Workload::Worker);
        assert_eq!(
            (d.run_as_user(), d.path.as_str()),
            (Some(1), "workers.securityContexts.pod")
        );
    }

    #[test]
    fn worker_overlays_come_first() {
        let v = vals("executor: CeleryKubernetesExecutor\nworkers:\n  securityContexts:\n    pod: {runAsUser: 1}\n    containers: {runAsUser: 2}\n  celery:\n    securityContexts:\n      pod: {runAsUser: 3}\n  kubernetes:\n    securityContexts:\n      container: {runAsUser: 4}\n");
        let d = v.pod_security_context(Workload::Worker);
        assert_eq!(
            (d.run_as_user(), d.path.as_str()),
            (Some(3), "workers.celery.securityContexts.pod")
        );
        let d = v.pod_security_context(Workload::PodTemplate);
        assert_eq!(
            (d.run_as_user(), d.path.as_str()),
            (Some(1), "workers.securityContexts.pod")
        );
        let d = v.container_security_context(Workload::Worker, &main(Workload::Worker));
        assert_eq!(d.run_as_user(), Some(2));
        let d = v.container_security_context(Workload::PodTemplate, &main(Workload::PodTemplate));
        assert_eq!(
            (d.run_as_user(), d.path.as_str()),
            (Some(4), "workers.kubernetes.securityContexts.container")
        );
    }

    #[test]
    fn guide_example_uid_gid() {
        let v =
            vals("uid: 40000\ngid: 0\nsecurityContexts: {}\nscheduler:\n  securityContexts: {}\n");
        let d = v.pod_security_context(Workload::Scheduler);
        assert_eq!(d.level, Level::UidGid);
        assert!(values_equal(
            d.value.as_ref().unwrap(),
            &y("runAsUser: 40000\nfsGroup: 0")
        ));
        assert_eq!(d.fields[0].path, "uid");
        assert_eq!(d.fields[1].path, "gid");
    }

    #[test]
    fn guide_example_global() {
        let v = vals("uid: 40000\ngid: 0\nsecurityContexts:\n  pod:\n    runAsUser: 50000\n    fsGroup: 0\nscheduler:\n  securityContexts: {}\n");
        let d = v.pod_security_context(Workload::Scheduler);
        assert_eq!(d.level, Level::Global);
        assert_eq!(d.run_as_user(), Some(50000));
    }

    #[test]
    fn containers_spelling_wins_over_container() {
        let v = vals("scheduler:\n  securityContexts:\n    containers: {runAsUser: 1}\n    container: {runAsUser: 2}\n");
        let d = v.container_security_context(Workload::Scheduler, &main(Workload::Scheduler));
        assert_eq!(d.run_as_user(), Some(1));
        assert_eq!(d.path, "scheduler.securityContexts.containers");
    }

    #[test]
    fn levels_never_merge() {
        let v = vals("securityContexts:\n  containers: {readOnlyRootFilesystem: true}\nscheduler:\n  securityContexts:\n    container: {runAsUser: 5}\n");
        let d = v.container_security_context(Workload::Scheduler, &main(Workload::Scheduler));
        assert!(values_equal(d.value.as_ref().unwrap(), &y("runAsUser: 5")));
    }

    #[test]
    fn hardened_default_and_git_sync() {
        let v = vals("dags:\n  gitSync:\n    enabled: true\n    uid: 123\n");
        let p = v.pod(Workload::Worker).unwrap();
        let git = p.container("git-sync").unwrap();
        let d = v.container_security_context(Workload::Worker, git);
        assert_eq!(d.level, Level::ChartDefault);
        assert!(values_equal(
            d.value.as_ref().unwrap(),
            &y("runAsUser: 123\nallowPrivilegeEscalation: false\ncapabilities: {drop: [ALL]}")
        ));
        assert_eq!(d.fields[0].path, "dags.gitSync.uid");
    }

    #[test]
    fn third_party_exceptions() {
        let v = vals("uid: 1\nsecurityContexts:\n  pod: {runAsUser: 2}\n  containers: {runAsUser: 3}\nredis:\n  uid: 7\n");
        let d = v.pod_security_context(Workload::Redis);
        assert_eq!(d.level, Level::ComponentUid);
        assert!(values_equal(
            d.value.as_ref().unwrap(),
            &y("runAsUser: 7\nfsGroup: 7")
        ));
        let c = v.container_security_context(Workload::Redis, &main(Workload::Redis));
        assert_eq!(c.level, Level::ChartDefault);
        let s = v.pod_security_context(Workload::Statsd);
        assert!(values_equal(
            s.value.as_ref().unwrap(),
            &y("runAsUser: 65534")
        ));
    }

    #[test]
    fn volume_permissions_skips_component_and_global() {
        let v = vals("securityContexts:\n  containers: {runAsUser: 3}\nworkers:\n  persistence:\n    fixPermissions: true\n");
        let p = v.pod(Workload::Worker).unwrap();
        let c = p.container("volume-permissions").unwrap();
        let d = v.container_security_context(Workload::Worker, c);
        assert_eq!(d.level, Level::ChartDefault);
        assert_eq!(d.run_as_user(), Some(0));
    }

    #[test]
    fn postgresql_as_given() {
        let v = vals("");
        let d = v.pod_security_context(Workload::Postgresql);
        assert_eq!(d.level, Level::SubChart);
        assert_eq!(d.run_as_user(), Some(999));
        assert_eq!(d.fs_group(), Some(999));
    }
}
