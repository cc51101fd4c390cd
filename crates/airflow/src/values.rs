//! Merged chart values, the release they are rendered for, and the small
//! Go-template semantics the model needs to read them (truthiness, `default`,
//! `int64`, helm's coalescing of user values over chart defaults).

use gotmpl::{MapEntries, Value};
use std::borrow::Borrow;
use std::fmt;
use std::sync::{Arc, OnceLock};

/// The chart's own `values.yaml`, compiled in.
pub const CHART_VALUES_YAML: &str = include_str!("../../../chart/values.yaml");
/// The embedded PostgreSQL sub-chart's `values.yaml`, compiled in.
pub const POSTGRESQL_VALUES_YAML: &str =
    include_str!("../../../chart/charts/postgresql/values.yaml");

/// The chart's name (`Chart.yaml` `name`), used by `airflow.fullname`.
pub const CHART_NAME: &str = "airflow";
/// The name of the embedded PostgreSQL dependency (its values live under this key).
pub const POSTGRESQL_SUBCHART: &str = "postgresql";

/// Release name and namespace (`.Release.Name`, `.Release.Namespace`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Release {
    pub name: String,
    pub namespace: String,
}

/// An error reading a values file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValuesError(pub String);

impl fmt::Display for ValuesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ValuesError {}

/// Merged values (user values coalesced over the chart defaults, as helm
/// passes them to the templates as `.Values`) plus the release.
///
/// Every question the model answers is a method on this type (see the
/// `workload`, `security` and `secrets` modules).
#[derive(Clone, Debug)]
pub struct Values {
    root: Value,
    release: Release,
    /// `Some(executor)` when `.workers` has `workers.<executor>` overlaid
    /// (see [`Values::with_worker_overlay`]).
    worker_overlay: Option<&'static str>,
    /// The values without the overlay, kept by an overlaid view.
    plain: Option<Box<Value>>,
}

impl Values {
    /// Wrap already-merged values.
    pub fn new(merged: Value, release_name: &str, namespace: &str) -> Values {
        Values {
            root: merged,
            release: Release {
                name: release_name.to_string(),
                namespace: namespace.to_string(),
            },
            worker_overlay: None,
            plain: None,
        }
    }

    /// Coalesce user values (as read from `-f values.yaml`) over the compiled-in
    /// chart defaults, the way helm does (see [`coalesce_chart`]).
    pub fn from_user_values(user: &Value, release_name: &str, namespace: &str) -> Values {
        Values::new(
            coalesce_chart(user, &chart_defaults(), &postgresql_defaults()),
            release_name,
            namespace,
        )
    }

    /// Parse a user values file (helm's `ReadValues`) and coalesce it over the chart defaults.
    pub fn from_user_yaml(
        text: &str,
        release_name: &str,
        namespace: &str,
    ) -> Result<Values, ValuesError> {
        let user =
            chartgen_yaml::parse_map(text.as_bytes()).map_err(|e| ValuesError(e.to_string()))?;
        Ok(Values::from_user_values(&user, release_name, namespace))
    }

    /// The merged values tree (`.Values`).
    pub fn root(&self) -> &Value {
        &self.root
    }

    pub fn release(&self) -> &Release {
        &self.release
    }

    /// The value at a dotted path (`"scheduler.securityContexts.pod"`); `None`
    /// when a key is missing or an intermediate value is not a map.
    pub fn get(&self, path: &str) -> Option<Value> {
        lookup(&self.root, path)
    }

    /// Go template truthiness of the value at `path` (missing is false).
    pub fn truthy(&self, path: &str) -> bool {
        self.get(path).is_some_and(|v| v.is_true())
    }

    /// The string at `path`, if it is a string.
    pub fn str(&self, path: &str) -> Option<String> {
        self.get(path).and_then(|v| v.as_str().map(str::to_string))
    }

    /// The map at `path`, if it is a map (a snapshot of its entries).
    pub fn map(&self, path: &str) -> Option<Arc<MapEntries>> {
        self.get(path).and_then(|v| v.as_map())
    }

    /// The list at `path`, if it is a list.
    pub fn list(&self, path: &str) -> Option<Vec<Value>> {
        self.get(path)
            .and_then(|v| v.as_list().map(<[Value]>::to_vec))
    }

    /// `{{ .Values.<path> | default "<fallback>" }}` as text.
    pub fn string_or(&self, path: &str, fallback: &str) -> String {
        match self.get(path) {
            Some(v) if v.is_true() => go_string(&v),
            _ => fallback.to_string(),
        }
    }

    /// `{{ int64 .Values.<path> }}` (a missing value is 0).
    pub fn int64(&self, path: &str) -> i64 {
        self.get(path).map(|v| to_int64(&v)).unwrap_or(0)
    }

    /// `airflow.workers.values`: `workers` with `workers.<executor>` (`celery`
    /// or `kubernetes`) overlaid, as the Celery worker or KubernetesExecutor pod
    /// templates see it.
    pub fn worker_values(&self, executor: &str) -> Value {
        let workers = self
            .map("workers")
            .map(|m| (*m).clone())
            .unwrap_or_default();
        let over = prune_nulls(&workers.get(executor).cloned().unwrap_or(Value::Nil));
        let mut base = workers;
        base.remove("celery");
        base.remove("kubernetes");
        overlay(&Value::map(base), &over, "")
    }

    /// These values with `.workers` replaced by [`Values::worker_values`]
    /// (`workers.celery` and `workers.kubernetes` are kept, so that their own
    /// paths still resolve). Applied to a view, it starts again from the
    /// values without overlay.
    pub fn with_worker_overlay(&self, executor: &'static str) -> Values {
        if self.worker_overlay == Some(executor) {
            return self.clone();
        }
        if let Some(plain) = &self.plain {
            let v = Values {
                root: (**plain).clone(),
                release: self.release.clone(),
                worker_overlay: None,
                plain: None,
            };
            return v.with_worker_overlay(executor);
        }
        let mut merged = match self.worker_values(executor).as_map() {
            Some(m) => (*m).clone(),
            None => MapEntries::new(),
        };
        for k in ["celery", "kubernetes"] {
            if let Some(v) = self.get(&format!("workers.{k}")) {
                merged.insert(k.into(), v);
            }
        }
        let mut top = self.root.as_map().map(|m| (*m).clone()).unwrap_or_default();
        top.insert("workers".into(), Value::map(merged));
        Values {
            root: Value::map(top),
            release: self.release.clone(),
            worker_overlay: Some(executor),
            plain: Some(Box::new(self.root.clone())),
        }
    }

    /// The overlay applied to `.workers`, if any.
    pub fn worker_overlay(&self) -> Option<&'static str> {
        self.worker_overlay
    }
}

/// `airflow.pruneNulls`: a map without its null entries, recursively; maps
/// left empty are dropped too. Other values are returned as they are.
pub fn prune_nulls(v: &Value) -> Value {
    let Some(m) = v.as_map() else {
        return v.clone();
    };
    let mut out = MapEntries::new();
    for (k, x) in m.iter() {
        match x {
            Value::Nil | Value::Invalid => {}
            _ if x.as_map().is_some() => {
                let inner = prune_nulls(x);
                if inner.as_map().is_some_and(|m| !m.is_empty()) {
                    out.insert(k.clone(), inner);
                }
            }
            _ => {
                out.insert(k.clone(), x.clone());
            }
        }
    }
    Value::map(out)
}

/// Blocks an overlay replaces whole instead of merging them key by key
/// (`airflow.overlay` in `_helpers.tpl`).
const OVERLAY_REPLACE: [&str; 17] = [
    "annotations",
    "podAnnotations",
    "persistentVolumeClaimRetentionPolicy",
    "pod",
    "container",
    "containers",
    "securityContext",
    "containerLifecycleHooks",
    "advanced",
    "behavior",
    "resources",
    "nodeSelector",
    "affinity",
    "labels",
    "strategy",
    "updateStrategy",
    "config",
];

/// `airflow.overlay`: `over` on `base` the way the chart applies
/// `workers.celery` / `workers.kubernetes` on `workers`. Unset (null), empty
/// maps and empty lists never override; maps merge key by key except the
/// [`OVERLAY_REPLACE`] blocks; in `securityContexts` an overlay `containers`
/// or `container` replaces both of the base; in `kerberosInitContainer`
/// booleans are or-ed.
pub fn overlay(base: &Value, over: &Value, section: &str) -> Value {
    let mut out = base.as_map().map(|m| (*m).clone()).unwrap_or_default();
    let Some(om) = over.as_map() else {
        return Value::map(out);
    };
    let truthy = |k: &str| om.get(k).is_some_and(Value::is_true);
    if section == "securityContexts" && (truthy("containers") || truthy("container")) {
        out.remove("containers");
        out.remove("container");
    }
    for (k, v) in om.iter() {
        let empty = match v {
            Value::Nil | Value::Invalid => true,
            _ => {
                v.as_map().is_some_and(|m| m.is_empty())
                    || v.as_list().is_some_and(<[Value]>::is_empty)
            }
        };
        if empty {
            continue;
        }
        let b = out.get(k.as_ref()).cloned();
        let merged = match (&b, v) {
            (Some(bv), _)
                if bv.as_map().is_some()
                    && v.as_map().is_some()
                    && !OVERLAY_REPLACE.contains(&k.as_ref()) =>
            {
                overlay(bv, v, k)
            }
            (Some(Value::Bool(x)), Value::Bool(y)) if section == "kerberosInitContainer" => {
                Value::Bool(*x || *y)
            }
            _ => v.clone(),
        };
        out.insert(k.clone(), merged);
    }
    Value::map(out)
}

/// Look a dotted path up in a value tree.
pub fn lookup(root: &Value, path: &str) -> Option<Value> {
    let mut cur = root.clone();
    if path.is_empty() {
        return Some(cur);
    }
    for key in path.split('.') {
        let next = cur.as_map()?.get(key)?.clone();
        cur = next;
    }
    Some(cur)
}

/// The list at a dotted path (empty when missing or not a list).
pub fn lookup_list(root: &Value, path: &str) -> Vec<Value> {
    lookup(root, path)
        .and_then(|v| v.as_list().map(<[Value]>::to_vec))
        .unwrap_or_default()
}

/// The scalar at a dotted path as text (`None` when missing).
pub fn lookup_str(root: &Value, path: &str) -> Option<String> {
    lookup(root, path).map(go_string)
}

/// The text `{{ . }}` prints for a scalar (strings as is; numbers the way Go's
/// `%v` prints the float64 values YAML parsing produces).
pub fn go_string<V: Borrow<Value>>(v: V) -> String {
    match v.borrow() {
        Value::String(s) => s.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i, _) => i.to_string(),
        Value::Uint(u, _) => u.to_string(),
        Value::Float(f) => chartgen_yaml::go_format_float(*f),
        Value::Invalid | Value::Nil => String::new(),
        other => chartgen_yaml::to_json(other),
    }
}

/// sprig's `int64` (spf13/cast `ToInt64`): floats truncate, strings parse, nil is 0.
pub fn to_int64<V: Borrow<Value>>(v: V) -> i64 {
    match v.borrow() {
        Value::Int(i, _) => *i,
        Value::Uint(u, _) => *u as i64,
        Value::Float(f) => *f as i64,
        Value::Bool(b) => i64::from(*b),
        Value::String(s) => {
            let t = s.trim_end_matches(".0");
            t.parse::<i64>().unwrap_or(0)
        }
        _ => 0,
    }
}

/// The compiled-in chart defaults (`chart/values.yaml`).
pub fn chart_defaults() -> Value {
    static V: OnceLock<Value> = OnceLock::new();
    V.get_or_init(|| {
        chartgen_yaml::parse_values(CHART_VALUES_YAML.as_bytes()).expect("chart/values.yaml parses")
    })
    .clone()
}

/// The compiled-in defaults of the PostgreSQL sub-chart.
pub fn postgresql_defaults() -> Value {
    static V: OnceLock<Value> = OnceLock::new();
    V.get_or_init(|| {
        chartgen_yaml::parse_values(POSTGRESQL_VALUES_YAML.as_bytes())
            .expect("chart/charts/postgresql/values.yaml parses")
    })
    .clone()
}

/// helm's `CoalesceValues` for this chart: `user` over the chart `defaults`
/// (a user null deletes a defaulted key, user maps are merged recursively, any
/// other user value replaces the default), then the `postgresql` section over
/// the sub-chart's defaults. Inside the `postgresql` section the parent's
/// defaults are merged with helm's "merge" semantics (nulls kept), as helm
/// does for keys naming a dependency.
pub fn coalesce_chart(user: &Value, defaults: &Value, subchart_defaults: &Value) -> Value {
    let mut top = match user.as_map() {
        Some(m) => (*m).clone(),
        None => MapEntries::new(),
    };
    if let Some(d) = defaults.as_map() {
        for (k, dv) in d.iter() {
            match top.get(k.as_ref()) {
                None => {
                    top.insert(k.clone(), dv.clone());
                }
                Some(Value::Nil) | Some(Value::Invalid) => {
                    top.remove(k.as_ref());
                }
                Some(uv) => {
                    if let (Some(um), Some(dm)) = (uv.as_map(), dv.as_map()) {
                        let merge = k.as_ref() == POSTGRESQL_SUBCHART;
                        let merged = coalesce_tables(&um, &dm, merge);
                        top.insert(k.clone(), Value::map(merged));
                    }
                }
            }
        }
    }
    // The dependency's own defaults under its key.
    let sub_user = top
        .get(POSTGRESQL_SUBCHART)
        .cloned()
        .unwrap_or_else(|| Value::map(MapEntries::new()));
    if let (Some(um), Some(dm)) = (sub_user.as_map(), subchart_defaults.as_map()) {
        let merged = coalesce_tables(&um, &dm, false);
        top.insert(POSTGRESQL_SUBCHART.into(), Value::map(merged));
    }
    Value::map(top)
}

/// helm's `mergeMaps(a, b)` for several `-f` files: `b` over `a`, maps merged
/// recursively, anything else (nulls included) replaced. Merge the user files
/// with this, then coalesce the result over the chart with
/// [`Values::from_user_values`].
pub fn merge_user_values(a: &Value, b: &Value) -> Value {
    let mut out = a.as_map().map(|m| (*m).clone()).unwrap_or_default();
    if let Some(bm) = b.as_map() {
        for (k, bv) in bm.iter() {
            let merged = match (out.get(k.as_ref()), bv) {
                (Some(av @ Value::Map(_)), Value::Map(_)) => merge_user_values(av, bv),
                _ => bv.clone(),
            };
            out.insert(k.clone(), merged);
        }
    }
    Value::map(out)
}

/// helm's `coalesceTablesFullKey(dst, src, merge)`: `dst` (higher precedence) over `src`.
pub fn coalesce_tables(dst: &MapEntries, src: &MapEntries, merge: bool) -> MapEntries {
    let mut out = dst.clone();
    for (k, sv) in src {
        match out.get(k.as_ref()) {
            Some(Value::Nil) | Some(Value::Invalid) if !merge => {
                out.remove(k.as_ref());
            }
            None => {
                out.insert(k.clone(), sv.clone());
            }
            Some(dv) => {
                if let (Some(dm), Some(sm)) = (dv.as_map(), sv.as_map()) {
                    let merged = coalesce_tables(&dm, &sm, merge);
                    out.insert(k.clone(), Value::map(merged));
                }
                // Otherwise the higher-precedence value stays (helm warns when
                // a table meets a non-table).
            }
        }
    }
    out
}

/// Structural equality of two YAML/JSON-model values: numbers compare by
/// value whatever their Go type, nil equals "no value".
pub fn values_equal(a: &Value, b: &Value) -> bool {
    fn num(v: &Value) -> Option<f64> {
        match v {
            Value::Int(i, _) => Some(*i as f64),
            Value::Uint(u, _) => Some(*u as f64),
            Value::Float(f) => Some(*f),
            _ => None,
        }
    }
    match (a, b) {
        (Value::Invalid | Value::Nil, Value::Invalid | Value::Nil) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::List(_), Value::List(_)) => {
            let (x, y) = (a.as_list().unwrap(), b.as_list().unwrap());
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| values_equal(p, q))
        }
        (Value::Map(_), Value::Map(_)) => {
            let (x, y) = (a.as_map().unwrap(), b.as_map().unwrap());
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k.as_ref()).is_some_and(|w| values_equal(v, w)))
        }
        _ => match (num(a), num(b)) {
            (Some(x), Some(y)) => x == y,
            _ => false,
        },
    }
}

/// A compact one-line rendering of a value for messages (JSON).
pub fn show(v: Option<&Value>) -> String {
    match v {
        None => "(absent)".to_string(),
        Some(v) => chartgen_yaml::to_json(v),
    }
}

/// Build a map value from `(key, value)` pairs.
pub fn map_of(pairs: Vec<(&str, Value)>) -> Value {
    let mut m = MapEntries::new();
    for (k, v) in pairs {
        m.insert(k.into(), v);
    }
    Value::map(m)
}

/// sprig's `trunc 63 | trimSuffix "-"` on a name.
pub(crate) fn trunc63_trim_dash(s: &str) -> String {
    let mut end = s.len().min(63);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    let t = &s[..end];
    t.strip_suffix('-').unwrap_or(t).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn y(s: &str) -> Value {
        chartgen_yaml::parse_map(s.as_bytes()).unwrap()
    }

    #[test]
    fn lookup_paths() {
        let v = y("a:\n  b:\n    c: 1\n");
        assert!(values_equal(&lookup(&v, "a.b.c").unwrap(), &Value::int(1)));
        assert!(lookup(&v, "a.x").is_none());
        assert!(lookup(&v, "a.b.c.d").is_none());
    }

    #[test]
    fn coalesce_like_helm() {
        let d = y("a: 1\nb:\n  c: 2\n  d: 3\ne: {x: 1}\nl: [1, 2]\n");
        let u = y("a: ~\nb:\n  c: ~\n  z: 9\nl: [3]\nnu: ~\n");
        let m = coalesce_tables(&u.as_map().unwrap(), &d.as_map().unwrap(), false);
        let m = Value::map(m);
        assert!(lookup(&m, "a").is_none(), "null deletes a defaulted key");
        assert!(lookup(&m, "b.c").is_none());
        assert!(values_equal(&lookup(&m, "b.d").unwrap(), &Value::int(3)));
        assert!(values_equal(&lookup(&m, "b.z").unwrap(), &Value::int(9)));
        assert_eq!(lookup(&m, "l").unwrap().as_list().unwrap().len(), 1);
        assert!(
            lookup(&m, "nu").is_some_and(|v| v.is_nil_interface()),
            "undefaulted null stays"
        );
        assert!(lookup(&m, "e.x").is_some());
    }

    #[test]
    fn user_files_merge_like_helm() {
        let a = y("a: {b: 1, c: 2}\nd: 1\n");
        let b = y("a: {c: 3}\nd: ~\n");
        let m = merge_user_values(&a, &b);
        assert!(values_equal(&lookup(&m, "a.b").unwrap(), &Value::int(1)));
        assert!(values_equal(&lookup(&m, "a.c").unwrap(), &Value::int(3)));
        assert!(lookup(&m, "d").is_some_and(|v| v.is_nil_interface()));
    }

    #[test]
    fn chart_defaults_load() {
        let v = Values::from_user_values(&y("uid: 1\n"), "rel", "ns");
        assert_eq!(v.int64("uid"), 1);
        assert_eq!(v.int64("gid"), 0);
        assert!(v.truthy("postgresql.enabled"));
        assert_eq!(v.int64("postgresql.securityContexts.pod.runAsUser"), 999);
    }

    #[test]
    fn overlay_like_the_chart() {
        let base = y("a: 1\nm: {x: 1, y: 2}\nresources: {requests: {cpu: 1}}\nsecurityContexts: {pod: {runAsUser: 1}, containers: {runAsUser: 2}}\nkerberosInitContainer: {enabled: true}\nl: [1]\n");
        let over = y("a: ~\nm: {y: 3, z: {}}\nresources: {limits: {memory: 1Gi}}\nsecurityContexts: {pod: {}, container: {runAsUser: 9}}\nkerberosInitContainer: {enabled: false}\nl: []\nnew: 5\n");
        let o = overlay(&base, &over, "");
        assert!(
            values_equal(&lookup(&o, "a").unwrap(), &Value::int(1)),
            "null keeps"
        );
        assert!(
            values_equal(&lookup(&o, "m").unwrap(), &y("{x: 1, y: 3}")),
            "maps merge, an empty map keeps"
        );
        assert!(
            values_equal(
                &lookup(&o, "resources").unwrap(),
                &y("{limits: {memory: 1Gi}}")
            ),
            "resources replace"
        );
        assert!(
            values_equal(
                &lookup(&o, "securityContexts").unwrap(),
                &y("{pod: {runAsUser: 1}, container: {runAsUser: 9}}")
            ),
            "container slot"
        );
        assert!(
            lookup(&o, "kerberosInitContainer.enabled")
                .unwrap()
                .is_true(),
            "or-ed"
        );
        assert_eq!(
            lookup(&o, "l").unwrap().as_list().unwrap().len(),
            1,
            "[] keeps"
        );
        assert!(values_equal(&lookup(&o, "new").unwrap(), &Value::int(5)));
    }

    #[test]
    fn overlay_blocks_of_nulls_do_not_replace() {
        let v = Values::from_user_values(
            &y("workers:\n  podDisruptionBudget:\n    enabled: true\n    config: {maxUnavailable: 2}\n  celery:\n    podDisruptionBudget:\n      config: {maxUnavailable: ~}\n"),
            "r",
            "n",
        );
        let c = v.with_worker_overlay("celery");
        assert_eq!(
            c.int64("workers.podDisruptionBudget.config.maxUnavailable"),
            2
        );
        assert!(values_equal(
            &prune_nulls(&y("a: ~\nb: {c: ~, d: {}}\ne: []\nf: false\n")),
            &y("e: []\nf: false\n")
        ));
    }

    #[test]
    fn worker_overlay_view() {
        let v = Values::from_user_values(
            &y("workers:\n  replicas: 2\n  celery:\n    replicas: 4\n"),
            "r",
            "n",
        );
        assert_eq!(v.int64("workers.replicas"), 2);
        let c = v.with_worker_overlay("celery");
        assert_eq!(c.int64("workers.replicas"), 4);
        assert_eq!(
            c.int64("workers.celery.replicas"),
            4,
            "own paths still resolve"
        );
        assert_eq!(c.worker_overlay(), Some("celery"));
        let k = v.with_worker_overlay("kubernetes");
        assert_eq!(k.int64("workers.replicas"), 2);
    }

    #[test]
    fn int64_and_strings() {
        assert_eq!(to_int64(Value::Float(1.9)), 1);
        assert_eq!(to_int64(Value::string("42")), 42);
        assert_eq!(go_string(Value::Float(50000.0)), "50000");
        assert_eq!(trunc63_trim_dash(&"a".repeat(70)), "a".repeat(63));
        assert_eq!(trunc63_trim_dash("abc-"), "abc");
    }
}
