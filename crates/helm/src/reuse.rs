//! Reuse of a file's output from an earlier render of the same chart.
//!
//! A test suite renders one chart hundreds of times, each time with values
//! that differ in a few keys; most files read none of those keys and render
//! as before. A file's output is kept with what its execution read: the
//! top-level keys of each chart's `.Values` it looked up (or that it read a
//! `.Values` as a whole), observed, not guessed ([`gotmpl::purity`]), along
//! with the reads of the `include` results it reused within its render. A
//! later render gives the kept output again when:
//!
//! * everything else the templates see is the same: the caller describes
//!   it in a frame (release, capabilities, the charts' metadata and tree);
//!   `.Files` are the loaded chart's own;
//! * the file's text is the same, and so is the content under every key it
//!   read (compared by a 128-bit hash of the content, types included, so
//!   that values changed in place between renders are not mistaken for the
//!   ones kept);
//! * its execution had no other effect: it wrote to no map that existed
//!   before it, drew no randomness and read no clock.
//!
//! Where renders keep finding nothing to reuse (each one's values change a
//! key every file reads), the recording is a cost without a return: after
//! [`MISSES_BEFORE_REST`] such renders in a row, the next [`REST`] renders
//! neither record nor reuse, then the store tries again.
//!
//! Once a file wrote to a map made before it (`set .Values …`, `set $ …`),
//! the files after it in helm's order run rather than reuse (they may read
//! what it wrote, which the keys they read do not show), and the render
//! keeps nothing and drops what was kept.

use std::hash::Hasher;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use gotmpl::purity::Read;
use gotmpl::{Map, MapEntries, Str, Value};
use rustc_hash::FxHashMap;

/// Kept outputs of a loaded chart's files, from its latest renders.
#[derive(Debug, Default)]
pub struct OutputReuse {
    state: Mutex<State>,
    /// Outputs reused so far.
    reused: AtomicUsize,
    /// Renders in a row that reused nothing.
    misses: AtomicUsize,
    /// Renders left that neither record nor reuse.
    resting: AtomicUsize,
}

/// See the module doc.
const MISSES_BEFORE_REST: usize = 8;
const REST: usize = 56;

#[derive(Debug, Default)]
struct State {
    /// What the kept outputs were rendered within (see [`OutputReuse::begin`]).
    frame: Box<str>,
    kept: FxHashMap<Box<str>, Kept>,
}

#[derive(Debug)]
struct Kept {
    text: Arc<str>,
    output: KeptOutput,
    deps: Box<[Dep]>,
}

/// A file's output as the engine returns it: its text, and its bytes when
/// they are not UTF-8.
#[derive(Clone, Debug)]
pub struct KeptOutput {
    pub text: String,
    pub raw: Option<Vec<u8>>,
}

/// Content a kept output was computed from: a key of a scope's `.Values`
/// (none: all of it) and the hash of what was there.
#[derive(Debug)]
struct Dep {
    scope: u32,
    key: Option<Str>,
    hash: u128,
}

/// Tags are unique to a render's scope, so that a map two renders share
/// (values passed to both) is never taken for another render's.
static NEXT_TAG: AtomicU64 = AtomicU64::new(1);

fn relock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl OutputReuse {
    /// Begins a render whose scopes (besides their `.Values`) `frame`
    /// describes; kept outputs of another frame are dropped. Tags every
    /// scope's `.Values`, those only reachable through `.Subcharts`
    /// included, so that the render's executions can record their reads.
    ///
    /// None while the store rests (see the module doc).
    pub(crate) fn begin<'s>(
        &self,
        frame: &str,
        scopes: impl Iterator<Item = &'s MapEntries>,
    ) -> Option<RenderReuse<'_>> {
        let resting = self
            .resting
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |r| r.checked_sub(1));
        if resting.is_ok() {
            return None;
        }
        {
            let mut state = relock(&self.state);
            if *state.frame != *frame {
                state.kept.clear();
                state.frame = frame.into();
            }
        }
        let mut render = RenderReuse {
            store: self,
            frame: frame.into(),
            scopes: Vec::new(),
            tags: FxHashMap::default(),
            hashes: Mutex::new(FxHashMap::default()),
        };
        for scope in scopes {
            render.add_scope(scope);
        }
        Some(render)
    }

    /// Drops every kept output.
    fn forget(&self) {
        relock(&self.state).kept.clear();
    }

    /// How many outputs were reused so far.
    pub fn reused(&self) -> usize {
        self.reused.load(Ordering::Relaxed)
    }
}

/// A key of a scope's `.Values` (none: all of it).
type ScopeKey = (u32, Option<Str>);

/// One render's use of the kept outputs.
pub(crate) struct RenderReuse<'a> {
    store: &'a OutputReuse,
    /// The frame it began in. Renders of another frame may begin while it
    /// runs (renders on other threads): the store then holds that frame's
    /// outputs, whose scope numbers are not this render's.
    frame: Box<str>,
    /// Each scope's `.Values`, by scope number.
    scopes: Vec<Arc<Map>>,
    /// Tag -> scope number.
    tags: FxHashMap<u64, u32>,
    /// The hash of what is under a key of a scope's `.Values` in this
    /// render (none: content that has no hash), computed once.
    hashes: Mutex<FxHashMap<ScopeKey, Option<u128>>>,
}

impl RenderReuse<'_> {
    fn add_scope(&mut self, scope: &MapEntries) {
        let Some(Value::Map(values)) = scope.get("Values") else {
            return;
        };
        if self.scopes.iter().any(|m| m.id() == values.id()) {
            return;
        }
        let tag = NEXT_TAG.fetch_add(1, Ordering::Relaxed);
        values.tag_reads(tag);
        self.tags.insert(tag, self.scopes.len() as u32);
        self.scopes.push(values.clone());
        if let Some(Value::Map(subcharts)) = scope.get("Subcharts") {
            for child in subcharts.entries_unobserved().values() {
                if let Value::Map(child) = child {
                    self.add_scope(&child.entries_unobserved());
                }
            }
        }
    }

    /// The output kept for `name` if it would render the same now.
    pub(crate) fn lookup(&self, name: &str, text: &Arc<str>) -> Option<KeptOutput> {
        let state = relock(&self.store.state);
        if *state.frame != *self.frame {
            return None;
        }
        let kept = state.kept.get(name)?;
        if !(Arc::ptr_eq(&kept.text, text) || kept.text == *text) {
            return None;
        }
        kept.deps
            .iter()
            .all(|d| self.hash(d.scope, &d.key) == Some(d.hash))
            .then(|| kept.output.clone())
    }

    /// Keeps a file's output with the reads its execution recorded (unless
    /// one was of a map this render did not tag, or of content without a
    /// hash).
    pub(crate) fn keep(&self, name: &str, text: &Arc<str>, output: KeptOutput, reads: &[Read]) {
        let mut deps = Vec::with_capacity(reads.len());
        for (tag, key) in reads {
            let Some(&scope) = self.tags.get(tag) else {
                return;
            };
            let Some(hash) = self.hash(scope, key) else {
                return;
            };
            deps.push(Dep {
                scope,
                key: key.clone(),
                hash,
            });
        }
        let mut state = relock(&self.store.state);
        if *state.frame != *self.frame {
            return;
        }
        state.kept.insert(
            name.into(),
            Kept {
                text: text.clone(),
                output,
                deps: deps.into_boxed_slice(),
            },
        );
    }

    /// Drops every kept output (a file wrote to a map made before it).
    pub(crate) fn forget(&self) {
        self.store.forget();
    }

    /// Counts `n` outputs as reused by a finished render.
    pub(crate) fn count_reused(&self, n: usize) {
        let store = self.store;
        store.reused.fetch_add(n, Ordering::Relaxed);
        if n > 0 {
            store.misses.store(0, Ordering::Relaxed);
        } else if store.misses.fetch_add(1, Ordering::Relaxed) + 1 >= MISSES_BEFORE_REST {
            store.misses.store(0, Ordering::Relaxed);
            store.resting.store(REST, Ordering::Relaxed);
        }
    }

    fn hash(&self, scope: u32, key: &Option<Str>) -> Option<u128> {
        let mut hashes = relock(&self.hashes);
        if let Some(&h) = hashes.get(&(scope, key.clone())) {
            return h;
        }
        let values = self.scopes.get(scope as usize)?;
        // The content is written out, then hashed in one go: much faster
        // than feeding the hasher a few bytes at a time.
        let mut h = Encoding(Vec::with_capacity(4096));
        let ok = match key {
            None => hash_map(&mut h, values),
            Some(k) => match values.entries_unobserved().get(k) {
                None => {
                    h.write_u8(0);
                    true
                }
                Some(v) => {
                    h.write_u8(1);
                    hash_value(&mut h, v)
                }
            },
        };
        let hash = ok.then(|| xxhash_rust::xxh3::xxh3_128(&h.0));
        hashes.insert((scope, key.clone()), hash);
        hash
    }
}

/// Feeds `v`'s content to `h`, types included (`1` and `1.0` differ, as do
/// a map and a nil map). False for content without a stable hash (objects).
fn hash_value(h: &mut Encoding, v: &Value) -> bool {
    match v {
        Value::Invalid => h.write_u8(0),
        Value::Nil => h.write_u8(1),
        Value::Bool(b) => {
            h.write_u8(2);
            h.write_u8(*b as u8);
        }
        Value::Int(i, kind) => {
            h.write_u8(3);
            std::hash::Hash::hash(kind, h);
            h.write_i64(*i);
        }
        Value::Uint(u, kind) => {
            h.write_u8(4);
            std::hash::Hash::hash(kind, h);
            h.write_u64(*u);
        }
        Value::Float(f) => {
            h.write_u8(5);
            h.write_u64(f.to_bits());
        }
        Value::Complex(re, im) => {
            h.write_u8(6);
            h.write_u64(re.to_bits());
            h.write_u64(im.to_bits());
        }
        Value::String(s) => {
            h.write_u8(7);
            write_bytes(h, s.as_bytes());
        }
        Value::Bytes(b) => {
            h.write_u8(8);
            write_bytes(h, b.as_bytes());
        }
        Value::List(l) => {
            h.write_u8(9);
            write_type(h, &l.ty);
            h.write_u8(l.nil as u8);
            h.write_usize(l.items.len());
            return l.items.iter().all(|item| hash_value(h, item));
        }
        Value::Map(m) => {
            h.write_u8(10);
            return hash_map(h, m);
        }
        Value::Object(_) => return false,
    }
    true
}

fn hash_map(h: &mut Encoding, m: &Map) -> bool {
    write_type(h, &m.ty);
    h.write_u8(m.is_nil() as u8);
    let entries = m.entries_unobserved();
    h.write_usize(entries.len());
    entries.iter().all(|(k, v)| {
        write_bytes(h, k.as_bytes());
        hash_value(h, v)
    })
}

/// Length first, so that adjacent strings cannot run into each other.
fn write_bytes(h: &mut Encoding, bytes: &[u8]) {
    h.write_usize(bytes.len());
    h.write(bytes);
}

fn write_type(h: &mut Encoding, ty: &gotmpl::Type) {
    std::hash::Hash::hash(ty, h);
}

/// Content written out for hashing (a [`Hasher`] that only collects bytes;
/// XXH3's 128-bit hash of them stands for the content).
struct Encoding(Vec<u8>);

impl Hasher for Encoding {
    fn write(&mut self, bytes: &[u8]) {
        self.0.extend_from_slice(bytes);
    }

    fn write_u8(&mut self, i: u8) {
        self.0.push(i);
    }

    /// Never asked: the bytes are hashed in one go.
    fn finish(&self) -> u64 {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::values_type;

    /// A chart scope whose `.Values` holds `key: 1`.
    fn scope(key: &str) -> MapEntries {
        let mut values = MapEntries::new();
        values.insert(key.into(), Value::int(1));
        let mut scope = MapEntries::new();
        scope.insert("Values".into(), Value::typed_map(values_type(), values));
        scope
    }

    /// Render `render` keeps `name`'s output as having read `key` of its
    /// scope `scope`'s `.Values`.
    fn keep_read(render: &RenderReuse, name: &str, text: &Arc<str>, scope: u32, key: &str) {
        let tag = render
            .tags
            .iter()
            .find(|(_, &s)| s == scope)
            .map(|(&tag, _)| tag)
            .expect("a tagged scope");
        let output = KeptOutput {
            text: "out".into(),
            raw: None,
        };
        render.keep(name, text, output, &[(tag, Some(key.into()))]);
    }

    #[test]
    fn an_output_is_reused_within_its_frame() {
        let store = OutputReuse::default();
        let text: Arc<str> = "t".into();
        let (parent, sub) = (scope("a"), scope("b"));
        let first = store
            .begin("two charts", [&parent, &sub].into_iter())
            .unwrap();
        keep_read(&first, "t", &text, 1, "b");
        let (parent, sub) = (scope("a"), scope("b"));
        let next = store
            .begin("two charts", [&parent, &sub].into_iter())
            .unwrap();
        assert_eq!(next.lookup("t", &text).map(|o| o.text), Some("out".into()));
    }

    /// Renders on other threads may begin in another frame while one runs:
    /// what it keeps then must not reach the other frame's renders, whose
    /// scope numbers differ (one scope fewer here).
    #[test]
    fn outputs_kept_after_the_frame_changed_are_not_reused() {
        let store = OutputReuse::default();
        let text: Arc<str> = "t".into();
        let (parent, sub) = (scope("a"), scope("b"));
        let first = store
            .begin("two charts", [&parent, &sub].into_iter())
            .unwrap();
        let lone = scope("a");
        let _other = store.begin("one chart", [&lone].into_iter()).unwrap();
        keep_read(&first, "t", &text, 1, "b");
        let lone = scope("a");
        let next = store.begin("one chart", [&lone].into_iter()).unwrap();
        assert!(next.lookup("t", &text).is_none());
    }
}
