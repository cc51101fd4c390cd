//! The error report of helm's schema validator (santhosh-tekuri jsonschema
//! v6): which keywords fail, in which order, and how the failures nest.
//!
//! The `jsonschema` crate decides validity; this module only words the
//! failures the way helm prints them:
//!
//! ```text
//! - at '/a': 'anyOf' failed
//!   - at '/a': got string, want integer
//!   - at '/a': got string, want boolean
//! - at '/b': validation failed
//!   - at '/b/c': got number, want string
//! ```
//!
//! It follows v6's validator: keywords are checked in a fixed order
//! (`type`, `const`, `enum`, `format`, `$ref`, then the keywords of the
//! instance's type, then `$recursiveRef`/`$dynamicRef`, `not`, `allOf`,
//! `anyOf`, `oneOf`, `if`, and `unevaluated*`); several failures of one
//! schema object are grouped under `validation failed`; a `$ref` whose
//! target fails more than once shows the target's failures under
//! `validation failed` (once: the failure in its place); draft 4 to 7
//! `$ref`s hide their siblings. The same walk, run with a draft's
//! meta-schema against the schema document, gives helm's text for a schema
//! that is not valid against its meta-schema.
//!
//! v6 walks Go maps, in random order: where several properties of one
//! object fail, helm's order changes from run to run. Here they come in
//! the order of the instance's keys.
//!
//! Anything this walk does not model (a `$ref` it cannot resolve, a
//! document it cannot read) gives `None`, and the caller keeps its other
//! wording.

use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

use num_bigint::BigInt;
use serde_json::Value as J;

use super::{formats, num_f64, q, re2, Meta};

/// Where the values schema lives for v6 (helm adds it under this URL).
pub(crate) const VALUES_URL: &str = "file:///values.schema.json";

// ---------------------------------------------------------------------------
// JSON documents that keep numbers as written

/// A JSON value whose numbers keep their text: v6 reads schemas with
/// `UseNumber`, and prints `enum`/`const` numbers as written (`1000.0`).
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum V {
    Null,
    Bool(bool),
    Num(String),
    Str(String),
    Arr(Vec<V>),
    /// Keys in document order; a repeated key keeps its last value.
    Obj(Vec<(String, V)>),
}

impl V {
    fn get(&self, key: &str) -> Option<&V> {
        match self {
            V::Obj(o) => o.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    fn str(&self) -> Option<&str> {
        match self {
            V::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The value at a JSON pointer (`""` is the value itself).
    fn at(&self, ptr: &str) -> Option<&V> {
        let mut cur = self;
        if ptr.is_empty() {
            return Some(cur);
        }
        for tok in ptr.strip_prefix('/')?.split('/') {
            let tok = tok.replace("~1", "/").replace("~0", "~");
            cur = match cur {
                V::Obj(_) => cur.get(&tok)?,
                V::Arr(a) => a.get(tok.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(cur)
    }

    /// A values tree as v6 sees it: Go's `%v` text for numbers.
    pub(crate) fn from_json(j: &J) -> V {
        match j {
            J::Null => V::Null,
            J::Bool(b) => V::Bool(*b),
            J::Number(n) => V::Num(match n.as_f64() {
                Some(f) if !n.is_i64() && !n.is_u64() => {
                    gotmpl::strconv::format_float(f, b'g', -1, 64)
                }
                _ => n.to_string(),
            }),
            J::String(s) => V::Str(s.clone()),
            J::Array(a) => V::Arr(a.iter().map(V::from_json).collect()),
            J::Object(o) => V::Obj(
                o.iter()
                    .map(|(k, v)| (k.clone(), V::from_json(v)))
                    .collect(),
            ),
        }
    }
}

/// Parses a JSON document keeping number texts. `None` for anything that
/// is not one (the caller has already reported such a document).
pub(crate) fn parse(bytes: &[u8]) -> Option<V> {
    let mut p = Parser { b: bytes, i: 0 };
    let v = p.value(0)?;
    p.ws();
    (p.i == bytes.len()).then_some(v)
}

struct Parser<'a> {
    b: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while matches!(self.b.get(self.i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    fn eat(&mut self, lit: &[u8]) -> Option<()> {
        self.b[self.i..]
            .starts_with(lit)
            .then(|| self.i += lit.len())
    }

    fn value(&mut self, depth: usize) -> Option<V> {
        if depth > 512 {
            return None;
        }
        self.ws();
        match *self.b.get(self.i)? {
            b'n' => self.eat(b"null").map(|_| V::Null),
            b't' => self.eat(b"true").map(|_| V::Bool(true)),
            b'f' => self.eat(b"false").map(|_| V::Bool(false)),
            b'"' => self.string().map(V::Str),
            b'[' => {
                self.i += 1;
                let mut a = Vec::new();
                self.ws();
                if self.eat(b"]").is_some() {
                    return Some(V::Arr(a));
                }
                loop {
                    a.push(self.value(depth + 1)?);
                    self.ws();
                    match *self.b.get(self.i)? {
                        b',' => self.i += 1,
                        b']' => {
                            self.i += 1;
                            return Some(V::Arr(a));
                        }
                        _ => return None,
                    }
                }
            }
            b'{' => {
                self.i += 1;
                let mut o: Vec<(String, V)> = Vec::new();
                self.ws();
                if self.eat(b"}").is_some() {
                    return Some(V::Obj(o));
                }
                loop {
                    self.ws();
                    let k = self.string()?;
                    self.ws();
                    self.eat(b":")?;
                    let v = self.value(depth + 1)?;
                    match o.iter_mut().find(|(key, _)| *key == k) {
                        Some(slot) => slot.1 = v,
                        None => o.push((k, v)),
                    }
                    self.ws();
                    match *self.b.get(self.i)? {
                        b',' => self.i += 1,
                        b'}' => {
                            self.i += 1;
                            return Some(V::Obj(o));
                        }
                        _ => return None,
                    }
                }
            }
            _ => {
                let start = self.i;
                while matches!(
                    self.b.get(self.i),
                    Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
                ) {
                    self.i += 1;
                }
                let text = std::str::from_utf8(&self.b[start..self.i]).ok()?;
                Rat::parse(text)?;
                Some(V::Num(text.to_string()))
            }
        }
    }

    fn string(&mut self) -> Option<String> {
        self.eat(b"\"")?;
        let mut out = Vec::new();
        loop {
            let c = *self.b.get(self.i)?;
            self.i += 1;
            match c {
                b'"' => return String::from_utf8(out).ok(),
                b'\\' => {
                    let e = *self.b.get(self.i)?;
                    self.i += 1;
                    let ch = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let hi = self.hex4()?;
                            if (0xD800..0xDC00).contains(&hi)
                                && self.b[self.i..].starts_with(b"\\u")
                            {
                                let save = self.i;
                                self.i += 2;
                                let lo = self.hex4()?;
                                if (0xDC00..0xE000).contains(&lo) {
                                    let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                                    char::from_u32(c)?
                                } else {
                                    self.i = save;
                                    '\u{FFFD}'
                                }
                            } else {
                                char::from_u32(hi).unwrap_or('\u{FFFD}')
                            }
                        }
                        _ => return None,
                    };
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                }
                c => out.push(c),
            }
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let s = std::str::from_utf8(self.b.get(self.i..self.i + 4)?).ok()?;
        self.i += 4;
        u32::from_str_radix(s, 16).ok()
    }
}

// ---------------------------------------------------------------------------
// Exact numbers (v6 compares with big.Rat)

/// A rational `n / d` with `d > 0`, and its nearest float (what v6
/// prints: big.Rat's `Float64`).
#[derive(Clone, Debug)]
struct Rat {
    n: BigInt,
    d: BigInt,
    f: f64,
}

impl Rat {
    /// A JSON number or Go `%v` float text, exactly.
    fn parse(text: &str) -> Option<Rat> {
        let (neg, rest) = match text.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, text),
        };
        let (mant, exp) = match rest.find(['e', 'E']) {
            Some(i) => (&rest[..i], rest[i + 1..].parse::<i64>().ok()?),
            None => (rest, 0),
        };
        let (int, frac) = mant.split_once('.').unwrap_or((mant, ""));
        if int.is_empty() && frac.is_empty()
            || !int.bytes().chain(frac.bytes()).all(|c| c.is_ascii_digit())
        {
            return None;
        }
        let exp = exp - frac.len() as i64;
        // A literal this far from 1 is beyond what a chart means; such
        // values are left to the caller's other wording.
        if exp.abs() > 4000 {
            return None;
        }
        let digits = format!("{int}{frac}");
        let mut n: BigInt = digits.parse().ok()?;
        if neg {
            n = -n;
        }
        let ten = BigInt::from(10);
        let (n, d) = if exp >= 0 {
            (n * ten.pow(exp as u32), BigInt::from(1))
        } else {
            (n, ten.pow((-exp) as u32))
        };
        Some(Rat {
            n,
            d,
            f: f64_of(text),
        })
    }

    fn cmp(&self, o: &Rat) -> std::cmp::Ordering {
        (&self.n * &o.d).cmp(&(&o.n * &self.d))
    }

    fn is_int(&self) -> bool {
        (&self.n % &self.d) == BigInt::from(0)
    }

    /// Whether `self / o` is an integer (`o` non-zero).
    fn multiple_of(&self, o: &Rat) -> bool {
        let den = &self.d * &o.n;
        den == BigInt::from(0) || (&self.n * &o.d) % den == BigInt::from(0)
    }
}

fn rat_of(text: &str) -> Option<Rat> {
    Rat::parse(text)
}

/// big.Rat's `Float64` of a number text (the nearest float, as Rust's
/// parse gives).
fn f64_of(text: &str) -> f64 {
    text.parse().unwrap_or(0.0)
}

// ---------------------------------------------------------------------------
// Schemas, compiled from documents

const NULL: u8 = 1;
const BOOLEAN: u8 = 2;
const NUMBER: u8 = 4;
const INTEGER: u8 = 8;
const STRING: u8 = 16;
const ARRAY: u8 = 32;
const OBJECT: u8 = 64;
const TYPE_NAMES: [(u8, &str); 7] = [
    (NULL, "null"),
    (BOOLEAN, "boolean"),
    (NUMBER, "number"),
    (INTEGER, "integer"),
    (STRING, "string"),
    (ARRAY, "array"),
    (OBJECT, "object"),
];

fn type_of(v: &V) -> u8 {
    match v {
        V::Null => NULL,
        V::Bool(_) => BOOLEAN,
        V::Num(_) => NUMBER,
        V::Str(_) => STRING,
        V::Arr(_) => ARRAY,
        V::Obj(_) => OBJECT,
    }
}

fn type_name(t: u8) -> &'static str {
    TYPE_NAMES
        .iter()
        .find(|(b, _)| *b == t)
        .map_or("", |(_, n)| n)
}

enum Additional {
    Bool(bool),
    Schema(usize),
}

enum Items {
    One(usize),
    List(Vec<usize>),
}

enum Dependency {
    Required(Vec<String>),
    Schema(usize),
}

enum Format {
    /// Go's regexp rules (see `re2`).
    Regex,
    /// One of v6's other formats (see `formats`).
    Named(String),
}

/// One schema object (v6's `Schema`), by index into [`Compiled::nodes`].
#[derive(Default)]
struct Node {
    /// Absolute location (`url#pointer`), for reference-cycle messages.
    loc: String,
    draft: u16,
    /// The node of the resource (document or `$id` scope) holding this one.
    resource: usize,
    boolean: Option<bool>,
    types: u8,
    konst: Option<V>,
    enumeration: Option<(Vec<V>, u8)>,
    format: Option<Format>,
    reference: Option<usize>,
    recursive_ref: Option<usize>,
    recursive_anchor: bool,
    dynamic_ref: Option<(usize, String)>,
    dynamic_anchor: String,
    /// Resource roots (2020-12): their `$dynamicAnchor`s.
    dynamic_anchors: HashMap<String, usize>,
    not: Option<usize>,
    all_of: Vec<usize>,
    any_of: Vec<usize>,
    one_of: Vec<usize>,
    cond: Option<(usize, Option<usize>, Option<usize>)>,
    // arrays
    min_items: Option<usize>,
    max_items: Option<usize>,
    unique_items: bool,
    items: ItemsField,
    prefix_items: Vec<usize>,
    items2020: Option<usize>,
    contains: Option<usize>,
    min_contains: Option<usize>,
    max_contains: Option<usize>,
    unevaluated_items: Option<usize>,
    // objects
    min_properties: Option<usize>,
    max_properties: Option<usize>,
    required: Vec<String>,
    properties: HashMap<String, usize>,
    pattern_properties: Vec<(regex::Regex, usize)>,
    additional_properties: AdditionalField,
    dependencies: Vec<(String, Dependency)>,
    property_names: Option<usize>,
    dependent_schemas: Vec<(String, usize)>,
    dependent_required: Vec<(String, Vec<String>)>,
    unevaluated_properties: Option<usize>,
    // strings
    min_length: Option<usize>,
    max_length: Option<usize>,
    pattern: Option<(regex::Regex, String)>,
    // numbers
    minimum: Option<Rat>,
    maximum: Option<Rat>,
    exclusive_minimum: Option<Rat>,
    exclusive_maximum: Option<Rat>,
    multiple_of: Option<Rat>,
    all_props_evaluated: bool,
    all_items_evaluated: bool,
    num_items_evaluated: usize,
}

/// `items`/`additionalItems` of drafts before 2020-12.
#[derive(Default)]
struct ItemsField {
    items: Option<Items>,
    additional: Option<Additional>,
}

#[derive(Default)]
struct AdditionalField(Option<Additional>);

/// A document and its resources (`$id` scopes), anchors included.
struct Doc {
    url: String,
    root: V,
    draft: u16,
}

struct Resource {
    doc: usize,
    ptr: String,
    /// Base URL (no fragment).
    id: String,
    anchors: HashMap<String, String>,
    dynamic: Vec<String>,
}

/// Schemas compiled from a set of documents.
struct Compiled {
    docs: Vec<Doc>,
    resources: Vec<Resource>,
    nodes: Vec<Node>,
    by_loc: HashMap<(usize, String), usize>,
    /// Whether formats are asserted at every draft (meta-schemas are
    /// compiled so).
    assert_format: bool,
}

/// Keywords whose values are subschemas, for finding `$id`s and anchors.
fn subschema_keys(key: &str) -> Option<u8> {
    // 0: one schema, 1: list, 2: map, 3: schema or list
    Some(match key {
        "not"
        | "additionalProperties"
        | "additionalItems"
        | "propertyNames"
        | "contains"
        | "if"
        | "then"
        | "else"
        | "unevaluatedProperties"
        | "unevaluatedItems"
        | "contentSchema" => 0,
        "allOf" | "anyOf" | "oneOf" | "prefixItems" => 1,
        "definitions" | "$defs" | "properties" | "patternProperties" | "dependentSchemas"
        | "dependencies" => 2,
        "items" => 3,
        _ => return None,
    })
}

fn escape_tok(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

/// RFC 3986 resolution of `r` against `base`, enough for schema ids.
fn join(base: &str, r: &str) -> String {
    let base = base.split('#').next().unwrap_or("");
    if r.is_empty() {
        return base.to_string();
    }
    if r.starts_with('#') {
        return format!("{base}{r}");
    }
    let scheme_end = r.find(':');
    let first_special = r.find(['/', '?', '#']);
    if let Some(c) = scheme_end {
        if first_special.is_none_or(|s| c < s) {
            return r.to_string();
        }
    }
    let (scheme, rest) = base.split_once("://").unwrap_or(("", base));
    if let Some(r) = r.strip_prefix("//") {
        return format!("{scheme}://{r}");
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let path = path.split('?').next().unwrap_or("");
    let merged = if r.starts_with('/') {
        r.to_string()
    } else {
        let dir = &path[..path.rfind('/').map_or(0, |i| i + 1)];
        format!("{dir}{r}")
    };
    let (merged, tail) = match merged.find(['?', '#']) {
        Some(i) => (merged[..i].to_string(), merged[i..].to_string()),
        None => (merged, String::new()),
    };
    let mut out: Vec<&str> = Vec::new();
    let segs: Vec<&str> = merged.split('/').collect();
    for (i, seg) in segs.iter().enumerate() {
        match *seg {
            "." => {
                if i == segs.len() - 1 {
                    out.push("");
                }
            }
            ".." => {
                if out.len() > 1 {
                    out.pop();
                }
                if i == segs.len() - 1 {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    let prefix = if scheme.is_empty() {
        authority.to_string()
    } else {
        format!("{scheme}://{authority}")
    };
    format!("{prefix}{}{tail}", out.join("/"))
}

/// v6's `encode` of a JSON pointer in a URL fragment: Go's
/// `url.PathEscape` of each token.
pub(super) fn encode_fragment(ptr: &str) -> String {
    let mut out = String::with_capacity(ptr.len());
    for (i, tok) in ptr.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        for b in tok.bytes() {
            if b.is_ascii_alphanumeric() || b"-_.~$&+:=@".contains(&b) {
                out.push(b as char);
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

pub(super) fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let h = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(h, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

impl Compiled {
    fn new(assert_format: bool) -> Compiled {
        Compiled {
            docs: Vec::new(),
            resources: Vec::new(),
            nodes: Vec::new(),
            by_loc: HashMap::new(),
            assert_format,
        }
    }

    fn add_doc(&mut self, url: &str, root: V, draft: u16) {
        let doc = self.docs.len();
        self.docs.push(Doc {
            url: url.to_string(),
            root,
            draft,
        });
        let root = self.docs[doc].root.clone();
        self.collect(doc, &root, String::new(), url.to_string(), true);
    }

    /// Records the resources and anchors of the schema `v` at `ptr`.
    fn collect(&mut self, doc: usize, v: &V, ptr: String, base: String, is_root: bool) {
        let V::Obj(o) = v else {
            if is_root {
                self.push_resource(doc, ptr, base);
            }
            return;
        };
        let draft = self.docs[doc].draft;
        let id_key = if draft == 4 { "id" } else { "$id" };
        let hides = draft < 2019 && v.get("$ref").is_some();
        let id = (!hides)
            .then(|| v.get(id_key).and_then(V::str))
            .flatten()
            .map(|id| join(&base, id));
        let mut base = base;
        let mut fragment_anchor = None;
        if let Some(id) = id {
            let (url, frag) = id.split_once('#').unwrap_or((&id, ""));
            if draft < 2019 && !frag.is_empty() && !frag.starts_with('/') {
                fragment_anchor = Some(frag.to_string());
            }
            if !url.is_empty() && (url != base || is_root) {
                base = url.to_string();
                self.push_resource(doc, ptr.clone(), base.clone());
            }
        }
        if is_root
            && !self
                .resources
                .iter()
                .any(|r| r.doc == doc && r.ptr.is_empty())
        {
            self.push_resource(doc, ptr.clone(), base.clone());
        }
        let res = self.resource_of(doc, &ptr);
        if let Some(a) = fragment_anchor {
            self.resources[res].anchors.insert(a, ptr.clone());
        }
        if draft >= 2019 {
            if let Some(a) = v.get("$anchor").and_then(V::str) {
                self.resources[res]
                    .anchors
                    .insert(a.to_string(), ptr.clone());
            }
            if draft >= 2020 {
                if let Some(a) = v.get("$dynamicAnchor").and_then(V::str) {
                    let r = &mut self.resources[res];
                    r.anchors.insert(a.to_string(), ptr.clone());
                    r.dynamic.push(a.to_string());
                }
            }
        }
        for (k, sub) in o {
            let Some(shape) = subschema_keys(k) else {
                continue;
            };
            let at = format!("{ptr}/{}", escape_tok(k));
            match (shape, sub) {
                (0, _) | (3, V::Obj(_) | V::Bool(_)) => {
                    self.collect(doc, sub, at, base.clone(), false)
                }
                (1 | 3, V::Arr(a)) => {
                    for (i, s) in a.iter().enumerate() {
                        self.collect(doc, s, format!("{at}/{i}"), base.clone(), false);
                    }
                }
                (2, V::Obj(m)) => {
                    for (name, s) in m {
                        let p = format!("{at}/{}", escape_tok(name));
                        self.collect(doc, s, p, base.clone(), false);
                    }
                }
                _ => {}
            }
        }
    }

    fn push_resource(&mut self, doc: usize, ptr: String, id: String) {
        self.resources.push(Resource {
            doc,
            ptr,
            id,
            anchors: HashMap::new(),
            dynamic: Vec::new(),
        });
    }

    /// The innermost resource of `doc` holding `ptr`.
    fn resource_of(&self, doc: usize, ptr: &str) -> usize {
        let mut best = None::<(usize, usize)>;
        for (i, r) in self.resources.iter().enumerate() {
            let inside = r.doc == doc
                && (ptr == r.ptr || ptr.starts_with(&format!("{}/", r.ptr)) || r.ptr.is_empty());
            if inside && best.is_none_or(|(_, len)| r.ptr.len() >= len) {
                best = Some((i, r.ptr.len()));
            }
        }
        best.map_or(0, |(i, _)| i)
    }

    /// The node for the schema at `ptr` of `doc`, compiled on first use.
    fn node(&mut self, doc: usize, ptr: &str) -> Option<usize> {
        if let Some(&n) = self.by_loc.get(&(doc, ptr.to_string())) {
            return Some(n);
        }
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.compile_node(doc, ptr))
    }

    fn compile_node(&mut self, doc: usize, ptr: &str) -> Option<usize> {
        let v = self.docs[doc].root.at(ptr)?.clone();
        let idx = self.nodes.len();
        self.nodes.push(Node {
            loc: format!("{}#{}", self.docs[doc].url, encode_fragment(ptr)),
            draft: self.docs[doc].draft,
            ..Node::default()
        });
        self.by_loc.insert((doc, ptr.to_string()), idx);
        let res = self.resource_of(doc, ptr);
        let res_ptr = self.resources[res].ptr.clone();
        let res_node = if res_ptr == ptr {
            idx
        } else {
            self.node(doc, &res_ptr)?
        };
        self.nodes[idx].resource = res_node;
        let draft = self.docs[doc].draft;
        if draft >= 2020 && res_node == idx {
            let anchors: Vec<(String, String)> = self.resources[res]
                .dynamic
                .iter()
                .filter_map(|a| Some((a.clone(), self.resources[res].anchors.get(a)?.clone())))
                .collect();
            for (a, p) in anchors {
                let n = self.node(doc, &p)?;
                self.nodes[idx].dynamic_anchors.insert(a, n);
            }
        }
        match &v {
            V::Bool(b) => self.nodes[idx].boolean = Some(*b),
            V::Obj(o) if o.is_empty() => self.nodes[idx].boolean = Some(true),
            V::Obj(_) => self.object(idx, doc, ptr, res, &v)?,
            _ => {}
        }
        let n = &mut self.nodes[idx];
        n.all_props_evaluated = n.additional_properties.0.is_some();
        if draft < 2020 {
            n.all_items_evaluated = n.items.additional.is_some();
            match &n.items.items {
                Some(Items::One(_)) => n.all_items_evaluated = true,
                Some(Items::List(l)) => n.num_items_evaluated = l.len(),
                _ => {}
            }
        } else {
            n.all_items_evaluated = n.items2020.is_some();
            n.num_items_evaluated = n.prefix_items.len();
        }
        Some(idx)
    }

    fn resolve(&mut self, res: usize, r: &str) -> Option<usize> {
        let full = join(&self.resources[res].id, r);
        let (url, frag) = full.split_once('#').unwrap_or((&full, ""));
        let frag = percent_decode(frag)?;
        let target = self
            .resources
            .iter()
            .position(|x| x.id == url)
            .or_else(|| {
                let d = self.docs.iter().position(|d| d.url == url)?;
                self.resources
                    .iter()
                    .position(|x| x.doc == d && x.ptr.is_empty())
            })?;
        let (doc, base_ptr) = (
            self.resources[target].doc,
            self.resources[target].ptr.clone(),
        );
        if frag.is_empty() || frag.starts_with('/') {
            self.node(doc, &format!("{base_ptr}{frag}"))
        } else {
            let p = self.resources[target].anchors.get(&frag)?.clone();
            self.node(doc, &p)
        }
    }

    fn object(&mut self, idx: usize, doc: usize, ptr: &str, res: usize, v: &V) -> Option<()> {
        let draft = self.docs[doc].draft;
        let sub = |k: &str| format!("{ptr}/{}", escape_tok(k));
        let one = |c: &mut Compiled, k: &str| -> Option<Option<usize>> {
            match v.get(k) {
                None => Some(None),
                Some(_) => c.node(doc, &sub(k)).map(Some),
            }
        };
        let list = |c: &mut Compiled, k: &str| -> Option<Vec<usize>> {
            match v.get(k) {
                Some(V::Arr(a)) => (0..a.len())
                    .map(|i| c.node(doc, &format!("{}/{i}", sub(k))))
                    .collect(),
                _ => Some(Vec::new()),
            }
        };
        let map = |c: &mut Compiled, k: &str| -> Option<Vec<(String, usize)>> {
            match v.get(k) {
                Some(V::Obj(m)) => m
                    .iter()
                    .map(|(name, _)| {
                        let n = c.node(doc, &format!("{}/{}", sub(k), escape_tok(name)))?;
                        Some((name.clone(), n))
                    })
                    .collect(),
                _ => Some(Vec::new()),
            }
        };
        let additional = |c: &mut Compiled, k: &str| -> Option<Option<Additional>> {
            Some(match v.get(k) {
                None => None,
                Some(V::Bool(b)) => Some(Additional::Bool(*b)),
                Some(_) => Some(Additional::Schema(c.node(doc, &sub(k))?)),
            })
        };
        let num = |k: &str| match v.get(k) {
            Some(V::Num(t)) => rat_of(t),
            _ => None,
        };
        let int = |k: &str| {
            num(k)
                .filter(Rat::is_int)
                .and_then(|r| usize::try_from(&r.n / &r.d).ok())
        };
        let boolean = |k: &str| matches!(v.get(k), Some(V::Bool(true)));
        let strings = |x: &V| -> Vec<String> {
            match x {
                V::Arr(a) => a
                    .iter()
                    .filter_map(|s| s.str().map(str::to_string))
                    .collect(),
                _ => Vec::new(),
            }
        };

        if let Some(r) = v.get("$ref").and_then(V::str) {
            let target = self.resolve(res, r)?;
            self.nodes[idx].reference = Some(target);
            if draft < 2019 {
                // The siblings are ignored, except `const`: v6 reads it
                // (drafts 6 and 7) and checks it before the `$ref`.
                if draft >= 6 {
                    self.nodes[idx].konst = v.get("const").cloned();
                }
                return Some(());
            }
        }
        // applicator
        let not = one(self, "not")?;
        let all_of = list(self, "allOf")?;
        let any_of = list(self, "anyOf")?;
        let one_of = list(self, "oneOf")?;
        let mut items = ItemsField::default();
        if draft < 2020 {
            match v.get("items") {
                Some(V::Arr(_)) => {
                    items.items = Some(Items::List(list(self, "items")?));
                    items.additional = additional(self, "additionalItems")?;
                }
                Some(_) => items.items = Some(Items::One(self.node(doc, &sub("items"))?)),
                None => {}
            }
        }
        let properties: HashMap<String, usize> = map(self, "properties")?.into_iter().collect();
        let mut pattern_properties = Vec::new();
        for (p, n) in map(self, "patternProperties")? {
            pattern_properties.push((compile_pattern(&p)?, n));
        }
        let additional_properties = AdditionalField(additional(self, "additionalProperties")?);
        let mut dependencies = Vec::new();
        if let Some(V::Obj(m)) = v.get("dependencies") {
            for (name, dep) in m {
                let d = match dep {
                    V::Arr(_) => Dependency::Required(strings(dep)),
                    _ => Dependency::Schema(self.node(
                        doc,
                        &format!("{}/{}", sub("dependencies"), escape_tok(name)),
                    )?),
                };
                dependencies.push((name.clone(), d));
            }
        }
        // validation
        let mut types = 0u8;
        match v.get("type") {
            Some(V::Str(t)) => types |= type_bit(t),
            Some(V::Arr(a)) => {
                for t in a.iter().filter_map(V::str) {
                    types |= type_bit(t);
                }
            }
            _ => {}
        }
        let enumeration = match v.get("enum") {
            Some(V::Arr(a)) => Some((a.clone(), a.iter().fold(0, |t, x| t | type_of(x)))),
            _ => None,
        };
        let mut maximum = num("maximum");
        let mut exclusive_maximum = num("exclusiveMaximum");
        if boolean("exclusiveMaximum") {
            exclusive_maximum = maximum.take();
        }
        let mut minimum = num("minimum");
        let mut exclusive_minimum = num("exclusiveMinimum");
        if boolean("exclusiveMinimum") {
            exclusive_minimum = minimum.take();
        }
        let pattern = match v.get("pattern").and_then(V::str) {
            Some(p) => Some((compile_pattern(p)?, p.to_string())),
            None => None,
        };
        let format = if self.assert_format || draft < 2019 {
            match v.get("format").and_then(V::str) {
                Some("regex") => Some(Format::Regex),
                Some(f) if formats::check(f, "").is_some() => Some(Format::Named(f.to_string())),
                _ => None,
            }
        } else {
            None
        };
        let n = &mut self.nodes[idx];
        n.not = not;
        n.all_of = all_of;
        n.any_of = any_of;
        n.one_of = one_of;
        n.items = items;
        n.properties = properties;
        n.pattern_properties = pattern_properties;
        n.additional_properties = additional_properties;
        n.dependencies = dependencies;
        n.types = types;
        n.enumeration = enumeration;
        n.multiple_of = num("multipleOf");
        n.maximum = maximum;
        n.exclusive_maximum = exclusive_maximum;
        n.minimum = minimum;
        n.exclusive_minimum = exclusive_minimum;
        n.min_length = int("minLength");
        n.max_length = int("maxLength");
        n.pattern = pattern;
        n.min_items = int("minItems");
        n.max_items = int("maxItems");
        n.unique_items = boolean("uniqueItems");
        n.max_properties = int("maxProperties");
        n.min_properties = int("minProperties");
        n.required = v.get("required").map(strings).unwrap_or_default();
        n.format = format;
        if draft >= 6 {
            let contains = one(self, "contains")?;
            let property_names = one(self, "propertyNames")?;
            let n = &mut self.nodes[idx];
            n.contains = contains;
            n.property_names = property_names;
            n.konst = v.get("const").cloned();
        }
        if draft >= 7 {
            if let Some(i) = one(self, "if")? {
                let b = match v.get("if") {
                    Some(V::Bool(b)) => Some(*b),
                    _ => None,
                };
                let then = if b != Some(false) {
                    one(self, "then")?
                } else {
                    None
                };
                let els = if b != Some(true) {
                    one(self, "else")?
                } else {
                    None
                };
                self.nodes[idx].cond = Some((i, then, els));
            }
        }
        if draft >= 2019 {
            if let Some(r) = v.get("$recursiveRef").and_then(V::str) {
                let target = self.resolve(res, r)?;
                self.nodes[idx].recursive_ref = Some(target);
            }
            let dependent_schemas = map(self, "dependentSchemas")?;
            let unevaluated_items = one(self, "unevaluatedItems")?;
            let unevaluated_properties = one(self, "unevaluatedProperties")?;
            let n = &mut self.nodes[idx];
            n.recursive_anchor = boolean("$recursiveAnchor");
            if n.contains.is_some() {
                n.min_contains = int("minContains");
                n.max_contains = int("maxContains");
            }
            if let Some(V::Obj(m)) = v.get("dependentRequired") {
                n.dependent_required = m
                    .iter()
                    .filter(|(_, x)| matches!(x, V::Arr(_)))
                    .map(|(k, x)| (k.clone(), strings(x)))
                    .collect();
            }
            n.dependent_schemas = dependent_schemas;
            n.unevaluated_items = unevaluated_items;
            n.unevaluated_properties = unevaluated_properties;
        }
        if draft >= 2020 {
            if let Some(r) = v.get("$dynamicRef").and_then(V::str) {
                let target = self.resolve(res, r)?;
                let frag = r.split_once('#').map_or("", |(_, f)| f);
                let anchor = if frag.is_empty() || frag.starts_with('/') {
                    String::new()
                } else {
                    percent_decode(frag)?
                };
                self.nodes[idx].dynamic_ref = Some((target, anchor));
            }
            let prefix_items = list(self, "prefixItems")?;
            let items2020 = one(self, "items")?;
            let n = &mut self.nodes[idx];
            n.dynamic_anchor = v
                .get("$dynamicAnchor")
                .and_then(V::str)
                .unwrap_or("")
                .to_string();
            n.prefix_items = prefix_items;
            n.items2020 = items2020;
        }
        Some(())
    }
}

fn type_bit(t: &str) -> u8 {
    TYPE_NAMES
        .iter()
        .find(|(_, n)| *n == t)
        .map_or(0, |(b, _)| *b)
}

/// A pattern as helm's validator runs it (Go's `regexp`).
fn compile_pattern(p: &str) -> Option<regex::Regex> {
    regex::Regex::new(&re2::translate(p).ok()?).ok()
}

// ---------------------------------------------------------------------------
// Errors and their display

enum Kind {
    /// The whole validation (`jsonschema validation failed with …`).
    Schema(String),
    /// Several failures of one schema object.
    Group,
    /// A `$ref` (or `$recursiveRef`/`$dynamicRef`) whose target failed.
    Reference,
    PropertyNames(String),
    Leaf(String),
}

struct E {
    at: Vec<String>,
    kind: Kind,
    causes: Vec<E>,
}

impl E {
    fn display(&self, out: &mut String, indent: usize) {
        let mut indent = indent;
        let skip = matches!(self.kind, Kind::Reference) && self.causes.len() == 1;
        if !skip {
            if indent > 0 {
                out.push('\n');
                for _ in 1..indent {
                    out.push_str("  ");
                }
                out.push_str("- ");
            }
            indent += 1;
            if let Kind::Schema(url) = &self.kind {
                out.push_str(&format!("jsonschema validation failed with {}", q(url)));
            } else {
                let ptr: String = self
                    .at
                    .iter()
                    .map(|t| format!("/{}", escape_tok(t)))
                    .collect();
                let text = match &self.kind {
                    Kind::Group | Kind::Reference => "validation failed".to_string(),
                    Kind::PropertyNames(p) => format!("invalid propertyName {}", q(p)),
                    Kind::Leaf(s) => s.clone(),
                    Kind::Schema(_) => unreachable!("handled above"),
                };
                out.push_str(&format!("at {}: {text}", q(&ptr)));
            }
        }
        for c in &self.causes {
            c.display(out, indent);
        }
    }
}

/// v6's `display` of a value in a message (`%v` for numbers: their text).
fn show(v: &V) -> String {
    match v {
        V::Str(s) => q(s),
        V::Arr(_) | V::Obj(_) => "value".into(),
        V::Num(t) => t.clone(),
        V::Bool(b) => b.to_string(),
        V::Null => "<nil>".into(),
    }
}

/// golang.org/x/text's `%d`: digits grouped by thousands.
fn int(n: usize) -> String {
    num_f64(n as f64)
}

fn join_quoted(items: &[String]) -> String {
    items.iter().map(|s| q(s)).collect::<Vec<_>>().join(", ")
}

// ---------------------------------------------------------------------------
// The walk

/// The chain of schemas being applied, for cycle checks and dynamic scopes.
struct Scope<'s> {
    node: usize,
    ref_keyword: &'static str,
    /// Which value is being validated: scopes with one `vid` apply to the
    /// same value.
    vid: usize,
    parent: Option<&'s Scope<'s>>,
}

impl Scope<'_> {
    fn check_cycle(&self) -> Option<&Scope<'_>> {
        let mut scp = self.parent;
        while let Some(s) = scp {
            if s.vid != self.vid {
                break;
            }
            if s.node == self.node {
                return Some(s);
            }
            scp = s.parent;
        }
        None
    }

    fn kw_loc(&self, c: &Compiled) -> String {
        let mut loc = String::new();
        let mut sc = self;
        while let Some(parent) = sc.parent {
            if !sc.ref_keyword.is_empty() {
                loc = format!("/{}{loc}", escape_tok(sc.ref_keyword));
            } else {
                let cur = &c.nodes[sc.node].loc;
                let par = &c.nodes[parent.node].loc;
                loc = format!("{}{loc}", cur.get(par.len()..).unwrap_or(""));
            }
            sc = parent;
        }
        loc
    }
}

/// Properties and items no keyword has evaluated yet.
#[derive(Default)]
struct Uneval {
    props: BTreeSet<String>,
    items: BTreeSet<usize>,
}

impl Uneval {
    fn from(v: &V, n: &Node, caller_needs: bool) -> Uneval {
        let mut u = Uneval::default();
        match v {
            V::Obj(o)
                if !n.all_props_evaluated
                    && (caller_needs || n.unevaluated_properties.is_some()) =>
            {
                u.props = o.iter().map(|(k, _)| k.clone()).collect();
            }
            V::Arr(a)
                if !n.all_items_evaluated
                    && (caller_needs || n.unevaluated_items.is_some())
                    && n.num_items_evaluated < a.len() =>
            {
                u.items = (n.num_items_evaluated..a.len()).collect();
            }
            _ => {}
        }
        u
    }

    fn merge(&mut self, other: &Uneval) {
        self.props.retain(|k| other.props.contains(k));
        self.items.retain(|i| other.items.contains(i));
    }

    fn is_empty(&self) -> bool {
        self.props.is_empty() && self.items.is_empty()
    }
}

/// How deep the walk may nest (values, schemas and references together).
const MAX_DEPTH: usize = 2000;

struct Vd<'a, 's> {
    c: &'a Compiled,
    v: &'a V,
    vloc: Vec<String>,
    node: usize,
    scope: &'s Scope<'s>,
    uneval: Uneval,
    errors: Vec<E>,
    /// Only validity matters (inside `not`, `if`, after a `oneOf` match).
    quiet: bool,
    depth: usize,
    /// Set when the walk met something it cannot answer for.
    failed: &'a std::cell::Cell<bool>,
}

impl<'a, 's> Vd<'a, 's> {
    fn err(&self, kind: Kind) -> E {
        E {
            at: self.vloc.clone(),
            kind,
            causes: Vec::new(),
        }
    }

    fn leaf(&mut self, msg: String) {
        let e = self.err(Kind::Leaf(msg));
        self.errors.push(e);
    }

    fn run(self) -> Result<Uneval, E> {
        // Nesting follows the values and the schema: grow the stack rather
        // than overflow it (validation may run on a small helper thread).
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.run_here())
    }

    fn run_here(mut self) -> Result<Uneval, E> {
        let c = self.c;
        let s = &c.nodes[self.node];
        if self.depth > MAX_DEPTH {
            self.failed.set(true);
            return Err(self.err(Kind::Leaf("too deep".into())));
        }
        if let Some(b) = s.boolean {
            return if b {
                Ok(self.uneval)
            } else {
                Err(self.err(Kind::Leaf("false schema".into())))
            };
        }
        if let Some(prev) = self.scope.check_cycle() {
            let msg = format!(
                "both {} and {} resolve to {} causing reference cycle",
                self.scope.kw_loc(c),
                prev.kw_loc(c),
                gotmpl::strconv::quote(&s.loc)
            );
            return Err(self.err(Kind::Leaf(msg)));
        }
        let v = self.v;
        let t = type_of(v);
        if s.types != 0 {
            let matched = s.types & t != 0
                || (s.types & INTEGER != 0
                    && t == NUMBER
                    && matches!(v, V::Num(x) if rat_of(x).is_some_and(|r| r.is_int())));
            if !matched {
                let want: Vec<&str> = TYPE_NAMES
                    .iter()
                    .filter(|(b, _)| s.types & b != 0)
                    .map(|(_, n)| *n)
                    .collect();
                let msg = format!("got {}, want {}", type_name(t), want.join(" or "));
                return Err(self.err(Kind::Leaf(msg)));
            }
        }
        if let Some(k) = &s.konst {
            if !equals(v, k) {
                let msg = match k {
                    V::Arr(_) | V::Obj(_) => "'const' failed".to_string(),
                    _ => format!("value must be {}", show(k)),
                };
                return Err(self.err(Kind::Leaf(msg)));
            }
        }
        if let Some((vals, types)) = &s.enumeration {
            let matched = types & t != 0 && vals.iter().any(|x| equals(v, x));
            if !matched {
                let primitive = !vals.iter().any(|x| matches!(x, V::Arr(_) | V::Obj(_)));
                let msg = if !primitive {
                    "'enum' failed".to_string()
                } else if vals.len() == 1 {
                    format!("value must be {}", show(&vals[0]))
                } else {
                    let w: Vec<String> = vals.iter().map(show).collect();
                    format!("value must be one of {}", w.join(", "))
                };
                return Err(self.err(Kind::Leaf(msg)));
            }
        }
        if let Some(f) = &s.format {
            if let Some(msg) = check_format(f, v) {
                return Err(self.err(Kind::Leaf(msg)));
            }
        }
        if let Some(r) = s.reference {
            let res = self.validate_ref(r, "$ref");
            if s.draft < 2019 {
                return match res {
                    Some(e) => Err(e),
                    None => Ok(self.uneval),
                };
            }
            if let Some(e) = res {
                self.errors.push(e);
            }
        }
        match v {
            V::Obj(o) => self.obj(o),
            V::Arr(a) => self.arr(a),
            V::Str(st) => self.str_validate(st),
            V::Num(x) => self.num(x),
            _ => {}
        }
        if self.errors.is_empty() || !self.quiet {
            if s.draft >= 2019 {
                self.validate_refs();
            }
            self.cond();
            if s.draft >= 2019 {
                self.uneval_validate();
            }
        }
        match self.errors.len() {
            0 => Ok(self.uneval),
            1 => Err(self.errors.pop().expect("one error")),
            _ => {
                let mut e = self.err(Kind::Group);
                e.causes = std::mem::take(&mut self.errors);
                Err(e)
            }
        }
    }

    fn obj(&mut self, obj: &'a [(String, V)]) {
        let c = self.c;
        let s = &c.nodes[self.node];
        if let Some(m) = s.min_properties {
            if obj.len() < m {
                self.leaf(format!(
                    "minProperties: got {}, want {}",
                    int(obj.len()),
                    int(m)
                ));
            }
        }
        if let Some(m) = s.max_properties {
            if obj.len() > m {
                self.leaf(format!(
                    "maxProperties: got {}, want {}",
                    int(obj.len()),
                    int(m)
                ));
            }
        }
        let has = |k: &str| obj.iter().any(|(x, _)| x == k);
        let missing =
            |req: &[String]| -> Vec<String> { req.iter().filter(|p| !has(p)).cloned().collect() };
        if !s.required.is_empty() {
            let m = missing(&s.required);
            if !m.is_empty() {
                let msg = if m.len() == 1 {
                    format!("missing property {}", q(&m[0]))
                } else {
                    format!("missing properties {}", join_quoted(&m))
                };
                self.leaf(msg);
            }
        }
        if self.quiet && !self.errors.is_empty() {
            return;
        }
        for (name, dep) in &s.dependencies {
            if !has(name) {
                continue;
            }
            match dep {
                Dependency::Required(req) => {
                    let m = missing(req);
                    if !m.is_empty() {
                        self.leaf(format!(
                            "properties {} required, if {} exists",
                            join_quoted(&m),
                            q(name)
                        ));
                    }
                }
                Dependency::Schema(n) => {
                    if let Err(e) = self.validate_self(*n, "", false) {
                        self.errors.push(e);
                    }
                }
            }
        }
        let mut additional = Vec::new();
        for (name, value) in obj {
            if self.quiet && !self.errors.is_empty() {
                return;
            }
            let mut evaluated = false;
            if let Some(&n) = s.properties.get(name) {
                evaluated = true;
                if let Err(e) = self.validate_val(n, value, name) {
                    self.errors.push(e);
                }
            }
            for (re, n) in &s.pattern_properties {
                if re.is_match(name) {
                    evaluated = true;
                    if let Err(e) = self.validate_val(*n, value, name) {
                        self.errors.push(e);
                    }
                }
            }
            if !evaluated {
                match &s.additional_properties.0 {
                    Some(Additional::Bool(false)) => additional.push(name.clone()),
                    Some(Additional::Schema(n)) => {
                        if let Err(e) = self.validate_val(*n, value, name) {
                            self.errors.push(e);
                        }
                    }
                    _ => {}
                }
                evaluated = s.additional_properties.0.is_some();
            }
            if evaluated {
                self.uneval.props.remove(name);
            }
        }
        if !additional.is_empty() {
            self.leaf(format!(
                "additional properties {} not allowed",
                join_quoted(&additional)
            ));
        }
        if s.draft == 4 {
            return;
        }
        if let Some(pn) = s.property_names {
            for (name, _) in obj {
                let key = V::Str(name.clone());
                let sub = self.top(pn, &key);
                // v6 locates these failures at '' (the name's own validation).
                if let Err(mut e) = sub {
                    e.kind = Kind::PropertyNames(name.clone());
                    self.errors.push(e);
                }
            }
        }
        if s.draft == 6 {
            return;
        }
        for (name, n) in &s.dependent_schemas {
            if has(name) {
                if let Err(e) = self.validate_self(*n, "", false) {
                    self.errors.push(e);
                }
            }
        }
        for (name, req) in &s.dependent_required {
            if has(name) {
                let m = missing(req);
                if !m.is_empty() {
                    self.leaf(format!(
                        "properties {} required, if {} exists",
                        join_quoted(&m),
                        q(name)
                    ));
                }
            }
        }
    }

    fn arr(&mut self, arr: &'a [V]) {
        let c = self.c;
        let s = &c.nodes[self.node];
        if let Some(m) = s.min_items {
            if arr.len() < m {
                self.leaf(format!("minItems: got {}, want {}", int(arr.len()), int(m)));
            }
        }
        if let Some(m) = s.max_items {
            if arr.len() > m {
                self.leaf(format!("maxItems: got {}, want {}", int(arr.len()), int(m)));
            }
        }
        if s.unique_items && arr.len() > 1 {
            'outer: for i in 1..arr.len() {
                for j in 0..i {
                    if equals(&arr[i], &arr[j]) {
                        self.leaf(format!("items at {} and {} are equal", int(j), int(i)));
                        break 'outer;
                    }
                }
            }
        }
        if s.draft < 2020 {
            let mut evaluated = 0;
            match &s.items.items {
                Some(Items::One(n)) => {
                    for (i, item) in arr.iter().enumerate() {
                        if let Err(e) = self.validate_val(*n, item, &i.to_string()) {
                            self.errors.push(e);
                        }
                    }
                    evaluated = arr.len();
                }
                Some(Items::List(l)) => {
                    let min = l.len().min(arr.len());
                    for (i, item) in arr[..min].iter().enumerate() {
                        if let Err(e) = self.validate_val(l[i], item, &i.to_string()) {
                            self.errors.push(e);
                        }
                    }
                    evaluated = min;
                }
                _ => {}
            }
            match &s.items.additional {
                Some(Additional::Bool(false)) if evaluated != arr.len() => self.leaf(format!(
                    "last {} additionalItem(s) not allowed",
                    int(arr.len() - evaluated)
                )),
                Some(Additional::Schema(n)) => {
                    // v6 names these items by their place after the listed ones.
                    for (i, item) in arr[evaluated..].iter().enumerate() {
                        if let Err(e) = self.validate_val(*n, item, &i.to_string()) {
                            self.errors.push(e);
                        }
                    }
                }
                _ => {}
            }
        } else {
            let evaluated = s.prefix_items.len().min(arr.len());
            for (i, item) in arr[..evaluated].iter().enumerate() {
                if let Err(e) = self.validate_val(s.prefix_items[i], item, &i.to_string()) {
                    self.errors.push(e);
                }
            }
            if let Some(n) = s.items2020 {
                for (i, item) in arr[evaluated..].iter().enumerate() {
                    if let Err(e) = self.validate_val(n, item, &i.to_string()) {
                        self.errors.push(e);
                    }
                }
            }
        }
        if let Some(cn) = s.contains {
            let mut errors = Vec::new();
            let mut matched = Vec::new();
            for (i, item) in arr.iter().enumerate() {
                match self.validate_val(cn, item, &i.to_string()) {
                    Err(e) => errors.push(e),
                    Ok(_) => {
                        matched.push(i);
                        if s.draft >= 2020 {
                            self.uneval.items.remove(&i);
                        }
                    }
                }
            }
            let list = |m: &[usize]| m.iter().map(usize::to_string).collect::<Vec<_>>().join(" ");
            if let Some(want) = s.min_contains {
                if matched.len() < want {
                    let msg = if matched.is_empty() {
                        format!(
                            "min {} items required to match contains schema, but none matched",
                            int(want)
                        )
                    } else {
                        format!(
                            "min {} items required to match contains schema, but matched {} items at {}",
                            int(want),
                            int(matched.len()),
                            list(&matched)
                        )
                    };
                    let mut e = self.err(Kind::Leaf(msg));
                    e.causes = errors;
                    self.errors.push(e);
                }
            } else if matched.is_empty() {
                let mut e = self.err(Kind::Leaf("no items match contains schema".into()));
                e.causes = errors;
                self.errors.push(e);
            }
            if let Some(want) = s.max_contains {
                if matched.len() > want {
                    self.leaf(format!(
                        "max {} items required to match contains schema, but matched {} items at {}",
                        int(want),
                        int(matched.len()),
                        list(&matched)
                    ));
                }
            }
        }
    }

    fn str_validate(&mut self, st: &str) {
        let c = self.c;
        let s = &c.nodes[self.node];
        let len = st.chars().count();
        if let Some(m) = s.min_length {
            if len < m {
                self.leaf(format!("minLength: got {}, want {}", int(len), int(m)));
            }
        }
        if let Some(m) = s.max_length {
            if len > m {
                self.leaf(format!("maxLength: got {}, want {}", int(len), int(m)));
            }
        }
        if let Some((re, written)) = &s.pattern {
            if !re.is_match(st) {
                self.leaf(format!("{} does not match pattern {}", q(st), q(written)));
            }
        }
    }

    fn num(&mut self, x: &str) {
        let c = self.c;
        let s = &c.nodes[self.node];
        let Some(val) = rat_of(x) else {
            self.failed.set(true);
            return;
        };
        let got = || num_f64(f64_of(x));
        let want = |r: &Rat| num_f64(r.f);
        use std::cmp::Ordering::*;
        if let Some(m) = &s.minimum {
            if val.cmp(m) == Less {
                self.leaf(format!("minimum: got {}, want {}", got(), want(m)));
            }
        }
        if let Some(m) = &s.maximum {
            if val.cmp(m) == Greater {
                self.leaf(format!("maximum: got {}, want {}", got(), want(m)));
            }
        }
        if let Some(m) = &s.exclusive_minimum {
            if val.cmp(m) != Greater {
                self.leaf(format!("exclusiveMinimum: got {}, want {}", got(), want(m)));
            }
        }
        if let Some(m) = &s.exclusive_maximum {
            if val.cmp(m) != Less {
                self.leaf(format!("exclusiveMaximum: got {}, want {}", got(), want(m)));
            }
        }
        if let Some(m) = &s.multiple_of {
            if !val.multiple_of(m) {
                self.leaf(format!("multipleOf: got {}, want {}", got(), want(m)));
            }
        }
    }

    fn cond(&mut self) {
        let c = self.c;
        let s = &c.nodes[self.node];
        if let Some(n) = s.not {
            if self.validate_self(n, "", true).is_ok() {
                self.leaf("'not' failed".into());
            }
        }
        if !s.all_of.is_empty() {
            let mut errors = Vec::new();
            for &n in &s.all_of {
                if let Err(e) = self.validate_self(n, "", false) {
                    errors.push(e);
                    if self.quiet {
                        break;
                    }
                }
            }
            if !errors.is_empty() {
                self.push_with("'allOf' failed", errors);
            }
        }
        if !s.any_of.is_empty() {
            let mut matched = false;
            let mut errors = Vec::new();
            for &n in &s.any_of {
                match self.validate_self(n, "", false) {
                    Err(e) => errors.push(e),
                    Ok(()) => {
                        matched = true;
                        if self.uneval.is_empty() {
                            break;
                        }
                    }
                }
            }
            if !matched {
                self.push_with("'anyOf' failed", errors);
            }
        }
        if !s.one_of.is_empty() {
            let mut matched: Option<usize> = None;
            let mut errors = Vec::new();
            for (i, &n) in s.one_of.iter().enumerate() {
                match self.validate_self(n, "", matched.is_some()) {
                    Err(e) => {
                        if matched.is_none() {
                            errors.push(e);
                        }
                    }
                    Ok(()) => match matched {
                        None => matched = Some(i),
                        Some(m) => {
                            self.leaf(format!(
                                "'oneOf' failed, subschemas {}, {} matched",
                                int(m),
                                int(i)
                            ));
                            break;
                        }
                    },
                }
            }
            if matched.is_none() {
                self.push_with("'oneOf' failed, none matched", errors);
            }
        }
        if let Some((i, then, els)) = s.cond {
            if self.validate_self(i, "", true).is_ok() {
                if let Some(t) = then {
                    if let Err(e) = self.validate_self(t, "", false) {
                        self.errors.push(e);
                    }
                }
            } else if let Some(e) = els {
                if let Err(e) = self.validate_self(e, "", false) {
                    self.errors.push(e);
                }
            }
        }
    }

    fn push_with(&mut self, msg: &str, causes: Vec<E>) {
        let mut e = self.err(Kind::Leaf(msg.into()));
        e.causes = causes;
        self.errors.push(e);
    }

    fn uneval_validate(&mut self) {
        let c = self.c;
        let s = &c.nodes[self.node];
        if let (V::Obj(o), Some(n)) = (self.v, s.unevaluated_properties) {
            let props: Vec<String> = std::mem::take(&mut self.uneval.props).into_iter().collect();
            for (name, value) in o {
                if props.contains(name) {
                    if let Err(e) = self.validate_val(n, value, name) {
                        self.errors.push(e);
                    }
                }
            }
        }
        if let (V::Arr(a), Some(n)) = (self.v, s.unevaluated_items) {
            let items = std::mem::take(&mut self.uneval.items);
            for i in items {
                if let Err(e) = self.validate_val(n, &a[i], &i.to_string()) {
                    self.errors.push(e);
                }
            }
        }
    }

    fn validate_refs(&mut self) {
        let c = self.c;
        let s = &c.nodes[self.node];
        if let Some(mut target) = s.recursive_ref {
            if c.nodes[target].recursive_anchor {
                let mut scp = Some(self.scope);
                while let Some(sc) = scp {
                    if c.nodes[c.nodes[sc.node].resource].recursive_anchor {
                        target = sc.node;
                    }
                    scp = sc.parent;
                }
            }
            if let Some(e) = self.validate_ref(target, "$recursiveRef") {
                self.errors.push(e);
            }
        }
        if let Some((initial, anchor)) = &s.dynamic_ref {
            let mut target = *initial;
            if !anchor.is_empty() && c.nodes[target].dynamic_anchor == *anchor {
                let mut scp = Some(self.scope);
                while let Some(sc) = scp {
                    if let Some(&d) = c.nodes[c.nodes[sc.node].resource]
                        .dynamic_anchors
                        .get(anchor)
                    {
                        target = d;
                    }
                    scp = sc.parent;
                }
            }
            if let Some(e) = self.validate_ref(target, "$dynamicRef") {
                self.errors.push(e);
            }
        }
    }

    fn validate_ref(&mut self, target: usize, kw: &'static str) -> Option<E> {
        let e = self.validate_self(target, kw, false).err()?;
        let mut r = self.err(Kind::Reference);
        if matches!(e.kind, Kind::Group) {
            r.causes = e.causes;
        } else {
            r.causes.push(e);
        }
        Some(r)
    }

    /// Applies schema `n` to the same value.
    fn validate_self(&mut self, n: usize, kw: &'static str, quiet: bool) -> Result<(), E> {
        let c = self.c;
        let scope = Scope {
            node: n,
            ref_keyword: kw,
            vid: self.scope.vid,
            parent: Some(self.scope),
        };
        let sub = Vd {
            c,
            v: self.v,
            vloc: self.vloc.clone(),
            node: n,
            scope: &scope,
            uneval: Uneval::from(self.v, &c.nodes[n], !self.uneval.is_empty()),
            errors: Vec::new(),
            quiet: self.quiet || quiet,
            depth: self.depth + 1,
            failed: self.failed,
        };
        let u = sub.run()?;
        self.uneval.merge(&u);
        Ok(())
    }

    /// Applies schema `n` to a member of the value.
    fn validate_val(&mut self, n: usize, v: &'a V, tok: &str) -> Result<(), E> {
        let c = self.c;
        let scope = Scope {
            node: n,
            ref_keyword: "",
            vid: self.scope.vid + 1,
            parent: Some(self.scope),
        };
        let mut vloc = self.vloc.clone();
        vloc.push(tok.to_string());
        let sub = Vd {
            c,
            v,
            vloc,
            node: n,
            scope: &scope,
            uneval: Uneval::from(v, &c.nodes[n], false),
            errors: Vec::new(),
            quiet: self.quiet,
            depth: self.depth + 1,
            failed: self.failed,
        };
        sub.run().map(|_| ())
    }

    /// A fresh top-level validation of `v` with schema `n` (`propertyNames`):
    /// its failures are located at ''.
    fn top(&self, n: usize, v: &V) -> Result<(), E> {
        let c = self.c;
        let scope = Scope {
            node: n,
            ref_keyword: "",
            vid: 0,
            parent: None,
        };
        let sub = Vd {
            c,
            v,
            vloc: Vec::new(),
            node: n,
            scope: &scope,
            uneval: Uneval::from(v, &c.nodes[n], false),
            errors: Vec::new(),
            quiet: self.quiet,
            depth: self.depth + 1,
            failed: self.failed,
        };
        sub.run().map(|_| ()).map_err(|e| {
            let causes = match e.kind {
                Kind::Group => e.causes,
                _ => vec![e],
            };
            E {
                at: Vec::new(),
                kind: Kind::Group,
                causes,
            }
        })
    }
}

/// v6's `equals`: numbers by value, objects by keys.
fn equals(a: &V, b: &V) -> bool {
    match (a, b) {
        (V::Obj(x), V::Obj(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| b.get(k).is_some_and(|w| equals(v, w)))
                && y.iter().all(|(k, _)| a.get(k).is_some())
        }
        (V::Arr(x), V::Arr(y)) => x.len() == y.len() && x.iter().zip(y).all(|(v, w)| equals(v, w)),
        (V::Num(x), V::Num(y)) => match (rat_of(x), rat_of(y)) {
            (Some(p), Some(q)) => p.cmp(&q).is_eq(),
            _ => false,
        },
        _ => a == b,
    }
}

fn check_format(f: &Format, v: &V) -> Option<String> {
    // v6's formats pass anything that is not a string.
    let V::Str(s) = v else {
        return None;
    };
    let (name, reason) = match f {
        Format::Regex => ("regex", re2::translate(s).err()?),
        Format::Named(name) => (name.as_str(), formats::check(name, s)?.err()?),
    };
    Some(format!("{} is not valid {name}: {reason}", show(v)))
}

// ---------------------------------------------------------------------------
// Entry points

/// helm's report for values that fail a schema: the lines after the
/// chart's line (`- at '…': …`, each on its own line, with the final
/// newline), or `None` when the walk finds them valid or cannot follow the
/// schema.
pub(crate) fn values_report(schema: &[u8], draft: Meta, values: &J) -> Option<String> {
    let doc = parse(schema)?;
    let mut c = Compiled::new(false);
    c.add_doc(VALUES_URL, doc, draft.version());
    let root = c.node(0, "")?;
    let inst = V::from_json(values);
    let e = walk(&c, root, &inst)?;
    // helm drops the first line (`jsonschema validation failed with …`).
    let mut out = String::new();
    e.display(&mut out, 0);
    let (_, rest) = out.split_once('\n')?;
    Some(format!("{rest}\n"))
}

/// helm's message for a schema that fails its draft's meta-schema, or
/// `None` when it passes (or cannot be read).
pub(crate) fn meta_report(schema: &[u8], draft: Meta) -> Option<String> {
    let doc = parse(schema)?;
    let c = metaschemas(draft)?;
    let root = c.node_at(&draft.url().replace('#', ""))?;
    let e = walk(c, root, &doc)?;
    let mut out = format!("{} is not valid against metaschema: ", q_go(VALUES_URL));
    e.display(&mut out, 0);
    Some(out)
}

/// Go's `%q` of the schema URL with its empty fragment.
fn q_go(url: &str) -> String {
    gotmpl::strconv::quote(&format!("{url}#"))
}

/// The validation's error tree, or `None` for valid values (or a walk that
/// met something it does not model).
fn walk(c: &Compiled, root: usize, inst: &V) -> Option<E> {
    let failed = std::cell::Cell::new(false);
    let scope = Scope {
        node: root,
        ref_keyword: "",
        vid: 0,
        parent: None,
    };
    let vd = Vd {
        c,
        v: inst,
        vloc: Vec::new(),
        node: root,
        scope: &scope,
        uneval: Uneval::from(inst, &c.nodes[root], false),
        errors: Vec::new(),
        quiet: false,
        depth: 0,
        failed: &failed,
    };
    let result = vd.run();
    if failed.get() {
        return None;
    }
    let e = result.err()?;
    let causes = match e.kind {
        Kind::Group => e.causes,
        _ => vec![e],
    };
    Some(E {
        at: Vec::new(),
        kind: Kind::Schema(c.nodes[root].loc.clone()),
        causes,
    })
}

impl Compiled {
    fn node_at(&self, url: &str) -> Option<usize> {
        let d = self.docs.iter().position(|d| d.url == url)?;
        self.by_loc.get(&(d, String::new())).copied()
    }
}

impl Meta {
    fn version(self) -> u16 {
        match self {
            Meta::D4 => 4,
            Meta::D6 => 6,
            Meta::D7 => 7,
            Meta::D2019 => 2019,
            Meta::D2020 => 2020,
        }
    }
}

/// The meta-schemas of a draft, compiled once, as v6 embeds them.
fn metaschemas(draft: Meta) -> Option<&'static Compiled> {
    static CACHE: [OnceLock<Option<Compiled>>; 5] = [
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
    ];
    let slot = match draft {
        Meta::D4 => 0,
        Meta::D6 => 1,
        Meta::D7 => 2,
        Meta::D2019 => 3,
        Meta::D2020 => 4,
    };
    CACHE[slot].get_or_init(|| build_meta(draft)).as_ref()
}

fn build_meta(draft: Meta) -> Option<Compiled> {
    use referencing::meta as m;
    let mut c = Compiled::new(true);
    let v = draft.version();
    let docs: Vec<(&str, &J)> = match draft {
        Meta::D4 => vec![("http://json-schema.org/draft-04/schema", &**m::DRAFT4)],
        Meta::D6 => vec![("http://json-schema.org/draft-06/schema", &**m::DRAFT6)],
        Meta::D7 => vec![("http://json-schema.org/draft-07/schema", &**m::DRAFT7)],
        Meta::D2019 => {
            let b = "https://json-schema.org/draft/2019-09/";
            vec![
                (b, &**m::DRAFT201909),
                ("meta/core", &**m::DRAFT201909_CORE),
                ("meta/applicator", &**m::DRAFT201909_APPLICATOR),
                ("meta/validation", &**m::DRAFT201909_VALIDATION),
                ("meta/meta-data", &**m::DRAFT201909_META_DATA),
                ("meta/format", &**m::DRAFT201909_FORMAT),
                ("meta/content", &**m::DRAFT201909_CONTENT),
            ]
        }
        Meta::D2020 => {
            let b = "https://json-schema.org/draft/2020-12/";
            vec![
                (b, &**m::DRAFT202012),
                ("meta/core", &**m::DRAFT202012_CORE),
                ("meta/applicator", &**m::DRAFT202012_APPLICATOR),
                ("meta/unevaluated", &**m::DRAFT202012_UNEVALUATED),
                ("meta/validation", &**m::DRAFT202012_VALIDATION),
                ("meta/meta-data", &**m::DRAFT202012_META_DATA),
                (
                    "meta/format-annotation",
                    &**m::DRAFT202012_FORMAT_ANNOTATION,
                ),
                ("meta/format-assertion", &**m::DRAFT202012_FORMAT_ASSERTION),
                ("meta/content", &**m::DRAFT202012_CONTENT),
            ]
        }
    };
    let base = docs[0].0;
    for (i, (name, doc)) in docs.iter().enumerate() {
        let url = if i == 0 {
            if v >= 2019 {
                format!("{base}schema")
            } else {
                base.to_string()
            }
        } else {
            format!("{base}{name}")
        };
        let mut doc = (*doc).clone();
        v6_edits(draft, &mut doc);
        c.add_doc(&url, V::from_json(&doc), v);
    }
    let root_url = c.docs[0].url.clone();
    c.node_at_or_compile(&root_url)?;
    Some(c)
}

impl Compiled {
    fn node_at_or_compile(&mut self, url: &str) -> Option<usize> {
        let d = self.docs.iter().position(|d| d.url == url)?;
        self.node(d, "")
    }
}

/// Where v6's copies of the draft 4, 6 and 7 meta-schemas differ from the
/// ones published with the `jsonschema` crate.
fn v6_edits(draft: Meta, doc: &mut J) {
    let Some(props) = doc.get_mut("properties").and_then(J::as_object_mut) else {
        return;
    };
    let enum_len = |props: &mut serde_json::Map<String, J>| {
        if let Some(J::Object(e)) = props.get_mut("enum") {
            e.insert("minItems".into(), J::from(1));
            e.insert("uniqueItems".into(), J::Bool(true));
        }
    };
    match draft {
        Meta::D4 => {
            enum_len(props);
            if let Some(J::Object(s)) = props.get_mut("$schema") {
                s.insert("format".into(), J::from("uri"));
            }
            props.insert("$ref".into(), serde_json::json!({"type": "string"}));
            if let Some(o) = doc.as_object_mut() {
                o.remove("id");
            }
        }
        Meta::D6 => {
            enum_len(props);
            props.remove("examples");
            if let Some(J::Object(p)) = props.get_mut("patternProperties") {
                p.remove("propertyNames");
            }
        }
        Meta::D7 => enum_len(props),
        Meta::D2019 | Meta::D2020 => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_keeps_number_text_and_the_last_repeated_key() {
        let v = parse(br#"{"a": 1.50, "b": [2e3, -0], "a": {"c": "\u00e9\ud83d\ude00"}}"#).unwrap();
        let V::Obj(o) = &v else { panic!("object") };
        assert_eq!(o.len(), 2);
        assert_eq!(
            v.get("b"),
            Some(&V::Arr(vec![V::Num("2e3".into()), V::Num("-0".into())]))
        );
        assert_eq!(v.at("/a/c"), Some(&V::Str("é😀".into())));
        assert!(parse(b"{\"a\": 1} x").is_none());
        assert!(parse(b"[1,]").is_none());
        assert!(parse(b"01x").is_none());
    }

    #[test]
    fn numbers_compare_exactly() {
        let r = |t: &str| Rat::parse(t).unwrap();
        assert!(r("0.3").multiple_of(&r("0.1")));
        assert!(!r("0.35").multiple_of(&r("0.1")));
        assert!(r("1e21").is_int());
        assert!(!r("1.5").is_int());
        assert!(r("2.0").is_int());
        assert!(r("100").cmp(&r("1E+2")).is_eq());
        assert!(r("-0.5").cmp(&r("-0.25")).is_lt());
        assert!(r("9007199254740993").cmp(&r("9007199254740992")).is_gt());
        assert!(Rat::parse("1e99999").is_none());
        assert!(equals(&V::Num("1".into()), &V::Num("1.0".into())));
    }

    #[test]
    fn ids_resolve_as_urls() {
        let b = "http://example.com/a/b.json";
        assert_eq!(join(b, "#/x"), "http://example.com/a/b.json#/x");
        assert_eq!(join(b, "c.json"), "http://example.com/a/c.json");
        assert_eq!(join(b, "../c.json#f"), "http://example.com/c.json#f");
        assert_eq!(join(b, "/d"), "http://example.com/d");
        assert_eq!(join(b, "urn:x:y"), "urn:x:y");
        assert_eq!(join(b, "//other/e"), "http://other/e");
        assert_eq!(
            join("file:///values.schema.json", "item.json"),
            "file:///item.json"
        );
    }

    #[test]
    fn fragments_are_path_escaped_per_token() {
        assert_eq!(
            encode_fragment("/properties/a b~1c,é"),
            "/properties/a%20b~1c%2C%C3%A9"
        );
        assert_eq!(encode_fragment("/$defs/x:y@z"), "/$defs/x:y@z");
    }

    /// A reference with one failure shows the failure in its place; with
    /// several, `validation failed` above them.
    #[test]
    fn single_cause_references_are_not_shown() {
        let schema =
            br##"{"properties": {"a": {"$ref": "#/$defs/one"}, "b": {"$ref": "#/$defs/two"}},
            "$defs": {"one": {"type": "integer"}, "two": {"minLength": 5, "pattern": "^z"}}}"##;
        let report = values_report(schema, Meta::D2020, &serde_json::json!({"a": "x"})).unwrap();
        assert_eq!(report, "- at '/a': got string, want integer\n");
        let report = values_report(schema, Meta::D2020, &serde_json::json!({"b": "x"})).unwrap();
        assert_eq!(
            report,
            "- at '/b': validation failed\n  - at '/b': minLength: got 1, want 5\n  - at '/b': 'x' does not match pattern '^z'\n"
        );
        assert_eq!(
            values_report(schema, Meta::D2020, &serde_json::json!({"a": 1})),
            None
        );
    }

    /// What the walk cannot follow gives no report (the caller words it).
    #[test]
    fn unresolvable_references_give_no_report() {
        let schema = br#"{"properties": {"a": {"$ref": "http://example.com/x.json"}}}"#;
        assert_eq!(
            values_report(schema, Meta::D2020, &serde_json::json!({"a": 1})),
            None
        );
    }
}
