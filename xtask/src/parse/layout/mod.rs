//! Page layouts. Each layout turns the raw page text into the common block model
//! ([`Block`]): text lines, blank lines and pre-split table rows, each with the 1-based line
//! number of the source it came from. Everything after this step is layout-independent.

pub mod html;
pub mod indented;
pub mod markdown;
pub mod text;

/// One unit of a page in the common model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// An empty line (or the end of a block element): it ends plain-text tables.
    Blank {
        /// Source line.
        line: usize,
    },
    /// A line of text (table rows of plain-text pages are still text here).
    Text {
        /// Source line.
        line: usize,
        /// The text, trailing whitespace removed, leading whitespace kept.
        text: String,
    },
    /// A table row whose cells the layout already knows (markdown, HTML, indented).
    Row {
        /// Source line.
        line: usize,
        /// Cell texts, trimmed; line breaks inside a cell kept as `\n`.
        cells: Vec<String>,
    },
}

impl Block {
    /// The source line of this block.
    pub fn line(&self) -> usize {
        match self {
            Block::Blank { line } | Block::Text { line, .. } | Block::Row { line, .. } => *line,
        }
    }
}

/// The shapes a page comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Plain text as copied from a browser: cells separated by single spaces.
    Text,
    /// Markdown with pipe tables.
    Markdown,
    /// Text whose table cells are separated by tabs or runs of spaces, continuation lines
    /// indented.
    Indented,
    /// A saved HTML page.
    Html,
}

/// Guesses the layout of a page from its content.
pub fn detect(source: &str) -> Layout {
    let head = source.trim_start();
    let lower_head: String = head
        .chars()
        .take(4096)
        .collect::<String>()
        .to_ascii_lowercase();
    if head.starts_with('<')
        && [
            "<html",
            "<body",
            "<table",
            "<p",
            "<h1",
            "<h2",
            "<div",
            "<!doctype",
        ]
        .iter()
        .any(|tag| lower_head.contains(tag))
    {
        return Layout::Html;
    }
    if source.lines().any(|line| {
        markdown::is_separator_row(line)
            || markdown::is_pipe_table_line(line)
            || markdown::is_pipe_header(line)
    }) {
        return Layout::Markdown;
    }
    if source.lines().any(|line| indented::cells(line).len() >= 3) {
        return Layout::Indented;
    }
    Layout::Text
}

/// The largest page read, in bytes (real pages are 10 to 200 KB, saved HTML with its
/// scripts a few MB).
pub const MAX_PAGE_BYTES: usize = 16 * 1024 * 1024;

/// Turns a page into blocks, using the layout [`detect`] finds, or says why the page is
/// refused (larger than [`MAX_PAGE_BYTES`], HTML nested too deep).
pub fn blocks(source: &str) -> Result<Vec<Block>, String> {
    if source.len() > MAX_PAGE_BYTES {
        return Err(format!(
            "page of {} bytes refused: pages are read up to {MAX_PAGE_BYTES} bytes",
            source.len()
        ));
    }
    Ok(match detect(source) {
        Layout::Text => text::blocks(source),
        Layout::Markdown => markdown::blocks(source),
        Layout::Indented => indented::blocks(source),
        Layout::Html => html::blocks(source)?,
    })
}

/// The lines of `source` with their 1-based numbers, `\r` and trailing whitespace removed.
pub(crate) fn numbered_lines(source: &str) -> impl Iterator<Item = (usize, &str)> {
    source
        .lines()
        .enumerate()
        .map(|(index, line)| (index + 1, line.trim_end()))
}
