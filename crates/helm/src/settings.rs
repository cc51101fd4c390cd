//! The namespace `helm template` renders into (`.Release.Namespace`) when
//! neither `--namespace` nor `$HELM_NAMESPACE` names one: helm's
//! `EnvSettings.Namespace()`, which asks client-go's kubeconfig loader.
//!
//! That loader reads the kubeconfig (`--kubeconfig`, else the files listed
//! in `$KUBECONFIG`, else `~/.kube/config`), takes the context named by
//! `--kube-context` (or `$HELM_KUBECONTEXT`), else the current one, and
//! gives its namespace, `default` when it has none. A configuration it
//! cannot use (a file that does not parse, a context that is not there)
//! leaves helm with `default`. Without any kubeconfig, a process running in
//! a Kubernetes pod (a service account token mounted, the service host and
//! port in its environment) gets the pod's namespace: `$POD_NAMESPACE`, else
//! the service account's namespace file.
//!
//! Also where helm keeps its configuration and cache ([`helm_path`]) and a
//! repository's URL from its repositories file ([`repository_url`]), for
//! the errors of a `repo/chart` reference.
//!
//! What this is not: a kubeconfig validator or a client, nor a repository
//! index reader. Only the parts that decide the namespace and those errors
//! are read; nothing is contacted.

use std::path::{Path, PathBuf};

use gotmpl::Value;

/// Where the service account's files are mounted in a pod.
const SERVICE_ACCOUNT_DIR: &str = "/var/run/secrets/kubernetes.io/serviceaccount";

/// What the namespace depends on besides the files it reads.
pub struct NamespaceInputs<'a> {
    /// `--namespace`, else `$HELM_NAMESPACE` (empty: not given).
    pub namespace: &'a str,
    /// `--kubeconfig` (empty: not given).
    pub kubeconfig: &'a str,
    /// `--kube-context`, else `$HELM_KUBECONTEXT` (empty: not given).
    pub context: &'a str,
    /// The environment (`KUBECONFIG`, `HOME`, `KUBERNETES_SERVICE_HOST`, …).
    pub env: &'a dyn Fn(&str) -> Option<String>,
    /// The service account directory (see [`SERVICE_ACCOUNT_DIR`]).
    pub service_account_dir: &'a Path,
}

/// helm's `settings.Namespace()` for `inputs`.
pub fn namespace(inputs: &NamespaceInputs<'_>) -> String {
    if !inputs.namespace.is_empty() {
        return inputs.namespace.to_string();
    }
    match from_kubeconfig(inputs) {
        Kubeconfig::Namespace(ns) => ns,
        Kubeconfig::Unusable => "default".to_string(),
        Kubeconfig::NoContextNamespace => in_cluster_namespace(inputs).unwrap_or("default".into()),
        Kubeconfig::Empty => in_cluster_namespace(inputs).unwrap_or("default".into()),
    }
}

/// The namespace as the process's own settings give it.
pub fn namespace_from_process(given: &str, kubeconfig: &str, context: &str) -> String {
    namespace(&NamespaceInputs {
        namespace: given,
        kubeconfig,
        context,
        env: &|name| std::env::var(name).ok(),
        service_account_dir: Path::new(SERVICE_ACCOUNT_DIR),
    })
}

enum Kubeconfig {
    /// The context names this namespace.
    Namespace(String),
    /// The context names none (`default`, unless in a pod).
    NoContextNamespace,
    /// No configuration at all.
    Empty,
    /// A configuration client-go refuses.
    Unusable,
}

/// A kubeconfig's parts that decide the namespace, merged as client-go
/// merges several files: the first file to set a value or to define a
/// named entry wins.
#[derive(Default)]
struct Merged {
    current_context: String,
    /// Context name → namespace.
    contexts: Vec<(String, String)>,
    /// How many clusters and users the files define.
    clusters: usize,
    users: usize,
}

fn from_kubeconfig(inputs: &NamespaceInputs<'_>) -> Kubeconfig {
    let env = |name: &str| (inputs.env)(name).filter(|v| !v.is_empty());
    let (paths, must_exist): (Vec<PathBuf>, bool) = if !inputs.kubeconfig.is_empty() {
        (vec![PathBuf::from(inputs.kubeconfig)], true)
    } else if let Some(list) = env("KUBECONFIG") {
        let mut paths: Vec<PathBuf> = Vec::new();
        for p in list.split(':').filter(|p| !p.is_empty()) {
            if !paths.iter().any(|q| q == Path::new(p)) {
                paths.push(PathBuf::from(p));
            }
        }
        (paths, false)
    } else {
        match env("HOME") {
            Some(home) => (vec![Path::new(&home).join(".kube").join("config")], false),
            None => (Vec::new(), false),
        }
    };
    let mut merged = Merged::default();
    for path in &paths {
        let text = match std::fs::read(path) {
            Ok(text) => text,
            Err(_) if !must_exist => continue,
            Err(_) => return Kubeconfig::Unusable,
        };
        if text.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let Ok(doc) = chartgen_yaml::parse(&text) else {
            return Kubeconfig::Unusable;
        };
        if !merge(&mut merged, &doc) {
            return Kubeconfig::Unusable;
        }
    }
    if merged.current_context.is_empty()
        && merged.contexts.is_empty()
        && merged.clusters == 0
        && merged.users == 0
    {
        return Kubeconfig::Empty;
    }
    let name = if inputs.context.is_empty() {
        &merged.current_context
    } else {
        inputs.context
    };
    // No context at all is an empty one. (A context's cluster needs no
    // definition: helm's defaults give every cluster a server.)
    if name.is_empty() {
        return Kubeconfig::NoContextNamespace;
    }
    let Some((_, ns)) = merged.contexts.iter().find(|(n, _)| n == name) else {
        return Kubeconfig::Unusable;
    };
    if ns.is_empty() {
        Kubeconfig::NoContextNamespace
    } else {
        Kubeconfig::Namespace(ns.clone())
    }
}

/// Adds one file's document to `merged`; `false` for a shape client-go
/// cannot decode.
fn merge(merged: &mut Merged, doc: &Value) -> bool {
    let Some(top) = doc.as_map() else {
        return doc.is_nil_interface();
    };
    let str_of = |v: Option<&Value>| -> Option<String> {
        match v {
            None | Some(Value::Nil) => Some(String::new()),
            Some(Value::String(s)) => Some(s.to_string()),
            Some(_) => None,
        }
    };
    let Some(current) = str_of(top.get("current-context")) else {
        return false;
    };
    if merged.current_context.is_empty() {
        merged.current_context = current;
    }
    type Named = Vec<(String, Option<std::sync::Arc<gotmpl::MapEntries>>)>;
    let named = |key: &str, inner: &str| -> Option<Named> {
        match top.get(key) {
            None | Some(Value::Nil) => Some(Vec::new()),
            Some(Value::List(l)) => l
                .items
                .iter()
                .map(|item| {
                    let m = item.as_map()?;
                    let name = str_of(m.get("name"))?;
                    let body = match m.get(inner) {
                        Some(b @ Value::Map(_)) => b.as_map(),
                        None | Some(Value::Nil) => None,
                        Some(_) => return None,
                    };
                    Some((name, body))
                })
                .collect(),
            Some(_) => None,
        }
    };
    let (Some(contexts), Some(clusters), Some(users)) = (
        named("contexts", "context"),
        named("clusters", "cluster"),
        named("users", "user"),
    ) else {
        return false;
    };
    for (name, body) in contexts {
        let field = |k: &str| {
            body.as_ref()
                .and_then(|b| str_of(b.get(k)))
                .unwrap_or_default()
        };
        if !merged.contexts.iter().any(|(n, _)| *n == name) {
            merged.contexts.push((name, field("namespace")));
        }
    }
    merged.clusters += clusters.len();
    merged.users += users.len();
    true
}

/// The pod's namespace when client-go's in-cluster configuration is
/// possible: its service host and port set, its token mounted.
fn in_cluster_namespace(inputs: &NamespaceInputs<'_>) -> Option<String> {
    let set = |name: &str| (inputs.env)(name).is_some_and(|v| !v.is_empty());
    let token = inputs.service_account_dir.join("token");
    let possible = set("KUBERNETES_SERVICE_HOST")
        && set("KUBERNETES_SERVICE_PORT")
        && std::fs::metadata(&token).is_ok_and(|m| !m.is_dir());
    if !possible {
        return None;
    }
    if let Some(ns) = (inputs.env)("POD_NAMESPACE").filter(|v| !v.is_empty()) {
        return Some(ns);
    }
    let file = std::fs::read_to_string(inputs.service_account_dir.join("namespace")).ok()?;
    let ns = file.trim();
    Some(if ns.is_empty() { "default" } else { ns }.to_string())
}

/// helm's `helmpath` for a file under its configuration or cache home:
/// `$HELM_CONFIG_HOME` (`$HELM_CACHE_HOME`), else `$XDG_CONFIG_HOME/helm`
/// (`$XDG_CACHE_HOME/helm`), else `~/.config/helm` (`~/.cache/helm`).
pub fn helm_path(cache: bool, name: &str, env: &dyn Fn(&str) -> Option<String>) -> PathBuf {
    let env = |k: &str| env(k).filter(|v| !v.is_empty());
    let (helm_var, xdg_var, fallback) = if cache {
        ("HELM_CACHE_HOME", "XDG_CACHE_HOME", ".cache")
    } else {
        ("HELM_CONFIG_HOME", "XDG_CONFIG_HOME", ".config")
    };
    let home = match env(helm_var) {
        Some(dir) => PathBuf::from(dir),
        None => match env(xdg_var) {
            Some(dir) => Path::new(&dir).join("helm"),
            None => Path::new(&env("HOME").unwrap_or_default())
                .join(fallback)
                .join("helm"),
        },
    };
    home.join(name)
}

/// A repository's URL from helm's repositories file: `None` when the file
/// (or the repository) is not there or does not read as one; `Some("")`
/// for an entry without a URL.
pub fn repository_url(repositories_file: &Path, name: &str) -> Option<String> {
    let text = std::fs::read(repositories_file).ok()?;
    let doc = chartgen_yaml::parse(&text).ok()?;
    let Some(Value::List(list)) = doc.as_map()?.get("repositories").cloned() else {
        return None;
    };
    list.items.iter().find_map(|entry| {
        let entry = entry.as_map()?;
        let field = |k: &str| match entry.get(k) {
            Some(Value::String(s)) => s.to_string(),
            _ => String::new(),
        };
        (field("name") == name).then(|| field("url"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Setup {
        dir: tempfile::TempDir,
        env: Vec<(String, String)>,
    }

    impl Setup {
        fn new() -> Setup {
            Setup {
                dir: tempfile::tempdir().unwrap(),
                env: Vec::new(),
            }
        }

        fn file(&self, name: &str, text: &str) -> String {
            let p = self.dir.path().join(name);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, text).unwrap();
            p.to_string_lossy().into_owned()
        }

        fn env(mut self, k: &str, v: &str) -> Setup {
            self.env.push((k.into(), v.into()));
            self
        }

        fn namespace(&self, flag: &str, kubeconfig: &str, context: &str) -> String {
            let env = |name: &str| {
                self.env
                    .iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.clone())
            };
            namespace(&NamespaceInputs {
                namespace: flag,
                kubeconfig,
                context,
                env: &env,
                service_account_dir: &self.dir.path().join("sa"),
            })
        }
    }

    const CONFIG: &str = "apiVersion: v1\nkind: Config\ncurrent-context: dev\n\
        clusters:\n- name: c1\n  cluster:\n    server: https://k.example:6443\n\
        contexts:\n- name: dev\n  context:\n    cluster: c1\n    namespace: team-a\n\
        - name: bare\n  context:\n    cluster: c1\n\
        - name: lost\n  context:\n    cluster: nowhere\n    namespace: x\n\
        users:\n- name: u\n  user: {}\n";

    #[test]
    fn without_any_configuration_it_is_default() {
        let s = Setup::new();
        let home = s.dir.path().join("home").to_string_lossy().into_owned();
        let s = s.env("HOME", &home);
        assert_eq!(s.namespace("", "", ""), "default");
        assert_eq!(s.namespace("given", "", ""), "given");
    }

    #[test]
    fn the_current_or_named_context_gives_it() {
        let s = Setup::new();
        let home = s.dir.path().join("home");
        s.file("home/.kube/config", CONFIG);
        let s = s.env("HOME", &home.to_string_lossy());
        assert_eq!(s.namespace("", "", ""), "team-a");
        assert_eq!(s.namespace("flag", "", ""), "flag");
        assert_eq!(s.namespace("", "", "bare"), "default");
        // A context's cluster need not be defined; a missing context
        // leaves client-go without a configuration.
        assert_eq!(s.namespace("", "", "lost"), "x");
        assert_eq!(s.namespace("", "", "missing"), "default");
    }

    #[test]
    fn kubeconfig_files_merge_first_wins() {
        let s = Setup::new();
        let first = s.file(
            "a.yaml",
            "contexts:\n- name: dev\n  context:\n    cluster: c1\n    namespace: from-a\n",
        );
        let second = s.file("b.yaml", CONFIG);
        let s = s.env("KUBECONFIG", &format!("{first}:/nonexistent:{second}"));
        assert_eq!(s.namespace("", "", ""), "from-a");
        // An explicit file must exist; one that does not parse is unusable.
        assert_eq!(s.namespace("", "/nonexistent", ""), "default");
        let bad = s.file("bad.yaml", "contexts: [\n");
        assert_eq!(s.namespace("", &bad, ""), "default");
    }

    #[test]
    fn a_pod_without_kubeconfig_uses_its_own_namespace() {
        let s = Setup::new();
        s.file("sa/token", "t");
        s.file("sa/namespace", "ci-runners\n");
        let home = s.dir.path().join("home").to_string_lossy().into_owned();
        let s = s
            .env("HOME", &home)
            .env("KUBERNETES_SERVICE_HOST", "10.0.0.1")
            .env("KUBERNETES_SERVICE_PORT", "443");
        assert_eq!(s.namespace("", "", ""), "ci-runners");
        let s = s.env("POD_NAMESPACE", "from-env");
        assert_eq!(s.namespace("", "", ""), "from-env");
        // A kubeconfig context's namespace comes first.
        let cfg = s.file("k.yaml", CONFIG);
        assert_eq!(s.namespace("", &cfg, ""), "team-a");
        assert_eq!(s.namespace("", &cfg, "bare"), "from-env");
    }

    #[test]
    fn helm_paths_follow_helm_then_xdg_then_home() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        let home = env(&[("HOME", "/h")]);
        assert_eq!(
            helm_path(false, "repositories.yaml", &home),
            Path::new("/h/.config/helm/repositories.yaml")
        );
        assert_eq!(
            helm_path(true, "repository", &home),
            Path::new("/h/.cache/helm/repository")
        );
        let xdg = env(&[("HOME", "/h"), ("XDG_CACHE_HOME", "/x")]);
        assert_eq!(
            helm_path(true, "repository", &xdg),
            Path::new("/x/helm/repository")
        );
        let helm = env(&[
            ("XDG_CACHE_HOME", "/x"),
            ("HELM_CACHE_HOME", "/c"),
            ("HELM_CONFIG_HOME", ""),
        ]);
        assert_eq!(
            helm_path(true, "repository", &helm),
            Path::new("/c/repository")
        );
    }

    #[test]
    fn repository_urls_come_from_the_repositories_file() {
        let s = Setup::new();
        let file = s.file(
            "repositories.yaml",
            "repositories:\n- name: foo\n  url: https://example.invalid/charts\n- name: bare\n",
        );
        let file = Path::new(&file);
        assert_eq!(
            repository_url(file, "foo").as_deref(),
            Some("https://example.invalid/charts")
        );
        assert_eq!(repository_url(file, "bare").as_deref(), Some(""));
        assert_eq!(repository_url(file, "other"), None);
        assert_eq!(repository_url(Path::new("/nonexistent"), "foo"), None);
    }
}
