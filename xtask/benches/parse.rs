//! Benchmark: parsing the whole `api-specs/` folder (every page, read once up front).

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

criterion_group!(benches, parse_corpus);
criterion_main!(benches);
