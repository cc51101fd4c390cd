//! Type conversions: `atoi`, `int`, `int64`, `float64`, `toDecimal`,
//! `toString`, `toStrings`, with spf13/cast's rules (errors become zero).

use gotmpl::{FuncMap, Type, Value};

use crate::util::{
    atoi, parse_int, reg, s, sprint, strings_val, strval, strval_value, to_float64, to_int,
    to_int64, IFACE,
};

pub(crate) fn register(m: &mut FuncMap) {
    reg(m, "atoi", vec![Type::String], |a| {
        Ok(Value::int(atoi(s(&a[0]))))
    });
    reg(m, "int", vec![IFACE], |a| Ok(Value::int(to_int(&a[0]))));
    reg(m, "int64", vec![IFACE], |a| {
        Ok(Value::int64(to_int64(&a[0])))
    });
    reg(m, "float64", vec![IFACE], |a| {
        Ok(Value::Float(to_float64(&a[0])))
    });
    reg(m, "toDecimal", vec![IFACE], |a| {
        Ok(Value::int64(parse_int(&sprint(&a[0]), 8, 64).unwrap_or(0)))
    });
    reg(m, "toString", vec![IFACE], |a| Ok(strval_value(&a[0])));
    reg(m, "toStrings", vec![IFACE], |a| {
        if is_nil_strings(&a[0]) {
            return Ok(a[0].clone());
        }
        Ok(strings_val(strslice(&a[0])))
    });
}

/// Whether `v` is a nil `[]string`, which sprig's `strslice` returns as it is
/// (a `[]string` is not copied), so that it stays `null` to the encoders.
pub fn is_nil_strings(v: &Value) -> bool {
    matches!(v, Value::List(l) if l.nil && l.ty == Type::slice_of(Type::String))
}

/// sprig's `strslice`: a list's non-nil elements through `strval`; a nil
/// gives an empty list, any other value a one-element list.
/// [`strslice`] as Go strings (their bytes kept).
pub fn strslice_values(v: &Value) -> Vec<Value> {
    match v {
        Value::List(l) => l
            .items
            .iter()
            .filter(|x| !x.is_nil_interface())
            .map(strval_value)
            .collect(),
        Value::Nil | Value::Invalid => Vec::new(),
        Value::Object(o) if o.underlying().is_some() => strslice_values(&v.underlying()),
        v => vec![strval_value(v)],
    }
}

pub fn strslice(v: &Value) -> Vec<String> {
    match v {
        Value::List(l) => l
            .items
            .iter()
            .filter(|x| !x.is_nil_interface())
            .map(strval)
            .collect(),
        Value::Nil | Value::Invalid => Vec::new(),
        Value::Object(o) if o.underlying().is_some() => strslice(&v.underlying()),
        v => vec![strval(v)],
    }
}
