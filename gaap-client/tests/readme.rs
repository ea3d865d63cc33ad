//! The README's blocking-client and mock-transport examples are excerpts of
//! `examples/blocking.rs` and `examples/mock_transport.rs` (which `cargo test` compiles):
//! each block must match the code between the example's `// README: <name>` and
//! `// README: end` markers (whitespace aside).
#![allow(clippy::unwrap_used, clippy::expect_used)]

fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn example_excerpt(file: &str, marker: &str) -> String {
    let text =
        std::fs::read_to_string(format!("{}/examples/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let start = text.find(&format!("// README: {marker}\n")).unwrap();
    let rest = &text[start..];
    let body = &rest[rest.find('\n').unwrap()..rest.find("// README: end").unwrap()];
    squeeze(body)
}

fn readme_block(marker: &str) -> String {
    let readme =
        std::fs::read_to_string(format!("{}/../README.md", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let start = readme.find(&format!("<!-- README: {marker} -->")).unwrap();
    let rest = &readme[start..];
    let open = rest.find("```rust,ignore\n").unwrap() + "```rust,ignore\n".len();
    let close = open + rest[open..].find("\n```").unwrap();
    squeeze(&rest[open..close])
}

#[test]
fn readme_examples_are_the_compiled_examples() {
    for (marker, file) in [
        ("blocking", "blocking.rs"),
        ("mock transport", "mock_transport.rs"),
    ] {
        assert_eq!(
            readme_block(marker),
            example_excerpt(file, marker),
            "README block {marker:?} differs from examples/{file}"
        );
    }
}
