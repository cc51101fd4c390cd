//! Reuse of `include` results within one render.
//!
//! Charts include the same helpers with the same arguments over and over:
//! labels for every object of a component, and whole template files again
//! for every pod's checksum annotations. An include whose execution had no
//! effect beyond its output gives the same output for the same arguments, so
//! its first result is kept and returned again. What counts as "no effect"
//! is observed, not guessed ([`gotmpl::purity`]): the include wrote to no map
//! that existed before it began, drew no randomness and read no clock.
//!
//! Arguments are the same when:
//! * scalars are identical (same Go type and value);
//! * maps made before the render (`.Values`, `.Release`, …) are the same map.
//!   Any write to a map drops every result whose computation began after that
//!   map was made, as such a result may have read it;
//! * small maps made during the render (`dict "root" $ "name" "x"`) have the
//!   same keys and the same arguments under them;
//! * a file's top-level context (`$`) belongs to the same chart and holds
//!   nothing else (no template wrote into it). These differ only in
//!   `.Template`, and those only in `.Template.Name`: the `.Template` maps
//!   watch that key, and a result whose computation read it (or all of a
//!   `.Template`'s entries) is reused only with the same `.Template`. One
//!   that read only `.Template.BasePath` serves all the chart's files (the
//!   checksum annotations of `include (print .Template.BasePath "/cm.yaml")`).
//!
//! A result is reused only when running the include again could not have hit
//! the nesting limits of `include` and `tpl` either, and only for includes of
//! the render's own template set (a `tpl` text may redefine templates).

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use gotmpl::{MapEntries, Str, TemplateSet, Type, Value};
use rustc_hash::FxHashMap;

/// Maps with more entries are compared as the same map, not by content.
const DICT_ENTRIES_MAX: usize = 16;
/// How deep small maps are compared by content.
const DICT_DEPTH_MAX: u8 = 2;
/// Beyond this many results the memo starts over (memory stays bounded
/// whatever a chart does).
const ENTRIES_MAX: usize = 8192;

#[derive(Default)]
pub(crate) struct IncludeMemo {
    disabled: bool,
    /// The render's template set (its address); none: the memo is off.
    set: Option<usize>,
    /// Maps born at or after this generation were made by the render.
    made_by_render_from: u64,
    /// The top-level context of each file rendered so far, by map identity
    /// (holding the map keeps the identity unique), with its chart's scope.
    roots: FxHashMap<usize, (Value, Arc<Scope>)>,
    /// The distinct scopes, so that equal ones are usually one allocation.
    scopes: Vec<Arc<Scope>>,
    entries: FxHashMap<Key, Entry>,
    /// The latest start among `entries` (writes to maps made after it drop
    /// nothing).
    latest_start: u64,
    /// Includes under way, and the deepest nesting of includes and of `tpl`
    /// calls reached since the innermost observed include began.
    pub(crate) depth: usize,
    deepest: usize,
    pub(crate) deepest_tpl: usize,
    /// Results reused so far.
    pub(crate) hits: usize,
}

impl std::fmt::Debug for IncludeMemo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IncludeMemo")
            .field("on", &self.set.is_some())
            .field("entries", &self.entries.len())
            .finish_non_exhaustive()
    }
}

/// A chart's scope: a top-level context's entries but `.Template`.
#[derive(Debug)]
struct Scope(Vec<(Str, Value)>);

impl Scope {
    /// The `.Template` of a context whose other entries are this scope's
    /// (none if a template has written into the context).
    fn template_of(&self, context: &MapEntries) -> Option<Value> {
        if context.len() != self.0.len() + 1 {
            return None;
        }
        let mut others = context.iter().filter(|(k, _)| &***k != "Template");
        let same = self.0.iter().all(|(k1, v1)| {
            others
                .next()
                .is_some_and(|(k2, v2)| k1 == k2 && v1.is_identical(v2))
        });
        if same {
            context.get("Template").cloned()
        } else {
            None
        }
    }

    fn same(&self, other: &Scope) -> bool {
        self.0.len() == other.0.len()
            && self
                .0
                .iter()
                .zip(&other.0)
                .all(|((k1, v1), (k2, v2))| k1 == k2 && v1.is_identical(v2))
    }
}

struct Key {
    name: Str,
    dot: Atom,
}

enum Atom {
    /// Compared with [`Value::is_identical`].
    Same(Value),
    /// A small map made during the render, by content.
    Dict(Type, Box<[(Str, Atom)]>),
    /// A file's top-level context, by its chart's scope.
    Root(Arc<Scope>),
}

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        self.name == other.name && self.dot == other.dot
    }
}
impl Eq for Key {}

impl PartialEq for Atom {
    fn eq(&self, other: &Atom) -> bool {
        match (self, other) {
            (Atom::Same(a), Atom::Same(b)) => a.is_identical(b),
            (Atom::Dict(ta, a), Atom::Dict(tb, b)) => {
                ta == tb
                    && a.len() == b.len()
                    && a.iter()
                        .zip(b.iter())
                        .all(|((ka, va), (kb, vb))| ka == kb && va == vb)
            }
            (Atom::Root(a), Atom::Root(b)) => Arc::ptr_eq(a, b) || a.same(b),
            _ => false,
        }
    }
}

impl Hash for Key {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.name.hash(h);
        self.dot.hash(h);
    }
}

impl Hash for Atom {
    fn hash<H: Hasher>(&self, h: &mut H) {
        match self {
            Atom::Same(v) => {
                0u8.hash(h);
                hash_identity(v, h);
            }
            Atom::Dict(_, entries) => {
                1u8.hash(h);
                entries.len().hash(h);
                for (k, v) in entries.iter() {
                    k.hash(h);
                    v.hash(h);
                }
            }
            Atom::Root(scope) => {
                2u8.hash(h);
                scope.0.len().hash(h);
            }
        }
    }
}

/// A hash consistent with [`Value::is_identical`].
fn hash_identity<H: Hasher>(v: &Value, h: &mut H) {
    std::mem::discriminant(v).hash(h);
    match v {
        Value::Invalid | Value::Nil => {}
        Value::Bool(b) => b.hash(h),
        Value::Int(i, _) => i.hash(h),
        Value::Uint(u, _) => u.hash(h),
        Value::Float(f) => f.to_bits().hash(h),
        Value::Complex(re, im) => (re.to_bits(), im.to_bits()).hash(h),
        Value::String(s) => s.hash(h),
        Value::Bytes(b) => b.as_bytes().hash(h),
        // Lists are identical by content: their length is a fair summary.
        Value::List(l) => l.items.len().hash(h),
        Value::Map(m) => m.id().hash(h),
        Value::Object(o) => (Arc::as_ptr(o) as *const u8 as usize).hash(h),
    }
}

/// Whether two maps of one watching family (see
/// [`gotmpl::Map::new_watching`]) differ at most in their watched key, so
/// that a computation which reported no read of it gives the same result
/// with either.
fn interchangeable(a: &Value, b: &Value) -> bool {
    let (Value::Map(a), Value::Map(b)) = (a, b) else {
        return false;
    };
    let (Some(key), Some(other)) = (a.watched_key(), b.watched_key()) else {
        return false;
    };
    if key != other || a.ty != b.ty {
        return false;
    }
    let (ea, eb) = (a.entries_unobserved(), b.entries_unobserved());
    ea.len() == eb.len()
        && ea
            .iter()
            .zip(eb.iter())
            .all(|((k1, v1), (k2, v2))| k1 == k2 && (k1 == key || v1.is_identical(v2)))
}

struct Entry {
    /// When its computation began (see [`gotmpl::purity::Frame::start`]).
    start: u64,
    value: Value,
    /// The `.Template` of each file context it was computed with.
    roots: Box<[Value]>,
    /// Its computation read a watched key (`.Template.Name`): it is reused
    /// only with the very same `.Template`s.
    watched_read: bool,
    /// How much deeper than itself its computation nested includes and
    /// `tpl` calls.
    extra_depth: usize,
    extra_tpl_depth: usize,
    /// The reads of tagged maps its computation made (recorded again when
    /// it is reused, see [`gotmpl::purity::record_reads`]).
    reads: gotmpl::purity::ReadSet,
}

/// An include being computed whose result may be kept.
pub(crate) struct Pending {
    key: Key,
    roots: Vec<Value>,
    frame: gotmpl::purity::Frame,
    outer_deepest: usize,
    outer_deepest_tpl: usize,
    depth: usize,
    tpl_depth: usize,
    reads_mark: Option<usize>,
}

/// What [`IncludeMemo::lookup`] found.
pub(crate) enum Lookup {
    Hit(Value),
    /// Not known: compute it, then [`IncludeMemo::finish`].
    Miss(Box<Pending>),
    /// Not for this memo (another template set, or the memo is off).
    Off,
}

impl IncludeMemo {
    /// Keeps the memo off for good.
    pub(crate) fn disable(&mut self) {
        self.disabled = true;
    }

    /// Turns the memo on for `set`'s templates and registers a file's
    /// top-level context, made of `scope` and the file's `.Template`.
    pub(crate) fn register_root(&mut self, set: &TemplateSet, root: &Value, scope: &MapEntries) {
        if self.disabled {
            return;
        }
        if self.set.is_none() {
            self.set = Some(set as *const TemplateSet as usize);
            self.made_by_render_from = gotmpl::purity::generation();
        }
        let Value::Map(map) = root else { return };
        let scope = Scope(
            scope
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect::<Vec<_>>(),
        );
        let scope = match self.scopes.iter().find(|s| s.same(&scope)) {
            Some(s) => s.clone(),
            None => {
                let s = Arc::new(scope);
                self.scopes.push(s.clone());
                s
            }
        };
        self.roots.insert(map.id(), (root.clone(), scope));
    }

    pub(crate) fn lookup(
        &mut self,
        set: &TemplateSet,
        name: &Str,
        dot: &Value,
        tpl_depth: usize,
    ) -> Lookup {
        if self.set != Some(set as *const TemplateSet as usize) {
            return Lookup::Off;
        }
        if let Some(birth) = gotmpl::purity::take_oldest_write() {
            if birth < self.latest_start {
                self.entries.retain(|_, e| e.start <= birth);
            }
        }
        let mut roots = Vec::new();
        let key = Key {
            name: name.clone(),
            dot: self.atom(dot, 0, &mut roots),
        };
        if let Some(e) = self.entries.get(&key) {
            let same_roots = e.roots.len() == roots.len()
                && e.roots
                    .iter()
                    .zip(&roots)
                    .all(|(a, b)| a.is_identical(b) || (!e.watched_read && interchangeable(a, b)));
            // A repeated computation would stay within helm's limits.
            let within_limits = self.depth + e.extra_depth < crate::funcs::INCLUDE_RECURSION_MAX
                && tpl_depth + e.extra_tpl_depth < crate::funcs::TPL_NESTING_MAX;
            if same_roots && within_limits {
                self.hits += 1;
                gotmpl::purity::replay_reads(&e.reads);
                return Lookup::Hit(e.value.clone());
            }
        }
        let pending = Pending {
            key,
            roots,
            frame: gotmpl::purity::begin(),
            outer_deepest: self.deepest,
            outer_deepest_tpl: self.deepest_tpl,
            depth: self.depth,
            tpl_depth,
            reads_mark: gotmpl::purity::reads_mark(),
        };
        self.deepest = self.depth;
        self.deepest_tpl = tpl_depth;
        Lookup::Miss(Box::new(pending))
    }

    /// Ends a computation begun by [`IncludeMemo::lookup`], keeping its
    /// result when it had no other effect.
    pub(crate) fn finish(&mut self, pending: Pending, result: Option<&Value>) {
        let Pending {
            key,
            roots,
            frame,
            outer_deepest,
            outer_deepest_tpl,
            depth,
            tpl_depth,
            reads_mark,
        } = pending;
        let start = frame.start();
        let effects = gotmpl::purity::end(frame);
        let extra_depth = self.deepest - depth;
        let extra_tpl_depth = self.deepest_tpl.saturating_sub(tpl_depth);
        self.deepest = self.deepest.max(outer_deepest);
        self.deepest_tpl = self.deepest_tpl.max(outer_deepest_tpl);
        let Some(value) = result else { return };
        if !effects.repeatable() {
            return;
        }
        if self.entries.len() >= ENTRIES_MAX {
            self.entries.clear();
        }
        self.latest_start = self.latest_start.max(start);
        self.entries.insert(
            key,
            Entry {
                start,
                value: value.clone(),
                roots: roots.into_boxed_slice(),
                watched_read: effects.watched_read,
                extra_depth,
                extra_tpl_depth,
                reads: reads_mark
                    .map(gotmpl::purity::reads_since)
                    .unwrap_or_default(),
            },
        );
    }

    /// Notes an include (or `tpl` call) going one level deeper.
    pub(crate) fn descend(&mut self) {
        self.depth += 1;
        self.deepest = self.deepest.max(self.depth);
    }

    pub(crate) fn ascend(&mut self) {
        self.depth -= 1;
    }

    pub(crate) fn note_tpl_depth(&mut self, tpl_depth: usize) {
        self.deepest_tpl = self.deepest_tpl.max(tpl_depth);
    }

    fn atom(&self, v: &Value, depth: u8, roots: &mut Vec<Value>) -> Atom {
        if let Value::Map(m) = v {
            if let Some((_, scope)) = self.roots.get(&m.id()) {
                return match scope.template_of(&m.entries_unobserved()) {
                    Some(template) => {
                        roots.push(template);
                        Atom::Root(scope.clone())
                    }
                    None => Atom::Same(v.clone()),
                };
            }
            if m.birth() >= self.made_by_render_from && depth < DICT_DEPTH_MAX {
                let entries = m.entries();
                if entries.len() <= DICT_ENTRIES_MAX {
                    let atoms = entries
                        .iter()
                        .map(|(k, v)| (k.clone(), self.atom(v, depth + 1, roots)))
                        .collect();
                    return Atom::Dict(m.ty.clone(), atoms);
                }
            }
        }
        Atom::Same(v.clone())
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::values_type;
    use crate::funcs::RenderState;
    use gotmpl::{MapEntries, TemplateSet, Value};

    /// Renders `main` as two files' worth of executions (two top-level
    /// contexts of one chart), returning the outputs and the reuses.
    fn render(defines: &str, main: &str) -> (Vec<String>, usize) {
        let mut set = TemplateSet::new("gotpl", crate::funcs::funcs());
        set.parse("c/templates/_h.tpl", defines).unwrap();
        set.parse("c/templates/main.yaml", main).unwrap();
        let mut values = MapEntries::new();
        values.insert("x".into(), Value::from("v"));
        let mut scope = MapEntries::new();
        scope.insert("Values".into(), Value::typed_map(values_type(), values));
        let mut state = RenderState::new(false);
        let outputs = ["c/templates/a.yaml", "c/templates/b.yaml"]
            .iter()
            .map(|file| {
                let mut template = MapEntries::new();
                template.insert("Name".into(), Value::from(*file));
                template.insert("BasePath".into(), Value::from("c/templates"));
                let template = Value::typed_map_watching(values_type(), template, "Name".into());
                let mut top = scope.clone();
                top.insert("Template".into(), template);
                let data = Value::typed_map_with_slot(values_type(), top, "Template".into());
                state.memo.register_root(&set, &data, &scope);
                let mut out = gotmpl::gostr::Output::new();
                set.execute_output_with("c/templates/main.yaml", &data, &mut out, &mut state)
                    .unwrap();
                out.into_result().unwrap()
            })
            .collect();
        (outputs, state.memo.hits)
    }

    #[test]
    fn repeated_includes_are_reused_across_files() {
        let (out, hits) = render(
            r#"{{ define "v" }}{{ .Values.x }}{{ end }}{{ define "d" }}{{ .root.Values.x }}{{ .n }}{{ end }}"#,
            r#"{{ include "v" . }} {{ include "v" . }} {{ include "d" (dict "root" $ "n" 1) }} {{ include "d" (dict "root" $ "n" 2) }}"#,
        );
        assert_eq!(out, ["v v v1 v2", "v v v1 v2"]);
        // Misses: "v" once, "d" once per `n`; everything else is reused.
        assert_eq!(hits, 5);
    }

    #[test]
    fn what_depends_on_the_file_or_has_effects_is_not_reused() {
        let (out, hits) = render(
            r#"{{ define "t" }}{{ .Template.Name }}{{ end }}{{ define "w" }}{{ $_ := set .Values "y" 1 }}{{ end }}{{ define "r" }}{{ randAlpha 4 | len }}{{ end }}"#,
            r#"{{ include "t" . }} {{ include "t" . }} {{ include "w" . }}{{ include "w" . }}{{ include "r" . }}{{ include "r" . }}"#,
        );
        assert_eq!(
            out,
            [
                "c/templates/a.yaml c/templates/a.yaml 44",
                "c/templates/b.yaml c/templates/b.yaml 44"
            ]
        );
        // Only the second `.Template` read within each file.
        assert_eq!(hits, 2);
    }

    #[test]
    fn what_depends_on_the_base_path_only_is_reused_across_files() {
        let (out, hits) = render(
            r#"{{ define "b" }}{{ .Template.BasePath }}{{ end }}{{ define "t" }}{{ $t := .Template }}{{ if $t }}{{ len $t }}{{ end }}{{ end }}{{ define "all" }}{{ range .Template }}{{ . }} {{ end }}{{ end }}{{ define "y" }}{{ toYaml .Template }}{{ end }}"#,
            r#"{{ include "b" . }} {{ include "t" . }} {{ include "all" . }}{{ include "y" . | len }}"#,
        );
        assert_eq!(
            out,
            [
                "c/templates 2 c/templates c/templates/a.yaml 46",
                "c/templates 2 c/templates c/templates/b.yaml 46"
            ]
        );
        // "b" and "t" in the second file; what listed the entries is not.
        assert_eq!(hits, 2);
    }

    #[test]
    fn a_disabled_memo_reuses_nothing() {
        let mut set = TemplateSet::new("gotpl", crate::funcs::funcs());
        set.parse(
            "t",
            r#"{{ define "v" }}x{{ end }}{{ include "v" . }}{{ include "v" . }}"#,
        )
        .unwrap();
        let mut state = RenderState::new(false);
        state.memo.disable();
        let data = Value::typed_map_with_slot(values_type(), MapEntries::new(), "Template".into());
        state.memo.register_root(&set, &data, &MapEntries::new());
        let mut out = gotmpl::gostr::Output::new();
        set.execute_output_with("t", &data, &mut out, &mut state)
            .unwrap();
        assert_eq!(out.into_result().unwrap(), "xx");
        assert_eq!(state.memo.hits, 0);
    }
}
