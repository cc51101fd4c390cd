//! helm's values coalescing (`pkg/chart/common/util/coalesce.go`): chart
//! defaults under user values, each sub-chart's defaults under what its
//! parent gives it (`parent.values[sub]`), `global` copied down into every
//! sub-chart (the parent's globals win), `null` deleting a default (and kept
//! as a null where helm keeps it), tables merged, scalars and lists replaced,
//! and helm's warnings for type conflicts (`warning: skipped value for c.s:
//! Not a table.`), which [`Warnings`] collects in the form helm's logger
//! prints them.

use gotmpl::{MapEntries, Str, Value};

use crate::chart::Chart;

/// Log lines helm would print on stderr, in order, in its slog text format
/// (`level=INFO msg="warning: …"`, `level=WARN msg="…" key=value`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Warnings(pub Vec<String>);

impl Warnings {
    pub fn new() -> Warnings {
        Warnings::default()
    }

    /// A `log.Printf` line (helm bridges the standard logger into slog at INFO).
    pub fn printf(&mut self, msg: String) {
        self.0.push(format!("level=INFO msg={}", slog_value(&msg)));
    }

    /// A `slog.Info(msg, k, v, …)` line.
    pub fn info(&mut self, msg: &str, attrs: &[(&str, &str)]) {
        self.log_line("INFO", msg, attrs);
    }

    /// A `slog.Warn(msg, k, v, …)` line.
    pub fn warn(&mut self, msg: &str, attrs: &[(&str, &str)]) {
        self.log_line("WARN", msg, attrs);
    }

    fn log_line(&mut self, level: &str, msg: &str, attrs: &[(&str, &str)]) {
        let mut line = format!("level={level} msg={}", slog_value(msg));
        for (k, v) in attrs {
            line.push(' ');
            line.push_str(k);
            line.push('=');
            line.push_str(&slog_value(v));
        }
        self.0.push(line);
    }

    /// Everything as helm prints it on stderr (one line each).
    pub fn render(&self) -> String {
        let mut s = String::new();
        for l in &self.0 {
            s.push_str(l);
            s.push('\n');
        }
        s
    }
}

/// slog's text handler value formatting: quoted (Go `strconv.Quote`) when needed.
pub fn slog_value(s: &str) -> String {
    let needs = s.is_empty()
        || s.chars().any(|c| {
            if (c as u32) < 0x80 {
                c == ' ' || c == '=' || c == '"' || (c as u32) < 0x20 || c as u32 == 0x7F
            } else {
                c == '\u{FFFD}' || c.is_whitespace() || c.is_control()
            }
        });
    if needs {
        gotmpl::strconv::quote(s)
    } else {
        s.to_string()
    }
}

fn concat_prefix(a: &str, b: &str) -> String {
    if a.is_empty() {
        b.to_string()
    } else {
        format!("{a}.{b}")
    }
}

fn is_table(v: &Value) -> bool {
    matches!(v, Value::Map(_))
}

fn is_nil(v: &Value) -> bool {
    matches!(v, Value::Nil | Value::Invalid)
}

fn entries(v: &Value) -> MapEntries {
    v.as_map().map(|m| (*m).clone()).unwrap_or_default()
}

/// Go's `%v` of a value (for warning texts).
fn go_v(v: &Value) -> String {
    gotmpl::gofmt::sprint(std::slice::from_ref(v))
}

/// An error from coalescing (a sub-chart's key holding a non-table).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CoalesceError(pub String);

impl std::fmt::Display for CoalesceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CoalesceError {}

/// helm's `CoalesceValues(chart, user)`.
pub fn coalesce_values(chart: &Chart, user: &Value) -> Result<Value, CoalesceError> {
    coalesce_values_logged(chart, user, &mut Warnings::new())
}

/// [`coalesce_values`], collecting helm's warnings.
pub fn coalesce_values_logged(
    chart: &Chart,
    user: &Value,
    log: &mut Warnings,
) -> Result<Value, CoalesceError> {
    let mut dest = entries(user);
    coalesce(log, chart, &mut dest, "", false)?;
    Ok(Value::map(dest))
}

/// helm's `MergeValues(chart, user)`: like coalescing, but nulls are kept.
pub fn merge_values_logged(
    chart: &Chart,
    user: &Value,
    log: &mut Warnings,
) -> Result<Value, CoalesceError> {
    let mut dest = entries(user);
    coalesce(log, chart, &mut dest, "", true)?;
    Ok(Value::map(dest))
}

fn coalesce(
    log: &mut Warnings,
    ch: &Chart,
    dest: &mut MapEntries,
    prefix: &str,
    merge: bool,
) -> Result<(), CoalesceError> {
    coalesce_chart_values(log, ch, dest, prefix, merge);
    coalesce_deps(log, ch, dest, prefix, merge)
}

fn coalesce_deps(
    log: &mut Warnings,
    ch: &Chart,
    dest: &mut MapEntries,
    prefix: &str,
    merge: bool,
) -> Result<(), CoalesceError> {
    for sub in &ch.dependencies {
        let name: Str = sub.name().into();
        match dest.get(&name) {
            None => {
                dest.insert(name.clone(), Value::map(MapEntries::new()));
            }
            Some(c) if !is_table(c) => {
                return Err(CoalesceError(format!(
                    "type mismatch on {}: {}",
                    sub.name(),
                    gotmpl::gofmt::sprintf("%t", std::slice::from_ref(c))
                )));
            }
            _ => {}
        }
        let mut dvmap = entries(&dest[&name]);
        let sub_prefix = concat_prefix(prefix, ch.name());
        coalesce_globals(log, &mut dvmap, dest, &sub_prefix);
        coalesce(log, sub, &mut dvmap, &sub_prefix, merge)?;
        dest.insert(name, Value::map(dvmap));
    }
    Ok(())
}

/// `coalesceGlobals`: the parent's `global` merged into the sub-chart's.
fn coalesce_globals(log: &mut Warnings, dest: &mut MapEntries, src: &MapEntries, prefix: &str) {
    let mut dg = match dest.get("global") {
        None => MapEntries::new(),
        Some(Value::Map(m)) => (*m.entries()).clone(),
        Some(_) => {
            log.printf(
                "warning: skipping globals because destination global is not a table.".into(),
            );
            return;
        }
    };
    let sg = match src.get("global") {
        None => MapEntries::new(),
        Some(Value::Map(m)) => (*m.entries()).clone(),
        Some(_) => {
            log.printf("warning: skipping globals because source global is not a table.".into());
            return;
        }
    };
    for (key, val) in &sg {
        if let Value::Map(vm) = val {
            let mut vv = (*vm.entries()).clone();
            match dg.get(key) {
                None => {
                    dg.insert(key.clone(), Value::map(vv));
                }
                Some(Value::Map(destv)) => {
                    let mut src2 = (*destv.entries()).clone();
                    let sub_prefix = concat_prefix(prefix, key);
                    coalesce_tables_full_key(log, &mut vv, &mut src2, &sub_prefix, true);
                    dg.insert(key.clone(), Value::map(vv));
                }
                Some(_) => {
                    log.printf(format!(
                        "Conflict: cannot merge map onto non-map for {}. Skipping.",
                        gotmpl::strconv::quote(key)
                    ));
                }
            }
        } else if dg.get(key).is_some_and(is_table) {
            log.printf(format!("key {key} is table. Skipping"));
        } else {
            dg.insert(key.clone(), val.clone());
        }
    }
    dest.insert("global".into(), Value::map(dg));
}

/// `coalesceValues`: the chart's own defaults under `v`.
fn coalesce_chart_values(
    log: &mut Warnings,
    ch: &Chart,
    v: &mut MapEntries,
    prefix: &str,
    merge: bool,
) {
    let sub_prefix = concat_prefix(prefix, ch.name());
    let vc = ch.values_map();
    for (key, val) in vc {
        match v.get(&key) {
            Some(value) => {
                if is_nil(value) && !merge {
                    v.remove(&key);
                } else if let Value::Map(dest) = value {
                    match &val {
                        Value::Map(src) => {
                            let merge = merge || ch.dependencies.iter().any(|s| *s.name() == *key);
                            let mut dest = (*dest.entries()).clone();
                            let mut src = (*src.entries()).clone();
                            coalesce_tables_full_key(
                                log,
                                &mut dest,
                                &mut src,
                                &concat_prefix(&sub_prefix, &key),
                                merge,
                            );
                            v.insert(key, Value::map(dest));
                        }
                        other => {
                            if !is_nil(other) {
                                log.printf(format!(
                                    "warning: skipped value for {sub_prefix}.{key}: Not a table."
                                ));
                            }
                        }
                    }
                }
            }
            None => {
                v.insert(key, val);
            }
        }
    }
}

/// helm's `CoalesceTables(dst, src)`: `dst` wins; nulls in `dst` delete.
pub fn coalesce_tables(dst: &MapEntries, src: &MapEntries, log: &mut Warnings) -> MapEntries {
    let mut d = dst.clone();
    let mut s = src.clone();
    coalesce_tables_full_key(log, &mut d, &mut s, "", false);
    d
}

/// helm's `MergeTables(dst, src)`: like [`coalesce_tables`], nulls kept.
pub fn merge_tables(dst: &MapEntries, src: &MapEntries, log: &mut Warnings) -> MapEntries {
    let mut d = dst.clone();
    let mut s = src.clone();
    coalesce_tables_full_key(log, &mut d, &mut s, "", true);
    d
}

fn coalesce_tables_full_key(
    log: &mut Warnings,
    dst: &mut MapEntries,
    src: &mut MapEntries,
    prefix: &str,
    merge: bool,
) {
    // Values nest up to 10000 deep (the YAML parser's limit).
    stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
        coalesce_tables_level(log, dst, src, prefix, merge)
    })
}

fn coalesce_tables_level(
    log: &mut Warnings,
    dst: &mut MapEntries,
    src: &mut MapEntries,
    prefix: &str,
    merge: bool,
) {
    let src_non_nil: Vec<Str> = src
        .iter()
        .filter(|(_, v)| !is_nil(v))
        .map(|(k, _)| k.clone())
        .collect();
    for (key, val) in dst.iter() {
        if is_nil(val) {
            src.insert(key.clone(), Value::Nil);
        }
    }
    for (key, val) in src.iter() {
        // Only for sub-tables and warnings (most keys need no name).
        let fullkey = || concat_prefix(prefix, key);
        let dv = dst.get(key).cloned();
        match dv {
            // (`src_non_nil` is in key order, as `src` is.)
            Some(ref d) if !merge && is_nil(d) && src_non_nil.binary_search(key).is_ok() => {
                dst.remove(key);
            }
            None => {
                dst.insert(key.clone(), val.clone());
            }
            Some(d) => {
                if let Value::Map(sm) = val {
                    if let Value::Map(dm) = &d {
                        let mut dm = (*dm.entries()).clone();
                        let mut sm = (*sm.entries()).clone();
                        coalesce_tables_full_key(log, &mut dm, &mut sm, &fullkey(), merge);
                        dst.insert(key.clone(), Value::map(dm));
                    } else {
                        log.printf(format!(
                            "warning: cannot overwrite table with non table for {} ({})",
                            fullkey(),
                            go_v(val)
                        ));
                    }
                } else if is_table(&d) && !is_nil(val) {
                    log.printf(format!(
                        "warning: destination for {} is a table. Ignoring non-table value ({})",
                        fullkey(),
                        go_v(val)
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(name: &str, values: &str, deps: Vec<Chart>) -> Chart {
        let mut c = Chart {
            values: chartgen_yaml::parse_values(values.as_bytes()).unwrap(),
            dependencies: deps,
            ..Default::default()
        };
        c.metadata.name = name.into();
        c
    }

    fn run(c: &Chart, user: &str) -> (String, Vec<String>) {
        let u = chartgen_yaml::parse_map(user.as_bytes()).unwrap();
        let mut log = Warnings::new();
        let v = coalesce_values_logged(c, &u, &mut log).unwrap();
        (chartgen_yaml::to_json(&v), log.0)
    }

    #[test]
    fn defaults_nulls_and_tables() {
        let c = chart("c", "a: {b: 1, c: 2}\nd: 1\ns: str\n", vec![]);
        let (v, log) = run(&c, "a: {b: null}\nd: null\nnew: null\ns: {x: 1}\n");
        assert_eq!(v, r#"{"a":{"c":2},"new":null,"s":{"x":1}}"#);
        assert_eq!(
            log,
            vec![r#"level=INFO msg="warning: skipped value for c.s: Not a table.""#]
        );
    }

    #[test]
    fn globals_and_subcharts() {
        let sub = chart("sub", "x: 1\nglobal: {g: sub, h: sub}\n", vec![]);
        let c = chart("c", "global: {g: parent}\nsub: {x: 2}\n", vec![sub]);
        let (v, _) = run(&c, "sub: {global: {h: user}}\n");
        assert_eq!(
            v,
            r#"{"global":{"g":"parent"},"sub":{"global":{"g":"parent","h":"user"},"x":2}}"#
        );
    }
}
