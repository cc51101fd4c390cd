//! Go's predefined template functions (`text/template/funcs.go`), with Go's
//! exact argument rules and error texts.
//!
//! Functions in a [`FuncMap`](crate::FuncMap) take precedence over these, as
//! in Go (helm replaces `slice` with sprig's, for example).

use std::sync::LazyLock;

use crate::exec::{indirect_interface, truth};
use crate::func::{FuncError, FuncResult, Function};
use crate::gofmt;
use crate::strconv;
use crate::value::{Kind, Type, UintKind, Value};

/// The builtins the executor treats specially.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Builtin {
    And,
    Or,
    Call,
    Other,
}

pub struct BuiltinFn {
    pub which: Builtin,
    pub function: Function,
}

const NAMES: [&str; 19] = [
    "and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "printf",
    "println", "urlquery", "eq", "ge", "gt", "le", "lt", "ne",
];

pub fn is_builtin(name: &str) -> bool {
    NAMES.contains(&name)
}

static BUILTINS: LazyLock<Vec<(&'static str, BuiltinFn)>> = LazyLock::new(|| {
    use Type::ReflectValue as RV;
    let any = || Type::Interface;
    let other = |f: Function| (Builtin::Other, f);
    let table: Vec<(&str, (Builtin, Function))> = vec![
        (
            "and",
            (
                Builtin::And,
                Function::variadic(vec![RV], RV, |_, _| unreachable!()),
            ),
        ),
        (
            "or",
            (
                Builtin::Or,
                Function::variadic(vec![RV], RV, |_, _| unreachable!()),
            ),
        ),
        (
            "call",
            (Builtin::Call, Function::variadic(vec![RV], RV, call)),
        ),
        (
            "not",
            other(Function::new(vec![RV], |_, a| {
                Ok(Value::Bool(!truth(&a[0])))
            })),
        ),
        ("len", other(Function::new(vec![RV], |_, a| length(&a[0])))),
        (
            "index",
            other(Function::variadic(vec![RV], RV, |_, a| index(a))),
        ),
        (
            "slice",
            other(Function::variadic(vec![RV], RV, |_, a| slice(a))),
        ),
        (
            "print",
            other(Function::variadic(vec![], any(), |_, a| {
                Ok(gofmt::sprint_value(a))
            })),
        ),
        (
            "println",
            other(Function::variadic(vec![], any(), |_, a| {
                Ok(gofmt::sprintln_value(a))
            })),
        ),
        (
            "printf",
            other(Function::variadic(vec![Type::String], any(), |_, a| {
                Ok(gofmt::sprintf_bytes(
                    a[0].as_bytes().unwrap_or_default(),
                    &a[1..],
                ))
            })),
        ),
        (
            "html",
            other(Function::variadic(vec![], any(), |_, a| {
                Ok(escape_with(a, html_escape, html_escape_bytes))
            })),
        ),
        (
            "js",
            other(Function::variadic(vec![], any(), |_, a| {
                Ok(escape_with(a, js_escape, js_escape_bytes))
            })),
        ),
        (
            "urlquery",
            other(Function::variadic(vec![], any(), |_, a| {
                Ok(escape_with(a, query_escape, |b| {
                    query_escape_bytes(b).into_bytes()
                }))
            })),
        ),
        (
            "eq",
            other(Function::variadic(vec![RV], RV, |_, a| {
                eq(&a[0], &a[1..]).map(Value::Bool)
            })),
        ),
        (
            "ne",
            other(Function::new(vec![RV, RV], |_, a| {
                eq(&a[0], &a[1..2]).map(|b| Value::Bool(!b))
            })),
        ),
        (
            "lt",
            other(Function::new(vec![RV, RV], |_, a| {
                lt(&a[0], &a[1]).map(Value::Bool)
            })),
        ),
        (
            "le",
            other(Function::new(vec![RV, RV], |_, a| {
                le(&a[0], &a[1]).map(Value::Bool)
            })),
        ),
        (
            "gt",
            other(Function::new(vec![RV, RV], |_, a| {
                le(&a[0], &a[1]).map(|b| Value::Bool(!b))
            })),
        ),
        (
            "ge",
            other(Function::new(vec![RV, RV], |_, a| {
                lt(&a[0], &a[1]).map(|b| Value::Bool(!b))
            })),
        ),
    ];
    table
        .into_iter()
        .map(|(name, (which, function))| (name, BuiltinFn { which, function }))
        .collect()
});

pub fn lookup(name: &str) -> Option<&'static BuiltinFn> {
    BUILTINS.iter().find(|(n, _)| *n == name).map(|(_, b)| b)
}

fn err(msg: impl Into<String>) -> FuncError {
    msg.into().into()
}

/// Go's `indirect`: follows interfaces; reports a nil one.
fn indirect(v: &Value) -> (Value, bool) {
    match v {
        Value::Nil => (Value::Nil, true),
        Value::Object(o) if o.is_nil() && matches!(o.go_type().kind(), Kind::Pointer) => {
            (v.clone(), true)
        }
        v => (v.clone(), false),
    }
}

/// The type of what `indirect` reaches: a pointer's element type.
fn pointee_type_name(v: &Value) -> String {
    let name = v.type_name();
    match v {
        Value::Object(o) if o.go_type().kind() == Kind::Pointer => {
            name.strip_prefix('*').unwrap_or(&name).to_string()
        }
        _ => name,
    }
}

/// Go panics (recovered by `safeCall`) when asking an invalid value for its type.
const ZERO_VALUE_TYPE: &str = "reflect: call of reflect.Value.Type on zero Value";

fn length(item: &Value) -> FuncResult {
    let (item, is_nil) = indirect(item);
    if is_nil {
        return Err(err("len of nil pointer"));
    }
    let n = match &item {
        Value::String(s) => s.len(),
        Value::Bytes(b) => b.as_bytes().len(),
        Value::List(l) => l.items.len(),
        Value::Map(m) => m.len(),
        Value::Object(o) => match o.len() {
            Some(n) => n,
            None => return Err(err(format!("len of type {}", pointee_type_name(&item)))),
        },
        Value::Invalid => return Err(err(ZERO_VALUE_TYPE)),
        _ => return Err(err(format!("len of type {}", item.type_name()))),
    };
    Ok(Value::int(n as i64))
}

/// Go's `indexArg`: an index must be an integer within `0..=cap`.
fn index_arg(index: &Value, cap: usize) -> Result<usize, FuncError> {
    let x: i64 = match index {
        Value::Int(i, _) => *i,
        Value::Object(o) if o.integer().is_some() => o.integer().unwrap_or_default(),
        Value::Uint(u, _) => *u as i64,
        Value::Invalid | Value::Nil => return Err(err("cannot index slice/array with nil")),
        other => {
            return Err(err(format!(
                "cannot index slice/array with type {}",
                other.type_name()
            )))
        }
    };
    if x < 0 || x as u64 > cap as u64 {
        return Err(err(format!("index out of range: {x}")));
    }
    Ok(x as usize)
}

fn index(args: &[Value]) -> FuncResult {
    let mut item = indirect_interface(args[0].clone());
    if item.is_invalid() {
        return Err(err("index of untyped nil"));
    }
    for index in &args[1..] {
        let index = indirect_interface(index.clone());
        let (it, is_nil) = indirect(&item);
        if is_nil {
            return Err(err("index of nil pointer"));
        }
        let it = it.underlying().into_owned();
        item = match &it {
            Value::List(l) => {
                let x = index_arg(&index, l.items.len())?;
                match l.items.get(x) {
                    Some(v) => v.clone(),
                    None => return Err(err("reflect: slice index out of range")),
                }
            }
            Value::String(_) | Value::Bytes(_) => {
                let s = it.as_bytes().unwrap_or_default();
                let x = index_arg(&index, s.len())?;
                match s.get(x) {
                    Some(b) => Value::Uint(u64::from(*b), UintKind::Uint8),
                    None => return Err(err("reflect: string index out of range")),
                }
            }
            Value::Map(m) => {
                let key = match &index {
                    Value::String(k) => &**k,
                    // Map keys are text: one that is not UTF-8 is its runes.
                    Value::Bytes(k) => k.runes(),
                    Value::Invalid => {
                        return Err(err("value is nil; should be of type string"));
                    }
                    other => {
                        return Err(err(format!(
                            "value has type {}; should be string",
                            other.type_name()
                        )))
                    }
                };
                match m.get(key) {
                    Some(v) => v.clone(),
                    None => {
                        let Type::Map { elem, .. } = &m.ty else {
                            unreachable!("map value with non-map type")
                        };
                        crate::exec::zero_value(elem)
                    }
                }
            }
            other => {
                return Err(err(format!(
                    "can't index item of type {}",
                    pointee_type_name(other)
                )))
            }
        };
    }
    Ok(item)
}

fn slice(args: &[Value]) -> FuncResult {
    let item = indirect_interface(args[0].clone());
    if item.is_invalid() {
        return Err(err("slice of untyped nil"));
    }
    let item = item.underlying().into_owned();
    let indexes = &args[1..];
    if indexes.len() > 3 {
        return Err(err(format!("too many slice indexes: {}", indexes.len())));
    }
    let (len, cap) = match &item {
        Value::String(_) | Value::Bytes(_) => {
            if indexes.len() == 3 {
                return Err(err("cannot 3-index slice a string"));
            }
            let len = item.as_bytes().map_or(0, <[u8]>::len);
            (len, len)
        }
        Value::List(l) => (l.items.len(), l.cap()),
        other => {
            return Err(err(format!(
                "can't slice item of type {}",
                other.type_name()
            )))
        }
    };
    let mut idx = [0, len, cap];
    for (i, index) in indexes.iter().enumerate() {
        idx[i] = index_arg(&indirect_interface(index.clone()), cap)?;
    }
    if idx[0] > idx[1] {
        return Err(err(format!("invalid slice index: {} > {}", idx[0], idx[1])));
    }
    if indexes.len() == 3 && idx[1] > idx[2] {
        return Err(err(format!("invalid slice index: {} > {}", idx[1], idx[2])));
    }
    Ok(match &item {
        Value::String(s) => match s.get(idx[0]..idx[1]) {
            Some(sub) => Value::string(sub),
            // Cutting inside a UTF-8 sequence: Go keeps the raw bytes.
            None => Value::from_bytes(s.as_bytes()[idx[0]..idx[1]].to_vec()),
        },
        Value::Bytes(b) => Value::from_bytes(b.as_bytes()[idx[0]..idx[1]].to_vec()),
        Value::List(l) => Value::List(std::sync::Arc::new(l.cut(
            idx[0],
            idx[1],
            (indexes.len() == 3).then_some(idx[2]),
        ))),
        _ => unreachable!(),
    })
}

fn call(ctx: &mut crate::exec::Call<'_>, args: &[Value]) -> FuncResult {
    // args[0] is the callee's name, inserted by the executor.
    let name = args[0].as_str().unwrap_or_default().to_string();
    let f = indirect_interface(args[1].clone());
    let Value::Object(obj) = &f else {
        if f.is_invalid() {
            return Err(err("call of nil"));
        }
        return Err(err(format!(
            "non-function {name} of type {}",
            f.type_name()
        )));
    };
    let Some(function) = obj.as_function() else {
        return Err(err(format!(
            "non-function {name} of type {}",
            f.type_name()
        )));
    };
    let call_args = &args[2..];
    let num_in = function.num_in();
    if function.variadic.is_some() {
        if call_args.len() < num_in - 1 {
            return Err(err(format!(
                "wrong number of args for {name}: got {} want at least {}",
                call_args.len(),
                num_in - 1
            )));
        }
    } else if call_args.len() != num_in {
        return Err(err(format!(
            "wrong number of args for {name}: got {} want {num_in}",
            call_args.len()
        )));
    }
    let mut argv = Vec::with_capacity(call_args.len());
    for (i, arg) in call_args.iter().enumerate() {
        let arg = indirect_interface(arg.clone());
        let ty = match function.params.get(i) {
            Some(t) => t,
            None => function.variadic.as_ref().expect("checked variadic above"),
        };
        argv.push(prepare_arg(arg, ty).map_err(|e| err(format!("arg {i}: {e}")))?);
    }
    function.call(ctx, &argv)
}

fn prepare_arg(value: Value, ty: &Type) -> Result<Value, String> {
    if value.is_invalid() {
        if !ty.can_be_nil() {
            return Err(format!("value is nil; should be of type {ty}"));
        }
        return Ok(crate::exec::zero_value(ty));
    }
    let vt = value.go_type().unwrap_or(Type::Interface);
    if vt.assignable_to(ty) {
        return Ok(value);
    }
    match (&value, ty) {
        (Value::Int(i, _), Type::Int(k)) => Ok(Value::Int(*i, *k)),
        (Value::Int(i, _), Type::Uint(k)) => Ok(Value::Uint(*i as u64, *k)),
        (Value::Uint(u, _), Type::Int(k)) => Ok(Value::Int(*u as i64, *k)),
        (Value::Uint(u, _), Type::Uint(k)) => Ok(Value::Uint(*u, *k)),
        _ => Err(format!("value has type {vt}; should be {ty}")),
    }
}

/// Go's `basicKind` classes for comparisons.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Basic {
    Bool,
    Complex,
    Int,
    Float,
    String,
    Uint,
}

fn basic_kind(v: &Value) -> Option<Basic> {
    Some(match v {
        Value::Bool(_) => Basic::Bool,
        Value::Int(..) => Basic::Int,
        Value::Uint(..) => Basic::Uint,
        Value::Float(_) => Basic::Float,
        Value::Complex(..) => Basic::Complex,
        Value::String(_) | Value::Bytes(_) => Basic::String,
        _ => return None,
    })
}

const BAD_COMPARISON_TYPE: &str = "invalid type for comparison";

fn incompatible(a: &Value, b: &Value) -> FuncError {
    err(format!(
        "incompatible types for comparison: {} and {}",
        a.type_name(),
        b.type_name()
    ))
}

fn as_i64(v: &Value) -> i64 {
    match v {
        Value::Int(i, _) => *i,
        _ => 0,
    }
}

fn as_u64(v: &Value) -> u64 {
    match v {
        Value::Uint(u, _) => *u,
        _ => 0,
    }
}

/// Go's `isNil` of text/template's comparisons: nil interfaces, and nil
/// maps, slices and pointers (helm's `.Chart.Annotations` without
/// annotations is a nil map, equal to a missing value).
fn is_nil(v: &Value) -> bool {
    match v {
        Value::Invalid | Value::Nil => true,
        Value::Map(m) => m.is_nil(),
        Value::List(l) => l.nil,
        Value::Object(o) => o.is_nil(),
        _ => false,
    }
}

fn comparable(v: &Value) -> bool {
    !matches!(v, Value::List(_) | Value::Map(_))
        && !matches!(v.kind(), Kind::Func | Kind::Map | Kind::Slice)
}

/// A named integer (`time.Month`) as the integer comparisons see it.
fn integer_view(v: Value) -> Value {
    match &v {
        Value::Object(o) => match o.integer() {
            Some(n) => Value::Int(n, crate::value::IntKind::Int64),
            None => v,
        },
        _ => v,
    }
}

/// Go's `==` on two host objects: pointers are equal when they are the
/// same pointer; struct values field by field (their unexported fields
/// too), or as the type defines it ([`crate::Object::go_eq`]).
fn objects_equal(
    a: &std::sync::Arc<dyn crate::Object>,
    b: &std::sync::Arc<dyn crate::Object>,
) -> bool {
    if std::sync::Arc::ptr_eq(a, b) {
        return true;
    }
    if let Some(equal) = a.go_eq(b.as_ref()) {
        return equal;
    }
    let ty = a.go_type();
    if ty != b.go_type() || ty.kind() == Kind::Pointer {
        return false;
    }
    let (fa, fb) = (a.struct_fields(), b.struct_fields());
    if ty.kind() == Kind::Struct && !fa.is_empty() && fa.len() == fb.len() {
        return fa
            .iter()
            .zip(&fb)
            .all(|((n1, v1), (n2, v2))| n1 == n2 && field_equal(v1, v2));
    }
    a.go_string().is_some() && a.go_string() == b.go_string()
}

/// `==` on two struct fields of the same type.
fn field_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Nil | Value::Invalid, Value::Nil | Value::Invalid) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Int(x, _), Value::Int(y, _)) => x == y,
        (Value::Uint(x, _), Value::Uint(y, _)) => x == y,
        (Value::Float(x), Value::Float(y)) => x == y,
        (Value::String(_) | Value::Bytes(_), Value::String(_) | Value::Bytes(_)) => {
            a.as_bytes() == b.as_bytes()
        }
        (Value::Object(x), Value::Object(y)) => objects_equal(x, y),
        _ => false,
    }
}

fn eq(arg1: &Value, rest: &[Value]) -> Result<bool, FuncError> {
    let arg1 = integer_view(indirect_interface(arg1.clone()));
    if rest.is_empty() {
        return Err(err("missing argument for comparison"));
    }
    let k1 = basic_kind(&arg1);
    for arg in rest {
        let arg = integer_view(indirect_interface(arg.clone()));
        let k2 = basic_kind(&arg);
        let truth = if k1 != k2 {
            match (k1, k2) {
                (Some(Basic::Int), Some(Basic::Uint)) => {
                    as_i64(&arg1) >= 0 && as_i64(&arg1) as u64 == as_u64(&arg)
                }
                (Some(Basic::Uint), Some(Basic::Int)) => {
                    as_i64(&arg) >= 0 && as_u64(&arg1) == as_i64(&arg) as u64
                }
                _ => {
                    if !arg1.is_invalid() && !arg.is_invalid() {
                        return Err(incompatible(&arg1, &arg));
                    }
                    false
                }
            }
        } else {
            match (&arg1, &arg) {
                (Value::Bool(a), Value::Bool(b)) => a == b,
                (Value::Complex(ar, ai), Value::Complex(br, bi)) => ar == br && ai == bi,
                (Value::Float(a), Value::Float(b)) => a == b,
                (Value::Int(a, _), Value::Int(b, _)) => a == b,
                (Value::String(a), Value::String(b)) => a == b,
                (Value::String(_) | Value::Bytes(_), Value::String(_) | Value::Bytes(_)) => {
                    arg1.as_bytes() == arg.as_bytes()
                }
                (Value::Uint(a, _), Value::Uint(b, _)) => a == b,
                _ => {
                    let same_kind = arg1.kind() == arg.kind();
                    if !same_kind && !arg1.is_invalid() && !arg.is_invalid() {
                        return Err(err(format!(
                            "non-comparable types {}: {}, {}: {}",
                            gofmt::sprintf("%s", std::slice::from_ref(&arg1)),
                            arg1.type_name(),
                            arg.type_name(),
                            gofmt::sprint(std::slice::from_ref(&arg)),
                        )));
                    }
                    if is_nil(&arg1) || is_nil(&arg) {
                        is_nil(&arg) == is_nil(&arg1)
                    } else {
                        if !comparable(&arg) {
                            return Err(err(format!(
                                "non-comparable type {}: {}",
                                gofmt::sprintf("%s", std::slice::from_ref(&arg)),
                                arg.type_name()
                            )));
                        }
                        match (&arg1, &arg) {
                            // Pointers are equal when they are the same
                            // pointer; values of other types by value.
                            (Value::Object(a), Value::Object(b)) => objects_equal(a, b),
                            _ => false,
                        }
                    }
                }
            }
        };
        if truth {
            return Ok(true);
        }
    }
    Ok(false)
}

fn lt(arg1: &Value, arg2: &Value) -> Result<bool, FuncError> {
    let arg1 = integer_view(indirect_interface(arg1.clone()));
    let k1 = basic_kind(&arg1).ok_or_else(|| err(BAD_COMPARISON_TYPE))?;
    let arg2 = integer_view(indirect_interface(arg2.clone()));
    let k2 = basic_kind(&arg2).ok_or_else(|| err(BAD_COMPARISON_TYPE))?;
    if k1 != k2 {
        return match (k1, k2) {
            (Basic::Int, Basic::Uint) => {
                Ok(as_i64(&arg1) < 0 || (as_i64(&arg1) as u64) < as_u64(&arg2))
            }
            (Basic::Uint, Basic::Int) => {
                Ok(as_i64(&arg2) >= 0 && as_u64(&arg1) < as_i64(&arg2) as u64)
            }
            _ => Err(incompatible(&arg1, &arg2)),
        };
    }
    match (&arg1, &arg2) {
        (Value::Float(a), Value::Float(b)) => Ok(a < b),
        (Value::Int(a, _), Value::Int(b, _)) => Ok(a < b),
        (Value::String(_) | Value::Bytes(_), Value::String(_) | Value::Bytes(_)) => {
            Ok(arg1.as_bytes() < arg2.as_bytes())
        }
        (Value::Uint(a, _), Value::Uint(b, _)) => Ok(a < b),
        _ => Err(err(BAD_COMPARISON_TYPE)),
    }
}

fn le(arg1: &Value, arg2: &Value) -> Result<bool, FuncError> {
    if lt(arg1, arg2)? {
        return Ok(true);
    }
    eq(arg1, std::slice::from_ref(arg2))
}

/// Go's `evalArgs` for html/js/urlquery: `fmt.Sprint` with nils shown as `<no value>`.
fn eval_args(args: &[Value]) -> Value {
    if let [v @ (Value::String(_) | Value::Bytes(_))] = args {
        return v.clone();
    }
    let printable: Vec<Value> = args
        .iter()
        .map(|a| match a {
            Value::Invalid | Value::Nil => Value::string("<no value>"),
            a => a.clone(),
        })
        .collect();
    gofmt::sprint_value(&printable)
}

/// Applies an escaper to `evalArgs`' string: `text` for UTF-8, `bytes` else.
fn escape_with(
    args: &[Value],
    text: impl Fn(&str) -> String,
    bytes: impl Fn(&[u8]) -> Vec<u8>,
) -> Value {
    match eval_args(args) {
        Value::String(s) => Value::string(text(&s)),
        v => Value::from_bytes(bytes(v.as_bytes().unwrap_or_default())),
    }
}

/// Go's `HTMLEscapeString` of bytes: only the special ASCII bytes change.
pub fn html_escape_bytes(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(b.len() + 16);
    for &c in b {
        match c {
            0 => out.extend_from_slice("\u{FFFD}".as_bytes()),
            b'"' => out.extend_from_slice(b"&#34;"),
            b'\'' => out.extend_from_slice(b"&#39;"),
            b'&' => out.extend_from_slice(b"&amp;"),
            b'<' => out.extend_from_slice(b"&lt;"),
            b'>' => out.extend_from_slice(b"&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// Go's `JSEscapeString` of bytes: an invalid byte decodes as U+FFFD, which
/// is printable, so Go writes the byte itself.
pub fn js_escape_bytes(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(b.len() + 16);
    let mut buf = [0u8; 4];
    for (i, r, w) in crate::gostr::rune_indices(b) {
        if r == '\u{fffd}' && w == 1 {
            out.push(b[i]);
        } else {
            out.extend_from_slice(js_escape(r.encode_utf8(&mut buf)).as_bytes());
        }
    }
    out
}

pub fn html_escape(s: &str) -> String {
    if !s.contains(['\'', '"', '&', '<', '>', '\0']) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '\0' => out.push('\u{FFFD}'),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

pub fn js_escape(s: &str) -> String {
    let special = |c: char| {
        matches!(c, '\\' | '\'' | '"' | '<' | '>' | '&' | '=') || c < ' ' || !c.is_ascii()
    };
    if !s.contains(special) {
        return s.to_string();
    }
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            c if c < ' ' => {
                let b = c as u8;
                out.push_str("\\u00");
                out.push(HEX[usize::from(b >> 4)] as char);
                out.push(HEX[usize::from(b & 0xf)] as char);
            }
            c if c.is_ascii() => out.push(c),
            c if strconv::is_print(c) => out.push(c),
            c => out.push_str(&format!("\\u{:04X}", c as u32)),
        }
    }
    out
}

/// Go's `url.QueryEscape`.
pub fn query_escape(s: &str) -> String {
    query_escape_bytes(s.as_bytes())
}

/// [`query_escape`] of bytes (the result is always ASCII).
pub fn query_escape_bytes(s: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len());
    for &b in s {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            b => {
                out.push('%');
                out.push(HEX[usize::from(b >> 4)] as char);
                out.push(HEX[usize::from(b & 0xf)] as char);
            }
        }
    }
    out
}
