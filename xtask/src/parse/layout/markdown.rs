//! Markdown pages: `#` headings, pipe tables and fenced code blocks for the examples.
//!
//! Pipe tables come in several shapes, all read here into the same rows:
//! - with or without the outer pipes (`| a | b |`, `a | b |`, `a | b`);
//! - with or without the `---|---` separator under the header;
//! - one cell per line: a row starts with a line like `| Name |` and each further cell
//!   follows on its own line ending in ` |`;
//! - a cell that runs over several lines (the line does not end with `|`; the next line
//!   continues the cell), or written with `<br>`.
//!
//! The number of columns of a table is the number of cells of its first row (its header);
//! it tells a continuation line from the next row where the pipes alone cannot.

use std::sync::LazyLock;

use regex::Regex;

use super::{Block, numbered_lines};

static SEPARATOR: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$").ok());
static BREAK: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?i)<br\s*/?>|</?p\s*>").ok());
static HEADING: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"^#{1,6}\s+").ok());

/// True for the `|---|---|` line under a table header.
pub fn is_separator_row(line: &str) -> bool {
    line.contains('-')
        && line.contains('|')
        && SEPARATOR.as_ref().is_some_and(|re| re.is_match(line))
}

/// True for a line that can only be a pipe table's line: it starts with `|` and holds
/// another one, or it is a separator row.
pub fn is_pipe_table_line(line: &str) -> bool {
    let trimmed = line.trim();
    is_separator_row(trimmed) || (trimmed.starts_with('|') && trimmed.len() > 1)
}

/// True for a table header written with pipes but without outer pipes or separator, e.g.
/// `参数名称 | 必选 | 类型 | 描述 |`.
pub fn is_pipe_header(line: &str) -> bool {
    let parts = split_pipes(line);
    parts.cells.len() >= 2 && crate::parse::table::is_header(&parts.cells.join(" "))
}

/// One line of a pipe table split into cells.
#[derive(Debug)]
struct PipeLine {
    /// The cells (the empty cells outside the outer pipes dropped).
    cells: Vec<String>,
    /// The line starts with `|`.
    leading: bool,
    /// The line ends with `|`: its last cell is closed.
    closed: bool,
}

/// Splits a line at its unescaped pipes (`\|` is a literal bar).
fn split_pipes(line: &str) -> PipeLine {
    let trimmed = line.trim();
    let leading = trimmed.starts_with('|');
    let closed = trimmed.ends_with('|') && !trimmed.ends_with("\\|");
    let inner = trimmed.strip_prefix('|').unwrap_or(trimmed);
    let inner = if closed {
        inner.strip_suffix('|').unwrap_or(inner)
    } else {
        inner
    };
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
    if !(inner.is_empty() && leading && closed) {
        cells.push(current);
    }
    PipeLine {
        cells: cells.iter().map(|cell| clean_cell(cell)).collect(),
        leading,
        closed,
    }
}

/// A cell's text: `<br>` and paragraph tags (`<p>…</p>`) as line breaks, each line trimmed.
fn clean_cell(cell: &str) -> String {
    let cell = match BREAK.as_ref() {
        Some(re) => re.replace_all(cell, "\n").into_owned(),
        None => cell.to_owned(),
    };
    cell.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A row being assembled from one or more lines.
#[derive(Debug)]
struct PendingRow {
    line: usize,
    cells: Vec<String>,
    /// The last cell continues on the next line.
    open: bool,
    /// The row started as a one-cell line `| Name |`: its other cells follow one per line.
    per_line: bool,
}

impl PendingRow {
    fn extend(&mut self, parts: PipeLine) {
        let mut cells = parts.cells.into_iter();
        if self.open
            && let Some(first) = cells.next()
            && let Some(last) = self.cells.last_mut()
            && !first.is_empty()
        {
            if !last.is_empty() {
                last.push('\n');
            }
            last.push_str(&first);
        }
        self.cells.extend(cells);
        self.open = !parts.closed;
    }
}

/// Assembles table rows from pipe lines, line by line.
#[derive(Debug, Default)]
struct TableReader {
    pending: Option<PendingRow>,
    /// Cells of the current table's first row, once it is complete.
    columns: Option<usize>,
}

impl TableReader {
    /// Emits the row being assembled, if any.
    fn flush(&mut self, blocks: &mut Vec<Block>) {
        if let Some(row) = self.pending.take() {
            if self.columns.is_none() {
                self.columns = Some(row.cells.len());
            }
            blocks.push(Block::Row {
                line: row.line,
                cells: row.cells.into_iter().map(|c| c.trim().to_owned()).collect(),
            });
        }
    }

    /// Ends the current table.
    fn end(&mut self, blocks: &mut Vec<Block>) {
        self.flush(blocks);
        self.columns = None;
    }

    /// Reads one non-blank line outside code fences; false when it is not a table line
    /// (the table has then ended).
    fn line(&mut self, line: usize, text: &str, blocks: &mut Vec<Block>) -> bool {
        let parts = split_pipes(text);
        let has_pipe = parts.cells.len() >= 2 || parts.leading || parts.closed;
        if parts.leading {
            self.flush(blocks);
            self.start(line, parts);
            return true;
        }
        let Some(mut row) = self.pending.take() else {
            if parts.cells.len() >= 2 || (has_pipe && self.columns.is_some()) {
                self.start(line, parts);
                return true;
            }
            self.end(blocks);
            return false;
        };
        // The header's width; while the header itself is pending, its own width when it has
        // several cells (a one-cell line is the start of a one-cell-per-line header).
        let columns = self
            .columns
            .or_else(|| (!row.per_line && row.cells.len() >= 2).then_some(row.cells.len()));
        let complete = columns.is_some_and(|columns| row.cells.len() >= columns);
        let full_line = columns.is_some_and(|columns| columns >= 2 && parts.cells.len() >= columns);
        if full_line && (complete || !row.open) {
            self.pending = Some(row);
            self.flush(blocks);
            self.start(line, parts);
        } else if row.open || (has_pipe && !complete) {
            row.extend(parts);
            self.pending = Some(row);
        } else if !has_pipe && columns.is_some() && !complete {
            row.cells.push(String::new());
            row.open = true;
            row.extend(parts);
            self.pending = Some(row);
        } else {
            self.pending = Some(row);
            if has_pipe {
                self.flush(blocks);
                self.start(line, parts);
            } else {
                self.end(blocks);
                return false;
            }
        }
        true
    }

    fn start(&mut self, line: usize, parts: PipeLine) {
        self.pending = Some(PendingRow {
            line,
            per_line: parts.leading && parts.closed && parts.cells.len() == 1,
            cells: parts.cells,
            open: !parts.closed,
        });
    }
}

/// The page as blocks: table lines become rows, headings lose their `#`, code fences are
/// dropped and their content kept verbatim.
pub fn blocks(source: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut table = TableReader::default();
    let mut in_fence = false;
    for (line, text) in numbered_lines(source) {
        let trimmed = text.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            table.end(&mut blocks);
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
            table.end(&mut blocks);
            blocks.push(Block::Blank { line });
        } else if is_separator_row(text) {
            table.flush(&mut blocks);
        } else if !table.line(line, text, &mut blocks) {
            let text = match HEADING.as_ref() {
                Some(re) => re.replace(trimmed, "").into_owned(),
                None => trimmed.to_owned(),
            };
            blocks.push(Block::Text { line, text });
        }
    }
    table.end(&mut blocks);
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(page: &str) -> Vec<Vec<String>> {
        blocks(page)
            .into_iter()
            .filter_map(|block| match block {
                Block::Row { cells, .. } => Some(cells),
                _ => None,
            })
            .collect()
    }

    fn expected() -> Vec<Vec<String>> {
        [
            vec!["Name", "Type", "Description"],
            vec!["Force", "Integer", "first\nsecond"],
            vec!["Ids.N", "Array of String", "ids"],
        ]
        .iter()
        .map(|row| row.iter().map(|c| (*c).to_owned()).collect())
        .collect()
    }

    #[test]
    fn paragraph_tags_in_cells_are_line_breaks() {
        assert_eq!(clean_cell("<p>源站名称</p>"), "源站名称");
        assert_eq!(clean_cell("<P>a</p><p>b</P>x<br/>y"), "a\nb\nx\ny");
        assert_eq!(clean_cell("a <pre> b"), "a <pre> b");
    }

    #[test]
    fn every_pipe_table_shape_gives_the_same_rows() {
        let shapes = [
            "| Name | Type | Description |\n|---|---|---|\n| Force | Integer | first<br>second |\n| Ids.N | Array of String | ids |\n",
            "Name | Type | Description |\n---|---|---|\nForce | Integer | first\nsecond |\nIds.N | Array of String | ids |\n",
            "Name | Type | Description\nForce | Integer | first<br>second\nIds.N | Array of String | ids\n",
            "| Name | Type | Description |\n| Force | Integer | first\nsecond |\n| Ids.N | Array of String | ids |\n",
            "| Name |\nType |\nDescription |\n| Force |\nInteger |\nfirst\nsecond |\n| Ids.N |\nArray of String |\nids |\n",
            "| Name |\nType |\nDescription |\n| Force |\nInteger |\nfirst\nsecond\n| Ids.N |\nArray of String |\nids |\n",
            "Name | Type | Description |\nForce | first\nsecond |\n",
        ];
        for shape in &shapes[..6] {
            assert_eq!(rows(shape), expected(), "{shape}");
        }
        // A row split over lines after a closed cell: cells are gathered up to the header's
        // count (the columns come out in page order).
        assert_eq!(
            rows("Name | Type | Description |\nForce |\nInteger | first |\n"),
            vec![
                vec!["Name".to_owned(), "Type".into(), "Description".into()],
                vec!["Force".into(), "Integer".into(), "first".into()]
            ]
        );
        assert_eq!(rows(shapes[6]).len(), 2);
    }

    #[test]
    fn prose_after_a_table_is_text() {
        let page = "Name | Type | Description |\nA | String | a |\n3. Output Parameters\nmore";
        let blocks = blocks(page);
        assert_eq!(
            blocks[2],
            Block::Text {
                line: 3,
                text: "3. Output Parameters".into()
            }
        );
        assert!(is_pipe_header("参数名称 | 必选 | 类型 | 描述 |"));
        assert!(!is_pipe_header("HTTP | HTTPS"));
    }

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
