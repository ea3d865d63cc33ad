//! Property tests: random bytes and mutated real pages, in every shape and both languages,
//! never make the parser panic.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use proptest::prelude::*;
use xtask::parse::{self, Source};

fn seeds() -> Vec<String> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut pages = Vec::new();
    for sub in ["seeds", "layouts", "shapes"] {
        let mut files: Vec<_> = std::fs::read_dir(dir.join(sub))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|path| path.extension().is_none_or(|e| e != "py"))
            .collect();
        files.sort();
        pages.extend(files.iter().map(|f| std::fs::read_to_string(f).unwrap()));
    }
    for data_types in [
        "../api-specs/international/DataTypes.txt",
        "../api-specs/mainland/DataTypes.md",
    ] {
        pages.push(
            std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(data_types))
                .unwrap(),
        );
    }
    pages
}

fn parse_quietly(text: &str) {
    let _ = parse::parse_sources(&[Source {
        name: "fuzz.txt",
        text,
    }]);
}

#[derive(Debug, Clone)]
enum Mutation {
    Truncate(usize),
    Delete(usize),
    Duplicate(usize),
    Swap(usize, usize),
    Flip(usize, char),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::Truncate),
        any::<usize>().prop_map(Mutation::Delete),
        any::<usize>().prop_map(Mutation::Duplicate),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::Swap(a, b)),
        (
            any::<usize>(),
            prop::sample::select(vec![
                '|', '<', '>', '{', '}', '&', '.', ':', '1', ' ', '\n', '\t', 'é', '"', '#', '，',
                '：', '（', '是', '示', '-'
            ])
        )
            .prop_map(|(a, c)| Mutation::Flip(a, c)),
    ]
}

fn apply(text: &str, mutations: &[Mutation]) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    for m in mutations {
        if lines.is_empty() {
            break;
        }
        let n = lines.len();
        match *m {
            Mutation::Truncate(at) => {
                let joined = lines.join("\n");
                let mut cut = at % (joined.len() + 1);
                while !joined.is_char_boundary(cut) {
                    cut -= 1;
                }
                lines = joined[..cut].lines().map(str::to_owned).collect();
            }
            Mutation::Delete(at) => {
                lines.remove(at % n);
            }
            Mutation::Duplicate(at) => {
                let line = lines[at % n].clone();
                lines.insert(at % n, line);
            }
            Mutation::Swap(a, b) => lines.swap(a % n, b % n),
            Mutation::Flip(at, c) => {
                let line = &mut lines[at % n];
                let chars: Vec<char> = line.chars().collect();
                if !chars.is_empty() {
                    let index = at % chars.len();
                    *line = chars
                        .iter()
                        .enumerate()
                        .map(|(i, &ch)| if i == index { c } else { ch })
                        .collect();
                }
            }
        }
    }
    lines.join("\n")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        parse_quietly(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn random_page_like_text_never_panics(text in "([A-Za-z.|<>{}&:\\[\\], 0-9\"]{0,40}\n){0,40}") {
        parse_quietly(&text);
        parse_quietly(&format!("<html><body>{text}</body></html>"));
        parse_quietly(&format!("| a | b |\n|---|---|\n{text}"));
        parse_quietly(&format!("| 参数名称 |\n必选 |\n{text}"));
        parse_quietly(&format!("参数名称 | 必选 | 类型 | 描述 |\n{text}"));
    }

    #[test]
    fn mutated_pages_never_panic(
        page in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 1..8),
    ) {
        let pages = seeds();
        let text = &pages[page.index(pages.len())];
        parse_quietly(&apply(text, &mutations));
    }
}
