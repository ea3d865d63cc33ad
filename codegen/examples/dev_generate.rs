//! Development aid, not the project's writer: generate from an IR file into a scratch
//! directory (`cargo run -p codegen --example dev_generate -- IR OUT_DIR`). The real writer
//! is `cargo xtask regenerate`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let ir: codegen::ir::Ir =
        serde_json::from_str(&std::fs::read_to_string(&args[1]).unwrap()).unwrap();
    let files = codegen::generate(&ir).unwrap();
    for (path, text) in files {
        let out = std::path::Path::new(&args[2]).join(path);
        std::fs::create_dir_all(out.parent().unwrap()).unwrap();
        std::fs::write(out, text).unwrap();
    }
}
