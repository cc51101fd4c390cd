//! The built-in secrets and the env vars read from secrets, exactly as the
//! chart implements them (`airflow.secret.*`, `airflow.builtInSecretEnv`,
//! `airflow.builtInEnabled`, `airflow.env` in `_helpers.tpl`, the
//! `templates/secrets/*.yaml` files and the workload templates).

use crate::values::{go_string, lookup, lookup_str, Values};
use crate::workload::{ContainerModel, ContainerRole, Workload};
use gotmpl::Value;
use std::fmt;

/// A secret the chart knows by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ChartSecret {
    Metadata,
    FernetKey,
    ApiSecretKey,
    JwtSecret,
    WebserverSecretKey,
    ResultBackend,
    BrokerUrl,
    Elasticsearch,
    Opensearch,
    RedisPassword,
    PgbouncerConfig,
    PgbouncerStats,
    PgbouncerCertificates,
    KerberosKeytab,
    Flower,
    Registry,
    GitSshKey,
    /// The PostgreSQL sub-chart's password secret.
    Postgresql,
}

impl ChartSecret {
    pub const ALL: [ChartSecret; 18] = [
        ChartSecret::Metadata,
        ChartSecret::FernetKey,
        ChartSecret::ApiSecretKey,
        ChartSecret::JwtSecret,
        ChartSecret::WebserverSecretKey,
        ChartSecret::ResultBackend,
        ChartSecret::BrokerUrl,
        ChartSecret::Elasticsearch,
        ChartSecret::Opensearch,
        ChartSecret::RedisPassword,
        ChartSecret::PgbouncerConfig,
        ChartSecret::PgbouncerStats,
        ChartSecret::PgbouncerCertificates,
        ChartSecret::KerberosKeytab,
        ChartSecret::Flower,
        ChartSecret::Registry,
        ChartSecret::GitSshKey,
        ChartSecret::Postgresql,
    ];

    /// Suffix of the default name `<fullname>-<suffix>`.
    fn suffix(self) -> &'static str {
        match self {
            ChartSecret::Metadata => "airflow-metadata",
            ChartSecret::FernetKey => "fernet-key",
            ChartSecret::ApiSecretKey => "api-secret-key",
            ChartSecret::JwtSecret => "jwt-secret",
            ChartSecret::WebserverSecretKey => "webserver-secret-key",
            ChartSecret::ResultBackend => "airflow-result-backend",
            ChartSecret::BrokerUrl => "airflow-broker-url",
            ChartSecret::Elasticsearch => "elasticsearch",
            ChartSecret::Opensearch => "opensearch",
            ChartSecret::RedisPassword => "redis-password",
            ChartSecret::PgbouncerConfig => "pgbouncer-config",
            ChartSecret::PgbouncerStats => "pgbouncer-stats",
            ChartSecret::PgbouncerCertificates => "pgbouncer-certificates",
            ChartSecret::KerberosKeytab => "kerberos-keytab",
            ChartSecret::Flower => "flower",
            ChartSecret::Registry => "registry",
            ChartSecret::GitSshKey => "ssh-secret",
            ChartSecret::Postgresql => "postgresql",
        }
    }

    /// The values key naming an existing secret that replaces this one.
    pub fn override_path(self) -> Option<&'static str> {
        Some(match self {
            ChartSecret::Metadata => "data.metadataSecretName",
            ChartSecret::FernetKey => "fernetKeySecretName",
            ChartSecret::ApiSecretKey => "apiSecretKeySecretName",
            ChartSecret::JwtSecret => "jwtSecretName",
            ChartSecret::WebserverSecretKey => "webserverSecretKeySecretName",
            ChartSecret::ResultBackend => "data.resultBackendSecretName",
            ChartSecret::BrokerUrl => "data.brokerUrlSecretName",
            ChartSecret::Elasticsearch => "elasticsearch.secretName",
            ChartSecret::Opensearch => "opensearch.secretName",
            ChartSecret::RedisPassword => "redis.passwordSecretName",
            ChartSecret::PgbouncerConfig => "pgbouncer.configSecretName",
            ChartSecret::PgbouncerStats => "pgbouncer.metricsExporterSidecar.statsSecretName",
            ChartSecret::Flower => "flower.secretName",
            ChartSecret::GitSshKey => "dags.gitSync.sshKeySecret",
            ChartSecret::Postgresql => "postgresql.fullnameOverride",
            ChartSecret::PgbouncerCertificates
            | ChartSecret::KerberosKeytab
            | ChartSecret::Registry => return None,
        })
    }

    /// The keys of the secret the chart reads or writes.
    pub fn keys(self) -> &'static [&'static str] {
        match self {
            // kedaConnection: KEDA_DB_CONN, a direct connection for KEDA scalers.
            ChartSecret::Metadata => &["connection", "kedaConnection"],
            ChartSecret::ResultBackend
            | ChartSecret::BrokerUrl
            | ChartSecret::Elasticsearch
            | ChartSecret::Opensearch
            | ChartSecret::PgbouncerStats => &["connection"],
            ChartSecret::FernetKey => &["fernet-key"],
            ChartSecret::ApiSecretKey => &["api-secret-key"],
            ChartSecret::JwtSecret => &["jwt-secret"],
            ChartSecret::WebserverSecretKey => &["webserver-secret-key"],
            ChartSecret::RedisPassword => &["password"],
            ChartSecret::PgbouncerConfig => &["pgbouncer.ini", "users.txt"],
            ChartSecret::PgbouncerCertificates => &["root.crt", "server.crt", "server.key"],
            ChartSecret::KerberosKeytab => &["kerberos.keytab"],
            ChartSecret::Flower => &["basicAuth"],
            ChartSecret::Registry => &[".dockerconfigjson"],
            ChartSecret::GitSshKey => &["gitSshKey"],
            ChartSecret::Postgresql => &["postgres-password", "password"],
        }
    }
}

/// The built-in env vars of the guide's first table, each switchable with
/// `enableBuiltInSecretEnvVars.<NAME>`, in the order the chart renders them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BuiltInEnv {
    FernetKey,
    DatabaseSqlAlchemyConn,
    ConnAirflowDb,
    ApiSecretKey,
    ApiAuthJwtSecret,
    WebserverSecretKey,
    CeleryResultBackend,
    CeleryBrokerUrl,
    ElasticsearchHost,
    OpensearchHost,
}

impl BuiltInEnv {
    pub const ALL: [BuiltInEnv; 10] = [
        BuiltInEnv::FernetKey,
        BuiltInEnv::DatabaseSqlAlchemyConn,
        BuiltInEnv::ConnAirflowDb,
        BuiltInEnv::ApiSecretKey,
        BuiltInEnv::ApiAuthJwtSecret,
        BuiltInEnv::WebserverSecretKey,
        BuiltInEnv::CeleryResultBackend,
        BuiltInEnv::CeleryBrokerUrl,
        BuiltInEnv::ElasticsearchHost,
        BuiltInEnv::OpensearchHost,
    ];

    /// Names accepted in `enableBuiltInSecretEnvVars` for compatibility with the
    /// official chart; they have no effect in this chart.
    pub const COMPAT_NAMES: [&'static str; 3] = [
        "AIRFLOW__CORE__SQL_ALCHEMY_CONN",
        "AIRFLOW__CELERY__CELERY_RESULT_BACKEND",
        "AIRFLOW__ELASTICSEARCH__ELASTICSEARCH_HOST",
    ];

    pub fn var(self) -> &'static str {
        match self {
            BuiltInEnv::FernetKey => "AIRFLOW__CORE__FERNET_KEY",
            BuiltInEnv::DatabaseSqlAlchemyConn => "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN",
            BuiltInEnv::ConnAirflowDb => "AIRFLOW_CONN_AIRFLOW_DB",
            BuiltInEnv::ApiSecretKey => "AIRFLOW__API__SECRET_KEY",
            BuiltInEnv::ApiAuthJwtSecret => "AIRFLOW__API_AUTH__JWT_SECRET",
            BuiltInEnv::WebserverSecretKey => "AIRFLOW__WEBSERVER__SECRET_KEY",
            BuiltInEnv::CeleryResultBackend => "AIRFLOW__CELERY__RESULT_BACKEND",
            BuiltInEnv::CeleryBrokerUrl => "AIRFLOW__CELERY__BROKER_URL",
            BuiltInEnv::ElasticsearchHost => "AIRFLOW__ELASTICSEARCH__HOST",
            BuiltInEnv::OpensearchHost => "AIRFLOW__OPENSEARCH__HOST",
        }
    }

    pub fn secret(self) -> ChartSecret {
        match self {
            BuiltInEnv::FernetKey => ChartSecret::FernetKey,
            BuiltInEnv::DatabaseSqlAlchemyConn | BuiltInEnv::ConnAirflowDb => ChartSecret::Metadata,
            BuiltInEnv::ApiSecretKey => ChartSecret::ApiSecretKey,
            BuiltInEnv::ApiAuthJwtSecret => ChartSecret::JwtSecret,
            BuiltInEnv::WebserverSecretKey => ChartSecret::WebserverSecretKey,
            BuiltInEnv::CeleryResultBackend => ChartSecret::ResultBackend,
            BuiltInEnv::CeleryBrokerUrl => ChartSecret::BrokerUrl,
            BuiltInEnv::ElasticsearchHost => ChartSecret::Elasticsearch,
            BuiltInEnv::OpensearchHost => ChartSecret::Opensearch,
        }
    }

    pub fn key(self) -> &'static str {
        self.secret().keys()[0]
    }

    /// Whether a built-in env var name is one of these (or a compatibility name).
    pub fn is_builtin_name(name: &str) -> bool {
        BuiltInEnv::ALL.iter().any(|b| b.var() == name) || BuiltInEnv::COMPAT_NAMES.contains(&name)
    }
}

impl fmt::Display for BuiltInEnv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.var())
    }
}

/// A chart secret for the given values.
#[derive(Clone, Debug, PartialEq)]
pub struct SecretInfo {
    pub secret: ChartSecret,
    /// The name pods refer to (the override when set).
    pub name: String,
    /// The name the chart would use without the override.
    pub default_name: String,
    /// The values key of the override, when this secret has one.
    pub override_path: Option<&'static str>,
    /// The override is set.
    pub overridden: bool,
    /// Some rendered pod reads it (env var, volume or image pull secret).
    pub used: bool,
    /// The chart renders a Secret object with this name.
    pub created: bool,
    /// Why it is (not) used and (not) created.
    pub reason: String,
}

/// Where a secret-sourced env var of a container comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum EnvOrigin {
    /// A built-in env var of the guide's first table.
    BuiltIn(BuiltInEnv),
    /// A chart-managed env var outside that table (`REDIS_PASSWORD`,
    /// `DATABASE_URL`, `AIRFLOW__CELERY__FLOWER_BASIC_AUTH`, `GITSYNC_*`,
    /// `POSTGRES_PASSWORD`).
    Chart(ChartSecret),
    /// An entry of the global `secret` list.
    SecretList(usize),
    /// An env entry given in values (`env`, `extraEnv`, `<component>.env`, …): the values path.
    User(String),
    /// git-sync credentials from `dags.gitSync.credentialsSecret`.
    GitCredentials,
}

/// One env var that reads a secret key.
#[derive(Clone, Debug, PartialEq)]
pub struct SecretEnv {
    pub var: String,
    pub secret: String,
    pub key: String,
    pub origin: EnvOrigin,
    pub reason: String,
}

/// A built-in env var a container does not get, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct SkippedEnv {
    pub var: BuiltInEnv,
    pub reason: String,
}

/// The secret-sourced env of one container.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ContainerEnv {
    /// The env vars with `valueFrom.secretKeyRef`, in rendering order.
    pub vars: Vec<SecretEnv>,
    /// Built-in env vars the container does not get.
    pub skipped: Vec<SkippedEnv>,
    /// Part of the env comes from a templated `extraEnv` string the model does
    /// not evaluate: the rendered list may hold more secret env vars than `vars`.
    pub opaque: bool,
}

/// A volume of a pod that mounts a chart secret.
#[derive(Clone, Debug, PartialEq)]
pub struct SecretVolume {
    /// Volume name.
    pub volume: &'static str,
    pub secret: String,
    pub reason: String,
}

/// Whether a built-in env var is switched on for a component, and which key decided it.
#[derive(Clone, Debug, PartialEq)]
pub struct EnvSwitch {
    pub enabled: bool,
    /// `<component>.enableBuiltInSecretEnvVars.<NAME>`,
    /// `enableBuiltInSecretEnvVars.<NAME>` or `(default)`.
    pub decided_by: String,
}

/// The volume names the chart gives to secret volumes (others are the user's).
pub const CHART_SECRET_VOLUMES: [&str; 4] = [
    "git-sync-ssh-key",
    "kerberos-keytab",
    "pgbouncer-config",
    "pgbouncer-certificates",
];

impl Values {
    fn secret_name(&self, s: ChartSecret) -> String {
        let default = self.default_secret_name(s);
        match s {
            ChartSecret::Postgresql => self.postgresql_fullname(),
            _ => match s.override_path() {
                Some(p) => self.string_or(p, &default),
                None => default,
            },
        }
    }

    fn default_secret_name(&self, s: ChartSecret) -> String {
        match s {
            ChartSecret::Postgresql => format!("{}-postgresql", self.release().name),
            _ => format!("{}-{}", self.fullname(), s.suffix()),
        }
    }

    /// `airflow.resultBackend.present`.
    pub fn result_backend_present(&self) -> bool {
        self.is_celery()
            && (self.truthy("data.resultBackendSecretName")
                || self.truthy("data.resultBackendConnection")
                || !self.truthy("data.metadataSecretName"))
    }

    /// `airflow.brokerUrl.present`.
    pub fn broker_url_present(&self) -> bool {
        self.is_celery()
            && (self.truthy("data.brokerUrlSecretName")
                || self.truthy("data.brokerUrl")
                || self.truthy("redis.enabled"))
    }

    /// `airflow.keda.direct`: does the KEDA scaler of workload `w` (Celery workers
    /// or triggerer) read KEDA_DB_CONN instead of AIRFLOW_CONN_AIRFLOW_DB?
    pub fn keda_direct(&self, w: Workload) -> bool {
        let key = match w {
            Workload::Worker | Workload::Triggerer => w.values_key(),
            _ => return false,
        };
        if !self.truthy(&format!("{key}.keda.enabled")) {
            return false;
        }
        self.string_or("data.metadataConnection.protocol", "") == "mysql"
            || (self.truthy("pgbouncer.enabled")
                && !self.truthy(&format!("{key}.keda.usePgbouncer")))
            || !self
                .builtin_env_switch(w, "AIRFLOW_CONN_AIRFLOW_DB")
                .enabled
    }

    /// `airflow.flower.basicAuth`.
    pub fn flower_basic_auth(&self) -> bool {
        self.truthy("flower.secretName")
            || ((self.truthy("flower.username") || self.truthy("flower.user"))
                && self.truthy("flower.password"))
    }

    fn pgbouncer_tls(&self) -> bool {
        self.truthy("pgbouncer.ssl.ca")
            || self.truthy("pgbouncer.ssl.cert")
            || self.truthy("pgbouncer.ssl.key")
    }

    /// The names in each pod's `imagePullSecrets` (`airflow.imagePullSecrets`).
    pub fn image_pull_secrets(&self) -> Vec<String> {
        if let Some(l) = self.list("imagePullSecrets").filter(|l| !l.is_empty()) {
            return l
                .iter()
                .map(|e| match e.as_map() {
                    Some(_) => lookup_str(e, "name").unwrap_or_default(),
                    None => go_string(e),
                })
                .collect();
        }
        if self.truthy("registry.secretName") {
            return vec![self.string_or("registry.secretName", "")];
        }
        if self.truthy("registry.connection") {
            return vec![self.secret_name(ChartSecret::Registry)];
        }
        Vec::new()
    }

    /// `airflow.builtInEnabled`: the component's entry wins over the global one; default on.
    pub fn builtin_env_switch(&self, w: Workload, var: &str) -> EnvSwitch {
        let local = format!("{}.enableBuiltInSecretEnvVars", w.values_key());
        if let Some(m) = self.map(&local) {
            if let Some(v) = m.get(var) {
                return EnvSwitch {
                    enabled: v.is_true(),
                    decided_by: format!("{local}.{var}"),
                };
            }
        }
        if let Some(m) = self.map("enableBuiltInSecretEnvVars") {
            if let Some(v) = m.get(var) {
                return EnvSwitch {
                    enabled: v.is_true(),
                    decided_by: format!("enableBuiltInSecretEnvVars.{var}"),
                };
            }
        }
        EnvSwitch {
            enabled: true,
            decided_by: "(default)".into(),
        }
    }

    /// Every chart secret with its name, whether pods use it and whether the chart creates it.
    pub fn secrets(&self) -> Vec<SecretInfo> {
        ChartSecret::ALL
            .into_iter()
            .map(|s| self.secret_info(s))
            .collect()
    }

    /// One chart secret.
    pub fn secret_info(&self, s: ChartSecret) -> SecretInfo {
        let name = self.secret_name(s);
        let default_name = self.default_secret_name(s);
        let override_path = s.override_path();
        let overridden = override_path.is_some_and(|p| self.truthy(p));
        let ov = override_path.unwrap_or("");
        let v3 = self.is_airflow3();
        let celery = self.is_celery();
        let by = |needed: bool, why: String| -> (bool, bool, String) {
            let created = needed && !overridden;
            let tail = if !needed {
                String::new()
            } else if overridden {
                format!("; {ov} is set, so the chart does not create it")
            } else {
                "; the chart creates it".into()
            };
            (needed, created, format!("{why}{tail}"))
        };
        let (used, created, reason) = match s {
            ChartSecret::Metadata | ChartSecret::FernetKey => {
                by(true, "always needed by Airflow".into())
            }
            ChartSecret::ApiSecretKey | ChartSecret::JwtSecret => by(
                v3,
                if v3 {
                    "Airflow >= 3".into()
                } else {
                    "only for Airflow >= 3".into()
                },
            ),
            ChartSecret::WebserverSecretKey => by(
                !v3,
                if v3 {
                    "only for Airflow < 3".into()
                } else {
                    "Airflow < 3".into()
                },
            ),
            ChartSecret::ResultBackend => {
                let present = self.result_backend_present();
                by(
                    present,
                    if !celery {
                        "only for Celery executors".into()
                    } else if present {
                        "Celery executor".into()
                    } else {
                        "data.metadataSecretName is set without data.resultBackendConnection or data.resultBackendSecretName: Airflow derives the result backend from sql_alchemy_conn".into()
                    },
                )
            }
            ChartSecret::BrokerUrl => {
                let present = self.broker_url_present();
                by(
                    present,
                    if !celery {
                        "only for Celery executors".into()
                    } else if present {
                        "Celery executor with redis.enabled, data.brokerUrl or data.brokerUrlSecretName".into()
                    } else {
                        "Celery executor without redis.enabled, data.brokerUrl or data.brokerUrlSecretName: no broker is known".into()
                    },
                )
            }
            ChartSecret::Elasticsearch => {
                let e = self.truthy("elasticsearch.enabled");
                by(e, format!("elasticsearch.enabled is {e}"))
            }
            ChartSecret::Opensearch => {
                let e = self.truthy("opensearch.enabled");
                by(e, format!("opensearch.enabled is {e}"))
            }
            ChartSecret::RedisPassword => {
                let e = self.is_enabled(Workload::Redis);
                by(
                    e,
                    if e {
                        "REDIS_PASSWORD of the chart's Redis".into()
                    } else {
                        "the chart's Redis is not deployed".into()
                    },
                )
            }
            ChartSecret::PgbouncerConfig => {
                let e = self.truthy("pgbouncer.enabled");
                let mount = self.truthy("pgbouncer.mountConfigSecret");
                let (_, created, reason) = by(e, format!("pgbouncer.enabled is {e}"));
                (
                    e && mount,
                    created,
                    if e && !mount {
                        format!("{reason}; not mounted (pgbouncer.mountConfigSecret is false)")
                    } else {
                        reason
                    },
                )
            }
            ChartSecret::PgbouncerStats => {
                let e = self.truthy("pgbouncer.enabled");
                by(
                    e,
                    format!("pgbouncer.enabled is {e} (DATABASE_URL of the metrics exporter)"),
                )
            }
            ChartSecret::PgbouncerCertificates => {
                let e = self.truthy("pgbouncer.enabled") && self.pgbouncer_tls();
                by(
                    e,
                    "PgBouncer client TLS: pgbouncer.enabled and pgbouncer.ssl.{ca,cert,key}"
                        .into(),
                )
            }
            ChartSecret::KerberosKeytab => {
                let k = self.truthy("kerberos.enabled");
                let used = k
                    && [Workload::Worker, Workload::PodTemplate]
                        .into_iter()
                        .any(|w| self.is_enabled(w) && self.for_workload(w).worker_kerberos());
                let created = k && self.truthy("kerberos.keytabBase64Content");
                (
                    used,
                    created,
                    format!(
                        "kerberos.enabled is {k}; created only with kerberos.keytabBase64Content ({}); mounted by worker pods with a kerberos sidecar or init container ({})",
                        if created { "set" } else { "unset" },
                        if used { "yes" } else { "no" }
                    ),
                )
            }
            ChartSecret::Flower => {
                let flower = self.is_enabled(Workload::Flower);
                let auth = self.flower_basic_auth();
                let created = flower
                    && !overridden
                    && (self.truthy("flower.username") || self.truthy("flower.user"))
                    && self.truthy("flower.password");
                (
                    flower && auth,
                    created,
                    if !flower {
                        "flower is not deployed".into()
                    } else if !auth {
                        "neither flower.secretName nor flower.user (flower.username) and flower.password are set: AIRFLOW__CELERY__FLOWER_BASIC_AUTH is not set".into()
                    } else if overridden {
                        "flower.secretName is set: AIRFLOW__CELERY__FLOWER_BASIC_AUTH reads it; the chart does not create it".into()
                    } else {
                        "flower.user (or flower.username) and flower.password are set: the chart creates it".into()
                    },
                )
            }
            ChartSecret::Registry => {
                let conn = self.truthy("registry.connection");
                let created =
                    conn && !self.truthy("registry.secretName") && !self.truthy("imagePullSecrets");
                (
                    created,
                    created,
                    if created {
                        "registry.connection is set and neither registry.secretName nor imagePullSecrets is: the chart creates it and every pod pulls with it".into()
                    } else if conn {
                        "registry.connection is set, but registry.secretName or imagePullSecrets wins".into()
                    } else {
                        "registry.connection is not set".into()
                    },
                )
            }
            ChartSecret::GitSshKey => {
                let git = self.truthy("dags.gitSync.enabled");
                let ssh =
                    self.truthy("dags.gitSync.sshKeySecret") || self.truthy("dags.gitSync.sshKey");
                let created = git && self.truthy("dags.gitSync.sshKey") && !overridden;
                (
                    git && ssh,
                    created,
                    if !git {
                        "dags.gitSync.enabled is false".into()
                    } else if !ssh {
                        "no dags.gitSync.sshKeySecret or dags.gitSync.sshKey".into()
                    } else if created {
                        "dags.gitSync.sshKey is given inline: the chart creates it".into()
                    } else {
                        "dags.gitSync.sshKeySecret names an existing secret".into()
                    },
                )
            }
            ChartSecret::Postgresql => {
                let e = self.truthy("postgresql.enabled");
                (
                    e,
                    e,
                    format!(
                        "postgresql.enabled is {e} (passwords of the embedded PostgreSQL's users)"
                    ),
                )
            }
        };
        SecretInfo {
            secret: s,
            name,
            default_name,
            override_path,
            overridden,
            used,
            created,
            reason,
        }
    }

    /// The built-in env vars (guide table) of one Airflow component, in rendering order,
    /// with the ones it does not get.
    fn builtin_env(&self, w: Workload) -> (Vec<SecretEnv>, Vec<SkippedEnv>) {
        let mut vars = Vec::new();
        let mut skipped = Vec::new();
        let v3 = self.is_airflow3();
        for b in BuiltInEnv::ALL {
            let condition: Result<&str, String> = match b {
                BuiltInEnv::ApiSecretKey | BuiltInEnv::ApiAuthJwtSecret if !v3 => {
                    Err("only for Airflow >= 3".into())
                }
                BuiltInEnv::WebserverSecretKey if v3 => Err("only for Airflow < 3".into()),
                BuiltInEnv::CeleryResultBackend if !self.result_backend_present() => {
                    Err(if !self.is_celery() {
                        "no Celery executor".into()
                    } else {
                        "data.metadataSecretName is set without data.resultBackendConnection or data.resultBackendSecretName".into()
                    })
                }
                BuiltInEnv::CeleryBrokerUrl if !self.broker_url_present() => {
                    Err(if !self.is_celery() {
                        "no Celery executor".into()
                    } else {
                        "no broker: redis.enabled, data.brokerUrl and data.brokerUrlSecretName are all unset".into()
                    })
                }
                BuiltInEnv::ElasticsearchHost if !self.truthy("elasticsearch.enabled") => {
                    Err("elasticsearch.enabled is false".into())
                }
                BuiltInEnv::OpensearchHost if !self.truthy("opensearch.enabled") => {
                    Err("opensearch.enabled is false".into())
                }
                BuiltInEnv::ApiSecretKey | BuiltInEnv::ApiAuthJwtSecret => Ok("Airflow >= 3"),
                BuiltInEnv::WebserverSecretKey => Ok("Airflow < 3"),
                BuiltInEnv::CeleryResultBackend | BuiltInEnv::CeleryBrokerUrl => {
                    Ok("Celery executor")
                }
                BuiltInEnv::ElasticsearchHost => Ok("elasticsearch.enabled"),
                BuiltInEnv::OpensearchHost => Ok("opensearch.enabled"),
                BuiltInEnv::FernetKey
                | BuiltInEnv::DatabaseSqlAlchemyConn
                | BuiltInEnv::ConnAirflowDb => Ok("every Airflow container"),
            };
            let switch = self.builtin_env_switch(w, b.var());
            match condition {
                Err(why) => skipped.push(SkippedEnv {
                    var: b,
                    reason: why,
                }),
                Ok(_) if !switch.enabled => skipped.push(SkippedEnv {
                    var: b,
                    reason: format!("switched off by {}: false", switch.decided_by),
                }),
                Ok(cond) => {
                    let info = self.secret_info(b.secret());
                    let switch_text = if switch.decided_by == "(default)" {
                        "on by default".to_string()
                    } else {
                        format!("{}: true", switch.decided_by)
                    };
                    let name_text = if info.overridden {
                        format!("secret from {}", info.override_path.unwrap_or(""))
                    } else {
                        "the chart's secret".to_string()
                    };
                    vars.push(SecretEnv {
                        var: b.var().into(),
                        secret: info.name,
                        key: b.key().into(),
                        origin: EnvOrigin::BuiltIn(b),
                        reason: format!("built-in: {cond}; {switch_text}; {name_text}"),
                    })
                }
            }
        }
        (vars, skipped)
    }

    /// Secret env vars from a values list of EnvVar objects (rendered with `toYaml`).
    fn user_env_list(&self, path: &str, out: &mut Vec<SecretEnv>) {
        if let Some(l) = self.list(path) {
            env_list_secrets(&l, path, out);
        }
    }

    /// The secret-sourced env vars of one container.
    pub fn container_env(&self, w: Workload, c: &ContainerModel) -> ContainerEnv {
        let key = w.values_key();
        let mut env = ContainerEnv::default();
        match &c.role {
            ContainerRole::Extra { given, index } => {
                if let Some(l) =
                    lookup(given, "env").and_then(|v| v.as_list().map(<[Value]>::to_vec))
                {
                    let path = format!(
                        "{key}.{}[{index}].env",
                        if c.init {
                            "extraInitContainers"
                        } else {
                            "extraContainers"
                        }
                    );
                    env_list_secrets(&l, &path, &mut env.vars);
                    env.opaque = chartgen_yaml::to_yaml(&Value::list(l.to_vec())).contains("{{");
                }
                return env;
            }
            ContainerRole::LogGroomer => {
                self.user_env_list(&format!("{key}.logGroomerSidecar.env"), &mut env.vars);
                return env;
            }
            ContainerRole::GitSync => {
                if self.truthy("dags.gitSync.credentialsSecret") {
                    let s = self.string_or("dags.gitSync.credentialsSecret", "");
                    for var in ["GITSYNC_USERNAME", "GITSYNC_PASSWORD"] {
                        env.vars.push(SecretEnv {
                            var: var.into(),
                            secret: s.clone(),
                            key: var.into(),
                            origin: EnvOrigin::GitCredentials,
                            reason: "dags.gitSync.credentialsSecret is set".into(),
                        });
                    }
                }
                self.user_env_list("dags.gitSync.env", &mut env.vars);
                return env;
            }
            ContainerRole::VolumePermissions => return env,
            ContainerRole::MetricsExporter => {
                let info = self.secret_info(ChartSecret::PgbouncerStats);
                // statsSecretKey names a key of the user's statsSecretName;
                // the chart's own secret only has `connection`.
                let k = if self.truthy("pgbouncer.metricsExporterSidecar.statsSecretName") {
                    self.string_or(
                        "pgbouncer.metricsExporterSidecar.statsSecretKey",
                        "connection",
                    )
                } else {
                    "connection".to_string()
                };
                env.vars.push(SecretEnv {
                    var: "DATABASE_URL".into(),
                    secret: info.name,
                    key: k,
                    origin: EnvOrigin::Chart(ChartSecret::PgbouncerStats),
                    reason: "the exporter's connection (key pgbouncer.metricsExporterSidecar.statsSecretKey when statsSecretName is set, else connection)".into(),
                });
                return env;
            }
            ContainerRole::Main if w == Workload::Redis => {
                env.vars.push(SecretEnv {
                    var: "REDIS_PASSWORD".into(),
                    secret: self.secret_name(ChartSecret::RedisPassword),
                    key: "password".into(),
                    origin: EnvOrigin::Chart(ChartSecret::RedisPassword),
                    reason: "the Redis password (redis.passwordSecretName or the chart's secret)"
                        .into(),
                });
                return env;
            }
            ContainerRole::Main if w == Workload::Postgresql => {
                let secret = |var: &str, key: &str, reason: &str| SecretEnv {
                    var: var.into(),
                    secret: self.postgresql_fullname(),
                    key: key.into(),
                    origin: EnvOrigin::Chart(ChartSecret::Postgresql),
                    reason: reason.into(),
                };
                if self.truthy("postgresql.auth.enablePostgresUser") {
                    env.vars.push(secret(
                        "POSTGRES_PASSWORD",
                        "postgres-password",
                        "the postgres superuser's password (postgresql.auth.postgresPassword)",
                    ));
                    if self.truthy("postgresql.auth.username") {
                        env.vars.push(secret(
                            "APP_PASSWORD",
                            "password",
                            "the password of the additional user postgresql.auth.username",
                        ));
                    }
                } else {
                    env.vars.push(secret(
                        "POSTGRES_PASSWORD",
                        "password",
                        "the superuser postgresql.auth.username's password (enablePostgresUser is false)",
                    ));
                }
                return env;
            }
            ContainerRole::Main if matches!(w, Workload::Statsd | Workload::PgBouncer) => {
                self.user_env_list(&format!("{key}.env"), &mut env.vars);
                return env;
            }
            _ => {}
        }
        // An Airflow container: `airflow.env`.
        let (builtins, skipped) = self.builtin_env(w);
        env.vars.extend(builtins);
        env.skipped = skipped;
        let custom = match w {
            Workload::MigrateDatabaseJob
            | Workload::CreateUserJob
            | Workload::Cleanup
            | Workload::DatabaseCleanup
                if c.role == ContainerRole::Main =>
            {
                self.get(&format!("{key}.applyCustomEnv"))
                    .is_none_or(|v| go_string(v) != "false")
            }
            _ => true,
        };
        if custom {
            self.user_env_list("env", &mut env.vars);
            if let Some(l) = self.list("secret") {
                for (i, e) in l.iter().enumerate() {
                    env.vars.push(SecretEnv {
                        var: lookup_str(e, "envName").unwrap_or_default(),
                        secret: lookup_str(e, "secretName").unwrap_or_default(),
                        key: lookup_str(e, "secretKey").unwrap_or_default(),
                        origin: EnvOrigin::SecretList(i),
                        reason: format!("secret[{i}]"),
                    });
                }
            }
            match self.get("extraEnv") {
                Some(Value::String(s)) if s.contains("{{") => env.opaque = true,
                Some(Value::String(s)) if !s.trim().is_empty() => {
                    match chartgen_yaml::parse(s.trim().as_bytes()) {
                        Ok(v) => {
                            if let Some(l) = v.as_list() {
                                env_list_secrets(l, "extraEnv", &mut env.vars);
                            }
                        }
                        Err(_) => env.opaque = true,
                    }
                }
                Some(Value::List(_)) => self.user_env_list("extraEnv", &mut env.vars),
                _ => {}
            }
        }
        self.user_env_list(&format!("{key}.env"), &mut env.vars);
        if c.role == ContainerRole::Main && self.keda_direct(w) {
            let info = self.secret_info(ChartSecret::Metadata);
            env.vars.push(SecretEnv {
                var: "KEDA_DB_CONN".into(),
                secret: info.name,
                key: "kedaConnection".into(),
                origin: EnvOrigin::Chart(ChartSecret::Metadata),
                reason: format!("{key}.keda needs a direct connection (MySQL, PgBouncer without keda.usePgbouncer, or AIRFLOW_CONN_AIRFLOW_DB switched off)"),
            });
        }
        match c.role {
            ContainerRole::WaitForMigrations => {
                self.user_env_list(&format!("{key}.waitForMigrations.env"), &mut env.vars)
            }
            ContainerRole::Main if w == Workload::Flower && self.flower_basic_auth() => {
                let info = self.secret_info(ChartSecret::Flower);
                env.vars.push(SecretEnv {
                    var: "AIRFLOW__CELERY__FLOWER_BASIC_AUTH".into(),
                    secret: info.name,
                    key: "basicAuth".into(),
                    origin: EnvOrigin::Chart(ChartSecret::Flower),
                    reason: if info.overridden {
                        "flower.secretName is set".into()
                    } else {
                        "flower.user (or flower.username) and flower.password are set".into()
                    },
                });
            }
            _ => {}
        }
        env
    }

    /// The chart secret volumes of a workload's pod.
    pub fn pod_secret_volumes(&self, w: Workload) -> Vec<SecretVolume> {
        let mut out = Vec::new();
        let Some(pod) = self.pod(w) else {
            return out;
        };
        let git_volume = pod
            .all_containers()
            .any(|c| c.role == ContainerRole::GitSync);
        if git_volume
            && (self.truthy("dags.gitSync.sshKeySecret") || self.truthy("dags.gitSync.sshKey"))
        {
            out.push(SecretVolume {
                volume: "git-sync-ssh-key",
                secret: self.secret_name(ChartSecret::GitSshKey),
                reason: "git-sync with dags.gitSync.sshKeySecret or dags.gitSync.sshKey".into(),
            });
        }
        if matches!(w, Workload::Worker | Workload::PodTemplate)
            && self.for_workload(w).worker_kerberos()
        {
            out.push(SecretVolume {
                volume: "kerberos-keytab",
                secret: self.secret_name(ChartSecret::KerberosKeytab),
                reason: "kerberos sidecar or init container".into(),
            });
        }
        if w == Workload::PgBouncer {
            if self.truthy("pgbouncer.mountConfigSecret") {
                out.push(SecretVolume {
                    volume: "pgbouncer-config",
                    secret: self.secret_name(ChartSecret::PgbouncerConfig),
                    reason: "pgbouncer.mountConfigSecret".into(),
                });
            }
            if self.pgbouncer_tls() {
                out.push(SecretVolume {
                    volume: "pgbouncer-certificates",
                    secret: self.secret_name(ChartSecret::PgbouncerCertificates),
                    reason: "pgbouncer.ssl.{ca,cert,key}".into(),
                });
            }
        }
        out
    }

    /// The `imagePullSecrets` of a workload's pod (the sub-chart's pod has none).
    pub fn pod_image_pull_secrets(&self, w: Workload) -> Vec<String> {
        if w == Workload::Postgresql {
            return Vec::new();
        }
        self.image_pull_secrets()
    }
}

/// Entries with `valueFrom.secretKeyRef` of a list of EnvVar objects.
fn env_list_secrets(l: &[Value], path: &str, out: &mut Vec<SecretEnv>) {
    for (i, e) in l.iter().enumerate() {
        if let Some(r) = lookup(e, "valueFrom.secretKeyRef") {
            out.push(SecretEnv {
                var: lookup_str(e, "name").unwrap_or_default(),
                secret: lookup_str(&r, "name").unwrap_or_default(),
                key: lookup_str(&r, "key").unwrap_or_default(),
                origin: EnvOrigin::User(format!("{path}[{i}]")),
                reason: format!("given in {path}[{i}]"),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vals(yaml: &str) -> Values {
        Values::from_user_yaml(yaml, "airflow", "airflow").unwrap()
    }

    fn main_env(v: &Values, w: Workload) -> Vec<String> {
        let p = v.pod(w).unwrap();
        let c = p.container(w.main_container()).unwrap();
        v.container_env(w, c)
            .vars
            .into_iter()
            .map(|e| e.var)
            .collect()
    }

    #[test]
    fn default_names_follow_the_guide() {
        let v = vals("");
        let s = v.secret_info(ChartSecret::Metadata);
        assert_eq!(s.name, "airflow-airflow-metadata");
        assert!(s.created);
        assert_eq!(
            v.secret_info(ChartSecret::BrokerUrl).name,
            "airflow-airflow-broker-url"
        );
        assert!(!v.secret_info(ChartSecret::WebserverSecretKey).created);
    }

    #[test]
    fn overrides_replace_names_and_creation() {
        let v = vals("data:\n  metadataSecretName: mydb\nfernetKeySecretName: fk\n");
        let s = v.secret_info(ChartSecret::Metadata);
        assert_eq!((s.name.as_str(), s.created), ("mydb", false));
        assert!(!v.secret_info(ChartSecret::FernetKey).created);
        // Celery result backend omitted with only the metadata secret.
        assert!(!v.secret_info(ChartSecret::ResultBackend).used);
    }

    #[test]
    fn builtin_env_order_and_switches() {
        let v = vals("");
        assert_eq!(
            main_env(&v, Workload::Scheduler),
            [
                "AIRFLOW__CORE__FERNET_KEY",
                "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN",
                "AIRFLOW_CONN_AIRFLOW_DB",
                "AIRFLOW__API__SECRET_KEY",
                "AIRFLOW__API_AUTH__JWT_SECRET",
                "AIRFLOW__CELERY__RESULT_BACKEND",
                "AIRFLOW__CELERY__BROKER_URL"
            ]
        );
        let v = vals("enableBuiltInSecretEnvVars:\n  AIRFLOW_CONN_AIRFLOW_DB: false\nworkers:\n  enableBuiltInSecretEnvVars:\n    AIRFLOW_CONN_AIRFLOW_DB: true\n    AIRFLOW__CORE__FERNET_KEY: false\n");
        let s = main_env(&v, Workload::Scheduler);
        assert!(!s.contains(&"AIRFLOW_CONN_AIRFLOW_DB".to_string()));
        let w = main_env(&v, Workload::Worker);
        assert!(w.contains(&"AIRFLOW_CONN_AIRFLOW_DB".to_string()));
        assert!(!w.contains(&"AIRFLOW__CORE__FERNET_KEY".to_string()));
        let sw = v.builtin_env_switch(Workload::Worker, "AIRFLOW__CORE__FERNET_KEY");
        assert_eq!(
            sw.decided_by,
            "workers.enableBuiltInSecretEnvVars.AIRFLOW__CORE__FERNET_KEY"
        );
    }

    #[test]
    fn flower_basic_auth_rules() {
        let v = vals("flower:\n  enabled: true\n");
        assert!(
            !main_env(&v, Workload::Flower).contains(&"AIRFLOW__CELERY__FLOWER_BASIC_AUTH".into())
        );
        let v = vals("flower:\n  enabled: true\n  password: p\n");
        assert!(!v.flower_basic_auth());
        let v = vals("flower:\n  enabled: true\n  user: u\n  password: p\n");
        assert!(
            main_env(&v, Workload::Flower).contains(&"AIRFLOW__CELERY__FLOWER_BASIC_AUTH".into())
        );
        assert!(v.secret_info(ChartSecret::Flower).created);
        let v = vals("flower:\n  enabled: true\n  secretName: s\n");
        assert!(!v.secret_info(ChartSecret::Flower).created);
        assert!(v.secret_info(ChartSecret::Flower).used);
    }

    #[test]
    fn registry_rules() {
        let v = vals("registry:\n  connection: {user: u, pass: p, host: h}\n");
        assert!(v.secret_info(ChartSecret::Registry).created);
        assert_eq!(v.image_pull_secrets(), ["airflow-registry"]);
        let v = vals("registry:\n  connection: {user: u, pass: p, host: h}\nimagePullSecrets: [a, {name: b}]\n");
        assert!(!v.secret_info(ChartSecret::Registry).created);
        assert_eq!(v.image_pull_secrets(), ["a", "b"]);
    }

    #[test]
    fn airflow2_secret_set() {
        let v = vals("airflowVersion: 2.10.5\nexecutor: LocalExecutor\n");
        assert_eq!(
            main_env(&v, Workload::Scheduler),
            [
                "AIRFLOW__CORE__FERNET_KEY",
                "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN",
                "AIRFLOW_CONN_AIRFLOW_DB",
                "AIRFLOW__WEBSERVER__SECRET_KEY"
            ]
        );
    }
}
