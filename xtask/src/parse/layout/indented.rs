//! Indented text: table cells separated by tabs or runs of two or more spaces, a row's
//! description continued on the following indented lines.

use std::sync::LazyLock;

use regex::Regex;

use super::{Block, numbered_lines};

static GAP: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"\t+| {2,}").ok());

/// The cells of an unindented line split at tabs and runs of spaces (one cell when the line
/// has no such gap, none when it is indented or blank).
pub fn cells(line: &str) -> Vec<String> {
    if line.starts_with([' ', '\t']) || line.trim().is_empty() {
        return Vec::new();
    }
    match GAP.as_ref() {
        Some(re) => re
            .split(line.trim_end())
            .map(|cell| cell.trim().to_owned())
            .filter(|cell| !cell.is_empty())
            .collect(),
        None => vec![line.trim().to_owned()],
    }
}

/// The page as blocks. A table starts at an unindented line of two or more cells and runs to
/// the next blank line; indented lines inside it continue the previous row's last cell.
pub fn blocks(source: &str) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    let mut in_table = false;
    for (line, text) in numbered_lines(source) {
        if text.trim().is_empty() {
            in_table = false;
            blocks.push(Block::Blank { line });
            continue;
        }
        let row = cells(text);
        if in_table
            && row.is_empty()
            && let Some(Block::Row { cells, .. }) = blocks.last_mut()
        {
            if let Some(last) = cells.last_mut() {
                last.push('\n');
                last.push_str(text.trim());
            }
            continue;
        }
        if row.len() >= 2 {
            in_table = true;
            blocks.push(Block::Row { line, cells: row });
        } else {
            in_table = false;
            blocks.push(Block::Text {
                line,
                text: text.to_owned(),
            });
        }
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indented_lines_continue_the_row() {
        let page = "Name    Type     Description\nForce   Integer  first\n        second\n\n  {\n";
        let blocks = blocks(page);
        assert_eq!(
            blocks[1],
            Block::Row {
                line: 2,
                cells: vec!["Force".into(), "Integer".into(), "first\nsecond".into()]
            }
        );
        assert_eq!(
            blocks[3],
            Block::Text {
                line: 5,
                text: "  {".into()
            }
        );
    }
}
