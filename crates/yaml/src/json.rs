//! Go's encoding/json, as helm and sprig call it: `Marshal`, `MarshalIndent`,
//! an `Encoder` without HTML escaping, and `Unmarshal` into
//! `map[string]interface{}`, `[]interface{}` or `interface{}` (numbers become
//! float64), with Go's error texts.

use std::collections::HashSet;
use std::sync::Arc;

use crate::gofloat::{format_g, format_json};
use crate::Error;
use gotmpl::{MapEntries, Type, Value};

/// [`quote_into`] of bytes that are not UTF-8: encoding/json writes each
/// invalid byte as `\ufffd`.
pub fn quote_bytes_into(out: &mut String, b: &[u8], escape_html: bool) {
    out.push('"');
    for chunk in b.utf8_chunks() {
        let mut t = String::new();
        quote_into(&mut t, chunk.valid(), escape_html);
        out.push_str(&t[1..t.len() - 1]);
        for _ in chunk.invalid() {
            out.push_str("\\ufffd");
        }
    }
    out.push('"');
}

/// Append `s` as a JSON string the way encoding/json does.
pub fn quote_into(out: &mut String, s: &str, escape_html: bool) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    // Most strings need no escaping at all: copy them in one go.
    let plain = s.bytes().all(|b| {
        (0x20..0x80).contains(&b)
            && b != b'\\'
            && b != b'"'
            && !(escape_html && matches!(b, b'<' | b'>' | b'&'))
    });
    if plain {
        out.push_str(s);
        out.push('"');
        return;
    }
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\x08' => out.push_str("\\b"),
            '\x0C' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' if escape_html => {
                let b = c as u8;
                out.push_str("\\u00");
                out.push(HEX[(b >> 4) as usize] as char);
                out.push(HEX[(b & 0xF) as usize] as char);
            }
            c if (c as u32) < 0x20 => {
                let b = c as u8;
                out.push_str("\\u00");
                out.push(HEX[(b >> 4) as usize] as char);
                out.push(HEX[(b & 0xF) as usize] as char);
            }
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Whether a list is a Go slice of `uint8` (`[]byte`), which encoding/json
/// writes as base64.
pub(crate) fn is_byte_slice(l: &gotmpl::List) -> bool {
    matches!(&l.ty, Type::Slice { elem, .. } if matches!(**elem, Type::Uint(gotmpl::UintKind::Uint8)))
}

/// Standard base64 with padding.
fn base64_std(b: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(b.len().div_ceil(3) * 4);
    for c in b.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        out.push(A[(n >> 18) as usize & 63] as char);
        out.push(A[(n >> 12) as usize & 63] as char);
        out.push(if c.len() > 1 {
            A[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        out.push(if c.len() > 2 {
            A[n as usize & 63] as char
        } else {
            '='
        });
    }
    out
}

fn unsupported_type(v: &Value) -> Error {
    Error::new(
        crate::ErrorKind::Marshal,
        format!("json: unsupported type: {}", v.type_name()),
    )
}

/// Where [`marshal_into`] writes: a string, or nowhere when only its
/// errors are wanted.
trait Out {
    fn push(&mut self, c: char);
    fn push_str(&mut self, s: &str);
    fn quote(&mut self, s: &str, escape_html: bool);
    /// Whether anything is kept (formatting can be skipped otherwise).
    fn keeps(&self) -> bool;
}

impl Out for String {
    fn push(&mut self, c: char) {
        String::push(self, c)
    }
    fn push_str(&mut self, s: &str) {
        String::push_str(self, s)
    }
    fn quote(&mut self, s: &str, escape_html: bool) {
        quote_into(self, s, escape_html)
    }
    fn keeps(&self) -> bool {
        true
    }
}

struct Discard;

impl Out for Discard {
    fn push(&mut self, _: char) {}
    fn push_str(&mut self, _: &str) {}
    fn quote(&mut self, _: &str, _: bool) {}
    fn keeps(&self) -> bool {
        false
    }
}

/// encoding/json starts tracking the maps and slices on its path after this
/// many levels, and fails when it meets one of them again (a map that
/// contains itself).
const START_DETECTING_CYCLES_AFTER: usize = 1000;

fn marshal_into<O: Out>(
    out: &mut O,
    v: &Value,
    escape_html: bool,
    depth: usize,
    seen: &mut HashSet<usize>,
) -> Result<(), Error> {
    let id = match v {
        _ if depth < START_DETECTING_CYCLES_AFTER => None,
        Value::Map(m) => Some(m.id()),
        Value::List(l) => Some(Arc::as_ptr(l) as usize),
        _ => None,
    };
    if let Some(id) = id {
        if !seen.insert(id) {
            return Err(Error::new(
                crate::ErrorKind::Marshal,
                format!(
                    "json: unsupported value: encountered a cycle via {}",
                    v.type_name()
                ),
            ));
        }
    }
    let result = crate::grow(|| marshal_value(out, v, escape_html, depth, seen));
    if let Some(id) = id {
        seen.remove(&id);
    }
    result
}

fn marshal_value<O: Out>(
    out: &mut O,
    v: &Value,
    escape_html: bool,
    depth: usize,
    seen: &mut HashSet<usize>,
) -> Result<(), Error> {
    {
        match v {
            Value::Invalid | Value::Nil => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Int(i, _) if out.keeps() => out.push_str(&i.to_string()),
            Value::Uint(u, _) if out.keeps() => out.push_str(&u.to_string()),
            Value::Int(..) | Value::Uint(..) => {}
            Value::Float(f) => match format_json(*f) {
                Some(s) => out.push_str(&s),
                None => {
                    return Err(Error::new(
                        crate::ErrorKind::Marshal,
                        format!("json: unsupported value: {}", format_g(*f)),
                    ))
                }
            },
            Value::Complex(..) => return Err(unsupported_type(v)),
            Value::String(s) => out.quote(s, escape_html),
            Value::Bytes(b) if out.keeps() => {
                let mut t = String::new();
                quote_bytes_into(&mut t, b.as_bytes(), escape_html);
                out.push_str(&t);
            }
            Value::Bytes(_) => {}
            Value::List(l) if l.nil => out.push_str("null"),
            Value::List(l) if is_byte_slice(l) && !out.keeps() => {}
            Value::List(l) if is_byte_slice(l) => {
                // encoding/json writes a []byte as a base64 string.
                let bytes: Vec<u8> = l
                    .items
                    .iter()
                    .map(|b| match b {
                        Value::Uint(u, _) => *u as u8,
                        _ => 0,
                    })
                    .collect();
                out.push('"');
                out.push_str(&base64_std(&bytes));
                out.push('"');
            }
            Value::List(l) => {
                out.push('[');
                for (i, item) in l.items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    marshal_into(out, item, escape_html, depth + 1, seen)?;
                }
                out.push(']');
            }
            Value::Map(m) if m.is_nil() => out.push_str("null"),
            Value::Map(m) => {
                out.push('{');
                for (i, (k, item)) in m.entries().iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.quote(k, escape_html);
                    out.push(':');
                    marshal_into(out, item, escape_html, depth + 1, seen)?;
                }
                out.push('}');
            }
            Value::Object(o) => {
                if o.is_nil() {
                    out.push_str("null");
                    return Ok(());
                }
                if let Some(u) = o.underlying() {
                    return marshal_into(out, &u, escape_html, depth, seen);
                }
                if let Some(text) = o.marshal_json() {
                    out.push_str(&text);
                    return Ok(());
                }
                if let Some(fields) = o.json_fields() {
                    out.push('{');
                    for (i, (k, item)) in fields.iter().enumerate() {
                        if i > 0 {
                            out.push(',');
                        }
                        out.quote(k, escape_html);
                        out.push(':');
                        marshal_into(out, item, escape_html, depth + 1, seen)?;
                    }
                    out.push('}');
                    return Ok(());
                }
                if let Some(s) = o.go_string() {
                    // A value with a String()/MarshalText-like form.
                    out.quote(&s, escape_html);
                    return Ok(());
                }
                let fields = o.struct_fields();
                if fields.is_empty() && o.go_type().kind() != gotmpl::Kind::Struct {
                    return Err(unsupported_type(v));
                }
                out.push('{');
                for (i, (k, item)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.quote(k, escape_html);
                    out.push(':');
                    marshal_into(out, item, escape_html, depth + 1, seen)?;
                }
                out.push('}');
            }
        }
    }
    Ok(())
}

/// The error `json.Marshal(v)` would give, without building its text.
pub fn marshal_check(v: &Value) -> Result<(), Error> {
    marshal_into(&mut Discard, v, true, 0, &mut HashSet::new())
}

/// `json.Marshal(v)` (HTML-escaping).
pub fn marshal(v: &Value) -> Result<String, Error> {
    let mut s = String::new();
    marshal_into(&mut s, v, true, 0, &mut HashSet::new())?;
    Ok(s)
}

/// A `json.Encoder` with `SetEscapeHTML(false)`, without the trailing newline.
pub fn marshal_raw(v: &Value) -> Result<String, Error> {
    let mut s = String::new();
    marshal_into(&mut s, v, false, 0, &mut HashSet::new())?;
    Ok(s)
}

/// `json.MarshalIndent(v, prefix, indent)`.
pub fn marshal_indent(v: &Value, prefix: &str, indent: &str) -> Result<String, Error> {
    let compact = marshal(v)?;
    Ok(indent_json(&compact, prefix, indent))
}

/// Go's `json.Indent` applied to valid compact JSON.
fn indent_json(src: &str, prefix: &str, indent: &str) -> String {
    let b = src.as_bytes();
    let mut out = String::with_capacity(src.len() * 2);
    let mut depth = 0usize;
    let mut in_str = false;
    let mut esc = false;
    let mut need_indent = false;
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.push_str(prefix);
        for _ in 0..depth {
            out.push_str(indent);
        }
    };
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if in_str {
            if esc {
                esc = false;
            } else if c == b'\\' {
                esc = true;
            } else if c == b'"' {
                in_str = false;
            }
            i += 1;
            continue;
        }
        if need_indent && c != b']' && c != b'}' {
            need_indent = false;
            depth += 1;
            newline(&mut out, depth);
        }
        match c {
            b'"' => {
                let start = i;
                // copy the whole string at once
                let mut j = i + 1;
                let mut e = false;
                while j < b.len() {
                    if e {
                        e = false;
                    } else if b[j] == b'\\' {
                        e = true;
                    } else if b[j] == b'"' {
                        break;
                    }
                    j += 1;
                }
                out.push_str(&src[start..=j.min(b.len() - 1)]);
                in_str = false;
                i = j + 1;
                continue;
            }
            b'{' | b'[' => {
                out.push(c as char);
                need_indent = true;
            }
            b',' => {
                out.push(',');
                newline(&mut out, depth);
            }
            b':' => out.push_str(": "),
            b'}' | b']' => {
                if need_indent {
                    need_indent = false;
                } else {
                    depth = depth.saturating_sub(1);
                    newline(&mut out, depth);
                }
                out.push(c as char);
            }
            _ => {
                // numbers and literals: copy the run
                let mut j = i;
                while j < b.len() && !matches!(b[j], b',' | b']' | b'}' | b':') {
                    j += 1;
                }
                out.push_str(&src[i..j]);
                i = j;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// Where `Unmarshal` decodes into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// `interface{}`
    Any,
    /// `map[string]interface{}`
    Map,
    /// `[]interface{}`
    Array,
}

fn quote_char(c: u8) -> String {
    if c == b'\'' {
        return "'\\''".into();
    }
    if c == b'"' {
        return "'\"'".into();
    }
    let s = crate::gofmt::go_quote(&char::from(c).to_string());
    format!("'{}'", &s[1..s.len() - 1])
}

/// Go's JSON scanner (`checkValid`): the syntax error text, if any.
pub fn check_valid(data: &[u8]) -> Result<(), String> {
    scan_valid(data, true)
}

/// [`check_valid`]; `skip_strings` false feeds every byte to the state
/// machine, the reference the bulk skipping is tested against.
fn scan_valid(data: &[u8], skip_strings: bool) -> Result<(), String> {
    #[derive(Clone, Copy, PartialEq)]
    enum PS {
        ObjKey,
        ObjVal,
        ArrVal,
    }
    #[derive(Clone, Copy, PartialEq)]
    enum St {
        BeginValueOrEmpty,
        BeginValue,
        BeginStringOrEmpty,
        BeginString,
        EndValue,
        EndTop,
        InString,
        InStringEsc,
        EscU(u8),
        Neg,
        S1,
        S0,
        Dot,
        Dot0,
        E,
        ESign,
        E0,
        Lit(&'static [u8], usize, &'static str),
    }
    let mut stack: Vec<PS> = Vec::new();
    let mut st = St::BeginValue;
    let is_space = |c: u8| matches!(c, b' ' | b'\t' | b'\r' | b'\n');
    let err = |c: u8, ctx: &str| Err(format!("invalid character {} {}", quote_char(c), ctx));
    // Process one byte; returns Err on a syntax error.
    let step = |st: &mut St, stack: &mut Vec<PS>, c: u8| -> Result<(), String> {
        loop {
            match *st {
                St::BeginValueOrEmpty => {
                    if is_space(c) {
                        return Ok(());
                    }
                    if c == b']' {
                        *st = St::EndValue;
                        continue;
                    }
                    *st = St::BeginValue;
                    continue;
                }
                St::BeginValue => {
                    if is_space(c) {
                        return Ok(());
                    }
                    match c {
                        b'{' => {
                            stack.push(PS::ObjKey);
                            if stack.len() > 10000 {
                                return err(c, "exceeded max depth");
                            }
                            *st = St::BeginStringOrEmpty;
                        }
                        b'[' => {
                            stack.push(PS::ArrVal);
                            if stack.len() > 10000 {
                                return err(c, "exceeded max depth");
                            }
                            *st = St::BeginValueOrEmpty;
                        }
                        b'"' => *st = St::InString,
                        b'-' => *st = St::Neg,
                        b'0' => *st = St::S0,
                        b't' => *st = St::Lit(b"rue", 0, "true"),
                        b'f' => *st = St::Lit(b"alse", 0, "false"),
                        b'n' => *st = St::Lit(b"ull", 0, "null"),
                        b'1'..=b'9' => *st = St::S1,
                        _ => return err(c, "looking for beginning of value"),
                    }
                    return Ok(());
                }
                St::BeginStringOrEmpty => {
                    if is_space(c) {
                        return Ok(());
                    }
                    if c == b'}' {
                        if let Some(l) = stack.last_mut() {
                            *l = PS::ObjVal;
                        }
                        *st = St::EndValue;
                        continue;
                    }
                    *st = St::BeginString;
                    continue;
                }
                St::BeginString => {
                    if is_space(c) {
                        return Ok(());
                    }
                    if c == b'"' {
                        *st = St::InString;
                        return Ok(());
                    }
                    return err(c, "looking for beginning of object key string");
                }
                St::EndValue => {
                    let Some(&ps) = stack.last() else {
                        *st = St::EndTop;
                        continue;
                    };
                    if is_space(c) {
                        return Ok(());
                    }
                    match ps {
                        PS::ObjKey => {
                            if c == b':' {
                                *stack.last_mut().expect("stack") = PS::ObjVal;
                                *st = St::BeginValue;
                                return Ok(());
                            }
                            return err(c, "after object key");
                        }
                        PS::ObjVal => {
                            if c == b',' {
                                *stack.last_mut().expect("stack") = PS::ObjKey;
                                *st = St::BeginString;
                                return Ok(());
                            }
                            if c == b'}' {
                                stack.pop();
                                *st = St::EndValue;
                                return Ok(());
                            }
                            return err(c, "after object key:value pair");
                        }
                        PS::ArrVal => {
                            if c == b',' {
                                *st = St::BeginValue;
                                return Ok(());
                            }
                            if c == b']' {
                                stack.pop();
                                *st = St::EndValue;
                                return Ok(());
                            }
                            return err(c, "after array element");
                        }
                    }
                }
                St::EndTop => {
                    if !is_space(c) {
                        return err(c, "after top-level value");
                    }
                    return Ok(());
                }
                St::InString => {
                    match c {
                        b'"' => *st = St::EndValue,
                        b'\\' => *st = St::InStringEsc,
                        c if c < 0x20 => return err(c, "in string literal"),
                        _ => {}
                    }
                    return Ok(());
                }
                St::InStringEsc => {
                    match c {
                        b'b' | b'f' | b'n' | b'r' | b't' | b'\\' | b'/' | b'"' => {
                            *st = St::InString
                        }
                        b'u' => *st = St::EscU(0),
                        _ => return err(c, "in string escape code"),
                    }
                    return Ok(());
                }
                St::EscU(n) => {
                    if c.is_ascii_hexdigit() {
                        *st = if n == 3 {
                            St::InString
                        } else {
                            St::EscU(n + 1)
                        };
                        return Ok(());
                    }
                    return err(c, "in \\u hexadecimal character escape");
                }
                St::Neg => {
                    match c {
                        b'0' => *st = St::S0,
                        b'1'..=b'9' => *st = St::S1,
                        _ => return err(c, "in numeric literal"),
                    }
                    return Ok(());
                }
                St::S1 => {
                    if c.is_ascii_digit() {
                        return Ok(());
                    }
                    *st = St::S0;
                    continue;
                }
                St::S0 => {
                    match c {
                        b'.' => *st = St::Dot,
                        b'e' | b'E' => *st = St::E,
                        _ => {
                            *st = St::EndValue;
                            continue;
                        }
                    }
                    return Ok(());
                }
                St::Dot => {
                    if c.is_ascii_digit() {
                        *st = St::Dot0;
                        return Ok(());
                    }
                    return err(c, "after decimal point in numeric literal");
                }
                St::Dot0 => {
                    if c.is_ascii_digit() {
                        return Ok(());
                    }
                    if c == b'e' || c == b'E' {
                        *st = St::E;
                        return Ok(());
                    }
                    *st = St::EndValue;
                    continue;
                }
                St::E => {
                    if c == b'+' || c == b'-' {
                        *st = St::ESign;
                        return Ok(());
                    }
                    *st = St::ESign;
                    continue;
                }
                St::ESign => {
                    if c.is_ascii_digit() {
                        *st = St::E0;
                        return Ok(());
                    }
                    return err(c, "in exponent of numeric literal");
                }
                St::E0 => {
                    if c.is_ascii_digit() {
                        return Ok(());
                    }
                    *st = St::EndValue;
                    continue;
                }
                St::Lit(rest, i, name) => {
                    if c == rest[i] {
                        *st = if i + 1 == rest.len() {
                            St::EndValue
                        } else {
                            St::Lit(rest, i + 1, name)
                        };
                        return Ok(());
                    }
                    return err(
                        c,
                        &format!("in literal {} (expecting {})", name, quote_char(rest[i])),
                    );
                }
            }
        }
    };
    let mut i = 0;
    while i < data.len() {
        if skip_strings && st == St::InString {
            // Plain string bytes leave the state as it is: skip them in
            // bulk (most of a schema is descriptions).
            i += data[i..]
                .iter()
                .position(|&c| c < 0x20 || c == b'"' || c == b'\\')
                .unwrap_or(data.len() - i);
            if i == data.len() {
                break;
            }
        }
        step(&mut st, &mut stack, data[i])?;
        i += 1;
    }
    // eof: feed a space
    if st == St::EndTop {
        return Ok(());
    }
    step(&mut st, &mut stack, b' ')?;
    if st == St::EndTop {
        return Ok(());
    }
    Err("unexpected end of JSON input".into())
}

struct Dec<'a> {
    b: &'a [u8],
    i: usize,
    saved: Option<String>,
}

impl Dec<'_> {
    fn ws(&mut self) {
        while self.i < self.b.len() && matches!(self.b[self.i], b' ' | b'\t' | b'\r' | b'\n') {
            self.i += 1;
        }
    }

    fn save(&mut self, e: String) {
        if self.saved.is_none() {
            self.saved = Some(e);
        }
    }

    fn string(&mut self) -> String {
        // at '"'
        self.i += 1;
        let mut out: Vec<u8> = Vec::new();
        while self.i < self.b.len() {
            let c = self.b[self.i];
            match c {
                b'"' => {
                    self.i += 1;
                    break;
                }
                b'\\' => {
                    let e = self.b.get(self.i + 1).copied().unwrap_or(b'"');
                    self.i += 2;
                    let ch = match e {
                        b'b' => '\x08',
                        b'f' => '\x0C',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let r1 = self.hex4();
                            if (0xD800..0xDC00).contains(&r1)
                                && self.b.get(self.i) == Some(&b'\\')
                                && self.b.get(self.i + 1) == Some(&b'u')
                            {
                                let save = self.i;
                                self.i += 2;
                                let r2 = self.hex4();
                                if (0xDC00..0xE000).contains(&r2) {
                                    let v = 0x10000 + ((r1 - 0xD800) << 10) + (r2 - 0xDC00);
                                    char::from_u32(v).unwrap_or('\u{FFFD}')
                                } else {
                                    self.i = save;
                                    '\u{FFFD}'
                                }
                            } else {
                                char::from_u32(r1).unwrap_or('\u{FFFD}')
                            }
                        }
                        other => other as char,
                    };
                    let mut tmp = [0u8; 4];
                    out.extend_from_slice(ch.encode_utf8(&mut tmp).as_bytes());
                }
                _ => {
                    out.push(c);
                    self.i += 1;
                }
            }
        }
        crate::decode::go_lossy_utf8(&out)
    }

    fn hex4(&mut self) -> u32 {
        let mut v = 0;
        for _ in 0..4 {
            let d = self
                .b
                .get(self.i)
                .and_then(|c| (*c as char).to_digit(16))
                .unwrap_or(0);
            v = v * 16 + d;
            self.i += 1;
        }
        v
    }

    fn value(&mut self) -> Value {
        crate::grow(|| {
            self.ws();
            let Some(&c) = self.b.get(self.i) else {
                return Value::Nil;
            };
            match c {
                b'{' => {
                    self.i += 1;
                    let mut m = MapEntries::new();
                    loop {
                        self.ws();
                        if self.b.get(self.i) == Some(&b'}') {
                            self.i += 1;
                            break;
                        }
                        if self.b.get(self.i) == Some(&b',') {
                            self.i += 1;
                            self.ws();
                        }
                        let k = self.string();
                        self.ws();
                        self.i += 1; // ':'
                        let v = self.value();
                        m.insert(k.into(), v);
                        self.ws();
                        if self.b.get(self.i) == Some(&b',') {
                            self.i += 1;
                        }
                    }
                    Value::map(m)
                }
                b'[' => {
                    self.i += 1;
                    let mut items = Vec::new();
                    loop {
                        self.ws();
                        if self.b.get(self.i) == Some(&b']') {
                            self.i += 1;
                            break;
                        }
                        items.push(self.value());
                        self.ws();
                        if self.b.get(self.i) == Some(&b',') {
                            self.i += 1;
                        }
                    }
                    // With the room encoding/json's appends leave.
                    Value::grown_list(items)
                }
                b'"' => Value::string(self.string()),
                b't' => {
                    self.i += 4;
                    Value::Bool(true)
                }
                b'f' => {
                    self.i += 5;
                    Value::Bool(false)
                }
                b'n' => {
                    self.i += 4;
                    Value::Nil
                }
                _ => {
                    let st = self.i;
                    while self.i < self.b.len()
                        && matches!(
                            self.b[self.i],
                            b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'
                        )
                    {
                        self.i += 1;
                    }
                    let s = std::str::from_utf8(&self.b[st..self.i]).unwrap_or("0");
                    match s.parse::<f64>() {
                        Ok(f) if f.is_finite() => Value::Float(f),
                        _ => {
                            self.save(format!(
                                "json: cannot unmarshal number {s} into Go value of type float64"
                            ));
                            Value::Nil
                        }
                    }
                }
            }
        })
    }
}

/// `json.Unmarshal(data, &target)`. On failure returns the partially decoded
/// value (what Go leaves in the target) with the error text.
pub fn unmarshal(data: &[u8], target: Target) -> (Value, Option<String>) {
    let empty = match target {
        Target::Any => Value::Nil,
        Target::Map => Value::map(MapEntries::new()),
        Target::Array => Value::list(Vec::new()),
    };
    if let Err(e) = check_valid(data) {
        return (empty, Some(e));
    }
    let mut d = Dec {
        b: data,
        i: 0,
        saved: None,
    };
    d.ws();
    let first = d.b.get(d.i).copied().unwrap_or(b'n');
    let kind = match first {
        b'{' => "object",
        b'[' => "array",
        b'"' => "string",
        b't' | b'f' => "bool",
        b'n' => "null",
        _ => "number",
    };
    let type_err = |t: &str| {
        Some(format!(
            "json: cannot unmarshal {kind} into Go value of type {t}"
        ))
    };
    match (target, kind) {
        (Target::Any, "null") => (Value::Nil, None),
        (_, "null") => (Value::Nil, None),
        (Target::Map, "object") | (Target::Array, "array") | (Target::Any, _) => {
            let v = d.value();
            (v, d.saved)
        }
        (Target::Map, _) => (empty, type_err("map[string]interface {}")),
        (Target::Array, _) => (empty, type_err("[]interface {}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gotmpl::UintKind;

    /// Skipping string bodies in bulk gives the byte-by-byte answers,
    /// errors included, over edits of JSON texts.
    #[test]
    fn string_skipping_matches_byte_by_byte_scanning() {
        let seeds: [&[u8]; 4] = [
            br#"{"a": "x\"y\u00e9z", "b": [1, -2.5e3, true, null, "\n"], "c": {"d": ""}}"#,
            b"[\"plain text\", \"tab\\there\", \"\xc2\xb5s\", \"\\ud800\"]",
            br#""just a string""#,
            br#"{"k": "v"}  "#,
        ];
        let edits: &[u8] = b"\"\\\x01\n\t u{}[],:0e.-x\x7f\xc3";
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut checked = 0;
        for seed in seeds {
            for _ in 0..3000 {
                let mut t = seed.to_vec();
                for _ in 0..1 + next() % 3 {
                    let at = (next() % (t.len() as u64 + 1)) as usize;
                    let c = edits[(next() % edits.len() as u64) as usize];
                    match next() % 3 {
                        0 => t.insert(at, c),
                        1 if at < t.len() => t[at] = c,
                        _ => t.truncate(at),
                    }
                }
                assert_eq!(
                    scan_valid(&t, true),
                    scan_valid(&t, false),
                    "{}",
                    String::from_utf8_lossy(&t)
                );
                checked += 1;
            }
        }
        assert_eq!(checked, 12000);
        assert!(check_valid(seeds[0]).is_ok());
        assert!(check_valid(b"\"a\x01\"").is_err());
    }

    fn bytes(b: &[u8]) -> Value {
        Value::typed_list(
            Type::Uint(UintKind::Uint8),
            b.iter()
                .map(|&x| Value::Uint(u64::from(x), UintKind::Uint8))
                .collect(),
        )
    }

    #[test]
    fn byte_slices_are_base64() {
        for (b, want) in [
            (&b""[..], "\"\""),
            (b"h", "\"aA==\""),
            (b"hi", "\"aGk=\""),
            (b"hello\n", "\"aGVsbG8K\""),
            (b"\xff\xfe\x00", "\"//4A\""),
        ] {
            assert_eq!(marshal(&bytes(b)).unwrap(), want);
        }
        // A []interface{} of uint8 values stays an array.
        let l = Value::list(vec![Value::Uint(1, UintKind::Uint8)]);
        assert_eq!(marshal(&l).unwrap(), "[1]");
    }
}
