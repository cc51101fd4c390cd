//! The built-in objects templates see: helm's `ToRenderValues` top-level map
//! (`.Values`, `.Release`, `.Chart`, `.Capabilities`) and the per-chart
//! scopes `recAllTpls` builds from it (`.Chart` with `IsRoot`, `.Files`,
//! `.Values` narrowed to the sub-chart, `.Subcharts`). `.Template` is added
//! per file by the engine.

use std::sync::Arc;

use gotmpl::{Function, Kind, Map, MapEntries, Type, Value};

use crate::capabilities::Capabilities;
use crate::chart::{Chart, File};
use crate::files::Files;

/// `common.ReleaseOptions` as `helm template` fills it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReleaseOptions {
    pub name: String,
    pub namespace: String,
    pub revision: i64,
    pub is_upgrade: bool,
    pub is_install: bool,
}

impl Default for ReleaseOptions {
    /// `helm template`'s defaults: `release-name` in `default`, revision 1, an install.
    fn default() -> ReleaseOptions {
        ReleaseOptions {
            name: "release-name".into(),
            namespace: "default".into(),
            revision: 1,
            is_upgrade: false,
            is_install: true,
        }
    }
}

impl ReleaseOptions {
    /// `helm template [--is-upgrade]`: exactly one of IsInstall/IsUpgrade.
    pub fn for_template(name: &str, namespace: &str, is_upgrade: bool) -> ReleaseOptions {
        ReleaseOptions {
            name: name.into(),
            namespace: namespace.into(),
            revision: 1,
            is_upgrade,
            is_install: !is_upgrade,
        }
    }

    /// `.Release` (a `map[string]interface {}`; Revision is a Go `int`).
    pub fn to_value(&self) -> Value {
        let mut m = MapEntries::new();
        m.insert("Name".into(), Value::from(self.name.as_str()));
        m.insert("Namespace".into(), Value::from(self.namespace.as_str()));
        m.insert("IsUpgrade".into(), Value::Bool(self.is_upgrade));
        m.insert("IsInstall".into(), Value::Bool(self.is_install));
        m.insert("Revision".into(), Value::int(self.revision));
        m.insert("Service".into(), Value::from("Helm"));
        Value::map(m)
    }
}

use crate::engine::values_type;

/// Whether `v` is what `common.Values` calls a table: exactly a
/// `map[string]interface {}` (not a named map type such as `common.Values`).
fn is_table(v: &Value) -> bool {
    matches!(v, Value::Map(m) if m.ty == Type::map_of(Type::Interface))
}

/// `common.Values`' `tableLookup`: the table under `key`, as `common.Values`
/// (the same map, not a copy).
fn table_lookup(v: &Arc<Map>, key: &str) -> Result<Arc<Map>, String> {
    match v.get(key) {
        Some(Value::Map(m)) if m.ty == Type::map_of(Type::Interface) || m.ty == values_type() => {
            Ok(Arc::new(Map::retyped(&m, values_type())))
        }
        _ => Err(format!("{} is not a table", gotmpl::strconv::quote(key))),
    }
}

/// `common.Values.Table`: the table at a dotted path.
fn values_table(v: &Arc<Map>, name: &str) -> Result<Arc<Map>, String> {
    let mut table = v.clone();
    for part in name.split('.') {
        table = table_lookup(&table, part)?;
    }
    Ok(table)
}

/// `common.Values.PathValue`: the non-table value at a dotted path.
fn values_path_value(v: &Arc<Map>, path: &str) -> Result<Value, String> {
    if path.is_empty() {
        return Err("YAML path cannot be empty".into());
    }
    let no_value = |key: &str| format!("{} is not a value", gotmpl::strconv::quote(key));
    let (key, prefix) = match path.rsplit_once('.') {
        Some((prefix, key)) => (key, Some(prefix)),
        None => (path, None),
    };
    let table = match prefix {
        None => v.clone(),
        Some(prefix) => values_table(v, prefix).map_err(|_| no_value(key))?,
    };
    match table.get(key) {
        Some(x) if !is_table(&x) => Ok(x),
        _ => Err(no_value(key)),
    }
}

/// The methods of `common.Values` (`.Values`, dot, `.Template`, a
/// sub-chart's `.Values`, what `Table` returns), for
/// [`gotmpl::TemplateSet::set_map_methods`]: `AsMap`, `Table`, `PathValue`,
/// `YAML` and `Encode` (which needs an `io.Writer` no template has).
pub fn values_method(recv: &Arc<Map>, name: &str) -> Option<Function> {
    // Asked for every field read on a map (`.Values.x` included): the name
    // is checked first, and the type without building one.
    if !matches!(name, "AsMap" | "Table" | "PathValue" | "YAML" | "Encode") {
        return None;
    }
    let is_values = matches!(&recv.ty, Type::Map { elem, name: Some(name) }
        if &**name == "common.Values" && **elem == Type::Interface);
    if !is_values {
        return None;
    }
    let me = recv.clone();
    Some(match name {
        // A fresh map when empty: writes to it do not reach the values.
        "AsMap" => Function::new(vec![], move |_, _| {
            Ok(if me.is_empty() {
                Value::map(MapEntries::new())
            } else {
                Value::Map(Arc::new(Map::retyped(&me, Type::map_of(Type::Interface))))
            })
        }),
        "Table" => Function::new(vec![Type::String], move |_, a| {
            values_table(&me, a[0].as_str().unwrap_or_default())
                .map(Value::Map)
                .map_err(Into::into)
        }),
        "PathValue" => Function::new(vec![Type::String], move |_, a| {
            values_path_value(&me, a[0].as_str().unwrap_or_default()).map_err(Into::into)
        }),
        "YAML" => Function::new(vec![], move |_, _| {
            chartgen_yaml::marshal_yaml(&Value::Map(me.clone()))
                .map(Value::from)
                .map_err(|e| e.to_string().into())
        }),
        // Only a nil writer gets this far: Go then panics in `w.Write`.
        "Encode" => Function::new(
            vec![Type::Other {
                name: "io.Writer".into(),
                kind: Kind::Interface,
            }],
            |_, _| Err("runtime error: invalid memory address or nil pointer dereference".into()),
        ),
        _ => return None,
    })
}

fn as_values(v: &Value) -> Value {
    Value::typed_map(
        values_type(),
        v.as_map().map(|m| (*m).clone()).unwrap_or_default(),
    )
}

/// helm's `ToRenderValues` (without schema validation, see [`crate::schema`]):
/// `{Chart, Capabilities, Release, Values}` with `Values` the coalesced values.
pub fn render_values(
    chart: &Chart,
    coalesced: &Value,
    opts: &ReleaseOptions,
    caps: &Capabilities,
) -> Value {
    let mut top = MapEntries::new();
    top.insert("Chart".into(), Value::map(chart.metadata.as_map()));
    top.insert("Capabilities".into(), caps.to_value());
    top.insert("Release".into(), opts.to_value());
    top.insert("Values".into(), as_values(coalesced));
    Value::typed_map(values_type(), top)
}

/// One chart's share of the render: its templates and the scope they run in.
#[derive(Clone, Debug)]
pub struct ChartScope {
    /// helm's `ChartFullPath`: `c`, `c/charts/sub`, `c/charts/sub/charts/x`.
    pub path: String,
    /// `<path>/templates`: `.Template.BasePath`.
    pub base_path: String,
    /// The templates to parse, named `<path>/templates/…` (a library chart
    /// contributes only its `_` partials), with their text.
    pub templates: Vec<(String, Arc<str>)>,
    /// `.Chart`, `.Files`, `.Release`, `.Capabilities`, `.Values`,
    /// `.Subcharts` (no `.Template`).
    pub scope: MapEntries,
}

/// Go's `path.Join(a, b)` for relative chart paths.
fn join(a: &str, b: &str) -> String {
    crate::loader::path_clean(&format!("{a}/{b}"))
}

/// helm's `recAllTpls` over the chart tree: every (sub)chart's scope, parents
/// before children (a chart's `.Subcharts` holds its children's scopes).
pub fn chart_scopes(chart: &Chart, top: &Value) -> Vec<ChartScope> {
    let mut out = Vec::new();
    let top_map = top.as_map().map(|m| (*m).clone()).unwrap_or_default();
    rec(chart, &top_map, None, &mut out);
    out
}

fn rec(
    c: &Chart,
    values: &MapEntries,
    parent_path: Option<&str>,
    out: &mut Vec<ChartScope>,
) -> MapEntries {
    let is_root = parent_path.is_none();
    let mut chart_meta = c.metadata.as_map();
    chart_meta.insert("IsRoot".into(), Value::Bool(is_root));

    let vals = if is_root {
        values.get("Values").map(as_values)
    } else {
        // The parent's table itself, not a copy: what a sub-chart's
        // templates write into their `.Values`, the parent's see.
        match values.get("Values") {
            Some(Value::Map(m)) => values_table(m, c.name()).ok().map(Value::Map),
            _ => None,
        }
    }
    .unwrap_or_else(|| Value::typed_map(values_type(), MapEntries::new()));

    let mut next = MapEntries::new();
    next.insert("Chart".into(), Value::map(chart_meta));
    next.insert("Files".into(), Value::object(Files::new(&c.files)));
    next.insert(
        "Release".into(),
        values.get("Release").cloned().unwrap_or(Value::Nil),
    );
    next.insert(
        "Capabilities".into(),
        values.get("Capabilities").cloned().unwrap_or(Value::Nil),
    );
    next.insert("Values".into(), vals);

    let path = chart_path(c, parent_path);
    // Reserve this chart's slot so parents come before children.
    let idx = out.len();
    out.push(ChartScope {
        path: path.clone(),
        base_path: join(&path, "templates"),
        templates: Vec::new(),
        scope: MapEntries::new(),
    });

    let mut subcharts = MapEntries::new();
    next.insert("Subcharts".into(), Value::map(MapEntries::new()));
    for child in &c.dependencies {
        let child_idx = out.len();
        let mut child_scope = rec(child, &next, Some(&path), out);
        // helm's `.Subcharts.<name>` is the map the sub-chart's templates
        // render with, whose `.Template` each of them set in turn: by the
        // time its parent's templates run (sub-charts' run first), that of
        // the last one (helm's render order: fewest `/`, then the least
        // name, last). (What the sub-chart's templates write into their
        // `$` is not seen here.)
        let child_scope_path = &out[child_idx];
        let last = child_scope_path
            .templates
            .iter()
            .map(|(name, _)| name)
            .filter(|name| !base_name(name).starts_with('_'))
            .min_by_key(|name| (name.matches('/').count(), name.as_str()));
        if let Some(name) = last {
            let mut template = MapEntries::new();
            template.insert("Name".into(), Value::from(name.as_str()));
            template.insert(
                "BasePath".into(),
                Value::from(child_scope_path.base_path.as_str()),
            );
            child_scope.insert("Template".into(), Value::typed_map(values_type(), template));
        }
        subcharts.insert(child.name().into(), Value::map(child_scope));
    }
    next.insert("Subcharts".into(), Value::map(subcharts));

    out[idx].templates = chart_templates(c, &path);
    out[idx].scope = next.clone();
    next
}

/// A chart's path in template names: `top` or `top/charts/sub`.
fn chart_path(c: &Chart, parent_path: Option<&str>) -> String {
    match parent_path {
        None => c.name().to_string(),
        Some(p) => format!("{p}/charts/{}", c.name()),
    }
}

/// The templates a chart contributes (a library chart only its `_`
/// partials), by full name, with their text.
fn chart_templates(c: &Chart, path: &str) -> Vec<(String, Arc<str>)> {
    c.templates
        .iter()
        .filter(|t| !c.is_library() || base_name(&t.name).starts_with('_'))
        // Go templates are bytes: invalid ones are kept as marks (text
        // copies them to the output, literals read U+FFFD). One text per
        // file, shared by every render and the trees parsed from it.
        .map(|t: &File| (join(path, &t.name), t.data.template_text()))
        .collect()
}

/// Every template of the chart tree as [`chart_scopes`] names it, for a
/// chart whose dependencies are not processed yet: sub-charts that turn out
/// disabled or aliased name templates no render asks for.
pub fn all_templates(chart: &Chart) -> Vec<(String, Arc<str>)> {
    fn rec(c: &Chart, parent_path: Option<&str>, out: &mut Vec<(String, Arc<str>)>) {
        let path = chart_path(c, parent_path);
        out.extend(chart_templates(c, &path));
        for child in &c.dependencies {
            rec(child, Some(&path), out);
        }
    }
    let mut out = Vec::new();
    rec(chart, None, &mut out);
    out
}

fn base_name(p: &str) -> &str {
    p.trim_end_matches('/').rsplit('/').next().unwrap_or(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::FileData;

    #[test]
    fn scopes_narrow_values() {
        let mut sub = Chart::default();
        sub.metadata.name = "sub".into();
        sub.templates.push(File {
            name: "templates/a.yaml".into(),
            data: FileData::from(&b"a"[..]),
        });
        let mut c = Chart::default();
        c.metadata.name = "c".into();
        c.dependencies.push(sub);
        let vals = chartgen_yaml::parse_map(b"x: 1\nsub: {yy: 2}\n").unwrap();
        let top = render_values(
            &c,
            &vals,
            &ReleaseOptions::default(),
            &Capabilities::default(),
        );
        let scopes = chart_scopes(&c, &top);
        assert_eq!(scopes.len(), 2);
        assert_eq!(scopes[1].path, "c/charts/sub");
        assert_eq!(scopes[1].base_path, "c/charts/sub/templates");
        assert_eq!(scopes[1].templates[0].0, "c/charts/sub/templates/a.yaml");
        let v = &scopes[1].scope["Values"];
        assert_eq!(v.type_name(), "common.Values");
        assert_eq!(chartgen_yaml::to_json(v), r#"{"yy":2}"#);
        let subs = scopes[0].scope["Subcharts"].as_map().unwrap();
        let sv = &subs["sub"].as_map().unwrap()["Values"];
        assert_eq!(chartgen_yaml::to_json(sv), r#"{"yy":2}"#);
    }
}
