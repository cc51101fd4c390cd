//! List functions (sprig's list.go): Go's reflect-based slice handling, the
//! `must*` variants and the panics of the plain ones (both report the same
//! error text through the template's `error calling` wrapper).

use gotmpl::goslice::{append_cap, Elem};
use gotmpl::{FuncError, FuncMap, FuncResult, Type, Value};

use crate::util::{
    deep_equal, empty, err, go_f64_to_i64, i, kind_of_non_nil, list_items, reg, reg_var,
    strings_val, strval, t_int, to_int, IFACE,
};

/// The elements of a slice argument, or sprig's `fmt.Errorf(msg, kind)` error.
fn items<'a>(v: &'a Value, what: &str) -> Result<std::borrow::Cow<'a, [Value]>, FuncError> {
    let kind = kind_of_non_nil(v)?;
    list_items(v).ok_or_else(|| err(what.replace("%s", kind.name())))
}

fn list(items: Vec<Value>) -> Value {
    Value::list(items)
}

/// A `[]interface {}` sprig built by appending to an empty one, with the
/// capacity that leaves (which `slice` can reach).
fn grown(items: Vec<Value>) -> Value {
    Value::grown_list(items)
}

pub(crate) fn register(m: &mut FuncMap) {
    for name in ["list", "tuple"] {
        reg_var(m, name, vec![], IFACE, |a| Ok(list(a.to_vec())));
    }
    for name in ["append", "push", "mustAppend", "mustPush"] {
        reg(m, name, vec![IFACE, IFACE], |a| {
            let mut v = items(&a[0], "Cannot push on type %s")?.to_vec();
            // `append` to an exact-size copy: room past the new item.
            let cap = append_cap(v.len(), v.len() + 1, Elem::INTERFACE);
            v.push(a[1].clone());
            Ok(Value::typed_list_with_cap(Type::Interface, v, cap))
        });
    }
    for name in ["prepend", "mustPrepend"] {
        reg(m, name, vec![IFACE, IFACE], |a| {
            let l = items(&a[0], "Cannot prepend on type %s")?;
            let mut v = Vec::with_capacity(l.len() + 1);
            v.push(a[1].clone());
            v.extend_from_slice(&l);
            // The copy appended to a one-item literal.
            let cap = match l.len() {
                0 => 1,
                n => append_cap(1, n + 1, Elem::INTERFACE),
            };
            Ok(Value::typed_list_with_cap(Type::Interface, v, cap))
        });
    }
    for name in ["chunk", "mustChunk"] {
        reg(m, name, vec![t_int(), IFACE], |a| chunk(i(&a[0]), &a[1]));
    }
    for name in ["first", "mustFirst"] {
        reg(m, name, vec![IFACE], |a| {
            let l = items(&a[0], "Cannot find first on type %s")?;
            Ok(l.first().cloned().unwrap_or(Value::Nil))
        });
    }
    for name in ["last", "mustLast"] {
        reg(m, name, vec![IFACE], |a| {
            let l = items(&a[0], "Cannot find last on type %s")?;
            Ok(l.last().cloned().unwrap_or(Value::Nil))
        });
    }
    for name in ["rest", "mustRest"] {
        reg(m, name, vec![IFACE], |a| {
            let l = items(&a[0], "Cannot find rest on type %s")?;
            // sprig returns a nil slice for an empty list.
            if l.is_empty() {
                return Ok(Value::nil_list(Type::Interface));
            }
            Ok(list(l[1..].to_vec()))
        });
    }
    for name in ["initial", "mustInitial"] {
        reg(m, name, vec![IFACE], |a| {
            let l = items(&a[0], "Cannot find initial on type %s")?;
            if l.is_empty() {
                return Ok(Value::nil_list(Type::Interface));
            }
            Ok(list(l[..l.len() - 1].to_vec()))
        });
    }
    for name in ["reverse", "mustReverse"] {
        reg(m, name, vec![IFACE], |a| {
            let l = items(&a[0], "Cannot find reverse on type %s")?;
            Ok(list(l.iter().rev().cloned().collect()))
        });
    }
    for name in ["compact", "mustCompact"] {
        reg(m, name, vec![IFACE], |a| {
            let l = items(&a[0], "Cannot compact on type %s")?;
            Ok(grown(l.iter().filter(|v| !empty(v)).cloned().collect()))
        });
    }
    for name in ["uniq", "mustUniq"] {
        reg(m, name, vec![IFACE], |a| {
            let l = items(&a[0], "Cannot find uniq on type %s")?;
            let mut out: Vec<Value> = Vec::new();
            for v in l.iter() {
                if !out.iter().any(|o| deep_equal(v, o)) {
                    out.push(v.clone());
                }
            }
            Ok(grown(out))
        });
    }
    for name in ["without", "mustWithout"] {
        reg_var(m, name, vec![IFACE], IFACE, |a| {
            let l = items(&a[0], "Cannot find without on type %s")?;
            let omit = &a[1..];
            Ok(grown(
                l.iter()
                    .filter(|v| !omit.iter().any(|o| deep_equal(v, o)))
                    .cloned()
                    .collect(),
            ))
        });
    }
    for name in ["has", "mustHas"] {
        reg(m, name, vec![IFACE, IFACE], |a| {
            if a[1].is_nil_interface() {
                return Ok(Value::Bool(false));
            }
            let l = items(&a[1], "Cannot find has on type %s")?;
            Ok(Value::Bool(l.iter().any(|v| deep_equal(&a[0], v))))
        });
    }
    for name in ["slice", "mustSlice"] {
        reg_var(m, name, vec![IFACE], IFACE, slice);
    }
    reg_var(m, "concat", vec![], IFACE, |a| {
        let mut out = Vec::new();
        for l in a {
            let kind = kind_of_non_nil(l)?;
            match list_items(l) {
                Some(items) => out.extend_from_slice(&items),
                None => {
                    return Err(err(format!("Cannot concat type {} as list", kind.name())));
                }
            }
        }
        // sprig appends to a nil slice: nil while no list had items.
        if out.is_empty() {
            return Ok(Value::nil_list(Type::Interface));
        }
        Ok(grown(out))
    });
    reg(m, "sortAlpha", vec![IFACE], |a| {
        if crate::conversion::is_nil_strings(&a[0]) {
            return Ok(a[0].clone());
        }
        Ok(match &*a[0].underlying() {
            Value::List(list) => {
                let mut v = crate::conversion::strslice_values(&Value::List(list.clone()));
                v.sort_by(|x, y| x.as_bytes().cmp(&y.as_bytes()));
                // A `[]string` is sorted as it is (its room kept); any other
                // list is copied into `make([]string, 0, len)` (nils
                // skipped, their room left).
                let plain_strings = matches!(
                    &list.ty,
                    Type::Slice { elem, name: None } if **elem == Type::String
                );
                if plain_strings {
                    Value::List(std::sync::Arc::new(gotmpl::List {
                        ty: list.ty.clone(),
                        items: v,
                        nil: list.nil,
                        spare: list.spare.clone(),
                    }))
                } else {
                    Value::typed_list_with_cap(Type::String, v, list.items.len())
                }
            }
            v => strings_val(vec![strval(v)]),
        })
    });
}

fn makeslice_err() -> FuncError {
    err("runtime error: makeslice: len out of range")
}

fn chunk(size: i64, v: &Value) -> FuncResult {
    let l = items(v, "Cannot chunk type %s")?;
    let n = l.len() as i64;
    let cs = go_f64_to_i64(((n - 1) as f64 / size as f64).floor() + 1.0);
    if cs < 0 {
        return Err(makeslice_err());
    }
    if cs as usize > crate::util::MAX_LIST_LEN {
        return Err(err(format!(
            "chunk: {cs} chunks exceed chartgen's limit of {}",
            crate::util::MAX_LIST_LEN
        )));
    }
    let mut out = Vec::with_capacity(cs as usize);
    for c in 0..cs {
        let mut clen = size;
        if c == cs - 1 {
            clen = go_f64_to_i64((n as f64 % size as f64).floor());
            if clen == 0 {
                clen = size;
            }
        }
        if clen < 0 {
            return Err(makeslice_err());
        }
        let mut part = Vec::with_capacity(clen.min(n) as usize);
        for j in 0..clen {
            let ix = c * size + j;
            match usize::try_from(ix).ok().and_then(|ix| l.get(ix)) {
                Some(v) => part.push(v.clone()),
                None => return Err(err("reflect: slice index out of range")),
            }
        }
        out.push(Value::list(part));
    }
    Ok(Value::typed_list(Type::slice_of(Type::Interface), out))
}

fn slice(a: &[Value]) -> FuncResult {
    let kind = kind_of_non_nil(&a[0])?;
    let list = a[0].underlying();
    let Value::List(l) = &*list else {
        return Err(err(format!(
            "list should be type of slice or array but {}",
            kind.name()
        )));
    };
    let n = l.items.len();
    if n == 0 {
        return Ok(Value::Nil);
    }
    let idx = &a[1..];
    let start = idx.first().map(to_int).unwrap_or(0);
    let end = if idx.len() < 2 {
        n as i64
    } else {
        to_int(&idx[1])
    };
    // reflect's Slice: up to the capacity, past the length.
    if start < 0 || end < start || end as u64 > l.cap() as u64 {
        return Err(err("reflect.Value.Slice: slice index out of bounds"));
    }
    Ok(Value::List(std::sync::Arc::new(l.cut(
        start as usize,
        end as usize,
        None,
    ))))
}
