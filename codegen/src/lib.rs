//! IR -> Rust source. Reads only the IR (`ir`), returns file contents; never touches disk.

pub mod ir;
