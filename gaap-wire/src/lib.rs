//! The wire conventions of the Tencent Cloud API, written once for every crate that speaks
//! or reads it: the client (`gaap-client`), the emulator (`gaap-mock`), the doc-page parser
//! (`xtask`) and the model's lenient deserializers (`gaap-model`).
//!
//! - [`fold`]: flattened `Filters.0.Values.0=x` parameters folded into JSON.
//! - [`common`]: the names of the common parameters (and of the headers carrying them).
//! - [`scalar`]: lenient scalar reading (`"1"` as an integer, `"True"` as a boolean...).
//! - [`date`]: the UTC calendar date of a Unix time, as the signatures' scope spells it.
//!
//! It depends on `serde_json` only, and deliberately not on `gaap-model`: xtask must use it
//! while the model's generated code is being regenerated (or does not compile).
#![warn(missing_docs)]

pub mod common;
pub mod date;
pub mod fold;
pub mod scalar;
