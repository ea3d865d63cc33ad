//! IR -> Rust source. Reads only the IR ([`ir`]) and returns file contents; never touches
//! disk, runs rustfmt or uses the network. `xtask` writes what [`generate`] returns.

pub mod ir;

use std::collections::BTreeMap;
use std::path::PathBuf;

/// Why the IR could not be turned into code.
#[derive(Debug, thiserror::Error)]
pub enum CodegenError {
    /// The IR names something it does not define, or cannot be expressed in Rust.
    #[error("invalid IR: {0}")]
    InvalidIr(String),
    /// An emitter produced tokens that do not parse as a Rust file (a codegen bug).
    #[error("generated code for {path} does not parse: {message}")]
    Render {
        /// The file being rendered.
        path: String,
        /// The parser's message.
        message: String,
    },
}

/// Every generated file, keyed by its path relative to the workspace root
/// (e.g. `gaap-model/src/generated/mod.rs`), with its full text (header included).
pub fn generate(_ir: &ir::Ir) -> Result<BTreeMap<PathBuf, String>, CodegenError> {
    // Filled in by the codegen work (issue 4); the parser work calls it through xtask.
    Ok(BTreeMap::new())
}
