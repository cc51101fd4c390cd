//! Every pod the chart renders, when it renders it, and its containers.
//!
//! This mirrors the `airflow.*.enabled` helpers of `chart/templates/_helpers.tpl`
//! and the container lists of each workload template.

use crate::values::{go_string, lookup_str, trunc63_trim_dash, Values, CHART_NAME};
use gotmpl::Value;
use std::fmt;
use std::str::FromStr;

/// One pod-bearing workload of the chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Workload {
    Scheduler,
    /// Airflow >= 3.
    ApiServer,
    /// Airflow < 3.
    Webserver,
    /// Celery workers.
    Worker,
    /// The KubernetesExecutor `pod_template_file.yaml` (a Pod in the
    /// `<release>-pod-template` ConfigMap); it uses the `workers` values.
    PodTemplate,
    Triggerer,
    DagProcessor,
    Flower,
    Statsd,
    PgBouncer,
    Redis,
    MigrateDatabaseJob,
    CreateUserJob,
    /// `airflow kubernetes cleanup-pods` CronJob.
    Cleanup,
    /// `airflow db clean` CronJob.
    DatabaseCleanup,
    /// The embedded PostgreSQL sub-chart.
    Postgresql,
}

/// How a workload's security contexts are decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// Airflow pods: component, then global `securityContexts`, then `uid`/`gid`.
    Airflow,
    /// pgbouncer, redis, statsd: third-party images with their own users; the
    /// Airflow global settings do not apply (as in the official chart).
    ThirdParty,
    /// The embedded PostgreSQL sub-chart: `postgresql.securityContexts` as given.
    SubChart,
}

impl Workload {
    pub const ALL: [Workload; 16] = [
        Workload::Scheduler,
        Workload::ApiServer,
        Workload::Webserver,
        Workload::Worker,
        Workload::PodTemplate,
        Workload::Triggerer,
        Workload::DagProcessor,
        Workload::Flower,
        Workload::Statsd,
        Workload::PgBouncer,
        Workload::Redis,
        Workload::MigrateDatabaseJob,
        Workload::CreateUserJob,
        Workload::Cleanup,
        Workload::DatabaseCleanup,
        Workload::Postgresql,
    ];

    /// The values key of the component (`.Values.<key>`).
    pub fn values_key(self) -> &'static str {
        match self {
            Workload::Scheduler => "scheduler",
            Workload::ApiServer => "apiServer",
            Workload::Webserver => "webserver",
            Workload::Worker | Workload::PodTemplate => "workers",
            Workload::Triggerer => "triggerer",
            Workload::DagProcessor => "dagProcessor",
            Workload::Flower => "flower",
            Workload::Statsd => "statsd",
            Workload::PgBouncer => "pgbouncer",
            Workload::Redis => "redis",
            Workload::MigrateDatabaseJob => "migrateDatabaseJob",
            Workload::CreateUserJob => "createUserJob",
            Workload::Cleanup => "cleanup",
            Workload::DatabaseCleanup => "databaseCleanup",
            Workload::Postgresql => "postgresql",
        }
    }

    /// The name used on the command line and in reports (unique per workload).
    pub fn name(self) -> &'static str {
        match self {
            Workload::Scheduler => "scheduler",
            Workload::ApiServer => "api-server",
            Workload::Webserver => "webserver",
            Workload::Worker => "worker",
            Workload::PodTemplate => "pod-template",
            Workload::Triggerer => "triggerer",
            Workload::DagProcessor => "dag-processor",
            Workload::Flower => "flower",
            Workload::Statsd => "statsd",
            Workload::PgBouncer => "pgbouncer",
            Workload::Redis => "redis",
            Workload::MigrateDatabaseJob => "migrate-database-job",
            Workload::CreateUserJob => "create-user-job",
            Workload::Cleanup => "cleanup",
            Workload::DatabaseCleanup => "database-cleanup",
            Workload::Postgresql => "postgresql",
        }
    }

    pub fn family(self) -> Family {
        match self {
            Workload::Statsd | Workload::PgBouncer | Workload::Redis => Family::ThirdParty,
            Workload::Postgresql => Family::SubChart,
            _ => Family::Airflow,
        }
    }

    /// The per-executor block overlaid on `workers` for this workload's pods
    /// (`workers.celery` for Celery workers, `workers.kubernetes` for the pod template).
    pub fn worker_overlay(self) -> Option<&'static str> {
        match self {
            Workload::Worker => Some("celery"),
            Workload::PodTemplate => Some("kubernetes"),
            _ => None,
        }
    }

    /// Whether the component's containers run Airflow and get the built-in secret env vars.
    pub fn is_airflow(self) -> bool {
        self.family() == Family::Airflow
    }

    /// Name of the main container.
    pub fn main_container(self) -> &'static str {
        match self {
            Workload::PodTemplate => "base",
            Workload::MigrateDatabaseJob => "run-airflow-migrations",
            Workload::CreateUserJob => "create-user",
            Workload::Cleanup => "airflow-cleanup-pods",
            other => other.name(),
        }
    }

    /// Names accepted by [`Workload::from_str`], besides [`Workload::name`].
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Workload::Scheduler => &["scheduler"],
            Workload::ApiServer => &["apiserver", "api-server", "apiServer"],
            Workload::Webserver => &["webserver", "web"],
            Workload::Worker => &["worker", "workers", "celery-worker"],
            Workload::PodTemplate => &[
                "pod-template",
                "podtemplate",
                "kubernetes-executor",
                "kubernetes-executor-pod",
                "pod_template_file",
            ],
            Workload::Triggerer => &["triggerer"],
            Workload::DagProcessor => &["dag-processor", "dagprocessor", "dagProcessor"],
            Workload::Flower => &["flower"],
            Workload::Statsd => &["statsd"],
            Workload::PgBouncer => &["pgbouncer"],
            Workload::Redis => &["redis"],
            Workload::MigrateDatabaseJob => &[
                "migrate-database-job",
                "migratedatabasejob",
                "migrateDatabaseJob",
                "run-airflow-migrations",
                "migrate-database",
            ],
            Workload::CreateUserJob => &[
                "create-user-job",
                "createuserjob",
                "createUserJob",
                "create-user",
            ],
            Workload::Cleanup => &["cleanup", "cleanup-pods"],
            Workload::DatabaseCleanup => &[
                "database-cleanup",
                "databasecleanup",
                "databaseCleanup",
                "db-cleanup",
            ],
            Workload::Postgresql => &["postgresql", "postgres"],
        }
    }
}

impl fmt::Display for Workload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An unknown workload name; its `Display` lists the accepted names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownWorkload(pub String);

impl fmt::Display for UnknownWorkload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = Workload::ALL.iter().map(|w| w.name()).collect();
        write!(
            f,
            "unknown workload {:?}; expected one of: {}",
            self.0,
            names.join(", ")
        )
    }
}

impl std::error::Error for UnknownWorkload {}

impl FromStr for Workload {
    type Err = UnknownWorkload;
    fn from_str(s: &str) -> Result<Workload, UnknownWorkload> {
        let t = s.trim();
        Workload::ALL
            .into_iter()
            .find(|w| {
                w.name() == t
                    || w.values_key() == t && *w != Workload::PodTemplate
                    || w.aliases().iter().any(|a| a.eq_ignore_ascii_case(t))
            })
            .ok_or_else(|| UnknownWorkload(s.to_string()))
    }
}

/// What a container is, as far as the chart's rules are concerned.
#[derive(Clone, Debug)]
pub enum ContainerRole {
    /// The workload's main container.
    Main,
    /// `wait-for-airflow-migrations` (`<component>.waitForMigrations`).
    WaitForMigrations,
    /// `<component>-log-groomer` (`<component>.logGroomerSidecar`).
    LogGroomer,
    /// git-sync (`dags.gitSync`), sidecar or `-init` container.
    GitSync,
    /// `worker-kerberos` (`workers.kerberosSidecar`).
    KerberosSidecar,
    /// `kerberos-init` (`workers.kerberosInitContainer`).
    KerberosInit,
    /// `volume-permissions`, the chown init container of `<component>.persistence.fixPermissions`.
    VolumePermissions,
    /// pgbouncer's `metrics-exporter` (`pgbouncer.metricsExporterSidecar`).
    MetricsExporter,
    /// An entry of `<component>.extraContainers` / `.extraInitContainers`, rendered as given.
    Extra {
        /// Index in the values list.
        index: usize,
        /// The values entry.
        given: Value,
    },
}

impl PartialEq for ContainerRole {
    fn eq(&self, other: &ContainerRole) -> bool {
        match (self, other) {
            (
                ContainerRole::Extra { index: a, given: x },
                ContainerRole::Extra { index: b, given: y },
            ) => a == b && crate::values::values_equal(x, y),
            (a, b) => std::mem::discriminant(a) == std::mem::discriminant(b),
        }
    }
}

/// One container of a pod model.
#[derive(Clone, Debug, PartialEq)]
pub struct ContainerModel {
    /// The container name; `None` when it comes from a templated extra container.
    pub name: Option<String>,
    pub role: ContainerRole,
    /// An init container.
    pub init: bool,
}

impl ContainerModel {
    fn new(name: impl Into<String>, role: ContainerRole, init: bool) -> ContainerModel {
        ContainerModel {
            name: Some(name.into()),
            role,
            init,
        }
    }

    /// The name for reports (`<templated>` when unknown).
    pub fn display_name(&self) -> String {
        self.name
            .clone()
            .unwrap_or_else(|| "<templated extra container>".into())
    }
}

/// The pod a workload renders: object kind and name, and its containers.
#[derive(Clone, Debug, PartialEq)]
pub struct PodModel {
    pub workload: Workload,
    /// Kind of the rendered object holding the pod spec (`Deployment`,
    /// `StatefulSet`, `Job`, `CronJob`, or `ConfigMap` for the pod template).
    pub kind: &'static str,
    /// `metadata.name` of that object.
    pub object_name: String,
    pub init_containers: Vec<ContainerModel>,
    pub containers: Vec<ContainerModel>,
    /// The pod template comes from the user's `podTemplate` string: not modelled.
    pub user_template: bool,
}

impl PodModel {
    /// Init containers, then containers.
    pub fn all_containers(&self) -> impl Iterator<Item = &ContainerModel> {
        self.init_containers.iter().chain(self.containers.iter())
    }

    /// The container with this name.
    pub fn container(&self, name: &str) -> Option<&ContainerModel> {
        self.all_containers()
            .find(|c| c.name.as_deref() == Some(name))
    }
}

/// Whether a workload is rendered, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkloadStatus {
    pub enabled: bool,
    pub reason: String,
}

/// Executor names of `.Values.executor` (comma list, trimmed).
fn executor_list(v: &Values) -> Vec<String> {
    v.str("executor")
        .unwrap_or_default()
        .split(',')
        .map(|s| s.trim().to_string())
        .collect()
}

fn matches_executor(e: &str, names: &[&str]) -> bool {
    names
        .iter()
        .any(|n| e == *n || e.strip_suffix(n).is_some_and(|p| p.ends_with('.')))
}

impl Values {
    /// The values as the templates of workload `w` see them: for the Celery
    /// workers and the pod template, `workers` with its per-executor block overlaid.
    pub fn for_workload(&self, w: Workload) -> std::borrow::Cow<'_, Values> {
        match w.worker_overlay() {
            Some(ex) if self.worker_overlay() != Some(ex) => {
                std::borrow::Cow::Owned(self.with_worker_overlay(ex))
            }
            _ => std::borrow::Cow::Borrowed(self),
        }
    }

    /// `airflow.workers.enabled`: a Celery executor, and workers.celery.enableDefault not false.
    pub fn workers_enabled(&self) -> bool {
        self.is_celery()
            && self
                .get("workers.celery.enableDefault")
                .is_none_or(|v| go_string(v) != "false")
    }

    /// `airflow.fullname`: the prefix of every resource name.
    pub fn fullname(&self) -> String {
        if self.truthy("fullnameOverride") {
            return trunc63_trim_dash(&self.string_or("fullnameOverride", ""));
        }
        let release = &self.release().name;
        if self.truthy("useStandardNaming") {
            let name = trunc63_trim_dash(&self.string_or("nameOverride", CHART_NAME));
            if release.contains(&name) {
                return trunc63_trim_dash(release);
            }
            return trunc63_trim_dash(&format!("{release}-{name}"));
        }
        trunc63_trim_dash(release)
    }

    /// The PostgreSQL sub-chart's fullname (its StatefulSet and Secret name).
    pub fn postgresql_fullname(&self) -> String {
        let release = &self.release().name;
        trunc63_trim_dash(&self.string_or(
            "postgresql.fullnameOverride",
            &format!("{release}-postgresql"),
        ))
    }

    /// `airflow.v3`: `airflowVersion` >= 3.0.0-0.
    pub fn is_airflow3(&self) -> bool {
        let s = self
            .get("airflowVersion")
            .map(go_string)
            .unwrap_or_default();
        let s = s.trim().trim_start_matches('v');
        let major: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
        major.parse::<u64>().map(|m| m >= 3).unwrap_or(false)
    }

    /// A Celery executor (CeleryExecutor, CeleryKubernetesExecutor) is listed.
    pub fn is_celery(&self) -> bool {
        executor_list(self)
            .iter()
            .any(|e| matches_executor(e, &["CeleryExecutor", "CeleryKubernetesExecutor"]))
    }

    /// A Kubernetes executor (KubernetesExecutor, CeleryKubernetesExecutor, LocalKubernetesExecutor) is listed.
    pub fn is_kubernetes(&self) -> bool {
        executor_list(self).iter().any(|e| {
            matches_executor(
                e,
                &[
                    "KubernetesExecutor",
                    "CeleryKubernetesExecutor",
                    "LocalKubernetesExecutor",
                ],
            )
        })
    }

    /// An executor running tasks in the scheduler (LocalExecutor, LocalKubernetesExecutor) is listed.
    pub fn is_local(&self) -> bool {
        executor_list(self)
            .iter()
            .any(|e| matches_executor(e, &["LocalExecutor", "LocalKubernetesExecutor"]))
    }

    /// `airflow.dagProcessor.enabled`: null means on for Airflow 3, off for 2.
    pub fn dag_processor_enabled(&self) -> bool {
        match self.get("dagProcessor.enabled") {
            None | Some(Value::Nil) | Some(Value::Invalid) => self.is_airflow3(),
            Some(v) => v.is_true(),
        }
    }

    /// `airflow.createUserJob.wanted`: the deprecated webserver.defaultUser.enabled
    /// when set, else createUserJob.enabled (and createUserJob.defaultUser.enabled
    /// not false); with the values key that decided.
    pub fn create_user_job_wanted(&self) -> (bool, &'static str) {
        if let Some(v) = self
            .map("webserver.defaultUser")
            .and_then(|m| m.get("enabled").cloned())
        {
            return (v.is_true(), "webserver.defaultUser.enabled");
        }
        if self
            .get("createUserJob.defaultUser.enabled")
            .is_some_and(|v| go_string(v) == "false")
        {
            return (false, "createUserJob.defaultUser.enabled");
        }
        (
            self.truthy("createUserJob.enabled"),
            "createUserJob.enabled",
        )
    }

    /// `airflow.createUserJob.enabled`.
    pub fn create_user_job_enabled(&self) -> bool {
        if !self.create_user_job_wanted().0 {
            return false;
        }
        let auth = self
            .get("config.core.auth_manager")
            .filter(|v| v.is_true())
            .map(go_string)
            .unwrap_or_default();
        !self.is_airflow3() || auth.contains("FabAuthManager")
    }

    /// `airflow.gitSync.inPod`: does a pod of `component` (label name) run git-sync?
    pub fn git_sync_in_pod(&self, component: &str) -> bool {
        if !self.truthy("dags.gitSync.enabled") {
            return false;
        }
        if !self.truthy("dags.persistence.enabled") {
            return true;
        }
        let owner = if self.dag_processor_enabled() {
            "dag-processor"
        } else {
            "scheduler"
        };
        component == owner
    }

    /// Kerberos containers in worker pods (`kerberos.enabled` and the sidecar or init container).
    pub fn worker_kerberos(&self) -> bool {
        self.truthy("kerberos.enabled")
            && (self.truthy("workers.kerberosSidecar.enabled")
                || self.truthy("workers.kerberosInitContainer.enabled"))
    }

    fn logs_persistence(&self) -> bool {
        self.truthy("logs.persistence.enabled")
    }

    /// Whether the workload is rendered, with the deciding values.
    pub fn workload_status(&self, w: Workload) -> WorkloadStatus {
        let on = |enabled: bool, reason: String| WorkloadStatus { enabled, reason };
        let v3 = self.is_airflow3();
        let version = self
            .get("airflowVersion")
            .map(go_string)
            .unwrap_or_default();
        let executor = self.string_or("executor", "");
        match w {
            Workload::Scheduler => on(
                self.truthy("scheduler.enabled"),
                format!("scheduler.enabled is {}", self.truthy("scheduler.enabled")),
            ),
            Workload::ApiServer => {
                let e = self.truthy("apiServer.enabled");
                on(
                    v3 && e,
                    if v3 {
                        format!("Airflow {version} (>= 3) and apiServer.enabled is {e}")
                    } else {
                        format!("Airflow {version} < 3 runs the webserver instead")
                    },
                )
            }
            Workload::Webserver => {
                let e = self.truthy("webserver.enabled");
                on(
                    !v3 && e,
                    if v3 {
                        format!("Airflow {version} >= 3 runs the api-server instead")
                    } else {
                        format!("Airflow {version} (< 3) and webserver.enabled is {e}")
                    },
                )
            }
            Workload::Worker => on(
                self.workers_enabled(),
                if !self.is_celery() {
                    format!("executor {executor:?} has no Celery executor")
                } else if self.workers_enabled() {
                    format!("executor {executor:?} includes a Celery executor")
                } else {
                    format!("executor {executor:?} includes a Celery executor, but workers.celery.enableDefault is false")
                },
            ),
            Workload::PodTemplate => on(
                self.is_kubernetes(),
                if self.is_kubernetes() {
                    format!("executor {executor:?} includes a Kubernetes executor")
                } else {
                    format!("executor {executor:?} has no Kubernetes executor")
                },
            ),
            Workload::Triggerer => on(
                self.truthy("triggerer.enabled"),
                format!("triggerer.enabled is {}", self.truthy("triggerer.enabled")),
            ),
            Workload::DagProcessor => {
                let explicit = matches!(
                    self.get("dagProcessor.enabled"),
                    Some(v) if !v.is_nil_interface()
                );
                let e = self.dag_processor_enabled();
                on(
                    e,
                    if explicit {
                        format!("dagProcessor.enabled is {e}")
                    } else {
                        format!("dagProcessor.enabled is null: on for Airflow 3, off for 2 (Airflow {version})")
                    },
                )
            }
            Workload::Flower => {
                let e = self.truthy("flower.enabled");
                on(
                    e && self.is_celery(),
                    format!(
                        "flower.enabled is {e}; executor {executor:?} {} a Celery executor",
                        if self.is_celery() {
                            "includes"
                        } else {
                            "has no"
                        }
                    ),
                )
            }
            Workload::Statsd => on(
                self.truthy("statsd.enabled"),
                format!("statsd.enabled is {}", self.truthy("statsd.enabled")),
            ),
            Workload::PgBouncer => on(
                self.truthy("pgbouncer.enabled"),
                format!("pgbouncer.enabled is {}", self.truthy("pgbouncer.enabled")),
            ),
            Workload::Redis => {
                let e = self.truthy("redis.enabled");
                on(
                    e && self.is_celery(),
                    format!(
                        "redis.enabled is {e}; executor {executor:?} {} a Celery executor",
                        if self.is_celery() {
                            "includes"
                        } else {
                            "has no"
                        }
                    ),
                )
            }
            Workload::MigrateDatabaseJob => on(
                self.truthy("migrateDatabaseJob.enabled"),
                format!(
                    "migrateDatabaseJob.enabled is {}",
                    self.truthy("migrateDatabaseJob.enabled")
                ),
            ),
            Workload::CreateUserJob => {
                let (wanted, by) = self.create_user_job_wanted();
                on(
                    self.create_user_job_enabled(),
                    format!(
                        "{by} is {wanted}, and it needs Airflow 2 or config.core.auth_manager with FabAuthManager (Airflow {version})"
                    ),
                )
            }
            Workload::Cleanup => {
                let e = self.truthy("cleanup.enabled");
                on(
                    e && self.is_kubernetes(),
                    format!(
                        "cleanup.enabled is {e}; executor {executor:?} {} a Kubernetes executor",
                        if self.is_kubernetes() {
                            "includes"
                        } else {
                            "has no"
                        }
                    ),
                )
            }
            Workload::DatabaseCleanup => on(
                self.truthy("databaseCleanup.enabled"),
                format!(
                    "databaseCleanup.enabled is {}",
                    self.truthy("databaseCleanup.enabled")
                ),
            ),
            Workload::Postgresql => on(
                self.truthy("postgresql.enabled"),
                format!(
                    "postgresql.enabled is {}",
                    self.truthy("postgresql.enabled")
                ),
            ),
        }
    }

    pub fn is_enabled(&self, w: Workload) -> bool {
        self.workload_status(w).enabled
    }

    /// The workloads rendered for these values, in [`Workload::ALL`] order.
    pub fn enabled_workloads(&self) -> Vec<Workload> {
        Workload::ALL
            .into_iter()
            .filter(|w| self.is_enabled(*w))
            .collect()
    }

    /// Kind of the object holding the workload's pod spec.
    pub fn workload_kind(&self, w: Workload) -> &'static str {
        let sts = |b: bool| if b { "StatefulSet" } else { "Deployment" };
        match w {
            Workload::Scheduler => sts(self.is_local()
                && self.truthy("workers.persistence.enabled")
                && !self.logs_persistence()),
            Workload::Worker => sts(self.for_workload(w).truthy("workers.persistence.enabled")
                && !self.logs_persistence()),
            Workload::Triggerer => {
                sts(self.truthy("triggerer.persistence.enabled") && !self.logs_persistence())
            }
            Workload::Redis | Workload::Postgresql => "StatefulSet",
            Workload::MigrateDatabaseJob | Workload::CreateUserJob => "Job",
            Workload::Cleanup | Workload::DatabaseCleanup => "CronJob",
            Workload::PodTemplate => "ConfigMap",
            _ => "Deployment",
        }
    }

    /// `metadata.name` of the object holding the workload's pod spec.
    pub fn workload_object_name(&self, w: Workload) -> String {
        let fullname = self.fullname();
        let suffix = match w {
            Workload::Postgresql => return self.postgresql_fullname(),
            Workload::MigrateDatabaseJob => "run-airflow-migrations",
            Workload::CreateUserJob => "create-user",
            Workload::PodTemplate => "pod-template",
            other => other.name(),
        };
        format!("{fullname}-{suffix}")
    }

    /// The pod of a workload and its containers, in rendering order
    /// (`None` when the workload is not rendered).
    pub fn pod(&self, w: Workload) -> Option<PodModel> {
        if !self.is_enabled(w) {
            return None;
        }
        Some(self.pod_layout(w))
    }

    /// The pod the workload renders, or would render if it were enabled.
    pub fn pod_layout(&self, w: Workload) -> PodModel {
        if let std::borrow::Cow::Owned(view) = self.for_workload(w) {
            return view.pod_layout(w);
        }
        let key = w.values_key();
        let mut init = Vec::new();
        let mut main = Vec::new();
        let git_name = self.string_or("dags.gitSync.containerName", "");
        let git = |init: bool| {
            ContainerModel::new(
                if init {
                    format!("{git_name}-init")
                } else {
                    git_name.clone()
                },
                ContainerRole::GitSync,
                init,
            )
        };
        let wfm = || {
            ContainerModel::new(
                "wait-for-airflow-migrations",
                ContainerRole::WaitForMigrations,
                true,
            )
        };
        let groomer = |name: &str| ContainerModel::new(name, ContainerRole::LogGroomer, false);
        let main_c = ContainerModel::new(w.main_container(), ContainerRole::Main, false);
        let volume_permissions =
            || ContainerModel::new("volume-permissions", ContainerRole::VolumePermissions, true);
        let sts = self.workload_kind(w) == "StatefulSet";
        let wfm_on = self.truthy(&format!("{key}.waitForMigrations.enabled"));
        let groomer_on = self.truthy(&format!("{key}.logGroomerSidecar.enabled"));
        let mut user_template = false;
        match w {
            Workload::Scheduler => {
                let dags = !self.dag_processor_enabled() || self.is_local();
                let git_on = dags && self.git_sync_in_pod("scheduler");
                if wfm_on {
                    init.push(wfm());
                }
                if git_on {
                    init.push(git(true));
                }
                main.push(main_c);
                if groomer_on {
                    main.push(groomer("scheduler-log-groomer"));
                }
                if git_on {
                    main.push(git(false));
                }
            }
            Workload::ApiServer | Workload::Webserver => {
                if wfm_on {
                    init.push(wfm());
                }
                main.push(main_c);
            }
            Workload::Worker => {
                let git_on = self.git_sync_in_pod("worker");
                let krb = self.worker_kerberos();
                if sts && self.truthy("workers.persistence.fixPermissions") {
                    init.push(volume_permissions());
                }
                if wfm_on {
                    init.push(wfm());
                }
                if git_on {
                    init.push(git(true));
                }
                if krb && self.truthy("workers.kerberosInitContainer.enabled") {
                    init.push(ContainerModel::new(
                        "kerberos-init",
                        ContainerRole::KerberosInit,
                        true,
                    ));
                }
                main.push(main_c);
                if groomer_on {
                    main.push(groomer("worker-log-groomer"));
                }
                if krb && self.truthy("workers.kerberosSidecar.enabled") {
                    main.push(ContainerModel::new(
                        "worker-kerberos",
                        ContainerRole::KerberosSidecar,
                        false,
                    ));
                }
                if git_on {
                    main.push(git(false));
                }
            }
            Workload::PodTemplate => {
                user_template = self.truthy("podTemplate");
                let git_on = self.git_sync_in_pod("worker");
                let krb = self.worker_kerberos();
                if git_on {
                    init.push(git(true));
                }
                if krb && self.truthy("workers.kerberosInitContainer.enabled") {
                    init.push(ContainerModel::new(
                        "kerberos-init",
                        ContainerRole::KerberosInit,
                        true,
                    ));
                }
                main.push(main_c);
                if krb && self.truthy("workers.kerberosSidecar.enabled") {
                    main.push(ContainerModel::new(
                        "worker-kerberos",
                        ContainerRole::KerberosSidecar,
                        false,
                    ));
                }
            }
            Workload::Triggerer => {
                let git_on = self.git_sync_in_pod("triggerer");
                if sts && self.truthy("triggerer.persistence.fixPermissions") {
                    init.push(volume_permissions());
                }
                if wfm_on {
                    init.push(wfm());
                }
                if git_on {
                    init.push(git(true));
                }
                main.push(main_c);
                if groomer_on {
                    main.push(groomer("triggerer-log-groomer"));
                }
                if git_on {
                    main.push(git(false));
                }
            }
            Workload::DagProcessor => {
                let git_on = self.git_sync_in_pod("dag-processor");
                if wfm_on {
                    init.push(wfm());
                }
                if git_on {
                    init.push(git(true));
                }
                main.push(main_c);
                if groomer_on {
                    main.push(groomer("dag-processor-log-groomer"));
                }
                if git_on {
                    main.push(git(false));
                }
            }
            Workload::PgBouncer => {
                main.push(main_c);
                main.push(ContainerModel::new(
                    "metrics-exporter",
                    ContainerRole::MetricsExporter,
                    false,
                ));
            }
            Workload::Flower
            | Workload::Statsd
            | Workload::Redis
            | Workload::MigrateDatabaseJob
            | Workload::CreateUserJob
            | Workload::Cleanup
            | Workload::DatabaseCleanup
            | Workload::Postgresql => main.push(main_c),
        }
        // extraInitContainers / extraContainers, appended as given (where the template reads them).
        let (extra_init, extra_main) = match w {
            Workload::Statsd | Workload::Redis | Workload::Postgresql => (false, false),
            Workload::Flower | Workload::PgBouncer => (false, true),
            _ => (true, true),
        };
        if extra_init {
            init.extend(self.extra_containers(&format!("{key}.extraInitContainers"), true));
        }
        if extra_main {
            main.extend(self.extra_containers(&format!("{key}.extraContainers"), false));
        }
        PodModel {
            workload: w,
            kind: self.workload_kind(w),
            object_name: self.workload_object_name(w),
            init_containers: init,
            containers: main,
            user_template,
        }
    }

    fn extra_containers(&self, path: &str, init: bool) -> Vec<ContainerModel> {
        self.list(path)
            .unwrap_or_default()
            .iter()
            .enumerate()
            .map(|(index, given)| {
                let name = lookup_str(given, "name").filter(|n| !n.contains("{{"));
                ContainerModel {
                    name,
                    role: ContainerRole::Extra {
                        index,
                        given: given.clone(),
                    },
                    init,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vals(yaml: &str) -> Values {
        Values::from_user_yaml(yaml, "airflow", "airflow").unwrap()
    }

    #[test]
    fn names_parse() {
        for w in Workload::ALL {
            assert_eq!(w.name().parse::<Workload>().unwrap(), w);
        }
        assert_eq!(
            "apiServer".parse::<Workload>().unwrap(),
            Workload::ApiServer
        );
        assert_eq!("workers".parse::<Workload>().unwrap(), Workload::Worker);
        assert!("nope".parse::<Workload>().is_err());
    }

    #[test]
    fn defaults_enable_airflow3_celery_set() {
        let v = vals("");
        let e = v.enabled_workloads();
        assert!(e.contains(&Workload::ApiServer));
        assert!(!e.contains(&Workload::Webserver));
        assert!(e.contains(&Workload::Worker));
        assert!(e.contains(&Workload::DagProcessor));
        assert!(e.contains(&Workload::Redis));
        assert!(!e.contains(&Workload::PodTemplate));
        assert!(!e.contains(&Workload::CreateUserJob));
        assert_eq!(v.workload_kind(Workload::Worker), "StatefulSet");
        assert_eq!(v.workload_object_name(Workload::Worker), "airflow-worker");
        let p = v.pod(Workload::Scheduler).unwrap();
        let names: Vec<_> = p.all_containers().map(|c| c.display_name()).collect();
        assert_eq!(
            names,
            [
                "wait-for-airflow-migrations",
                "scheduler",
                "scheduler-log-groomer"
            ]
        );
    }

    #[test]
    fn executors_and_versions() {
        let v = vals("executor: 'airflow.executors.local_executor.LocalExecutor, KubernetesExecutor'\nairflowVersion: 2.10.5\n");
        assert!(v.is_local() && v.is_kubernetes() && !v.is_celery());
        assert!(!v.is_airflow3());
        assert!(v.is_enabled(Workload::Webserver));
        assert!(!v.is_enabled(Workload::DagProcessor));
        assert!(v.is_enabled(Workload::CreateUserJob));
        assert_eq!(v.workload_kind(Workload::Scheduler), "StatefulSet");
        assert!(!vals("executor: MyCeleryExecutor").is_celery());
    }

    #[test]
    fn fullnames() {
        assert_eq!(vals("fullnameOverride: x-").fullname(), "x");
        assert_eq!(vals("useStandardNaming: true").fullname(), "airflow");
        let v = Values::from_user_yaml("useStandardNaming: true", "prod", "ns").unwrap();
        assert_eq!(v.fullname(), "prod-airflow");
        assert_eq!(v.postgresql_fullname(), "prod-postgresql");
    }
}
