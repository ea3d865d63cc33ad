//! `cargo xtask`: the project's tasks. The doc-page parser ([`parse`]) turns Tencent's API
//! doc pages into the IR; [`regenerate`] writes the IR and the code generated from it.

pub mod bench_peers;
pub mod bench_scale;
pub mod parse;
pub mod regenerate;
