//! Helm's rendering semantics on top of the `gotmpl` engine.
//!
//! This crate is the Helm layer: it knows Helm's conventions (error
//! reformatting, and in later stages charts, values and functions) but
//! nothing about any particular chart.

pub mod action;
pub mod capabilities;
pub mod chart;
pub mod coalesce;
pub mod deps;
pub mod engine;
pub mod errors;
pub mod files;
pub mod funcs;
pub mod ignore;
pub mod loader;
pub mod objects;
pub mod output;
pub mod release;
pub mod schema;
pub mod semver;
pub mod strvals;
pub mod values;
