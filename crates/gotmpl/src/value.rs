//! Go's value model, as `text/template` sees values through `reflect`.
//!
//! Values are cheap to clone: strings, lists, maps and objects are
//! reference-counted, so passing the dot around never deep-copies.
//!
//! Two kinds of "nothing" exist, as in Go:
//! * [`Value::Invalid`] is the zero `reflect.Value` ("no value"): what a
//!   pipeline yields for a nil result, printed as `<no value>`.
//! * [`Value::Nil`] is a nil held in an `interface {}` slot, such as a null
//!   element of a map; `printf "%v"` shows it as `<nil>`.

use std::any::Any;
use std::cell::Cell;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering as AtomicOrdering};
use std::sync::{Arc, RwLock};

/// Shared immutable string.
pub type Str = Arc<str>;

/// The entries of a map, in Go's sorted key order (byte order of the keys).
pub type MapEntries = BTreeMap<Str, Value>;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IntKind {
    Int,
    Int8,
    Int16,
    Int32,
    Int64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UintKind {
    Uint,
    Uint8,
    Uint16,
    Uint32,
    Uint64,
    Uintptr,
}

impl IntKind {
    pub fn name(self) -> &'static str {
        match self {
            IntKind::Int => "int",
            IntKind::Int8 => "int8",
            IntKind::Int16 => "int16",
            IntKind::Int32 => "int32",
            IntKind::Int64 => "int64",
        }
    }
    /// Size in bits (Go's `int` is 64-bit on the platforms helm ships for).
    pub fn bits(self) -> u32 {
        match self {
            IntKind::Int8 => 8,
            IntKind::Int16 => 16,
            IntKind::Int32 => 32,
            IntKind::Int | IntKind::Int64 => 64,
        }
    }
}

impl UintKind {
    pub fn name(self) -> &'static str {
        match self {
            UintKind::Uint => "uint",
            UintKind::Uint8 => "uint8",
            UintKind::Uint16 => "uint16",
            UintKind::Uint32 => "uint32",
            UintKind::Uint64 => "uint64",
            UintKind::Uintptr => "uintptr",
        }
    }
    pub fn bits(self) -> u32 {
        match self {
            UintKind::Uint8 => 8,
            UintKind::Uint16 => 16,
            UintKind::Uint32 => 32,
            UintKind::Uint | UintKind::Uint64 | UintKind::Uintptr => 64,
        }
    }
}

/// Go's `reflect.Kind`, as far as templates can observe it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Invalid,
    Bool,
    Int,
    Int8,
    Int16,
    Int32,
    Int64,
    Uint,
    Uint8,
    Uint16,
    Uint32,
    Uint64,
    Uintptr,
    Float32,
    Float64,
    Complex128,
    Array,
    Chan,
    Func,
    Interface,
    Map,
    Pointer,
    Slice,
    String,
    Struct,
}

impl Kind {
    /// The name Go's `Kind.String()` gives (what sprig's `kindOf` prints).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Invalid => "invalid",
            Kind::Bool => "bool",
            Kind::Int => "int",
            Kind::Int8 => "int8",
            Kind::Int16 => "int16",
            Kind::Int32 => "int32",
            Kind::Int64 => "int64",
            Kind::Uint => "uint",
            Kind::Uint8 => "uint8",
            Kind::Uint16 => "uint16",
            Kind::Uint32 => "uint32",
            Kind::Uint64 => "uint64",
            Kind::Uintptr => "uintptr",
            Kind::Float32 => "float32",
            Kind::Float64 => "float64",
            Kind::Complex128 => "complex128",
            Kind::Array => "array",
            Kind::Chan => "chan",
            Kind::Func => "func",
            Kind::Interface => "interface",
            Kind::Map => "map",
            Kind::Pointer => "ptr",
            Kind::Slice => "slice",
            Kind::String => "string",
            Kind::Struct => "struct",
        }
    }
}

/// A Go type, as needed for `%T`, argument conversion and assignability.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Type {
    /// `interface {}`
    Interface,
    Bool,
    Int(IntKind),
    Uint(UintKind),
    Float64,
    Complex128,
    String,
    /// `[]T`, or a named slice type (`name` is then its Go name).
    Slice {
        elem: Arc<Type>,
        name: Option<Str>,
    },
    /// `map[string]T`, or a named map type such as `common.Values`.
    Map {
        elem: Arc<Type>,
        name: Option<Str>,
    },
    /// Any other type, known by its Go name (`time.Time`, `*semver.Version`).
    Other {
        name: Str,
        kind: Kind,
    },
    /// `reflect.Value`: Go's builtins take their arguments untyped this way.
    ReflectValue,
}

impl Type {
    pub fn slice_of(elem: Type) -> Type {
        Type::Slice {
            elem: Type::shared(elem),
            name: None,
        }
    }
    pub fn map_of(elem: Type) -> Type {
        Type::Map {
            elem: Type::shared(elem),
            name: None,
        }
    }

    /// An element type for [`Type::Slice`]/[`Type::Map`]; `interface {}`,
    /// by far the most common, is shared rather than allocated per value.
    pub fn shared(elem: Type) -> Arc<Type> {
        static INTERFACE: std::sync::LazyLock<Arc<Type>> =
            std::sync::LazyLock::new(|| Arc::new(Type::Interface));
        if elem == Type::Interface {
            INTERFACE.clone()
        } else {
            Arc::new(elem)
        }
    }

    pub fn kind(&self) -> Kind {
        match self {
            Type::Interface => Kind::Interface,
            Type::Bool => Kind::Bool,
            Type::Int(k) => match k {
                IntKind::Int => Kind::Int,
                IntKind::Int8 => Kind::Int8,
                IntKind::Int16 => Kind::Int16,
                IntKind::Int32 => Kind::Int32,
                IntKind::Int64 => Kind::Int64,
            },
            Type::Uint(k) => match k {
                UintKind::Uint => Kind::Uint,
                UintKind::Uint8 => Kind::Uint8,
                UintKind::Uint16 => Kind::Uint16,
                UintKind::Uint32 => Kind::Uint32,
                UintKind::Uint64 => Kind::Uint64,
                UintKind::Uintptr => Kind::Uintptr,
            },
            Type::Float64 => Kind::Float64,
            Type::Complex128 => Kind::Complex128,
            Type::String => Kind::String,
            Type::Slice { .. } => Kind::Slice,
            Type::Map { .. } => Kind::Map,
            Type::Other { kind, .. } => *kind,
            Type::ReflectValue => Kind::Struct,
        }
    }

    /// Whether an untyped nil can be assigned to this type (Go's `canBeNil`).
    pub fn can_be_nil(&self) -> bool {
        match self.kind() {
            Kind::Chan | Kind::Func | Kind::Interface | Kind::Map | Kind::Pointer | Kind::Slice => {
                true
            }
            Kind::Struct => matches!(self, Type::ReflectValue),
            _ => false,
        }
    }

    fn is_named(&self) -> bool {
        match self {
            Type::Slice { name, .. } | Type::Map { name, .. } => name.is_some(),
            Type::Other { .. } => true,
            // Predeclared types count as named for assignability.
            Type::Bool | Type::Int(_) | Type::Uint(_) | Type::Float64 | Type::Complex128 => true,
            Type::String | Type::ReflectValue => true,
            Type::Interface => false,
        }
    }

    /// The type with any name stripped (Go's underlying type).
    fn underlying(&self) -> Type {
        match self {
            Type::Slice { elem, .. } => Type::Slice {
                elem: elem.clone(),
                name: None,
            },
            Type::Map { elem, .. } => Type::Map {
                elem: elem.clone(),
                name: None,
            },
            t => t.clone(),
        }
    }

    /// Go's `AssignableTo`, for the types this model knows.
    pub fn assignable_to(&self, target: &Type) -> bool {
        if self == target || *target == Type::Interface {
            return true;
        }
        (!self.is_named() || !target.is_named()) && self.underlying() == target.underlying()
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Interface => f.write_str("interface {}"),
            Type::Bool => f.write_str("bool"),
            Type::Int(k) => f.write_str(k.name()),
            Type::Uint(k) => f.write_str(k.name()),
            Type::Float64 => f.write_str("float64"),
            Type::Complex128 => f.write_str("complex128"),
            Type::String => f.write_str("string"),
            Type::Slice { name: Some(n), .. } | Type::Map { name: Some(n), .. } => f.write_str(n),
            Type::Slice { elem, name: None } => write!(f, "[]{elem}"),
            Type::Map { elem, name: None } => write!(f, "map[string]{elem}"),
            Type::Other { name, .. } => f.write_str(name),
            Type::ReflectValue => f.write_str("reflect.Value"),
        }
    }
}

/// A slice value (`[]interface {}`, `[]string`, ...).
#[derive(Clone, Debug)]
pub struct List {
    /// The slice's own type; `Type::Slice`.
    pub ty: Type,
    pub items: Vec<Value>,
    /// A nil Go slice (a zero value, such as `index .Files "missing"`):
    /// empty to every reader, but `null` to the JSON and YAML encoders and
    /// `ty(nil)` to `%#v`.
    pub nil: bool,
    /// What the Go slice holds past its length, up to its capacity.
    pub spare: Spare,
}

impl List {
    /// Go's `cap`: the length and what lies past it.
    pub fn cap(&self) -> usize {
        self.items.len() + self.spare.len()
    }

    /// Go's `s[start:end]`, or `s[start:end:max]` with `max`: the same
    /// backing array seen from `start`, so a cut past the length shows what
    /// lies there (the rest of a longer slice, or zero values). The caller
    /// checks `start <= end <= max <= cap`.
    pub fn cut(&self, start: usize, end: usize, max: Option<usize>) -> List {
        let len = self.items.len();
        let set: &[Value] = self.spare.set.as_deref().unwrap_or(&[]);
        let max = max.unwrap_or_else(|| self.cap());
        let elem = match &self.ty {
            Type::Slice { elem, .. } => Some(&**elem),
            _ => None,
        };
        let at = |i: usize| -> Value {
            match self.items.get(i).or_else(|| set.get(i - len)) {
                Some(v) => v.clone(),
                None => elem.map_or(Value::Nil, crate::exec::zero_value),
            }
        };
        let items = match self.items.get(start..end) {
            Some(part) => part.to_vec(),
            None => (start..end).map(at).collect(),
        };
        // What stays past the new length: set elements, then zeros.
        let set_end = (len + set.len()).min(max);
        let spare = Spare {
            set: (end < set_end).then(|| (end..set_end).map(at).collect()),
            zeros: max - end.max(set_end),
        };
        List {
            ty: self.ty.clone(),
            items,
            nil: self.nil,
            spare,
        }
    }
}

/// What a Go slice holds past its length, up to its capacity: out of reach
/// but for cutting the slice longer (sprig's `slice`). Slices that grew by
/// `append` have room past their length (see [`crate::goslice`]), and a
/// slice cut shorter keeps the rest of the one it was cut from.
#[derive(Clone, Debug, Default)]
pub struct Spare {
    /// The elements past the length that were set (a slice cut shorter).
    pub set: Option<Arc<[Value]>>,
    /// Then this many zero values of the element type.
    pub zeros: usize,
}

impl Spare {
    /// Room for `n` more elements, all zero.
    pub fn zeros(n: usize) -> Spare {
        Spare {
            set: None,
            zeros: n,
        }
    }

    /// How many elements lie past the length.
    pub fn len(&self) -> usize {
        self.set.as_ref().map_or(0, |s| s.len()) + self.zeros
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A map value with string keys (`map[string]interface {}`, `map[string]string`, ...).
///
/// Like a Go map it is a reference: `set`, `unset` and `merge` change it in
/// place, visibly through every value that shares it. Readers take cheap
/// snapshots ([`Map::entries`]); a write after a snapshot copies the entries
/// first, so a `range` over a snapshot is unaffected by writes in its body.
pub struct Map {
    /// The map's type as this reference sees it; `Type::Map`.
    pub ty: Type,
    /// The Go map, shared by every reference to it, whatever its static type.
    go: GoRef,
}

/// Where a [`Map`] finds its Go map: a map made as such holds it (one
/// allocation for both); a retyped reference points at that map.
enum GoRef {
    Own(GoMap),
    /// Always a map whose `go` is `Own` (see [`Map::retyped`]).
    Alias(Arc<Map>),
}

/// The Go map itself: its entries and when it was made.
struct GoMap {
    /// The [`MAP_GENERATION`] the map was made in (see [`WriteGuard`]).
    generation: u64,
    /// A key with a standing of its own (see [`Map::new_watching`] and
    /// [`Map::new_with_slot`]).
    special: Option<SpecialKey>,
    /// A nil Go map (see [`Map::new_nil`]).
    nil: bool,
    /// Reads are recorded under this tag (see [`Map::tag_reads`]); 0: not.
    read_tag: AtomicU64,
    entries: RwLock<Arc<MapEntries>>,
}

struct SpecialKey {
    key: Str,
    /// Reads of the key (and of all entries at once) are reported to the
    /// running [`crate::purity`] frames.
    reads_reported: bool,
}

/// Advanced by each [`WriteGuard`] and each [`crate::purity::begin`]; maps
/// are stamped with its value.
pub(crate) static MAP_GENERATION: AtomicU64 = AtomicU64::new(0);

thread_local! {
    /// While a [`WriteGuard`] is alive on this thread: maps made before
    /// this generation are read-only to the thread.
    static WRITABLE_FROM: Cell<u64> = const { Cell::new(0) };
    /// Whether a write to such a map was refused since the guard began.
    static WRITE_REFUSED: Cell<bool> = const { Cell::new(false) };
}

/// Makes every map that exists now read-only to the current thread, for as
/// long as the guard lives; maps made later stay writable. A refused write
/// goes to a private copy of the map instead (so the code doing it runs on,
/// harmlessly) and is reported by [`WriteGuard::refused`].
///
/// This lets independent executions run on several threads while sharing
/// values: as long as none of them writes to a map they share, each one's
/// result is what it would have been had they run one after another. One
/// that tried is to be run again, alone, without a guard.
pub struct WriteGuard {
    previous: u64,
}

impl WriteGuard {
    /// Starts a guard on this thread (guards on one thread do not nest).
    pub fn new() -> WriteGuard {
        let generation = MAP_GENERATION.fetch_add(1, AtomicOrdering::Relaxed) + 1;
        WRITE_REFUSED.with(|r| r.set(false));
        WriteGuard {
            previous: WRITABLE_FROM.with(|w| w.replace(generation)),
        }
    }

    /// A guard for maps made before `other` began, for another thread
    /// taking part in the same work.
    pub fn joining(other_generation: u64) -> WriteGuard {
        WRITE_REFUSED.with(|r| r.set(false));
        WriteGuard {
            previous: WRITABLE_FROM.with(|w| w.replace(other_generation)),
        }
    }

    /// The generation this guard protects (maps made before it).
    pub fn generation(&self) -> u64 {
        WRITABLE_FROM.with(|w| w.get())
    }

    /// Whether a write was refused since the guard began or was last reset,
    /// clearing the flag.
    pub fn take_refused(&self) -> bool {
        WRITE_REFUSED.with(|r| r.replace(false))
    }
}

impl Default for WriteGuard {
    fn default() -> WriteGuard {
        WriteGuard::new()
    }
}

impl Drop for WriteGuard {
    fn drop(&mut self) {
        WRITABLE_FROM.with(|w| w.set(self.previous));
        WRITE_REFUSED.with(|r| r.set(false));
    }
}

impl Map {
    pub fn new(ty: Type, entries: MapEntries) -> Map {
        Map::make(ty, entries, None)
    }

    /// A map whose reads of `key` are reported to the running
    /// [`crate::purity`] frames, as are reads of all its entries at once:
    /// for a family of maps that differ only in that key's value, an
    /// execution that reported no such read would give the same result
    /// with any member of the family.
    pub fn new_watching(ty: Type, entries: MapEntries, key: Str) -> Map {
        Map::make(
            ty,
            entries,
            Some(SpecialKey {
                key,
                reads_reported: true,
            }),
        )
    }

    /// A map whose `key` is a slot: [`Map::replace_slot`] gives it a new
    /// value without recording a write, and its reads are not reported. For
    /// a family of maps that differ only in that key's value, where the
    /// values themselves report what tells them apart (maps made with
    /// [`Map::new_watching`]).
    pub fn new_with_slot(ty: Type, entries: MapEntries, key: Str) -> Map {
        Map::make(
            ty,
            entries,
            Some(SpecialKey {
                key,
                reads_reported: false,
            }),
        )
    }

    /// A nil map of type `ty` (a Go struct's map field never set, such as
    /// `.Chart.Annotations` without annotations, or the zero value a nil
    /// argument becomes for a map parameter): empty to every reader, but
    /// `null` to the JSON and YAML encoders and `ty(nil)` to `%#v`. Writing
    /// to it is a Go panic, which the functions that write (`set`, `merge`)
    /// check for.
    pub fn new_nil(ty: Type) -> Map {
        let mut map = Map::make(ty, MapEntries::new(), None);
        if let GoRef::Own(go) = &mut map.go {
            go.nil = true;
        }
        map
    }

    /// Whether this is a nil Go map ([`Map::new_nil`]).
    pub fn is_nil(&self) -> bool {
        self.shared().nil
    }

    fn make(ty: Type, entries: MapEntries, special: Option<SpecialKey>) -> Map {
        Map::make_shared(ty, shared_entries(entries), special)
    }

    /// A new map (its own identity) starting with the entries of another,
    /// not copied: the first write to either copies them (Go's map copy,
    /// done when needed).
    pub fn new_sharing(ty: Type, entries: Arc<MapEntries>) -> Map {
        Map::make_shared(ty, entries, None)
    }

    fn make_shared(ty: Type, entries: Arc<MapEntries>, special: Option<SpecialKey>) -> Map {
        Map {
            ty,
            go: GoRef::Own(GoMap {
                generation: MAP_GENERATION.load(AtomicOrdering::Relaxed),
                special,
                nil: false,
                read_tag: AtomicU64::new(0),
                entries: RwLock::new(entries),
            }),
        }
    }

    /// Whether the map is an ordinary one: no watched key or slot, not nil,
    /// reads not tagged. What reading such a map gives is its entries and
    /// nothing else, so two with equal entries serve alike.
    pub fn is_plain(&self) -> bool {
        let go = self.shared();
        go.special.is_none() && !go.nil && go.read_tag.load(AtomicOrdering::Relaxed) == 0
    }

    /// When the map was made: the generation current then (see
    /// [`crate::purity::generation`]).
    pub fn birth(&self) -> u64 {
        self.shared().generation
    }

    /// Has reads of this map (and of every reference to it) recorded under
    /// `tag` by threads recording reads ([`crate::purity::record_reads`]):
    /// which keys were read, or that its entries were read as a whole. The
    /// values found are not followed: a read of `.Values.a.b` is a read of
    /// `a` in `.Values`.
    pub fn tag_reads(&self, tag: u64) {
        self.shared().read_tag.store(tag, AtomicOrdering::Relaxed);
    }

    /// Notes a read of `key` (none: of all the entries) if reads are tagged.
    #[inline]
    fn note_read(&self, key: Option<&str>) {
        let tag = self.shared().read_tag.load(AtomicOrdering::Relaxed);
        if tag != 0 {
            crate::purity::note_read(tag, key);
        }
    }

    fn shared(&self) -> &GoMap {
        match &self.go {
            GoRef::Own(go) => go,
            GoRef::Alias(map) => map.shared(),
        }
    }

    /// The identity of the underlying Go map, shared by every reference to
    /// it (stable while the map is behind an `Arc`, as in a [`Value`]).
    pub fn id(&self) -> usize {
        self.shared() as *const GoMap as usize
    }

    /// The same map seen through another (assignable) map type, as Go
    /// converts `common.Values` to a `map[string]interface {}` parameter.
    pub fn retyped(this: &Arc<Map>, ty: Type) -> Map {
        let target = match &this.go {
            GoRef::Own(_) => this.clone(),
            GoRef::Alias(map) => map.clone(),
        };
        Map {
            ty,
            go: GoRef::Alias(target),
        }
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Arc<MapEntries>> {
        self.shared()
            .entries
            .read()
            .unwrap_or_else(|e| e.into_inner())
    }

    /// The current entries (a snapshot: later writes do not change it).
    pub fn entries(&self) -> Arc<MapEntries> {
        if self
            .shared()
            .special
            .as_ref()
            .is_some_and(|s| s.reads_reported)
        {
            crate::purity::note_watched_read();
        }
        self.note_read(None);
        self.read().clone()
    }

    /// The key whose reads are reported (see [`Map::new_watching`]).
    pub fn watched_key(&self) -> Option<&Str> {
        self.shared()
            .special
            .as_ref()
            .filter(|s| s.reads_reported)
            .map(|s| &s.key)
    }

    /// The current entries, without reporting a read of the watched key:
    /// for code that compares maps rather than executes with them.
    pub fn entries_unobserved(&self) -> Arc<MapEntries> {
        self.read().clone()
    }

    /// Gives the key of a map made with [`Map::new_with_slot`] or
    /// [`Map::new_watching`] a new value. This is not recorded as a write
    /// ([`crate::purity::take_oldest_write`]): executions that depended on
    /// what tells the values apart were reported as having read it. Does
    /// nothing to other maps.
    pub fn replace_slot(&self, value: Value) {
        let Some(key) = self.shared().special.as_ref().map(|s| s.key.clone()) else {
            return;
        };
        self.note_cycle(&value);
        note_change(self.shared().generation);
        let mut guard = self
            .shared()
            .entries
            .write()
            .unwrap_or_else(|e| e.into_inner());
        Arc::make_mut(&mut guard).insert(key, value);
    }

    pub fn get(&self, key: &str) -> Option<Value> {
        if let Some(special) = &self.shared().special {
            if special.reads_reported && *special.key == *key {
                crate::purity::note_watched_read();
            }
        }
        self.note_read(Some(key));
        let entries = self.read();
        // Most maps are small: comparing lengths first finds the key with
        // fewer byte comparisons than the tree's ordered search.
        if entries.len() <= 8 {
            return entries
                .iter()
                // The first byte rules out most keys of the same length
                // without a call to memcmp.
                .find(|(k, _)| {
                    k.len() == key.len()
                        && k.as_bytes().first() == key.as_bytes().first()
                        && &***k == key
                })
                .map(|(_, v)| v.clone());
        }
        entries.get(key).cloned()
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.note_read(Some(key));
        self.read().contains_key(key)
    }

    pub fn len(&self) -> usize {
        self.note_read(None);
        self.read().len()
    }

    pub fn is_empty(&self) -> bool {
        self.note_read(None);
        self.read().is_empty()
    }

    /// Changes the map in place (Go's `m[k] = v`, `delete(m, k)`, ...).
    /// Under a [`WriteGuard`], a map made before the guard is changed in a
    /// private copy only, and the refusal recorded.
    pub fn update<R>(&self, f: impl FnOnce(&mut MapEntries) -> R) -> R {
        crate::purity::note_write(self.shared().generation);
        if self.shared().generation < WRITABLE_FROM.with(|w| w.get()) {
            let before = self.entries();
            let mut copy = (*before).clone();
            let result = f(&mut copy);
            // Charts often re-apply a change (`merge` of defaults already
            // there): one that leaves the map as it was writes nothing.
            let unchanged = before.len() == copy.len()
                && before
                    .iter()
                    .zip(copy.iter())
                    .all(|((k1, v1), (k2, v2))| k1 == k2 && v1.is_identical(v2));
            if !unchanged {
                WRITE_REFUSED.with(|r| r.set(true));
            }
            return result;
        }
        note_change(self.shared().generation);
        let mut guard = self
            .shared()
            .entries
            .write()
            .unwrap_or_else(|e| e.into_inner());
        f(Arc::make_mut(&mut guard))
    }

    /// The only way a map comes to contain itself: a container that already
    /// reaches it is put into it (a map's entries at its making can only
    /// name maps made before it). Every write of a value calls this first.
    /// A container too large to search cheaply counts as one that may.
    fn note_cycle(&self, value: &Value) {
        if matches!(value, Value::Map(_) | Value::List(_))
            && !CYCLE_POSSIBLE.load(AtomicOrdering::Acquire)
            && value.may_reach(self.id(), self.birth(), CYCLE_SEARCH_BUDGET)
        {
            CYCLE_POSSIBLE.store(true, AtomicOrdering::Release);
        }
    }

    pub fn insert(&self, key: Str, value: Value) -> Option<Value> {
        self.note_cycle(&value);
        self.update(|e| e.insert(key, value))
    }

    pub fn remove(&self, key: &str) -> Option<Value> {
        self.update(|e| e.remove(key))
    }
}

/// Set (for the rest of the process) once a [`Map::insert`] may have made
/// some map reachable from itself; until then [`Value::has_cycle`] needs no
/// walk.
static CYCLE_POSSIBLE: AtomicBool = AtomicBool::new(false);

/// The oldest birth of a map whose entries ever changed (a write, a slot
/// replaced). A map born before it is frozen: its entries are those it was
/// made with, which name only maps born no later than itself (entries at a
/// map's making are values that already exist), all of them frozen too. So
/// nothing reachable from it reaches back to it, or to a map born after it.
static OLDEST_CHANGED_BIRTH: AtomicU64 = AtomicU64::new(u64::MAX);

fn note_change(birth: u64) {
    if birth < OLDEST_CHANGED_BIRTH.load(AtomicOrdering::Relaxed) {
        OLDEST_CHANGED_BIRTH.fetch_min(birth, AtomicOrdering::AcqRel);
    }
}

/// Whether a map born at `birth` is frozen (see [`OLDEST_CHANGED_BIRTH`]).
fn frozen(birth: u64) -> bool {
    birth < OLDEST_CHANGED_BIRTH.load(AtomicOrdering::Acquire)
}

/// How many containers a write searches for a way back to the map written
/// into, before it gives up and assumes there is one. Charts mostly write
/// small containers (a label map, a list of ports); a whole values tree is
/// left to [`Value::has_cycle`]'s walk.
const CYCLE_SEARCH_BUDGET: usize = 64;

/// Whether some map of this process may have been made to contain itself
/// (then [`Value::has_cycle`] walks the values it is asked about).
pub fn cycle_possible() -> bool {
    CYCLE_POSSIBLE.load(AtomicOrdering::Acquire)
}

/// The entries of a new map. Charts make many empty maps (`default dict`):
/// those share one allocation until their first write copies it.
fn shared_entries(entries: MapEntries) -> Arc<MapEntries> {
    static EMPTY: std::sync::LazyLock<Arc<MapEntries>> = std::sync::LazyLock::new(Default::default);
    if entries.is_empty() {
        EMPTY.clone()
    } else {
        Arc::new(entries)
    }
}

impl Clone for Map {
    /// A new map with a copy of the entries (not a second reference).
    fn clone(&self) -> Map {
        Map::new(self.ty.clone(), (*self.entries()).clone())
    }
}

impl fmt::Debug for Map {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Map")
            .field("ty", &self.ty)
            .field("entries", &*self.entries())
            .finish()
    }
}

/// Any other Go value a function may produce or a host may inject: structs,
/// pointers, `time.Time`, function values, ...
///
/// The executor looks up methods first, then fields, as Go's `evalField` does.
pub trait Object: Send + Sync + fmt::Debug + Any {
    /// The Go type, e.g. `Type::Other { name: "*common.Capabilities", kind: Kind::Pointer }`.
    fn go_type(&self) -> Type;

    /// A method callable from a template as `.Name arg…`.
    fn method(&self, _name: &str) -> Option<crate::func::Function> {
        None
    }

    /// A struct field (or, for a map-like object, the entry under `name`).
    /// `None` means the type has no such field.
    fn field(&self, _name: &str) -> Option<Value> {
        None
    }

    /// Whether this is a nil pointer/func/map of its type.
    fn is_nil(&self) -> bool {
        false
    }

    /// Go's `String()` or `Error()` method, used by fmt's `%v`/`%s`.
    fn go_string(&self) -> Option<String> {
        None
    }

    /// copystructure's copy (sprig's `deepCopy`): a new value with the
    /// exported fields copied and the unexported ones zero, no longer
    /// addressable. `None`: the value itself (`time.Time`, whose copier
    /// copies it whole; values without unexported state).
    fn copystructure(&self) -> Option<Value> {
        None
    }

    /// Go's `==` for a comparable struct type that defines it by its fields
    /// (`time.Time`: the instant's representation and the same location);
    /// `None`: compared by [`Object::go_string`].
    fn go_eq(&self, _other: &dyn Object) -> Option<bool> {
        None
    }

    /// Whether the struct (or the struct a pointer points to) has an
    /// unexported field of this name: text/template refuses to read it.
    fn unexported_field(&self, _name: &str) -> bool {
        false
    }

    /// Go's `GoString()` method, used by fmt's `%#v` (`time.Time`'s
    /// `time.Date(…)`).
    fn go_syntax(&self) -> Option<String> {
        None
    }

    /// Whether [`Object::go_string`] is a method on a pointer to this struct
    /// type: fmt's and sprig's functions, which get a copy in an
    /// `interface {}`, never call it; text/template calls it when it prints
    /// an [`Object::addressable`] value.
    fn stringer_on_pointer(&self) -> bool {
        false
    }

    /// Whether the value is addressable in Go (reached through fields from a
    /// pointer, or a variable or dot holding such a value): false once it
    /// went through a function as an argument or a result.
    fn addressable(&self) -> bool {
        false
    }

    /// The value as a function gets it: a copy in an `interface {}`, no
    /// longer [`Object::addressable`]. `None`: the value itself.
    fn interface_copy(&self) -> Option<Value> {
        None
    }

    /// Exported fields in declaration order, for fmt's struct printing (`{a b}`, `{A:a B:b}`).
    fn struct_fields(&self) -> Vec<(Str, Value)> {
        Vec::new()
    }

    /// Length for `len`, if the type has one.
    fn len(&self) -> Option<usize> {
        None
    }

    /// Whether `len` is zero (false when the type has no length).
    fn is_empty(&self) -> bool {
        self.len() == Some(0)
    }

    /// Calling the value itself, if it is a function (the `call` builtin).
    fn as_function(&self) -> Option<crate::func::Function> {
        None
    }

    /// For a named map or slice type that carries methods (helm's
    /// `engine.files`, `common.VersionSet`): the plain map/slice value, which
    /// `range`, `index`, `slice`, list functions and encoders see.
    fn underlying(&self) -> Option<Value> {
        None
    }

    /// encoding/json's object for a struct whose JSON differs from
    /// [`Object::go_string`]/[`Object::struct_fields`]: the fields under their
    /// `json` tag names, in declaration order, `omitempty` applied.
    fn json_fields(&self) -> Option<Vec<(Str, Value)>> {
        None
    }

    /// The JSON text of a type with a `MarshalJSON` method (`time.Time`).
    fn marshal_json(&self) -> Option<String> {
        None
    }

    /// The text of a type with a `MarshalText` method (encoding's
    /// `TextMarshaler`: semver's versions), which goyaml v3 encodes as a
    /// string.
    fn marshal_text(&self) -> Option<String> {
        None
    }

    /// For a named integer type (`time.Month`, `time.Duration`): its value,
    /// which truth, comparisons, indexes and fmt's integer verbs see (its
    /// `String` method serves `%v` and `print`).
    fn integer(&self) -> Option<i64> {
        None
    }

    fn as_any(&self) -> &dyn Any;
}

impl Value {
    /// Whether a map reachable from this value contains itself: maps are
    /// references, so `set $d "self" $d` builds one. Go's fmt, mergo,
    /// copystructure and TOML encoder recurse forever on such a value (helm
    /// crashes); chartgen checks first. Linear in the value's size.
    pub fn has_cycle(&self) -> bool {
        // Until some write may have made a map contain itself, none does
        // (see `Map::insert`): most charts never build one, and the walk
        // below over all of `.Values` for every `merge` was a tenth of a
        // render.
        if !CYCLE_POSSIBLE.load(AtomicOrdering::Acquire) {
            return false;
        }
        use rustc_hash::FxHashSet;
        enum Step {
            Enter(Value),
            Leave(usize),
        }
        // Only a container with two references or more can be reached again
        // (from within itself or from another parent); the walk tracks just
        // those. The walk's own copy of the value it enters is one reference,
        // so a container is shared when it has more than two. Another
        // thread's references can only make more containers tracked.
        fn shared(count: usize) -> bool {
            count > 2
        }
        let is_container = |v: &&Value| matches!(v, Value::Map(_) | Value::List(_));
        let (mut on_path, mut done) = (FxHashSet::default(), FxHashSet::default());
        let mut stack = vec![Step::Enter(self.clone())];
        while let Some(step) = stack.pop() {
            let (id, tracked) = match &step {
                Step::Leave(id) => {
                    on_path.remove(id);
                    done.insert(*id);
                    continue;
                }
                // A frozen map's values hold no loop.
                Step::Enter(Value::Map(m)) if frozen(m.birth()) => continue,
                Step::Enter(Value::Map(m)) => {
                    // A retyped reference shares its map with another.
                    let tracked = !matches!(m.go, GoRef::Own(_)) || shared(Arc::strong_count(m));
                    (m.id(), tracked)
                }
                Step::Enter(Value::List(l)) => {
                    (Arc::as_ptr(l) as usize, shared(Arc::strong_count(l)))
                }
                Step::Enter(_) => continue,
            };
            if tracked {
                if on_path.contains(&id) {
                    return true;
                }
                if done.contains(&id) {
                    continue;
                }
                on_path.insert(id);
                stack.push(Step::Leave(id));
            }
            match step {
                Step::Enter(Value::Map(m)) => stack.extend(
                    m.entries()
                        .values()
                        .filter(is_container)
                        .cloned()
                        .map(Step::Enter),
                ),
                Step::Enter(Value::List(l)) => stack.extend(
                    l.items
                        .iter()
                        .filter(is_container)
                        .cloned()
                        .map(Step::Enter),
                ),
                _ => {}
            }
        }
        false
    }

    /// Whether the map with identity `target` ([`Map::id`]) may be this
    /// value or reachable from it through maps and lists: `true` when it is,
    /// or when more than `budget` containers would have to be searched.
    fn may_reach(&self, target: usize, target_birth: u64, budget: usize) -> bool {
        // A frozen map born before the target cannot reach it.
        let is_container = |v: &&Value| match v {
            Value::Map(m) => !(m.birth() < target_birth && frozen(m.birth())),
            Value::List(_) => true,
            _ => false,
        };
        if !is_container(&self) {
            return false;
        }
        // Small searches: a list of the containers seen beats a hash set.
        let mut seen: Vec<usize> = Vec::new();
        let mut stack = vec![self.clone()];
        while let Some(v) = stack.pop() {
            let id = match &v {
                Value::Map(m) => m.id(),
                Value::List(l) => Arc::as_ptr(l) as usize,
                _ => continue,
            };
            if id == target {
                return true;
            }
            if seen.contains(&id) {
                continue;
            }
            if seen.len() == budget {
                return true;
            }
            seen.push(id);
            match &v {
                Value::Map(m) => stack.extend(
                    m.entries_unobserved()
                        .values()
                        .filter(is_container)
                        .cloned(),
                ),
                Value::List(l) => stack.extend(l.items.iter().filter(is_container).cloned()),
                _ => {}
            }
        }
        false
    }

    /// The value itself, or for an [`Object`] with an [`Object::underlying`]
    /// map/slice, that plain value.
    pub fn underlying(&self) -> std::borrow::Cow<'_, Value> {
        match self {
            Value::Object(o) => match o.underlying() {
                Some(u) => std::borrow::Cow::Owned(u),
                None => std::borrow::Cow::Borrowed(self),
            },
            _ => std::borrow::Cow::Borrowed(self),
        }
    }
}

/// A Go value.
#[derive(Clone, Debug, Default)]
pub enum Value {
    /// The zero `reflect.Value`: no value at all.
    #[default]
    Invalid,
    /// A nil stored in an `interface {}`.
    Nil,
    Bool(bool),
    Int(i64, IntKind),
    Uint(u64, UintKind),
    Float(f64),
    /// complex128 as (real, imaginary).
    Complex(f64, f64),
    String(Str),
    /// A Go `string` that is not valid UTF-8 (never valid: see [`Value::from_bytes`]).
    Bytes(Arc<crate::gostr::Bytes>),
    List(Arc<List>),
    Map(Arc<Map>),
    Object(Arc<dyn Object>),
}

impl Value {
    /// The same value: equal scalars of the same Go type, or references to
    /// the same map or object (unlike Go's `==`, which maps do not have).
    pub fn is_identical(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Invalid, Value::Invalid) | (Value::Nil, Value::Nil) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a, ka), Value::Int(b, kb)) => a == b && ka == kb,
            (Value::Uint(a, ka), Value::Uint(b, kb)) => a == b && ka == kb,
            (Value::Float(a), Value::Float(b)) => a.to_bits() == b.to_bits(),
            (Value::Complex(a, ai), Value::Complex(b, bi)) => {
                a.to_bits() == b.to_bits() && ai.to_bits() == bi.to_bits()
            }
            (Value::String(a), Value::String(b)) => a == b,
            (Value::Bytes(a), Value::Bytes(b)) => a.as_bytes() == b.as_bytes(),
            (Value::List(a), Value::List(b)) => {
                Arc::ptr_eq(a, b)
                    || (a.ty == b.ty
                        && a.items.len() == b.items.len()
                        && a.items.iter().zip(&b.items).all(|(x, y)| x.is_identical(y)))
            }
            (Value::Map(a), Value::Map(b)) => a.id() == b.id() && a.ty == b.ty,
            (Value::Object(a), Value::Object(b)) => {
                std::ptr::addr_eq(Arc::as_ptr(a), Arc::as_ptr(b))
            }
            _ => false,
        }
    }

    /// A Go `int`.
    pub fn int(i: i64) -> Value {
        Value::Int(i, IntKind::Int)
    }
    /// A Go `int64`.
    pub fn int64(i: i64) -> Value {
        Value::Int(i, IntKind::Int64)
    }
    pub fn string(s: impl Into<Str>) -> Value {
        Value::String(s.into())
    }
    /// A Go `string` of arbitrary bytes: [`Value::String`] when valid UTF-8.
    pub fn from_bytes(b: Vec<u8>) -> Value {
        match String::from_utf8(b) {
            Ok(s) => Value::String(s.into()),
            Err(e) => match crate::gostr::Bytes::new(e.into_bytes()) {
                Some(b) => Value::Bytes(Arc::new(b)),
                None => Value::String("".into()),
            },
        }
    }
    /// A `[]interface {}`.
    pub fn list(items: Vec<Value>) -> Value {
        Value::typed_list(Type::Interface, items)
    }
    /// A slice with the given element type.
    pub fn typed_list(elem: Type, items: Vec<Value>) -> Value {
        Value::List(Arc::new(List {
            ty: Type::slice_of(elem),
            items,
            nil: false,
            spare: Spare::default(),
        }))
    }
    /// A slice with the given element type and capacity (at least its length).
    pub fn typed_list_with_cap(elem: Type, items: Vec<Value>, cap: usize) -> Value {
        let spare = Spare::zeros(cap.saturating_sub(items.len()));
        Value::List(Arc::new(List {
            ty: Type::slice_of(elem),
            items,
            nil: false,
            spare,
        }))
    }
    /// A `[]interface {}` that grew from empty by appending its items one at
    /// a time, with the capacity Go's `append` left it: every list JSON
    /// decoding makes (values files, `fromYaml`, `fromJson`), see
    /// [`crate::goslice`].
    pub fn grown_list(items: Vec<Value>) -> Value {
        let cap = crate::goslice::grown_cap(items.len(), crate::goslice::Elem::INTERFACE);
        Value::typed_list_with_cap(Type::Interface, items, cap)
    }
    /// A nil slice of `[]elem` (Go's `var s []elem`): empty to every reader,
    /// `null` to the encoders.
    pub fn nil_list(elem: Type) -> Value {
        Value::List(Arc::new(List {
            ty: Type::slice_of(elem),
            items: Vec::new(),
            nil: true,
            spare: Spare::default(),
        }))
    }
    /// A `map[string]interface {}`.
    pub fn map(entries: MapEntries) -> Value {
        Value::typed_map(Type::map_of(Type::Interface), entries)
    }
    /// A map of the given map type.
    pub fn typed_map(ty: Type, entries: MapEntries) -> Value {
        Value::Map(Arc::new(Map::new(ty, entries)))
    }
    /// A nil map of type `ty` ([`Map::new_nil`]).
    pub fn nil_map(ty: Type) -> Value {
        Value::Map(Arc::new(Map::new_nil(ty)))
    }
    /// A map made with [`Map::new_watching`].
    pub fn typed_map_watching(ty: Type, entries: MapEntries, key: Str) -> Value {
        Value::Map(Arc::new(Map::new_watching(ty, entries, key)))
    }
    /// A map made with [`Map::new_with_slot`].
    pub fn typed_map_with_slot(ty: Type, entries: MapEntries, key: Str) -> Value {
        Value::Map(Arc::new(Map::new_with_slot(ty, entries, key)))
    }
    pub fn object(o: impl Object) -> Value {
        Value::Object(Arc::new(o))
    }

    pub fn is_invalid(&self) -> bool {
        matches!(self, Value::Invalid)
    }

    /// True for `Invalid` and `Nil`: a Go `interface{}` that is nil.
    pub fn is_nil_interface(&self) -> bool {
        matches!(self, Value::Invalid | Value::Nil)
    }

    /// The value's dynamic Go type; `None` for Invalid and Nil (no dynamic type).
    pub fn go_type(&self) -> Option<Type> {
        Some(match self {
            Value::Invalid | Value::Nil => return None,
            Value::Bool(_) => Type::Bool,
            Value::Int(_, k) => Type::Int(*k),
            Value::Uint(_, k) => Type::Uint(*k),
            Value::Float(_) => Type::Float64,
            Value::Complex(..) => Type::Complex128,
            Value::String(_) | Value::Bytes(_) => Type::String,
            Value::List(l) => l.ty.clone(),
            Value::Map(m) => m.ty.clone(),
            Value::Object(o) => o.go_type(),
        })
    }

    /// `%T`: the dynamic type's name, `<nil>` for nil.
    pub fn type_name(&self) -> String {
        match self.go_type() {
            Some(t) => t.to_string(),
            None => "<nil>".to_string(),
        }
    }

    /// The reflect kind of the dynamic value (`Invalid` for nil).
    pub fn kind(&self) -> Kind {
        // Without building the type: `go_type` clones a map or slice type.
        match self {
            Value::Invalid | Value::Nil => Kind::Invalid,
            Value::List(l) => l.ty.kind(),
            Value::Map(m) => m.ty.kind(),
            Value::Object(o) => o.go_type().kind(),
            Value::String(_) | Value::Bytes(_) => Kind::String,
            Value::Float(_) => Kind::Float64,
            Value::Bool(_) => Kind::Bool,
            other => other.go_type().map(|t| t.kind()).unwrap_or(Kind::Invalid),
        }
    }

    /// Go's `template.IsTrue`: `(truth, ok)`; `ok` is false for values with no truth (never here).
    pub fn is_true(&self) -> bool {
        match self {
            Value::Invalid | Value::Nil => false,
            Value::Bool(b) => *b,
            Value::Int(i, _) => *i != 0,
            Value::Uint(u, _) => *u != 0,
            Value::Float(f) => *f != 0.0,
            Value::Complex(r, i) => *r != 0.0 || *i != 0.0,
            Value::String(s) => !s.is_empty(),
            Value::Bytes(_) => true,
            Value::List(l) => !l.items.is_empty(),
            Value::Map(m) => !m.is_empty(),
            Value::Object(o) => match o.go_type().kind() {
                _ if o.integer().is_some() => o.integer() != Some(0),
                Kind::Struct => true,
                Kind::Pointer | Kind::Func | Kind::Chan | Kind::Interface => !o.is_nil(),
                _ => o.len().map(|n| n > 0).unwrap_or(!o.is_nil()),
            },
        }
    }

    /// A string's text. For a string that is not UTF-8 this is its rune view
    /// (each invalid byte U+FFFD, as Go's `range` sees it); byte-exact
    /// functions use [`Value::as_bytes`].
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            Value::Bytes(b) => Some(b.runes()),
            _ => None,
        }
    }

    /// A string's bytes, exactly as Go holds them.
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match self {
            Value::String(s) => Some(s.as_bytes()),
            Value::Bytes(b) => Some(b.as_bytes()),
            _ => None,
        }
    }

    /// Whether the value is a Go `string` (valid UTF-8 or not).
    pub fn is_string(&self) -> bool {
        matches!(self, Value::String(_) | Value::Bytes(_))
    }

    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(l) => Some(&l.items),
            _ => None,
        }
    }

    /// A snapshot of a map's entries.
    pub fn as_map(&self) -> Option<Arc<MapEntries>> {
        match self {
            Value::Map(m) => Some(m.entries()),
            _ => None,
        }
    }

    /// Downcast an object value to a concrete Rust type.
    pub fn downcast_ref<T: Object>(&self) -> Option<&T> {
        match self {
            Value::Object(o) => o.as_any().downcast_ref::<T>(),
            _ => None,
        }
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<f64> for Value {
    fn from(f: f64) -> Value {
        Value::Float(f)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.into())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(s.into())
    }
}

impl From<Str> for Value {
    fn from(s: Str) -> Value {
        Value::String(s)
    }
}

impl From<Vec<Value>> for Value {
    fn from(v: Vec<Value>) -> Value {
        Value::list(v)
    }
}

impl From<MapEntries> for Value {
    fn from(m: MapEntries) -> Value {
        Value::map(m)
    }
}

#[cfg(test)]
mod tests {
    /// A cut shares the backing array: cut shorter, it keeps the rest in
    /// reach; cut longer, it shows what lies there; a third index caps it.
    #[test]
    fn cuts_see_the_backing_array() {
        use super::*;
        let ints = |v: &[i64]| v.iter().map(|&i| Value::int(i)).collect::<Vec<_>>();
        let l = List {
            ty: Type::slice_of(Type::Interface),
            items: ints(&[1, 2, 3]),
            nil: false,
            spare: Spare::zeros(1),
        };
        assert_eq!(l.cap(), 4);
        let middle = l.cut(1, 2, None);
        assert_eq!(middle.items.len(), 1);
        assert_eq!(middle.cap(), 3);
        let longer = middle.cut(0, 3, None);
        assert_eq!(
            format!("{:?}", &longer.items[..2]),
            format!("{:?}", ints(&[2, 3]))
        );
        assert!(matches!(longer.items[2], Value::Nil));
        assert_eq!(longer.cap(), 3);
        let capped = l.cut(0, 1, Some(2));
        assert_eq!(capped.cap(), 2);
        let two = capped.cut(0, 2, None).items;
        assert_eq!(format!("{two:?}"), format!("{:?}", ints(&[1, 2])));
        // Zero values of the element type.
        let strs = List {
            ty: Type::slice_of(Type::String),
            items: vec![Value::string("a")],
            nil: false,
            spare: Spare::zeros(2),
        };
        let cut = strs.cut(0, 3, None);
        assert_eq!(cut.items[2].as_str(), Some(""));
    }

    /// text/template's own `slice` (which sprig's replaces in helm) cuts up
    /// to the capacity too, with Go's errors past it.
    #[test]
    fn builtin_slice_reaches_the_capacity() {
        use crate::{FuncMap, TemplateSet};
        let data = Value::grown_list(vec![Value::int(1), Value::int(2), Value::int(3)]);
        let run = |text: &str| {
            let mut set = TemplateSet::new("t", FuncMap::new());
            set.parse("t", text).unwrap();
            set.render("t", &data).map_err(|e| e.to_string())
        };
        assert_eq!(run("{{ slice . 0 4 }}").unwrap(), "[1 2 3 <nil>]");
        assert_eq!(run("{{ slice (slice . 0 1 2) 0 2 }}").unwrap(), "[1 2]");
        assert!(run("{{ slice . 0 5 }}")
            .unwrap_err()
            .contains("index out of range: 5"));
        assert!(run("{{ slice (slice . 0 1 2) 0 3 }}")
            .unwrap_err()
            .contains("index out of range: 3"));
    }

    use super::*;

    fn entries(pairs: &[(&str, Value)]) -> MapEntries {
        pairs
            .iter()
            .map(|(k, v)| (Str::from(*k), v.clone()))
            .collect()
    }

    #[test]
    fn write_guard_keeps_older_maps_unchanged_and_reports_it() {
        let old = Arc::new(Map::new(
            Type::map_of(Type::Interface),
            entries(&[("a", Value::int(1))]),
        ));
        let alias = Map::retyped(&old, Type::map_of(Type::Interface));
        let guard = WriteGuard::new();
        let new = Map::new(Type::map_of(Type::Interface), MapEntries::new());
        // The refused write runs on a copy: its result is as if it happened.
        assert_eq!(
            alias
                .insert("b".into(), Value::int(2))
                .map(|v| v.type_name()),
            None
        );
        assert!(guard.take_refused());
        assert!(!old.contains_key("b"));
        assert!(!guard.take_refused(), "taking the flag clears it");
        // Writing what is already there is no write.
        old.insert("a".into(), Value::int(1));
        assert!(!guard.take_refused());
        old.insert("a".into(), Value::int64(1));
        assert!(guard.take_refused(), "another Go type is a change");
        new.insert(
            "x".into(),
            Value::Map(Arc::new(Map::retyped(&old, Type::map_of(Type::Interface)))),
        );
        assert!(
            !guard.take_refused(),
            "a map made under the guard is writable"
        );
        assert_eq!(new.len(), 1);
        drop(guard);
        old.insert("b".into(), Value::int(2));
        assert!(
            old.contains_key("b"),
            "writable again once the guard is gone"
        );
    }

    #[test]
    fn write_guard_applies_per_thread() {
        let old = Map::new(Type::map_of(Type::Interface), MapEntries::new());
        let guard = WriteGuard::new();
        let generation = guard.generation();
        std::thread::scope(|s| {
            s.spawn(|| {
                old.insert("free".into(), Value::Bool(true));
            });
        });
        assert!(old.contains_key("free"), "no guard on the other thread");
        std::thread::scope(|s| {
            s.spawn(|| {
                let joined = WriteGuard::joining(generation);
                old.insert("guarded".into(), Value::Bool(true));
                assert!(joined.take_refused());
            });
        });
        assert!(!old.contains_key("guarded"));
        assert!(
            !guard.take_refused(),
            "the other thread's refusal is its own"
        );
    }

    #[test]
    fn cycles_in_shared_structures() {
        // Each level lists the next one twice: 2^20 paths, walked once each
        // level because every level is shared.
        let bottom = Value::map(MapEntries::new());
        let mut top = bottom.clone();
        for _ in 0..20 {
            top = Value::list(vec![top.clone(), top]);
        }
        assert!(!top.has_cycle());
        let Value::Map(m) = &bottom else {
            unreachable!()
        };
        m.insert("up".into(), top.clone());
        assert!(top.has_cycle());
        assert!(bottom.has_cycle());
        m.remove("up");
        assert!(!top.has_cycle());
    }

    #[test]
    fn identical_values() {
        let m = Arc::new(Map::new(Type::map_of(Type::Interface), MapEntries::new()));
        let a = Value::Map(Arc::new(Map::retyped(&m, Type::map_of(Type::Interface))));
        // A reference retyped from a retyped one is still the same map.
        let a_again = Arc::new(Map::retyped(&m, Type::map_of(Type::Interface)));
        let b = Value::Map(Arc::new(Map::retyped(
            &a_again,
            Type::map_of(Type::Interface),
        )));
        let copy = Value::Map(Arc::new(Map::clone(&m)));
        assert!(a.is_identical(&b));
        assert!(
            !a.is_identical(&copy),
            "an equal but distinct map is another map"
        );
        let l1 = Value::list(vec![Value::string("x"), Value::Float(0.5)]);
        let l2 = Value::list(vec![Value::string("x"), Value::Float(0.5)]);
        assert!(l1.is_identical(&l2));
        assert!(!Value::Float(0.0).is_identical(&Value::Float(-0.0)));
        assert!(!Value::int(1).is_identical(&Value::Uint(1, UintKind::Uint)));
        assert!(!Value::Nil.is_identical(&Value::Invalid));
    }

    #[test]
    fn type_names_follow_go() {
        assert_eq!(Value::list(vec![]).type_name(), "[]interface {}");
        assert_eq!(
            Value::typed_list(Type::String, vec![]).type_name(),
            "[]string"
        );
        assert_eq!(
            Value::map(MapEntries::new()).type_name(),
            "map[string]interface {}"
        );
        assert_eq!(Value::int64(1).type_name(), "int64");
        assert_eq!(Value::Nil.type_name(), "<nil>");
        let named = Type::Map {
            elem: Type::shared(Type::Interface),
            name: Some("common.Values".into()),
        };
        assert_eq!(
            Value::typed_map(named, MapEntries::new()).type_name(),
            "common.Values"
        );
    }

    #[test]
    fn assignability_follows_go() {
        let named = Type::Map {
            elem: Type::shared(Type::Interface),
            name: Some("common.Values".into()),
        };
        let plain = Type::map_of(Type::Interface);
        assert!(named.assignable_to(&plain));
        assert!(plain.assignable_to(&named));
        assert!(Type::String.assignable_to(&Type::Interface));
        assert!(!Type::Float64.assignable_to(&Type::Int(IntKind::Int)));
        assert!(!Type::slice_of(Type::String).assignable_to(&Type::slice_of(Type::Interface)));
    }

    #[test]
    fn byte_strings_are_go_strings() {
        assert_eq!(std::mem::size_of::<Value>(), 24);
        let v = Value::from_bytes(b"a\xe2\x82".to_vec());
        assert!(matches!(v, Value::Bytes(_)));
        assert_eq!(v.type_name(), "string");
        assert_eq!(v.kind(), Kind::String);
        assert_eq!(v.as_bytes(), Some(&b"a\xe2\x82"[..]));
        assert_eq!(v.as_str(), Some("a\u{fffd}\u{fffd}"));
        assert!(matches!(
            Value::from_bytes(b"ok".to_vec()),
            Value::String(_)
        ));
    }

    #[test]
    fn truthiness_is_go_zero_values() {
        assert!(!Value::Float(0.0).is_true());
        assert!(!Value::map(MapEntries::new()).is_true());
        assert!(!Value::string("").is_true());
        assert!(!Value::Nil.is_true());
        assert!(Value::int(-1).is_true());
        assert!(Value::list(vec![Value::Nil]).is_true());
    }
}
