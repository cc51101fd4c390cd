//! The sprig v3 function library (as helm v4.1.4 registers it, minus `env` and
//! `expandenv`) for the `gotmpl` engine.
//!
//! Every function carries its Go signature, so argument conversion and type
//! errors are Go's. Helm's own functions (`include`, `tpl`, `toYaml`, …) are
//! not here; the Helm layer adds them.

use gotmpl::FuncMap;

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
mod semver;
mod strings;
mod urls;
pub mod util;

/// All sprig functions helm registers.
pub fn funcs() -> FuncMap {
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
    dates::register(&mut m);
    crypto::register(&mut m);
    random::register(&mut m);
    m
}
