//! helm's dependency handling before rendering:
//!
//! * [`preflight`]: what `helm template` checks on the loaded chart
//!   (`library charts are not installable`, the deprecation warning, and
//!   `found in Chart.yaml, but missing in charts/ directory: …`).
//! * [`process_dependencies`]: helm's `ProcessDependencies` —
//!   aliases (a copy of the sub-chart under the alias, when the
//!   dependency's version range matches), `tags` then `condition`s (the first
//!   condition path that resolves wins; non-bools are warned about),
//!   disabled sub-charts removed (recursively), and `import-values` in both
//!   forms, which rewrites each parent's default values as helm does.

use gotmpl::{MapEntries, Type, Value};

use crate::chart::Chart;
use crate::coalesce::{self, Warnings};
use crate::semver::is_compatible_range;

/// A dependency problem, with helm's message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DepsError(pub String);

impl std::fmt::Display for DepsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DepsError {}

/// The checks `helm template` runs after loading, in its order:
/// `checkIfInstallable`, the deprecation warning, `CheckDependencies`.
pub fn preflight(chart: &Chart, log: &mut Warnings) -> Result<(), DepsError> {
    match chart.metadata.chart_type.as_str() {
        "" | "application" => {}
        t => return Err(DepsError(format!("{t} charts are not installable"))),
    }
    if chart.metadata.deprecated {
        log.warn("this chart is deprecated", &[]);
    }
    check_dependencies(chart)
}

/// helm's `CheckDependencies` as `helm template` reports it.
pub fn check_dependencies(chart: &Chart) -> Result<(), DepsError> {
    if chart.metadata.api_version == "v3" {
        return check_dependencies_v3(chart);
    }
    let Some(reqs) = &chart.metadata.dependencies else {
        return Ok(());
    };
    let missing: Vec<&str> = reqs
        .iter()
        .filter(|r| !is_loaded(chart, &r.name))
        .map(|r| r.name.as_str())
        .collect();
    missing_error(&missing)
}

fn is_loaded(chart: &Chart, name: &str) -> bool {
    chart.dependencies.iter().any(|d| d.name() == name)
}

fn dependency_check_error(cause: &str) -> DepsError {
    DepsError(format!(
        "an error occurred while checking for chart dependencies. You may need to run `helm dependency build` to fetch missing dependencies: {cause}"
    ))
}

fn missing_error(missing: &[&str]) -> Result<(), DepsError> {
    if missing.is_empty() {
        return Ok(());
    }
    Err(dependency_check_error(&format!(
        "found in Chart.yaml, but missing in charts/ directory: {}",
        missing.join(", ")
    )))
}

/// The same check for an apiVersion v3 chart, whose dependency list helm
/// 4.1.4 builds with the length of the loaded sub-charts but the entries of
/// Chart.yaml's `dependencies`: entries past those of Chart.yaml are nil,
/// which its check refuses, and more Chart.yaml entries than sub-charts
/// crash it (index out of range; reported here as an error).
fn check_dependencies_v3(chart: &Chart) -> Result<(), DepsError> {
    let loaded = chart.dependencies.len();
    let declared = chart.metadata.dependencies.as_deref().unwrap_or_default();
    if declared.len() > loaded {
        return Err(DepsError(format!(
            "helm panics on this chart (runtime error: index out of range [{loaded}] with length {loaded}): apiVersion v3 charts with more dependencies in Chart.yaml than in charts/ are not supported"
        )));
    }
    let mut missing = Vec::new();
    for i in 0..loaded {
        match declared.get(i) {
            Some(r) if !is_loaded(chart, &r.name) => missing.push(r.name.as_str()),
            Some(_) => {}
            None => return Err(dependency_check_error("unsupported chart dependency type")),
        }
    }
    missing_error(&missing)
}

/// helm's `ProcessDependencies(chart, userValues)`; errors are prefixed
/// `chart dependencies processing failed: ` as `helm template` prints them.
pub fn process_dependencies(chart: &mut Chart, user: &Value) -> Result<(), DepsError> {
    process_dependencies_logged(chart, user, &mut Warnings::new())
        .map_err(|e| DepsError(format!("chart dependencies processing failed: {}", e.0)))
}

/// [`process_dependencies`], collecting helm's warnings; the error is
/// `ProcessDependencies`' own, without the prefix (helm logs it so).
pub fn process_dependencies_logged(
    chart: &mut Chart,
    user: &Value,
    log: &mut Warnings,
) -> Result<(), DepsError> {
    let raw = |e: coalesce::CoalesceError| DepsError(e.0);
    process_enabled(chart, user, "", log).map_err(raw)?;
    process_import_values_rec(chart, log).map_err(raw)
}

/// `common.Values.Table`: the map at a dotted path.
pub fn table(v: &MapEntries, name: &str) -> Result<MapEntries, String> {
    let mut cur = v.clone();
    for part in name.split('.') {
        let next = match cur.get(part) {
            Some(Value::Map(m)) => (*m.entries()).clone(),
            _ => {
                return Err(format!("{} is not a table", gotmpl::strconv::quote(part)));
            }
        };
        cur = next;
    }
    Ok(cur)
}

/// `common.Values.PathValue`: a non-table value at a dotted path.
fn path_value(v: &MapEntries, path: &str) -> Option<Value> {
    let parts: Vec<&str> = path.split('.').collect();
    let (key, prefix) = parts.split_last()?;
    let t = if prefix.is_empty() {
        v.clone()
    } else {
        table(v, &prefix.join(".")).ok()?
    };
    match t.get(*key) {
        Some(Value::Map(_)) | None => None,
        Some(x) => Some(x.clone()),
    }
}

fn process_enabled(
    c: &mut Chart,
    v: &Value,
    path: &str,
    log: &mut Warnings,
) -> Result<(), coalesce::CoalesceError> {
    let Some(mut reqs) = c.metadata.dependencies.take() else {
        return Ok(());
    };
    let mut chart_deps: Vec<Chart> = Vec::new();
    for existing in &c.dependencies {
        let matched = reqs.iter().any(|r| {
            existing.name() == r.name && is_compatible_range(&r.version, &existing.metadata.version)
        });
        if !matched {
            chart_deps.push(existing.clone());
        }
    }
    for req in reqs.iter_mut() {
        if let Some(found) = c.dependencies.iter().find(|ch| {
            ch.name() == req.name && is_compatible_range(&req.version, &ch.metadata.version)
        }) {
            let mut out = found.clone();
            if !req.alias.is_empty() {
                out.metadata.name = req.alias.clone();
            }
            chart_deps.push(out);
        }
        if !req.alias.is_empty() {
            req.name = req.alias.clone();
        }
    }
    c.dependencies = chart_deps;
    for r in reqs.iter_mut() {
        r.enabled = true;
    }
    c.metadata.dependencies = Some(reqs);
    let cvals = coalesce::coalesce_values_logged(c, v, log)?;
    let cmap = cvals.as_map().map(|m| (*m).clone()).unwrap_or_default();
    let reqs = c.metadata.dependencies.as_mut().expect("set above");

    // Tags.
    if let Ok(vt) = table(&cmap, "tags") {
        for r in reqs.iter_mut() {
            let (mut has_true, mut has_false) = (false, false);
            for k in &r.tags {
                if let Some(b) = vt.get(k.as_str()) {
                    match b {
                        Value::Bool(true) => has_true = true,
                        Value::Bool(false) => has_false = true,
                        _ => log.warn("returned non-bool value", &[("tag", k), ("chart", &r.name)]),
                    }
                }
            }
            if !has_true && has_false {
                r.enabled = false;
            } else if has_true || !has_false {
                r.enabled = true;
            }
        }
    }
    // Conditions.
    for r in reqs.iter_mut() {
        for cond in r.condition.trim().split(',') {
            if cond.is_empty() {
                continue;
            }
            if let Some(vv) = path_value(&cmap, &format!("{path}{cond}")) {
                if let Value::Bool(b) = vv {
                    r.enabled = b;
                    break;
                }
                log.warn(
                    "returned non-bool value",
                    &[("path", cond), ("chart", &r.name)],
                );
            }
        }
    }
    let rm: Vec<String> = reqs
        .iter()
        .filter(|r| !r.enabled)
        .map(|r| r.name.clone())
        .collect();
    let kept_meta: Vec<_> = reqs
        .iter()
        .filter(|r| !rm.contains(&r.name))
        .cloned()
        .collect();
    let mut cd: Vec<Chart> = std::mem::take(&mut c.dependencies)
        .into_iter()
        .filter(|d| !rm.iter().any(|n| n == d.name()))
        .collect();
    for t in cd.iter_mut() {
        let sub = format!("{path}{}.", t.name());
        process_enabled(t, &cvals, &sub, log)?;
    }
    c.metadata.dependencies = if kept_meta.is_empty() {
        None
    } else {
        Some(kept_meta)
    };
    c.dependencies = cd;
    Ok(())
}

fn path_to_map(path: &str, data: MapEntries) -> MapEntries {
    if path == "." {
        return data;
    }
    let mut cur = data;
    for p in path.split('.').rev() {
        let mut m = MapEntries::new();
        m.insert(p.into(), Value::map(cur));
        cur = m;
    }
    cur
}

fn process_import_values_rec(
    c: &mut Chart,
    log: &mut Warnings,
) -> Result<(), coalesce::CoalesceError> {
    for d in c.dependencies.iter_mut() {
        process_import_values_rec(d, log)?;
    }
    process_import_values(c, log)
}

fn process_import_values(c: &mut Chart, log: &mut Warnings) -> Result<(), coalesce::CoalesceError> {
    if c.metadata.dependencies.is_none() {
        return Ok(());
    }
    let cvals = coalesce::merge_values_logged(c, &Value::map(MapEntries::new()), log)?;
    let cmap = cvals.as_map().map(|m| (*m).clone()).unwrap_or_default();
    let mut b = MapEntries::new();
    let pair_type = Type::map_of(Type::String);
    for r in c.metadata.dependencies.iter_mut().flatten() {
        let mut outiv = Vec::new();
        for riv in &r.import_values {
            match riv {
                Value::Map(iv) => {
                    let fmt_v = |k: &str| match iv.entries().get(k) {
                        None => "<nil>".to_string(),
                        Some(v) => gotmpl::gofmt::sprint(std::slice::from_ref(v)),
                    };
                    let child = fmt_v("child");
                    let parent = fmt_v("parent");
                    let mut pair = MapEntries::new();
                    pair.insert("child".into(), Value::from(child.as_str()));
                    pair.insert("parent".into(), Value::from(parent.as_str()));
                    outiv.push(Value::typed_map(pair_type.clone(), pair));
                    match table(&cmap, &format!("{}.{child}", r.name)) {
                        Ok(vv) => {
                            b = coalesce::merge_tables(&b, &path_to_map(&parent, vv), log);
                        }
                        Err(e) => log.warn(
                            "ImportValues missing table from chart",
                            &[("chart", &r.name), ("error", &e)],
                        ),
                    }
                }
                Value::String(iv) => {
                    let child = format!("exports.{iv}");
                    let mut pair = MapEntries::new();
                    pair.insert("child".into(), Value::from(child.as_str()));
                    pair.insert("parent".into(), Value::from("."));
                    outiv.push(Value::typed_map(pair_type.clone(), pair));
                    match table(&cmap, &format!("{}.{child}", r.name)) {
                        Ok(vm) => b = coalesce::merge_tables(&b, &vm, log),
                        Err(e) => log.warn("ImportValues missing table", &[("error", &e)]),
                    }
                }
                _ => {}
            }
        }
        r.import_values = outiv;
    }
    c.values = Value::map(coalesce::merge_tables(&cmap, &b, log));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::Dependency;

    fn chart(name: &str, values: &str, deps: Vec<Chart>, meta: Option<Vec<Dependency>>) -> Chart {
        let mut c = Chart {
            values: chartgen_yaml::parse_values(values.as_bytes()).unwrap(),
            dependencies: deps,
            ..Default::default()
        };
        c.metadata.name = name.into();
        c.metadata.version = "1.0.0".into();
        c.metadata.dependencies = meta;
        c
    }

    fn dep(name: &str, cond: &str, alias: &str) -> Dependency {
        Dependency {
            name: name.into(),
            version: "1.0.0".into(),
            condition: cond.into(),
            alias: alias.into(),
            ..Default::default()
        }
    }

    #[test]
    fn conditions_and_aliases() {
        let sub = chart("sub", "x: 1\n", vec![], None);
        let mut c = chart(
            "c",
            "sub: {enabled: false}\ntwo: {enabled: true}\n",
            vec![sub],
            Some(vec![
                dep("sub", "sub.enabled", ""),
                dep("sub", "two.enabled", "two"),
            ]),
        );
        process_dependencies(&mut c, &Value::map(MapEntries::new())).unwrap();
        let names: Vec<&str> = c.dependencies.iter().map(|d| d.name()).collect();
        assert_eq!(names, vec!["two"]);
        assert_eq!(c.metadata.dependencies.as_ref().unwrap().len(), 1);
    }

    #[test]
    fn import_values() {
        let sub = chart("sub", "exports: {data: {a: 1}}\nx: {yy: 2}\n", vec![], None);
        let mut d = dep("sub", "", "");
        d.import_values = vec![
            Value::from("data"),
            chartgen_yaml::parse_map(b"{child: x, parent: imported}").unwrap(),
        ];
        let mut c = chart("c", "a: 0\n", vec![sub], Some(vec![d]));
        process_dependencies(&mut c, &Value::map(MapEntries::new())).unwrap();
        let v = chartgen_yaml::to_json(&c.values);
        assert!(v.contains(r#""a":0"#), "{v}");
        assert!(v.contains(r#""imported":{"yy":2}"#), "{v}");
    }

    #[test]
    fn missing_dependency() {
        let c = chart(
            "c",
            "",
            vec![],
            Some(vec![dep("a", "", ""), dep("b", "", "")]),
        );
        assert!(check_dependencies(&c)
            .unwrap_err()
            .0
            .ends_with("missing in charts/ directory: a, b"));
    }
}
