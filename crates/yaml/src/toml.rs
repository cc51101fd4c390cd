//! BurntSushi/toml (v1.6.0) as helm's `toToml`/`fromToml` use it.
//!
//! Encoding follows BurntSushi's encoder exactly (key order, table layout,
//! two-space indentation, float and string formatting, its errors).
//! Decoding ([`decode`], in `toml_decode`) is BurntSushi's lexer and parser
//! reproduced state for state: the same documents are accepted (TOML 1.0
//! plus what v1.6 takes of TOML 1.1, e.g. `07:32` without seconds, `\e` and
//! `\x41` escapes, newlines and trailing commas in inline tables, and its
//! leniencies such as `a.b = 1` followed by `a = 2`), into Go's types
//! (integers int64, floats float64, arrays of tables `[]map[string]interface
//! {}`, datetimes whatever the caller makes of their text), and failures give
//! BurntSushi's error texts byte for byte, with its line numbers and
//! `(last key "...")` parts. The one deliberate difference: arrays and inline
//! tables nested more than 10000 deep are an error (`exceeded max depth of
//! 10000`), where BurntSushi has no limit.

use crate::gofloat::format_g;
use crate::{Error, ErrorKind};
use gotmpl::{MapEntries, Value};

fn toml_err(msg: &str) -> Error {
    Error::new(ErrorKind::Toml, msg.to_string())
}

/// BurntSushi's `dblQuotedReplacer`.
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\x08' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\x0C' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\x7F' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub(crate) fn bare(k: &str) -> bool {
    !k.is_empty()
        && k.chars()
            .all(|r| r.is_ascii_alphanumeric() || r == '_' || r == '-')
}

fn key_piece(k: &str) -> String {
    if k.is_empty() {
        "\"\"".into()
    } else if bare(k) {
        k.into()
    } else {
        quote(k)
    }
}

fn key_string(key: &[String]) -> String {
    key.iter()
        .map(|k| key_piece(k))
        .collect::<Vec<_>>()
        .join(".")
}

#[derive(PartialEq)]
enum TType {
    None,
    Table,
    ArrayOfTables,
    Other,
}

/// BurntSushi's `isNil`: nil interfaces, maps, slices and pointers (such
/// fields and map entries are not written).
fn is_nil(v: &Value) -> bool {
    match v {
        Value::Nil | Value::Invalid => true,
        Value::Map(m) => m.is_nil(),
        Value::List(l) => l.nil,
        Value::Object(o) => o.is_nil(),
        _ => false,
    }
}

/// How the encoder sees a Go value that is not a plain map, slice or scalar.
enum GoValue {
    /// A named map or slice type (`engine.files`, `common.VersionSet`).
    Underlying(Value),
    /// `time.Time`: its RFC 3339 text, unquoted (a TOML datetime).
    Datetime(String),
    /// An `encoding.TextMarshaler` (`*semver.Version`) or `time.Duration`:
    /// that text, quoted.
    Text(String),
    /// A struct: its exported fields, in declaration order, each with its
    /// index among all the struct's fields (see [`Enc::inline_struct`]).
    Struct(Vec<(gotmpl::Str, Value)>, Vec<usize>),
}

fn go_value(o: &dyn gotmpl::Object) -> Option<GoValue> {
    if let Some(u) = o.underlying() {
        return Some(GoValue::Underlying(u));
    }
    match o.go_type().to_string().as_str() {
        "time.Time" => {
            let json = o.marshal_json()?;
            let rfc3339 = json.trim_matches('"');
            // Times `fromToml` made in its zones for TOML's local forms
            // (offset 0, so their RFC 3339 text is `…Z`) are written back in
            // those forms. Only it makes zones of these names.
            let text = match o.go_string() {
                Some(s) if s.ends_with(" +0000 datetime-local") => rfc3339.trim_end_matches('Z'),
                Some(s) if s.ends_with(" +0000 date-local") => rfc3339.split('T').next()?,
                Some(s) if s.ends_with(" +0000 time-local") => {
                    rfc3339.split_once('T')?.1.trim_end_matches('Z')
                }
                _ => rfc3339,
            };
            return Some(GoValue::Datetime(text.to_string()));
        }
        "*semver.Version" | "semver.Version" | "time.Duration" => {
            return o.go_string().map(GoValue::Text);
        }
        _ => {}
    }
    let (indexes, fields): (Vec<usize>, Vec<_>) = o
        .struct_fields()
        .into_iter()
        .enumerate()
        .filter(|(_, (name, _))| name.chars().next().is_some_and(char::is_uppercase))
        .unzip();
    (!fields.is_empty()).then_some(GoValue::Struct(fields, indexes))
}

fn toml_type(v: &Value) -> Result<TType, Error> {
    Ok(match v {
        Value::Nil | Value::Invalid => TType::None,
        v if is_nil(v) => TType::None,
        Value::Object(o) => match go_value(&**o) {
            Some(GoValue::Underlying(u)) => toml_type(&u)?,
            Some(GoValue::Struct(..)) => TType::Table,
            _ => TType::Other,
        },
        Value::Map(_) => TType::Table,
        Value::List(l) => {
            if l.items.is_empty() {
                TType::Other
            } else {
                let mut all = true;
                for it in &l.items {
                    let t = toml_type(it)?;
                    if t == TType::None {
                        return Err(toml_err("toml: cannot encode array with nil element"));
                    }
                    if t != TType::Table {
                        all = false;
                    }
                }
                if all {
                    TType::ArrayOfTables
                } else {
                    TType::Other
                }
            }
        }
        _ => TType::Other,
    })
}

struct Enc {
    out: String,
    has_written: bool,
}

impl Enc {
    fn write(&mut self, s: &str) {
        self.out.push_str(s);
        self.has_written = true;
    }
    fn newline(&mut self) {
        if self.has_written {
            self.write("\n");
        }
    }
    fn indent(key: &[String]) -> String {
        "  ".repeat(key.len().saturating_sub(1))
    }

    fn element(&mut self, v: &Value) -> Result<(), Error> {
        match v {
            Value::String(s) => self.write(&quote(s)),
            // BurntSushi writes the bytes: marked here, see `to_toml`.
            Value::Bytes(b) => self.write(&quote(&gotmpl::gostr::marked(b.as_bytes()))),
            Value::Bool(b) => self.write(if *b { "true" } else { "false" }),
            Value::Int(i, _) => self.write(&i.to_string()),
            Value::Uint(u, _) => self.write(&u.to_string()),
            Value::Float(f) => {
                let f = *f;
                if f.is_nan() {
                    if f.is_sign_negative() {
                        self.write("-");
                    }
                    self.write("nan");
                } else if f.is_infinite() {
                    if f < 0.0 {
                        self.write("-");
                    }
                    self.write("inf");
                } else {
                    let s = format_g(f);
                    if s.contains('e') || s.contains('.') {
                        self.write(&s);
                    } else {
                        self.write(&format!("{s}.0"));
                    }
                }
            }
            Value::List(l) => {
                self.write("[");
                let n = l.items.len();
                for (i, it) in l.items.iter().enumerate() {
                    self.element(it)?;
                    if i != n - 1 {
                        self.write(", ");
                    }
                }
                self.write("]");
            }
            Value::Map(m) => self.map(&[], &sorted(&m.entries()), true)?,
            Value::Object(o) => match go_value(&**o) {
                Some(GoValue::Underlying(u)) => self.element(&u)?,
                Some(GoValue::Datetime(t)) => self.write(&t),
                Some(GoValue::Text(t)) => self.write(&quote(&t)),
                Some(GoValue::Struct(fields, indexes)) => self.inline_struct(&fields, &indexes)?,
                None => {
                    return Err(toml_err(&format!(
                        "toml: unexpected type: {}",
                        v.type_name()
                    )))
                }
            },
            other => {
                return Err(toml_err(&format!(
                    "toml: unexpected type: {}",
                    other.type_name()
                )))
            }
        }
        Ok(())
    }

    fn key_value(&mut self, key: &[String], v: &Value, inline: bool) -> Result<(), Error> {
        if key.is_empty() {
            return self.element(v);
        }
        let line = format!("{}{} = ", Self::indent(key), key_piece(&key[key.len() - 1]));
        self.write(&line);
        self.element(v)?;
        if !inline {
            self.newline();
        }
        Ok(())
    }

    fn encode(&mut self, key: &[String], v: &Value) -> Result<(), Error> {
        crate::grow(|| match v {
            Value::Nil | Value::Invalid => Ok(()),
            Value::Map(m) => self.table(key, &sorted(&m.entries())),
            Value::Object(o) => match go_value(&**o) {
                Some(GoValue::Underlying(u)) => self.encode(key, &u),
                Some(GoValue::Struct(fields, _)) => self.table(key, &fields),
                _ => self.key_value(key, v, false),
            },
            Value::List(l) => {
                if toml_type(v)? == TType::ArrayOfTables {
                    if key.is_empty() {
                        return Err(toml_err(
                            "toml: top-level values must be Go maps or structs",
                        ));
                    }
                    for it in &l.items {
                        let fields = match it {
                            Value::Map(m) => sorted(&m.entries()),
                            Value::Object(o) => match go_value(&**o) {
                                Some(GoValue::Struct(fields, _)) => fields,
                                Some(GoValue::Underlying(Value::Map(m))) => sorted(&m.entries()),
                                _ => continue,
                            },
                            _ => continue,
                        };
                        self.newline();
                        let h = format!("{}[[{}]]", Self::indent(key), key_string(key));
                        self.write(&h);
                        self.newline();
                        self.map(key, &fields, false)?;
                    }
                    Ok(())
                } else {
                    self.key_value(key, v, false)
                }
            }
            _ => self.key_value(key, v, false),
        })
    }

    /// A struct as an inline table. BurntSushi writes ", " after a field
    /// unless the field's index among all the struct's fields is the count
    /// of its exported fields less one: with unexported fields before the
    /// last, the commas land elsewhere (`{A = 1B = 2, }`), as helm prints.
    fn inline_struct(
        &mut self,
        fields: &[(gotmpl::Str, Value)],
        indexes: &[usize],
    ) -> Result<(), Error> {
        let mut direct = Vec::new();
        let mut sub = Vec::new();
        for ((k, v), &i) in fields.iter().zip(indexes) {
            match toml_type(v)? {
                TType::Table | TType::ArrayOfTables => sub.push((k, v, i)),
                _ => direct.push((k, v, i)),
            }
        }
        self.write("{");
        for (k, v, i) in direct.into_iter().chain(sub) {
            if is_nil(v) {
                continue;
            }
            self.key_value(&[k.to_string()], v, true)?;
            if i + 1 != fields.len() {
                self.write(", ");
            }
        }
        self.write("}");
        Ok(())
    }

    /// A table under `key` (its header unless at the top).
    fn table(&mut self, key: &[String], entries: &[(gotmpl::Str, Value)]) -> Result<(), Error> {
        if key.len() == 1 {
            self.newline();
        }
        if !key.is_empty() {
            let h = format!("{}[{}]", Self::indent(key), key_string(key));
            self.write(&h);
            self.newline();
        }
        self.map(key, entries, false)
    }

    /// A table's entries in the order given (a map's sorted keys, a
    /// struct's fields), the direct ones before the tables.
    fn map(
        &mut self,
        key: &[String],
        entries: &[(gotmpl::Str, Value)],
        inline: bool,
    ) -> Result<(), Error> {
        let mut direct = Vec::new();
        let mut sub = Vec::new();
        for (k, v) in entries {
            match toml_type(v)? {
                TType::Table | TType::ArrayOfTables => sub.push((k, v)),
                _ => direct.push((k, v)),
            }
        }
        if inline {
            self.write("{");
        }
        let has_sub = !sub.is_empty();
        for (group, trail) in [(direct, has_sub), (sub, false)] {
            let n = group.len();
            for (i, (k, v)) in group.into_iter().enumerate() {
                if is_nil(v) {
                    continue;
                }
                if inline {
                    self.key_value(&[k.to_string()], v, true)?;
                    if trail || i != n - 1 {
                        self.write(", ");
                    }
                } else {
                    let mut nk = key.to_vec();
                    nk.push(k.to_string());
                    self.encode(&nk, v)?;
                }
            }
        }
        if inline {
            self.write("}");
        }
        Ok(())
    }
}

/// A Go map's entries in BurntSushi's order (sorted keys).
fn sorted(entries: &MapEntries) -> Vec<(gotmpl::Str, Value)> {
    entries
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// Encode like `toml.NewEncoder(w).Encode(v)`.
pub fn encode(v: &Value) -> Result<String, Error> {
    // BurntSushi's encoder recurses until memory runs out on such a value.
    if v.has_cycle() {
        return Err(toml_err("toml: cannot encode a map that contains itself"));
    }
    let mut e = Enc {
        out: String::new(),
        has_written: false,
    };
    if let Value::Map(_) = v {
        toml_type(v)?;
    }
    e.encode(&[], v)?;
    Ok(e.out)
}

/// Decode like `toml.Unmarshal(data, &map[string]interface{})`, datetimes
/// through `datetime` (see [`crate::from_toml_with`]). `s` is a Go string:
/// text, or text with its invalid bytes marked (`gotmpl::gostr::marked`),
/// which BurntSushi rejects as such (`invalid UTF-8 byte: 0xff`).
pub fn decode(s: &str, datetime: &dyn Fn(&str) -> Option<Value>) -> Result<Value, Error> {
    // Invalid bytes of a Go string arrive marked (see `gotmpl::gostr`).
    let bytes = gotmpl::gostr::marked_bytes(s);
    let data = bytes.as_deref().unwrap_or(s.as_bytes());
    match crate::toml_decode::decode(data, datetime) {
        Ok(v) => Ok(v),
        Err(crate::toml_decode::Fail::Parse(m) | crate::toml_decode::Fail::Bug(m)) => {
            Err(toml_err(&m))
        }
    }
}
