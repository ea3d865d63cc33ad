//! `cargo xtask bench-scale`: does the generator scale linearly with the corpus?
//!
//! Builds a synthetic corpus `factor` times the size of `api-specs/` in a temporary folder
//! (every action page copied under new action names; the Data Types and error pages once),
//! then times parsing and code generation on the real corpus and on the synthetic one.
//! Linear growth shows as a time ratio close to the size ratio. Run it in release mode:
//! `cargo run --release -p xtask -- bench-scale`.

use anyhow::{Context, Result, bail};
use regex::Regex;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::parse;
use crate::regenerate::SPECS_DIR;

/// Options of `cargo xtask bench-scale`.
#[derive(Debug, Clone, clap::Args)]
pub struct BenchScaleArgs {
    /// Size of the synthetic corpus, in multiples of `api-specs/`.
    #[arg(long, default_value_t = 10)]
    pub factor: usize,
    /// Timed repetitions per measurement (the median is reported).
    #[arg(long, default_value_t = 5)]
    pub runs: usize,
}

/// Timings of one corpus.
#[derive(Debug, Clone, Copy)]
struct Timing {
    actions: usize,
    parse: Duration,
    generate: Duration,
    generated_bytes: usize,
}

/// Run the measurement from the workspace `root`.
pub fn run(root: &Path, args: &BenchScaleArgs) -> Result<()> {
    if args.factor < 2 || args.runs == 0 {
        bail!("--factor must be at least 2 and --runs at least 1");
    }
    if cfg!(debug_assertions) {
        eprintln!(
            "bench-scale: this is a debug build; for real figures run `cargo run --release -p xtask -- bench-scale`"
        );
    }
    let specs = root.join(SPECS_DIR);
    let scratch = std::env::temp_dir().join(format!("gaap-bench-scale-{}", std::process::id()));
    let result = (|| {
        write_synthetic_corpus(&specs, &scratch, args.factor)?;
        let base = measure(&specs, args.runs)?;
        let big = measure(&scratch, args.runs)?;
        Ok::<_, anyhow::Error>((base, big))
    })();
    let _ = std::fs::remove_dir_all(&scratch);
    let (base, big) = result?;

    let size_ratio = big.actions as f64 / base.actions as f64;
    println!("bench-scale: median of {} runs", args.runs);
    println!(
        "{:<22} {:>8} {:>12} {:>14} {:>16}",
        "corpus", "actions", "parse (ms)", "codegen (ms)", "generated (KiB)"
    );
    for (name, t) in [("api-specs/", base), ("synthetic", big)] {
        println!(
            "{:<22} {:>8} {:>12.1} {:>14.1} {:>16}",
            name,
            t.actions,
            ms(t.parse),
            ms(t.generate),
            t.generated_bytes / 1024
        );
    }
    println!(
        "size ratio {size_ratio:.1}x; parse time ratio {:.2}x; codegen time ratio {:.2}x (linear = {size_ratio:.1}x)",
        ms(big.parse) / ms(base.parse),
        ms(big.generate) / ms(base.generate),
    );
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Copy every action page `factor` times under new names (`Name`, `NameX1`, ...), and the
/// shared pages (Data Types, error codes) once.
fn write_synthetic_corpus(specs: &Path, out: &Path, factor: usize) -> Result<()> {
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let actions: std::collections::BTreeSet<String> = parse::parse_paths(&[specs.to_path_buf()])
        .map_err(|f| anyhow::anyhow!("api-specs/ does not parse ({} errors)", f.errors.len()))?
        .ir
        .actions
        .into_iter()
        .map(|a| a.name)
        .collect();
    let files = parse::page_files(&[specs.to_path_buf()])
        .map_err(|e| anyhow::anyhow!("{e}"))
        .context("listing api-specs/")?;
    for file in files {
        let text = std::fs::read_to_string(&file)
            .with_context(|| format!("reading {}", file.display()))?;
        let Some(stem) = file.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        let name = file.file_name().map(PathBuf::from).unwrap_or_default();
        if !actions.contains(stem) {
            std::fs::write(out.join(&name), &text)?;
            continue;
        }
        let word = Regex::new(&format!(r"\b{}\b", regex::escape(stem)))?;
        for copy in 0..factor {
            let new_name = if copy == 0 {
                stem.to_owned()
            } else {
                format!("{stem}X{copy}")
            };
            let page = word.replace_all(&text, new_name.as_str());
            let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("txt");
            std::fs::write(out.join(format!("{new_name}.{ext}")), page.as_bytes())?;
        }
    }
    Ok(())
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn measure(dir: &Path, runs: usize) -> Result<Timing> {
    let paths = [dir.to_path_buf()];
    let mut parse_times = Vec::with_capacity(runs);
    let mut gen_times = Vec::with_capacity(runs);
    let mut actions = 0;
    let mut generated_bytes = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let parsed = parse::parse_paths(&paths).map_err(|f| {
            let first = f
                .errors
                .first()
                .map(ToString::to_string)
                .unwrap_or_default();
            anyhow::anyhow!("parse of {} failed: {first}", dir.display())
        })?;
        parse_times.push(start.elapsed());
        let start = Instant::now();
        let files = codegen::generate(&parsed.ir)?;
        gen_times.push(start.elapsed());
        actions = parsed.ir.actions.len();
        generated_bytes = files.values().map(String::len).sum();
    }
    Ok(Timing {
        actions,
        parse: median(parse_times),
        generate: median(gen_times),
        generated_bytes,
    })
}
