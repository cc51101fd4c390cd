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
pub mod deps;
pub mod downloader;
pub mod engine;
pub mod errors;
pub mod files;
pub mod funcs;
pub mod ignore;
pub mod loader;
pub mod objects;
pub mod output;
mod par;
pub mod release;
pub mod save;
pub mod schema;
pub mod semver;
pub mod strvals;
pub mod values;
