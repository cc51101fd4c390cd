//! Dictionary functions (sprig's dict.go) and mergo's merge rules.
//!
//! Go maps are references: `set`, `unset`, `merge` and `mergeOverwrite`
//! change the map they are given (and return it), visibly through every
//! value that shares it, as in Go.

use std::sync::{Arc, LazyLock};

use gotmpl::{FuncMap, FuncResult, Map, MapEntries, Type, Value};

use crate::util::{
    deep_copy_checked, empty, err, map_entries, map_val, reg, reg_var, s, str_val, strval, t_map,
    type_assertion, IFACE,
};

pub(crate) fn register(m: &mut FuncMap) {
    let st = || Type::String;
    reg(m, "get", vec![t_map(), st()], |a| {
        Ok(entries(&a[0])
            .get(s(&a[1]))
            .cloned()
            .unwrap_or_else(|| str_val("")))
    });
    reg(m, "set", vec![t_map(), st(), IFACE], |a| {
        if let Value::Map(d) = &a[0] {
            if d.is_nil() {
                return Err(err("assignment to entry in nil map"));
            }
            d.insert(s(&a[1]).into(), a[2].clone());
        }
        Ok(a[0].clone())
    });
    reg(m, "unset", vec![t_map(), st()], |a| {
        if let Value::Map(d) = &a[0] {
            d.remove(s(&a[1]));
        }
        Ok(a[0].clone())
    });
    reg(m, "hasKey", vec![t_map(), st()], |a| {
        Ok(Value::Bool(entries(&a[0]).contains_key(s(&a[1]))))
    });
    reg_var(m, "pluck", vec![st()], t_map(), |a| {
        let key = s(&a[0]);
        Ok(Value::grown_list(
            a[1..]
                .iter()
                .filter_map(|d| entries(d).get(key).cloned())
                .collect(),
        ))
    });
    reg_var(m, "keys", vec![], t_map(), |a| {
        let keys: Vec<Value> = a
            .iter()
            .flat_map(|d| {
                entries(d)
                    .keys()
                    .map(|k| Value::String(k.clone()))
                    .collect::<Vec<_>>()
            })
            .collect();
        // Appended one by one to `[]string{}`.
        let cap = gotmpl::goslice::grown_cap(keys.len(), gotmpl::goslice::Elem::STRING);
        Ok(Value::typed_list_with_cap(Type::String, keys, cap))
    });
    reg_var(m, "pick", vec![t_map()], st(), |a| {
        let d = entries(&a[0]);
        let mut out = MapEntries::new();
        for k in &a[1..] {
            if let Some((k, v)) = d.get_key_value(s(k)) {
                out.insert(k.clone(), v.clone());
            }
        }
        Ok(map_val(out))
    });
    reg_var(m, "omit", vec![t_map()], st(), |a| {
        let omit: Vec<&str> = a[1..].iter().map(s).collect();
        Ok(map_val(
            entries(&a[0])
                .iter()
                .filter(|(k, _)| !omit.contains(&&***k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ))
    });
    reg_var(m, "dict", vec![], IFACE, |a| {
        let mut out = MapEntries::new();
        for pair in a.chunks(2) {
            // A string key is shared, not copied.
            let key: gotmpl::Str = match &pair[0] {
                Value::String(k) => k.clone(),
                k => strval(k).into(),
            };
            let v = pair.get(1).cloned().unwrap_or_else(|| str_val(""));
            out.insert(key, v);
        }
        Ok(map_val(out))
    });
    for (name, overwrite) in [
        ("merge", false),
        ("mustMerge", false),
        ("mergeOverwrite", true),
        ("mustMergeOverwrite", true),
    ] {
        reg_var(m, name, vec![t_map()], t_map(), move |a| {
            // mergo recurses forever into a map that contains itself.
            if a[1..].iter().any(Value::has_cycle) {
                return Err(err("cannot merge a map that contains itself"));
            }
            let mut dst = a[0].clone();
            for src in &a[1..] {
                // mergo makes a nil destination map the first time a source
                // map that is not nil is merged into it.
                if let (Value::Map(d), Value::Map(src)) = (&dst, src) {
                    if d.is_nil() && !src.is_nil() {
                        dst = Value::typed_map(d.ty.clone(), MapEntries::new());
                    }
                }
                if let Value::Map(d) = &dst {
                    // reflect's panic when a value does not fit a typed
                    // map ends the call, merge or mustMerge alike.
                    merge_into(d, &entries(src), &Type::Interface, overwrite).map_err(err)?;
                }
            }
            Ok(dst)
        });
    }
    reg(m, "values", vec![t_map()], |a| {
        Ok(Value::grown_list(
            entries(&a[0]).values().cloned().collect(),
        ))
    });
    for name in ["deepCopy", "mustDeepCopy"] {
        reg(m, name, vec![IFACE], |a| {
            if a[0].is_nil_interface() {
                return Err(err("reflect: call of reflect.Value.Type on zero Value"));
            }
            // copystructure never finishes copying a map that contains itself.
            deep_copy_checked(&a[0]).ok_or_else(|| err("cannot copy a map that contains itself"))
        });
    }
    reg_var(m, "dig", vec![], IFACE, dig);
}

/// A snapshot of a map argument's entries (empty for anything else).
fn entries(v: &Value) -> Arc<MapEntries> {
    static EMPTY: LazyLock<Arc<MapEntries>> = LazyLock::new(Default::default);
    map_entries(v).unwrap_or_else(|| EMPTY.clone())
}

/// Whether `v` is exactly a `map[string]interface {}` (a Go type assertion).
fn is_plain_map(v: &Value) -> bool {
    matches!(v, Value::Map(m) if m.ty == Type::map_of(Type::Interface))
}

fn dig(ps: &[Value]) -> FuncResult {
    if ps.len() < 3 {
        return Err(err("dig needs at least three arguments"));
    }
    let dict = &ps[ps.len() - 1];
    if !is_plain_map(dict) {
        return Err(type_assertion(dict, "map[string]interface {}"));
    }
    let def = &ps[ps.len() - 2];
    let mut keys = Vec::with_capacity(ps.len() - 2);
    for k in &ps[..ps.len() - 2] {
        match k {
            Value::String(k) => keys.push(k.clone()),
            // Map keys are text: a key that is not UTF-8 is its runes.
            Value::Bytes(b) => keys.push(b.runes().into()),
            other => return Err(type_assertion(other, "string")),
        }
    }
    let mut cur = dict.clone();
    for (n, k) in keys.iter().enumerate() {
        let Some(step) = entries(&cur).get(&**k).cloned() else {
            return Ok(def.clone());
        };
        if n == keys.len() - 1 {
            return Ok(step);
        }
        if !is_plain_map(&step) {
            return Err(type_assertion(&step, "map[string]interface {}"));
        }
        cur = step;
    }
    Ok(def.clone())
}

/// mergo's `deepMerge` of `src` (a map whose values are of type `src_elem`)
/// into the map `dst` (`Merge`, or with `overwrite` `MergeWithOverwrite`).
/// `dst` is changed in place, nested maps included, as mergo does. A value
/// that does not fit a typed `dst` (an `interface {}` into a
/// `map[string]string`, such as `.Chart.Annotations`) is reflect's panic,
/// given as the error.
pub fn merge_into(
    dst: &Map,
    src: &MapEntries,
    src_elem: &Type,
    overwrite: bool,
) -> Result<(), String> {
    let dst_elem = match &dst.ty {
        Type::Map { elem, .. } => (**elem).clone(),
        _ => Type::Interface,
    };
    let set = |k: &gotmpl::Str, v: &Value| -> Result<(), String> {
        if dst_elem != Type::Interface && *src_elem != dst_elem {
            return Err(format!(
                "reflect.Value.SetMapIndex: value of type {src_elem} is not assignable to type {dst_elem}"
            ));
        }
        dst.insert(k.clone(), v.clone());
        Ok(())
    };
    for (k, sv) in src {
        let dv = dst.get(k);
        if sv.is_nil_interface() {
            if overwrite {
                set(k, &Value::Nil)?;
            }
            continue;
        }
        let d_nonempty = dv.as_ref().is_some_and(|d| !empty(d));
        match (sv, &dv) {
            (Value::Map(sm), Some(Value::Map(dm))) => {
                // Merged in place into dst's own map, which keeps its type;
                // mergo then looks at it again, merged.
                let sm_elem = match &sm.ty {
                    Type::Map { elem, .. } => (**elem).clone(),
                    _ => Type::Interface,
                };
                merge_into(dm, &sm.entries(), &sm_elem, overwrite)?;
                if !dm.is_empty() {
                    continue;
                }
            }
            (Value::List(_), _) if d_nonempty && !overwrite => continue,
            _ => {}
        }
        if overwrite || dv.is_none() || !d_nonempty {
            set(k, sv)?;
        }
    }
    Ok(())
}
