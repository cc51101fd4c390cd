//! A set of named templates sharing one function map, like Go's `*template.Template`
//! with its associated templates.

use std::any::Any;
use std::fmt;

use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

use crate::ast::Tree;
use crate::builtins;
use crate::exec::State;
use crate::func::{FuncError, FuncMap};
use crate::gostr::Output;
use crate::parse::{self, ParseError};
use crate::value::{Str, Value};

/// What a map lookup of a missing key yields (Go's `missingkey=` option).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MissingKey {
    /// `missingkey=default`/`invalid`: no value (prints `<no value>`).
    #[default]
    Invalid,
    /// `missingkey=zero`: the zero value of the map's element type.
    Zero,
    /// `missingkey=error`: execution stops with an error.
    Error,
}

/// Go's limit on nested `template` invocations.
pub const DEFAULT_MAX_EXEC_DEPTH: usize = 100_000;

/// Named templates plus the functions they may call.
#[derive(Clone)]
pub struct TemplateSet {
    name: Str,
    /// Templates shared with clones (frozen); a clone adds to `local` only,
    /// so helm's `tpl`, which clones the set per call, stays cheap.
    base: Arc<HashMap<Str, Arc<Tree>>>,
    local: HashMap<Str, Arc<Tree>>,
    funcs: Arc<FuncMap>,
    missing_key: MissingKey,
    max_depth: usize,
    step_limit: Option<u64>,
    output_limit: Option<usize>,
    value_limits: Option<ValueLimits>,
    map_methods: Option<MapMethods>,
}

/// The methods of named map types (helm's `common.Values`): given a map of a
/// named type and a method name, that method bound to the map, if the type
/// has it. text/template looks a method up before a map key, so
/// `.Values.AsMap` calls the method even when the map has an `AsMap` key.
pub type MapMethods =
    Arc<dyn Fn(&Arc<crate::value::Map>, &str) -> Option<crate::func::Function> + Send + Sync>;

/// Bounds on the values function calls take and return: the total string
/// bytes and list items of a call's arguments, and the size of its result.
/// Go has none; they stop templates that double a string or list in a loop
/// from exhausting memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ValueLimits {
    pub max_string_bytes: usize,
    pub max_list_items: usize,
}

impl fmt::Debug for TemplateSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut names: Vec<&str> = self.template_names().collect();
        names.sort_unstable();
        f.debug_struct("TemplateSet")
            .field("name", &self.name)
            .field("templates", &names)
            .field("missing_key", &self.missing_key)
            .finish_non_exhaustive()
    }
}

impl TemplateSet {
    /// An empty set. `name` is the root template's name, used in Go's
    /// "no template %q associated with template %q" error.
    pub fn new(name: &str, funcs: impl Into<Arc<FuncMap>>) -> TemplateSet {
        TemplateSet {
            name: name.into(),
            base: Arc::new(HashMap::default()),
            local: HashMap::default(),
            funcs: funcs.into(),
            missing_key: MissingKey::Invalid,
            max_depth: DEFAULT_MAX_EXEC_DEPTH,
            step_limit: None,
            output_limit: None,
            value_limits: None,
            map_methods: None,
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Renames the root (Go's `t.New(name)` on a clone, as helm's `tpl` does).
    pub fn set_name(&mut self, name: &str) {
        self.name = name.into();
    }

    pub fn set_missing_key(&mut self, mk: MissingKey) {
        self.missing_key = mk;
    }

    pub fn missing_key(&self) -> MissingKey {
        self.missing_key
    }

    /// Limit on nested `{{template}}` calls (Go: 100000).
    pub fn set_max_depth(&mut self, depth: usize) {
        self.max_depth = depth;
    }

    pub fn max_depth(&self) -> usize {
        self.max_depth
    }

    /// Bounds the work one execution may do (nodes walked plus commands
    /// evaluated), for untrusted templates; Go has no such limit.
    pub fn set_step_limit(&mut self, limit: Option<u64>) {
        self.step_limit = limit;
    }

    pub fn step_limit(&self) -> Option<u64> {
        self.step_limit
    }

    /// Bounds the bytes one execution may write (Go has no such limit).
    pub fn set_output_limit(&mut self, limit: Option<usize>) {
        self.output_limit = limit;
    }

    pub fn output_limit(&self) -> Option<usize> {
        self.output_limit
    }

    /// Bounds the values function calls take and return (see [`ValueLimits`]).
    pub fn set_value_limits(&mut self, limits: Option<ValueLimits>) {
        self.value_limits = limits;
    }

    pub fn value_limits(&self) -> Option<ValueLimits> {
        self.value_limits
    }

    /// Gives named map types their methods (see [`MapMethods`]).
    pub fn set_map_methods(&mut self, methods: Option<MapMethods>) {
        self.map_methods = methods;
    }

    /// The method `name` of `map`'s named type, if it has one.
    pub fn map_method(
        &self,
        map: &Arc<crate::value::Map>,
        name: &str,
    ) -> Option<crate::func::Function> {
        let methods = self.map_methods.as_ref()?;
        match &map.ty {
            crate::value::Type::Map { name: Some(_), .. } => methods(map, name),
            _ => None,
        }
    }

    pub fn funcs(&self) -> &FuncMap {
        &self.funcs
    }

    /// Replaces or adds functions (Go's `t.Funcs`).
    pub fn add_funcs(&mut self, funcs: &FuncMap) {
        Arc::make_mut(&mut self.funcs).extend(funcs);
    }

    /// Whether a function of that name exists, builtins included.
    pub fn has_function(&self, name: &str) -> bool {
        self.funcs.contains(name) || builtins::is_builtin(name)
    }

    /// Parses `text` as the template `name` (Go's `t.New(name).Parse(text)`),
    /// adding it and every `define` it contains to the set. A template whose
    /// body is empty never replaces an existing non-empty one.
    pub fn parse(&mut self, name: &str, text: &str) -> Result<(), ParseError> {
        for tree in self.parse_trees(name, text)? {
            self.add_tree(tree);
        }
        Ok(())
    }

    /// Parses without adding: the top-level tree first, then each definition.
    pub fn parse_trees(&self, name: &str, text: &str) -> Result<Vec<Tree>, ParseError> {
        let funcs = &self.funcs;
        let is_func = |f: &str| funcs.contains(f) || builtins::is_builtin(f);
        parse::parse(name, text, &is_func)
    }

    /// [`parse_trees`](Self::parse_trees) of a shared text, which the
    /// trees keep instead of a copy.
    pub fn parse_trees_shared(&self, name: &str, text: &Arc<str>) -> Result<Vec<Tree>, ParseError> {
        let funcs = &self.funcs;
        let is_func = |f: &str| funcs.contains(f) || builtins::is_builtin(f);
        parse::parse_shared(name, text, parse::ParseOptions::default(), &is_func)
    }

    /// [`crate::compiled::encode`] of the trees `name`'s text parsed into
    /// with this set's functions, for [`decode_trees_shared`](Self::decode_trees_shared).
    pub fn encode_trees<T: std::borrow::Borrow<Tree>>(
        &self,
        name: &str,
        trees: &[T],
    ) -> Option<Vec<u8>> {
        let funcs = &self.funcs;
        let is_func = |f: &str| funcs.contains(f) || builtins::is_builtin(f);
        crate::compiled::encode(trees, name, &is_func)
    }

    /// The trees [`crate::compiled::encode`] wrote for `name`'s `text`, if
    /// they are what [`parse_trees_shared`](Self::parse_trees_shared) would
    /// give with this set's functions (else `None`: parse instead).
    pub fn decode_trees_shared(
        &self,
        name: &str,
        text: &Arc<str>,
        encoded: impl Into<crate::compiled::Encoded>,
    ) -> Option<Vec<Tree>> {
        let funcs = &self.funcs;
        let is_func = |f: &str| funcs.contains(f) || builtins::is_builtin(f);
        crate::compiled::decode(encoded, name, text, &is_func)
    }

    /// Go's `AddParseTree` association rule.
    pub fn add_tree(&mut self, tree: Tree) {
        self.add_shared_tree(Arc::new(tree));
    }

    /// [`add_tree`](Self::add_tree) for a tree shared with other sets (for
    /// example a cache of parsed files).
    pub fn add_shared_tree(&mut self, tree: Arc<Tree>) {
        if let Some(old) = self.lookup(&tree.name) {
            if parse::is_empty_tree(&tree.root) && !parse::is_empty_tree(&old.root) {
                return;
            }
        }
        self.local.insert(tree.name.clone(), tree);
    }

    /// Moves the templates added so far into the part shared with clones.
    pub fn freeze(&mut self) {
        if self.local.is_empty() {
            return;
        }
        let base = Arc::make_mut(&mut self.base);
        base.extend(self.local.drain());
    }

    pub fn lookup(&self, name: &str) -> Option<&Arc<Tree>> {
        self.local.get(name).or_else(|| self.base.get(name))
    }

    pub fn template_names(&self) -> impl Iterator<Item = &str> {
        self.local
            .keys()
            .chain(self.base.keys().filter(|k| !self.local.contains_key(*k)))
            .map(|k| &**k)
    }

    /// Executes the named template with `data` as dot, appending to `out`
    /// (Go's `ExecuteTemplate`). On error, `out` holds what was written before it.
    /// Output bytes that are not UTF-8 appear as U+FFFD (see [`Self::execute_output_with`]).
    pub fn execute(&self, name: &str, data: &Value, out: &mut String) -> Result<(), ExecError> {
        self.execute_with(name, data, out, &mut ())
    }

    /// Like [`execute`](Self::execute), threading `ext` through to every
    /// function call ([`crate::Call::ext`]), including nested executions.
    pub fn execute_with(
        &self,
        name: &str,
        data: &Value,
        out: &mut String,
        ext: &mut dyn Any,
    ) -> Result<(), ExecError> {
        text_output(out, |o| self.execute_output_with(name, data, o, ext))
    }

    /// Like [`execute_with`](Self::execute_with), into Go's byte output.
    pub fn execute_output_with(
        &self,
        name: &str,
        data: &Value,
        out: &mut Output,
        ext: &mut dyn Any,
    ) -> Result<(), ExecError> {
        let Some(tree) = self.lookup(name) else {
            return Err(ExecError::plain(
                &self.name,
                format!(
                    "template: no template {} associated with template {}",
                    crate::strconv::quote(name),
                    crate::strconv::quote(&self.name)
                ),
            ));
        };
        State::new(self, tree, out, ext).run(data)
    }

    /// Executes a tree directly (it need not be in the set; templates it
    /// invokes are looked up in the set), like executing a `*Template` in Go.
    pub fn execute_tree_with(
        &self,
        tree: &Tree,
        data: &Value,
        out: &mut String,
        ext: &mut dyn Any,
    ) -> Result<(), ExecError> {
        text_output(out, |o| self.execute_tree_output_with(tree, data, o, ext))
    }

    /// Like [`execute_tree_with`](Self::execute_tree_with), into Go's byte output.
    pub fn execute_tree_output_with(
        &self,
        tree: &Tree,
        data: &Value,
        out: &mut Output,
        ext: &mut dyn Any,
    ) -> Result<(), ExecError> {
        State::new(self, tree, out, ext).run(data)
    }

    /// Executes into a new string.
    pub fn render(&self, name: &str, data: &Value) -> Result<String, ExecError> {
        let mut out = String::new();
        self.execute(name, data, &mut out)?;
        Ok(out)
    }
}

/// Runs `f` on an [`Output`] that continues `out`, then puts the text back
/// (bytes that are not UTF-8 as U+FFFD, one per byte).
fn text_output<T>(out: &mut String, f: impl FnOnce(&mut Output) -> T) -> T {
    let mut o = Output::from(std::mem::take(out));
    let r = f(&mut o);
    *out = match o.into_result() {
        Ok(s) => s,
        Err(b) => crate::gostr::lossy(&b).into_owned(),
    };
    r
}

/// An execution error, phrased exactly as Go phrases it
/// (`template: NAME:LINE:COL: executing "NAME" at <NODE>: MSG`).
///
/// When a function failed, its error is kept as [`std::error::Error::source`],
/// so callers can walk the chain the way Go's `errors.Unwrap` does.
#[derive(Debug)]
pub struct ExecError {
    /// Name of the template that was executing.
    pub name: Str,
    /// Go's full error text.
    pub message: String,
    /// The error a function returned, if this is an `error calling X` error.
    pub source: Option<FuncError>,
}

impl ExecError {
    pub(crate) fn plain(name: &str, message: String) -> ExecError {
        ExecError {
            name: name.into(),
            message,
            source: None,
        }
    }
}

impl fmt::Display for ExecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ExecError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// Either kind of template error.
#[derive(Debug)]
pub enum Error {
    Parse(ParseError),
    Exec(ExecError),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Parse(e) => e.fmt(f),
            Error::Exec(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Parse(_) => None,
            Error::Exec(e) => e.source(),
        }
    }
}

impl From<ParseError> for Error {
    fn from(e: ParseError) -> Error {
        Error::Parse(e)
    }
}

impl From<ExecError> for Error {
    fn from(e: ExecError) -> Error {
        Error::Exec(e)
    }
}
