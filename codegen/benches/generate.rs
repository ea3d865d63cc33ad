//! `generate()` over the whole checked-in IR (88 actions): tokens, parsing, formatting.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, criterion_group, criterion_main};

fn bench(c: &mut Criterion) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../api-specs/gaap.json");
    let ir: codegen::ir::Ir =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut group = c.benchmark_group("codegen");
    group.sample_size(10);
    group.bench_function("generate_all_88_actions", |b| {
        b.iter(|| codegen::generate(std::hint::black_box(&ir)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
