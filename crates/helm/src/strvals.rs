//! helm's `pkg/strvals`: the `--set` family's `key.path[0]=value,…` syntax.
//!
//! * `--set` ([`parse_into`]): `true`/`false`/`null` in any case become
//!   bool/nil, base-10 integers that fit (and do not start with `0`, except
//!   `0` itself) become int64, everything else stays a string.
//! * `--set-string` ([`parse_into_string`]): strings only.
//! * `--set-json` ([`parse_json_into`]): each value is one JSON document (numbers float64).
//! * `--set-file` ([`parse_into_file`]): each value names a file whose content is the string.
//! * `--set-literal` ([`parse_literal_into`]): one key, the rest of the text verbatim.
//!
//! `\` escapes the next character (`a\.b=1` is the key `a.b`), `{a,b}` is a
//! list, `a[1]=x` replaces the whole list by one with `x` at index 1 (nil
//! before it), and errors keep helm's texts, including the recovered Go
//! panics (`unable to parse key: interface conversion: …`).

use gotmpl::{MapEntries, Value};

/// helm's `MaxIndex`.
pub const MAX_INDEX: i64 = 65536;
/// helm's `MaxNestedNameLevel`.
pub const MAX_NESTED_NAME_LEVEL: usize = 30;

#[derive(Debug)]
enum E {
    /// io.EOF: the normal end of input.
    Eof,
    Msg(String),
}

type R<T> = Result<T, E>;

fn msg<T>(s: impl Into<String>) -> R<T> {
    Err(E::Msg(s.into()))
}

/// How a `key=value` value becomes a Go value.
enum Reader<'a> {
    Typed { string_only: bool },
    Json,
    File(&'a mut dyn FnMut(&str) -> Result<Value, String>),
}

struct Scanner {
    rs: Vec<char>,
    pos: usize,
}

impl Scanner {
    fn read(&mut self) -> Option<char> {
        let c = self.rs.get(self.pos).copied();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }
    fn unread(&mut self) {
        self.pos = self.pos.saturating_sub(1);
    }
    fn rest(&self) -> String {
        self.rs[self.pos..].iter().collect()
    }
}

/// Go's `%T` for the values strvals can meet.
fn go_type_name(v: &Value) -> String {
    match v {
        Value::Invalid | Value::Nil => "nil".into(),
        other => other.type_name(),
    }
}

fn conversion_panic(v: &Value, want: &str) -> String {
    format!(
        "unable to parse key: interface conversion: interface {{}} is {}, not {want}",
        go_type_name(v)
    )
}

const MAP_T: &str = "map[string]interface {}";
const LIST_T: &str = "[]interface {}";

/// `runesUntil` (`literal`: no `\` escapes).
fn runes_until(sc: &mut Scanner, stop: &[char], literal: bool) -> (String, Option<char>) {
    let mut v = String::new();
    loop {
        match sc.read() {
            None => return (v, None),
            Some(r) if stop.contains(&r) => return (v, Some(r)),
            Some('\\') if !literal => match sc.read() {
                None => return (v, None),
                Some(n) => v.push(n),
            },
            Some(r) => v.push(r),
        }
    }
}

fn typed_val(v: &str, string_only: bool) -> Value {
    if string_only {
        return Value::from(v);
    }
    if v.eq_ignore_ascii_case("true") {
        return Value::Bool(true);
    }
    if v.eq_ignore_ascii_case("false") {
        return Value::Bool(false);
    }
    if v.eq_ignore_ascii_case("null") {
        return Value::Nil;
    }
    if v == "0" {
        return Value::int64(0);
    }
    if !v.is_empty() && !v.starts_with('0') {
        if let Some(i) = go_parse_int(v) {
            return Value::int64(i);
        }
    }
    Value::from(v)
}

/// `strconv.ParseInt(s, 10, 64)` success cases (a sign, then digits; `_` not allowed in base 10).
fn go_parse_int(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let s = s.strip_prefix('+').unwrap_or(s);
    s.parse::<i64>().ok()
}

fn go_is_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r' | ' ' | '\u{85}' | '\u{A0}'
    ) || (c as u32 > 0xFF && c.is_whitespace())
}

/// `strconv.Atoi` with Go's error text.
fn atoi(s: &str) -> Result<i64, String> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "strconv.Atoi: parsing {}: invalid syntax",
            gotmpl::strconv::quote(s)
        ));
    }
    s.strip_prefix('+')
        .unwrap_or(s)
        .parse::<i64>()
        .map_err(|_| {
            format!(
                "strconv.Atoi: parsing {}: value out of range",
                gotmpl::strconv::quote(s)
            )
        })
}

/// Go's `%q` of a `[]rune`: `['a' 'b']`.
fn quote_runes(s: &str) -> String {
    let parts: Vec<String> = s.chars().map(gotmpl::strconv::quote_rune).collect();
    format!("[{}]", parts.join(" "))
}

fn set(data: &mut MapEntries, key: &str, val: Value) {
    if key.is_empty() {
        return;
    }
    data.insert(key.into(), val);
}

/// The length and capacity of a list value, if it is one.
fn room(v: Option<&Value>) -> Option<(usize, usize)> {
    match v {
        Some(Value::List(l)) => Some((l.items.len(), l.cap())),
        _ => None,
    }
}

/// A list `setIndex` wrote into, as a value: the slice it was given keeps
/// its capacity (helm's `{a,b}` lists have room past their length), unless
/// it had to make a longer one, of exactly the length needed.
fn relisted(items: Vec<Value>, given: Option<(usize, usize)>) -> Value {
    match given {
        Some((len, cap)) if items.len() <= len => {
            Value::typed_list_with_cap(gotmpl::Type::Interface, items, cap)
        }
        _ => Value::list(items),
    }
}

fn set_index(mut list: Vec<Value>, index: i64, val: Value) -> (Vec<Value>, R<()>) {
    if index < 0 {
        return (list, msg(format!("negative {index} index not allowed")));
    }
    if index > MAX_INDEX {
        return (
            list,
            msg(format!(
                "index of {index} is greater than maximum supported index of {MAX_INDEX}"
            )),
        );
    }
    let i = index as usize;
    if list.len() <= i {
        list.resize(i + 1, Value::Nil);
    }
    list[i] = val;
    (list, Ok(()))
}

/// One JSON value from the front of `text` (encoding/json's `Decoder.Decode`):
/// the value (numbers float64) and the number of bytes consumed.
fn decode_json_prefix(text: &str) -> R<(Value, usize)> {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    if i == b.len() {
        return msg("EOF");
    }
    let start = i;
    match b[i] {
        b'{' | b'[' => {
            let mut depth = 0i32;
            let mut in_str = false;
            while i < b.len() {
                let c = b[i];
                if in_str {
                    if c == b'\\' {
                        i += 1;
                    } else if c == b'"' {
                        in_str = false;
                    }
                } else if c == b'"' {
                    in_str = true;
                } else if c == b'{' || c == b'[' {
                    depth += 1;
                } else if c == b'}' || c == b']' {
                    depth -= 1;
                    if depth == 0 {
                        i += 1;
                        break;
                    }
                }
                i += 1;
            }
            if depth != 0 {
                return msg("unexpected EOF");
            }
        }
        b'"' => {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                if b[i] == b'\\' {
                    i += 1;
                }
                i += 1;
            }
            if i >= b.len() {
                return msg("unexpected EOF");
            }
            i += 1;
        }
        _ => {
            while i < b.len()
                && (b[i].is_ascii_alphanumeric() || matches!(b[i], b'+' | b'-' | b'.'))
            {
                i += 1;
            }
        }
    }
    let (v, err) = chartgen_yaml::json::unmarshal(&b[start..i], chartgen_yaml::json::Target::Any);
    if let Some(e) = err {
        return msg(e);
    }
    Ok((v, i))
}

struct Parser<'a> {
    sc: Scanner,
    reader: Reader<'a>,
}

impl Parser<'_> {
    fn read_value(&mut self, rs: &str) -> R<Value> {
        match &mut self.reader {
            Reader::Typed { string_only } => Ok(typed_val(rs, *string_only)),
            Reader::File(f) => f(rs).map_err(E::Msg),
            Reader::Json => Ok(Value::from(rs)),
        }
    }

    fn parse(&mut self, data: &mut MapEntries) -> R<()> {
        loop {
            match self.key(data, 0) {
                Ok(()) => continue,
                Err(E::Eof) => return Ok(()),
                Err(e) => return Err(e),
            }
        }
    }

    fn empty_val(&mut self) -> bool {
        loop {
            match self.sc.read() {
                None | Some(',') => return true,
                Some(r) if !go_is_space(r) => {
                    self.sc.unread();
                    return false;
                }
                _ => {}
            }
        }
    }

    /// A JSON value after `=`: `(value, consumed-ok)`.
    fn json_value(&mut self) -> R<Option<Value>> {
        if self.empty_val() {
            return Ok(None);
        }
        let rest = self.sc.rest();
        let (v, n) = decode_json_prefix(&rest)?;
        let consumed_chars = rest[..n].chars().count();
        self.sc.pos += consumed_chars;
        Ok(Some(v))
    }

    fn val(&mut self) -> (String, bool) {
        let (v, last) = runes_until(&mut self.sc, &[','], false);
        (v, last.is_none())
    }

    /// `valList`: `Ok(Some(list))`, `Ok(None)` for not-a-list, `Err(Eof)` at end.
    fn val_list(&mut self) -> R<Option<Vec<Value>>> {
        match self.sc.read() {
            None => return Err(E::Eof),
            Some('{') => {}
            Some(_) => {
                self.sc.unread();
                return Ok(None);
            }
        }
        let mut list = Vec::new();
        loop {
            let (rs, last) = runes_until(&mut self.sc, &[',', '}'], false);
            match last {
                None => return msg("list must terminate with '}'"),
                Some('}') => {
                    if let Some(r) = self.sc.read() {
                        if r != ',' {
                            self.sc.unread();
                        }
                    }
                    let v = self.read_value(&rs)?;
                    list.push(v);
                    return Ok(Some(list));
                }
                _ => {
                    let v = self.read_value(&rs)?;
                    list.push(v);
                }
            }
        }
    }

    fn key_index(&mut self) -> R<i64> {
        let (v, last) = runes_until(&mut self.sc, &[']'], false);
        if last.is_none() {
            return Err(E::Eof);
        }
        atoi(&v).map_err(E::Msg)
    }

    fn key(&mut self, data: &mut MapEntries, mut level: usize) -> R<()> {
        let (k, last) = runes_until(&mut self.sc, &['=', '[', ',', '.'], false);
        match last {
            None => {
                if k.is_empty() {
                    return Err(E::Eof);
                }
                msg(format!("key {} has no value", gotmpl::strconv::quote(&k)))
            }
            Some('[') => {
                let i = match self.key_index() {
                    Ok(i) => i,
                    // Go wraps io.EOF with %w: the parse then ends without error.
                    Err(E::Eof) => return Err(E::Eof),
                    Err(E::Msg(m)) => return msg(format!("error parsing index: {m}")),
                };
                let given = room(data.get(k.as_str()));
                let list = match data.get(k.as_str()) {
                    None => Vec::new(),
                    Some(Value::List(l)) => l.items.clone(),
                    Some(other) => return msg(conversion_panic(other, LIST_T)),
                };
                let (list, res) = self.list_item(list, i, level);
                if let Some(l) = list {
                    set(data, &k, relisted(l, given));
                } else {
                    set(data, &k, Value::Nil);
                }
                res
            }
            Some('=') => {
                if matches!(self.reader, Reader::Json) {
                    match self.json_value()? {
                        None => {
                            set(data, &k, Value::Nil);
                            return Ok(());
                        }
                        Some(v) => {
                            set(data, &k, v);
                            self.empty_val();
                            return Ok(());
                        }
                    }
                }
                match self.val_list() {
                    Ok(Some(vl)) => {
                        set(data, &k, Value::grown_list(vl));
                        Ok(())
                    }
                    Err(E::Eof) => {
                        set(data, &k, Value::from(""));
                        Err(E::Eof)
                    }
                    Ok(None) => {
                        let (rs, _) = self.val();
                        let v = self.read_value(&rs)?;
                        set(data, &k, v);
                        Ok(())
                    }
                    Err(e) => Err(e),
                }
            }
            Some(',') => {
                set(data, &k, Value::from(""));
                msg(format!(
                    "key {} has no value (cannot end with ,)",
                    gotmpl::strconv::quote(&k)
                ))
            }
            _ => {
                level += 1;
                if level > MAX_NESTED_NAME_LEVEL {
                    return msg(format!("value name nested level is greater than maximum supported nested level of {MAX_NESTED_NAME_LEVEL}"));
                }
                let mut inner = match data.get(k.as_str()) {
                    None => MapEntries::new(),
                    Some(Value::Map(m)) => (*m.entries()).clone(),
                    Some(other) => return msg(conversion_panic(other, MAP_T)),
                };
                let e = self.key(&mut inner, level);
                if e.is_ok() && inner.is_empty() {
                    return msg(format!(
                        "key map {} has no value",
                        gotmpl::strconv::quote(&k)
                    ));
                }
                if !inner.is_empty() {
                    set(data, &k, Value::map(inner));
                }
                e
            }
        }
    }

    /// `listItem`: the new list (`None` for Go's nil) and the error.
    fn list_item(
        &mut self,
        mut list: Vec<Value>,
        i: i64,
        level: usize,
    ) -> (Option<Vec<Value>>, R<()>) {
        if i < 0 {
            return (Some(list), msg(format!("negative {i} index not allowed")));
        }
        let (k, last) = runes_until(&mut self.sc, &['[', '.', '='], false);
        if !k.is_empty() {
            return (
                Some(list),
                msg(format!(
                    "unexpected data at end of array index: {}",
                    quote_runes(&k)
                )),
            );
        }
        match last {
            None => (Some(list), Err(E::Eof)),
            Some('=') => {
                if matches!(self.reader, Reader::Json) {
                    return match self.json_value() {
                        Err(e) => (Some(list), Err(e)),
                        Ok(None) => {
                            let (l, r) = set_index(list, i, Value::Nil);
                            (Some(l), r)
                        }
                        Ok(Some(v)) => {
                            let (l, r) = set_index(list, i, v);
                            if r.is_err() {
                                return (Some(l), r);
                            }
                            self.empty_val();
                            (Some(l), Ok(()))
                        }
                    };
                }
                match self.val_list() {
                    Ok(Some(vl)) => {
                        let (l, r) = set_index(list, i, Value::grown_list(vl));
                        (Some(l), r)
                    }
                    Err(E::Eof) => {
                        let (l, r) = set_index(list, i, Value::from(""));
                        (Some(l), r)
                    }
                    Ok(None) => {
                        let (rs, _) = self.val();
                        match self.read_value(&rs) {
                            Ok(v) => {
                                let (l, r) = set_index(list, i, v);
                                (Some(l), r)
                            }
                            Err(e) => (Some(list), Err(e)),
                        }
                    }
                    Err(e) => (Some(list), Err(e)),
                }
            }
            Some('[') => {
                let next_i = match self.key_index() {
                    Ok(n) => n,
                    Err(E::Eof) => return (Some(list), Err(E::Eof)),
                    Err(E::Msg(m)) => {
                        return (Some(list), msg(format!("error parsing index: {m}")))
                    }
                };
                let given = room(list.get(i as usize));
                let crt = match list.get(i as usize) {
                    None | Some(Value::Nil) => Vec::new(),
                    Some(Value::List(l)) => l.items.clone(),
                    Some(other) => {
                        let m = conversion_panic(other, LIST_T);
                        return (Some(list), msg(m));
                    }
                };
                let (list2, r) = self.list_item(crt, next_i, level);
                if r.is_err() {
                    return (Some(list), r);
                }
                let v = list2.map(|l| relisted(l, given)).unwrap_or(Value::Nil);
                let (l, r) = set_index(list, i, v);
                (Some(l), r)
            }
            Some('.') => {
                let mut inner = MapEntries::new();
                if (i as usize) < list.len() {
                    match &list[i as usize] {
                        Value::Map(m) => inner = (*m.entries()).clone(),
                        _ => list[i as usize] = Value::map(MapEntries::new()),
                    }
                }
                let e = self.key(&mut inner, level);
                if e.is_err() {
                    return (Some(list), e);
                }
                let (l, r) = set_index(list, i, Value::map(inner));
                (Some(l), r)
            }
            Some(c) => (
                None,
                msg(format!("parse error: unexpected token {}", c as u32)),
            ),
        }
    }
}

fn run(s: &str, dest: &mut MapEntries, reader: Reader<'_>) -> Result<(), String> {
    let mut p = Parser {
        sc: Scanner {
            rs: s.chars().collect(),
            pos: 0,
        },
        reader,
    };
    match p.parse(dest) {
        Ok(()) => Ok(()),
        Err(E::Eof) => Ok(()),
        Err(E::Msg(m)) => Err(m),
    }
}

/// `strvals.ParseInto` (`--set`).
pub fn parse_into(s: &str, dest: &mut MapEntries) -> Result<(), String> {
    run(s, dest, Reader::Typed { string_only: false })
}

/// `strvals.ParseIntoString` (`--set-string`).
pub fn parse_into_string(s: &str, dest: &mut MapEntries) -> Result<(), String> {
    run(s, dest, Reader::Typed { string_only: true })
}

/// `strvals.ParseJSON` (`--set-json` when the value is not a `{…}` object).
pub fn parse_json_into(s: &str, dest: &mut MapEntries) -> Result<(), String> {
    run(s, dest, Reader::Json)
}

/// `strvals.ParseIntoFile` (`--set-file`): `read` turns a file name into its value.
pub fn parse_into_file(
    s: &str,
    dest: &mut MapEntries,
    read: &mut dyn FnMut(&str) -> Result<Value, String>,
) -> Result<(), String> {
    run(s, dest, Reader::File(read))
}

/// `strvals.Parse`: a fresh map.
pub fn parse(s: &str) -> Result<MapEntries, String> {
    let mut m = MapEntries::new();
    parse_into(s, &mut m)?;
    Ok(m)
}

// --- the literal parser (`--set-literal`) -----------------------------------

struct Literal {
    sc: Scanner,
}

impl Literal {
    fn key_index(&mut self) -> R<i64> {
        let (v, last) = runes_until(&mut self.sc, &[']'], true);
        if last.is_none() {
            return Err(E::Eof);
        }
        atoi(&v).map_err(E::Msg)
    }

    fn rest(&mut self) -> String {
        let (v, _) = runes_until(&mut self.sc, &[], true);
        v
    }

    fn key(&mut self, data: &mut MapEntries, mut level: usize) -> R<()> {
        let (k, last) = runes_until(&mut self.sc, &['=', '[', '.'], true);
        match last {
            None => {
                if k.is_empty() {
                    return Err(E::Eof);
                }
                msg(format!("key {} has no value", gotmpl::strconv::quote(&k)))
            }
            Some('=') => {
                let v = self.rest();
                set(data, &k, Value::from(v));
                Ok(())
            }
            Some('.') => {
                level += 1;
                if level > MAX_NESTED_NAME_LEVEL {
                    return msg(format!("value name nested level is greater than maximum supported nested level of {MAX_NESTED_NAME_LEVEL}"));
                }
                let mut inner = match data.get(k.as_str()) {
                    None => MapEntries::new(),
                    Some(Value::Map(m)) => (*m.entries()).clone(),
                    Some(other) => return msg(conversion_panic(other, MAP_T)),
                };
                let e = self.key(&mut inner, level);
                if e.is_ok() && inner.is_empty() {
                    return msg(format!(
                        "key map {} has no value",
                        gotmpl::strconv::quote(&k)
                    ));
                }
                if !inner.is_empty() {
                    set(data, &k, Value::map(inner));
                }
                e
            }
            _ => {
                let i = match self.key_index() {
                    Ok(i) => i,
                    // Go wraps io.EOF with %w: the parse then ends without error.
                    Err(E::Eof) => return Err(E::Eof),
                    Err(E::Msg(m)) => return msg(format!("error parsing index: {m}")),
                };
                let given = room(data.get(k.as_str()));
                let list = match data.get(k.as_str()) {
                    None => Vec::new(),
                    Some(Value::List(l)) => l.items.clone(),
                    Some(other) => return msg(conversion_panic(other, LIST_T)),
                };
                let (list, res) = self.list_item(list, i, level);
                set(
                    data,
                    &k,
                    list.map(|l| relisted(l, given)).unwrap_or(Value::Nil),
                );
                res
            }
        }
    }

    fn list_item(
        &mut self,
        mut list: Vec<Value>,
        i: i64,
        level: usize,
    ) -> (Option<Vec<Value>>, R<()>) {
        if i < 0 {
            return (Some(list), msg(format!("negative {i} index not allowed")));
        }
        let (k, last) = runes_until(&mut self.sc, &['[', '.', '='], true);
        if !k.is_empty() {
            return (
                Some(list),
                msg(format!(
                    "unexpected data at end of array index: {}",
                    quote_runes(&k)
                )),
            );
        }
        match last {
            None => (Some(list), Err(E::Eof)),
            Some('=') => {
                let v = self.rest();
                let (l, r) = set_index(list, i, Value::from(v));
                (Some(l), r)
            }
            Some('.') => {
                let mut inner = MapEntries::new();
                if (i as usize) < list.len() {
                    match &list[i as usize] {
                        Value::Map(m) => inner = (*m.entries()).clone(),
                        _ => list[i as usize] = Value::map(MapEntries::new()),
                    }
                }
                let e = self.key(&mut inner, level);
                if e.is_err() {
                    return (Some(list), e);
                }
                let (l, r) = set_index(list, i, Value::map(inner));
                (Some(l), r)
            }
            Some('[') => {
                let next_i = match self.key_index() {
                    Ok(n) => n,
                    Err(E::Eof) => return (Some(list), Err(E::Eof)),
                    Err(E::Msg(m)) => {
                        return (Some(list), msg(format!("error parsing index: {m}")))
                    }
                };
                let given = room(list.get(i as usize));
                let crt = match list.get(i as usize) {
                    None | Some(Value::Nil) => Vec::new(),
                    Some(Value::List(l)) => l.items.clone(),
                    Some(other) => {
                        let m = conversion_panic(other, LIST_T);
                        return (Some(list), msg(m));
                    }
                };
                let (list2, r) = self.list_item(crt, next_i, level);
                if r.is_err() {
                    return (Some(list), r);
                }
                let v = list2.map(|l| relisted(l, given)).unwrap_or(Value::Nil);
                let (l, r) = set_index(list, i, v);
                (Some(l), r)
            }
            Some(c) => (
                None,
                msg(format!("parse error: unexpected token {}", c as u32)),
            ),
        }
    }
}

/// `strvals.ParseLiteralInto` (`--set-literal`).
pub fn parse_literal_into(s: &str, dest: &mut MapEntries) -> Result<(), String> {
    let mut p = Literal {
        sc: Scanner {
            rs: s.chars().collect(),
            pos: 0,
        },
    };
    loop {
        match p.key(dest, 0) {
            Ok(()) => continue,
            Err(E::Eof) => return Ok(()),
            Err(E::Msg(m)) => return Err(m),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn j(m: &MapEntries) -> String {
        chartgen_yaml::to_json(&Value::map(m.clone()))
    }

    fn p(s: &str) -> String {
        match parse(s) {
            Ok(m) => j(&m),
            Err(e) => format!("ERR {e}"),
        }
    }

    #[test]
    fn typing() {
        assert_eq!(
            p("a=1,b=True,c=null,d=01,e=+1,f=12345678901234567890,g="),
            r#"{"a":1,"b":true,"c":null,"d":"01","e":1,"f":"12345678901234567890","g":""}"#
        );
        assert_eq!(
            Value::map(parse("a=1").unwrap()).as_map().unwrap()["a"].type_name(),
            "int64"
        );
    }

    #[test]
    fn paths_lists_escapes() {
        assert_eq!(p("a.b.c=1"), r#"{"a":{"b":{"c":1}}}"#);
        assert_eq!(p("a[1]=x"), r#"{"a":[null,"x"]}"#);
        assert_eq!(p("a[0].b=1,a[0].c=2"), r#"{"a":[{"b":1,"c":2}]}"#);
        assert_eq!(p("a={x,y}"), r#"{"a":["x","y"]}"#);
        assert_eq!(p(r"a\.b=c\,d"), r#"{"a.b":"c,d"}"#);
        assert_eq!(p("a[0][1]=z"), r#"{"a":[[null,"z"]]}"#);
        assert_eq!(p("name"), "ERR key \"name\" has no value");
        assert_eq!(p("a,"), "ERR key \"a\" has no value (cannot end with ,)");
        assert_eq!(
            p("a[x]=1"),
            "ERR error parsing index: strconv.Atoi: parsing \"x\": invalid syntax"
        );
        assert_eq!(p("a.=1"), "ERR key map \"a\" has no value");
        let mut m = parse("a=1").unwrap();
        assert_eq!(
            parse_into("a.b=2", &mut m).unwrap_err(),
            "unable to parse key: interface conversion: interface {} is int64, not map[string]interface {}"
        );
    }

    #[test]
    fn json_and_literal() {
        let mut m = MapEntries::new();
        parse_json_into(r#"a=[1,{"b":2}],c="x",d=null"#, &mut m).unwrap();
        assert_eq!(j(&m), r#"{"a":[1,{"b":2}],"c":"x","d":null}"#);
        let mut m = MapEntries::new();
        parse_literal_into("a.b=x,y=z", &mut m).unwrap();
        assert_eq!(j(&m), r#"{"a":{"b":"x,y=z"}}"#);
    }
}
