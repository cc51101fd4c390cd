//! Helm's own template functions (`pkg/engine/funcs.go` and the late-bound
//! ones in `engine.go`): `include`, `tpl`, `required`, `fail`, `lookup`, the
//! YAML/JSON/TOML family, and `getHostByName` as helm disables it.

use std::sync::{Arc, LazyLock};

use gotmpl::{Call, FuncError, FuncMap, Function, MapEntries, MissingKey, Str, Type, Value};
use rustc_hash::FxHashMap;

use crate::errors::warn_wrap;

/// Helm stops `include` recursion after this many nested uses of one name.
pub const INCLUDE_RECURSION_MAX: usize = 1000;

/// chartgen stops `tpl` nesting here; helm has no limit (a self-referencing
/// `tpl` overflows its goroutine stack after minutes).
pub const TPL_NESTING_MAX: usize = 1000;

/// Per-render state threaded through every execution (Go closes over it).
#[derive(Default, Debug)]
pub struct RenderState {
    /// How often each template is currently being included (helm's `includedNames`).
    included: FxHashMap<Str, usize>,
    /// How many `tpl` calls are under way (see [`TPL_NESTING_MAX`]).
    tpl_depth: usize,
    /// Lint mode: `required` and `fail` do not fail.
    pub lint_mode: bool,
    /// The render's randomness and clock (sprig's random and date functions).
    pub sprig: chartgen_sprig::Context,
    /// Parsed `tpl` texts, shared by the renders of one loaded chart.
    pub tpl_cache: Option<Arc<TplCache>>,
    /// Output buffers of finished `include`s, reused so that a nested
    /// include does not grow a fresh buffer from nothing each time.
    spare_buffers: Vec<String>,
    /// Results of includes, reused within the render.
    pub(crate) memo: crate::memo::IncludeMemo,
}

/// The trees a `tpl` text parses into, by root template name and text.
/// Parsing depends on nothing else (the function names a chart's templates
/// may call are the same in every render), and charts call `tpl` on the same
/// few values over and over, within a render and across renders.
#[derive(Debug, Default)]
pub struct TplCache {
    by_root: std::sync::Mutex<FxHashMap<Str, FxHashMap<Str, TplTrees>>>,
    entries: std::sync::atomic::AtomicUsize,
}

type TplTrees = Arc<[Arc<gotmpl::ast::Tree>]>;

impl TplCache {
    /// Beyond this many distinct texts the cache starts over, so that a
    /// long-lived process rendering endless generated values stays bounded.
    const MAX_ENTRIES: usize = 4096;

    fn get(&self, root: &str, text: &str) -> Option<TplTrees> {
        let map = self.by_root.lock().unwrap_or_else(|e| e.into_inner());
        map.get(root)?.get(text).cloned()
    }

    fn insert(&self, root: &str, text: &str, trees: TplTrees) {
        use std::sync::atomic::Ordering::Relaxed;
        let mut map = self.by_root.lock().unwrap_or_else(|e| e.into_inner());
        if self.entries.load(Relaxed) >= Self::MAX_ENTRIES {
            map.clear();
            self.entries.store(0, Relaxed);
        }
        let texts = match map.get_mut(root) {
            Some(t) => t,
            None => map.entry(Str::from(root)).or_default(),
        };
        if texts.insert(Str::from(text), trees).is_none() {
            self.entries.fetch_add(1, Relaxed);
        }
    }
}

impl RenderState {
    pub fn new(lint_mode: bool) -> RenderState {
        RenderState {
            included: FxHashMap::default(),
            tpl_depth: 0,
            lint_mode,
            sprig: chartgen_sprig::Context::default(),
            tpl_cache: None,
            spare_buffers: Vec::new(),
            memo: Default::default(),
        }
    }

    /// A render whose random and clock functions follow `d`.
    pub fn with_determinism(mut self, d: &chartgen_sprig::Determinism) -> RenderState {
        self.sprig = chartgen_sprig::Context::new(d);
        self
    }
}

/// Where sprig's functions find the render's context: in [`RenderState`].
fn sprig_context(ext: &mut dyn std::any::Any) -> Option<&mut chartgen_sprig::Context> {
    ext.downcast_mut::<RenderState>().map(|s| &mut s.sprig)
}

/// A plain error with Go's text.
#[derive(Debug)]
pub struct GoError(pub String);

impl std::fmt::Display for GoError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for GoError {}

/// An error that wraps another, as Go's `fmt.Errorf("…: %w", err)` does.
#[derive(Debug)]
pub struct WrapError {
    pub message: String,
    pub source: FuncError,
}

impl std::fmt::Display for WrapError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for WrapError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}

fn go_err(msg: impl Into<String>) -> FuncError {
    Box::new(GoError(msg.into()))
}

fn str_arg(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

/// The decoders [`parse_remembered`] keeps results of.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Parsed {
    Yaml,
    Json,
}

/// `fromYaml`/`fromJson` of `text`. Charts decode the output of the same
/// `include` in file after file (merged values, filtered maps): the last few
/// long texts' results are kept, and a repeat gets a deep copy (each call
/// must return maps of its own, which the template may change). A reused
/// include result is the very same string; a recomputed one is compared.
fn parse_remembered(text: &Value, kind: Parsed, parse: fn(&[u8]) -> Value) -> Value {
    const REMEMBERED: usize = 8;
    const LONG: usize = 256;
    thread_local! {
        static RECENT: std::cell::RefCell<std::collections::VecDeque<(Str, Parsed, Value)>> =
            const { std::cell::RefCell::new(std::collections::VecDeque::new()) };
    }
    let Value::String(s) = text else {
        return parse(bytes_arg(text));
    };
    if s.len() < LONG {
        return parse(s.as_bytes());
    }
    let known = RECENT.with(|recent| {
        recent
            .borrow()
            .iter()
            .find(|(t, k, _)| *k == kind && t.len() == s.len() && (Arc::ptr_eq(t, s) || t == s))
            .map(|(_, _, v)| chartgen_sprig::util::deep_copy(v))
    });
    if let Some(v) = known {
        return v;
    }
    let v = parse(s.as_bytes());
    let kept = chartgen_sprig::util::deep_copy(&v);
    RECENT.with(|recent| {
        let mut recent = recent.borrow_mut();
        if recent.len() == REMEMBERED {
            recent.pop_front();
        }
        // Holding the string keeps its address from being reused.
        recent.push_back((s.clone(), kind, kept));
    });
    v
}

fn bytes_arg(v: &Value) -> &[u8] {
    v.as_bytes().unwrap_or_default()
}

fn state<'c>(call: &'c mut Call<'_>) -> Option<&'c mut RenderState> {
    call.ext().downcast_mut::<RenderState>()
}

fn include(call: &mut Call<'_>, args: &[Value]) -> Result<Value, FuncError> {
    let name: Str = match &args[0] {
        Value::String(s) => s.clone(),
        Value::Bytes(b) => b.runes().into(),
        _ => Str::from(""),
    };
    let set = call.set();
    let mut pending = None;
    if let Some(st) = state(call) {
        match st.memo.lookup(set, &name, &args[1], st.tpl_depth) {
            crate::memo::Lookup::Hit(value) => return Ok(value),
            crate::memo::Lookup::Miss(p) => pending = Some(p),
            crate::memo::Lookup::Off => {}
        }
    }
    let result = include_uncached(call, name, &args[1]);
    if let Some(st) = state(call) {
        if let Some(p) = pending {
            st.memo.finish(*p, result.as_ref().ok());
        }
    }
    result
}

fn include_uncached(call: &mut Call<'_>, name: Str, dot: &Value) -> Result<Value, FuncError> {
    if let Some(st) = state(call) {
        let n = match st.included.get_mut(&name) {
            Some(n) => n,
            None => st.included.entry(name.clone()).or_insert(0),
        };
        if *n > INCLUDE_RECURSION_MAX {
            return Err(Box::new(WrapError {
                message: format!(
                    "rendering template has a nested reference name: {name}: unable to execute template"
                ),
                source: go_err("unable to execute template"),
            }));
        }
        *n += 1;
        st.memo.descend();
    }
    let set = call.set();
    let buffer = state(call)
        .and_then(|st| st.spare_buffers.pop())
        .unwrap_or_default();
    let mut out = gotmpl::gostr::Output::from(buffer);
    let result = set.execute_output_with(&name, dot, &mut out, call.ext());
    let value = out.take_value();
    if let Some(st) = state(call) {
        st.memo.ascend();
        if let Some(n) = st.included.get_mut(&*name) {
            *n = n.saturating_sub(1);
        }
        // Keep a few moderately sized buffers; drop huge ones.
        let buffer = out.into_buffer();
        if buffer.capacity() <= 1 << 20 && st.spare_buffers.len() < 64 {
            st.spare_buffers.push(buffer);
        }
    }
    result.map_err(|e| Box::new(e) as FuncError)?;
    Ok(value)
}

fn tpl(call: &mut Call<'_>, args: &[Value]) -> Result<Value, FuncError> {
    if let Some(st) = state(call) {
        if st.tpl_depth >= TPL_NESTING_MAX {
            return Err(go_err(format!(
                "nested tpl calls exceed chartgen's limit of {TPL_NESTING_MAX}"
            )));
        }
        st.tpl_depth += 1;
        st.memo.note_tpl_depth(st.tpl_depth);
    }
    let result = tpl_inner(call, args);
    if let Some(st) = state(call) {
        st.tpl_depth -= 1;
    }
    result
}

fn tpl_inner(call: &mut Call<'_>, args: &[Value]) -> Result<Value, FuncError> {
    // Template text is bytes: invalid ones are marked for the parser.
    let marked = gotmpl::gostr::marked(bytes_arg(&args[0]));
    let text: &str = &marked;
    let parent = call.set();
    let mut set = parent.clone();
    // helm re-applies the engine's missingkey option to the clone.
    set.set_missing_key(parent.missing_key());
    let cache = state(call).and_then(|s| s.tpl_cache.clone());
    let root = parent.name();
    let trees = match cache.as_ref().and_then(|c| c.get(root, text)) {
        Some(trees) => trees,
        None => match set.parse_trees(root, text) {
            Ok(t) => {
                let trees: TplTrees = t.into_iter().map(Arc::new).collect();
                if let Some(c) = &cache {
                    c.insert(root, text, trees.clone());
                }
                trees
            }
            Err(e) => {
                return Err(Box::new(WrapError {
                    message: format!(
                        "cannot parse template {}: {e}",
                        gotmpl::strconv::quote(text)
                    ),
                    source: Box::new(e),
                }))
            }
        },
    };
    // Go executes the new template itself, even when an empty body left the
    // set's entry for the name unchanged.
    let main = trees[0].clone();
    for t in trees.iter() {
        set.add_shared_tree(t.clone());
    }
    let mut out = gotmpl::gostr::Output::new();
    if let Err(e) = set.execute_tree_output_with(&main, &args[1], &mut out, call.ext()) {
        return Err(Box::new(WrapError {
            message: format!(
                "error during tpl function execution for {}: {e}",
                gotmpl::strconv::quote(text)
            ),
            source: Box::new(e),
        }));
    }
    Ok(out.into_value_replacing("<no value>", ""))
}

/// helm's `strings.ReplaceAll(out, "<no value>", "")`, without a copy when
/// there is nothing to remove.
pub(crate) fn strip_no_value(out: String) -> String {
    if out.contains("<no value>") {
        out.replace("<no value>", "")
    } else {
        out
    }
}

fn required(call: &mut Call<'_>, args: &[Value]) -> Result<Value, FuncError> {
    let lint = state(call).is_some_and(|s| s.lint_mode);
    let missing = match &args[1] {
        Value::Nil | Value::Invalid => true,
        Value::String(s) => s.is_empty(),
        _ => false,
    };
    if missing {
        if lint {
            return Ok(Value::from(""));
        }
        return Err(go_err(warn_wrap(str_arg(&args[0]))));
    }
    Ok(args[1].clone())
}

fn fail(call: &mut Call<'_>, args: &[Value]) -> Result<Value, FuncError> {
    if state(call).is_some_and(|s| s.lint_mode) {
        return Ok(Value::from(""));
    }
    Err(go_err(warn_wrap(str_arg(&args[0]))))
}

fn yaml_err(e: chartgen_yaml::Error) -> FuncError {
    go_err(e.to_string())
}

fn helm_only() -> FuncMap {
    use Type::{Interface as Any, String as S};
    let mut m = FuncMap::new();
    m.insert("include", Function::new(vec![S, Any], include));
    m.insert("tpl", Function::new(vec![S, Any], tpl));
    m.insert("required", Function::new(vec![S, Any], required));
    m.insert("fail", Function::new(vec![S], fail));
    m.insert(
        "lookup",
        Function::new(vec![S, S, S, S], |_, _| Ok(Value::map(MapEntries::new()))),
    );
    m.insert(
        "getHostByName",
        Function::new(vec![S], |_, _| Ok(Value::from(""))),
    );
    m.insert(
        "toYaml",
        Function::new(vec![Any], |_, a| {
            Ok(Value::from(chartgen_yaml::to_yaml(&a[0])))
        }),
    );
    m.insert(
        "mustToYaml",
        Function::new(vec![Any], |_, a| {
            chartgen_yaml::must_to_yaml(&a[0])
                .map(Value::from)
                .map_err(yaml_err)
        }),
    );
    m.insert(
        "toYamlPretty",
        Function::new(vec![Any], |_, a| {
            Ok(Value::from(chartgen_yaml::to_yaml_pretty(&a[0])))
        }),
    );
    m.insert(
        "fromYaml",
        Function::new(vec![S], |_, a| {
            Ok(parse_remembered(&a[0], Parsed::Yaml, |b| {
                chartgen_yaml::from_yaml(b)
            }))
        }),
    );
    m.insert(
        "fromYamlArray",
        Function::new(vec![S], |_, a| {
            Ok(chartgen_yaml::from_yaml_array(bytes_arg(&a[0])))
        }),
    );
    m.insert(
        "toJson",
        Function::new(vec![Any], |_, a| {
            Ok(Value::from(chartgen_yaml::to_json(&a[0])))
        }),
    );
    m.insert(
        "mustToJson",
        Function::new(vec![Any], |_, a| {
            chartgen_yaml::must_to_json(&a[0])
                .map(Value::from)
                .map_err(yaml_err)
        }),
    );
    m.insert(
        "fromJson",
        Function::new(vec![S], |_, a| {
            Ok(parse_remembered(&a[0], Parsed::Json, |b| {
                chartgen_yaml::from_json(b)
            }))
        }),
    );
    m.insert(
        "fromJsonArray",
        Function::new(vec![S], |_, a| {
            Ok(chartgen_yaml::from_json_array(bytes_arg(&a[0])))
        }),
    );
    // sprig's own JSON family (helm keeps these from sprig); they share the
    // encoding/json port with helm's toJson.
    m.insert(
        "toPrettyJson",
        Function::new(vec![Any], |_, a| {
            Ok(Value::from(chartgen_yaml::to_pretty_json(&a[0])))
        }),
    );
    m.insert(
        "mustToPrettyJson",
        Function::new(vec![Any], |_, a| {
            chartgen_yaml::must_to_pretty_json(&a[0])
                .map(Value::from)
                .map_err(yaml_err)
        }),
    );
    for name in ["toRawJson", "mustToRawJson"] {
        // toRawJson panics on error; text/template reports the panic value
        // the same way as mustToRawJson's error.
        m.insert(
            name,
            Function::new(vec![Any], |_, a| {
                chartgen_yaml::must_to_raw_json(&a[0])
                    .map(Value::from)
                    .map_err(yaml_err)
            }),
        );
    }
    m.insert(
        "mustFromJson",
        Function::new(vec![S], |_, a| {
            let (v, err) = chartgen_yaml::json::unmarshal(
                str_arg(&a[0]).as_bytes(),
                chartgen_yaml::json::Target::Any,
            );
            match err {
                None => Ok(v),
                Some(e) => Err(go_err(e)),
            }
        }),
    );
    m.insert(
        "toToml",
        Function::new(vec![Any], |_, a| {
            // BurntSushi/toml's encoder panics on a nil interface (it asks
            // the zero reflect.Value for its type); text/template turns the
            // panic into the call's error.
            if matches!(a[0], Value::Nil | Value::Invalid) {
                return Err(go_err("reflect: call of reflect.Value.Type on zero Value"));
            }
            // Strings that are not UTF-8 come back marked (their bytes).
            Ok(gotmpl::gostr::unmarked(&chartgen_yaml::to_toml(&a[0])))
        }),
    );
    m.insert(
        "fromToml",
        Function::new(vec![S], |_, a| {
            // The decoder sees invalid bytes (marked), as BurntSushi does.
            Ok(chartgen_yaml::from_toml_with(
                &gotmpl::gostr::marked(bytes_arg(&a[0])),
                &chartgen_sprig::toml_datetime,
            ))
        }),
    );
    m
}

static FUNCS: LazyLock<Arc<FuncMap>> = LazyLock::new(|| {
    let mut m = chartgen_sprig::funcs_with(sprig_context);
    m.extend(&helm_only());
    Arc::new(m)
});

/// Every function helm registers: sprig (minus `env`/`expandenv`) plus helm's own.
pub fn funcs() -> Arc<FuncMap> {
    FUNCS.clone()
}

/// The engine option helm derives from `--strict`-like settings.
pub fn missing_key(strict: bool) -> MissingKey {
    if strict {
        MissingKey::Error
    } else {
        MissingKey::Zero
    }
}
