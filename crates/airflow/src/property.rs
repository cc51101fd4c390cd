//! Property testing support: a seeded generator of random values over the
//! precedence and secrets knobs, a pluggable renderer, and a runner that
//! renders each case and checks it against the model.
//!
//! The rendering step is isolated behind [`Renderer`] so that the real helm
//! binary ([`HelmCli`], ~0.3 s per case) and an in-process renderer (any
//! `Fn(&str, &Release) -> Result<String, String>`) are interchangeable.

use crate::check::{check_manifests, Disagreement};
use crate::values::{Release, Values};
use gotmpl::{MapEntries, Value};
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Renders the chart for a user values file (YAML text), like
/// `helm template <release> chart/ -f values.yaml --namespace <namespace>`.
pub trait Renderer: Sync {
    /// The rendered stream, or the error text.
    fn render(&self, user_values_yaml: &str, release: &Release) -> Result<String, String>;
}

impl<F> Renderer for F
where
    F: Fn(&str, &Release) -> Result<String, String> + Sync,
{
    fn render(&self, user_values_yaml: &str, release: &Release) -> Result<String, String> {
        self(user_values_yaml, release)
    }
}

/// Real helm: `helm template <release> <chart> -f <file> --namespace <ns>`,
/// with private helm home directories (removed when dropped).
#[derive(Debug)]
pub struct HelmCli {
    pub helm: PathBuf,
    pub chart_dir: PathBuf,
    /// Directory for the temporary values files and helm homes.
    pub work_dir: PathBuf,
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

impl HelmCli {
    pub fn new(helm: impl Into<PathBuf>, chart_dir: impl Into<PathBuf>) -> HelmCli {
        let work_dir =
            std::env::temp_dir().join(format!("chartgen-airflow-{}", std::process::id()));
        HelmCli {
            helm: helm.into(),
            chart_dir: chart_dir.into(),
            work_dir,
        }
    }
}

impl Drop for HelmCli {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.work_dir);
    }
}

impl Renderer for HelmCli {
    fn render(&self, user_values_yaml: &str, release: &Release) -> Result<String, String> {
        std::fs::create_dir_all(&self.work_dir).map_err(|e| e.to_string())?;
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let file = self.work_dir.join(format!("values-{n}.yaml"));
        std::fs::write(&file, user_values_yaml).map_err(|e| e.to_string())?;
        let home = self.work_dir.join("helm-home");
        let out = Command::new(&self.helm)
            .arg("template")
            .arg(&release.name)
            .arg(&self.chart_dir)
            .arg("-f")
            .arg(&file)
            .arg("--namespace")
            .arg(&release.namespace)
            .env("HELM_CACHE_HOME", home.join("cache"))
            .env("HELM_CONFIG_HOME", home.join("config"))
            .env("HELM_DATA_HOME", home.join("data"))
            .output()
            .map_err(|e| format!("running {}: {e}", self.helm.display()))?;
        let _ = std::fs::remove_file(&file);
        if !out.status.success() {
            return Err(String::from_utf8_lossy(&out.stderr).into_owned());
        }
        String::from_utf8(out.stdout).map_err(|e| e.to_string())
    }
}

/// A small deterministic PRNG (SplitMix64), so that a seed names a case.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// True with probability `p` percent.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// A map under construction, with dotted-path setters.
#[derive(Clone, Debug, Default)]
pub struct Tree(MapEntries);

impl Tree {
    /// Set `path` (dotted) to `v`, creating intermediate maps.
    pub fn set(&mut self, path: &str, v: Value) {
        fn go(m: &mut MapEntries, keys: &[&str], v: Value) {
            if keys.len() == 1 {
                m.insert(keys[0].into(), v);
                return;
            }
            let mut child = match m.get(keys[0]).and_then(|c| c.as_map()) {
                Some(c) => (*c).clone(),
                None => MapEntries::new(),
            };
            go(&mut child, &keys[1..], v);
            m.insert(keys[0].into(), Value::map(child));
        }
        let keys: Vec<&str> = path.split('.').collect();
        go(&mut self.0, &keys, v);
    }

    /// The value at `path` (dotted), if set.
    pub fn get(&self, path: &str) -> Option<Value> {
        crate::values::lookup(&Value::map(self.0.clone()), path)
    }

    pub fn into_value(self) -> Value {
        Value::map(self.0)
    }
}

fn s(x: &str) -> Value {
    Value::string(x)
}

fn n(x: i64) -> Value {
    Value::Float(x as f64)
}

fn b(x: bool) -> Value {
    Value::Bool(x)
}

fn obj(pairs: Vec<(&str, Value)>) -> Value {
    crate::values::map_of(pairs)
}

/// Components with the official chart's deprecated singular `securityContext`.
const LEGACY_COMPONENTS: [&str; 9] = [
    "scheduler",
    "webserver",
    "workers",
    "triggerer",
    "dagProcessor",
    "flower",
    "createUserJob",
    "migrateDatabaseJob",
    "cleanup",
];

/// Components with an Airflow pod securityContext.
const AIRFLOW_COMPONENTS: [&str; 11] = [
    "scheduler",
    "apiServer",
    "webserver",
    "workers",
    "triggerer",
    "dagProcessor",
    "flower",
    "createUserJob",
    "migrateDatabaseJob",
    "cleanup",
    "databaseCleanup",
];

const BUILTIN_SWITCHES: [&str; 13] = [
    "AIRFLOW__CORE__FERNET_KEY",
    "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN",
    "AIRFLOW_CONN_AIRFLOW_DB",
    "AIRFLOW__API__SECRET_KEY",
    "AIRFLOW__API_AUTH__JWT_SECRET",
    "AIRFLOW__WEBSERVER__SECRET_KEY",
    "AIRFLOW__CELERY__RESULT_BACKEND",
    "AIRFLOW__CELERY__BROKER_URL",
    "AIRFLOW__ELASTICSEARCH__HOST",
    "AIRFLOW__CORE__SQL_ALCHEMY_CONN",
    "AIRFLOW__CELERY__CELERY_RESULT_BACKEND",
    "AIRFLOW__ELASTICSEARCH__ELASTICSEARCH_HOST",
    "AIRFLOW__OPENSEARCH__HOST",
];

fn pod_context(r: &mut Rng) -> Value {
    let mut pairs = Vec::new();
    if r.chance(70) {
        pairs.push(("runAsUser", n(*r.pick(&[0, 1000, 1001, 50000, 65534]))));
    }
    if r.chance(50) {
        pairs.push(("fsGroup", n(*r.pick(&[0, 1000, 2000]))));
    }
    if r.chance(30) {
        pairs.push(("runAsGroup", n(*r.pick(&[0, 1000]))));
    }
    if r.chance(30) {
        pairs.push(("runAsNonRoot", b(r.chance(50))));
    }
    if r.chance(20) {
        pairs.push(("seccompProfile", obj(vec![("type", s("RuntimeDefault"))])));
    }
    obj(pairs)
}

fn container_context(r: &mut Rng) -> Value {
    let mut pairs = Vec::new();
    if r.chance(50) {
        pairs.push(("runAsUser", n(*r.pick(&[0, 1000, 2002, 50000]))));
    }
    if r.chance(50) {
        pairs.push(("allowPrivilegeEscalation", b(r.chance(30))));
    }
    if r.chance(40) {
        pairs.push(("readOnlyRootFilesystem", b(r.chance(50))));
    }
    if r.chance(30) {
        pairs.push((
            "capabilities",
            obj(vec![("drop", Value::list(vec![s("ALL")]))]),
        ));
    }
    if r.chance(20) {
        pairs.push(("runAsNonRoot", b(r.chance(50))));
    }
    obj(pairs)
}

/// Random `securityContexts` block: pod and/or containers/container, sometimes empty.
fn security_contexts(r: &mut Rng, with_pod: bool) -> Value {
    let mut pairs = Vec::new();
    if with_pod && r.chance(50) {
        pairs.push(("pod", pod_context(r)));
    }
    match r.below(4) {
        0 => pairs.push(("containers", container_context(r))),
        1 => pairs.push(("container", container_context(r))),
        2 => {
            pairs.push(("containers", container_context(r)));
            pairs.push(("container", container_context(r)));
        }
        _ => {}
    }
    obj(pairs)
}

fn secret_env_entry(r: &mut Rng, var: &str) -> Value {
    const NAMES: [&str; 3] = ["user-secret", "vault-sync", "creds"];
    const KEYS: [&str; 3] = ["value", "token", "uri"];
    let name = NAMES[r.below(NAMES.len())];
    let key = KEYS[r.below(KEYS.len())];
    obj(vec![
        ("name", s(var)),
        (
            "valueFrom",
            obj(vec![(
                "secretKeyRef",
                obj(vec![("name", s(name)), ("key", s(key))]),
            )]),
        ),
    ])
}

/// One random user values file over the precedence and secrets knobs.
/// Every generated file passes the chart's schema and `fail` guards.
pub fn generate_values(seed: u64) -> Value {
    let mut r = Rng::new(seed);
    let mut t = Tree::default();
    let r = &mut r;

    // Versions and executors.
    let v3 = r.chance(60);
    let version = if v3 {
        *r.pick(&["3.0.2", "3.1.0", "3.0.0"])
    } else {
        *r.pick(&["2.7.3", "2.9.3", "2.10.5"])
    };
    if r.chance(85) {
        t.set("airflowVersion", s(version));
    } else {
        // keep the default (3.0.2)
    }
    let executor = *r.pick(&[
        "CeleryExecutor",
        "KubernetesExecutor",
        "CeleryKubernetesExecutor",
        "LocalExecutor",
        "LocalKubernetesExecutor",
        "CeleryExecutor,KubernetesExecutor",
        "LocalExecutor, KubernetesExecutor",
        "airflow.providers.celery.executors.celery_executor.CeleryExecutor",
    ]);
    if r.chance(90) {
        t.set("executor", s(executor));
    }

    // Naming.
    match r.below(12) {
        0 => t.set("fullnameOverride", s("af")),
        1 => t.set("useStandardNaming", b(true)),
        2 => {
            t.set("useStandardNaming", b(true));
            t.set("nameOverride", s("wf"));
        }
        _ => {}
    }
    if r.chance(4) {
        t.set(
            "podTemplate",
            s("apiVersion: v1\nkind: Pod\nmetadata:\n  name: custom\nspec:\n  containers:\n    - name: base\n      image: apache/airflow:3.0.2\n"),
        );
    }

    // Global uid/gid and securityContexts.
    if r.chance(40) {
        t.set("uid", n(*r.pick(&[0, 1000, 40000, 50000])));
    }
    if r.chance(40) {
        t.set("gid", n(*r.pick(&[0, 1000, 40000])));
    }
    match r.below(5) {
        0 => t.set("securityContexts", obj(vec![])),
        1 | 2 => t.set("securityContexts", security_contexts(r, true)),
        _ => {}
    }
    // The official chart's deprecated singular pod securityContext, global and per component.
    if r.chance(20) {
        t.set("securityContext", pod_context(r));
    }
    // Per-component securityContexts and sidecar/init container blocks.
    for c in AIRFLOW_COMPONENTS {
        if r.chance(30) {
            t.set(&format!("{c}.securityContexts"), security_contexts(r, true));
        }
        if LEGACY_COMPONENTS.contains(&c) && r.chance(15) {
            t.set(&format!("{c}.securityContext"), pod_context(r));
        }
    }
    // Per-executor worker overrides (workers.celery, workers.kubernetes).
    for ex in ["celery", "kubernetes"] {
        if r.chance(25) {
            t.set(
                &format!("workers.{ex}.securityContexts"),
                security_contexts(r, true),
            );
        }
    }
    if r.chance(4) {
        t.set("workers.celery.enableDefault", b(false));
    }
    for c in ["scheduler", "workers", "triggerer", "dagProcessor"] {
        if r.chance(20) {
            t.set(
                &format!("{c}.logGroomerSidecar.securityContexts"),
                security_contexts(r, false),
            );
        }
        if r.chance(15) {
            t.set(&format!("{c}.logGroomerSidecar.enabled"), b(false));
        }
    }
    for c in [
        "scheduler",
        "workers",
        "triggerer",
        "dagProcessor",
        "apiServer",
        "webserver",
    ] {
        if r.chance(20) {
            t.set(
                &format!("{c}.waitForMigrations.securityContexts"),
                security_contexts(r, false),
            );
        }
        if r.chance(10) {
            t.set(&format!("{c}.waitForMigrations.enabled"), b(false));
        }
        if r.chance(10) {
            t.set(
                &format!("{c}.waitForMigrations.env"),
                Value::list(vec![secret_env_entry(r, "WFM_TOKEN")]),
            );
        }
    }
    for c in ["statsd", "pgbouncer", "redis"] {
        if r.chance(30) {
            t.set(&format!("{c}.securityContexts"), security_contexts(r, true));
        }
        if c != "pgbouncer" && r.chance(15) {
            t.set(&format!("{c}.securityContext"), pod_context(r));
        }
        if r.chance(30) {
            t.set(&format!("{c}.uid"), n(*r.pick(&[70, 999, 1000, 65534])));
        }
    }
    if r.chance(20) {
        t.set(
            "pgbouncer.metricsExporterSidecar.securityContexts",
            security_contexts(r, false),
        );
    }
    if r.chance(10) {
        t.set("postgresql.securityContexts", security_contexts(r, true));
    }

    // Persistence, fixPermissions, kerberos, git-sync.
    if r.chance(25) {
        t.set("workers.persistence.enabled", b(false));
    }
    if r.chance(15) {
        t.set("workers.celery.persistence.enabled", b(r.chance(50)));
    }
    if r.chance(30) {
        t.set("workers.persistence.fixPermissions", b(true));
        if r.chance(50) {
            t.set(
                "workers.persistence.securityContexts",
                security_contexts(r, false),
            );
        }
    }
    if r.chance(10) {
        t.set("workers.celery.persistence.fixPermissions", b(r.chance(70)));
        if r.chance(50) {
            t.set(
                "workers.celery.persistence.securityContexts",
                security_contexts(r, false),
            );
        }
    }
    if r.chance(20) {
        t.set("triggerer.persistence.fixPermissions", b(true));
        if r.chance(50) {
            t.set(
                "triggerer.persistence.securityContexts",
                security_contexts(r, false),
            );
        }
    }
    if r.chance(15) {
        t.set("triggerer.persistence.enabled", b(false));
    }
    if r.chance(10) {
        t.set("logs.persistence.enabled", b(true));
    }
    if r.chance(20) {
        t.set("kerberos.enabled", b(true));
        if r.chance(60) {
            t.set("workers.kerberosSidecar.enabled", b(true));
        }
        if r.chance(60) {
            t.set("workers.kerberosInitContainer.enabled", b(true));
        }
        if r.chance(40) {
            t.set("kerberos.keytabBase64Content", s("a2V5dGFi"));
        }
        if r.chance(40) {
            t.set(
                "workers.kerberosSidecar.securityContexts",
                security_contexts(r, false),
            );
        }
        if r.chance(40) {
            t.set(
                "workers.kerberosInitContainer.securityContexts",
                security_contexts(r, false),
            );
        }
        for ex in ["celery", "kubernetes"] {
            if r.chance(30) {
                t.set(
                    &format!("workers.{ex}.kerberosInitContainer.enabled"),
                    b(r.chance(60)),
                );
            }
            if r.chance(30) {
                t.set(
                    &format!("workers.{ex}.kerberosInitContainer.securityContexts"),
                    security_contexts(r, false),
                );
            }
        }
    }
    if r.chance(35) {
        t.set("dags.gitSync.enabled", b(true));
        match r.below(4) {
            0 => t.set("dags.gitSync.sshKeySecret", s("git-ssh")),
            1 => t.set("dags.gitSync.sshKey", s("-----BEGIN KEY-----")),
            2 => t.set("dags.gitSync.credentialsSecret", s("git-creds")),
            _ => {}
        }
        if r.chance(40) {
            t.set("dags.gitSync.securityContexts", security_contexts(r, false));
        }
        if r.chance(25) {
            t.set("dags.gitSync.securityContext", container_context(r));
        }
        if r.chance(30) {
            t.set("dags.gitSync.uid", n(65533));
        }
        if r.chance(15) {
            t.set("dags.gitSync.containerName", s("dag-sync"));
        }
        if r.chance(20) {
            t.set("dags.persistence.enabled", b(true));
        }
        if r.chance(20) {
            t.set(
                "dags.gitSync.env",
                Value::list(vec![secret_env_entry(r, "GIT_TOKEN")]),
            );
        }
    }

    // Toggles of workloads.
    for (path, p) in [
        ("scheduler.enabled", 10),
        ("apiServer.enabled", 10),
        ("webserver.enabled", 10),
        ("triggerer.enabled", 15),
        ("migrateDatabaseJob.enabled", 10),
        ("createUserJob.enabled", 10),
        ("webserver.defaultUser.enabled", 10),
    ] {
        if r.chance(p) {
            t.set(path, b(false));
        }
    }
    // The deprecated webserver.defaultUser, set without `enabled` or enabling the job.
    match r.below(12) {
        0 => t.set("webserver.defaultUser.username", s("root")),
        1 => t.set("webserver.defaultUser.enabled", b(true)),
        2 => t.set("createUserJob.defaultUser.enabled", b(r.chance(50))),
        _ => {}
    }
    match r.below(4) {
        0 => t.set("dagProcessor.enabled", b(true)),
        1 => t.set("dagProcessor.enabled", b(false)),
        _ => {}
    }
    if r.chance(30) {
        t.set(
            "config.core.auth_manager",
            s("airflow.providers.fab.auth_manager.fab_auth_manager.FabAuthManager"),
        );
    }
    for (path, default, p) in [
        ("flower.enabled", false, 40),
        ("statsd.enabled", true, 30),
        ("cleanup.enabled", false, 40),
        ("databaseCleanup.enabled", false, 40),
        ("elasticsearch.enabled", false, 20),
        ("multiNamespaceMode", false, 10),
    ] {
        if r.chance(p) {
            t.set(path, b(!default));
        } else if r.chance(10) {
            t.set(path, b(default));
        }
    }
    if r.chance(20) {
        t.set("postgresql.enabled", b(false));
    }
    let redis_off = r.chance(25);
    if redis_off {
        t.set("redis.enabled", b(false));
    }

    // Secret names and values.
    let metadata_secret = r.chance(30);
    if metadata_secret {
        t.set("data.metadataSecretName", s("my-metadata"));
    }
    for (path, p) in [
        ("fernetKeySecretName", 25),
        ("apiSecretKeySecretName", 25),
        ("jwtSecretName", 25),
        ("webserverSecretKeySecretName", 25),
        ("data.resultBackendSecretName", 20),
        ("data.brokerUrlSecretName", 20),
    ] {
        if r.chance(p) {
            t.set(
                path,
                s(&format!(
                    "my-{}",
                    path.rsplit('.').next().unwrap().to_lowercase()
                )),
            );
        }
    }
    if r.chance(20) {
        t.set(
            "data.resultBackendConnection",
            obj(vec![
                ("user", s("rb")),
                ("pass", s("rbpass")),
                ("protocol", s("postgresql")),
                ("host", s("rb-host")),
                ("port", n(5432)),
                ("db", s("results")),
            ]),
        );
    }
    if r.chance(20) {
        t.set("data.brokerUrl", s("redis://user:pass@broker:6379/0"));
    }
    if !redis_off && r.chance(20) {
        t.set("redis.passwordSecretName", s("redis-pass"));
        if r.chance(50) {
            t.set("data.brokerUrlSecretName", s("my-broker"));
        } else {
            t.set("data.brokerUrl", s("redis://:pw@airflow-redis:6379/0"));
        }
    }
    if r.chance(30) {
        t.set("pgbouncer.enabled", b(true));
        if metadata_secret || r.chance(30) {
            t.set("pgbouncer.configSecretName", s("pgb-config"));
            t.set(
                "pgbouncer.metricsExporterSidecar.statsSecretName",
                s("pgb-stats"),
            );
        }
        if r.chance(30) {
            t.set("pgbouncer.metricsExporterSidecar.statsSecretKey", s("uri"));
        }
        if r.chance(20) {
            t.set("pgbouncer.ssl.ca", s("CA"));
        }
        if r.chance(20) {
            t.set("pgbouncer.mountConfigSecret", b(false));
        }
    }
    // elasticsearch needs a secret name or a host.
    if r.chance(50) {
        t.set("elasticsearch.secretName", s("es-conn"));
    } else {
        t.set("elasticsearch.connection.host", s("es.example.com"));
    }
    // OpenSearch excludes Elasticsearch.
    let es = matches!(t.get("elasticsearch.enabled"), Some(Value::Bool(true)));
    if !es && r.chance(20) {
        t.set("opensearch.enabled", b(true));
    }
    if r.chance(50) {
        t.set("opensearch.secretName", s("os-conn"));
    } else {
        t.set("opensearch.connection.host", s("os.example.com"));
    }
    // KEDA scalers (a direct connection for MySQL, PgBouncer without usePgbouncer,
    // or AIRFLOW_CONN_AIRFLOW_DB switched off).
    for c in ["workers", "triggerer"] {
        if r.chance(20) {
            t.set(&format!("{c}.keda.enabled"), b(true));
            if r.chance(40) {
                t.set(&format!("{c}.keda.usePgbouncer"), b(r.chance(50)));
            }
        }
    }
    if !matches!(t.get("pgbouncer.enabled"), Some(Value::Bool(true))) && r.chance(5) {
        t.set("data.metadataConnection.protocol", s("mysql"));
        t.set("data.metadataConnection.port", n(3306));
        t.set("data.metadataConnection.host", s("mysql.example.com"));
    }
    // The embedded PostgreSQL's users.
    match r.below(8) {
        0 => {
            t.set("postgresql.auth.username", s("airflow"));
            t.set("postgresql.auth.password", s("pw"));
        }
        1 => {
            t.set("postgresql.auth.enablePostgresUser", b(false));
            t.set("postgresql.auth.username", s("airflow"));
            t.set("postgresql.auth.password", s("pw"));
        }
        _ => {}
    }
    match r.below(6) {
        0 => t.set("flower.secretName", s("flower-auth")),
        1 => {
            t.set("flower.user", s("admin"));
            t.set("flower.password", s("pw"));
        }
        2 => {
            t.set("flower.username", s("admin"));
            t.set("flower.password", s("pw"));
        }
        3 => t.set("flower.password", s("pw")),
        _ => {}
    }
    match r.below(6) {
        0 => t.set(
            "registry.connection",
            obj(vec![
                ("user", s("u")),
                ("pass", s("p")),
                ("host", s("reg.io")),
            ]),
        ),
        1 => {
            t.set(
                "registry.connection",
                obj(vec![
                    ("user", s("u")),
                    ("pass", s("p")),
                    ("host", s("reg.io")),
                ]),
            );
            t.set("registry.secretName", s("reg-secret"));
        }
        2 => t.set(
            "imagePullSecrets",
            Value::list(vec![s("pull-a"), obj(vec![("name", s("pull-b"))])]),
        ),
        _ => {}
    }

    // enableBuiltInSecretEnvVars, global and per component.
    if r.chance(50) {
        let mut pairs = Vec::new();
        for var in BUILTIN_SWITCHES {
            if r.chance(25) {
                pairs.push((var, b(r.chance(30))));
            }
        }
        t.set("enableBuiltInSecretEnvVars", obj(pairs));
    }
    for c in AIRFLOW_COMPONENTS {
        if r.chance(20) {
            let mut pairs = Vec::new();
            for var in BUILTIN_SWITCHES {
                if r.chance(25) {
                    pairs.push((var, b(r.chance(50))));
                }
            }
            t.set(&format!("{c}.enableBuiltInSecretEnvVars"), obj(pairs));
        }
    }

    // User env from secrets.
    if r.chance(25) {
        t.set(
            "secret",
            Value::list(vec![obj(vec![
                ("envName", s("AIRFLOW_CONN_WAREHOUSE")),
                ("secretName", s("warehouse")),
                ("secretKey", s("uri")),
            ])]),
        );
    }
    if r.chance(20) {
        t.set(
            "env",
            Value::list(vec![
                obj(vec![("name", s("TZ")), ("value", s("UTC"))]),
                secret_env_entry(r, "GLOBAL_TOKEN"),
            ]),
        );
    }
    match r.below(6) {
        0 => t.set(
            "extraEnv",
            Value::list(vec![secret_env_entry(r, "AIRFLOW__CORE__FERNET_KEY_SECRET")]),
        ),
        1 => t.set(
            "extraEnv",
            obj(vec![("AIRFLOW_CONN_AIRFLOW_DB_CMD", s("/bin/get-conn"))]),
        ),
        2 => t.set(
            "extraEnv",
            s("- name: EXTRA_SECRET\n  valueFrom:\n    secretKeyRef:\n      name: extra\n      key: k\n"),
        ),
        3 => t.set(
            "extraEnv",
            s("- name: RELEASE\n  value: \"{{ .Release.Name }}\"\n"),
        ),
        _ => {}
    }
    for c in AIRFLOW_COMPONENTS {
        if r.chance(10) {
            t.set(
                &format!("{c}.env"),
                Value::list(vec![secret_env_entry(r, "COMPONENT_TOKEN")]),
            );
        }
    }
    for c in ["createUserJob", "migrateDatabaseJob"] {
        if r.chance(20) {
            t.set(&format!("{c}.applyCustomEnv"), b(false));
        }
    }

    // Extra containers (rendered as given).
    for c in [
        "scheduler",
        "workers",
        "apiServer",
        "triggerer",
        "migrateDatabaseJob",
    ] {
        if r.chance(10) {
            let mut pairs = vec![("name", s("sidecar")), ("image", s("busybox:1.36"))];
            if r.chance(50) {
                pairs.push(("securityContext", container_context(r)));
            }
            if r.chance(50) {
                pairs.push((
                    "env",
                    Value::list(vec![secret_env_entry(r, "SIDECAR_TOKEN")]),
                ));
            }
            t.set(
                &format!("{c}.extraContainers"),
                Value::list(vec![obj(pairs)]),
            );
        }
        if r.chance(10) {
            t.set(
                &format!("{c}.extraInitContainers"),
                Value::list(vec![obj(vec![
                    ("name", s("init-extra")),
                    ("image", s("busybox:1.36")),
                ])]),
            );
        }
    }
    t.into_value()
}

/// One failed property case.
#[derive(Clone, Debug)]
pub struct CaseFailure {
    pub seed: u64,
    pub values_yaml: String,
    /// Rendering failed (the renderer's error), or the check could not read the output.
    pub error: Option<String>,
    pub disagreements: Vec<Disagreement>,
}

/// Generate, render and check the cases `seeds`, with `threads` workers.
/// Returns the failures (empty when every case agrees with the model).
pub fn run_cases(
    renderer: &dyn Renderer,
    seeds: std::ops::Range<u64>,
    threads: usize,
    release: &Release,
) -> Vec<CaseFailure> {
    let next = Mutex::new(seeds.clone());
    let failures = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..threads.max(1) {
            scope.spawn(|| loop {
                let seed = match next.lock().unwrap().next() {
                    Some(s) => s,
                    None => break,
                };
                if let Some(f) = run_case(renderer, seed, release) {
                    failures.lock().unwrap().push(f);
                }
            });
        }
    });
    let mut f = failures.into_inner().unwrap();
    f.sort_by_key(|c| c.seed);
    f
}

/// Generate, render and check one case.
pub fn run_case(renderer: &dyn Renderer, seed: u64, release: &Release) -> Option<CaseFailure> {
    let user = generate_values(seed);
    let yaml = chartgen_yaml::marshal_yaml(&user).expect("generated values marshal");
    let fail = |error: Option<String>, disagreements: Vec<Disagreement>| CaseFailure {
        seed,
        values_yaml: yaml.clone(),
        error,
        disagreements,
    };
    let rendered = match renderer.render(&yaml, release) {
        Ok(s) => s,
        Err(e) => return Some(fail(Some(format!("render failed: {e}")), Vec::new())),
    };
    let values = Values::from_user_values(&user, &release.name, &release.namespace);
    match check_manifests(&values, &rendered) {
        Ok(d) if d.is_empty() => None,
        Ok(d) => Some(fail(None, d)),
        Err(e) => Some(fail(Some(e.to_string()), Vec::new())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generator_is_deterministic() {
        let a = chartgen_yaml::marshal_yaml(&generate_values(7)).unwrap();
        let b = chartgen_yaml::marshal_yaml(&generate_values(7)).unwrap();
        assert_eq!(a, b);
        let c = chartgen_yaml::marshal_yaml(&generate_values(8)).unwrap();
        assert_ne!(a, c);
    }

    #[test]
    fn tree_sets_nested_paths() {
        let mut t = Tree::default();
        t.set("a.b", n(1));
        t.set("a.c", n(2));
        let v = t.into_value();
        assert_eq!(v.as_map().unwrap()["a"].as_map().unwrap().len(), 2);
    }
}
