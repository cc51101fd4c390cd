//! The sprig v3 function library (as helm v4.1.4 registers it, minus `env` and
//! `expandenv`) for the `gotmpl` engine.
//!
//! Every function carries its Go signature, so argument conversion and type
//! errors are Go's. Helm's own functions (`include`, `tpl`, `toYaml`, …) are
//! not here; the Helm layer adds them.
//!
//! Random and clock functions read a per-render [`Context`] (see
//! [`context`]): seeded and frozen for reproducible renders, the operating
//! system's randomness and the real clock by default.

use gotmpl::FuncMap;

pub mod context;
mod conversion;
mod crypto;
mod dates;
mod defaults;
mod dicts;
mod encoding;
mod lists;
mod math;
mod network;
mod paths;
mod random;
mod reflection;
mod regex;
pub mod semver;
mod strings;
mod urls;
pub mod util;

pub use context::{Context, ContextOf, Determinism, Timestamp};
pub use dates::{time_unmarshal_json_error, toml_datetime};

/// All sprig functions helm registers; executions that thread a [`Context`]
/// as their `ext` get its randomness and clock.
pub fn funcs() -> FuncMap {
    funcs_with(context::context_itself)
}

/// All sprig functions, finding the render's [`Context`] with `context_of`
/// in the value threaded through execution (a caller's own state that
/// embeds a context).
pub fn funcs_with(context_of: ContextOf) -> FuncMap {
    let mut m = FuncMap::new();
    strings::register(&mut m);
    lists::register(&mut m);
    dicts::register(&mut m);
    defaults::register(&mut m);
    conversion::register(&mut m);
    math::register(&mut m);
    regex::register(&mut m);
    encoding::register(&mut m);
    paths::register(&mut m);
    urls::register(&mut m);
    network::register(&mut m);
    reflection::register(&mut m);
    semver::register(&mut m);
    dates::register(&mut m, context_of);
    crypto::register(&mut m, context_of);
    random::register(&mut m, context_of);
    m
}
