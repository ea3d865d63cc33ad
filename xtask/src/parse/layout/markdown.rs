//! Markdown pages: `#` headings, pipe tables (`| Name | Type | Description |`, line breaks
//! inside a cell written `<br>`), fenced code blocks for the examples.

use std::sync::LazyLock;

use regex::Regex;

use super::{Block, numbered_lines};

static SEPARATOR: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$").ok());
static BREAK: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"(?i)<br\s*/?>").ok());
static HEADING: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"^#{1,6}\s+").ok());

/// True for the `|---|---|` line under a table header.
pub fn is_separator_row(line: &str) -> bool {
    line.contains('-')
        && line.contains('|')
        && SEPARATOR.as_ref().is_some_and(|re| re.is_match(line))
}

/// Splits a `| a | b |` line into trimmed cells (`\|` is a literal bar).
fn split_cells(line: &str) -> Vec<String> {
    let trimmed = line.trim();
    let inner = trimmed.strip_prefix('|').unwrap_or(trimmed);
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    let mut cells = Vec::new();
    let mut current = String::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                current.push('|');
                chars.next();
            }
            '|' => cells.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    cells.push(current);
    cells
        .into_iter()
        .map(|cell| {
            let cell = match BREAK.as_ref() {
                Some(re) => re.replace_all(&cell, "\n").into_owned(),
                None => cell,
            };
            cell.lines()
                .map(str::trim)
                .collect::<Vec<_>>()
                .join("\n")
                .trim()
                .to_owned()
        })
        .collect()
}

/// The page as blocks: table lines become rows, headings lose their `#`, code fences are
/// dropped and their content kept verbatim.
pub fn blocks(source: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut in_fence = false;
    for (line, text) in numbered_lines(source) {
        let trimmed = text.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
            blocks.push(Block::Blank { line });
            continue;
        }
        if in_fence {
            blocks.push(Block::Text {
                line,
                text: text.to_owned(),
            });
        } else if text.trim().is_empty() {
            blocks.push(Block::Blank { line });
        } else if is_separator_row(text) {
            continue;
        } else if trimmed.starts_with('|') {
            blocks.push(Block::Row {
                line,
                cells: split_cells(text),
            });
        } else {
            let text = match HEADING.as_ref() {
                Some(re) => re.replace(trimmed, "").into_owned(),
                None => trimmed.to_owned(),
            };
            blocks.push(Block::Text { line, text });
        }
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipe_tables_become_rows() {
        let page = "## 2. Input\n\n| Name | Type |\n|---|---|\n| A\\|B | x<br>y |\n";
        let blocks = blocks(page);
        assert_eq!(
            blocks[0],
            Block::Text {
                line: 1,
                text: "2. Input".into()
            }
        );
        assert_eq!(
            blocks[3],
            Block::Row {
                line: 5,
                cells: vec!["A|B".into(), "x\ny".into()]
            }
        );
        assert_eq!(blocks.len(), 4);
    }

    #[test]
    fn fenced_code_is_kept_verbatim() {
        let blocks = blocks("```json\n  {\"a\": 1}\n```\n");
        assert_eq!(
            blocks[1],
            Block::Text {
                line: 2,
                text: "  {\"a\": 1}".into()
            }
        );
    }
}
