//! The doc-page parser: pages in any layout (plain text, markdown, indented text, HTML) to
//! the IR ([`gaap_ir::Ir`]).
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

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use gaap_ir::Ir;

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
    /// The warnings about English and Chinese pages of one action that disagree on a type
    /// or a required flag with neither page trusted ([`TRUSTED_PAGES`]): `regenerate`
    /// refuses to write code from them.
    pub disagreements: Vec<Warning>,
}

/// The file of a pages folder (e.g. `api-specs/`) naming, one per line and relative to
/// the folder, the pages to trust where the two sites' pages of an action disagree.
pub const TRUSTED_PAGES: &str = "trusted-pages.txt";

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
    parse_sources_trusting(sources, &BTreeSet::new())
}

/// Parses in-memory pages; where two pages of one action disagree, the one whose name is in
/// `trusted` wins.
pub fn parse_sources_trusting(
    sources: &[Source<'_>],
    trusted: &BTreeSet<String>,
) -> Result<Parsed, Failure> {
    let mut diagnostics = Diagnostics::default();
    let ir = ir_build::build(sources, trusted, &mut diagnostics);
    if diagnostics.errors.is_empty() {
        Ok(Parsed {
            ir,
            warnings: diagnostics.warnings,
            disagreements: diagnostics.disagreements,
        })
    } else {
        Err(Failure {
            errors: diagnostics.errors,
            warnings: diagnostics.warnings,
        })
    }
}

/// The page files `paths` name: files as given; in folders and their subfolders (the sites'
/// folders of `api-specs/`), every page by extension, sorted, `README` files and the
/// [`TRUSTED_PAGES`] list left out.
pub fn page_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, ParseError> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            folder_pages(path, &mut files, 0)?;
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

/// How deep `page_files` looks into subfolders.
const MAX_FOLDER_DEPTH: usize = 4;

fn folder_pages(dir: &Path, files: &mut Vec<PathBuf>, depth: usize) -> Result<(), ParseError> {
    let entries = std::fs::read_dir(dir).map_err(|error| ParseError {
        file: dir.display().to_string(),
        line: 0,
        message: format!("cannot read folder: {error}"),
    })?;
    let mut entries: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .collect();
    entries.sort();
    for entry in entries {
        if entry.is_dir() {
            if depth < MAX_FOLDER_DEPTH {
                folder_pages(&entry, files, depth + 1)?;
            }
            continue;
        }
        let name = entry
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_ascii_lowercase();
        let is_page = entry
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| PAGE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
        if entry.is_file() && is_page && !name.starts_with("readme") && name != TRUSTED_PAGES {
            files.push(entry);
        }
    }
    Ok(())
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
    let trusted = trusted_pages(paths).map_err(fail)?;
    parse_sources_trusting(&sources, &trusted)
}

/// The pages the folders' [`TRUSTED_PAGES`] files name, as the names pages are parsed by.
fn trusted_pages(paths: &[PathBuf]) -> Result<BTreeSet<String>, ParseError> {
    let mut trusted = BTreeSet::new();
    for folder in paths.iter().filter(|path| path.is_dir()) {
        let list = folder.join(TRUSTED_PAGES);
        let Ok(text) = std::fs::read_to_string(&list) else {
            continue;
        };
        for (index, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or_default().trim();
            if line.is_empty() {
                continue;
            }
            let page = folder.join(line);
            if !page.is_file() {
                return Err(ParseError {
                    file: display(&list),
                    line: index + 1,
                    message: format!("`{line}` names no page in {}", display(folder)),
                });
            }
            trusted.insert(display(&page));
        }
    }
    Ok(trusted)
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
