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
//! * maps made during the render (`dict "root" $ "name" "x"`, a `fromYaml`
//!   result) have the same type, keys and arguments under them, up to a
//!   size;
//! * a file's top-level context (`$`) belongs to the same chart and holds
//!   nothing else (no template wrote into it). These differ only in
//!   `.Template`, and those only in `.Template.Name`: the `.Template` maps
//!   watch that key, and a result whose computation read it (or all of a
//!   `.Template`'s entries) is reused only with the same `.Template`. One
//!   that read only `.Template.BasePath` serves all the chart's files (the
//!   checksum annotations of `include (print .Template.BasePath "/cm.yaml")`).
//!
//! A result whose key holds all the include could read (scalars, maps made
//! before the render, maps made during it compared by content) outlives
//! writes to maps made during the render: only a write to a map made before
//! it could change what such a key stands for.
//!
//! A result is reused only when running the include again could not have hit
//! the nesting limits of `include` and `tpl` either, and only for includes of
//! the render's own template set (a `tpl` text may redefine templates).

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use gotmpl::{MapEntries, Str, TemplateSet, Type, Value};
use rustc_hash::FxHashMap;

/// How many values (maps, lists and what they hold) of maps made during the
/// render one key compares by content; a map beyond that is compared as the
/// same map. Comparing costs a walk of the values, repeating an include
/// costs at least as much: a whole chart's values are too many.
const KEY_VALUES_MAX: usize = 1024;
/// How deep a key compares by content (a map may hold itself).
const KEY_DEPTH_MAX: u8 = 32;
/// A map holding a map compared by identity is compared by content only
/// when it is this small and near the top of the key.
const PARTIAL_ENTRIES_MAX: usize = 16;
const PARTIAL_VALUES_MAX: usize = 64;
/// Beyond this many results the memo starts over (memory stays bounded
/// whatever a chart does).
const ENTRIES_MAX: usize = 8192;
/// Beyond this many values in the keys kept, the memo starts over too.
const KEY_VALUES_KEPT_MAX: usize = 1 << 18;
/// Maps remembered as too large to compare by content.
const TOO_BIG_MAX: usize = 4096;

#[derive(Default)]
pub(crate) struct IncludeMemo {
    disabled: bool,
    /// The render's template set (its address); none: the memo is off.
    set: Option<usize>,
    /// Maps born at or after this generation were made by the render.
    made_by_render_from: u64,
    /// A map made before the render was written to since (then such maps
    /// may hold maps made during it).
    pre_render_written: bool,
    /// Maps made during the render found too large to compare by content
    /// (by identity: a stale verdict costs a reuse, never a wrong one).
    too_big: rustc_hash::FxHashSet<usize>,
    /// How many values the keys of `entries` hold.
    key_values: usize,
    /// The top-level context of each file rendered so far, by map identity
    /// (holding the map keeps the identity unique), with its chart's scope.
    roots: FxHashMap<usize, (Value, Arc<Scope>)>,
    /// The distinct scopes, so that equal ones are usually one allocation.
    scopes: Vec<Arc<Scope>>,
    entries: FxHashMap<Key, Entry>,
    /// The buffer the next key is built in.
    scratch: Vec<Atom>,
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

/// A chart's scope: a top-level context's entries but `.Template`, and
/// whether its maps were all made before the render.
#[derive(Debug)]
struct Scope(Vec<(Str, Value)>, bool);

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
    /// The argument's atoms, flattened (see [`Atom`]).
    dot: Vec<Atom>,
    /// The hash of both, made once (a key compared by content may be large,
    /// and the table rehashes its keys as it grows).
    hash: u64,
}

impl Key {
    fn new(name: Str, dot: Vec<Atom>) -> Key {
        let mut h = rustc_hash::FxHasher::default();
        name.hash(&mut h);
        for atom in &dot {
            atom.hash(&mut h);
        }
        Key {
            name,
            dot,
            hash: h.finish(),
        }
    }
}

/// One step of a key, in the order a walk of the argument meets it: a
/// container compared by content is its header followed by the atoms of
/// what it holds. Headers carry lengths, so equal sequences are equal
/// trees. Flat, a key is one buffer: no allocation per container, and the
/// buffer of a key found in the memo is used again for the next one.
enum Atom {
    /// Compared with [`Value::is_identical`].
    Same(Value),
    /// A map made during the render, by content: its type and how many
    /// entries follow (each a [`Atom::Name`] and the atoms of its value).
    Dict(Type, usize),
    /// An entry's key in a [`Atom::Dict`].
    Name(Str),
    /// A list holding maps or lists, by content: type, nil-ness, and how
    /// many items' atoms follow.
    List(Type, bool, usize),
    /// A file's top-level context, by its chart's scope.
    Root(Arc<Scope>),
}

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        self.hash == other.hash && self.name == other.name && self.dot == other.dot
    }
}
impl Eq for Key {}

impl PartialEq for Atom {
    fn eq(&self, other: &Atom) -> bool {
        match (self, other) {
            (Atom::Same(a), Atom::Same(b)) => a.is_identical(b),
            (Atom::Dict(ta, na), Atom::Dict(tb, nb)) => na == nb && ta == tb,
            (Atom::Name(a), Atom::Name(b)) => a == b,
            (Atom::List(ta, na, la), Atom::List(tb, nb, lb)) => la == lb && na == nb && ta == tb,
            (Atom::Root(a), Atom::Root(b)) => Arc::ptr_eq(a, b) || a.same(b),
            _ => false,
        }
    }
}

impl Hash for Key {
    fn hash<H: Hasher>(&self, h: &mut H) {
        h.write_u64(self.hash);
    }
}

impl Hash for Atom {
    fn hash<H: Hasher>(&self, h: &mut H) {
        match self {
            Atom::Same(v) => {
                0u8.hash(h);
                hash_identity(v, h);
            }
            Atom::Dict(_, len) => {
                1u8.hash(h);
                len.hash(h);
            }
            Atom::Name(k) => {
                4u8.hash(h);
                k.hash(h);
            }
            Atom::List(_, nil, len) => {
                3u8.hash(h);
                nil.hash(h);
                len.hash(h);
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
    /// Its key holds all its computation could read (see the module doc).
    self_contained: bool,
    /// How many values its key holds.
    key_values: usize,
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
    self_contained: bool,
    key_values: usize,
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
        let made_before = |v: &Value| match v {
            Value::Map(m) => m.birth() < self.made_by_render_from,
            _ => true,
        };
        let scope = Scope(
            scope
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect::<Vec<_>>(),
            scope.iter().all(|(_, v)| made_before(v)),
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
            if birth < self.made_by_render_from {
                self.pre_render_written = true;
            }
            if birth < self.latest_start {
                let spared = !self.pre_render_written;
                let mut key_values = self.key_values;
                self.entries.retain(|_, e| {
                    let keep = e.start <= birth || (spared && e.self_contained);
                    if !keep {
                        key_values -= e.key_values;
                    }
                    keep
                });
                self.key_values = key_values;
            }
        }
        if self.too_big.len() > TOO_BIG_MAX {
            self.too_big.clear();
        }
        // Empty: a key's buffer is cleared when it comes back.
        let scratch = std::mem::take(&mut self.scratch);
        let mut keys = KeyBuilder {
            known_roots: &self.roots,
            made_by_render_from: self.made_by_render_from,
            too_big: &mut self.too_big,
            values: 0,
            roots: Vec::new(),
            self_contained: !self.pre_render_written,
            atoms: scratch,
        };
        keys.atom(dot, false);
        let (roots, self_contained, key_values) = (keys.roots, keys.self_contained, keys.values);
        let key = Key::new(name.clone(), keys.atoms);
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
                let value = e.value.clone();
                self.scratch = key.dot;
                self.scratch.clear();
                return Lookup::Hit(value);
            }
        }
        let pending = Pending {
            key,
            roots,
            self_contained,
            key_values,
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
            self_contained,
            key_values,
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
        if self.entries.len() >= ENTRIES_MAX || self.key_values + key_values > KEY_VALUES_KEPT_MAX {
            self.entries.clear();
            self.key_values = 0;
        }
        self.key_values += key_values;
        self.latest_start = self.latest_start.max(start);
        let replaced = self.entries.insert(
            key,
            Entry {
                start,
                value: value.clone(),
                roots: roots.into_boxed_slice(),
                self_contained,
                key_values,
                watched_read: effects.watched_read,
                extra_depth,
                extra_tpl_depth,
                reads: reads_mark
                    .map(gotmpl::purity::reads_since)
                    .unwrap_or_default(),
            },
        );
        if let Some(old) = replaced {
            self.key_values -= old.key_values;
        }
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
}

/// Makes the key of one include's arguments.
struct KeyBuilder<'m> {
    known_roots: &'m FxHashMap<usize, (Value, Arc<Scope>)>,
    made_by_render_from: u64,
    too_big: &'m mut rustc_hash::FxHashSet<usize>,
    /// How many values the key compares by content.
    values: usize,
    /// The `.Template`s of the file contexts met.
    roots: Vec<Value>,
    /// Whether the key holds all the include could read.
    self_contained: bool,
    /// The key's atoms so far.
    atoms: Vec<Atom>,
}

/// What comparing a value by content takes.
#[derive(Clone, Copy, Default)]
struct Size {
    values: usize,
    /// It holds a map made during the render compared by identity.
    partial: bool,
}

fn holds_containers(list: &gotmpl::List) -> bool {
    list.items
        .iter()
        .any(|i| matches!(i, Value::Map(_) | Value::List(_)))
}

impl KeyBuilder<'_> {
    /// Whether `m` is a map made during the render that may be compared by
    /// content (not a file context, not known to be too large).
    fn by_content(&self, m: &gotmpl::Map) -> bool {
        self.comparable(m) && !self.too_big.contains(&m.id())
    }

    /// A plain map made during the render, not a file context: compared by
    /// content unless too large.
    fn comparable(&self, m: &gotmpl::Map) -> bool {
        m.birth() >= self.made_by_render_from
            && m.is_plain()
            && !self.known_roots.contains_key(&m.id())
    }

    /// How many values comparing `v` by content takes (what is compared by
    /// identity counts nothing), if at most [`KEY_VALUES_MAX`], and whether
    /// it holds a map made during the render that is compared by identity.
    /// Maps found too large are remembered as such.
    fn size(&mut self, v: &Value, depth: u8) -> Option<Size> {
        match v {
            Value::Map(m) if self.comparable(m) => {
                if self.too_big.contains(&m.id()) {
                    return None;
                }
                let entries = m.entries_unobserved();
                // A small map near the top may hold such a map (`dict "root"
                // $copy "name" "x"`); it is then compared by content only
                // while small itself.
                let may_hold_big = entries.len() <= PARTIAL_ENTRIES_MAX && depth < 2;
                let size = self.size_of(entries.len(), entries.values(), depth, may_hold_big);
                if size.is_none() {
                    self.too_big.insert(m.id());
                }
                size
            }
            Value::List(l) if holds_containers(l) => {
                self.size_of(l.items.len(), l.items.iter(), depth, false)
            }
            _ => Some(Size::default()),
        }
    }

    fn size_of<'v>(
        &mut self,
        len: usize,
        items: impl Iterator<Item = &'v Value>,
        depth: u8,
        may_hold_big: bool,
    ) -> Option<Size> {
        if depth >= KEY_DEPTH_MAX || len > KEY_VALUES_MAX {
            return None;
        }
        let mut size = Size {
            values: len,
            partial: false,
        };
        for v in items {
            match self.size(v, depth + 1) {
                Some(inner) => {
                    size.values += inner.values;
                    size.partial |= inner.partial;
                }
                None if may_hold_big => size.partial = true,
                None => return None,
            }
            if size.values > KEY_VALUES_MAX {
                return None;
            }
        }
        if size.partial && size.values > PARTIAL_VALUES_MAX {
            return None;
        }
        Some(size)
    }

    /// Appends the atoms of `v`; `sized`: `v` is known to fit (see
    /// [`Self::size`]).
    fn atom(&mut self, v: &Value, sized: bool) {
        match v {
            Value::Map(m) => self.map_atom(v, m, sized),
            Value::List(l) if holds_containers(l) => {
                if !sized && self.size(v, 0).is_none() {
                    self.self_contained = false;
                    self.atoms.push(Atom::Same(v.clone()));
                    return;
                }
                self.values += l.items.len();
                self.atoms
                    .push(Atom::List(l.ty.clone(), l.nil, l.items.len()));
                for item in l.items.iter() {
                    self.atom(item, true);
                }
            }
            _ => self.atoms.push(Atom::Same(v.clone())),
        }
    }

    fn map_atom(&mut self, v: &Value, m: &gotmpl::Map, sized: bool) {
        if let Some((_, scope)) = self.known_roots.get(&m.id()) {
            let atom = match scope.template_of(&m.entries_unobserved()) {
                Some(template) => {
                    let template_made_before = match &template {
                        Value::Map(t) => t.birth() < self.made_by_render_from,
                        _ => true,
                    };
                    if !(scope.1 && template_made_before) {
                        self.self_contained = false;
                    }
                    self.roots.push(template);
                    Atom::Root(scope.clone())
                }
                None => {
                    // A context a template wrote into: still the one map of
                    // the chart's files, its `.Template` replaced for each,
                    // so the result holds for that `.Template` only.
                    self.self_contained = false;
                    if let Some(template) = m.entries_unobserved().get("Template") {
                        self.roots.push(template.clone());
                    }
                    Atom::Same(v.clone())
                }
            };
            self.atoms.push(atom);
            return;
        }
        if m.birth() < self.made_by_render_from {
            // Unchanged while no map made before the render is written to,
            // and then it can only hold such maps.
            self.atoms.push(Atom::Same(v.clone()));
            return;
        }
        if !self.by_content(m) || (!sized && self.size(v, 0).is_none()) {
            self.self_contained = false;
            self.atoms.push(Atom::Same(v.clone()));
            return;
        }
        let entries = m.entries_unobserved();
        self.values += entries.len();
        self.atoms.push(Atom::Dict(m.ty.clone(), entries.len()));
        for (k, v) in entries.iter() {
            self.atoms.push(Atom::Name(k.clone()));
            self.atom(v, true);
        }
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
        let mut sub = MapEntries::new();
        sub.insert("a".into(), Value::int(1));
        sub.insert("z".into(), Value::Nil);
        values.insert("sub".into(), Value::typed_map(values_type(), sub));
        let mut scope = MapEntries::new();
        scope.insert("Values".into(), Value::typed_map(values_type(), values));
        let mut state = RenderState::new(false);
        // The render begins after the values were made, as in the engine.
        let _ = gotmpl::purity::end(gotmpl::purity::begin());
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
    fn arguments_of_other_shapes_with_the_same_leaves_are_not_confused() {
        // Flattened, each key lists the same leaves in the same order; only
        // the lengths in its headers tell the shapes apart.
        let (out, hits) = render(
            r#"{{ define "j" }}{{ toJson . }}{{ end }}"#,
            r#"{{ include "j" (list (dict "a" 1) (dict "b" 2)) }} {{ include "j" (list (dict "a" 1 "b" 2)) }} {{ include "j" (list (list (dict "a" 1)) (dict "b" 2)) }} {{ include "j" (dict "a" (list (dict "b" 2))) }} {{ include "j" (dict "a" (list (dict "b" 2) (dict))) }} {{ include "j" (list (dict "a" 1) (dict "b" 2)) }}"#,
        );
        let expected = r#"[{"a":1},{"b":2}] [{"a":1,"b":2}] [[{"a":1}],{"b":2}] {"a":[{"b":2}]} {"a":[{"b":2},{}]} [{"a":1},{"b":2}]"#;
        assert_eq!(out, [expected, expected]);
        // The last include of each file, and all six in the second file.
        assert_eq!(hits, 7);
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
    fn results_keyed_by_content_outlive_writes_to_maps_made_by_the_render() {
        // A chart's pattern: each file copies the values, derives a map from
        // them (a fresh one each time) and includes helpers with it, then
        // writes into its copies.
        let (out, hits) = render(
            r#"{{ define "y" }}{{ toYaml . }}{{ end }}{{ define "m" }}{{ toYaml . | replace "\n" ";" }}{{ end }}"#,
            r#"{{ $c := deepCopy .Values }}{{ $f := include "y" .Values.sub | fromYaml }}{{ $_ := set $c "w" 1 }}{{ include "m" (list $f "s") }}|{{ $_ := set $f "a" 2 }}{{ include "m" (list $f "s") }}|{{ $_ := set $f "a" 1 }}{{ include "m" (list $f "s") }}"#,
        );
        let expected = "- a: 1;  z: null;- s|- a: 2;  z: null;- s|- a: 1;  z: null;- s";
        assert_eq!(out, [expected, expected]);
        // Nothing in the first file (its last "m" has an int where
        // `fromYaml` gave a float64); everything in the second, though maps
        // were written in between.
        assert_eq!(hits, 4);
    }

    #[test]
    fn a_write_to_the_values_drops_what_was_kept() {
        let (out, hits) = render(
            r#"{{ define "m" }}{{ toYaml . | replace "\n" ";" }}{{ end }}"#,
            r#"{{ include "m" .Values.sub }}|{{ $_ := set .Values.sub "a" 3 }}{{ include "m" .Values.sub }}"#,
        );
        assert_eq!(
            out,
            ["a: 1;z: null|a: 3;z: null", "a: 3;z: null|a: 3;z: null"]
        );
        // Only the second file's first include: no write since the result.
        assert_eq!(hits, 1);
    }

    #[test]
    fn large_maps_made_by_the_render_are_compared_as_the_same_map() {
        let (out, hits) = render(
            r#"{{ define "n" }}{{ len . }}{{ end }}"#,
            r#"{{ $big := dict }}{{ range until 1100 }}{{ $_ := set $big (toString .) . }}{{ end }}{{ include "n" $big }} {{ include "n" $big }} {{ include "n" (deepCopy $big) }} {{ include "n" (dict "big" $big "k" 1) }}{{ include "n" (dict "big" $big "k" 1) }}"#,
        );
        assert_eq!(out, ["1100 1100 1100 22", "1100 1100 1100 22"]);
        // In each file: the second include of the same map, and of a small
        // map holding it; a copy is another map.
        assert_eq!(hits, 4);
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
