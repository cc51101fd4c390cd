//! Shared helpers: the Go conversions sprig relies on (its `strval`, the
//! `spf13/cast` casts, `strconv` parsing), Go's `reflect.DeepEqual` and
//! sprig's `empty`, Go runtime panic texts, and small registration helpers.
//!
//! Everything here is `pub` so that every sprig module can share it.

use std::fmt;
use std::sync::Arc;

use gotmpl::{
    gofmt, Call, FuncError, FuncMap, FuncResult, Function, IntKind, Kind, MapEntries, Type, Value,
};

/// Largest list a function may build (`until`, `untilStep`, `seq`, `chunk`).
/// Go would try to allocate any size; we refuse beyond this with an error.
pub const MAX_LIST_LEN: usize = 10_000_000;

/// Largest string a function may build (`repeat`, `indent`, …), in bytes.
pub const MAX_STRING_LEN: usize = 256 << 20;

/// A plain error message, reported by the executor as `error calling NAME: MSG`.
#[derive(Debug)]
pub struct GoError(pub String);

impl fmt::Display for GoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for GoError {}

/// An error with Go's message text.
pub fn err(msg: impl Into<String>) -> FuncError {
    Box::new(GoError(msg.into()))
}

/// Go's runtime panic for a nil dereference (e.g. `reflect.TypeOf(nil).Kind()`).
pub fn nil_deref() -> FuncError {
    err("runtime error: invalid memory address or nil pointer dereference")
}

/// Go's `interface conversion: interface {} is X, not WANT` panic of a type assertion.
pub fn type_assertion(v: &Value, want: &str) -> FuncError {
    let got = match v.go_type() {
        Some(t) => t.to_string(),
        None => "nil".to_string(),
    };
    err(format!(
        "interface conversion: interface {{}} is {got}, not {want}"
    ))
}

/// Go's runtime error for `s[lo:hi]` (`hi` absent: `s[lo:]`) on a string or
/// slice of length `len`; `None` when in range.
pub fn slice_bounds(lo: i64, hi: Option<i64>, len: usize) -> Option<FuncError> {
    let len = len as i64;
    let h = hi.unwrap_or(len);
    if hi.is_some() {
        if h < 0 {
            return Some(err(format!(
                "runtime error: slice bounds out of range [:{h}]"
            )));
        }
        if h > len {
            return Some(err(format!(
                "runtime error: slice bounds out of range [:{h}] with length {len}"
            )));
        }
    }
    if lo < 0 {
        return Some(err(format!(
            "runtime error: slice bounds out of range [{lo}:]"
        )));
    }
    if lo > h {
        return Some(err(format!(
            "runtime error: slice bounds out of range [{lo}:{h}]"
        )));
    }
    None
}

/// The byte range `s[lo..hi]` of a Go string (a cut inside a UTF-8
/// sequence leaves its bytes, as in Go).
pub fn byte_slice(s: &[u8], lo: usize, hi: usize) -> Value {
    Value::from_bytes(s[lo..hi].to_vec())
}

// ---------------------------------------------------------------------------
// Registration helpers

/// `Type::Interface`.
pub const IFACE: Type = Type::Interface;

/// Go's `int`.
pub fn t_int() -> Type {
    Type::Int(IntKind::Int)
}

/// `map[string]interface {}`.
pub fn t_map() -> Type {
    Type::map_of(Type::Interface)
}

/// `[]string`.
pub fn t_strings() -> Type {
    Type::slice_of(Type::String)
}

/// Registers a function with fixed parameters.
pub fn reg<F>(m: &mut FuncMap, name: &str, params: Vec<Type>, f: F)
where
    F: Fn(&[Value]) -> FuncResult + Send + Sync + 'static,
{
    m.insert(name, Function::new(params, move |_: &mut Call<'_>, a| f(a)));
}

/// Registers a function with fixed parameters and a trailing `...elem`.
pub fn reg_var<F>(m: &mut FuncMap, name: &str, params: Vec<Type>, elem: Type, f: F)
where
    F: Fn(&[Value]) -> FuncResult + Send + Sync + 'static,
{
    m.insert(
        name,
        Function::variadic(params, elem, move |_: &mut Call<'_>, a| f(a)),
    );
}

/// Calls `f` with every byte-string argument as marked text
/// ([`gotmpl::gostr::marked`]) and turns the marks in a string result back
/// into bytes: Go's byte-transparent `strings` functions (trim, replace,
/// contains, ...) then keep invalid bytes as Go does.
pub fn through_marks(a: &[Value], f: impl Fn(&[Value]) -> FuncResult) -> FuncResult {
    if !a.iter().any(|v| matches!(v, Value::Bytes(_))) {
        return f(a);
    }
    let marked: Vec<Value> = a
        .iter()
        .map(|v| match v {
            Value::Bytes(b) => Value::from(gotmpl::gostr::marked(b.as_bytes()).into_owned()),
            v => v.clone(),
        })
        .collect();
    Ok(match f(&marked)? {
        Value::String(s) => gotmpl::gostr::unmarked(&s),
        Value::List(l) if l.items.iter().any(|x| matches!(x, Value::String(_))) => {
            Value::List(Arc::new(gotmpl::List {
                ty: l.ty.clone(),
                items: l
                    .items
                    .iter()
                    .map(|x| match x {
                        Value::String(s) => gotmpl::gostr::unmarked(s),
                        x => x.clone(),
                    })
                    .collect(),
                nil: l.nil,
                spare: l.spare.clone(),
            }))
        }
        // `split`/`splitn`'s map[string]string of parts.
        Value::Map(m) => {
            let entries = map_entries(&Value::Map(m.clone())).unwrap_or_default();
            Value::typed_map(
                m.ty.clone(),
                entries
                    .iter()
                    .map(|(k, x)| {
                        let x = match x {
                            Value::String(s) => gotmpl::gostr::unmarked(s),
                            x => x.clone(),
                        };
                        (k.clone(), x)
                    })
                    .collect(),
            )
        }
        v => v,
    })
}

/// [`reg`] of a byte-transparent function (see [`through_marks`]).
pub fn reg_marked<F>(m: &mut FuncMap, name: &str, params: Vec<Type>, f: F)
where
    F: Fn(&[Value]) -> FuncResult + Send + Sync + 'static,
{
    reg(m, name, params, move |a| through_marks(a, &f));
}

/// [`reg_var`] of a byte-transparent function (see [`through_marks`]).
pub fn reg_var_marked<F>(m: &mut FuncMap, name: &str, params: Vec<Type>, elem: Type, f: F)
where
    F: Fn(&[Value]) -> FuncResult + Send + Sync + 'static,
{
    reg_var(m, name, params, elem, move |a| through_marks(a, &f));
}

/// The string in a `string`-typed argument.
pub fn s(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

/// The bytes of a `string`-typed argument (Go strings may be invalid UTF-8).
pub fn b(v: &Value) -> &[u8] {
    v.as_bytes().unwrap_or_default()
}

/// A Go `string` result made of arbitrary bytes.
pub fn bytes_val(b: Vec<u8>) -> Value {
    Value::from_bytes(b)
}

/// The integer in an integer-typed argument.
pub fn i(v: &Value) -> i64 {
    match v {
        Value::Int(i, _) => *i,
        Value::Uint(u, _) => *u as i64,
        _ => 0,
    }
}

/// The float in a `float64`-typed argument.
pub fn f(v: &Value) -> f64 {
    match v {
        Value::Float(f) => *f,
        _ => 0.0,
    }
}

/// A Go `string` result.
pub fn str_val(s: impl Into<String>) -> Value {
    Value::from(s.into())
}

/// A `[]string` result.
pub fn strings_val(items: Vec<String>) -> Value {
    Value::typed_list(Type::String, items.into_iter().map(Value::from).collect())
}

/// A `map[string]interface {}` result.
pub fn map_val(entries: MapEntries) -> Value {
    Value::map(entries)
}

// ---------------------------------------------------------------------------
// Go value helpers

/// The elements of a slice or array value (`None` for other kinds).
pub fn list_items(v: &Value) -> Option<std::borrow::Cow<'_, [Value]>> {
    match v {
        Value::List(l) => Some(std::borrow::Cow::Borrowed(&l.items[..])),
        // A named slice type with methods (helm's `common.VersionSet`).
        Value::Object(o) => match o.underlying() {
            Some(Value::List(l)) => Some(std::borrow::Cow::Owned(l.items.clone())),
            _ => None,
        },
        _ => None,
    }
}

/// A snapshot of a map value's entries (`None` for other kinds).
pub fn map_entries(v: &Value) -> Option<Arc<MapEntries>> {
    match v {
        Value::Map(m) => Some(m.entries()),
        _ => None,
    }
}

/// `reflect.TypeOf(v).Kind()`, panicking (as a Go runtime error) on nil.
pub fn kind_of_non_nil(v: &Value) -> Result<Kind, FuncError> {
    if v.is_nil_interface() {
        return Err(nil_deref());
    }
    Ok(v.kind())
}

/// sprig's `strval`: strings as is, `String()`/`Error()` for objects that
/// have them, else `fmt.Sprintf("%v", v)`.
pub fn strval(v: &Value) -> String {
    match v {
        Value::String(s) => s.to_string(),
        // A byte string's runes; [`strval_value`] keeps its bytes.
        Value::Bytes(b) => b.runes().to_string(),
        // `case []byte: return string(v)` (the unnamed type only).
        Value::List(l)
            if matches!(&l.ty, Type::Slice { elem, name: None }
                if matches!(**elem, Type::Uint(gotmpl::UintKind::Uint8))) =>
        {
            let b: Vec<u8> = l
                .items
                .iter()
                .map(|x| match x {
                    Value::Uint(u, _) => *u as u8,
                    _ => 0,
                })
                .collect();
            String::from_utf8_lossy(&b).into_owned()
        }
        _ => gofmt::sprintf("%v", std::slice::from_ref(v)),
    }
}

/// [`strval`] as a Go string, keeping the bytes of strings and `[]byte`s.
pub fn strval_value(v: &Value) -> Value {
    match v {
        Value::String(_) | Value::Bytes(_) => v.clone(),
        Value::List(l)
            if matches!(&l.ty, Type::Slice { elem, name: None }
                if matches!(**elem, Type::Uint(gotmpl::UintKind::Uint8))) =>
        {
            Value::from_bytes(
                l.items
                    .iter()
                    .map(|x| match x {
                        Value::Uint(u, _) => *u as u8,
                        _ => 0,
                    })
                    .collect(),
            )
        }
        _ => gofmt::sprintf_value("%v", std::slice::from_ref(v)),
    }
}

/// `fmt.Sprint(v)` of one value.
pub fn sprint(v: &Value) -> String {
    gofmt::sprint(std::slice::from_ref(v))
}

/// Go's conversion `int64(f)` of a float64 on amd64: NaN and out-of-range
/// values give the "integer indefinite" value, math.MinInt64.
pub fn go_f64_to_i64(f: f64) -> i64 {
    // 2^63 as f64: the first value past i64::MAX.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if f.is_nan() || !(-LIMIT..LIMIT).contains(&f) {
        i64::MIN
    } else {
        f as i64
    }
}

/// cast's `toInt`, which takes `time.Month` and `time.Weekday` for ints
/// (not `time.Duration`, nor other named integer types).
fn cast_named_int(v: &Value) -> Option<i64> {
    match v {
        Value::Object(o)
            if matches!(&o.go_type(), Type::Other { name, .. }
                if &**name == "time.Month" || &**name == "time.Weekday") =>
        {
            o.integer()
        }
        _ => None,
    }
}

/// spf13/cast's `ToInt64` (errors give 0); `ToInt` is the same on 64-bit.
pub fn to_int64(v: &Value) -> i64 {
    if let Some(n) = cast_named_int(v) {
        return n;
    }
    match v {
        Value::Int(i, _) => *i,
        Value::Uint(u, _) => *u as i64,
        Value::Float(f) => go_f64_to_i64(*f),
        Value::String(s) => parse_int(trim_zero_decimal(s), 0, 64).unwrap_or(0),
        Value::Bool(b) => i64::from(*b),
        _ => 0,
    }
}

/// spf13/cast's `ToInt`.
pub fn to_int(v: &Value) -> i64 {
    to_int64(v)
}

/// spf13/cast's `ToFloat64` (errors give 0).
pub fn to_float64(v: &Value) -> f64 {
    if let Some(n) = cast_named_int(v) {
        return n as f64;
    }
    match v {
        Value::Int(i, _) => *i as f64,
        Value::Uint(u, _) => *u as f64,
        Value::Float(f) => *f,
        Value::String(s) => parse_float(s).unwrap_or(0.0),
        Value::Bool(true) => 1.0,
        _ => 0.0,
    }
}

/// spf13/cast's `ToString` (errors give "").
pub fn cast_to_string(v: &Value) -> String {
    match v {
        Value::String(s) => s.to_string(),
        Value::Bytes(b) => b.runes().to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Float(f) => gotmpl::strconv::format_float(*f, b'f', -1, 64),
        Value::Int(i, _) => i.to_string(),
        Value::Uint(u, _) => u.to_string(),
        // A pointer method is not a copy's (not a `fmt.Stringer` then).
        Value::Object(o) if o.stringer_on_pointer() => String::new(),
        Value::Object(o) => o.go_string().unwrap_or_default(),
        _ => String::new(),
    }
}

/// spf13/cast's `trimZeroDecimal`: "12.000" → "12".
pub fn trim_zero_decimal(s: &str) -> &str {
    let b = s.as_bytes();
    let mut found_zero = false;
    let mut i = b.len();
    while i > 0 {
        match b[i - 1] {
            b'.' => {
                if found_zero {
                    return &s[..i - 1];
                }
            }
            b'0' => found_zero = true,
            _ => return s,
        }
        i -= 1;
    }
    s
}

/// Errors of Go's `strconv` number parsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumError {
    Syntax,
    /// Out of range; carries the clamped value Go returns with the error.
    Range(i64),
}

fn lower(c: u8) -> u8 {
    c | 0x20
}

/// Go's `strconv.ParseUint`.
pub fn parse_uint(s0: &str, base: u32, bits: u32) -> Result<u64, NumError> {
    if s0.is_empty() {
        return Err(NumError::Syntax);
    }
    let base0 = base == 0;
    let mut s = s0.as_bytes();
    let mut base = base;
    if base == 0 {
        base = 10;
        if s[0] == b'0' {
            if s.len() >= 3 && lower(s[1]) == b'b' {
                base = 2;
                s = &s[2..];
            } else if s.len() >= 3 && lower(s[1]) == b'o' {
                base = 8;
                s = &s[2..];
            } else if s.len() >= 3 && lower(s[1]) == b'x' {
                base = 16;
                s = &s[2..];
            } else {
                base = 8;
                s = &s[1..];
            }
        }
    } else if !(2..=36).contains(&base) {
        return Err(NumError::Syntax);
    }
    let max_val: u64 = if bits >= 64 {
        u64::MAX
    } else {
        (1u64 << bits) - 1
    };
    let cutoff = u64::MAX / base as u64 + 1;
    let mut underscores = false;
    let mut n: u64 = 0;
    for &c in s {
        let d = match c {
            b'_' if base0 => {
                underscores = true;
                continue;
            }
            b'0'..=b'9' => c - b'0',
            _ if lower(c).is_ascii_lowercase() => lower(c) - b'a' + 10,
            _ => return Err(NumError::Syntax),
        };
        if d as u32 >= base {
            return Err(NumError::Syntax);
        }
        if n >= cutoff {
            return Err(NumError::Range(max_val as i64));
        }
        n *= base as u64;
        let n1 = n.wrapping_add(d as u64);
        if n1 < n || n1 > max_val {
            return Err(NumError::Range(max_val as i64));
        }
        n = n1;
    }
    if underscores && !gotmpl::strconv::underscore_ok(s0) {
        return Err(NumError::Syntax);
    }
    Ok(n)
}

/// Go's `strconv.ParseInt`; a range error carries Go's clamped value.
pub fn parse_int(s: &str, base: u32, bits: u32) -> Result<i64, NumError> {
    if s.is_empty() {
        return Err(NumError::Syntax);
    }
    let (neg, body) = match s.as_bytes()[0] {
        b'+' => (false, &s[1..]),
        b'-' => (true, &s[1..]),
        _ => (false, s),
    };
    let bits = if bits == 0 { 64 } else { bits };
    let cutoff = 1u64 << (bits - 1);
    let un = match parse_uint(body, base, bits) {
        Ok(u) => u,
        Err(NumError::Range(_)) => {
            return Err(NumError::Range(if neg {
                -(cutoff as i128) as i64
            } else {
                (cutoff - 1) as i64
            }))
        }
        Err(e) => return Err(e),
    };
    if !neg && un >= cutoff {
        return Err(NumError::Range((cutoff - 1) as i64));
    }
    if neg && un > cutoff {
        return Err(NumError::Range(-(cutoff as i128) as i64));
    }
    Ok(if neg {
        (un as i128).wrapping_neg() as i64
    } else {
        un as i64
    })
}

/// Go's `strconv.Atoi` as sprig's `atoi` uses it: errors give 0, except that
/// out-of-range values give the clamped value.
pub fn atoi(s: &str) -> i64 {
    match parse_int(s, 10, 64) {
        Ok(v) => v,
        Err(NumError::Range(v)) => v,
        Err(NumError::Syntax) => 0,
    }
}

/// Go's `strconv.ParseFloat(s, 64)`; range errors are errors.
pub fn parse_float(s: &str) -> Result<f64, NumError> {
    if let Some(v) = parse_special(s) {
        return Ok(v);
    }
    let b = s.as_bytes();
    let mut i = 0;
    let mut neg = false;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        neg = b[i] == b'-';
        i += 1;
    }
    let mut hex = false;
    if i + 2 < b.len() && b[i] == b'0' && lower(b[i + 1]) == b'x' {
        hex = true;
        i += 2;
    }
    let mut underscores = false;
    let mut saw_dot = false;
    let mut saw_digits = false;
    let mut clean = String::new();
    // Hex: mantissa bits and binary exponent.
    let mut mant: u64 = 0;
    let mut bexp: i64 = 0;
    let mut trunc = false;
    while i < b.len() {
        let c = b[i];
        if c == b'_' {
            underscores = true;
        } else if c == b'.' {
            if saw_dot {
                break;
            }
            saw_dot = true;
            clean.push('.');
        } else if c.is_ascii_digit() || hex && (b'a'..=b'f').contains(&lower(c)) {
            saw_digits = true;
            if hex {
                let d = (c as char).to_digit(16).unwrap_or(0) as u64;
                if mant >> 60 == 0 {
                    mant = mant * 16 + d;
                    if saw_dot {
                        bexp -= 4;
                    }
                } else {
                    if d != 0 {
                        trunc = true;
                    }
                    if !saw_dot {
                        bexp += 4;
                    }
                }
            } else {
                clean.push(c as char);
            }
        } else {
            break;
        }
        i += 1;
    }
    if !saw_digits {
        return Err(NumError::Syntax);
    }
    let exp_char = if hex { b'p' } else { b'e' };
    let mut e: i64 = 0;
    if i < b.len() && lower(b[i]) == exp_char {
        i += 1;
        if i >= b.len() {
            return Err(NumError::Syntax);
        }
        let mut esign = 1;
        if b[i] == b'+' || b[i] == b'-' {
            if b[i] == b'-' {
                esign = -1;
            }
            i += 1;
        }
        if i >= b.len() || !b[i].is_ascii_digit() {
            return Err(NumError::Syntax);
        }
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
            if b[i] == b'_' {
                underscores = true;
            } else if e < 100_000 {
                e = e * 10 + (b[i] - b'0') as i64;
            }
            i += 1;
        }
        e *= esign;
    } else if hex {
        return Err(NumError::Syntax);
    }
    if i != b.len() {
        return Err(NumError::Syntax);
    }
    if underscores && !gotmpl::strconv::underscore_ok(s) {
        return Err(NumError::Syntax);
    }
    let v = if hex {
        let _ = trunc;
        let m = mant as f64;
        let total = bexp + e;
        let v = if total > 2000 {
            f64::INFINITY
        } else if total < -2000 {
            0.0
        } else {
            m * 2f64.powi(total as i32)
        };
        if m == 0.0 {
            0.0
        } else {
            v
        }
    } else {
        let mut t = clean;
        if e != 0 {
            t.push('e');
            t.push_str(&e.to_string());
        }
        if t.starts_with('.') && t.len() == 1 {
            return Err(NumError::Syntax);
        }
        t.parse::<f64>().map_err(|_| NumError::Syntax)?
    };
    let v = if neg { -v } else { v };
    if v.is_infinite() {
        return Err(NumError::Range(0));
    }
    Ok(v)
}

fn parse_special(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    if b.is_empty() {
        return None;
    }
    let (sign, rest) = match b[0] {
        b'+' => (1.0, &s[1..]),
        b'-' => (-1.0, &s[1..]),
        _ => (1.0, s),
    };
    let lower = rest.to_ascii_lowercase();
    if lower == "inf" || lower == "infinity" {
        return Some(sign * f64::INFINITY);
    }
    if rest.len() == s.len() && lower == "nan" {
        return Some(f64::NAN);
    }
    None
}

// ---------------------------------------------------------------------------
// Emptiness and equality

/// sprig's `empty`: the value is its type's zero value (structs never are).
pub fn empty(v: &Value) -> bool {
    match v {
        Value::Invalid | Value::Nil => true,
        Value::Bool(b) => !b,
        Value::Int(i, _) => *i == 0,
        Value::Uint(u, _) => *u == 0,
        Value::Float(f) => *f == 0.0,
        Value::Complex(r, i) => *r == 0.0 && *i == 0.0,
        Value::String(s) => s.is_empty(),
        Value::Bytes(_) => false,
        Value::List(l) => l.items.is_empty(),
        Value::Map(m) => m.is_empty(),
        Value::Object(o) => match o.go_type().kind() {
            _ if o.integer().is_some() => o.integer() == Some(0),
            Kind::Struct => false,
            Kind::Array | Kind::Slice | Kind::Map | Kind::String => o.len() == Some(0),
            _ => o.is_nil(),
        },
    }
}

/// Go's `reflect.DeepEqual` on template values.
pub fn deep_equal(a: &Value, b: &Value) -> bool {
    deep_equal_in(a, b, &mut Vec::new())
}

/// `visiting` holds the pairs of maps being compared further up: as in Go,
/// meeting one again counts as equal (so maps that contain themselves end).
fn deep_equal_in(a: &Value, b: &Value, visiting: &mut Vec<(usize, usize)>) -> bool {
    match (a, b) {
        (Value::Invalid | Value::Nil, Value::Invalid | Value::Nil) => true,
        (Value::Invalid | Value::Nil, _) | (_, Value::Invalid | Value::Nil) => false,
        _ => {
            if a.go_type() != b.go_type() {
                return false;
            }
            deep_value_equal(a, b, visiting)
        }
    }
}

fn deep_value_equal(a: &Value, b: &Value, visiting: &mut Vec<(usize, usize)>) -> bool {
    match (a, b) {
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Int(x, _), Value::Int(y, _)) => x == y,
        (Value::Uint(x, _), Value::Uint(y, _)) => x == y,
        (Value::Float(x), Value::Float(y)) => x == y,
        (Value::Complex(a1, b1), Value::Complex(a2, b2)) => a1 == a2 && b1 == b2,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::String(_) | Value::Bytes(_), Value::String(_) | Value::Bytes(_)) => {
            a.as_bytes() == b.as_bytes()
        }
        (Value::List(x), Value::List(y)) => {
            if Arc::ptr_eq(x, y) {
                return true;
            }
            x.items.len() == y.items.len()
                && x.items
                    .iter()
                    .zip(&y.items)
                    .all(|(p, q)| deep_equal_in(p, q, visiting))
        }
        (Value::Map(x), Value::Map(y)) => {
            if Arc::ptr_eq(x, y) {
                return true;
            }
            let pair = (x.id(), y.id());
            if visiting.contains(&pair) {
                return true;
            }
            let (xe, ye) = (x.entries(), y.entries());
            visiting.push(pair);
            let equal = xe.len() == ye.len()
                && xe
                    .iter()
                    .all(|(k, v)| ye.get(k).is_some_and(|w| deep_equal_in(v, w, visiting)));
            visiting.pop();
            equal
        }
        (Value::Object(x), Value::Object(y)) => {
            // Structs whose fields are known compare field by field (the
            // unexported ones too, as reflect.DeepEqual does).
            let (fx, fy) = (x.struct_fields(), y.struct_fields());
            if x.go_type().kind() == Kind::Struct
                && x.go_type() == y.go_type()
                && !fx.is_empty()
                && !fy.is_empty()
            {
                return fx.len() == fy.len()
                    && fx
                        .iter()
                        .zip(&fy)
                        .all(|((n1, v1), (n2, v2))| n1 == n2 && deep_equal_in(v1, v2, visiting));
            }
            Arc::ptr_eq(x, y)
                || (x.go_string().is_some() && x.go_string() == y.go_string())
                || (x.go_type().kind() == Kind::Struct && {
                    let (fx, fy) = (x.struct_fields(), y.struct_fields());
                    fx.len() == fy.len()
                        && fx
                            .iter()
                            .zip(&fy)
                            .all(|((n1, v1), (n2, v2))| n1 == n2 && deep_equal_in(v1, v2, visiting))
                })
        }
        _ => false,
    }
}

/// A deep copy (sprig's `deepCopy` through copystructure): new lists and maps
/// all the way down, keeping each one's Go type.
pub fn deep_copy(v: &Value) -> Value {
    deep_copy_checked(v).unwrap_or_else(|| v.clone())
}

/// [`deep_copy`], or `None` if a map in `v` contains itself (which
/// copystructure would copy forever).
pub fn deep_copy_checked(v: &Value) -> Option<Value> {
    match copy_of_maps(v, &mut Vec::new()) {
        Ok(copy) => Some(copy.unwrap_or_else(|| v.clone())),
        Err(ContainsItself) => None,
    }
}

struct ContainsItself;

/// The copy of `v` with a new identity for every map in it, or `None` when
/// it holds no map that is not nil, no slice cut shorter and no object
/// with unexported state ([`gotmpl::Object::copystructure`]): a copy of
/// anything else (scalars, and lists, which are never changed in place) is
/// the value itself. `path`:
/// the maps being copied around this one, to stop at one that holds itself.
fn copy_of_maps(v: &Value, path: &mut Vec<usize>) -> Result<Option<Value>, ContainsItself> {
    let is_container = |v: &Value| matches!(v, Value::Map(_) | Value::List(_) | Value::Object(_));
    match v {
        Value::Object(o) => Ok(o.copystructure()),
        Value::List(l) => {
            // Items before the first that needs a copy are kept as they are.
            let mut items: Option<Vec<Value>> = None;
            for (i, item) in l.items.iter().enumerate() {
                if !is_container(item) {
                    continue;
                }
                if let Some(copy) = copy_of_maps(item, path)? {
                    items.get_or_insert_with(|| l.items.clone())[i] = copy;
                }
            }
            // What lies past the length is not copied: a slice cut shorter
            // loses the rest of the one it was cut from.
            if l.spare.set.is_some() && items.is_none() {
                items = Some(l.items.clone());
            }
            Ok(items.map(|items| {
                Value::List(Arc::new(gotmpl::List {
                    ty: l.ty.clone(),
                    items,
                    nil: l.nil,
                    // copystructure makes a slice of the same capacity and
                    // copies the items: past them, zero values.
                    spare: gotmpl::value::Spare::zeros(l.spare.len()),
                }))
            }))
        }
        // copystructure leaves a nil map nil.
        Value::Map(m) if m.is_nil() => Ok(None),
        Value::Map(m) => {
            let id = m.id();
            if path.contains(&id) {
                return Err(ContainsItself);
            }
            path.push(id);
            let shared = m.entries();
            // The copies needed, by position among the entries.
            let mut copies: Vec<(usize, Value)> = Vec::new();
            for (i, v) in shared.values().enumerate() {
                if is_container(v) {
                    if let Some(copy) = copy_of_maps(v, path)? {
                        copies.push((i, copy));
                    }
                }
            }
            path.pop();
            if copies.is_empty() {
                // Nothing inside needs a copy: the new map starts out with
                // the same entries, copied on its first write.
                return Ok(Some(Value::Map(Arc::new(gotmpl::value::Map::new_sharing(
                    m.ty.clone(),
                    shared,
                )))));
            }
            // Cloning the tree keeps its shape (no re-sorting of keys); the
            // maps in it are then replaced in one pass, without searching.
            let mut entries = (*shared).clone();
            let mut copies = copies.into_iter().peekable();
            for (i, slot) in entries.values_mut().enumerate() {
                if copies.peek().is_some_and(|(at, _)| *at == i) {
                    if let Some((_, copy)) = copies.next() {
                        *slot = copy;
                    }
                }
            }
            Ok(Some(Value::Map(Arc::new(gotmpl::value::Map::new(
                m.ty.clone(),
                entries,
            )))))
        }
        _ => Ok(None),
    }
}

// ---------------------------------------------------------------------------
// Go's unicode package

use unicode_general_category::{get_general_category, GeneralCategory as GC};

/// Go's `unicode.IsSpace`.
pub fn is_space(c: char) -> bool {
    if (c as u32) <= 0xFF {
        return matches!(
            c,
            '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r' | ' ' | '\u{85}' | '\u{A0}'
        );
    }
    c.is_whitespace()
}

/// Go's `unicode.IsUpper` (category Lu).
pub fn is_upper(c: char) -> bool {
    get_general_category(c) == GC::UppercaseLetter
}

/// Go's `unicode.IsLower` (category Ll).
pub fn is_lower(c: char) -> bool {
    get_general_category(c) == GC::LowercaseLetter
}

/// Go's `unicode.IsTitle` (category Lt).
pub fn is_title(c: char) -> bool {
    get_general_category(c) == GC::TitlecaseLetter
}

/// Go's `unicode.IsLetter` (category L).
pub fn is_letter(c: char) -> bool {
    matches!(
        get_general_category(c),
        GC::UppercaseLetter
            | GC::LowercaseLetter
            | GC::TitlecaseLetter
            | GC::ModifierLetter
            | GC::OtherLetter
    )
}

/// Go's `unicode.IsDigit` (category Nd).
pub fn is_digit(c: char) -> bool {
    get_general_category(c) == GC::DecimalNumber
}

/// Go's `unicode.IsNumber` (category N).
pub fn is_number(c: char) -> bool {
    matches!(
        get_general_category(c),
        GC::DecimalNumber | GC::LetterNumber | GC::OtherNumber
    )
}

/// Go's `unicode.IsPunct` (category P).
pub fn is_punct(c: char) -> bool {
    matches!(
        get_general_category(c),
        GC::ConnectorPunctuation
            | GC::DashPunctuation
            | GC::OpenPunctuation
            | GC::ClosePunctuation
            | GC::InitialPunctuation
            | GC::FinalPunctuation
            | GC::OtherPunctuation
    )
}

/// Go's `unicode.ToUpper` (simple case mapping).
pub fn to_upper(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_uppercase();
    }
    match c {
        // Digraphs: title and lower forms map to the upper form.
        '\u{1C5}' | '\u{1C6}' => '\u{1C4}',
        '\u{1C8}' | '\u{1C9}' => '\u{1C7}',
        '\u{1CB}' | '\u{1CC}' => '\u{1CA}',
        '\u{1F2}' | '\u{1F3}' => '\u{1F1}',
        _ => single(c.to_uppercase(), c),
    }
}

/// Go's `unicode.ToLower` (simple case mapping).
pub fn to_lower(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    match c {
        '\u{130}' => 'i',
        _ => single(c.to_lowercase(), c),
    }
}

/// Go's `unicode.ToTitle` (simple case mapping).
pub fn to_title(c: char) -> char {
    match c {
        '\u{1C4}'..='\u{1C6}' => '\u{1C5}',
        '\u{1C7}'..='\u{1C9}' => '\u{1C8}',
        '\u{1CA}'..='\u{1CC}' => '\u{1CB}',
        '\u{1F1}'..='\u{1F3}' => '\u{1F2}',
        _ => to_upper(c),
    }
}

fn single(mut it: impl Iterator<Item = char>, orig: char) -> char {
    match (it.next(), it.next()) {
        (Some(c), None) => c,
        _ => orig,
    }
}

/// Go's `strings.TrimSpace`.
pub fn trim_space(s: &str) -> &str {
    s.trim_matches(is_space)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_int_follows_go() {
        assert_eq!(parse_int("0_1", 0, 0), Ok(1));
        assert_eq!(parse_int("0x_10", 0, 0), Ok(16));
        assert_eq!(parse_int("010", 0, 0), Ok(8));
        assert_eq!(parse_int("08", 0, 0), Err(NumError::Syntax));
        assert_eq!(parse_int("0x", 0, 0), Err(NumError::Syntax));
        assert_eq!(parse_int("-0x10", 0, 0), Ok(-16));
        assert_eq!(
            parse_int("9223372036854775808", 0, 0),
            Err(NumError::Range(i64::MAX))
        );
        assert_eq!(
            parse_int("-9223372036854775809", 10, 0),
            Err(NumError::Range(i64::MIN))
        );
        assert_eq!(parse_int("-9223372036854775808", 10, 0), Ok(i64::MIN));
        assert_eq!(parse_int("1_000", 10, 0), Err(NumError::Syntax));
    }

    #[test]
    fn parse_float_follows_go() {
        assert_eq!(parse_float("1_000"), Ok(1000.0));
        assert_eq!(parse_float("0x1p4"), Ok(16.0));
        assert_eq!(parse_float("0x1_0p0"), Ok(16.0));
        assert_eq!(parse_float("1e-400"), Ok(0.0));
        assert!(parse_float("1e400").is_err());
        assert_eq!(parse_float("+Inf"), Ok(f64::INFINITY));
        assert!(parse_float("+nan").is_err());
        assert!(parse_float("nan").unwrap().is_nan());
        assert_eq!(parse_float(".5"), Ok(0.5));
        assert_eq!(parse_float("5."), Ok(5.0));
        assert!(parse_float("0x10").is_err());
        assert!(parse_float("1e").is_err());
        assert!(parse_float(" 1").is_err());
        assert!(parse_float(".").is_err());
        assert!(parse_float("").is_err());
    }

    /// Hostile arguments give errors or values, never panics.
    #[test]
    fn no_panics_on_edge_inputs() {
        let exprs = [
            r#"abbrevboth -9223372036854775808 9223372036854775807 "abcdefghijkl""#,
            r#"abbrev 9223372036854775807 "abc""#,
            r#"trunc -9223372036854775808 "abc""#,
            r#"substr -9223372036854775808 9223372036854775807 "abc""#,
            r#"substr 9223372036854775807 -9223372036854775808 "abc""#,
            r#"wrap 9223372036854775807 "a b c""#,
            r#"wrapWith -5 "" "a b c""#,
            r#"repeat 9223372036854775807 "ab""#,
            r#"indent 9223372036854775807 "a""#,
            r#"chunk -9223372036854775808 (list 1 2 3)"#,
            r#"chunk 9223372036854775807 (list 1 2 3)"#,
            r#"until 9223372036854775807"#,
            r#"untilStep -9223372036854775808 9223372036854775807 1"#,
            r#"seq 9223372036854775807"#,
            r#"seq -9223372036854775808"#,
            r#"round 1.5 9223372036854775807"#,
            r#"round 1.5 -9223372036854775808"#,
            r#"mulf 1e308 1e308 1e308 1e308"#,
            r#"divf 1e-300 1e300"#,
            r#"div -9223372036854775808 -1"#,
            r#"regexFindAll "" "héllo" -1"#,
            r##"regexReplaceAll "\\b|" "héllo wörld" "$""##,
            r#"regexSplit "" "é" -1"#,
            r#"mustRegexMatch "\\p{" "a""#,
            r#"mustRegexMatch "(?P<a" "a""#,
            r#"mustRegexMatch "[\\x{110000}]" "a""#,
            r#"mustRegexMatch "\\x{}" "a""#,
            r#"urlParse "http://]x[/""#,
            r#"urlParse "http://[]/""#,
            r#"urlParse "%""#,
            r#"b64dec "=""#,
            r#"b32dec "=""#,
            r#"b32dec "AA======AA""#,
            r#"slice (list 1 2) -1"#,
            r#"toDecimal "77777777777777777777777""#,
            r#"int "0x8000000000000000""#,
            r#"float64 "0x1p99999""#,
            r#"dig "a" "a" "a" (dict "a" (dict "a" 1))"#,
        ];
        for e in exprs {
            let mut set = gotmpl::TemplateSet::new("t", crate::funcs());
            set.parse("t", &format!("{{{{ {e} }}}}")).unwrap();
            let mut out = String::new();
            let _ = set.execute("t", &Value::Nil, &mut out);
        }
    }

    #[test]
    fn float_to_int_is_amd64() {
        assert_eq!(go_f64_to_i64(1e30), i64::MIN);
        assert_eq!(go_f64_to_i64(f64::NAN), i64::MIN);
        assert_eq!(go_f64_to_i64(-2.7), -2);
    }
}
