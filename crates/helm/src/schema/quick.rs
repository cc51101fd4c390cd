//! A validator that answers only "valid or not" by walking the schema JSON
//! against the values, without compiling the schema. Compiling a large
//! schema with the `jsonschema` crate costs several times more than one
//! validation, and a command-line render validates once.
//!
//! It must agree exactly with the compiled validator (`jsonschema` 0.60 with
//! default options), so it is three-valued: for anything it does not
//! implement, or any doubt, it answers [`T::Unknown`] and the caller compiles
//! the schema as before. It is only trusted when it says "valid"; failures
//! go through the compiled path, which words the errors.
//!
//! Semantics followed (those of `jsonschema` 0.60 with default options):
//! - drafts 7, 2019-09 and 2020-12 (no `$schema`: 2020-12); other drafts
//!   decline;
//! - the schema must pass its draft's meta-schema (`jsonschema::meta`);
//! - numbers compare exactly across u64/i64/f64 (`num-cmp`), as the crate's;
//! - `enum`/`const`/`uniqueItems` equality: numbers by value, objects by keys;
//! - string lengths count code points;
//! - `pattern`, `patternProperties` and `format` are delegated to the crate
//!   itself (a one-keyword schema compiled per distinct pattern or format,
//!   with the compiled path's options), so pattern semantics (the explicit
//!   RE2 forms of `re2`) and format checks are the compiled path's;
//! - only local `$ref`s (`#` and `#/json/pointer`); in draft 7 a `$ref`
//!   hides its siblings.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::OnceLock;

use num_cmp::NumCmp;
use serde_json::{Map as JMap, Number, Value as J};

/// How deep schema and values may nest before the walk gives up (the
/// compiled path then answers).
const MAX_DEPTH: usize = 256;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Draft {
    D7,
    D2019,
    D2020,
}

/// A three-valued answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum T {
    Yes,
    No,
    Unknown,
}

impl T {
    fn from_bool(b: bool) -> T {
        if b {
            T::Yes
        } else {
            T::No
        }
    }
}

/// A schema ready to be interpreted.
/// The draft a document's `$schema` names, if one the interpreter knows.
fn draft_of(root: &J) -> Option<Draft> {
    match root.get("$schema") {
        None => Some(Draft::D2020),
        Some(J::String(s)) => match s.as_str() {
            "http://json-schema.org/draft-07/schema#" => Some(Draft::D7),
            "https://json-schema.org/draft/2019-09/schema" => Some(Draft::D2019),
            "https://json-schema.org/draft/2020-12/schema" => Some(Draft::D2020),
            _ => None,
        },
        Some(_) => None,
    }
}

pub(crate) struct Quick {
    root: J,
    draft: Draft,
    /// The compiled path's matcher of each pattern, built when a value
    /// first meets the pattern (see [`surely_compiles`]).
    patterns: HashMap<String, OnceLock<Option<Matcher>>>,
    /// How the compiled path checks each format.
    formats: HashMap<String, FormatCheck>,
}

impl std::fmt::Debug for Quick {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Quick").field("draft", &self.draft).finish()
    }
}

/// Keys whose presence anywhere makes the interpreter decline the schema:
/// identifiers and dynamic references change how `$ref` resolves, and
/// unevaluated* depend on annotations it does not collect.
fn declined_key(key: &str) -> bool {
    matches!(
        key,
        "$id"
            | "$anchor"
            | "$dynamicAnchor"
            | "$recursiveAnchor"
            | "$dynamicRef"
            | "$recursiveRef"
            | "$vocabulary"
            | "unevaluatedProperties"
            | "unevaluatedItems"
    )
}

impl Quick {
    /// The interpreter for a parsed (and `$schema`-normalised) schema, or
    /// `Err` with the schema back when it declines it: then only the
    /// compiled validator can answer.
    ///
    /// `explicit` holds the patterns `re2` wrote (whose building may wait).
    pub(crate) fn new(root: J, explicit: &HashMap<String, String>) -> Result<Quick, J> {
        Quick::build(root, explicit, true)
    }

    /// [`Quick::new`] for a document it accepted before (a schema prepared
    /// when the program was built, read back unchanged), with the patterns
    /// and formats it found in it ([`Quick::scanned`]): neither the
    /// meta-schema check nor the walk, whose answers cannot have changed,
    /// is made again.
    pub(crate) fn new_prepared(
        root: J,
        explicit: &HashMap<String, String>,
        patterns: Vec<String>,
        formats: Vec<String>,
    ) -> Result<Quick, J> {
        let Some(draft) = draft_of(&root) else {
            return Err(root);
        };
        Quick::assemble(root, draft, explicit, Scan { patterns, formats })
    }

    /// The patterns and formats the document uses, in a fixed order.
    pub(crate) fn scanned(&self) -> (Vec<String>, Vec<String>) {
        let mut patterns: Vec<String> = self.patterns.keys().cloned().collect();
        let mut formats: Vec<String> = self.formats.keys().cloned().collect();
        patterns.sort();
        formats.sort();
        (patterns, formats)
    }

    fn build(root: J, explicit: &HashMap<String, String>, check_meta: bool) -> Result<Quick, J> {
        let Some(draft) = draft_of(&root) else {
            return Err(root);
        };
        let mut scan = Scan::default();
        if !scan.walk(&root, &root, true) {
            return Err(root);
        }
        // The compiled path refuses a schema that fails its meta-schema.
        let meta_ok: fn(&J) -> bool = match draft {
            Draft::D7 => jsonschema::draft7::meta::is_valid,
            Draft::D2019 => jsonschema::draft201909::meta::is_valid,
            Draft::D2020 => jsonschema::draft202012::meta::is_valid,
        };
        // The crate's check only where the walk cannot vouch (building
        // the crate's meta-schema validator costs more than the walk).
        let meta_ok = !check_meta
            || super::metacheck::surely_valid(&root, draft != Draft::D2020)
            || meta_ok(&root);
        if !meta_ok {
            return Err(root);
        }
        Quick::assemble(root, draft, explicit, scan)
    }

    fn assemble(
        root: J,
        draft: Draft,
        explicit: &HashMap<String, String>,
        scan: Scan,
    ) -> Result<Quick, J> {
        let meta = root.get("$schema").cloned();
        let mut patterns = HashMap::new();
        for p in scan.patterns {
            let cell = OnceLock::new();
            if !(explicit.contains_key(&p) && surely_compiles(&p)) {
                // Built now: the interpreter declines a schema with a
                // pattern the compiled path cannot build.
                match Matcher::new(&p) {
                    Some(m) => cell.get_or_init(|| Some(m)),
                    None => return Err(root),
                };
            }
            patterns.insert(p, cell);
        }
        let mut formats = HashMap::new();
        for f in scan.formats {
            let check = match FormatCheck::of(draft, &f) {
                Some(check) => check,
                None => match tiny(meta.as_ref(), "format", &f) {
                    Some(v) => FormatCheck::Crate(v),
                    None => return Err(root),
                },
            };
            formats.insert(f, check);
        }
        Ok(Quick {
            root,
            draft,
            patterns,
            formats,
        })
    }

    /// The schema document.
    #[cfg(test)]
    pub(crate) fn root(&self) -> &J {
        &self.root
    }

    /// Whether `inst` meets the schema, if the interpreter can tell.
    pub(crate) fn check(&self, inst: &J) -> T {
        self.node(&self.root, inst, 0)
    }

    fn pattern_matches(&self, pattern: &str, s: &str) -> T {
        let Some(cell) = self.patterns.get(pattern) else {
            return T::Unknown;
        };
        match cell.get_or_init(|| Matcher::new(pattern)) {
            Some(m) => m.matches(s),
            None => T::Unknown,
        }
    }

    fn node(&self, schema: &J, inst: &J, depth: usize) -> T {
        if depth > MAX_DEPTH {
            return T::Unknown;
        }
        let obj = match schema {
            J::Bool(b) => return T::from_bool(*b),
            J::Object(o) => o,
            _ => return T::Unknown,
        };
        if self.draft == Draft::D7 {
            if let Some(r) = obj.get("$ref") {
                return self.reference(r, inst, depth);
            }
        }
        let mut unknown = false;
        let mut note = |t: T| -> bool {
            match t {
                T::Yes => true,
                T::No => false,
                T::Unknown => {
                    unknown = true;
                    true
                }
            }
        };
        for (key, arg) in obj {
            let t = self.keyword(obj, key, arg, inst, depth);
            if !note(t) {
                return T::No;
            }
        }
        if unknown {
            T::Unknown
        } else {
            T::Yes
        }
    }

    fn reference(&self, r: &J, inst: &J, depth: usize) -> T {
        match r.as_str().and_then(|r| resolve(&self.root, r)) {
            Some(target) => self.node(target, inst, depth + 1),
            None => T::Unknown,
        }
    }

    /// One keyword of schema object `obj`.
    fn keyword(&self, obj: &JMap<String, J>, key: &str, arg: &J, inst: &J, depth: usize) -> T {
        let d = depth + 1;
        match key {
            "$ref" => self.reference(arg, inst, depth),
            "type" => type_ok(arg, inst),
            "enum" => match arg {
                J::Array(opts) => T::from_bool(opts.iter().any(|o| equal(o, inst))),
                _ => T::Unknown,
            },
            "const" => T::from_bool(equal(arg, inst)),
            "properties" => {
                let (Some(props), J::Object(m)) = (arg.as_object(), inst) else {
                    return if arg.is_object() { T::Yes } else { T::Unknown };
                };
                all(m
                    .iter()
                    .filter_map(|(k, v)| props.get(k).map(|s| (s, v)))
                    .map(|(s, v)| self.node(s, v, d)))
            }
            "patternProperties" => {
                let (Some(pats), J::Object(m)) = (arg.as_object(), inst) else {
                    return if arg.is_object() { T::Yes } else { T::Unknown };
                };
                let mut out = T::Yes;
                for (k, v) in m {
                    for (p, s) in pats {
                        let t = match self.pattern_matches(p, k) {
                            T::Yes => self.node(s, v, d),
                            T::No => T::Yes,
                            T::Unknown => T::Unknown,
                        };
                        match t {
                            T::No => return T::No,
                            T::Unknown => out = T::Unknown,
                            T::Yes => {}
                        }
                    }
                }
                out
            }
            "additionalProperties" => {
                let J::Object(m) = inst else {
                    return T::Yes;
                };
                let props = match obj.get("properties") {
                    None => None,
                    Some(J::Object(p)) => Some(p),
                    Some(_) => return T::Unknown,
                };
                let pats = match obj.get("patternProperties") {
                    None => None,
                    Some(J::Object(p)) => Some(p),
                    Some(_) => return T::Unknown,
                };
                let mut out = T::Yes;
                for (k, v) in m {
                    if props.is_some_and(|p| p.contains_key(k)) {
                        continue;
                    }
                    let mut matched = false;
                    for p in pats.into_iter().flat_map(|p| p.keys()) {
                        match self.pattern_matches(p, k) {
                            T::Yes => matched = true,
                            T::No => {}
                            T::Unknown => return T::Unknown,
                        }
                    }
                    if matched {
                        continue;
                    }
                    match self.node(arg, v, d) {
                        T::No => return T::No,
                        T::Unknown => out = T::Unknown,
                        T::Yes => {}
                    }
                }
                out
            }
            "required" => match (arg, inst) {
                (J::Array(names), J::Object(m)) => T::from_bool(
                    names
                        .iter()
                        .all(|n| n.as_str().is_some_and(|n| m.contains_key(n))),
                ),
                (J::Array(_), _) => T::Yes,
                _ => T::Unknown,
            },
            "propertyNames" => match inst {
                J::Object(m) => all(m.keys().map(|k| self.node(arg, &J::String(k.clone()), d))),
                _ => T::Yes,
            },
            "items" => {
                let J::Array(items) = inst else {
                    return T::Yes;
                };
                match (arg, self.draft) {
                    (J::Array(tuple), Draft::D7 | Draft::D2019) => {
                        let head = all(tuple.iter().zip(items).map(|(s, v)| self.node(s, v, d)));
                        let rest = match obj.get("additionalItems") {
                            None => T::Yes,
                            Some(extra) => all(items
                                .iter()
                                .skip(tuple.len())
                                .map(|v| self.node(extra, v, d))),
                        };
                        and(head, rest)
                    }
                    (J::Array(_), Draft::D2020) => T::Unknown,
                    (_, Draft::D2020) => {
                        let skip = match obj.get("prefixItems") {
                            None => 0,
                            Some(J::Array(p)) => p.len(),
                            Some(_) => return T::Unknown,
                        };
                        all(items.iter().skip(skip).map(|v| self.node(arg, v, d)))
                    }
                    _ => all(items.iter().map(|v| self.node(arg, v, d))),
                }
            }
            // Applied by `items` (an array there); alone it has no effect.
            "additionalItems" => match self.draft {
                Draft::D7 | Draft::D2019 => T::Yes,
                Draft::D2020 => T::Unknown,
            },
            "prefixItems" => match (self.draft, arg, inst) {
                (Draft::D2020, J::Array(tuple), J::Array(items)) => {
                    all(tuple.iter().zip(items).map(|(s, v)| self.node(s, v, d)))
                }
                (Draft::D2020, J::Array(_), _) => T::Yes,
                _ => T::Unknown,
            },
            "minItems" | "maxItems" => count(key, arg, inst.as_array().map(Vec::len)),
            "minProperties" | "maxProperties" => count(key, arg, inst.as_object().map(JMap::len)),
            "minLength" | "maxLength" => count(key, arg, inst.as_str().map(|s| s.chars().count())),
            "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" => {
                let (J::Number(limit), J::Number(n)) = (arg, inst) else {
                    return if arg.is_number() { T::Yes } else { T::Unknown };
                };
                let Some(ord) = num_order(n, limit) else {
                    return T::Unknown;
                };
                T::from_bool(match key {
                    "minimum" => ord != Ordering::Less,
                    "maximum" => ord != Ordering::Greater,
                    "exclusiveMinimum" => ord == Ordering::Greater,
                    _ => ord == Ordering::Less,
                })
            }
            "pattern" => match (arg, inst) {
                (J::String(p), J::String(s)) => self.pattern_matches(p, s),
                (J::String(_), _) => T::Yes,
                _ => T::Unknown,
            },
            "format" => match (arg, inst) {
                (J::String(f), _) => match self.formats.get(f.as_str()) {
                    Some(check) => check.check(inst),
                    None => T::Unknown,
                },
                _ => T::Unknown,
            },
            "uniqueItems" => match (arg, inst) {
                (J::Bool(true), J::Array(items)) => {
                    for (i, a) in items.iter().enumerate() {
                        if items[i + 1..].iter().any(|b| equal(a, b)) {
                            return T::No;
                        }
                    }
                    T::Yes
                }
                (J::Bool(_), _) => T::Yes,
                _ => T::Unknown,
            },
            "allOf" => match arg {
                J::Array(subs) => all(subs.iter().map(|s| self.node(s, inst, d))),
                _ => T::Unknown,
            },
            "anyOf" => match arg {
                J::Array(subs) => {
                    let mut out = T::No;
                    for s in subs {
                        match self.node(s, inst, d) {
                            T::Yes => return T::Yes,
                            T::Unknown => out = T::Unknown,
                            T::No => {}
                        }
                    }
                    out
                }
                _ => T::Unknown,
            },
            "oneOf" => match arg {
                J::Array(subs) => {
                    let (mut yes, mut unknown) = (0, false);
                    for s in subs {
                        match self.node(s, inst, d) {
                            T::Yes => yes += 1,
                            T::Unknown => unknown = true,
                            T::No => {}
                        }
                        if yes > 1 {
                            return T::No;
                        }
                    }
                    if unknown {
                        T::Unknown
                    } else {
                        T::from_bool(yes == 1)
                    }
                }
                _ => T::Unknown,
            },
            "not" => match self.node(arg, inst, d) {
                T::Yes => T::No,
                T::No => T::Yes,
                T::Unknown => T::Unknown,
            },
            "if" => {
                let branch = match self.node(arg, inst, d) {
                    T::Yes => obj.get("then"),
                    T::No => obj.get("else"),
                    T::Unknown => return T::Unknown,
                };
                match branch {
                    Some(s) => self.node(s, inst, d),
                    None => T::Yes,
                }
            }
            // Asserting keywords this interpreter does not implement.
            "contains" | "minContains" | "maxContains" | "dependencies" | "dependentRequired"
            | "dependentSchemas" | "multipleOf" | "contentMediaType" | "contentEncoding"
            | "contentSchema" => T::Unknown,
            k if declined_key(k) => T::Unknown,
            // `then`/`else` (applied by `if`), definitions and annotations.
            _ => T::Yes,
        }
    }
}

/// How the compiled path checks a `format` (see `super::build`: helm's
/// checks registered for its formats and `regex`, drafts 2019-09 and
/// 2020-12 asserting none, unknown formats ignored). Knowing it spares a
/// one-keyword validator, whose building builds the meta-schema validator.
enum FormatCheck {
    /// Not asserted, or a format nobody checks.
    Always,
    /// One of helm's formats ([`super::formats::NAMES`]).
    Helm(&'static str),
    /// `regex`: Go's regexp syntax.
    Regex,
    /// The crate's own check (a format helm lacks that the crate knows).
    Crate(jsonschema::Validator),
}

impl FormatCheck {
    /// `None`: only a one-keyword validator can tell.
    fn of(draft: Draft, format: &str) -> Option<FormatCheck> {
        if draft != Draft::D7 {
            return Some(FormatCheck::Always);
        }
        if format == "regex" {
            return Some(FormatCheck::Regex);
        }
        if let Some(name) = super::formats::NAMES.iter().find(|n| **n == format) {
            return Some(FormatCheck::Helm(name));
        }
        // `jsonschema` 0.60's draft-7 formats that helm's list lacks (the
        // `idn-*` ones exist with its `idna` feature).
        if matches!(format, "idn-email" | "idn-hostname") {
            return None;
        }
        Some(FormatCheck::Always)
    }

    fn check(&self, inst: &J) -> T {
        // Formats apply to strings only.
        match (self, inst) {
            (FormatCheck::Crate(v), _) => T::from_bool(v.is_valid(inst)),
            (FormatCheck::Helm(name), J::String(s)) => {
                T::from_bool(super::formats::check(name, s).is_none_or(|r| r.is_ok()))
            }
            (FormatCheck::Regex, J::String(s)) => T::from_bool(super::re2::translate(s).is_ok()),
            _ => T::Yes,
        }
    }
}

/// How the compiled path matches a `pattern` (`jsonschema` 0.60's pattern
/// keyword with the `regex` engine): a literal test where the pattern's
/// analysis finds one, else the `regex` crate on the pattern translated
/// from ECMA-262. Built directly, it spares a one-keyword validator, whose
/// building checks it against the meta-schema, building that validator
/// first (more than a whole validation of a large schema).
enum Matcher {
    Exact(String),
    Prefix(String),
    /// Sorted.
    Alternation(Vec<String>),
    NoWhitespace,
    Regex(regex::Regex),
}

impl Matcher {
    /// `None` where the compiled path fails to build the pattern.
    fn new(pattern: &str) -> Option<Matcher> {
        use jsonschema_regex::PatternAnalysis as A;
        Some(match jsonschema_regex::analyze_pattern(pattern) {
            Some(A::Exact(e)) => Matcher::Exact(e.into_owned()),
            Some(A::Prefix(p)) => Matcher::Prefix(p.into_owned()),
            Some(A::Alternation(a)) => Matcher::Alternation(a),
            Some(A::NoWhitespace) => Matcher::NoWhitespace,
            None => {
                let translated = jsonschema_regex::to_rust_regex(pattern).ok()?;
                Matcher::Regex(regex::RegexBuilder::new(&translated).build().ok()?)
            }
        })
    }

    fn matches(&self, s: &str) -> T {
        match self {
            Matcher::Exact(e) => T::from_bool(s == e),
            Matcher::Prefix(p) => T::from_bool(s.starts_with(p.as_str())),
            Matcher::Alternation(a) => T::from_bool(a.iter().any(|x| x == s)),
            Matcher::NoWhitespace => T::from_bool(!jsonschema_regex::contains_ecma_whitespace(s)),
            // The crate turns a panic of the engine into an error; the
            // interpreter leaves such a value to it.
            Matcher::Regex(r) => {
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| r.is_match(s)))
                    .map_or(T::Unknown, T::from_bool)
            }
        }
    }
}

/// A one-keyword schema (`{keyword: arg}`) under the document's `$schema`,
/// compiled with the compiled path's options; `None` if that fails.
fn tiny(meta: Option<&J>, keyword: &str, arg: &str) -> Option<jsonschema::Validator> {
    let mut m = JMap::new();
    if let Some(s) = meta {
        m.insert("$schema".into(), s.clone());
    }
    m.insert(keyword.into(), J::String(arg.into()));
    super::build(&J::Object(m)).ok()
}

/// Whether a pattern in `re2`'s explicit form compiles for certain, so
/// that building it can wait until a value needs it. The `regex` crate
/// refuses a valid pattern only for its size (a 10 MB program) or nesting
/// (250 levels); this bounds both from the text: an atom counts 1, a group
/// the sum of its parts, a repetition `{m,n}` its group times `max(m, n)`
/// (`{m,}`: `m + 1`). Patterns above the bound are built up front, as
/// the whole schema would be.
fn surely_compiles(explicit: &str) -> bool {
    const MAX_SIZE: u64 = 4096;
    const MAX_DEPTH: usize = 64;
    let b = explicit.as_bytes();
    // The size of each open group, innermost last.
    let mut open: Vec<u64> = vec![0];
    let mut i = 0;
    while i < b.len() {
        let size = match b[i] {
            b'(' => {
                open.push(0);
                if open.len() > MAX_DEPTH {
                    return false;
                }
                i += 1;
                continue;
            }
            b')' => {
                let Some(size) = open.pop().filter(|_| !open.is_empty()) else {
                    return false;
                };
                i += 1;
                if b.get(i) != Some(&b'{') {
                    size
                } else {
                    let Some(len) = b[i..].iter().position(|&c| c == b'}') else {
                        return false;
                    };
                    let body = &explicit[i + 1..i + len];
                    i += len + 1;
                    let (min, max) = body.split_once(',').unwrap_or((body, body));
                    let Ok(min) = min.parse::<u64>() else {
                        return false;
                    };
                    let copies = match max.parse::<u64>() {
                        Ok(max) => max.max(min),
                        Err(_) if max.is_empty() => min + 1,
                        Err(_) => return false,
                    };
                    size.saturating_mul(copies.max(1))
                }
            }
            // `\u{…}` is one character; `\b` and the like one assertion.
            b'\\' => {
                if b.get(i + 1) == Some(&b'u') && b.get(i + 2) == Some(&b'{') {
                    let Some(len) = b[i..].iter().position(|&c| c == b'}') else {
                        return false;
                    };
                    i += len + 1;
                } else {
                    i += 2;
                }
                1
            }
            // Any other brace is not the explicit form's.
            b'{' | b'}' => return false,
            _ => {
                i += 1;
                1
            }
        };
        let Some(top) = open.last_mut() else {
            return false;
        };
        *top = top.saturating_add(size);
        if *top > MAX_SIZE {
            return false;
        }
    }
    open.len() == 1
}

/// Every answer Yes: Yes; any No: No; else Unknown.
fn all(ts: impl Iterator<Item = T>) -> T {
    let mut out = T::Yes;
    for t in ts {
        match t {
            T::No => return T::No,
            T::Unknown => out = T::Unknown,
            T::Yes => {}
        }
    }
    out
}

fn and(a: T, b: T) -> T {
    all([a, b].into_iter())
}

/// `minItems`-like keywords: `n` is the instance's size if the keyword
/// applies to it.
fn count(key: &str, arg: &J, n: Option<usize>) -> T {
    let Some(limit) = arg.as_u64() else {
        return T::Unknown;
    };
    let Some(n) = n else {
        return T::Yes;
    };
    let n = n as u64;
    T::from_bool(if key.starts_with("min") {
        n >= limit
    } else {
        n <= limit
    })
}

/// A JSON number as the crate classifies it: u64 first, then i64, then f64.
#[derive(Clone, Copy)]
enum N {
    U(u64),
    I(i64),
    F(f64),
}

fn classify(n: &Number) -> Option<N> {
    if let Some(u) = n.as_u64() {
        Some(N::U(u))
    } else if let Some(i) = n.as_i64() {
        Some(N::I(i))
    } else {
        n.as_f64().map(N::F)
    }
}

/// The exact order of two JSON numbers.
fn num_order(a: &Number, b: &Number) -> Option<Ordering> {
    use N::*;
    match (classify(a)?, classify(b)?) {
        (U(x), U(y)) => NumCmp::num_cmp(x, y),
        (U(x), I(y)) => NumCmp::num_cmp(x, y),
        (U(x), F(y)) => NumCmp::num_cmp(x, y),
        (I(x), U(y)) => NumCmp::num_cmp(x, y),
        (I(x), I(y)) => NumCmp::num_cmp(x, y),
        (I(x), F(y)) => NumCmp::num_cmp(x, y),
        (F(x), U(y)) => NumCmp::num_cmp(x, y),
        (F(x), I(y)) => NumCmp::num_cmp(x, y),
        (F(x), F(y)) => NumCmp::num_cmp(x, y),
    }
}

/// JSON Schema equality: numbers by value, objects regardless of key order.
fn equal(a: &J, b: &J) -> bool {
    match (a, b) {
        (J::Number(x), J::Number(y)) => num_order(x, y) == Some(Ordering::Equal),
        (J::Array(x), J::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| equal(p, q))
        }
        (J::Object(x), J::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| equal(v, w)))
        }
        _ => a == b,
    }
}

fn type_ok(arg: &J, inst: &J) -> T {
    match arg {
        J::String(t) => one_type(t, inst),
        J::Array(ts) => {
            let mut out = T::No;
            for t in ts {
                match t.as_str().map(|t| one_type(t, inst)) {
                    Some(T::Yes) => return T::Yes,
                    Some(T::No) => {}
                    _ => out = T::Unknown,
                }
            }
            out
        }
        _ => T::Unknown,
    }
}

fn one_type(t: &str, inst: &J) -> T {
    T::from_bool(match t {
        "null" => inst.is_null(),
        "boolean" => inst.is_boolean(),
        "object" => inst.is_object(),
        "array" => inst.is_array(),
        "string" => inst.is_string(),
        "number" => inst.is_number(),
        "integer" => match inst {
            J::Number(n) if n.is_u64() || n.is_i64() => true,
            // An integral float is an integer to the crate in some ranges
            // only: leave those to it.
            J::Number(n) => match n.as_f64() {
                Some(f) if f.fract() != 0.0 => false,
                _ => return T::Unknown,
            },
            _ => false,
        },
        _ => return T::Unknown,
    })
}

/// A local reference: `#` or `#/json/pointer` (no percent-encoding).
fn resolve<'a>(root: &'a J, r: &str) -> Option<&'a J> {
    let pointer = r.strip_prefix('#')?;
    if pointer.contains('%') {
        return None;
    }
    if pointer.is_empty() {
        return Some(root);
    }
    let mut at = root;
    for seg in pointer.strip_prefix('/')?.split('/') {
        let seg = seg.replace("~1", "/").replace("~0", "~");
        at = match at {
            J::Object(m) => m.get(&seg)?,
            J::Array(a) => {
                if seg.is_empty()
                    || (seg.len() > 1 && seg.starts_with('0'))
                    || !seg.bytes().all(|c| c.is_ascii_digit())
                {
                    return None;
                }
                a.get(seg.parse::<usize>().ok()?)?
            }
            _ => return None,
        };
    }
    Some(at)
}

/// What the interpreter needs to know of a whole schema document before
/// trusting itself with it. It looks at every object of the document, data
/// (`enum`, `default`) included: treating data as schema can only make it
/// decline more.
#[derive(Default)]
struct Scan {
    patterns: Vec<String>,
    formats: Vec<String>,
}

impl Scan {
    /// False: decline the document.
    fn walk(&mut self, root: &J, v: &J, top: bool) -> bool {
        match v {
            J::Object(m) => {
                for (k, x) in m {
                    if declined_key(k) || (!top && k == "$schema") {
                        return false;
                    }
                    match (k.as_str(), x) {
                        ("pattern", J::String(p)) => self.add_pattern(p),
                        ("format", J::String(f)) if !self.formats.contains(f) => {
                            self.formats.push(f.clone());
                        }
                        ("patternProperties", J::Object(ps)) => {
                            for p in ps.keys() {
                                self.add_pattern(p);
                            }
                        }
                        ("$ref", J::String(r)) if resolve(root, r).is_none() => return false,
                        (
                            "minItems" | "maxItems" | "minLength" | "maxLength" | "minProperties"
                            | "maxProperties",
                            J::Number(n),
                        ) if !n.is_u64() => return false,
                        ("enum", J::Array(a)) if a.is_empty() => return false,
                        _ => {}
                    }
                    if !self.walk(root, x, false) {
                        return false;
                    }
                }
                true
            }
            J::Array(a) => a.iter().all(|x| self.walk(root, x, false)),
            _ => true,
        }
    }

    fn add_pattern(&mut self, p: &str) {
        if !self.patterns.iter().any(|q| q == p) {
            self.patterns.push(p.to_string());
        }
    }
}

#[cfg(test)]
#[path = "quick_tests.rs"]
mod tests;
