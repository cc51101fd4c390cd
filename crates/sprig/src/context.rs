//! A render's sources of randomness and time.
//!
//! sprig's random functions (`randAlphaNum` … `uuidv4`, `shuffle`, keys,
//! certificates, bcrypt salts, AES IVs) and clock readers (`now`, `date`,
//! `ago`, certificate validity) draw from a [`Context`] that the caller
//! threads through the execution (gotmpl's `Call::ext`). A [`Determinism`]
//! with a seed makes every draw reproducible; with a frozen `now` every clock
//! reading is that instant. Each render owns its context, so parallel renders
//! in one process never share a random stream. Without a context, or with
//! the default one, the functions use the operating system's randomness and
//! the real clock, as sprig does.

use std::any::Any;

use gotmpl::Call;
use rand::{CryptoRng, RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;

use crate::dates::gotime::{self, Time};
use crate::dates::zoneinfo::Loc;

/// What makes a render reproducible: a seed for every random function and a
/// frozen clock. `None` keeps real randomness or the real clock.
#[derive(Clone, Debug, Default)]
pub struct Determinism {
    pub seed: Option<u64>,
    pub now: Option<Timestamp>,
}

/// An instant read from an RFC 3339 timestamp; `now` returns it in the
/// timestamp's own offset (`Z` is UTC), as Go's `time.Parse` would.
#[derive(Clone, Debug)]
pub struct Timestamp(Time);

impl Timestamp {
    /// Parses `2024-01-02T03:04:05Z`, `…T03:04:05.5+02:00`.
    pub fn parse_rfc3339(s: &str) -> Result<Timestamp, String> {
        gotime::parse_in_location(RFC3339_NANO, s, &Loc::Utc)
            .map(Timestamp)
            .map_err(|_| {
                format!(
                    "{} is not an RFC 3339 timestamp (like 2024-01-02T03:04:05Z)",
                    gotmpl::strconv::quote(s)
                )
            })
    }

    /// Seconds since the Unix epoch.
    pub fn unix(&self) -> i64 {
        self.0.unix_sec()
    }
}

impl PartialEq for Timestamp {
    fn eq(&self, other: &Timestamp) -> bool {
        self.0.equal(&other.0) && self.0.string() == other.0.string()
    }
}

const RFC3339_NANO: &str = "2006-01-02T15:04:05.999999999Z07:00";

/// The per-render state the random and clock functions read.
#[derive(Debug, Default)]
pub struct Context {
    rng: Entropy,
    now: Option<Time>,
}

impl Context {
    pub fn new(d: &Determinism) -> Context {
        Context {
            rng: match d.seed {
                Some(seed) => Entropy::Seeded(Box::new(ChaCha20Rng::seed_from_u64(seed))),
                None => Entropy::default(),
            },
            now: d.now.as_ref().map(|t| t.0.clone()),
        }
    }

    /// The render's randomness; the executions under way are not repeatable.
    pub(crate) fn rng(&mut self) -> &mut Entropy {
        gotmpl::purity::mark_volatile();
        &mut self.rng
    }

    /// `time.Now()`, or the frozen instant; the executions under way are not
    /// repeatable.
    pub(crate) fn now(&self) -> Time {
        gotmpl::purity::mark_volatile();
        match &self.now {
            Some(t) => t.clone(),
            None => Time::now(),
        }
    }
}

/// How a function finds the render's [`Context`] in the value the caller
/// threads through execution (see [`crate::funcs_with`]).
pub type ContextOf = fn(&mut dyn Any) -> Option<&mut Context>;

/// The default lookup: the threaded value is the [`Context`] itself.
pub fn context_itself(ext: &mut dyn Any) -> Option<&mut Context> {
    ext.downcast_mut::<Context>()
}

/// Runs `f` with the call's context, or a fresh default one (real
/// randomness and clock) when the caller threads none.
pub(crate) fn with<R>(of: ContextOf, call: &mut Call<'_>, f: impl FnOnce(&mut Context) -> R) -> R {
    match of(call.ext()) {
        Some(ctx) => f(ctx),
        None => f(&mut Context::default()),
    }
}

/// A cryptographically secure generator: ChaCha20 keyed from the operating
/// system on first use (one system call per render instead of one per
/// random character, as `rand`'s thread generator does), or ChaCha20 from a
/// seed (reproducible, still uniform for keys and salts).
#[derive(Debug)]
pub(crate) enum Entropy {
    /// Keyed from the operating system when first drawn from.
    Os(Option<Box<ChaCha20Rng>>),
    Seeded(Box<ChaCha20Rng>),
}

impl Default for Entropy {
    fn default() -> Entropy {
        Entropy::Os(None)
    }
}

impl Entropy {
    fn stream(&mut self) -> &mut ChaCha20Rng {
        match self {
            Entropy::Os(keyed) => {
                keyed.get_or_insert_with(|| Box::new(ChaCha20Rng::from_entropy()))
            }
            Entropy::Seeded(r) => r,
        }
    }
}

impl RngCore for Entropy {
    fn next_u32(&mut self) -> u32 {
        self.stream().next_u32()
    }
    fn next_u64(&mut self) -> u64 {
        self.stream().next_u64()
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        self.stream().fill_bytes(dest)
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand::Error> {
        self.stream().try_fill_bytes(dest)
    }
}

impl CryptoRng for Entropy {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_streams_repeat_and_differ_by_seed() {
        let draw = |seed| {
            let mut c = Context::new(&Determinism {
                seed: Some(seed),
                now: None,
            });
            (0..4).map(|_| c.rng().next_u64()).collect::<Vec<_>>()
        };
        assert_eq!(draw(1), draw(1));
        assert_ne!(draw(1), draw(2));
    }

    #[test]
    fn unseeded_contexts_draw_different_streams() {
        let draw = || {
            let mut c = Context::default();
            (0..4).map(|_| c.rng().next_u64()).collect::<Vec<_>>()
        };
        let first = draw();
        assert_ne!(first, draw());
        assert_ne!(first[0], first[1]);
    }

    #[test]
    fn timestamps() {
        let t = Timestamp::parse_rfc3339("2024-01-02T03:04:05+02:00").unwrap();
        assert_eq!(t.unix(), 1704157445);
        assert_eq!(t.0.string(), "2024-01-02 03:04:05 +0200 +0200");
        let z = Timestamp::parse_rfc3339("2024-01-02T01:04:05.25Z").unwrap();
        assert_eq!(z.0.string(), "2024-01-02 01:04:05.25 +0000 UTC");
        assert!(Timestamp::parse_rfc3339("2024-01-02").is_err());
        assert!(Timestamp::parse_rfc3339("yesterday").is_err());
    }
}
