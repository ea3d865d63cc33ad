//! Benchmarks: parsing the whole `api-specs/` folder (every page, read once up front), the
//! Chinese corpus, and pathological pages (their times show the parser stays linear: each
//! is a few MB, the sizes the hostile-input review used; quadratic work would take minutes).

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use xtask::parse::{self, Source};

fn corpus() -> Vec<(String, String)> {
    let specs = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../api-specs");
    parse::page_files(&[specs])
        .unwrap_or_default()
        .into_iter()
        .filter_map(|file| {
            let text = std::fs::read_to_string(&file).ok()?;
            Some((file.display().to_string(), text))
        })
        .collect()
}

fn parse_corpus(c: &mut Criterion) {
    let pages = corpus();
    assert!(pages.len() >= 90, "api-specs/ not found");
    c.bench_function("parse api-specs", |b| {
        b.iter(|| {
            let sources: Vec<Source<'_>> = pages
                .iter()
                .map(|(name, text)| Source { name, text })
                .collect();
            black_box(parse::parse_sources(black_box(&sources)).is_ok())
        });
    });
}

fn parse_one(name: &str, text: &str) -> bool {
    parse::parse_sources(&[Source { name, text }]).is_ok()
}

fn parse_chinese(c: &mut Criterion) {
    let zh = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../api-specs/mainland");
    let pages: Vec<(String, String)> = parse::page_files(&[zh])
        .unwrap_or_default()
        .into_iter()
        .filter_map(|file| {
            Some((
                file.display().to_string(),
                std::fs::read_to_string(&file).ok()?,
            ))
        })
        .collect();
    assert!(pages.len() >= 100, "zh fixtures not found");
    c.bench_function("parse zh corpus", |b| {
        b.iter(|| {
            let sources: Vec<Source<'_>> = pages
                .iter()
                .map(|(name, text)| Source { name, text })
                .collect();
            black_box(parse::parse_sources(black_box(&sources)).is_ok())
        });
    });
}

fn pathological(c: &mut Criterion) {
    let cases = [
        // Text not found verbatim in the source (entities): locating each block.
        (
            "html entities 2.2MB",
            "<p>&#65;&#66;&#67;</p>".repeat(100_000),
        ),
        // Unclosed elements: refused before the tree is built.
        (
            "html unclosed divs 1.1MB",
            format!("<html><body>{}", "<div>".repeat(220_000)),
        ),
        // One pipe row over a million lines (an open cell that never closes).
        (
            "markdown open cell 2MB",
            format!(
                "| Name | Type | Description |\n| A | String | x\n{}",
                "y\n".repeat(1_000_000)
            ),
        ),
        // A long table of rows, one cell per line.
        (
            "one cell per line 100k rows",
            format!(
                "| Name |\nType |\nDescription |\n{}",
                "| A |\nString |\nx |\n".repeat(100_000)
            ),
        ),
        // A single 4 MB line.
        ("one 4MB line", "Action Yes String ".repeat(230_000)),
    ];
    let mut group = c.benchmark_group("pathological");
    group.sample_size(10);
    for (name, text) in &cases {
        group.bench_function(*name, |b| {
            b.iter(|| black_box(parse_one(name, black_box(text))))
        });
    }
    group.finish();
}

criterion_group!(benches, parse_corpus, parse_chinese, pathological);
criterion_main!(benches);
