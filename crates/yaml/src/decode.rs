//! goyaml v2's `Unmarshal` into `interface{}` (node tree, aliases, merge keys,
//! alias-expansion limits), then sigs.k8s.io/yaml's conversion to a JSON-able
//! value (stringified keys) and encoding/json's marshal checks.

use crate::gofloat::format_g;
use crate::gofmt::go_sharp_v;
use crate::parser::{EventKind, Parser};
use crate::resolve::{self, Resolved};
use crate::scanner::{Input, Mark, Scanner, SyntaxError};
use gotmpl::{MapEntries, Str, Value};
use std::borrow::Cow;
use std::collections::HashMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Document,
    Mapping,
    Sequence,
    Scalar,
    Alias,
}

struct Node<'a> {
    kind: Kind,
    mark: Mark,
    tag: String,
    /// Borrowed from the input when the scanner could.
    value: Cow<'a, str>,
    implicit: bool,
    children: Vec<usize>,
    alias: Option<usize>,
}

/// A value as goyaml v2 decodes it into `interface{}`.
#[derive(Clone, Debug)]
pub enum GoVal {
    Nil,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Str(String),
    Seq(Vec<GoNode>),
    /// `map[interface{}]interface{}` in insertion order (Go's is random).
    Map(Vec<(GoNode, GoNode)>),
}

#[derive(Clone, Debug)]
pub struct GoNode {
    pub val: GoVal,
    pub mark: Mark,
}

/// Errors before JSON decoding.
#[derive(Debug, Clone)]
pub enum YamlError {
    /// A syntax error (goyaml's `p.fail()`).
    Syntax(Box<SyntaxError>),
    /// Any other goyaml failure: the text after `yaml: `, and where.
    Other(String, Mark),
}

impl YamlError {
    /// The text goyaml's error prints (`yaml: ...`).
    pub fn go_message(&self) -> String {
        match self {
            YamlError::Syntax(e) => format!("yaml: {}", e.go_message()),
            YamlError::Other(m, _) => format!("yaml: {m}"),
        }
    }
    pub fn mark(&self) -> Mark {
        match self {
            YamlError::Syntax(e) => {
                if e.problem_mark != Mark::default() {
                    e.problem_mark
                } else {
                    e.context_mark
                }
            }
            YamlError::Other(_, m) => *m,
        }
    }
}

struct TreeBuilder<'a> {
    parser: Parser<'a>,
    nodes: Vec<Node<'a>>,
    anchors: HashMap<String, usize>,
    peeked: Option<crate::parser::Event<'a>>,
    has_alias: bool,
    /// The children of the collections being read, innermost last.
    scratch: Vec<usize>,
}

impl<'a> TreeBuilder<'a> {
    /// A builder over `input`, with room for `nodes` nodes.
    fn new(input: &'a Input<'a>, nodes: usize) -> TreeBuilder<'a> {
        TreeBuilder {
            parser: Parser::new(Scanner::new(input)),
            nodes: Vec::with_capacity(nodes),
            anchors: HashMap::new(),
            peeked: None,
            has_alias: false,
            scratch: Vec::new(),
        }
    }

    fn peek(&mut self) -> Result<&crate::parser::Event<'a>, YamlError> {
        if self.peeked.is_none() {
            let e = self.parser.next_event().map_err(YamlError::Syntax)?;
            self.peeked = Some(e);
        }
        Ok(self.peeked.as_ref().expect("peeked"))
    }

    fn take(&mut self) -> Result<crate::parser::Event<'a>, YamlError> {
        match self.peeked.take() {
            Some(e) => Ok(e),
            None => self.parser.next_event().map_err(YamlError::Syntax),
        }
    }

    fn new_node(&mut self, kind: Kind, mark: Mark) -> usize {
        self.nodes.push(Node {
            kind,
            mark,
            tag: String::new(),
            value: Cow::Borrowed(""),
            implicit: false,
            children: Vec::new(),
            alias: None,
        });
        self.nodes.len() - 1
    }

    /// goyaml's `parser.parse()`; `None` at the end of the stream.
    fn parse(&mut self, depth: usize) -> Result<Option<usize>, YamlError> {
        if depth.is_multiple_of(crate::GROW_EVERY) {
            crate::grow_every(|| self.parse_here(depth))
        } else {
            self.parse_here(depth)
        }
    }

    fn parse_here(&mut self, depth: usize) -> Result<Option<usize>, YamlError> {
        // Event nesting is bounded by the scanner's depth limits, but alias-free
        // deep block nesting is bounded there too; guard the Rust stack anyway.
        if depth > 25_000 {
            return Err(YamlError::Other(
                "exceeded max depth of 10000".into(),
                Mark::default(),
            ));
        }
        let ev = self.take()?;
        let mark = ev.start;
        match ev.kind {
            EventKind::StreamStart => self.parse(depth),
            EventKind::StreamEnd => Ok(None),
            EventKind::DocumentStart => {
                let n = self.new_node(Kind::Document, mark);
                self.anchors.clear();
                let child = self.parse(depth + 1)?;
                if let Some(c) = child {
                    self.nodes[n].children.push(c);
                }
                let end = self.take()?;
                if !matches!(end.kind, EventKind::DocumentEnd) {
                    return Err(YamlError::Other(
                        "expected DOCUMENT-END event".into(),
                        end.start,
                    ));
                }
                Ok(Some(n))
            }
            EventKind::Alias(name) => {
                self.has_alias = true;
                let n = self.new_node(Kind::Alias, mark);
                match self.anchors.get(&name) {
                    Some(&t) => self.nodes[n].alias = Some(t),
                    None => {
                        return Err(YamlError::Other(
                            format!("unknown anchor '{name}' referenced"),
                            mark,
                        ))
                    }
                }
                self.nodes[n].value = Cow::Owned(name);
                Ok(Some(n))
            }
            EventKind::Scalar {
                anchor,
                tag,
                value,
                implicit,
                style: _,
            } => {
                let n = self.new_node(Kind::Scalar, mark);
                self.nodes[n].value = value;
                self.nodes[n].tag = tag;
                self.nodes[n].implicit = implicit;
                if let Some(a) = anchor {
                    self.anchors.insert(a, n);
                }
                Ok(Some(n))
            }
            EventKind::SequenceStart { anchor, tag } => {
                self.collection(Kind::Sequence, anchor, tag, mark, depth)
            }
            EventKind::MappingStart { anchor, tag } => {
                self.collection(Kind::Mapping, anchor, tag, mark, depth)
            }
            EventKind::DocumentEnd | EventKind::SequenceEnd | EventKind::MappingEnd => {
                Err(YamlError::Other("unexpected event".into(), mark))
            }
        }
    }

    /// A sequence, or a mapping (keys and values in turn): the children
    /// gather on a shared stack, then move to the node in one allocation of
    /// the right size.
    fn collection(
        &mut self,
        kind: Kind,
        anchor: Option<String>,
        tag: String,
        mark: Mark,
        depth: usize,
    ) -> Result<Option<usize>, YamlError> {
        let mapping = matches!(kind, Kind::Mapping);
        let n = self.new_node(kind, mark);
        self.nodes[n].tag = tag;
        if let Some(a) = anchor {
            self.anchors.insert(a, n);
        }
        let base = self.scratch.len();
        loop {
            let end = match self.peek()?.kind {
                EventKind::SequenceEnd => !mapping,
                EventKind::MappingEnd => mapping,
                _ => false,
            };
            if end {
                self.take()?;
                break;
            }
            for _ in 0..if mapping { 2 } else { 1 } {
                match self.parse(depth + 1)? {
                    Some(c) => self.scratch.push(c),
                    None => {
                        return Err(YamlError::Other(
                            "attempted to go past the end of stream; corrupted value?".into(),
                            mark,
                        ))
                    }
                }
            }
        }
        self.nodes[n].children = self.scratch.split_off(base);
        Ok(Some(n))
    }
}

struct Decoder<'a> {
    nodes: Vec<Node<'a>>,
    /// The document has no aliases, so every node is decoded at most once
    /// and its text can be moved out instead of copied.
    consume: bool,
    aliases: Vec<usize>,
    decode_count: usize,
    alias_count: usize,
    alias_depth: usize,
}

fn allowed_alias_ratio(decode_count: usize) -> f64 {
    const LOW: usize = 400_000;
    const HIGH: usize = 4_000_000;
    if decode_count <= LOW {
        0.99
    } else if decode_count >= HIGH {
        0.10
    } else {
        0.99 - 0.89 * ((decode_count - LOW) as f64 / (HIGH - LOW) as f64)
    }
}

fn fail<T>(msg: impl Into<String>, mark: Mark) -> Result<T, YamlError> {
    Err(YamlError::Other(msg.into(), mark))
}

/// Go map key equality (`==` on interface values).
fn key_eq(a: &GoVal, b: &GoVal) -> bool {
    match (a, b) {
        (GoVal::Nil, GoVal::Nil) => true,
        (GoVal::Bool(x), GoVal::Bool(y)) => x == y,
        (GoVal::Int(x), GoVal::Int(y)) => x == y,
        (GoVal::Uint(x), GoVal::Uint(y)) => x == y,
        (GoVal::Float(x), GoVal::Float(y)) => x == y,
        (GoVal::Str(x), GoVal::Str(y)) => x == y,
        _ => false,
    }
}

/// Go's `[]byte` → string conversion as encoding/json sees it: each invalid
/// byte becomes U+FFFD.
pub fn go_lossy_utf8(b: &[u8]) -> String {
    let mut out = String::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match std::str::from_utf8(&b[i..]) {
            Ok(s) => {
                out.push_str(s);
                break;
            }
            Err(e) => {
                let good = e.valid_up_to();
                out.push_str(std::str::from_utf8(&b[i..i + good]).unwrap_or(""));
                out.push('\u{FFFD}');
                i += good + 1;
            }
        }
    }
    out
}

impl Decoder<'_> {
    /// A node's children, moved out when no alias can revisit them.
    fn children(&mut self, n: usize) -> Vec<usize> {
        if self.consume {
            std::mem::take(&mut self.nodes[n].children)
        } else {
            self.nodes[n].children.clone()
        }
    }

    fn unmarshal(&mut self, n: usize) -> Result<GoNode, YamlError> {
        crate::grow(|| {
            self.decode_count += 1;
            if self.alias_depth > 0 {
                self.alias_count += 1;
            }
            if self.alias_count > 100
                && self.decode_count > 1000
                && self.alias_count as f64 / self.decode_count as f64
                    > allowed_alias_ratio(self.decode_count)
            {
                return fail("document contains excessive aliasing", self.nodes[n].mark);
            }
            let node = &self.nodes[n];
            let mark = node.mark;
            match node.kind {
                Kind::Document => match node.children.first() {
                    Some(&c) => self.unmarshal(c),
                    None => Ok(GoNode {
                        val: GoVal::Nil,
                        mark,
                    }),
                },
                Kind::Alias => {
                    if self.aliases.contains(&n) {
                        return fail(
                            format!("anchor '{}' value contains itself", node.value),
                            mark,
                        );
                    }
                    let target = node.alias.unwrap_or(n);
                    self.aliases.push(n);
                    self.alias_depth += 1;
                    let r = self.unmarshal(target);
                    self.alias_depth -= 1;
                    self.aliases.pop();
                    r
                }
                Kind::Scalar => Ok(GoNode {
                    val: self.scalar(n)?,
                    mark,
                }),
                Kind::Sequence => {
                    let children = self.children(n);
                    let mut items = Vec::with_capacity(children.len());
                    for c in children {
                        items.push(self.unmarshal(c)?);
                    }
                    Ok(GoNode {
                        val: GoVal::Seq(items),
                        mark,
                    })
                }
                Kind::Mapping => {
                    let mut entries: Vec<(GoNode, GoNode)> = Vec::new();
                    self.mapping_into(n, &mut entries)?;
                    Ok(GoNode {
                        val: GoVal::Map(entries),
                        mark,
                    })
                }
            }
        })
    }

    fn text(&mut self, n: usize) -> String {
        if self.consume {
            std::mem::take(&mut self.nodes[n].value).into_owned()
        } else {
            self.nodes[n].value.to_string()
        }
    }

    fn scalar(&mut self, n: usize) -> Result<GoVal, YamlError> {
        let node = &self.nodes[n];
        if node.tag.is_empty() && !node.implicit {
            return Ok(GoVal::Str(self.text(n)));
        }
        let (rtag, res) =
            resolve::resolve(&node.tag, &node.value).map_err(|m| YamlError::Other(m, node.mark))?;
        let _ = rtag;
        if node.tag == resolve::BINARY_TAG {
            return match base64_decode(&node.value) {
                Some(bytes) => Ok(GoVal::Str(go_lossy_utf8(&bytes))),
                None => fail("!!binary value contains invalid base64 data", node.mark),
            };
        }
        Ok(match res {
            Resolved::Null => GoVal::Nil,
            Resolved::Bool(b) => GoVal::Bool(b),
            Resolved::Int(i) => GoVal::Int(i),
            Resolved::Uint(u) => GoVal::Uint(u),
            Resolved::Float(f) => GoVal::Float(f),
            Resolved::Str => GoVal::Str(self.text(n)),
        })
    }

    fn is_merge(&self, n: usize) -> bool {
        let node = &self.nodes[n];
        node.kind == Kind::Scalar
            && node.value == "<<"
            && (node.implicit || node.tag == resolve::MERGE_TAG)
    }

    fn set(entries: &mut Vec<(GoNode, GoNode)>, k: GoNode, v: GoNode) {
        if let Some(e) = entries.iter_mut().find(|(ek, _)| key_eq(&ek.val, &k.val)) {
            e.1 = v;
        } else {
            entries.push((k, v));
        }
    }

    /// goyaml's `d.mapping` into an existing map.
    fn mapping_into(
        &mut self,
        n: usize,
        entries: &mut Vec<(GoNode, GoNode)>,
    ) -> Result<(), YamlError> {
        let children = self.children(n);
        let mut i = 0;
        while i + 1 < children.len() {
            let (kn, vn) = (children[i], children[i + 1]);
            i += 2;
            if self.is_merge(kn) {
                self.merge(vn, entries)?;
                continue;
            }
            let k = self.unmarshal(kn)?;
            if matches!(k.val, GoVal::Map(_) | GoVal::Seq(_)) {
                return fail(format!("invalid map key: {}", go_sharp_v(&k.val)), k.mark);
            }
            let v = self.unmarshal(vn)?;
            Self::set(entries, k, v);
        }
        Ok(())
    }

    /// Decode a node that must be a mapping into `entries` (counting it as
    /// goyaml's `d.unmarshal(n, out)` does).
    fn unmarshal_into_map(
        &mut self,
        n: usize,
        entries: &mut Vec<(GoNode, GoNode)>,
    ) -> Result<(), YamlError> {
        crate::grow(|| {
            self.decode_count += 1;
            if self.alias_depth > 0 {
                self.alias_count += 1;
            }
            if self.alias_count > 100
                && self.decode_count > 1000
                && self.alias_count as f64 / self.decode_count as f64
                    > allowed_alias_ratio(self.decode_count)
            {
                return fail("document contains excessive aliasing", self.nodes[n].mark);
            }
            let node = &self.nodes[n];
            match node.kind {
                Kind::Alias => {
                    if self.aliases.contains(&n) {
                        return fail(
                            format!("anchor '{}' value contains itself", node.value),
                            node.mark,
                        );
                    }
                    let target = node.alias.unwrap_or(n);
                    self.aliases.push(n);
                    self.alias_depth += 1;
                    let r = self.unmarshal_into_map(target, entries);
                    self.alias_depth -= 1;
                    self.aliases.pop();
                    r
                }
                Kind::Mapping => self.mapping_into(n, entries),
                _ => fail(
                    "map merge requires map or sequence of maps as the value",
                    node.mark,
                ),
            }
        })
    }

    fn merge(&mut self, n: usize, entries: &mut Vec<(GoNode, GoNode)>) -> Result<(), YamlError> {
        let node = &self.nodes[n];
        let want_map = "map merge requires map or sequence of maps as the value";
        match node.kind {
            Kind::Mapping => self.unmarshal_into_map(n, entries),
            Kind::Alias => {
                if let Some(t) = node.alias {
                    if self.nodes[t].kind != Kind::Mapping {
                        return fail(want_map, node.mark);
                    }
                }
                self.unmarshal_into_map(n, entries)
            }
            Kind::Sequence => {
                let children = node.children.clone();
                for &c in children.iter().rev() {
                    let cn = &self.nodes[c];
                    if cn.kind == Kind::Alias {
                        if let Some(t) = cn.alias {
                            if self.nodes[t].kind != Kind::Mapping {
                                return fail(want_map, cn.mark);
                            }
                        }
                    } else if cn.kind != Kind::Mapping {
                        return fail(want_map, cn.mark);
                    }
                    self.unmarshal_into_map(c, entries)?;
                }
                Ok(())
            }
            _ => fail(want_map, node.mark),
        }
    }
}

/// Go's `base64.StdEncoding.DecodeString` (padding required; `\r` and `\n` ignored).
pub fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut vals = Vec::with_capacity(s.len());
    let mut pad = 0;
    for c in s.bytes() {
        if c == b'\r' || c == b'\n' {
            continue;
        }
        if c == b'=' {
            pad += 1;
            vals.push(255u8);
            continue;
        }
        if pad > 0 {
            return None;
        }
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        vals.push(v);
    }
    if vals.len() % 4 != 0 || pad > 2 {
        return None;
    }
    let mut out = Vec::with_capacity(vals.len() / 4 * 3);
    for (ci, chunk) in vals.chunks(4).enumerate() {
        let last = ci == vals.len() / 4 - 1;
        let np = chunk.iter().filter(|&&x| x == 255).count();
        if np > 0 && !last {
            return None;
        }
        if chunk[..4 - np].contains(&255) {
            return None;
        }
        let g = |i: usize| {
            if chunk[i] == 255 {
                0u32
            } else {
                chunk[i] as u32
            }
        };
        let n = (g(0) << 18) | (g(1) << 12) | (g(2) << 6) | g(3);
        match np {
            0 => out.extend_from_slice(&[(n >> 16) as u8, (n >> 8) as u8, n as u8]),
            1 => {
                if n & 0xFF != 0 {
                    // Go's strict decoding is off: trailing bits are ignored.
                }
                out.extend_from_slice(&[(n >> 16) as u8, (n >> 8) as u8]);
            }
            2 => out.push((n >> 16) as u8),
            _ => return None,
        }
    }
    Some(out)
}

/// Parse the first document of `input` the way `yaml.Unmarshal` (goyaml v2)
/// does into an `interface{}`; `None` for an empty stream.
pub fn goyaml_unmarshal(input: &[u8]) -> Result<Option<GoNode>, YamlError> {
    let bytes: &[u8] = if input.is_empty() { b"\n" } else { input };
    let input = Input::new(bytes);
    let mut tb = TreeBuilder::new(&input, bytes.len() / 32);
    let root = tb.parse(0)?;
    let Some(root) = root else { return Ok(None) };
    let mut d = Decoder {
        consume: !tb.has_alias,
        nodes: tb.nodes,
        aliases: Vec::new(),
        decode_count: 0,
        alias_count: 0,
        alias_depth: 0,
    };
    Ok(Some(d.unmarshal(root)?))
}

/// What sigs.k8s.io/yaml's `Unmarshal` into `target` gives, as a plain
/// value, for a document that certainly decodes and converts without error:
/// no aliases, tags or merge keys, only string keys (so goyaml's key
/// equality and the stringified keys agree: the last duplicate wins either
/// way), no infinities or NaN, the root of the target's shape. `None`
/// otherwise: the general path then finds the value or the error.
pub fn plain_value(input: &[u8], target: crate::Target) -> Option<Value> {
    // Most values files are in the line-structured subset, read without
    // the scanner and parser.
    if target != crate::Target::Array {
        if let Some(doc) = crate::quick::decode_document(input) {
            return Some(match (doc, target) {
                (Some(v), _) => v,
                (None, crate::Target::Map) => Value::map(MapEntries::new()),
                (None, _) => Value::Nil,
            });
        }
    }
    plain_value_parsed(input, target)
}

/// [`plain_value`] through the scanner and parser.
pub(crate) fn plain_value_parsed(input: &[u8], target: crate::Target) -> Option<Value> {
    let bytes: &[u8] = if input.is_empty() { b"\n" } else { input };
    let input = Input::new(bytes);
    // Values files hold about one node per 40 bytes: growing the vector
    // step by step would copy it over and over.
    let mut tb = TreeBuilder::new(&input, bytes.len() / 32);
    let root = tb.parse(0).ok()?;
    if tb.has_alias {
        return None;
    }
    let v = match root {
        None => Value::Nil,
        Some(r) => plain_node(&mut tb.nodes, r, 0)?,
    };
    use crate::Target;
    match (target, &v) {
        (Target::Map, Value::Nil) => Some(Value::map(MapEntries::new())),
        (Target::Array, Value::Nil) => Some(Value::list(Vec::new())),
        (Target::Map, Value::Map(_)) | (Target::Array, Value::List(_)) | (Target::Any, _) => {
            Some(v)
        }
        _ => None,
    }
}

/// A node of an alias-free tree as [`plain_value`] converts it (texts are
/// moved out: each node is visited once).
fn plain_node(nodes: &mut [Node], n: usize, depth: usize) -> Option<Value> {
    if depth.is_multiple_of(crate::GROW_EVERY) {
        crate::grow_every(|| plain_node_here(nodes, n, depth))
    } else {
        plain_node_here(nodes, n, depth)
    }
}

fn plain_node_here(nodes: &mut [Node], n: usize, depth: usize) -> Option<Value> {
    let node = nodes.get_mut(n)?;
    if !node.tag.is_empty() {
        return None;
    }
    Some(match node.kind {
        Kind::Document => match node.children.first() {
            Some(&c) => plain_node(nodes, c, depth + 1)?,
            None => Value::Nil,
        },
        Kind::Scalar => {
            if !node.implicit {
                return Some(Value::string(&*node.value));
            }
            plain_scalar(&node.value)?
        }
        Kind::Sequence => {
            let children = std::mem::take(&mut node.children);
            let mut items = Vec::with_capacity(children.len());
            for c in children {
                items.push(plain_node(nodes, c, depth + 1)?);
            }
            // With the room JSON decoding's appends leave (sigs.k8s.io/yaml
            // goes through JSON).
            Value::grown_list(items)
        }
        Kind::Mapping => {
            let children = std::mem::take(&mut node.children);
            let mut entries = MapEntries::new();
            for pair in children.chunks_exact(2) {
                let key = nodes.get_mut(pair[0])?;
                if key.kind != Kind::Scalar
                    || !key.tag.is_empty()
                    || (key.implicit
                        && (key.value == "<<"
                            || resolve::resolve("", &key.value).ok()?.1 != Resolved::Str))
                {
                    return None;
                }
                let k = Str::from(&*key.value);
                let v = plain_node(nodes, pair[1], depth + 1)?;
                entries.insert(k, v);
            }
            Value::map(entries)
        }
        Kind::Alias => return None,
    })
}

/// A plain scalar's value as the plain path converts it (numbers become
/// floats, as encoding/json decodes them); `None` for an infinity or NaN,
/// which the conversion rejects.
pub(crate) fn plain_scalar(text: &str) -> Option<Value> {
    Some(match resolve::resolve("", text).ok()?.1 {
        Resolved::Null => Value::Nil,
        Resolved::Bool(b) => Value::Bool(b),
        Resolved::Int(i) => Value::Float(i as f64),
        Resolved::Uint(u) => Value::Float(u as f64),
        Resolved::Float(f) if f.is_finite() => Value::Float(f),
        Resolved::Float(_) => return None,
        Resolved::Str => Value::string(text),
    })
}

/// Scalar keys written more than once in one mapping (goyaml v2 keeps the
/// last without a word): the key text, where it was first written and where
/// again. Merge keys (`<<`) do not count; a document that does not parse has none.
pub fn duplicate_keys(input: &[u8]) -> Vec<(String, Mark, Mark)> {
    let bytes: &[u8] = if input.is_empty() { b"\n" } else { input };
    let input = Input::new(bytes);
    let mut tb = TreeBuilder::new(&input, 0);
    if tb.parse(0).is_err() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for node in tb.nodes.iter().filter(|n| n.kind == Kind::Mapping) {
        let mut seen: HashMap<&str, Mark> = HashMap::new();
        for pair in node.children.chunks(2) {
            let key = &tb.nodes[pair[0]];
            let merge = key.value == "<<" && (key.implicit || key.tag == resolve::MERGE_TAG);
            if key.kind != Kind::Scalar || merge {
                continue;
            }
            match seen.get(&*key.value) {
                Some(first) => out.push((key.value.to_string(), *first, key.mark)),
                None => {
                    seen.insert(&*key.value, key.mark);
                }
            }
        }
    }
    out
}

/// Whether a plain scalar in key position certainly decodes and converts
/// without error: not a merge key, not null, not an unsigned integer beyond
/// int64 (sigs.k8s.io/yaml rejects those keys).
pub(crate) fn plain_key_safe(value: &str) -> bool {
    match value.as_bytes().first() {
        None => false,
        Some(b'~' | b'n' | b'N') => !matches!(value, "~" | "null" | "Null" | "NULL"),
        Some(b'<') => value != "<<",
        Some(b'0'..=b'9' | b'+' | b'-') => !matches!(
            resolve::resolve("", value),
            Ok((_, Resolved::Uint(_) | Resolved::Null))
        ),
        Some(_) => true,
    }
}

/// Whether a plain scalar in value position certainly converts without
/// error: encoding/json rejects infinities and NaN, which only the `.inf`
/// and `.nan` spellings resolve to.
pub(crate) fn plain_value_safe(value: &str) -> bool {
    match value.as_bytes().first() {
        Some(b'.' | b'+' | b'-') => !matches!(
            resolve::resolve("", value),
            Ok((_, Resolved::Float(f))) if !f.is_finite()
        ),
        _ => true,
    }
}

/// The entries of a mapping document whose (stringified) keys `keep`
/// accepts, decoded and converted as sigs.k8s.io/yaml's `Unmarshal` would
/// decode them, without decoding the rest of the document; `None` unless
/// the whole document provably decodes and converts without error (no
/// aliases, tags, merge keys, null or non-scalar keys, infinities…), in
/// which case the caller decodes it fully.
pub fn top_entries_filtered(input: &[u8], keep: &dyn Fn(&str) -> bool) -> Option<MapEntries> {
    let bytes: &[u8] = if input.is_empty() { b"\n" } else { input };
    let input = Input::new(bytes);
    // The kept entries' nodes: a few dozen.
    let mut tb = TreeBuilder::new(&input, 64);
    if !matches!(tb.take().ok()?.kind, EventKind::StreamStart)
        || !matches!(tb.take().ok()?.kind, EventKind::DocumentStart)
    {
        return None;
    }
    match tb.take().ok()?.kind {
        EventKind::MappingStart { tag, .. } if tag.is_empty() => {}
        _ => return None,
    }
    // Only the kept entries' values become nodes; the others are read as
    // events and checked as they stream by.
    let mut pairs: Vec<(GoVal, Option<usize>)> = Vec::new();
    loop {
        if matches!(tb.peek().ok()?.kind, EventKind::MappingEnd) {
            tb.take().ok()?;
            break;
        }
        let k = tb.parse(2).ok()??;
        let key = &tb.nodes[k];
        if !key.tag.is_empty() || !key_node_safe(key) {
            return None;
        }
        let kv = key_value(key)?;
        if keep(&key_string(&kv)?) {
            let first = tb.nodes.len();
            let v = tb.parse(2).ok()??;
            if tb.has_alias || !nodes_safe(&tb.nodes[first..], first) {
                return None;
            }
            if !value_node_safe(&tb.nodes[v]) {
                return None;
            }
            pairs.push((kv, Some(v)));
        } else {
            skip_safe_node(&mut tb)?;
            pairs.push((kv, None));
        }
    }
    if tb.has_alias || !matches!(tb.take().ok()?.kind, EventKind::DocumentEnd) {
        return None;
    }
    let mut d = Decoder {
        consume: true,
        nodes: tb.nodes,
        aliases: Vec::new(),
        decode_count: 0,
        alias_count: 0,
        alias_depth: 0,
    };
    // goyaml's map assignment (equal keys replace the value in place), then
    // sigs.k8s.io/yaml's key stringification (later entries win).
    let mut entries: Vec<(GoVal, Option<usize>)> = Vec::new();
    for (k, v) in pairs {
        match entries.iter_mut().find(|(ek, _)| key_eq(ek, &k)) {
            Some(e) => e.1 = v,
            None => entries.push((k, v)),
        }
    }
    let mut kept = std::collections::BTreeMap::new();
    for (k, v) in entries {
        let ks = key_string(&k)?;
        if keep(&ks) {
            kept.insert(ks, v?);
        }
    }
    let mut out = MapEntries::new();
    for (k, v) in kept {
        // Straight to a plain value; an entry with other than string keys
        // inside (which `plain_node` leaves half moved out) sends the
        // caller to the full parse.
        out.insert(Str::from(k), plain_node(&mut d.nodes, v, 0)?);
    }
    Some(out)
}

/// A key scalar's value as `Decoder::scalar` gives it (no tag, no alias).
fn key_value(node: &Node) -> Option<GoVal> {
    if !node.implicit {
        return Some(GoVal::Str(node.value.to_string()));
    }
    plain_key_value(&node.value)
}

/// An untagged plain key's value.
fn plain_key_value(value: &str) -> Option<GoVal> {
    Some(match resolve::resolve("", value).ok()?.1 {
        Resolved::Null => GoVal::Nil,
        Resolved::Bool(b) => GoVal::Bool(b),
        Resolved::Int(i) => GoVal::Int(i),
        Resolved::Uint(u) => GoVal::Uint(u),
        Resolved::Float(f) => GoVal::Float(f),
        Resolved::Str => GoVal::Str(value.to_string()),
    })
}

/// A key the recognizer read, stringified.
fn quick_key(k: crate::quick::Key) -> Option<String> {
    if k.quoted {
        return Some(k.text.to_string());
    }
    key_string(&plain_key_value(k.text)?)
}

/// A top-level key's filter and, optionally, the filter of the entries of
/// a kept top-level mapping (given the top-level key and theirs).
pub type KeepIn<'k> = Option<&'k dyn Fn(&str, &str) -> bool>;

/// [`top_entries_filtered`] (and `keep_in` when given, which drops entries
/// of kept top-level mappings) for documents in the subset that
/// [`crate::quick`] recognizes; `None` otherwise. Such a document is
/// certainly valid and its entries, top-level and one level down, are runs
/// of whole lines that decode alike on their own: only the kept lines are
/// parsed.
pub fn top_entries_quick(
    input: &[u8],
    keep: &dyn Fn(&str) -> bool,
    keep_in: KeepIn<'_>,
) -> Option<MapEntries> {
    let top = crate::quick::top_entries(input)?;
    // The kept lines, as ranges of the input; a kept mapping none of whose
    // entries are kept becomes `key: {}`.
    let mut ranges: Vec<std::ops::Range<usize>> = Vec::new();
    let mut owned: Option<Vec<u8>> = None;
    let add = |ranges: &mut Vec<std::ops::Range<usize>>, r: std::ops::Range<usize>| match ranges
        .last_mut()
    {
        Some(last) if last.end == r.start => last.end = r.end,
        _ => ranges.push(r),
    };
    for (i, e) in top.iter().enumerate() {
        let end = top.get(i + 1).map_or(input.len(), |n| n.line);
        let key = quick_key(e.key)?;
        if !keep(&key) {
            continue;
        }
        match (keep_in, &e.sub) {
            (Some(keep_in), Some((first, subs))) => {
                let mut kept = Vec::new();
                for (j, &(sub, line)) in subs.iter().enumerate() {
                    let sub_end = subs.get(j + 1).map_or(end, |n| n.1);
                    if keep_in(&key, &quick_key(sub)?) {
                        kept.push(line..sub_end);
                    }
                }
                if kept.is_empty() {
                    // Rebuilt text from here on.
                    let buf = owned.get_or_insert_with(Vec::new);
                    for r in ranges.drain(..) {
                        buf.extend_from_slice(&input[r]);
                    }
                    buf.extend_from_slice(&input[e.line..e.key.end]);
                    buf.extend_from_slice(b": {}\n");
                    continue;
                }
                add(&mut ranges, e.line..*first);
                for r in kept {
                    add(&mut ranges, r);
                }
            }
            _ => add(&mut ranges, e.line..end),
        }
    }
    let text: Cow<[u8]> = match (owned, ranges.as_slice()) {
        (None, []) => return Some(MapEntries::new()),
        (None, [one]) => Cow::Borrowed(&input[one.clone()]),
        (owned, more) => {
            let mut buf = owned.unwrap_or_default();
            for r in more {
                buf.extend_from_slice(&input[r.clone()]);
            }
            Cow::Owned(buf)
        }
    };
    // The kept lines are mostly one-line scalars (a kind, a name, a few
    // annotations): the line-structure decoder reads them for a fraction
    // of what the full parser costs, and gives what it would.
    match crate::quick::decode_document(&text) {
        Some(Some(gotmpl::Value::Map(m))) => Some((*m.entries()).clone()),
        _ => top_entries_filtered(&text, keep),
    }
}

/// sigs.k8s.io/yaml's stringification of a scalar map key.
fn key_string(k: &GoVal) -> Option<String> {
    Some(match k {
        GoVal::Str(s) => s.clone(),
        GoVal::Int(i) => i.to_string(),
        GoVal::Float(f) => match crate::gofloat::format_g32(*f).as_str() {
            "+Inf" => ".inf".into(),
            "-Inf" => "-.inf".into(),
            "NaN" => ".nan".into(),
            s => s.to_string(),
        },
        GoVal::Bool(b) => b.to_string(),
        _ => return None,
    })
}

/// A mapping key that certainly decodes and converts: a scalar, and a
/// safe one if plain.
fn key_node_safe(k: &Node) -> bool {
    k.kind == Kind::Scalar && (!k.implicit || plain_key_safe(&k.value))
}

/// A value that certainly converts (see [`plain_value_safe`]).
fn value_node_safe(v: &Node) -> bool {
    v.kind != Kind::Scalar || !v.implicit || plain_value_safe(&v.value)
}

/// Whether the nodes (numbered from `first`) certainly decode and convert
/// without error: no tags, no aliases, only safe keys and values.
fn nodes_safe(nodes: &[Node], first: usize) -> bool {
    let at = |i: usize| i.checked_sub(first).and_then(|i| nodes.get(i));
    nodes.iter().all(|node| {
        if !node.tag.is_empty() {
            return false;
        }
        match node.kind {
            Kind::Mapping => node.children.chunks(2).all(|pair| {
                let (Some(k), Some(v)) = (at(pair[0]), pair.get(1).and_then(|&v| at(v))) else {
                    return false;
                };
                key_node_safe(k) && value_node_safe(v)
            }),
            Kind::Sequence => node
                .children
                .iter()
                .all(|&c| at(c).is_some_and(value_node_safe)),
            Kind::Document | Kind::Scalar => true,
            Kind::Alias => false,
        }
    })
}

/// Consume the events of one node (a value of the top mapping), checking
/// what `nodes_safe` checks; `None` when unsure.
fn skip_safe_node(tb: &mut TreeBuilder<'_>) -> Option<()> {
    // For each open collection: is it a mapping, and is a key due next.
    let mut open: Vec<(bool, bool)> = Vec::new();
    loop {
        let ev = tb.take().ok()?;
        // Where this node sits: key of a mapping, or a value.
        let as_key = matches!(open.last(), Some((true, true)));
        if let Some((true, key_next)) = open.last_mut() {
            if !matches!(ev.kind, EventKind::MappingEnd) {
                *key_next = !*key_next;
            }
        }
        match &ev.kind {
            EventKind::Scalar {
                tag,
                value,
                implicit,
                ..
            } => {
                if !tag.is_empty() {
                    return None;
                }
                let safe = if as_key {
                    !implicit || plain_key_safe(value)
                } else {
                    !implicit || plain_value_safe(value)
                };
                if !safe {
                    return None;
                }
            }
            EventKind::SequenceStart { tag, .. } | EventKind::MappingStart { tag, .. } => {
                // A collection key is an error; so is a tag. The depth bound
                // keeps this below `TreeBuilder::parse`'s limit.
                if as_key || !tag.is_empty() || open.len() > 20_000 {
                    return None;
                }
                let mapping = matches!(ev.kind, EventKind::MappingStart { .. });
                open.push((mapping, true));
                continue;
            }
            EventKind::SequenceEnd | EventKind::MappingEnd => {
                let mapping = matches!(ev.kind, EventKind::MappingEnd);
                match open.pop() {
                    Some((m, true)) if m == mapping => {}
                    Some((false, _)) if !mapping => {}
                    _ => return None,
                }
            }
            _ => return None,
        }
        if open.is_empty() {
            return Some(());
        }
    }
}

/// A JSON-able value (sigs.k8s.io/yaml's `convertToJSONableObject` result).
#[derive(Clone, Debug)]
pub enum JVal {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Str(String),
    Seq(Vec<JNode>),
    /// Keys in Go's sorted (byte) order.
    Map(std::collections::BTreeMap<String, (Mark, JNode)>),
}

#[derive(Clone, Debug)]
pub struct JNode {
    pub val: JVal,
    pub mark: Mark,
}

fn go_type_name(v: &GoVal) -> String {
    match v {
        GoVal::Nil => "%!s(<nil>)".into(),
        GoVal::Bool(_) => "bool".into(),
        GoVal::Int(_) => "int".into(),
        GoVal::Uint(_) => "uint64".into(),
        GoVal::Float(_) => "float64".into(),
        GoVal::Str(_) => "string".into(),
        GoVal::Seq(_) => "[]interface {}".into(),
        GoVal::Map(_) => "map[interface {}]interface {}".into(),
    }
}

/// sigs.k8s.io/yaml's key stringification and the JSON-able conversion.
pub fn to_jsonable(n: GoNode) -> Result<JNode, (String, Mark)> {
    crate::grow(|| {
        let val = match n.val {
            GoVal::Nil => JVal::Null,
            GoVal::Bool(b) => JVal::Bool(b),
            GoVal::Int(i) => JVal::Int(i),
            GoVal::Uint(u) => JVal::Uint(u),
            GoVal::Float(f) => JVal::Float(f),
            GoVal::Str(s) => JVal::Str(s),
            GoVal::Seq(items) => JVal::Seq(
                items
                    .into_iter()
                    .map(to_jsonable)
                    .collect::<Result<_, _>>()?,
            ),
            GoVal::Map(entries) => {
                let mut m = std::collections::BTreeMap::new();
                for (k, v) in entries {
                    let ks = match k.val {
                        GoVal::Str(s) => s,
                        GoVal::Int(i) => i.to_string(),
                        GoVal::Float(f) => {
                            let s = crate::gofloat::format_g32(f);
                            match s.as_str() {
                                "+Inf" => ".inf".into(),
                                "-Inf" => "-.inf".into(),
                                "NaN" => ".nan".into(),
                                _ => s,
                            }
                        }
                        GoVal::Bool(b) => b.to_string(),
                        other => {
                            return Err((
                                format!(
                                    "unsupported map key of type: {}, key: {}, value: {}",
                                    go_type_name(&other),
                                    go_sharp_v(&other),
                                    go_sharp_v(&v.val)
                                ),
                                k.mark,
                            ))
                        }
                    };
                    let jv = to_jsonable(v)?;
                    m.insert(ks, (k.mark, jv));
                }
                JVal::Map(m)
            }
        };
        Ok(JNode { val, mark: n.mark })
    })
}

/// encoding/json's marshal checks on a JSON-able value: the first NaN or
/// infinity in marshal order is an error.
pub fn json_marshal_check(n: &JNode) -> Result<(), (String, Mark)> {
    crate::grow(|| match &n.val {
        JVal::Float(f) if !f.is_finite() => {
            Err((format!("json: unsupported value: {}", format_g(*f)), n.mark))
        }
        JVal::Seq(items) => items.iter().try_for_each(json_marshal_check),
        JVal::Map(m) => m.values().try_for_each(|(_, v)| json_marshal_check(v)),
        _ => Ok(()),
    })
}

/// The JSON type name encoding/json's `UnmarshalTypeError` uses.
pub fn json_kind_name(v: &JVal) -> &'static str {
    match v {
        JVal::Null => "null",
        JVal::Bool(_) => "bool",
        JVal::Int(_) | JVal::Uint(_) | JVal::Float(_) => "number",
        JVal::Str(_) => "string",
        JVal::Seq(_) => "array",
        JVal::Map(_) => "object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcut_only_for_documents_that_cannot_fail() {
        let keep = |k: &str| k == "kind";
        let simple = "kind: A\nspec:\n  a: [1, 'x', {b: ~}]\n  c: |\n    text\n";
        let kept = top_entries_filtered(simple.as_bytes(), &keep).expect("shortcut taken");
        assert_eq!(kept.keys().map(|k| &**k).collect::<Vec<_>>(), vec!["kind"]);
        for risky in [
            "kind: A\nspec: .inf\n",
            "kind: A\nspec: {~: 1}\n",
            "kind: A\nspec: {<<: {a: 1}}\n",
            "kind: &a A\nspec: *a\n",
            "kind: !!str A\n",
            "kind: A\nspec: {18446744073709551615: 1}\n",
            "kind: A\nspec: {[a]: 1}\n",
            "- kind\n",
            "kind: [\n",
        ] {
            assert!(
                top_entries_filtered(risky.as_bytes(), &keep).is_none(),
                "{risky:?}"
            );
        }
    }
}
