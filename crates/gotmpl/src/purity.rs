//! What an execution did besides producing its output, so that a caller can
//! tell whether running it again with the same inputs must give the same
//! result (and reuse the first one).
//!
//! An execution observed through a [`Frame`] may have:
//! * written to a map that existed before it began (a side effect others see);
//! * drawn randomness or read the clock ([`mark_volatile`], called by such
//!   functions);
//! * read the watched key of a map made with [`crate::Map::new_watching`]
//!   (or looked at all of such a map's entries).
//!
//! Frames nest: what an inner frame saw is also seen by the frames around it.
//! Separately, every write to a map is remembered by the map's birth
//! ([`take_oldest_write`]), so a cache holding results that depend on maps
//! made before some point can drop them when one of those maps changes.
//!
//! The record is per thread, as executions are.
//!
//! Apart from frames, a thread may record which keys of tagged maps
//! ([`crate::Map::tag_reads`]) it read ([`record_reads`]): what a caller
//! needs to tell whether an execution's inputs changed since it last ran.

use std::cell::{Cell, RefCell};
use std::sync::atomic::Ordering;

use crate::value::MAP_GENERATION;
use crate::Str;

/// A read of a tagged map: its tag and the key (none: the entries as a
/// whole, or their number).
pub type Read = (u64, Option<Str>);

/// Reads made by an execution (see [`reads_since`]), to be recorded again
/// with [`replay_reads`] where its result is reused. Valid on the thread
/// that made it until [`reset_reads`].
#[derive(Clone, Debug, Default)]
pub struct ReadSet(Box<[u64]>);

/// This thread's recording: each distinct read has a number; the log holds
/// the numbers of the reads in order, repeats included (a mark may fall
/// between two).
#[derive(Default)]
struct Recording {
    on: bool,
    log: Vec<u32>,
    reads: Vec<Read>,
    /// Per tag: the number of "all entries" and of each key read.
    by_tag: Vec<(u64, Option<u32>, rustc_hash::FxHashMap<Str, u32>)>,
}

impl Recording {
    fn number(&mut self, tag: u64, key: Option<&str>) -> u32 {
        let next = self.reads.len() as u32;
        let t = match self.by_tag.iter().position(|(t, _, _)| *t == tag) {
            Some(t) => t,
            None => {
                self.by_tag.push((tag, None, Default::default()));
                self.by_tag.len() - 1
            }
        };
        let (_, all, keys) = &mut self.by_tag[t];
        let key = match key {
            None => {
                if let Some(n) = *all {
                    return n;
                }
                *all = Some(next);
                None
            }
            Some(key) => {
                if let Some(&n) = keys.get(key) {
                    return n;
                }
                let key = Str::from(key);
                keys.insert(key.clone(), next);
                Some(key)
            }
        };
        self.reads.push((tag, key));
        next
    }

    fn set_of(&self, numbers: &[u32]) -> Box<[u64]> {
        let mut words = vec![0u64; self.reads.len().div_ceil(64)];
        for &n in numbers {
            words[n as usize / 64] |= 1 << (n % 64);
        }
        words.into_boxed_slice()
    }
}

thread_local! {
    static RECORDING: RefCell<Recording> = RefCell::new(Recording::default());
    static RECORDING_ON: Cell<bool> = const { Cell::new(false) };
}

/// Forgets this thread's reads and their numbers: the [`ReadSet`]s made so
/// far are no longer valid here.
pub fn reset_reads() {
    RECORDING_ON.with(|on| on.set(false));
    RECORDING.with(|r| *r.borrow_mut() = Recording::default());
}

/// Starts recording this thread's reads of tagged maps (anew).
pub fn record_reads() {
    RECORDING.with(|r| {
        let mut r = r.borrow_mut();
        r.log.clear();
        r.on = true;
    });
    RECORDING_ON.with(|on| on.set(true));
}

/// Stops recording, returning the reads recorded (each once).
pub fn stop_recording_reads() -> Vec<Read> {
    RECORDING_ON.with(|on| on.set(false));
    RECORDING.with(|r| {
        let mut r = r.borrow_mut();
        r.on = false;
        let set = r.set_of(&r.log);
        r.log.clear();
        members(&set).map(|n| r.reads[n].clone()).collect()
    })
}

fn members(words: &[u64]) -> impl Iterator<Item = usize> + '_ {
    words.iter().enumerate().flat_map(|(w, &bits)| {
        (0..64)
            .filter(move |b| bits & (1 << b) != 0)
            .map(move |b| w * 64 + b)
    })
}

/// Where the record stands, if this thread is recording (for
/// [`reads_since`]).
pub fn reads_mark() -> Option<usize> {
    if !RECORDING_ON.with(|on| on.get()) {
        return None;
    }
    Some(RECORDING.with(|r| r.borrow().log.len()))
}

/// The reads recorded since `mark`.
pub fn reads_since(mark: usize) -> ReadSet {
    RECORDING.with(|r| {
        let r = r.borrow();
        ReadSet(r.set_of(r.log.get(mark..).unwrap_or_default()))
    })
}

/// Records `reads` as if made now (by a reused result's execution).
pub fn replay_reads(reads: &ReadSet) {
    if RECORDING_ON.with(|on| on.get()) {
        RECORDING.with(|r| {
            let mut r = r.borrow_mut();
            for n in members(&reads.0) {
                r.log.push(n as u32);
            }
        });
    }
}

pub(crate) fn note_read(tag: u64, key: Option<&str>) {
    if RECORDING_ON.with(|on| on.get()) {
        RECORDING.with(|r| {
            let mut r = r.borrow_mut();
            let n = r.number(tag, key);
            r.log.push(n);
        });
    }
}

#[derive(Clone, Copy)]
struct Seen {
    /// The oldest birth of a map written to within the innermost frame.
    oldest_write: u64,
    /// The oldest birth of a map written to since the last
    /// [`take_oldest_write`].
    oldest_write_undrained: u64,
    volatile: bool,
    watched_read: bool,
}

const NO_WRITE: u64 = u64::MAX;

thread_local! {
    static SEEN: Cell<Seen> = const {
        Cell::new(Seen {
            oldest_write: NO_WRITE,
            oldest_write_undrained: NO_WRITE,
            volatile: false,
            watched_read: false,
        })
    };
}

/// An execution being observed (see [`begin`]).
#[must_use = "a frame is closed with `end`"]
pub struct Frame {
    start: u64,
    outer: Seen,
}

/// What an execution did besides producing its output.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Effects {
    /// It wrote to a map made before it began.
    pub wrote_older_map: bool,
    /// It drew randomness or read the clock.
    pub volatile: bool,
    /// It read a watched key.
    pub watched_read: bool,
}

impl Effects {
    /// Whether the same inputs (up to watched keys, when `watched_read`
    /// is false) give the same output again, with nothing else changed.
    pub fn repeatable(&self) -> bool {
        !self.wrote_older_map && !self.volatile
    }
}

impl Frame {
    /// The generation the execution began in: maps born at or after it
    /// were made by the execution itself.
    pub fn start(&self) -> u64 {
        self.start
    }
}

/// Starts observing an execution on this thread. Maps made from now on have
/// a later birth than every map made before.
pub fn begin() -> Frame {
    let start = MAP_GENERATION.fetch_add(1, Ordering::Relaxed) + 1;
    let outer = SEEN.with(|s| {
        let outer = s.get();
        s.set(Seen {
            oldest_write: NO_WRITE,
            volatile: false,
            watched_read: false,
            ..outer
        });
        outer
    });
    Frame { start, outer }
}

/// Stops observing, reporting what the execution did; the enclosing frame
/// (if any) sees it too.
pub fn end(frame: Frame) -> Effects {
    SEEN.with(|s| {
        let inner = s.get();
        s.set(Seen {
            oldest_write: inner.oldest_write.min(frame.outer.oldest_write),
            oldest_write_undrained: inner.oldest_write_undrained,
            volatile: inner.volatile || frame.outer.volatile,
            watched_read: inner.watched_read || frame.outer.watched_read,
        });
        Effects {
            wrote_older_map: inner.oldest_write < frame.start,
            volatile: inner.volatile,
            watched_read: inner.watched_read,
        }
    })
}

/// The current generation: maps made from now on are born at or after it.
pub fn generation() -> u64 {
    MAP_GENERATION.load(Ordering::Relaxed)
}

/// Records that the running execution drew randomness or read the clock.
pub fn mark_volatile() {
    SEEN.with(|s| {
        let mut seen = s.get();
        seen.volatile = true;
        s.set(seen);
    });
}

/// The oldest birth of a map written to since the last call, if any.
pub fn take_oldest_write() -> Option<u64> {
    SEEN.with(|s| {
        let mut seen = s.get();
        let oldest = seen.oldest_write_undrained;
        seen.oldest_write_undrained = NO_WRITE;
        s.set(seen);
        (oldest != NO_WRITE).then_some(oldest)
    })
}

pub(crate) fn note_write(birth: u64) {
    SEEN.with(|s| {
        let mut seen = s.get();
        seen.oldest_write = seen.oldest_write.min(birth);
        seen.oldest_write_undrained = seen.oldest_write_undrained.min(birth);
        s.set(seen);
    });
}

pub(crate) fn note_watched_read() {
    SEEN.with(|s| {
        let mut seen = s.get();
        seen.watched_read = true;
        s.set(seen);
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Map, MapEntries, Type, Value};

    fn map_with(key: &str) -> Map {
        let mut e = MapEntries::new();
        e.insert(key.into(), Value::int(1));
        Map::new(Type::map_of(Type::Interface), e)
    }

    #[test]
    fn writes_to_older_maps_are_side_effects_and_nest() {
        let old = map_with("a");
        let outer = begin();
        let made_in_outer = map_with("b");
        let inner = begin();
        let made_in_inner = map_with("c");
        made_in_inner.insert("x".into(), Value::int(2));
        made_in_outer.insert("x".into(), Value::int(2));
        let inner_effects = end(inner);
        assert!(inner_effects.wrote_older_map);
        let outer_effects = end(outer);
        // The inner frame's write was to a map the outer frame made.
        assert!(!outer_effects.wrote_older_map);

        let outer = begin();
        let inner = begin();
        old.insert("x".into(), Value::int(2));
        assert!(end(inner).wrote_older_map);
        assert!(end(outer).wrote_older_map);
    }

    #[test]
    fn writes_are_drained_by_birth() {
        let _ = take_oldest_write();
        let old = map_with("a");
        let birth = old.birth();
        assert_eq!(take_oldest_write(), None);
        let _ = begin();
        let young = map_with("b");
        young.remove("b");
        old.remove("a");
        assert_eq!(take_oldest_write(), Some(birth));
        assert_eq!(take_oldest_write(), None);
    }

    #[test]
    fn volatility_and_watched_reads_reach_enclosing_frames_only() {
        let mut e = MapEntries::new();
        e.insert("Template".into(), Value::from("t"));
        e.insert("Values".into(), Value::from("v"));
        let watched = Map::new_watching(Type::map_of(Type::Interface), e, "Template".into());
        let outer = begin();
        let inner = begin();
        assert!(watched.get("Values").is_some());
        let effects = end(inner);
        assert!(!effects.watched_read && !effects.volatile && effects.repeatable());
        let inner = begin();
        assert!(watched.get("Template").is_some());
        mark_volatile();
        let effects = end(inner);
        assert!(effects.watched_read && effects.volatile && !effects.repeatable());
        let after = begin();
        assert_eq!(end(after), Effects::default());
        let effects = end(outer);
        assert!(effects.watched_read && effects.volatile);

        let frame = begin();
        let _ = watched.entries();
        assert!(end(frame).watched_read);
    }

    #[test]
    fn reads_of_tagged_maps_are_recorded_and_replayed() {
        let map = map_with("a");
        map.tag_reads(7);
        let untagged = map_with("b");
        reset_reads();
        // Not recording: nothing is noted.
        let _ = map.get("a");
        record_reads();
        let _ = map.get("a");
        let _ = untagged.get("b");
        let mark = reads_mark().expect("recording");
        // The same key again after the mark: the mark's reads include it.
        let _ = map.get("a");
        let _ = map.contains_key("zz");
        let inner = reads_since(mark);
        let _ = map.len();
        let all = stop_recording_reads();
        let key = |k: &str| Some(Str::from(k));
        assert_eq!(all, vec![(7, key("a")), (7, key("zz")), (7, None)]);
        assert_eq!(reads_mark(), None);
        record_reads();
        replay_reads(&inner);
        assert_eq!(stop_recording_reads(), vec![(7, key("a")), (7, key("zz"))]);
    }

    #[test]
    fn a_slot_reports_only_what_its_value_watches() {
        let name_watching = |name: &str| {
            let mut e = MapEntries::new();
            e.insert("Name".into(), Value::from(name));
            e.insert("BasePath".into(), Value::from("c/templates"));
            Value::typed_map_watching(Type::map_of(Type::Interface), e, "Name".into())
        };
        let mut e = MapEntries::new();
        e.insert("Template".into(), name_watching("a"));
        let top = Map::new_with_slot(Type::map_of(Type::Interface), e, "Template".into());
        let _ = take_oldest_write();
        let frame = begin();
        let Some(Value::Map(template)) = top.get("Template") else {
            panic!("a map")
        };
        assert!(matches!(template.get("BasePath"), Some(Value::String(s)) if &*s == "c/templates"));
        let _ = top.entries();
        assert!(!end(frame).watched_read);
        let frame = begin();
        assert!(matches!(template.get("Name"), Some(Value::String(s)) if &*s == "a"));
        assert!(end(frame).watched_read);
        let frame = begin();
        let _ = template.entries();
        assert!(end(frame).watched_read);

        top.replace_slot(name_watching("b"));
        assert_eq!(take_oldest_write(), None);
        let Some(Value::Map(template)) = top.get("Template") else {
            panic!("a map")
        };
        assert!(matches!(template.get("Name"), Some(Value::String(s)) if &*s == "b"));
    }
}
