//! Helm's YAML, JSON and TOML layer, byte for byte.
//!
//! This crate reproduces what helm v4 does with data text, using the Go
//! libraries helm uses as the specification:
//!
//! * **Parsing** ([`parse`], [`parse_map`], [`parse_values`], [`from_yaml`]):
//!   goyaml v2 (YAML 1.1: `yes`/`no`/`on`/`off`/`y`/`n` booleans, `0755`
//!   octal, `0b`/`0x`/`_`, timestamps kept as strings, merge keys, anchors
//!   and aliases with goyaml's alias-expansion limits, last-wins duplicate
//!   keys, `!!binary`, explicit tags), then sigs.k8s.io/yaml's YAML → JSON →
//!   `json.Unmarshal` conversion: every number becomes a float64
//!   ([`Value::Float`]), maps are `map[string]interface{}` with stringified
//!   keys, and helm's errors (`.inf`/`.nan`, null keys) and syntax errors keep
//!   Go's wording and line numbers. [`parse_values`] is helm's chart
//!   `values.yaml` reader: documents split on `---` lines and deep-merged.
//! * **Spans**: the `*_spanned` functions return a [`SpannedValue`] whose
//!   every node knows its line and column in the source.
//! * **Emission** ([`to_yaml`], [`to_yaml_pretty`], [`to_json`],
//!   [`to_raw_json`], [`to_pretty_json`], [`to_toml`]): sigs.k8s.io/yaml's
//!   `Marshal` (a JSON round trip, then goyaml v2's emitter with its style
//!   choice, 80-column folding and natural key order), goyaml v3 for
//!   `toYamlPretty`, encoding/json (HTML escaping, Go float formatting), and
//!   BurntSushi/toml's encoder.
//! * **Decoding template strings** ([`from_yaml`], [`from_yaml_array`],
//!   [`from_json`], [`from_json_array`], [`from_toml`]) with helm's
//!   error-in-the-result behaviour (`map[Error:…]`).
//!
//! It is **not** a general YAML library: it has no serde integration, does
//! not preserve comments or styles, does not emit anchors, and knows nothing
//! about charts (file names, error prefixes such as `cannot load
//! values.yaml: ` belong to the caller; each error documents the Go text it
//! reproduces). Values use the `gotmpl` value model.
//!
//! ```
//! use chartgen_yaml as y;
//! let v = y::parse_values(b"a: yes\nb: 0755\nc: 1e400\n").unwrap();
//! assert_eq!(y::to_json(&v), r#"{"a":true,"b":493,"c":"1e400"}"#);
//! assert_eq!(y::to_yaml(&v), "a: true\nb: 493\nc: 1e400");
//! ```

mod decode;
mod emit;
mod gofloat;
mod gofmt;
pub mod json;
mod parser;
mod quick;
mod resolve;
mod scanner;
pub mod toml;
mod toml_decode;

use decode::{JNode, JVal};
use gotmpl::{MapEntries, Str, Value};
use std::collections::BTreeMap;
use std::fmt;

/// Run `f` with enough stack for deep (but bounded) recursion.
pub(crate) fn grow<R>(f: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(64 * 1024, 1024 * 1024, f)
}

/// How many levels a recursion that calls [`grow_every`] may go between
/// two stack checks.
pub(crate) const GROW_EVERY: usize = 8;

/// [`grow`] for a recursion that checks only every [`GROW_EVERY`] levels
/// (the check costs more than a small node): room for that many frames,
/// even unoptimised ones.
pub(crate) fn grow_every<R>(f: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(512 * 1024, 2 * 1024 * 1024, f)
}

pub use gofloat::{format_g as go_format_float, format_json as go_json_float};

/// What kind of failure an [`Error`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// YAML syntax or goyaml decoding error (`yaml: line N: …`).
    Yaml,
    /// sigs.k8s.io/yaml's JSON conversion failed (unsupported key, NaN/Inf).
    Convert,
    /// The document's JSON type does not fit the target (`json: cannot unmarshal …`).
    Type,
    /// helm's multi-document reader rejected a `---` line.
    Separator,
    /// JSON syntax error (`invalid character …`).
    Json,
    /// Encoding a value failed (`json: unsupported value: NaN`, …).
    Marshal,
    /// TOML decoding or encoding error.
    Toml,
}

/// An error with the exact text helm's Go code produces at the level of the
/// function that returned it.
#[derive(Clone, Debug, PartialEq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
    span: Option<Span>,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: String) -> Error {
        Error {
            kind,
            message,
            span: None,
        }
    }
    fn with_span(mut self, span: Option<Span>) -> Error {
        self.span = span;
        self
    }
    /// The kind of failure.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }
    /// The Go error text (`err.Error()`).
    pub fn message(&self) -> &str {
        &self.message
    }
    /// Where in the source the problem is, when known (1-based).
    pub fn span(&self) -> Option<Span> {
        self.span
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// A position in a source text: 1-based line and 1-based column (counted in
/// characters, as goyaml counts them).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub line: usize,
    pub column: usize,
}

impl Span {
    fn from_mark(m: scanner::Mark, line_offset: usize) -> Span {
        Span {
            line: m.line + 1 + line_offset,
            column: m.column + 1,
        }
    }
}

/// A parsed value whose every node remembers where it was written. Aliased
/// nodes carry the span of the anchored original.
#[derive(Clone, Debug, PartialEq)]
pub struct SpannedValue {
    pub span: Span,
    pub node: SpannedNode,
}

/// The shape of a [`SpannedValue`] (JSON's data model: every number is a float64).
#[derive(Clone, Debug, PartialEq)]
pub enum SpannedNode {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    List(Vec<SpannedValue>),
    /// Keys in Go's byte order; each entry keeps the key's span.
    Map(BTreeMap<String, SpannedEntry>),
}

/// A map entry of a [`SpannedValue`].
#[derive(Clone, Debug, PartialEq)]
pub struct SpannedEntry {
    pub key_span: Span,
    pub value: SpannedValue,
}

impl SpannedValue {
    /// The plain value (`map[string]interface{}`, `[]interface{}`, float64, …).
    pub fn to_value(&self) -> Value {
        crate::grow(|| match &self.node {
            SpannedNode::Null => Value::Nil,
            SpannedNode::Bool(b) => Value::Bool(*b),
            SpannedNode::Number(f) => Value::Float(*f),
            SpannedNode::String(s) => Value::string(s.as_str()),
            SpannedNode::List(items) => {
                Value::grown_list(items.iter().map(|x| x.to_value()).collect())
            }
            SpannedNode::Map(m) => {
                let mut e = MapEntries::new();
                for (k, v) in m {
                    e.insert(k.as_str().into(), v.value.to_value());
                }
                Value::map(e)
            }
        })
    }

    /// The node at a path of map keys, if present.
    pub fn get_path(&self, path: &[&str]) -> Option<&SpannedValue> {
        let mut cur = self;
        for p in path {
            match &cur.node {
                SpannedNode::Map(m) => cur = &m.get(*p)?.value,
                _ => return None,
            }
        }
        Some(cur)
    }
}

fn jnode_to_spanned(n: JNode, off: usize) -> SpannedValue {
    crate::grow(|| {
        let span = Span::from_mark(n.mark, off);
        let node = match n.val {
            JVal::Null => SpannedNode::Null,
            JVal::Bool(b) => SpannedNode::Bool(b),
            JVal::Int(i) => SpannedNode::Number(i as f64),
            JVal::Uint(u) => SpannedNode::Number(u as f64),
            JVal::Float(f) => SpannedNode::Number(f),
            JVal::Str(s) => SpannedNode::String(s),
            JVal::Seq(items) => SpannedNode::List(
                items
                    .into_iter()
                    .map(|x| jnode_to_spanned(x, off))
                    .collect(),
            ),
            JVal::Map(m) => SpannedNode::Map(
                m.into_iter()
                    .map(|(k, (km, v))| {
                        (
                            k,
                            SpannedEntry {
                                key_span: Span::from_mark(km, off),
                                value: jnode_to_spanned(v, off),
                            },
                        )
                    })
                    .collect(),
            ),
        };
        SpannedValue { span, node }
    })
}

/// The plain value of a JSON-able node (as [`SpannedValue::to_value`] of
/// its spanned form, without building that).
pub(crate) fn jnode_into_value(n: JNode) -> Value {
    crate::grow(|| match n.val {
        JVal::Null => Value::Nil,
        JVal::Bool(b) => Value::Bool(b),
        JVal::Int(i) => Value::Float(i as f64),
        JVal::Uint(u) => Value::Float(u as f64),
        JVal::Float(f) => Value::Float(f),
        JVal::Str(s) => Value::string(s),
        JVal::Seq(items) => Value::grown_list(items.into_iter().map(jnode_into_value).collect()),
        JVal::Map(m) => Value::map(
            m.into_iter()
                .map(|(k, (_, v))| (Str::from(k), jnode_into_value(v)))
                .collect(),
        ),
    })
}

/// [`parse`] with numbers as goyaml reads them (`int`, `uint64` or
/// `float64`) instead of JSON's `float64`: what sigs.k8s.io/yaml converts
/// when a number goes into a string field of a Go struct (`FormatInt`,
/// `FormatUint`, `FormatFloat(f, 'g', -1, 32)`), as helm's manifest heads
/// are read.
pub fn parse_keeping_integers(text: &[u8]) -> Result<Value, Error> {
    fn typed(n: JNode) -> Value {
        crate::grow(|| match n.val {
            JVal::Int(i) => Value::Int(i, gotmpl::value::IntKind::Int),
            JVal::Uint(u) => Value::Uint(u, gotmpl::value::UintKind::Uint64),
            JVal::Seq(items) => Value::grown_list(items.into_iter().map(typed).collect()),
            JVal::Map(m) => Value::map(
                m.into_iter()
                    .map(|(k, (_, v))| (Str::from(k), typed(v)))
                    .collect(),
            ),
            _ => jnode_into_value(n),
        })
    }
    sigs_checked(text, Target::Any, 0).map(typed)
}

/// The numbers of a document (as [`parse_spanned`] reads it), by the span
/// of their value, as sigs.k8s.io/yaml gives them to a string field of a Go
/// struct: goyaml's integers whole (`FormatInt`, `FormatUint`), its floats
/// as `FormatFloat(f, 'g', -1, 32)`. [`SpannedNode::Number`] holds JSON's
/// float64, which has lost which it was. Empty if the document does not
/// parse.
pub fn number_strings(text: &[u8]) -> Vec<(Span, String)> {
    fn walk(n: &JNode, out: &mut Vec<(Span, String)>) {
        let span = Span::from_mark(n.mark, 0);
        match &n.val {
            JVal::Int(i) => out.push((span, i.to_string())),
            JVal::Uint(u) => out.push((span, u.to_string())),
            JVal::Float(f) => out.push((span, gotmpl::strconv::format_float(*f, b'g', -1, 32))),
            JVal::Seq(items) => items.iter().for_each(|x| crate::grow(|| walk(x, out))),
            JVal::Map(m) => m.values().for_each(|(_, v)| crate::grow(|| walk(v, out))),
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Ok(n) = sigs_checked(text, Target::Any, 0) {
        walk(&n, &mut out);
    }
    out
}

/// Where sigs.k8s.io/yaml's `Unmarshal` decodes into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// `*interface{}`
    Any,
    /// `*map[string]interface{}` (helm's values, Chart.yaml, `fromYaml`)
    Map,
    /// `*[]interface{}` (`fromYamlArray`)
    Array,
}

/// sigs.k8s.io/yaml's `Unmarshal(text, &target)` with spans. An empty or
/// null document gives an empty map / empty list / null. `line_offset` is
/// added to every span line.
fn sigs_unmarshal(text: &[u8], target: Target, line_offset: usize) -> Result<SpannedValue, Error> {
    sigs_checked(text, target, line_offset).map(|jn| jnode_to_spanned(jn, line_offset))
}

/// [`sigs_unmarshal`] without spans.
fn sigs_unmarshal_value(text: &[u8], target: Target) -> Result<Value, Error> {
    if let Some(v) = decode::plain_value(text, target) {
        return Ok(v);
    }
    sigs_checked(text, target, 0).map(jnode_into_value)
}

/// The JSON-able value `Unmarshal` decodes into `target`, or its error.
fn sigs_checked(text: &[u8], target: Target, line_offset: usize) -> Result<JNode, Error> {
    let conv = |m: String| {
        Error::new(
            ErrorKind::Convert,
            format!("error converting YAML to JSON: {m}"),
        )
    };
    let go = decode::goyaml_unmarshal(text).map_err(|e| {
        Error::new(
            ErrorKind::Yaml,
            format!("error converting YAML to JSON: {}", e.go_message()),
        )
        .with_span(Some(Span::from_mark(e.mark(), line_offset)))
    })?;
    let jn = match go {
        None => JNode {
            val: JVal::Null,
            mark: scanner::Mark::default(),
        },
        Some(g) => decode::to_jsonable(g)
            .map_err(|(m, mark)| conv(m).with_span(Some(Span::from_mark(mark, line_offset))))?,
    };
    decode::json_marshal_check(&jn)
        .map_err(|(m, mark)| conv(m).with_span(Some(Span::from_mark(mark, line_offset))))?;
    let kind = decode::json_kind_name(&jn.val);
    let type_err = |t: &str| {
        Error::new(
            ErrorKind::Type,
            format!("error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {kind} into Go value of type {t}"),
        )
        .with_span(Some(Span::from_mark(jn.mark, line_offset)))
    };
    match (target, &jn.val) {
        (Target::Map, JVal::Null) => Ok(JNode {
            val: JVal::Map(BTreeMap::new()),
            mark: jn.mark,
        }),
        (Target::Array, JVal::Null) => Ok(JNode {
            val: JVal::Seq(Vec::new()),
            mark: jn.mark,
        }),
        (Target::Map, JVal::Map(_)) | (Target::Array, JVal::Seq(_)) | (Target::Any, _) => Ok(jn),
        (Target::Map, _) => Err(type_err("map[string]interface {}")),
        (Target::Array, _) => Err(type_err("[]interface {}")),
    }
}

/// `sigs.k8s.io/yaml.Unmarshal(text, &v)` with `v interface{}`: the first
/// YAML document as JSON-model data (null for an empty document).
///
/// Errors read `error converting YAML to JSON: yaml: line 3: …` exactly as Go prints them.
pub fn parse(text: &[u8]) -> Result<Value, Error> {
    sigs_unmarshal_value(text, Target::Any)
}

/// [`parse`] for a caller that reads only some top-level entries: of a
/// mapping document, only the entries whose keys `keep` accepts (`parse`
/// followed by that filter; other documents as `parse` gives them). Errors
/// are those of the whole document; a document that certainly has none is
/// not decoded beyond the kept entries.
pub fn parse_top_filtered(text: &[u8], keep: &dyn Fn(&str) -> bool) -> Result<Value, Error> {
    top_filtered(text, keep, None)
}

/// [`parse_top_filtered`], and of each kept top-level entry whose value is
/// a mapping, only the entries whose keys `keep_in(top-level key, key)`
/// accepts.
pub fn parse_top_filtered_in(
    text: &[u8],
    keep: &dyn Fn(&str) -> bool,
    keep_in: &dyn Fn(&str, &str) -> bool,
) -> Result<Value, Error> {
    let filter_in = |entries: MapEntries| {
        entries
            .into_iter()
            .map(|(k, v)| match v {
                Value::Map(m) => {
                    let inner = m
                        .entries()
                        .iter()
                        .filter(|(ik, _)| keep_in(&k, ik))
                        .map(|(ik, iv)| (ik.clone(), iv.clone()))
                        .collect();
                    (k, Value::map(inner))
                }
                v => (k, v),
            })
            .collect()
    };
    Ok(match top_filtered(text, keep, Some(keep_in))? {
        Value::Map(m) => Value::map(filter_in((*m.entries()).clone())),
        other => other,
    })
}

/// What the line-structure reader makes of a values document (one with no
/// `---` line) when it takes it, read as [`parse_map`] reads it; `None`
/// when it leaves it to the scanner and parser (for tests that must cover
/// that path).
#[doc(hidden)]
pub fn quick_values(text: &[u8]) -> Option<Value> {
    quick::decode_document(text).map(|v| v.unwrap_or_else(|| Value::map(MapEntries::new())))
}

/// Whether [`parse_top_filtered`] reads `text` by its line structure alone
/// (for tests that must cover that path).
#[doc(hidden)]
pub fn quick_subset_accepts(text: &[u8]) -> bool {
    quick::top_entries(text).is_some()
}

fn top_filtered(
    text: &[u8],
    keep: &dyn Fn(&str) -> bool,
    keep_in: decode::KeepIn<'_>,
) -> Result<Value, Error> {
    if let Some(entries) = decode::top_entries_quick(text, keep, keep_in) {
        return Ok(Value::map(entries));
    }
    if let Some(entries) = decode::top_entries_filtered(text, keep) {
        return Ok(Value::map(entries));
    }
    Ok(match parse(text)? {
        Value::Map(m) => Value::map(
            m.entries()
                .iter()
                .filter(|(k, _)| keep(k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        other => other,
    })
}

/// [`parse`] with spans.
pub fn parse_spanned(text: &[u8]) -> Result<SpannedValue, Error> {
    sigs_unmarshal(text, Target::Any, 0)
}

/// `sigs.k8s.io/yaml.Unmarshal` into any [`Target`], with spans.
pub fn parse_into(text: &[u8], target: Target) -> Result<SpannedValue, Error> {
    sigs_unmarshal(text, target, 0)
}

/// `sigs.k8s.io/yaml.Unmarshal(text, &m)` with `m map[string]interface{}`:
/// helm's `ReadValues` (user `-f` files, `--values`) and the shape of
/// `Chart.yaml` reading. A null/empty document gives an empty map; a list or
/// scalar document is an error (`error unmarshaling JSON: while decoding
/// JSON: json: cannot unmarshal array into Go value of type map[string]interface {}`).
pub fn parse_map(text: &[u8]) -> Result<Value, Error> {
    sigs_unmarshal_value(text, Target::Map)
}

/// [`parse_map`] with spans.
pub fn parse_map_spanned(text: &[u8]) -> Result<SpannedValue, Error> {
    sigs_unmarshal(text, Target::Map, 0)
}

/// One document of a multi-document file as helm's YAML reader splits it.
struct Chunk<'a> {
    text: std::borrow::Cow<'a, [u8]>,
    first_line: usize,
}

/// k8s.io/apimachinery's `YAMLReader` over `bufio.ReadLine` lines.
fn split_documents(input: &[u8]) -> Result<Vec<Chunk<'_>>, Error> {
    // Values files rarely hold a `\r`: without one, documents are slices
    // of the input.
    if memchr::memchr(b'\r', input).is_none() {
        return split_document_spans(input);
    }
    split_document_lines(input)
}

/// helm's check of a line that starts with `---` (line ends dropped).
fn check_separator(line: &[u8], idx: usize) -> Result<(), Error> {
    let after = String::from_utf8_lossy(line.get(3..).unwrap_or(&[]));
    let trimmed = after.trim_matches(|c: char| c.is_whitespace());
    if !trimmed.is_empty() && !trimmed.starts_with('#') {
        return Err(Error::new(
            ErrorKind::Separator,
            format!("error reading yaml document: invalid Yaml document separator: {trimmed}"),
        )
        .with_span(Some(Span {
            line: idx + 1,
            column: 1,
        })));
    }
    Ok(())
}

/// [`split_document_lines`] for an input without `\r`: only the lines that
/// start with `---` are looked at, and each document is the slice of the
/// input its lines span (a final line break added when the input lacks it).
fn split_document_spans(input: &[u8]) -> Result<Vec<Chunk<'_>>, Error> {
    let mut docs = Vec::new();
    // The document being gathered: where it starts, and its first line.
    let mut open: Option<(usize, usize)> = None;
    // Where the lines not yet looked at start, and their line number.
    let (mut pos, mut line) = (0usize, 0usize);
    let starts = (input.starts_with(b"---").then_some(0))
        .into_iter()
        .chain(memchr::memmem::find_iter(input, b"\n---").map(|p| p + 1));
    for sep in starts {
        let sep_line = line + memchr::memchr_iter(b'\n', &input[pos..sep]).count();
        if sep > pos && open.is_none() {
            open = Some((pos, line));
        }
        let end = memchr::memchr(b'\n', &input[sep..]).map_or(input.len(), |n| sep + n + 1);
        let text = &input[sep..end];
        check_separator(text.strip_suffix(b"\n").unwrap_or(text), sep_line)?;
        match open.take() {
            Some((start, first_line)) => docs.push(Chunk {
                text: input[start..sep].into(),
                first_line,
            }),
            // A separator with nothing before it is a line of the document.
            None => open = Some((sep, sep_line)),
        }
        (pos, line) = (end, sep_line + 1);
    }
    if pos < input.len() && open.is_none() {
        open = Some((pos, line));
    }
    if let Some((start, first_line)) = open {
        let text = if input.ends_with(b"\n") {
            input[start..].into()
        } else {
            let mut text = input[start..].to_vec();
            text.push(b'\n');
            text.into()
        };
        docs.push(Chunk { text, first_line });
    }
    Ok(docs)
}

/// [`split_documents`] line by line.
fn split_document_lines(input: &[u8]) -> Result<Vec<Chunk<'_>>, Error> {
    // Lines as LineReader returns them: end-of-line dropped ("\n" or "\r\n"),
    // "\n" appended; then an empty line standing for the end of input.
    let mut docs = Vec::new();
    let mut buffer: Vec<u8> = Vec::new();
    let mut first_line = 0usize;
    let mut rest = input;
    for idx in 0.. {
        let eof = rest.is_empty();
        let line = match memchr::memchr(b'\n', rest) {
            Some(p) => {
                let l = &rest[..p];
                rest = &rest[p + 1..];
                l.strip_suffix(b"\r").unwrap_or(l)
            }
            // The last line keeps a `\r` it ends with.
            None => std::mem::take(&mut rest),
        };
        if line.starts_with(b"---") {
            check_separator(line, idx)?;
            if !buffer.is_empty() {
                docs.push(Chunk {
                    text: std::mem::take(&mut buffer).into(),
                    first_line,
                });
                continue;
            }
        }
        if eof {
            if !buffer.is_empty() {
                docs.push(Chunk {
                    text: std::mem::take(&mut buffer).into(),
                    first_line,
                });
            }
            break;
        }
        if buffer.is_empty() {
            first_line = idx;
        }
        buffer.extend_from_slice(line);
        buffer.push(b'\n');
    }
    Ok(docs)
}

fn merge_maps(a: &mut BTreeMap<String, SpannedEntry>, b: BTreeMap<String, SpannedEntry>) {
    crate::grow(|| {
        for (k, v) in b {
            if let SpannedNode::Map(bm) = v.value.node {
                if let Some(SpannedEntry {
                    value:
                        SpannedValue {
                            node: SpannedNode::Map(am),
                            ..
                        },
                    ..
                }) = a.get_mut(&k)
                {
                    merge_maps(am, bm);
                    continue;
                }
                a.insert(
                    k,
                    SpannedEntry {
                        key_span: v.key_span,
                        value: SpannedValue {
                            span: v.value.span,
                            node: SpannedNode::Map(bm),
                        },
                    },
                );
                continue;
            }
            a.insert(k, v);
        }
    })
}

/// helm's chart `values.yaml` loader (`loader.LoadValues`): the file is split
/// into documents on `---` lines, each is read with [`parse_map`], and the
/// maps are deep-merged (later documents win).
///
/// Errors read `cannot unmarshal yaml document: error converting YAML to JSON:
/// yaml: line 2: …` (line numbers relative to the document, as helm prints
/// them) or `error reading yaml document: invalid Yaml document separator: …`;
/// helm prefixes `cannot load values.yaml: `. Spans are absolute.
pub fn parse_values(text: &[u8]) -> Result<Value, Error> {
    // As `parse_values_spanned(text)?.to_value()`, without building spans.
    let chunks = split_documents(text)?;
    if let Some(v) = plain_values(&chunks) {
        return Ok(v);
    }
    let mut out = BTreeMap::new();
    for chunk in chunks {
        if let JVal::Map(m) = values_document(&chunk)?.val {
            merge_jmaps(&mut out, m);
        }
    }
    Ok(jnode_into_value(JNode {
        val: JVal::Map(out),
        mark: scanner::Mark::default(),
    }))
}

/// [`parse_values`] of documents that all certainly read without error,
/// all but one of them empty (a licence header before `---`, say): that
/// one, or an empty map. `None` otherwise.
fn plain_values(chunks: &[Chunk]) -> Option<Value> {
    let mut found = None;
    for chunk in chunks {
        match decode::plain_value(&chunk.text, Target::Map)? {
            Value::Map(m) if m.is_empty() => {}
            v if found.is_none() => found = Some(v),
            _ => return None,
        }
    }
    Some(found.unwrap_or_else(|| Value::map(MapEntries::new())))
}

/// One document of a values file, read as [`parse_map`] reads it.
fn values_document(chunk: &Chunk) -> Result<JNode, Error> {
    sigs_checked(&chunk.text, Target::Map, chunk.first_line).map_err(|e| Error {
        kind: e.kind,
        message: format!("cannot unmarshal yaml document: {}", e.message),
        span: e.span,
    })
}

/// [`merge_maps`] on JSON-able maps.
fn merge_jmaps(
    a: &mut BTreeMap<String, (scanner::Mark, JNode)>,
    b: BTreeMap<String, (scanner::Mark, JNode)>,
) {
    crate::grow(|| {
        for (k, (km, v)) in b {
            if let JVal::Map(bm) = v.val {
                if let Some((
                    _,
                    JNode {
                        val: JVal::Map(am), ..
                    },
                )) = a.get_mut(&k)
                {
                    merge_jmaps(am, bm);
                    continue;
                }
                a.insert(
                    k,
                    (
                        km,
                        JNode {
                            val: JVal::Map(bm),
                            mark: v.mark,
                        },
                    ),
                );
                continue;
            }
            a.insert(k, (km, v));
        }
    })
}

/// [`parse_values`] with spans.
pub fn parse_values_spanned(text: &[u8]) -> Result<SpannedValue, Error> {
    let mut out = BTreeMap::new();
    for chunk in split_documents(text)? {
        let v = jnode_to_spanned(values_document(&chunk)?, chunk.first_line);
        if let SpannedNode::Map(m) = v.node {
            merge_maps(&mut out, m);
        }
    }
    Ok(SpannedValue {
        span: Span { line: 1, column: 1 },
        node: SpannedNode::Map(out),
    })
}

/// A mapping key written twice (see [`duplicate_keys`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DuplicateKey {
    pub key: String,
    /// Where the key was first written (the value there is discarded).
    pub first: Span,
    /// Where it was written again (this value wins).
    pub repeated: Span,
}

/// Keys written twice in one mapping of a values file (split into documents
/// as [`parse_values`] does). helm accepts them, the last one winning, so
/// this is for linting only. A file that does not parse reports none.
pub fn duplicate_keys(text: &[u8]) -> Vec<DuplicateKey> {
    let Ok(chunks) = split_documents(text) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for chunk in chunks {
        for (key, first, repeated) in decode::duplicate_keys(&chunk.text) {
            out.push(DuplicateKey {
                key,
                first: Span::from_mark(first, chunk.first_line),
                repeated: Span::from_mark(repeated, chunk.first_line),
            });
        }
    }
    out
}

fn error_map(msg: String) -> Value {
    let mut e = MapEntries::new();
    e.insert("Error".into(), Value::string(msg));
    Value::map(e)
}

/// helm's `fromYaml`: a `map[string]interface{}`, or on failure a map holding
/// the error text under `"Error"`.
pub fn from_yaml(s: impl AsRef<[u8]>) -> Value {
    let s = s.as_ref();
    match parse_map(s) {
        Ok(v) => v,
        Err(e) => error_map(e.message),
    }
}

/// helm's `fromYamlArray`: a `[]interface{}`, or on failure a one-element
/// list holding the error text.
pub fn from_yaml_array(s: impl AsRef<[u8]>) -> Value {
    let s = s.as_ref();
    match sigs_unmarshal_value(s, Target::Array) {
        Ok(v) => v,
        Err(e) => Value::list(vec![Value::string(e.message)]),
    }
}

/// helm's `fromJson`: `json.Unmarshal` into `map[string]interface{}`; on
/// failure the partially decoded map plus the error under `"Error"`.
pub fn from_json(s: impl AsRef<[u8]>) -> Value {
    let s = s.as_ref();
    let (v, err) = json::unmarshal(s, json::Target::Map);
    match err {
        // JSON `null` sets the map to nil: `map[]` to fmt, `null` to toJson.
        None if v.is_nil_interface() => {
            Value::nil_map(gotmpl::Type::map_of(gotmpl::Type::Interface))
        }
        None => v,
        Some(msg) => {
            let mut e = match v {
                Value::Map(m) => (*m.entries()).clone(),
                _ => MapEntries::new(),
            };
            e.insert("Error".into(), Value::string(msg));
            Value::map(e)
        }
    }
}

/// helm's `fromJsonArray`: `json.Unmarshal` into `[]interface{}`; on failure
/// a one-element list holding the error text.
pub fn from_json_array(s: impl AsRef<[u8]>) -> Value {
    let s = s.as_ref();
    let (v, err) = json::unmarshal(s, json::Target::Array);
    match err {
        // JSON `null` sets the slice to nil: `[]` to fmt, `null` to toJson.
        None if v.is_nil_interface() => Value::nil_list(gotmpl::Type::Interface),
        None => v,
        Some(msg) => Value::list(vec![Value::string(msg)]),
    }
}

/// `sigs.k8s.io/yaml.Marshal(v)`: the YAML text, trailing newline included.
/// Errors: `error marshaling into JSON: json: unsupported value: NaN`, or
/// goyaml's re-parse errors.
pub fn marshal_yaml(v: &Value) -> Result<String, Error> {
    emit::marshal_v2(v)
}

/// helm's `mustToYaml`: [`marshal_yaml`] with one trailing newline trimmed.
/// (helm reports the error as `error calling mustToYaml: <message>`.)
pub fn must_to_yaml(v: &Value) -> Result<String, Error> {
    marshal_yaml(v).map(|s| s.strip_suffix('\n').map(str::to_string).unwrap_or(s))
}

/// helm's `toYaml`: like [`must_to_yaml`], but an error gives `""`.
pub fn to_yaml(v: &Value) -> String {
    must_to_yaml(v).unwrap_or_default()
}

/// helm's `toYamlPretty`: goyaml v3's encoder with indent 2 (no JSON round
/// trip: float64 values print as Go's `%g`, e.g. `1e+06`), trailing newline
/// trimmed, `""` on error.
pub fn to_yaml_pretty(v: &Value) -> String {
    match emit::marshal_v3(v) {
        Ok(s) => s.strip_suffix('\n').map(str::to_string).unwrap_or(s),
        Err(_) => String::new(),
    }
}

/// helm's `mustToJson`: `json.Marshal` (HTML-escaping, byte-ordered keys).
pub fn must_to_json(v: &Value) -> Result<String, Error> {
    json::marshal(v)
}

/// helm's `toJson`: `json.Marshal`, `""` on error.
pub fn to_json(v: &Value) -> String {
    json::marshal(v).unwrap_or_default()
}

/// sprig's `mustToRawJson`: a `json.Encoder` without HTML escaping, trailing newline trimmed.
pub fn must_to_raw_json(v: &Value) -> Result<String, Error> {
    json::marshal_raw(v)
}

/// sprig's `toRawJson` (sprig panics on error; the caller reports it).
pub fn to_raw_json(v: &Value) -> Result<String, Error> {
    json::marshal_raw(v)
}

/// sprig's `mustToPrettyJson`: `json.MarshalIndent(v, "", "  ")`.
pub fn must_to_pretty_json(v: &Value) -> Result<String, Error> {
    json::marshal_indent(v, "", "  ")
}

/// sprig's `toPrettyJson`: `json.MarshalIndent(v, "", "  ")`, `""` on error.
pub fn to_pretty_json(v: &Value) -> String {
    json::marshal_indent(v, "", "  ").unwrap_or_default()
}

/// helm's `toToml`: BurntSushi/toml's encoder; on error the error text itself.
pub fn to_toml(v: &Value) -> String {
    match toml::encode(v) {
        Ok(s) => s,
        Err(e) => e.message,
    }
}

/// helm's `fromToml`: a map, or on failure a map holding the error under
/// `"Error"`. Datetimes stay their text (with BurntSushi's `z`/`t`/space
/// replaced by `Z`/`T`/`T`); see [`from_toml_with`].
pub fn from_toml(s: &str) -> Value {
    from_toml_with(s, &|t| Some(Value::string(t)))
}

/// [`from_toml`], each datetime given by `datetime` from its text (Go's
/// `time.Time` lives above this crate); where it gives `None` (no Go layout
/// parses the text) the result is BurntSushi's `invalid datetime` error.
pub fn from_toml_with(s: &str, datetime: &dyn Fn(&str) -> Option<Value>) -> Value {
    match toml::decode(s, datetime) {
        Ok(v) => v,
        Err(e) => error_map(e.message),
    }
}

#[cfg(test)]
mod split_tests {
    use super::*;

    fn chunks(r: Result<Vec<Chunk>, Error>) -> Result<Vec<(Vec<u8>, usize)>, String> {
        r.map(|cs| {
            cs.into_iter()
                .map(|c| (c.text.into_owned(), c.first_line))
                .collect()
        })
        .map_err(|e| e.to_string())
    }

    #[test]
    fn input_slices_match_the_line_reader() {
        // Every text of up to 7 bytes over an alphabet holding line ends,
        // separators and their neighbours.
        let alphabet = b"a-\n\r #";
        let mut text = Vec::new();
        // Texts split as slices of the input, with and without separators.
        let (mut one, mut several) = (0, 0);
        for len in 0..=7u32 {
            for mut n in 0..alphabet.len().pow(len) {
                text.clear();
                for _ in 0..len {
                    text.push(alphabet[n % alphabet.len()]);
                    n /= alphabet.len();
                }
                let fast = chunks(split_documents(&text));
                assert_eq!(fast, chunks(split_document_lines(&text)), "{text:?}");
                if !text.contains(&b'\r') {
                    match fast.map(|c| c.len()) {
                        Ok(1) => one += 1,
                        Ok(n) if n > 1 => several += 1,
                        _ => {}
                    }
                }
            }
        }
        assert!(one > 10_000 && several > 50, "{one} {several}");
    }
}

#[cfg(test)]
mod plain_tests {
    use super::*;

    /// The general path's result, as text.
    fn general(text: &[u8], target: Target) -> String {
        format!("{:?}", sigs_checked(text, target, 0).map(jnode_into_value))
    }

    #[test]
    fn plain_values_agree_with_the_general_path() {
        let mut texts: Vec<Vec<u8>> = [
            "a: 1\nb: yes\nc: ~\nd: 0x1F\ne: 1_000\nf: 2001-12-14\ng: '1'\nh: [1, {x: y}]\n",
            "a: 1\na: 2\n",
            "1: a\n\"1\": b\n1: c\n",
            "true: a\n",
            "~: a\n",
            "<<: {a: 1}\nb: 2\n",
            "'<<': 1\n",
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "a: !!binary aGk=\n",
            "a: .inf\n",
            "a: -.Inf\nb: .nan\n",
            "a: 18446744073709551615\n",
            "18446744073709551615: a\n",
            "1.5: a\n",
            "[a]: 1\n",
            "- a\n- b\n",
            "scalar\n",
            "",
            "# only a comment\n",
            "a: |\n  x\n  y\nb: >\n  folded\n  text\n",
            "a:\n  b:\n    c: [1, 2, {d: e}]\n",
            "a: 1\n---\nb: 2\n",
            "a: [\n",
            "a: b: c\n",
        ]
        .iter()
        .map(|t| t.as_bytes().to_vec())
        .collect();
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
        texts.push(std::fs::read(format!("{root}/chart/values.yaml")).expect("values.yaml"));
        for entry in std::fs::read_dir(format!("{root}/fixtures/cases")).expect("fixtures") {
            texts.push(std::fs::read(entry.expect("entry").path()).expect("case"));
        }
        let mut plain = 0;
        for text in &texts {
            for target in [Target::Any, Target::Map, Target::Array] {
                if let Some(v) = decode::plain_value(text, target) {
                    plain += 1;
                    assert_eq!(
                        format!("{:?}", Ok::<_, Error>(v)),
                        general(text, target),
                        "{}",
                        String::from_utf8_lossy(text)
                    );
                }
            }
        }
        // Most texts are ordinary documents that take the plain path.
        assert!(plain > texts.len(), "{plain} of {}", texts.len());
        for risky in [
            "1: a\n\"1\": b\n1: c\n",
            "true: a\n",
            "<<: {a: 1}\nb: 2\n",
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "a: .inf\n",
            "1.5: a\n",
        ] {
            assert!(
                decode::plain_value(risky.as_bytes(), Target::Any).is_none(),
                "{risky}"
            );
        }
    }
}
