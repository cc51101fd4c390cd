//! The typed model of **our** Airflow chart (`chart/` in this repository).
//!
//! Given merged values (user values coalesced over `chart/values.yaml`, as
//! helm passes them to the templates) plus the release name and namespace,
//! this crate answers, as typed Rust, the questions the production guide
//! and `chart/README.md` settle:
//!
//! * **Workloads** ([`Workload`], [`Values::pod`]): every pod the chart
//!   renders — scheduler, api-server (Airflow 3) or webserver (Airflow 2),
//!   Celery workers, the KubernetesExecutor pod template, triggerer,
//!   dag-processor, flower, statsd, pgbouncer, redis, the migrate-database and
//!   create-user Jobs, the cleanup and database-cleanup CronJobs, the embedded
//!   PostgreSQL — whether it is rendered for the values and why, the kind and
//!   name of its object, and its init containers, containers and sidecars.
//! * **securityContexts precedence** ([`Values::pod_security_context`],
//!   [`Values::container_security_context`]): the effective pod and container
//!   securityContext, the level that supplied it (component, global,
//!   `uid`/`gid`, a sidecar's own block, the hardened default, the
//!   pgbouncer/redis/statsd exception, the sub-chart) with the values path of
//!   every field, and every level considered. Levels are never merged.
//! * **Built-in secrets and env vars** ([`Values::secrets`],
//!   [`Values::container_env`]): the secret names (the guide's
//!   `<release>-airflow-metadata`, … or the `*SecretName` overrides), whether
//!   the chart creates each, and for every container which env var reads
//!   which secret key, and why (global and per-component
//!   `enableBuiltInSecretEnvVars`, executor, version and feature conditions,
//!   the flower and registry rules).
//! * **Checking** ([`check_manifests`]): compares a rendered manifest stream
//!   with the model and lists every disagreement.
//! * **Explaining** ([`explain_security_context`], [`explain_secrets`]): the
//!   text behind `chartgen explain securityContext <workload> -f values.yaml`
//!   and `chartgen explain secrets -f values.yaml`.
//! * **Property testing** ([`property`]): a seeded generator of random values
//!   over the precedence and secrets knobs, and a runner over any
//!   [`property::Renderer`] (real helm today, the in-process renderer later).
//!
//! What it is **not**: it is not a template engine and does not render the
//! chart; it restates the chart's rules in Rust, so a change to those rules
//! in `chart/templates` must be mirrored here (the fixture and property
//! tests catch a divergence). It models only what decides securityContexts
//! and secrets: not images, probes, resources, volumes other than the chart's
//! secret volumes, labels or annotations. It does not evaluate templated
//! strings in values (`extraEnv` given as a template, templated extra
//! containers): those parts are reported as not predicted exactly. It does not
//! validate values against `schema/values.schema.json`; values that helm
//! would reject give answers for a chart that would not render.
//!
//! ```
//! use chartgen_airflow::{Values, Workload, Level};
//! let v = Values::from_user_yaml(
//!     "uid: 40000\ngid: 0\nsecurityContexts: {}\nscheduler:\n  securityContexts: {}\n",
//!     "airflow",
//!     "airflow",
//! )
//! .unwrap();
//! let pod = v.pod_security_context(Workload::Scheduler);
//! assert_eq!(pod.level, Level::UidGid);
//! assert_eq!(pod.run_as_user(), Some(40000));
//! ```

pub mod check;
pub mod explain;
pub mod property;
pub mod secrets;
pub mod security;
pub mod values;
pub mod workload;

pub use check::{check_manifests, Aspect, CheckError, Disagreement};
pub use explain::{explain_secrets, explain_security_context};
pub use secrets::{
    BuiltInEnv, ChartSecret, ContainerEnv, EnvOrigin, EnvSwitch, SecretEnv, SecretInfo,
    SecretVolume, SkippedEnv,
};
pub use security::{Candidate, CandidateState, FieldOrigin, Level, SecurityContextDecision};
pub use values::{Release, Values, ValuesError};
pub use workload::{
    ContainerModel, ContainerRole, Family, PodModel, UnknownWorkload, Workload, WorkloadStatus,
};
