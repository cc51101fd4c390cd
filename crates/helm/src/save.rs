//! Packaging a loaded chart as `NAME-VERSION.tgz` (helm's `chartutil.Save`),
//! which `--dependency-update` uses for `file://` dependencies.
//!
//! The archive holds what helm writes, in its order: Chart.yaml re-marshalled
//! from the metadata, the lock file, values.yaml as read, values.schema.json,
//! the templates, the other files, then each sub-chart as a directory under
//! `charts/`.

use std::io::Write;
use std::path::{Path, PathBuf};

use gotmpl::{MapEntries, Value};

use crate::chart::{Chart, Dependency, Metadata};

/// Writes `out_dir/NAME-VERSION.tgz`; returns its path. Nothing is left
/// behind on failure.
pub fn save(chart: &Chart, out_dir: &Path) -> Result<PathBuf, String> {
    let path = out_dir.join(format!(
        "{}-{}.tgz",
        chart.metadata.name, chart.metadata.version
    ));
    let result = (|| -> Result<(), String> {
        let file = std::fs::File::create(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let gz = flate2::write::GzEncoder::new(file, flate2::Compression::default());
        let mut tar = tar::Builder::new(gz);
        let mtime = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        write_contents(&mut tar, chart, "", mtime)?;
        let gz = tar.into_inner().map_err(|e| e.to_string())?;
        gz.finish()
            .and_then(|mut f| f.flush())
            .map_err(|e| e.to_string())
    })();
    match result {
        Ok(()) => Ok(path),
        Err(e) => {
            let _ = std::fs::remove_file(&path);
            Err(e)
        }
    }
}

fn write_contents<W: Write>(
    tar: &mut tar::Builder<W>,
    chart: &Chart,
    prefix: &str,
    mtime: u64,
) -> Result<(), String> {
    let base = format!("{prefix}{}/", chart.metadata.name);
    let v1 = chart.metadata.api_version == "v1";
    let mut put = |name: &str, data: &[u8]| -> Result<(), String> {
        let mut h = tar::Header::new_ustar();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_mtime(mtime);
        h.set_entry_type(tar::EntryType::Regular);
        tar.append_data(&mut h, format!("{base}{name}"), data)
            .map_err(|e| e.to_string())
    };
    put("Chart.yaml", metadata_yaml(&chart.metadata, v1).as_bytes())?;
    if !v1 {
        if let Some(lock) = &chart.raw_lock {
            // helm writes its parsed Lock back through sigs.k8s.io/yaml.
            if let Ok(v) = chartgen_yaml::parse(lock) {
                put(
                    "Chart.lock",
                    with_newline(chartgen_yaml::to_yaml(&v)).as_bytes(),
                )?;
            }
        }
    }
    if let Some(values) = &chart.raw_values {
        put("values.yaml", values)?;
    }
    if let Some(schema) = &chart.schema {
        if serde_json::from_slice::<serde_json::Value>(schema).is_err() {
            return Err("invalid JSON in values.schema.json".into());
        }
        put("values.schema.json", schema)?;
    }
    for f in chart.templates.iter().chain(&chart.files) {
        put(&f.name, &f.data)?;
    }
    for dep in &chart.dependencies {
        write_contents(tar, dep, &format!("{base}charts/"), mtime)?;
    }
    Ok(())
}

fn with_newline(mut s: String) -> String {
    if !s.is_empty() && !s.ends_with('\n') {
        s.push('\n');
    }
    s
}

/// Chart.yaml as helm's `yaml.Marshal(chart.Metadata)` writes it: JSON field
/// names, empty fields omitted, keys sorted (a v1 chart's dependencies are
/// left out: they belong in requirements.yaml).
pub fn metadata_yaml(md: &Metadata, v1: bool) -> String {
    let mut m = MapEntries::new();
    let put_str = |m: &mut MapEntries, k: &str, v: &str| {
        if !v.is_empty() {
            m.insert(k.into(), Value::from(v));
        }
    };
    put_str(&mut m, "name", &md.name);
    put_str(&mut m, "home", &md.home);
    put_str(&mut m, "version", &md.version);
    put_str(&mut m, "description", &md.description);
    put_str(&mut m, "icon", &md.icon);
    put_str(&mut m, "apiVersion", &md.api_version);
    put_str(&mut m, "condition", &md.condition);
    put_str(&mut m, "tags", &md.tags);
    put_str(&mut m, "appVersion", &md.app_version);
    put_str(&mut m, "kubeVersion", &md.kube_version);
    put_str(&mut m, "type", &md.chart_type);
    let strs = |v: &[String]| Value::list(v.iter().map(|s| Value::from(s.as_str())).collect());
    if !md.sources.is_empty() {
        m.insert("sources".into(), strs(&md.sources));
    }
    if !md.keywords.is_empty() {
        m.insert("keywords".into(), strs(&md.keywords));
    }
    if !md.maintainers.is_empty() {
        let list = md
            .maintainers
            .iter()
            .map(|x| {
                let mut e = MapEntries::new();
                put_str(&mut e, "name", &x.name);
                put_str(&mut e, "email", &x.email);
                put_str(&mut e, "url", &x.url);
                Value::map(e)
            })
            .collect();
        m.insert("maintainers".into(), Value::list(list));
    }
    if md.deprecated {
        m.insert("deprecated".into(), Value::Bool(true));
    }
    if let Some(ann) = md.annotations.as_ref().filter(|a| !a.is_empty()) {
        let e = ann
            .iter()
            .map(|(k, v)| (k.as_str().into(), Value::from(v.as_str())))
            .collect();
        m.insert("annotations".into(), Value::map(e));
    }
    if !v1 {
        if let Some(deps) = md.dependencies.as_ref().filter(|d| !d.is_empty()) {
            let list = deps.iter().map(dependency_value).collect();
            m.insert("dependencies".into(), Value::list(list));
        }
    }
    with_newline(chartgen_yaml::to_yaml(&Value::map(m)))
}

/// A dependency as helm's JSON/YAML marshalling writes it (`name` and
/// `repository` always, the rest when set).
pub fn dependency_value(d: &Dependency) -> Value {
    let mut e = MapEntries::new();
    e.insert("name".into(), Value::from(d.name.as_str()));
    e.insert("repository".into(), Value::from(d.repository.as_str()));
    for (k, v) in [
        ("version", &d.version),
        ("condition", &d.condition),
        ("alias", &d.alias),
    ] {
        if !v.is_empty() {
            e.insert(k.into(), Value::from(v.as_str()));
        }
    }
    if !d.tags.is_empty() {
        let tags = d.tags.iter().map(|s| Value::from(s.as_str())).collect();
        e.insert("tags".into(), Value::list(tags));
    }
    if d.enabled {
        e.insert("enabled".into(), Value::Bool(true));
    }
    if !d.import_values.is_empty() {
        e.insert("import-values".into(), Value::list(d.import_values.clone()));
    }
    Value::map(e)
}

/// A dependency as Go's `json.Marshal` writes helm's `Dependency` struct
/// (fields in declaration order; what lock digests hash).
pub fn dependency_json(d: Option<&Dependency>) -> String {
    let Some(d) = d else {
        return "null".into();
    };
    let q = |s: &str| chartgen_yaml::json::marshal(&Value::from(s)).unwrap_or_default();
    let mut out = format!("{{\"name\":{}", q(&d.name));
    if !d.version.is_empty() {
        out.push_str(&format!(",\"version\":{}", q(&d.version)));
    }
    out.push_str(&format!(",\"repository\":{}", q(&d.repository)));
    if !d.condition.is_empty() {
        out.push_str(&format!(",\"condition\":{}", q(&d.condition)));
    }
    if !d.tags.is_empty() {
        let tags = d.tags.iter().map(|t| q(t)).collect::<Vec<_>>().join(",");
        out.push_str(&format!(",\"tags\":[{tags}]"));
    }
    if d.enabled {
        out.push_str(",\"enabled\":true");
    }
    if !d.import_values.is_empty() {
        let iv =
            chartgen_yaml::json::marshal(&Value::list(d.import_values.clone())).unwrap_or_default();
        out.push_str(&format!(",\"import-values\":{iv}"));
    }
    if !d.alias.is_empty() {
        out.push_str(&format!(",\"alias\":{}", q(&d.alias)));
    }
    out.push('}');
    out
}
