//! Helm's rendering semantics on top of the `gotmpl` engine.
//!
//! This crate is the Helm layer: chart loading and packaging, values,
//! dependencies, schemas, the engine with helm's functions, and `helm
//! template`'s output. It knows Helm's conventions but nothing about any
//! particular chart, and it never touches the network.

pub mod action;
pub mod capabilities;
pub mod chart;
pub mod coalesce;
mod compact;
pub mod deps;
pub mod downloader;
pub mod engine;
pub mod errors;
pub mod file_memory;
pub mod files;
pub mod funcs;
pub mod ignore;
pub mod loader;
mod memo;
pub mod objects;
pub mod output;
mod par;
mod pool;
pub mod prepared_values;
pub mod release;
mod reuse;
pub mod save;
pub mod schema;
pub mod semver;
pub mod settings;
pub mod strvals;
pub mod tree_store;
pub mod values;

/// How many threads a render may use: `CHARTGEN_THREADS` when it is a
/// positive number (1 renders on the calling thread), else one per core.
pub fn threads() -> usize {
    static THREADS: std::sync::LazyLock<usize> = std::sync::LazyLock::new(|| {
        std::env::var("CHARTGEN_THREADS")
            .ok()
            .and_then(|n| n.trim().parse::<usize>().ok())
            .filter(|&n| n > 0)
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
    });
    *THREADS
}
