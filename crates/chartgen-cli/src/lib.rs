//! chartgen's command line as a library: `chartgen template` is
//! [`template::run`], which the binary and the conformance tests both call,
//! so the tests exercise exactly what users run. `chartgen diff` is
//! [`diff::run`], `chartgen snapshot` [`snapshot::run`].

pub mod determinism;
pub mod diff;
mod embedded;
pub mod flags;
pub mod snapshot;
pub mod template;
pub mod tree_cache;
pub mod validate;

pub use template::{run as run_template, Env, Outcome};

/// If `argv` (without the program name) invokes `template`, possibly after
/// global flags (`chartgen --debug template …`), the arguments for
/// [`template::run`] (everything but the word `template`).
pub fn template_invocation(argv: &[String]) -> Option<Vec<String>> {
    invocation(argv, "template")
}

/// Like [`template_invocation`] for another subcommand that takes
/// `template`'s flags (`diff`).
pub fn invocation(argv: &[String], command: &str) -> Option<Vec<String>> {
    let mut i = 0;
    while i < argv.len() {
        let a = &argv[i];
        if a == command {
            let mut rest = argv[..i].to_vec();
            rest.extend(argv[i + 1..].iter().cloned());
            return Some(rest);
        }
        if !a.starts_with('-') || a == "--" {
            return None;
        }
        i += if flags::takes_value(a) { 2 } else { 1 };
    }
    None
}
