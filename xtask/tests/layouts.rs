//! The same page as plain text, markdown pipe tables, indented text and HTML (with the
//! site's chrome in Chinese, Indonesian, Korean and English) yields the same IR.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use gaap_ir::Ir;
use xtask::parse::{self, Source};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn parse_file(path: &PathBuf) -> Ir {
    let text = std::fs::read_to_string(path).unwrap();
    let name = path.display().to_string();
    let parsed = parse::parse_sources(&[Source {
        name: &name,
        text: &text,
    }])
    .unwrap_or_else(|failure| panic!("{name}: {:?}", failure.errors));
    assert!(parsed.warnings.is_empty(), "{name}: {:?}", parsed.warnings);
    let mut ir = parsed.ir;
    for action in &mut ir.actions {
        action.source = String::new();
    }
    ir
}

fn assert_layouts_match(seed: &str) {
    let expected = parse_file(&fixtures().join("seeds").join(format!("{seed}.txt")));
    for layout in ["txt", "md", "indented.txt", "html"] {
        let path = fixtures().join("layouts").join(format!("{seed}.{layout}"));
        let actual = parse_file(&path);
        assert_eq!(
            serde_json::to_string_pretty(&actual).unwrap(),
            serde_json::to_string_pretty(&expected).unwrap(),
            "{}",
            path.display()
        );
    }
}

#[test]
fn create_tcp_listeners_in_every_layout() {
    assert_layouts_match("CreateTCPListeners");
}

#[test]
fn destroy_proxies_in_every_layout() {
    assert_layouts_match("DestroyProxies");
}

#[test]
fn layouts_are_detected() {
    use xtask::parse::layout::{Layout, detect};
    let layouts = fixtures().join("layouts");
    let read = |name: &str| std::fs::read_to_string(layouts.join(name)).unwrap();
    assert_eq!(detect(&read("CreateTCPListeners.txt")), Layout::Text);
    assert_eq!(detect(&read("CreateTCPListeners.md")), Layout::Markdown);
    assert_eq!(
        detect(&read("CreateTCPListeners.indented.txt")),
        Layout::Indented
    );
    assert_eq!(detect(&read("CreateTCPListeners.html")), Layout::Html);
}
