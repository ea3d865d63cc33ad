//! The doc-page parser: pages in any layout (plain text, markdown, indented text, HTML) to
//! the IR ([`codegen::ir::Ir`]).
//!
//! Flow: [`layout`] turns a page into blocks, [`page`] cuts action pages into sections,
//! [`table`] reads rows, [`types`], [`constraints`], [`examples`] and [`datatypes`] read the
//! parts, and [`ir_build`] assembles and resolves the IR. Problems are reported as
//! [`errors::ParseError`]s and [`errors::Warning`]s naming file and line; nothing panics.

pub mod constraints;
pub mod datatypes;
pub mod errors;
pub mod examples;
pub mod ir_build;
pub mod layout;
pub mod merge;
pub mod page;
pub mod table;
pub mod types;

use std::path::{Path, PathBuf};

use codegen::ir::Ir;

pub use errors::{Diagnostics, ParseError, Warning};
pub use ir_build::Source;

/// File extensions of doc pages.
const PAGE_EXTENSIONS: &[&str] = &["txt", "md", "markdown", "html", "htm"];

/// A successful parse: the IR and the warnings about missing parts.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The IR.
    pub ir: Ir,
    /// Warnings (truncated pages and the like).
    pub warnings: Vec<Warning>,
}

/// A failed parse: at least one error, and the warnings found on the way.
#[derive(Debug, Clone)]
pub struct Failure {
    /// The errors (never empty).
    pub errors: Vec<ParseError>,
    /// The warnings.
    pub warnings: Vec<Warning>,
}

/// Parses in-memory pages.
pub fn parse_sources(sources: &[Source<'_>]) -> Result<Parsed, Failure> {
    let mut diagnostics = Diagnostics::default();
    let ir = ir_build::build(sources, &mut diagnostics);
    if diagnostics.errors.is_empty() {
        Ok(Parsed {
            ir,
            warnings: diagnostics.warnings,
        })
    } else {
        Err(Failure {
            errors: diagnostics.errors,
            warnings: diagnostics.warnings,
        })
    }
}

/// The page files `paths` name: files as given, folders' pages (by extension, sorted).
pub fn page_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, ParseError> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let entries = std::fs::read_dir(path).map_err(|error| ParseError {
                file: path.display().to_string(),
                line: 0,
                message: format!("cannot read folder: {error}"),
            })?;
            let mut found: Vec<PathBuf> = entries
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|file| {
                    file.is_file()
                        && file.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                            PAGE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str())
                        })
                })
                .collect();
            found.sort();
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

/// Reads and parses the pages `paths` name (files or folders).
pub fn parse_paths(paths: &[PathBuf]) -> Result<Parsed, Failure> {
    let fail = |error: ParseError| Failure {
        errors: vec![error],
        warnings: Vec::new(),
    };
    let files = page_files(paths).map_err(fail)?;
    let mut texts = Vec::new();
    for file in &files {
        let bytes = std::fs::read(file).map_err(|error| {
            fail(ParseError {
                file: file.display().to_string(),
                line: 0,
                message: format!("cannot read file: {error}"),
            })
        })?;
        texts.push((display(file), String::from_utf8_lossy(&bytes).into_owned()));
    }
    let sources: Vec<Source<'_>> = texts
        .iter()
        .map(|(name, text)| Source { name, text })
        .collect();
    parse_sources(&sources)
}

fn display(path: &Path) -> String {
    path.display().to_string()
}

/// The IR as the checked-in JSON: 2-space indentation and a trailing newline.
pub fn to_json(ir: &Ir) -> Result<String, serde_json::Error> {
    let mut text = serde_json::to_string_pretty(ir)?;
    text.push('\n');
    Ok(text)
}
