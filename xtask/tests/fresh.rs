//! The checked-in IR and generated code are what `cargo xtask regenerate` produces, and the
//! tree is tidy (headers on generated files, `//!` on hand-written modules, no trailing
//! whitespace).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use xtask::regenerate::{self, GENERATED_DIRS, HEADER};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn crates() -> Vec<PathBuf> {
    [
        "xtask",
        "gaap-ir",
        "gaap-wire",
        "codegen",
        "gaap-model",
        "gaap-client",
        "gaap-mock",
    ]
    .iter()
    .map(|c| root().join(c))
    .collect()
}

#[test]
fn generated_is_fresh() {
    let (outputs, warnings) = regenerate::outputs(&root()).unwrap();
    // Only the differences between the two sites' pages, reviewed in tests/corpus.rs.
    assert!(
        warnings
            .iter()
            .all(|w| w.message.contains(" here but ") && w.message.contains("; keeping")),
        "{warnings:?}"
    );
    let changes = regenerate::changes(&root(), &outputs).unwrap();
    assert!(
        changes.is_empty(),
        "run `cargo xtask regenerate` and commit:\n{}",
        changes
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn generated_files_carry_the_header() {
    for dir in GENERATED_DIRS {
        let mut files = Vec::new();
        rust_files(&root().join(dir), &mut files);
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            assert_eq!(text.lines().next(), Some(HEADER), "{}", file.display());
        }
    }
}

#[test]
fn hand_written_modules_start_with_a_doc_comment() {
    for krate in crates() {
        let mut files = Vec::new();
        rust_files(&krate.join("src"), &mut files);
        for file in files {
            if file.components().any(|c| c.as_os_str() == "generated") {
                continue;
            }
            let text = std::fs::read_to_string(&file).unwrap();
            // A crate root may take its docs from a guide file instead.
            assert!(
                text.starts_with("//!") || text.starts_with("#![doc = include_str!(\""),
                "{} must start with a `//!` comment",
                file.display()
            );
        }
    }
}

#[test]
fn no_trailing_whitespace_in_rust_files() {
    for krate in crates() {
        let mut files = Vec::new();
        for sub in ["src", "tests", "benches", "examples"] {
            rust_files(&krate.join(sub), &mut files);
        }
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            for (number, line) in text.lines().enumerate() {
                assert_eq!(
                    line.trim_end(),
                    line,
                    "trailing whitespace at {}:{}",
                    file.display(),
                    number + 1
                );
            }
        }
    }
}

#[test]
fn regenerate_writes_only_changes_and_check_reports_them() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("Cargo.toml"), "[workspace]\nmembers = []\n").unwrap();
    let specs = root.join("api-specs");
    std::fs::create_dir_all(&specs).unwrap();
    let seed =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seeds/DestroyProxies.txt");
    std::fs::copy(seed, specs.join("DestroyProxies.txt")).unwrap();
    let orphan_dir = root.join("gaap-model/src/generated");
    std::fs::create_dir_all(&orphan_dir).unwrap();
    std::fs::write(orphan_dir.join("old.rs"), format!("{HEADER}\n")).unwrap();
    std::fs::write(orphan_dir.join("mine.rs"), "//! hand-written\n").unwrap();

    let nested = root.join("api-specs");
    assert_eq!(regenerate::find_root(&nested).as_deref(), Some(root));

    assert!(
        regenerate::run(root, true).is_err(),
        "check must fail on a stale tree"
    );
    assert!(
        !root.join("api-specs/gaap.json").exists(),
        "check must not write"
    );
    regenerate::run(root, false).unwrap();
    assert!(root.join("api-specs/gaap.json").exists());
    assert!(!orphan_dir.join("old.rs").exists(), "orphan deleted");
    assert!(
        orphan_dir.join("mine.rs").exists(),
        "files without the header are kept"
    );
    regenerate::run(root, true).unwrap();
    let (outputs, _) = regenerate::outputs(root).unwrap();
    assert!(regenerate::changes(root, &outputs).unwrap().is_empty());
}
