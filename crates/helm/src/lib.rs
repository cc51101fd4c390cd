//! Helm's rendering semantics on top of the `gotmpl` engine.
//!
//! This crate is the Helm layer: it knows Helm's conventions (error
//! reformatting, and in later stages charts, values and functions) but
//! nothing about any particular chart.

pub mod chart;
pub mod engine;
pub mod errors;
pub mod funcs;
pub mod output;
