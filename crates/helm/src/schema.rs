//! values.schema.json validation of the chart and every sub-chart (helm's
//! `ValidateAgainstSchema`), with helm v4's error text: santhosh-tekuri
//! jsonschema v6's report (`- at '/sc/runAsUser': minimum: got -1, want 0`,
//! nested `'anyOf' failed` trees, meta-schema failures) under `values don't
//! meet the specifications of the schema(s) in the following chart(s):` and
//! a `chart:` line per failing chart. Validity comes from the `jsonschema`
//! crate (or, for a schema used once, the `quick` interpreter); the report
//! from `report`, a walk that follows v6's keyword order and nesting.
//! Patterns follow Go's regexp, as in helm (see `re2`).

mod formats;
mod lean;
mod metacheck;
mod quick;
mod re2;
mod report;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use gotmpl::Value;
use serde_json::{Map as JMap, Number, Value as J};

use crate::chart::Chart;

/// Values that do not meet a chart's schema (or a schema that is unusable).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaError(pub String);

impl std::fmt::Display for SchemaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SchemaError {}

/// A schema as compiled once: the validator, or the text of the error that
/// checking, parsing or compiling it gave (the same for every render).
type Compiled = Arc<Result<Schema, String>>;

/// A compiled schema and, for its messages, the patterns as written, the
/// document and its draft.
struct Schema {
    validator: jsonschema::Validator,
    patterns: Patterns,
    bytes: Arc<[u8]>,
    meta: Meta,
    /// Validity comes from `report`'s walk (see [`ref_cycle`]).
    walk_first: bool,
}

/// Explicit pattern (what the validator runs) → the pattern as written.
type Patterns = HashMap<String, String>;

/// A schema as prepared once. Used once (the command line), it is checked
/// by the interpreter, which needs no compiling and vouches for valid
/// values; the compiled validator is built only when values may be invalid
/// (it words the errors) or the interpreter declined the schema. Kept for
/// many renders, it is compiled: compiling costs several validations, but a
/// compiled validation is faster than an interpreted one.
struct Entry {
    /// The schema's text: the chart's own copy once the chart registered
    /// it (a copy read ahead is then let go).
    bytes: Mutex<Arc<[u8]>>,
    quick: OnceLock<Option<quick::Quick>>,
    compiled: OnceLock<Compiled>,
    /// Where a prepared form of this text may be found.
    sources: Sources,
}

/// Where prepared schemas come from: the program's own (built in), and a
/// store kept between runs.
#[derive(Clone, Default)]
struct Sources {
    /// Schemas prepared ahead of time ([`precompile`]): the interpreter
    /// starts from the one prepared from this text, if any.
    precompiled: PrecompiledSchemas,
    store: Option<Arc<dyn SchemaStore>>,
}

/// Prepared schemas kept between processes (a cache directory): what
/// [`precompile`] made of a schema's text, offered again for that text. A
/// kept form is used only if it was made from the very same text (length
/// and hash, checked when read), so a stale or damaged one is ignored.
pub trait SchemaStore: Send + Sync {
    /// What was kept for a schema with this text, if anything.
    fn load(&self, text: &[u8]) -> Option<Vec<u8>>;
    /// `text` was prepared from scratch: the store may keep
    /// [`precompile`]`(text)` for the next run (best later, when the
    /// program's output is out).
    fn missed(&self, text: Arc<[u8]>);
}

impl Entry {
    fn new(bytes: &Arc<[u8]>, sources: Sources) -> Entry {
        Entry {
            bytes: Mutex::new(bytes.clone()),
            quick: OnceLock::new(),
            compiled: OnceLock::new(),
            sources,
        }
    }

    fn text(&self) -> Arc<[u8]> {
        self.bytes.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn quick(&self) -> Option<&quick::Quick> {
        self.quick
            .get_or_init(|| {
                let text = self.text();
                if let Some(q) = self
                    .sources
                    .precompiled
                    .iter()
                    .find_map(|p| interpreter_precompiled(p, &text))
                {
                    return q;
                }
                let Some(store) = &self.sources.store else {
                    return interpreter(&text);
                };
                if let Some(q) = store
                    .load(&text)
                    .and_then(|kept| interpreter_precompiled(&kept, &text))
                {
                    return q;
                }
                let q = interpreter(&text);
                if q.is_some() {
                    store.missed(text);
                }
                q
            })
            .as_ref()
    }

    /// Whether the interpreter vouches for `inst`.
    fn surely_valid(&self, inst: &J) -> bool {
        self.quick().is_some_and(|q| q.check(inst) == quick::T::Yes)
    }

    fn compiled(&self) -> &Compiled {
        self.compiled
            .get_or_init(|| Arc::new(compile(&self.text())))
    }
}

/// The interpreter for a schema, unless it declines it.
fn interpreter(bytes: &[u8]) -> Option<quick::Quick> {
    let (s, originals) = interpreter_input(bytes)?;
    quick::Quick::new(s, &originals).ok()
}

/// What the interpreter is built from: the schema document, pruned and with
/// its patterns translated, and the patterns as written by translation.
fn interpreter_input(bytes: &[u8]) -> Option<(J, HashMap<String, String>)> {
    // A schema that does not parse is the compiled path's to report.
    let mut s = lean::parse(bytes).ok()?;
    // helm fails to load such a `$schema`: the compiled path words it.
    if unloadable_meta_schema(&s).is_some() {
        return None;
    }
    normalize_meta_schema(&mut s);
    let translated = re2::rewrite(&mut s).ok()?;
    // The compiled path words helm's meta-schema failures, and answers
    // for reference cycles.
    if translated.meta_suspect || ref_cycle(&s, &translated.local_refs) {
        return None;
    }
    Some((s, translated.originals))
}

/// Schemas prepared ahead of time by [`precompile`].
pub type PrecompiledSchemas = &'static [&'static [u8]];

const PRECOMPILED_MAGIC: &[u8; 8] = b"CGSCHM\x00\x03";

/// A schema prepared ahead of time, for a program that embeds it (and
/// prepares it when it is built): the interpreter's input in a binary form
/// (`lean::binary`), which reads in a fraction of the time the schema
/// takes to parse, prune and translate. `None` where the interpreter declines the schema (the
/// compiled path validates with it). The text it came from is recorded by
/// length and hash: it is used for that text only.
pub fn precompile(bytes: &[u8]) -> Option<Vec<u8>> {
    let (s, originals) = interpreter_input(bytes)?;
    let document = lean::binary::encode(&s)?;
    // Read back as it will be at run time, it must be the same document.
    if lean::binary::decode(&document)? != s {
        return None;
    }
    let (patterns, formats) = quick::Quick::new(s, &originals).ok()?.scanned();
    let mut out = PRECOMPILED_MAGIC.to_vec();
    crate::compact::write_origin(bytes, &mut out);
    let mut originals: Vec<(&String, &String)> = originals.iter().collect();
    originals.sort();
    let part = |part: &str, out: &mut Vec<u8>| {
        out.extend_from_slice(&(part.len() as u64).to_le_bytes());
        out.extend_from_slice(part.as_bytes());
    };
    out.extend_from_slice(&(originals.len() as u64).to_le_bytes());
    for (explicit, written) in originals {
        part(explicit, &mut out);
        part(written, &mut out);
    }
    for list in [&patterns, &formats] {
        out.extend_from_slice(&(list.len() as u64).to_le_bytes());
        for item in list {
            part(item, &mut out);
        }
    }
    out.extend_from_slice(&document);
    Some(out)
}

/// The interpreter from `precompiled`, if it was prepared from `text`
/// (`Some(None)`: the interpreter declines it).
fn interpreter_precompiled(precompiled: &[u8], text: &[u8]) -> Option<Option<quick::Quick>> {
    fn take<'a>(rest: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
        if rest.len() < n {
            return None;
        }
        let (head, tail) = rest.split_at(n);
        *rest = tail;
        Some(head)
    }
    fn number(rest: &mut &[u8]) -> Option<u64> {
        Some(u64::from_le_bytes(take(rest, 8)?.try_into().ok()?))
    }
    let mut rest =
        crate::compact::strip_origin(precompiled.strip_prefix(PRECOMPILED_MAGIC)?, text)?;
    fn part(rest: &mut &[u8]) -> Option<String> {
        let len = usize::try_from(number(rest)?).ok()?;
        String::from_utf8(take(rest, len)?.to_vec()).ok()
    }
    let n = number(&mut rest)?;
    let mut originals = HashMap::new();
    for _ in 0..n {
        let (explicit, written) = (part(&mut rest)?, part(&mut rest)?);
        originals.insert(explicit, written);
    }
    let mut lists = [Vec::new(), Vec::new()];
    for list in &mut lists {
        let n = number(&mut rest)?;
        for _ in 0..n {
            list.push(part(&mut rest)?);
        }
    }
    let [patterns, formats] = lists;
    let s = lean::binary::decode(rest)?;
    // `precompile` built the interpreter from this very document, and
    // found these patterns and formats in it.
    Some(quick::Quick::new_prepared(s, &originals, patterns, formats).ok())
}

/// Whether a `$ref` can lead back to a schema applied to the same value
/// (through `$ref`s and `allOf`/`anyOf`/`oneOf`/`not`/`if`/`then`/`else`/
/// `dependentSchemas`). helm's validator fails a value that reaches such a
/// cycle (`… causing reference cycle`); the `jsonschema` crate lets it
/// pass, so these schemas are validated by `report`'s walk. Such a cycle
/// goes through a `$ref` target, so the search starts from the targets of
/// `local_refs` (the schema's distinct `#…` references).
fn ref_cycle(root: &J, local_refs: &[String]) -> bool {
    fn target<'a>(root: &'a J, r: &str) -> Option<&'a J> {
        root.pointer(&report::percent_decode(r.strip_prefix('#')?)?)
    }
    fn successors<'a>(root: &'a J, v: &'a J, out: &mut Vec<&'a J>) {
        let J::Object(o) = v else { return };
        for (k, sub) in o {
            match (k.as_str(), sub) {
                ("$ref", J::String(r)) => out.extend(target(root, r)),
                ("allOf" | "anyOf" | "oneOf", J::Array(a)) => out.extend(a.iter()),
                ("not" | "if" | "then" | "else", s) => out.push(s),
                ("dependentSchemas", J::Object(m)) => out.extend(m.values()),
                _ => {}
            }
        }
    }
    // Depth-first, iteratively; a node on the current path seen again is
    // a cycle. `false`: on the path; `true`: done.
    let mut state: rustc_hash::FxHashMap<*const J, bool> = Default::default();
    for start in local_refs.iter().filter_map(|r| target(root, r)) {
        if state.contains_key(&(start as *const J)) {
            continue;
        }
        let mut next = Vec::new();
        successors(root, start, &mut next);
        state.insert(start, false);
        let mut stack = vec![(start, next)];
        while let Some((node, pending)) = stack.last_mut() {
            match pending.pop() {
                Some(s) => match state.get(&(s as *const J)) {
                    Some(false) => return true,
                    Some(true) => {}
                    None => {
                        let mut n = Vec::new();
                        successors(root, s, &mut n);
                        state.insert(s, false);
                        stack.push((s, n));
                    }
                },
                None => {
                    state.insert(*node as *const J, true);
                    stack.pop();
                }
            }
        }
    }
    false
}

/// The schema bytes (kept alive) and, once kept, what they prepared to.
type CacheEntry = (Arc<[u8]>, Option<Arc<Entry>>);

/// Prepared schemas, by the chart file holding them: compiling a large
/// schema costs more than validating values against it, and a loaded chart
/// is rendered many times with the same schemas.
#[derive(Default)]
pub struct SchemaCache {
    /// Keyed by the address of the schema bytes; the entry keeps those
    /// bytes alive so that the address cannot be reused by another schema.
    compiled: Mutex<HashMap<usize, CacheEntry>>,
    /// Schemas prepared ahead of their first use, by the same key.
    early: Mutex<HashMap<usize, Arc<Entry>>>,
    /// Schemas prepared ahead of time or kept (see
    /// [`SchemaCache::with_precompiled`], [`SchemaCache::with_store`]).
    sources: Sources,
}

impl std::fmt::Debug for SchemaCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.compiled.lock().map(|m| m.len()).unwrap_or(0);
        f.debug_struct("SchemaCache").field("schemas", &n).finish()
    }
}

impl SchemaCache {
    pub fn new() -> SchemaCache {
        SchemaCache::default()
    }

    /// A cache whose schemas start from these, where one was prepared
    /// ([`precompile`]) from the same text.
    pub fn with_precompiled(precompiled: PrecompiledSchemas) -> SchemaCache {
        SchemaCache {
            sources: Sources {
                precompiled,
                store: None,
            },
            ..SchemaCache::default()
        }
    }

    /// This cache, also looking for prepared schemas in `store` (and
    /// telling it which it had to prepare).
    pub fn with_store(mut self, store: Option<Arc<dyn SchemaStore>>) -> SchemaCache {
        self.sources.store = store;
        self
    }

    /// Registers a schema to be prepared ahead of its first use (for
    /// example while the values load): the returned handle's
    /// [`EarlySchema::prepare`] does the interpreter's parse, on any thread.
    /// Registering is cheap and must come before the validation can start:
    /// a validation that finds no entry prepares its own copy of the schema,
    /// and the early work is lost.
    ///
    /// An entry registered before for the same text under other bytes (a
    /// schema file read ahead of the chart, see [`SchemaCache::read_ahead`])
    /// is taken over: its preparation, done or under way, is not repeated.
    pub fn register_early(&self, schema: &Arc<[u8]>) -> EarlySchema {
        let key = schema.as_ptr() as usize;
        let compiled = self.compiled.lock().unwrap_or_else(|e| e.into_inner());
        if compiled.contains_key(&key) {
            return EarlySchema(None); // already used
        }
        let mut early = self.early.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(entry) = early.get(&key) {
            return EarlySchema(Some(entry.clone()));
        }
        let same_text = early
            .iter()
            .find(|(_, e)| *e.text() == **schema)
            .map(|(k, e)| (*k, e.clone()));
        let entry = match same_text {
            Some((old_key, entry)) => {
                early.remove(&old_key);
                *entry.bytes.lock().unwrap_or_else(|e| e.into_inner()) = schema.clone();
                entry
            }
            None => Arc::new(Entry::new(schema, self.sources.clone())),
        };
        early.insert(key, entry.clone());
        EarlySchema(Some(entry))
    }

    /// Reads a chart directory's schema file ahead of the chart and
    /// registers it, so that it can be prepared while the rest of the chart
    /// loads. Only a regular file (or a link to one) of reasonable size is
    /// read: anything else is left to the loader, which reports on it. If
    /// the loaded chart turns out not to hold the same text (an ignored or
    /// changed file), the early work is merely wasted.
    /// Gives the text read too, which the loader may take instead of
    /// reading the file again.
    pub fn read_ahead(&self, chart_dir: &std::path::Path) -> Option<(Arc<[u8]>, EarlySchema)> {
        const MAX_READ_AHEAD: u64 = 64 << 20;
        let path = chart_dir.join("values.schema.json");
        let meta = std::fs::metadata(&path).ok()?;
        if !meta.is_file() || meta.len() > MAX_READ_AHEAD {
            return None;
        }
        let bytes = crate::loader::read_shared(&path, meta.len()).ok()?;
        let early = self.register_early(&bytes);
        Some((bytes, early))
    }

    /// The prepared schema, and whether it is kept. It is kept from its
    /// second use on: a chart rendered once (the command line) then frees
    /// it right after validating, instead of holding it through the render.
    fn get(&self, schema: &Arc<[u8]>) -> (Arc<Entry>, bool) {
        let key = schema.as_ptr() as usize;
        let seen = match self
            .compiled
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
        {
            Some((_, Some(c))) => return (c.clone(), true),
            Some((_, None)) => true,
            None => false,
        };
        let early = self
            .early
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&key);
        let c = early.unwrap_or_else(|| Arc::new(Entry::new(schema, self.sources.clone())));
        self.compiled
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key, (schema.clone(), seen.then(|| c.clone())));
        (c, seen)
    }
}

/// A schema registered with [`SchemaCache::register_early`].
pub struct EarlySchema(Option<Arc<Entry>>);

impl EarlySchema {
    /// Does the interpreter's parse now, unless a validation already has
    /// (then this waits for it: the work is never done twice).
    pub fn prepare(&self) {
        if let Some(entry) = &self.0 {
            entry.quick();
        }
    }
}

/// helm's schema validation as `ToRenderValues` runs it (skip it for
/// `--skip-schema-validation`). The error is helm's full message.
pub fn validate(chart: &Chart, coalesced: &Value) -> Result<(), SchemaError> {
    validate_cached(chart, coalesced, &SchemaCache::new())
}

/// [`validate`], compiling each schema once per cache.
pub fn validate_cached(
    chart: &Chart,
    coalesced: &Value,
    cache: &SchemaCache,
) -> Result<(), SchemaError> {
    Prepared::new(chart, coalesced).validate(cache)
}

/// The validation work for a chart and its values. It owns JSON copies of
/// the values, so it does not depend on them staying unchanged (templates
/// can change values maps) and can be sent to another thread.
pub struct Prepared {
    steps: Vec<Step>,
    /// Schemas used once are left for the process's exit to reclaim
    /// (see [`Prepared::leave_to_exit`]).
    leave_to_exit: bool,
}

enum Step {
    /// Validate one chart's values against its schema.
    Check {
        chart: String,
        schema: Arc<[u8]>,
        instance: J,
    },
    /// A sub-chart's values are not a map: helm's message for it.
    Text(String),
}

impl Prepared {
    /// The checks `ValidateAgainstSchema` makes, in its order: the chart's
    /// own schema, then each sub-chart with values.
    pub fn new(chart: &Chart, coalesced: &Value) -> Prepared {
        let map = coalesced.as_map().unwrap_or_default();
        let mut steps = Vec::new();
        plan(chart, &map, &mut steps);
        Prepared {
            steps,
            leave_to_exit: false,
        }
    }

    /// For a process that validates once and exits: a schema prepared for
    /// this validation alone is not freed (freeing a large schema's tree
    /// costs a fifth of validating with it; the exit returns its memory).
    pub fn leave_to_exit(&mut self) {
        self.leave_to_exit = true;
    }

    /// helm's result, with helm's full message.
    pub fn validate(&self, cache: &SchemaCache) -> Result<(), SchemaError> {
        let mut sb = String::new();
        for step in &self.steps {
            match step {
                Step::Check {
                    chart,
                    schema,
                    instance,
                } => {
                    let (entry, kept) = cache.get(schema);
                    if !kept && entry.surely_valid(instance) {
                        if self.leave_to_exit {
                            std::mem::forget(entry);
                        }
                        continue;
                    }
                    if let Err(e) = validate_single(instance, entry.compiled()) {
                        sb.push_str(&format!("{chart}:\n"));
                        sb.push_str(&e);
                    }
                }
                Step::Text(t) => sb.push_str(t),
            }
        }
        if sb.is_empty() {
            return Ok(());
        }
        Err(SchemaError(format!(
            "values don't meet the specifications of the schema(s) in the following chart(s):\n{sb}"
        )))
    }
}

fn plan(chart: &Chart, values: &gotmpl::MapEntries, steps: &mut Vec<Step>) {
    if let Some(schema) = &chart.schema {
        steps.push(Step::Check {
            chart: chart.name().to_string(),
            schema: schema.clone(),
            instance: to_json_value_map(values),
        });
    }
    for sub in &chart.dependencies {
        match values.get(sub.name()) {
            None | Some(Value::Nil) | Some(Value::Invalid) => {}
            Some(Value::Map(m)) => plan(sub, &m.entries(), steps),
            Some(other) => steps.push(Step::Text(format!(
                "{}:\ninvalid type for values: expected object (map), got {}\n",
                sub.name(),
                other.type_name()
            ))),
        }
    }
}

/// The values as JSON (numbers keep their Go kind).
pub fn to_json_value(v: &Value) -> J {
    match v {
        Value::Invalid | Value::Nil => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Int(i, _) => J::Number((*i).into()),
        Value::Uint(u, _) => J::Number((*u).into()),
        // An integral float is an integer to JSON Schema (as helm's validator sees it).
        Value::Float(f) if f.fract() == 0.0 && f.abs() < 9.007_199_254_740_992e15 => {
            J::Number((*f as i64).into())
        }
        Value::Float(f) => Number::from_f64(*f).map(J::Number).unwrap_or(J::Null),
        Value::String(s) => J::String(s.to_string()),
        Value::List(l) => J::Array(l.items.iter().map(to_json_value).collect()),
        Value::Map(m) => to_json_value_map(&m.entries()),
        other => J::String(gotmpl::gofmt::sprint(std::slice::from_ref(other))),
    }
}

fn to_json_value_map(m: &gotmpl::MapEntries) -> J {
    // Collected in key order, the object is built in one pass rather than
    // by a search per key.
    J::Object(
        m.iter()
            .map(|(k, x)| (k.to_string(), to_json_value(x)))
            .collect::<JMap<String, J>>(),
    )
}

/// v6's `quote`: single-quoted.
/// Its replacements run on the double-quoted text, so a trailing `\\`
/// loses its escape (`'a\'`), as in helm's messages.
fn q(s: &str) -> String {
    let quoted = gotmpl::strconv::quote(s)
        .replace("\\\"", "\"")
        .replace('\'', "\\'");
    format!("'{}'", &quoted[1..quoted.len() - 1])
}

/// golang.org/x/text's English number formatting (`%v` with grouping).
fn num(n: &J) -> String {
    num_f64(n.as_f64().unwrap_or(0.0))
}

/// [`num`] of a float.
fn num_f64(f: f64) -> String {
    let s = gotmpl::strconv::format_float(f, b'g', -1, 64);
    if let Some((mant, exp)) = s.split_once('e') {
        const SUP: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
        let mut out = format!("{mant}×10");
        for c in exp.chars() {
            match c {
                '-' => out.push('⁻'),
                '+' => {}
                d => out.push(SUP[d.to_digit(10).unwrap_or(0) as usize]),
            }
        }
        return out;
    }
    let (sign, rest) = match s.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", s.as_str()),
    };
    let (int, frac) = match rest.split_once('.') {
        Some((a, b)) => (a, Some(b)),
        None => (rest, None),
    };
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(fr) => format!("{sign}{grouped}.{fr}"),
        None => format!("{sign}{grouped}"),
    }
}

fn display(v: &J) -> String {
    match v {
        J::String(s) => q(s),
        J::Array(_) | J::Object(_) => "value".into(),
        J::Number(_) => num(v),
        J::Bool(b) => b.to_string(),
        J::Null => "<nil>".into(),
    }
}

fn json_type(v: &J) -> &'static str {
    match v {
        J::Null => "null",
        J::Bool(_) => "boolean",
        J::Number(_) => "number",
        J::String(_) => "string",
        J::Array(_) => "array",
        J::Object(_) => "object",
    }
}

fn message(e: &jsonschema::ValidationError<'_>, patterns: &Patterns) -> String {
    use jsonschema::error::ValidationErrorKind as K;
    let inst: &J = e.instance();
    match e.kind() {
        K::Type { kind } => {
            let want = match kind {
                jsonschema::error::TypeKind::Single(t) => t.to_string(),
                jsonschema::error::TypeKind::Multiple(ts) => ts
                    .iter()
                    .map(|t| t.to_string())
                    .collect::<Vec<_>>()
                    .join(" or "),
            };
            format!("got {}, want {want}", json_type(inst))
        }
        K::Required { property } => {
            format!("missing property {}", q(property.as_str().unwrap_or("")))
        }
        K::Minimum { limit } => format!("minimum: got {}, want {}", num(inst), num(limit)),
        K::Maximum { limit } => format!("maximum: got {}, want {}", num(inst), num(limit)),
        K::ExclusiveMinimum { limit } => {
            format!("exclusiveMinimum: got {}, want {}", num(inst), num(limit))
        }
        K::ExclusiveMaximum { limit } => {
            format!("exclusiveMaximum: got {}, want {}", num(inst), num(limit))
        }
        K::MinLength { limit } => format!(
            "minLength: got {}, want {limit}",
            inst.as_str().map(|s| s.chars().count()).unwrap_or(0)
        ),
        K::MaxLength { limit } => format!(
            "maxLength: got {}, want {limit}",
            inst.as_str().map(|s| s.chars().count()).unwrap_or(0)
        ),
        K::MinItems { limit } => format!(
            "minItems: got {}, want {limit}",
            inst.as_array().map(Vec::len).unwrap_or(0)
        ),
        K::MaxItems { limit } => format!(
            "maxItems: got {}, want {limit}",
            inst.as_array().map(Vec::len).unwrap_or(0)
        ),
        K::MinProperties { limit } => format!(
            "minProperties: got {}, want {limit}",
            inst.as_object().map(JMap::len).unwrap_or(0)
        ),
        K::MaxProperties { limit } => format!(
            "maxProperties: got {}, want {limit}",
            inst.as_object().map(JMap::len).unwrap_or(0)
        ),
        K::Pattern { pattern } => format!(
            "{} does not match pattern {}",
            q(inst.as_str().unwrap_or("")),
            q(patterns.get(pattern).unwrap_or(pattern))
        ),
        K::Enum { options } => {
            let opts = options.as_array().cloned().unwrap_or_default();
            if opts.iter().any(|o| o.is_array() || o.is_object()) {
                "'enum' failed".into()
            } else if opts.len() == 1 {
                format!("value must be {}", display(&opts[0]))
            } else {
                let w: Vec<String> = opts.iter().map(display).collect();
                format!("value must be one of {}", w.join(", "))
            }
        }
        K::Constant { expected_value } => {
            if expected_value.is_array() || expected_value.is_object() {
                "'const' failed".into()
            } else {
                format!("value must be {}", display(expected_value))
            }
        }
        K::AdditionalProperties { unexpected } => {
            let w: Vec<String> = unexpected.iter().map(|s| q(s)).collect();
            format!("additional properties {} not allowed", w.join(", "))
        }
        K::MultipleOf { multiple_of } => format!(
            "multipleOf: {} not multipleOf {}",
            num(inst),
            num(&Number::from_f64(*multiple_of)
                .map(J::Number)
                .unwrap_or(J::Null))
        ),
        K::AnyOf { .. } => "'anyOf' failed".into(),
        K::OneOfNotValid { .. } => "'oneOf' failed, none matched".into(),
        K::OneOfMultipleValid { .. } => "'oneOf' failed, subschemas 0, 1 matched".into(),
        K::Not { .. } => "'not' failed".into(),
        K::FalseSchema => "false schema".into(),
        K::UniqueItems => "items at 0 and 1 are equal".into(),
        // Go's regexp checks `format: regex`; its error is part of the message.
        K::Format { format } if format == "regex" => match inst.as_str().map(re2::translate) {
            Some(Err(e)) => format!("{} is not valid regex: {e}", display(inst)),
            _ => format!("{} is not valid regex", display(inst)),
        },
        K::Format { format } => match inst.as_str().and_then(|s| formats::check(format, s)) {
            Some(Err(e)) => format!("{} is not valid {format}: {e}", display(inst)),
            _ => format!("{} is not valid {format}", display(inst)),
        },
        // helm's validator locates the failing name at '' too.
        K::PropertyNames { error } => format!(
            "invalid propertyName {}\n  - at '': {}",
            display(error.instance()),
            message(error, patterns)
        ),
        other => format!("{other:?}"),
    }
}

/// v6's `quote` of a JSON pointer for `at '…'`.
fn pointer(p: &str) -> String {
    format!("'{p}'")
}

/// Charts spell `$schema` in ways helm's validator accepts but the
/// `jsonschema` crate does not (`https://`, no `#`, the draft-less
/// `http://json-schema.org/schema`): map them to the canonical draft URLs.
fn normalize_meta_schema(schema: &mut J) {
    let Some(J::String(url)) = schema.get("$schema") else {
        return;
    };
    // helm's validator ignores a URN it cannot resolve (see
    // `urn_warnings`) and validates with its default draft.
    if url.starts_with("urn:") {
        if let Some(o) = schema.as_object_mut() {
            o.remove("$schema");
        }
        return;
    }
    let canonical = if url.contains("draft-04") {
        "http://json-schema.org/draft-04/schema#"
    } else if url.contains("draft-06") {
        "http://json-schema.org/draft-06/schema#"
    } else if url.contains("draft-07") {
        "http://json-schema.org/draft-07/schema#"
    } else if url.contains("2019-09") {
        "https://json-schema.org/draft/2019-09/schema"
    } else if url.contains("2020-12")
        || url
            .trim_end_matches('#')
            .ends_with("json-schema.org/schema")
    {
        "https://json-schema.org/draft/2020-12/schema"
    } else {
        return;
    };
    if url != canonical {
        schema["$schema"] = J::String(canonical.to_string());
    }
}

/// A schema that is not JSON, as helm reports it: helm reads the schema
/// with santhosh-tekuri's `UnmarshalJSON`, a
/// `json.Decoder`: a cut-off document is `unexpected EOF` (an empty one
/// `EOF`) and text after the value has its own message.
fn check_schema_json(schema: &[u8]) -> Result<(), String> {
    match chartgen_yaml::json::check_valid(schema) {
        Err(e) if e == "unexpected end of JSON input" => {
            let blank = schema
                .iter()
                .all(|c| matches!(c, b' ' | b'\t' | b'\r' | b'\n'));
            Err(if blank { "EOF" } else { "unexpected EOF" }.to_string())
        }
        Err(e) if e.ends_with("after top-level value") => {
            Err("invalid character after top-level value".to_string())
        }
        other => other,
    }
}

/// The schema document, or helm's error for text that is not one: Go's
/// syntax error if it has one, else serde_json's.
///
/// Go's syntax check runs only when serde_json fails: serde_json accepts
/// no text Go's scanner rejects (it is the stricter of the two: it also
/// rejects invalid UTF-8, lone surrogate escapes, nesting deeper than 128
/// and numbers beyond f64; `serde_json_is_stricter_than_go` tests this), so
/// on success the check could only have passed.
fn parse_schema(schema: &[u8]) -> Result<J, String> {
    serde_json::from_slice(schema).map_err(|e| {
        check_schema_json(schema)
            .err()
            .unwrap_or_else(|| e.to_string())
    })
}

/// The schema half of `ValidateAgainstSingleSchema`: `Err` is the text
/// after the chart line.
fn compile(bytes: &Arc<[u8]>) -> Result<Schema, String> {
    let mut schema = parse_schema(bytes)?;
    if let Some(e) = unloadable_meta_schema(&schema) {
        return Err(e);
    }
    normalize_meta_schema(&mut schema);
    let meta = Meta::of(&schema);
    // A `$schema` helm's validator does not embed is loaded and checked
    // against whatever it names; only the embedded drafts are modelled.
    let known = match schema.get("$schema") {
        Some(J::String(u)) => u.as_str() == meta.url().trim_end_matches('#') || u == meta.url(),
        _ => true,
    };
    // helm checks the schema against its meta-schema before anything else.
    let meta_report = || known.then(|| report::meta_report(bytes, meta)).flatten();
    let translated = match re2::rewrite(&mut schema) {
        Ok(t) => t,
        Err(bad) => return Err(meta_report().unwrap_or_else(|| bad_pattern(&bad))),
    };
    // helm's validator gathers the schema's ids first.
    if let Some(at) = &translated.bad_id {
        return Err(format!(
            "error in parsing id at {}",
            gotmpl::strconv::quote(&format!("{}#{at}", report::VALUES_URL))
        ));
    }
    let validator = build(&schema).map_err(|e| {
        meta_report().unwrap_or_else(|| match &translated.bad_ref {
            Some((r, escape)) => {
                format!("error in parsing {}: {escape}", gotmpl::strconv::quote(r))
            }
            None => unfetched_resource(&e.to_string()).unwrap_or_else(|| e.to_string()),
        })
    })?;
    // Where helm's meta-schemas are stricter than the crate's.
    if translated.meta_suspect {
        if let Some(report) = meta_report() {
            return Err(report);
        }
    }
    let walk_first = ref_cycle(&schema, &translated.local_refs);
    let patterns = translated.originals;
    Ok(Schema {
        validator,
        patterns,
        bytes: bytes.clone(),
        meta,
        walk_first,
    })
}

/// The crate's validator for a schema whose patterns are explicit (see
/// `re2`): the `regex` engine runs them as written.
fn build(schema: &J) -> Result<jsonschema::Validator, jsonschema::ValidationError<'static>> {
    let mut options = jsonschema::options()
        .with_pattern_options(jsonschema::PatternOptions::regex())
        .with_format("regex", |s: &str| re2::translate(s).is_ok());
    // helm's format checks, in place of the crate's.
    for name in formats::NAMES {
        options = options.with_format(name, move |s: &str| {
            formats::check(name, s).is_none_or(|r| r.is_ok())
        });
    }
    options.build(schema)
}

/// helm's validator fetches `http(s)` resources a schema refers to (and
/// fails with the network's error where it cannot); chartgen renders
/// offline: the same start (`failing loading "<url>": HTTP request failed
/// for <url>`), then why.
fn unfetched_resource(crate_error: &str) -> Option<String> {
    let rest = crate_error.strip_prefix("Resource '")?;
    let (url, _) = rest.split_once("' is not present in a registry")?;
    let scheme = url.split_once(':')?.0.to_ascii_lowercase();
    if !matches!(scheme.as_str(), "http" | "https") {
        return None;
    }
    let document = url.split_once('#').map_or(url, |(d, _)| d);
    Some(format!(
        "failing loading {}: HTTP request failed for {document}: chartgen renders offline and does not fetch schemas",
        gotmpl::strconv::quote(document)
    ))
}

/// helm's error for a `$schema` that names no draft and that its
/// validator has no loader for (it loads `file`, `http` and `https` URLs).
fn unloadable_meta_schema(schema: &J) -> Option<String> {
    let url = schema.get("$schema")?.as_str()?;
    if url.starts_with("urn:") || draft_url(url) {
        return None;
    }
    let scheme = url
        .split_once(':')
        .map_or("", |(s, _)| s)
        .to_ascii_lowercase();
    if matches!(scheme.as_str(), "file" | "http" | "https") {
        return None;
    }
    // The validator loads the document the URL names, without its fragment.
    let document = url.split_once('#').map_or(url, |(d, _)| d);
    let u = gotmpl::strconv::quote(document);
    Some(format!(
        "failing loading {u}: no URLLoader registered for {u}"
    ))
}

/// Whether helm's validator reads `url` as one of the drafts it embeds.
fn draft_url(url: &str) -> bool {
    let Some(u) = url
        .strip_suffix('#')
        .or(Some(url))
        .filter(|u| !u.contains('#'))
    else {
        return false;
    };
    let u = u
        .strip_prefix("http://")
        .or_else(|| u.strip_prefix("https://"))
        .unwrap_or(u);
    matches!(
        u,
        "json-schema.org/schema"
            | "json-schema.org/draft/2020-12/schema"
            | "json-schema.org/draft/2019-09/schema"
            | "json-schema.org/draft-07/schema"
            | "json-schema.org/draft-06/schema"
            | "json-schema.org/draft-04/schema"
    )
}

/// The meta-schema helm's validator checks a (normalised) schema against.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Meta {
    D4,
    D6,
    D7,
    D2019,
    D2020,
}

impl Meta {
    fn of(schema: &J) -> Meta {
        match schema.get("$schema").and_then(J::as_str).unwrap_or("") {
            s if s.contains("draft-04") => Meta::D4,
            s if s.contains("draft-06") => Meta::D6,
            s if s.contains("draft-07") => Meta::D7,
            s if s.contains("2019-09") => Meta::D2019,
            _ => Meta::D2020,
        }
    }

    fn url(self) -> &'static str {
        match self {
            Meta::D4 => "http://json-schema.org/draft-04/schema#",
            Meta::D6 => "http://json-schema.org/draft-06/schema#",
            Meta::D7 => "http://json-schema.org/draft-07/schema#",
            Meta::D2019 => "https://json-schema.org/draft/2019-09/schema#",
            Meta::D2020 => "https://json-schema.org/draft/2020-12/schema#",
        }
    }
}

/// helm's message for a pattern Go's `regexp` rejects that the
/// meta-schema lets through (a `patternProperties` key in drafts 4 and 6,
/// whose meta-schemas do not check those keys): the compiler's error.
fn bad_pattern(bad: &re2::BadPattern) -> String {
    let at = format!(
        "file:///values.schema.json#{}",
        report::encode_fragment(&bad.at)
    );
    format!(
        "invalid regex {} at {}: {}",
        gotmpl::strconv::quote(&bad.pattern),
        gotmpl::strconv::quote(&at),
        bad.error
    )
}

/// helm's log line for a schema whose `$schema` is a URN: its validator
/// cannot resolve one, warns and ignores it.
pub fn urn_warning(schema: &[u8]) -> Option<String> {
    // Spare the parse for the usual schema, where no `"$schema"` key has a
    // value starting with `urn:`.
    let is_space = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
    let urn_value = |at: usize| {
        let rest = &schema[at + b"\"$schema\"".len()..];
        let rest = &rest[rest.iter().take_while(|b| is_space(b)).count()..];
        let Some(rest) = rest.strip_prefix(b":") else {
            return false;
        };
        let rest = &rest[rest.iter().take_while(|b| is_space(b)).count()..];
        rest.starts_with(b"\"urn:")
    };
    if !memchr::memmem::find_iter(schema, b"\"$schema\"").any(urn_value) {
        return None;
    }
    let J::Object(o) = serde_json::from_slice::<J>(schema).ok()? else {
        return None;
    };
    let url = o.get("$schema")?.as_str()?;
    url.starts_with("urn:").then(|| {
        crate::action::slog_line(
            "WARN",
            "unresolved URN reference ignored; using permissive schema",
            &[("urn", url)],
        )
    })
}

impl Prepared {
    /// [`urn_warning`]s of the schemas to check, in validation order.
    pub fn urn_warnings(&self) -> Vec<String> {
        self.steps
            .iter()
            .filter_map(|step| match step {
                Step::Check { schema, .. } => urn_warning(schema),
                Step::Text(_) => None,
            })
            .collect()
    }
}

/// `ValidateAgainstSingleSchema`: `Err` is the text after the chart line.
fn validate_single(inst: &J, compiled: &Compiled) -> Result<(), String> {
    let (validator, patterns) = match &**compiled {
        Ok(s) => (&s.validator, &s.patterns),
        Err(e) => return Err(e.clone()),
    };
    if let Ok(s) = &**compiled {
        if s.walk_first {
            if let Some(report) = report::values_report(&s.bytes, s.meta, inst) {
                return Err(report);
            }
        }
    }
    // Valid values are the common case, and cheaper to confirm than to
    // collect errors for.
    if validator.is_valid(inst) {
        return Ok(());
    }
    if let Ok(s) = &**compiled {
        if let Some(report) = report::values_report(&s.bytes, s.meta, inst) {
            return Err(report);
        }
    }
    let mut errors: Vec<String> = Vec::new();
    let mut missing: Vec<(String, Vec<String>)> = Vec::new();
    for e in validator.iter_errors(inst) {
        let at = pointer(e.instance_path().as_str());
        if let jsonschema::error::ValidationErrorKind::Required { property } = e.kind() {
            // v6 reports every missing property of one object in one error.
            let p = property.as_str().unwrap_or("").to_string();
            if let Some((_, list)) = missing.iter_mut().find(|(a, _)| *a == at) {
                list.push(p);
                continue;
            }
            missing.push((at.clone(), vec![p]));
            errors.push(format!("\u{0}{at}"));
            continue;
        }
        errors.push(format!("- at {at}: {}", message(&e, patterns)));
    }
    for line in errors.iter_mut() {
        if let Some(at) = line.strip_prefix('\u{0}') {
            let list = &missing.iter().find(|(a, _)| a == at).expect("recorded").1;
            let text = if list.len() == 1 {
                format!("missing property {}", q(&list[0]))
            } else {
                let qs: Vec<String> = list.iter().map(|s| q(s)).collect();
                format!("missing properties {}", qs.join(", "))
            };
            *line = format!("- at {at}: {text}");
        }
    }
    if errors.is_empty() {
        return Ok(());
    }
    Err(format!("{}\n", errors.join("\n")))
}

/// For fuzzing: whether the interpreter's answer for `values` against
/// `schema` (if it gives one) is the compiled validator's. `false` is a bug.
#[doc(hidden)]
pub fn interpreter_agrees(schema: &[u8], values: &Value) -> bool {
    let entry = Entry::new(&Arc::from(schema), Sources::default());
    let Some(q) = entry.quick() else {
        return true;
    };
    let inst = to_json_value(values);
    let answer = q.check(&inst);
    if answer == quick::T::Unknown {
        return true;
    }
    match &**entry.compiled() {
        Ok(s) => s.validator.is_valid(&inst) == (answer == quick::T::Yes),
        // The interpreter must decline a schema that does not compile.
        Err(_) => false,
    }
}

/// One failure of a chart's schema, located by JSON pointer (what
/// [`violations`] returns for tools that point at the offending value).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// The chart whose schema failed (helm's `chart:` line).
    pub chart: String,
    /// Where that chart's values sit in the top-level values (`""` for the
    /// top chart, `/postgresql` for a sub-chart).
    pub prefix: String,
    /// Where in that chart's values (helm's `at '…'`).
    pub pointer: String,
    /// helm's text after `at '…': `.
    pub message: String,
    /// For `additionalProperties`: the keys not allowed in the object at `pointer`.
    pub unexpected: Vec<String>,
    /// For `required`: the properties missing from the object at `pointer`.
    pub missing: Vec<String>,
}

/// The same checks as [`validate`], one [`Violation`] per line of helm's
/// message. `Err` only when a schema itself is unusable.
pub fn violations(chart: &Chart, coalesced: &Value) -> Result<Vec<Violation>, SchemaError> {
    violations_prepared(chart, coalesced, &[])
}

/// [`violations`], the interpreter of a schema prepared ahead of time from
/// the same text ([`precompile`]) starting from that preparation.
pub fn violations_prepared(
    chart: &Chart,
    coalesced: &Value,
    prepared: PrecompiledSchemas,
) -> Result<Vec<Violation>, SchemaError> {
    let map = coalesced.as_map().map(|m| (*m).clone()).unwrap_or_default();
    let mut out = Vec::new();
    chart_violations(chart, &map, "", prepared, &mut out)?;
    Ok(out)
}

fn chart_violations(
    chart: &Chart,
    values: &gotmpl::MapEntries,
    prefix: &str,
    prepared: PrecompiledSchemas,
    out: &mut Vec<Violation>,
) -> Result<(), SchemaError> {
    if let Some(schema) = &chart.schema {
        let inst = to_json_value(&Value::map(values.clone()));
        // Values the interpreter vouches for have no violations to list: the
        // compiled validator, which costs many times the interpreter to build
        // and to free for a large schema, is built only when it does not.
        if !Entry::new(
            schema,
            Sources {
                precompiled: prepared,
                store: None,
            },
        )
        .surely_valid(&inst)
        {
            let compiled =
                compile(schema).map_err(|e| SchemaError(format!("{}: {e}", chart.name())))?;
            let (validator, patterns) = (&compiled.validator, &compiled.patterns);
            let first = out.len();
            for e in validator.iter_errors(&inst) {
                use jsonschema::error::ValidationErrorKind as K;
                let pointer = e.instance_path().as_str().to_string();
                let mut v = Violation {
                    chart: chart.name().to_string(),
                    prefix: prefix.to_string(),
                    pointer,
                    message: message(&e, patterns),
                    unexpected: Vec::new(),
                    missing: Vec::new(),
                };
                match e.kind() {
                    K::Required { property } => {
                        let p = property.as_str().unwrap_or("").to_string();
                        // v6 reports every missing property of one object in one error.
                        if let Some(prev) = out[first..]
                            .iter_mut()
                            .find(|x| !x.missing.is_empty() && x.pointer == v.pointer)
                        {
                            prev.missing.push(p);
                            let qs: Vec<String> = prev.missing.iter().map(|s| q(s)).collect();
                            prev.message = format!("missing properties {}", qs.join(", "));
                            continue;
                        }
                        v.missing.push(p);
                    }
                    K::AdditionalProperties { unexpected } => v.unexpected = unexpected.clone(),
                    _ => {}
                }
                out.push(v);
            }
        }
    }
    for sub in &chart.dependencies {
        let sub_prefix = format!("{prefix}/{}", escape_pointer(sub.name()));
        match values.get(sub.name()) {
            None | Some(Value::Nil) | Some(Value::Invalid) => {}
            Some(Value::Map(m)) => chart_violations(sub, &m.entries(), &sub_prefix, prepared, out)?,
            Some(other) => out.push(Violation {
                chart: sub.name().to_string(),
                prefix: sub_prefix,
                pointer: String::new(),
                message: format!(
                    "invalid type for values: expected object (map), got {}",
                    other.type_name()
                ),
                unexpected: Vec::new(),
                missing: Vec::new(),
            }),
        }
    }
    Ok(())
}

/// RFC 6901 escaping of one pointer segment.
fn escape_pointer(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn schemas_are_kept_from_their_second_use() {
        let cache = SchemaCache::new();
        let schema: Arc<[u8]> = Arc::from(&br#"{"type":"object"}"#[..]);
        let (first, kept1) = cache.get(&schema);
        let (second, kept2) = cache.get(&schema);
        let (third, kept3) = cache.get(&schema);
        assert!(!Arc::ptr_eq(&first, &second));
        assert!(Arc::ptr_eq(&second, &third));
        assert_eq!((kept1, kept2, kept3), (false, true, true));
        assert!(first.quick().is_some());
        assert!(third.compiled().as_ref().is_ok());
    }

    /// The loaded chart's copy of a schema read ahead takes over the early
    /// entry, prepared once; another text does not.
    #[test]
    fn a_schema_read_ahead_is_taken_over_by_the_loaded_chart() {
        let dir = std::env::temp_dir().join(format!("chartgen-read-ahead-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let text = br#"{"properties": {"a": {"type": "string", "description": "d"}}}"#;
        std::fs::write(dir.join("values.schema.json"), text).unwrap();
        let cache = SchemaCache::new();
        let (read, ahead) = cache.read_ahead(&dir).unwrap();
        assert_eq!(&read[..], &text[..]);
        ahead.prepare();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(cache.read_ahead(&dir).is_none());

        let loaded: Arc<[u8]> = Arc::from(&text[..]);
        let other: Arc<[u8]> = Arc::from(&br#"{"type": "object"}"#[..]);
        let taken = cache.register_early(&loaded);
        let fresh = cache.register_early(&other);
        let ahead = ahead.0.unwrap();
        assert!(Arc::ptr_eq(&ahead, taken.0.as_ref().unwrap()));
        assert!(!Arc::ptr_eq(&ahead, fresh.0.as_ref().unwrap()));
        assert!(ahead.quick.get().is_some_and(Option::is_some));
        // It holds the chart's copy of the text, not one of its own.
        assert!(Arc::ptr_eq(&ahead.text(), &loaded));
        // The validation finds it under the loaded copy.
        let (used, _) = cache.get(&loaded);
        assert!(Arc::ptr_eq(&ahead, &used));
    }

    /// A `$schema` naming a draft in a URL helm cannot load fails in helm:
    /// the interpreter declines it for the compiled path to report (found
    /// by the `schema_interp` fuzz target, with a non-ASCII, scheme-less
    /// URL).
    #[test]
    fn unloadable_draft_urls_are_left_to_the_compiled_path() {
        let values = chartgen_yaml::parse_values(b"a: x").unwrap();
        for url in [
            "ftp://json-schema.org/draft-07/schema#",
            "//json-schema.org/draft-07/schema#",
            "hjson-schema\u{350}rg/draft-07/schema#",
        ] {
            let schema = format!(r#"{{"$schema": "{url}", "properties": {{"a": {{}}}}}}"#);
            assert!(interpreter(schema.as_bytes()).is_none(), "{url}");
            assert!(interpreter_agrees(schema.as_bytes(), &values), "{url}");
        }
    }

    /// `parse_schema` skips Go's syntax check when serde_json accepts the
    /// text: that is only sound if serde_json accepts nothing Go rejects.
    #[test]
    fn serde_json_is_stricter_than_go() {
        let go_ok = |b: &[u8]| check_schema_json(b).is_ok();
        let serde_ok = |b: &[u8]| serde_json::from_slice::<J>(b).is_ok();
        // Accepted by Go only.
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        for b in [
            &b"{\"a\":\"\xff\"}"[..],
            br#"["\ud800"]"#,
            br#"["\udc00x"]"#,
            deep.as_bytes(),
            b"1e400",
            b"-1e400",
        ] {
            assert!(go_ok(b) && !serde_ok(b), "{}", String::from_utf8_lossy(b));
        }
        // Rejected by both.
        for b in [
            &b"\xef\xbb\xbf{}"[..],
            b"",
            b" ",
            b"{} x",
            b"{}{}",
            b"01",
            b"1.",
            b".5",
            b"-",
            b"+1",
            b"1e",
            b"1e+",
            b"NaN",
            b"Infinity",
            b"[1,]",
            b"{\"a\":1,}",
            b"{a:1}",
            b"{'a':1}",
            b"\"\x01\"",
            b"\"\\x\"",
            b"\"\\u12\"",
            b"tru",
            b"nul",
            b"[1 2]",
            b"\x0c{}",
            b"{}\x0b",
            b"/**/{}",
        ] {
            assert!(!go_ok(b) && !serde_ok(b), "{}", String::from_utf8_lossy(b));
        }
        // Accepted by both.
        for b in [
            &b" \t\r\n{\"a\":[1,-0,0.5e-3,1E+2,true,false,null,\"\\u00e9\\/\x7f\"]} \n"[..],
            br#"{"a":1,"a":2}"#,
            br#"["\ud83d\ude00"]"#,
            b"18446744073709551616",
        ] {
            assert!(go_ok(b) && serde_ok(b), "{}", String::from_utf8_lossy(b));
        }
        // Random near-JSON: whatever serde_json accepts, Go accepts.
        let atoms: [&[u8]; 34] = [
            b"{",
            b"}",
            b"[",
            b"]",
            b":",
            b",",
            b"\"",
            b"\\",
            b"\"a\"",
            b"\\u",
            b"d8",
            b"00",
            b"0",
            b"1",
            b"-",
            b"+",
            b".",
            b"e",
            b"E",
            b" ",
            b"\t",
            b"\n",
            b"\x0b",
            b"true",
            b"null",
            b"fals",
            b"\xc3\xa9",
            b"\xff",
            b"\x01",
            b"/",
            b"n",
            b"t",
            b"u",
            b"x",
        ];
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let (mut accepted, mut total) = (0, 0);
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let mut y = x;
            let mut b = Vec::new();
            for _ in 0..(x % 12) {
                b.extend_from_slice(atoms[(y % atoms.len() as u64) as usize]);
                y /= atoms.len() as u64;
                if y == 0 {
                    y = x.rotate_left(23) | 1;
                }
            }
            total += 1;
            if serde_ok(&b) {
                accepted += 1;
                assert!(go_ok(&b), "{}", String::from_utf8_lossy(&b));
            }
        }
        // The generator must reach accepted texts for the check to mean anything.
        assert!(accepted > total / 100, "{accepted} of {total}");
    }

    /// helm fetches a web resource a `$ref` names; chartgen says it does not,
    /// in the shape of helm's error.
    #[test]
    fn web_refs_are_not_fetched() {
        let e = |b: &[u8]| compile(&Arc::from(b)).err().unwrap_or_default();
        assert_eq!(
            e(br#"{"properties": {"a": {"$ref": "https://example.com/d.json#/x"}}}"#),
            "failing loading \"https://example.com/d.json\": HTTP request failed for \
             https://example.com/d.json: chartgen renders offline and does not fetch schemas"
        );
    }

    /// A schema that is not JSON keeps helm's message, whichever parser
    /// notices first.
    #[test]
    fn schema_syntax_errors_are_gos() {
        let e = |b: &[u8]| compile(&Arc::from(b)).err().unwrap_or_default();
        assert_eq!(e(b""), "EOF");
        assert_eq!(e(b"{\"a\":"), "unexpected EOF");
        assert_eq!(e(b"{} x"), "invalid character after top-level value");
        assert_eq!(
            e(b"{\"a\":01}"),
            "invalid character '1' after object key:value pair"
        );
        assert_eq!(
            e(b"\xef\xbb\xbf{}"),
            "invalid character '\u{ef}' looking for beginning of value"
        );
        // Go's scanner takes this; serde_json's message stands (as before).
        let lone = b"[\"\\ud800\"]";
        let serde = serde_json::from_slice::<J>(lone).unwrap_err().to_string();
        assert_eq!(e(lone), serde);
    }

    #[test]
    fn minimum_message() {
        let mut c = Chart::default();
        c.metadata.name = "c".into();
        c.schema = Some(Arc::from(
            &br#"{"properties":{"sc":{"properties":{"runAsUser":{"minimum":0}}}}}"#[..],
        ));
        let v = chartgen_yaml::parse_map(b"sc: {runAsUser: -1}").unwrap();
        assert_eq!(
            validate(&c, &v).unwrap_err().0,
            "values don't meet the specifications of the schema(s) in the following chart(s):\nc:\n- at '/sc/runAsUser': minimum: got -1, want 0\n"
        );
        let ok = chartgen_yaml::parse_map(b"sc: {runAsUser: 1}").unwrap();
        assert!(validate(&c, &ok).is_ok());
    }

    #[test]
    fn violations_are_helms_lines_with_pointers() {
        let mut sub = Chart::default();
        sub.metadata.name = "db".into();
        sub.schema = Some(Arc::from(
            &br#"{"properties":{"size":{"type":"integer"}}}"#[..],
        ));
        let mut c = Chart::default();
        c.metadata.name = "c".into();
        c.schema = Some(Arc::from(
            &br#"{"required":["a","b"],"additionalProperties":false,"properties":{"db":{},"x":{}}}"#[..],
        ));
        c.dependencies.push(sub);
        let v = chartgen_yaml::parse_map(
            b"x: 1
zz: 2
db: {size: big}",
        )
        .unwrap();
        let got = violations(&c, &v).unwrap();
        let text: Vec<(String, String, String)> = got
            .iter()
            .map(|v| (v.prefix.clone(), v.pointer.clone(), v.message.clone()))
            .collect();
        assert_eq!(
            text,
            [
                ("".into(), "".into(), "missing properties 'a', 'b'".into()),
                (
                    "".into(),
                    "".into(),
                    "additional properties 'zz' not allowed".into()
                ),
                (
                    "/db".into(),
                    "/size".into(),
                    "got string, want integer".into()
                ),
            ]
        );
        assert_eq!(got[0].missing, ["a", "b"]);
        assert_eq!(got[1].unexpected, ["zz"]);
        // The same failures as helm's message.
        let e = validate(&c, &v).unwrap_err().0;
        for v in &got {
            assert!(
                e.contains(&format!("- at '{}': {}", v.pointer, v.message)),
                "{e}"
            );
        }
    }
}
