//! Saved HTML pages, read with `scraper`: headings, paragraphs and list items become text
//! lines, `<pre>` keeps its lines verbatim, `<table>` rows become rows (`<br>` inside a cell
//! is a line break). Line numbers are found by locating each block's text in the source.

use scraper::{ElementRef, Html, Node};

use super::Block;

/// Elements whose whole content is one paragraph of text.
const PARAGRAPHS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "dt",
    "dd",
    "caption",
    "figcaption",
    "title",
    "summary",
    "button",
];
/// Elements that sit inside a line of text.
const INLINE: &[&str] = &[
    "a", "span", "strong", "em", "b", "i", "code", "label", "small", "sup", "sub", "u", "font",
];
/// Nesting depth beyond which content is ignored (keeps recursion bounded on hostile input).
const MAX_DEPTH: usize = 200;
/// Elements that never hold page text.
const SKIPPED: &[&str] = &["script", "style", "noscript", "template", "svg", "head"];

/// How far ahead of the last located block a block's text is looked for.
const LOCATE_WINDOW: usize = 64 * 1024;
/// Bytes of source all the searches together may scan, per byte of source: keeps locating
/// linear in the page size whatever the page holds (text that is not found verbatim, such as
/// entities, is searched for at most this many times over).
const LOCATE_BUDGET_FACTOR: usize = 4;
/// Open elements nested deeper than this are refused before the tree is built: the tree
/// builder's work grows with the square of the depth (real pages nest a few dozen deep).
pub const MAX_NESTING: usize = 512;
/// Elements that close themselves or are closed by their next sibling: they do not nest.
const NOT_NESTING: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "p", "li", "dt", "dd", "td", "th", "tr", "thead", "tbody", "tfoot", "option",
    "optgroup", "colgroup", "rt", "rp", "!doctype",
];

/// Maps byte offsets of the source to 1-based line numbers, moving forward through it.
struct Locator<'a> {
    source: &'a str,
    line_starts: Vec<usize>,
    position: usize,
    /// Bytes the searches may still scan.
    budget: usize,
}

impl<'a> Locator<'a> {
    fn new(source: &'a str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(source.match_indices('\n').map(|(index, _)| index + 1))
            .collect();
        Locator {
            source,
            line_starts,
            position: 0,
            budget: source.len().saturating_mul(LOCATE_BUDGET_FACTOR),
        }
    }

    /// The line of the next occurrence of `text` (its first run of plain characters), or of
    /// the last located position when it cannot be found verbatim (entities, markup).
    fn locate(&mut self, text: &str) -> usize {
        let needle = text
            .split(['&', '<', '>', '"', '\'', '\n'])
            .map(|run| {
                let end = run
                    .char_indices()
                    .nth(40)
                    .map_or(run.len(), |(index, _)| index);
                run.get(..end).unwrap_or(run)
            })
            .find(|run| run.trim().chars().count() >= 3);
        if let Some(needle) = needle
            && self.budget > 0
        {
            let rest = self.source.get(self.position..).unwrap_or_default();
            let mut end = rest.len().min(LOCATE_WINDOW).min(self.budget);
            while !rest.is_char_boundary(end) {
                end -= 1;
            }
            let window = rest.get(..end).unwrap_or_default();
            match window.find(needle) {
                Some(found) => {
                    self.budget = self.budget.saturating_sub(found + needle.len());
                    self.position += found;
                }
                None => self.budget = self.budget.saturating_sub(window.len()),
            }
        }
        self.line_starts
            .partition_point(|&start| start <= self.position)
    }
}

/// The text of a node and its descendants; `<br>` becomes a line break, runs of whitespace
/// become one space.
fn inline_text(node: ElementRef<'_>, out: &mut String) {
    inline_text_at(node, out, 0);
}

fn inline_text_at(node: ElementRef<'_>, out: &mut String, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    for child in node.children() {
        match child.value() {
            Node::Text(text) => out.push_str(text),
            Node::Element(element) => match element.name() {
                "br" => out.push('\n'),
                name if SKIPPED.contains(&name) => {}
                _ => {
                    if let Some(child) = ElementRef::wrap(child) {
                        inline_text_at(child, out, depth + 1);
                    }
                }
            },
            _ => {}
        }
    }
}

/// Collapses whitespace inside each line and drops empty lines.
fn clean_lines(text: &str) -> Vec<String> {
    text.split('\n')
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|line| !line.is_empty())
        .collect()
}

struct Walker<'a> {
    locator: Locator<'a>,
    blocks: Vec<Block>,
}

impl Walker<'_> {
    fn text_lines(&mut self, text: &str) {
        let lines = clean_lines(text);
        if lines.is_empty() {
            return;
        }
        for line_text in lines {
            let line = self.locator.locate(&line_text);
            self.blocks.push(Block::Text {
                line,
                text: line_text,
            });
        }
        self.blank();
    }

    fn blank(&mut self) {
        let line = self.locator.locate("");
        if !matches!(self.blocks.last(), Some(Block::Blank { .. }) | None) {
            self.blocks.push(Block::Blank { line });
        }
    }

    fn table_row(&mut self, row: ElementRef<'_>) {
        let mut cells = Vec::new();
        for cell in row.children() {
            if let Node::Element(element) = cell.value()
                && let (true, Some(cell)) = (
                    matches!(element.name(), "td" | "th"),
                    ElementRef::wrap(cell),
                )
            {
                let mut text = String::new();
                inline_text(cell, &mut text);
                cells.push(clean_lines(&text).join("\n"));
            }
        }
        if cells.iter().any(|cell| !cell.is_empty()) {
            let line = self
                .locator
                .locate(cells.first().map_or("", String::as_str));
            self.blocks.push(Block::Row { line, cells });
        }
    }

    fn table(&mut self, node: ElementRef<'_>) {
        for child in node.descendants() {
            if let Node::Element(element) = child.value()
                && let (true, Some(row)) = (element.name() == "tr", ElementRef::wrap(child))
            {
                self.table_row(row);
            }
        }
        self.blank();
    }

    fn pre(&mut self, node: ElementRef<'_>) {
        let mut text = String::new();
        inline_text(node, &mut text);
        for raw in text.lines() {
            let raw = raw.trim_end();
            if raw.trim().is_empty() {
                continue;
            }
            let line = self.locator.locate(raw);
            self.blocks.push(Block::Text {
                line,
                text: raw.to_owned(),
            });
        }
        self.blank();
    }

    fn walk(&mut self, node: ElementRef<'_>, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let mut pending = String::new();
        for child in node.children() {
            match child.value() {
                Node::Text(text) => pending.push_str(text),
                Node::Element(element) => {
                    let name = element.name();
                    let Some(child) = ElementRef::wrap(child) else {
                        continue;
                    };
                    if name == "br" {
                        pending.push('\n');
                        continue;
                    }
                    if INLINE.contains(&name) {
                        inline_text(child, &mut pending);
                        continue;
                    }
                    let text = std::mem::take(&mut pending);
                    self.text_lines(&text);
                    if PARAGRAPHS.contains(&name) {
                        let mut paragraph = String::new();
                        inline_text(child, &mut paragraph);
                        self.text_lines(&paragraph);
                        continue;
                    }
                    match name {
                        skipped if SKIPPED.contains(&skipped) => {}
                        "table" => self.table(child),
                        "pre" => self.pre(child),
                        _ => self.walk(child, depth + 1),
                    }
                }
                _ => {}
            }
        }
        let text = std::mem::take(&mut pending);
        self.text_lines(&text);
    }
}

/// How deep the page's elements nest, counted on the source before any tree is built
/// (stops counting past `limit`).
fn nesting_depth(source: &str, limit: usize) -> usize {
    let mut depth = 0usize;
    let mut deepest = 0usize;
    let bytes = source.as_bytes();
    let mut index = 0;
    while let Some(offset) = bytes
        .get(index..)
        .and_then(|rest| rest.iter().position(|&b| b == b'<'))
    {
        let start = index + offset + 1;
        let closing = bytes.get(start) == Some(&b'/');
        let name_start = if closing { start + 1 } else { start };
        let name_end = bytes
            .get(name_start..)
            .and_then(|rest| {
                rest.iter()
                    .position(|b| !(b.is_ascii_alphanumeric() || *b == b'!' || *b == b'-'))
            })
            .map_or(bytes.len(), |end| name_start + end);
        let name = source
            .get(name_start..name_end)
            .unwrap_or_default()
            .to_ascii_lowercase();
        index = name_end.max(start);
        if name.is_empty() || NOT_NESTING.contains(&name.as_str()) || name.starts_with("!--") {
            continue;
        }
        let tag_end = bytes
            .get(index..)
            .and_then(|rest| rest.iter().position(|&b| b == b'>'))
            .map_or(bytes.len(), |end| index + end);
        let self_closing = tag_end > 0 && bytes.get(tag_end - 1) == Some(&b'/');
        if closing {
            depth = depth.saturating_sub(1);
        } else if !self_closing {
            depth += 1;
            deepest = deepest.max(depth);
            if deepest > limit {
                break;
            }
        }
        index = tag_end;
    }
    deepest
}

/// The page as blocks, or why it is refused (elements nested deeper than [`MAX_NESTING`]).
pub fn blocks(source: &str) -> Result<Vec<Block>, String> {
    let depth = nesting_depth(source, MAX_NESTING);
    if depth > MAX_NESTING {
        return Err(format!(
            "HTML elements nest more than {MAX_NESTING} deep; refused (doc pages nest a few dozen)"
        ));
    }
    let document = Html::parse_document(source);
    let mut walker = Walker {
        locator: Locator::new(source),
        blocks: Vec::new(),
    };
    walker.walk(document.root_element(), 0);
    Ok(walker.blocks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_is_refused_before_the_tree_is_built() {
        let deep = "<div>".repeat(MAX_NESTING + 1);
        assert!(blocks(&deep).is_err_and(|e| e.contains("nest more than 512")));
        let closed = "<div></div>".repeat(10 * MAX_NESTING);
        assert_eq!(nesting_depth(&closed, MAX_NESTING), 1);
        let paragraphs = "<p>a<li>b<br><img src=x/>".repeat(10 * MAX_NESTING);
        assert_eq!(nesting_depth(&paragraphs, MAX_NESTING), 0);
        assert!(blocks(&"<div>".repeat(MAX_NESTING)).is_ok());
    }

    #[test]
    fn locating_stops_at_its_budget() {
        let source = "<p>&#65;&#66;&#67;</p>".repeat(100);
        let mut locator = Locator::new(&source);
        for _ in 0..10_000 {
            locator.locate("ABC never there");
        }
        assert_eq!(locator.budget, 0);
        assert_eq!(locator.position, 0);
    }

    #[test]
    fn tables_paragraphs_and_pre_become_blocks() {
        let page = "<html><body>\n<h2>2. Input</h2>\n<table>\n<tr><th>Name</th><th>Type</th></tr>\n<tr><td>Force</td><td>a<br>b</td></tr>\n</table>\n<pre>{\n  \"a\": 1\n}</pre>\n</body></html>";
        let blocks = blocks(page).unwrap_or_default();
        assert_eq!(
            blocks[0],
            Block::Text {
                line: 2,
                text: "2. Input".into()
            }
        );
        assert!(blocks.contains(&Block::Row {
            line: 5,
            cells: vec!["Force".into(), "a\nb".into()]
        }));
        assert!(blocks.contains(&Block::Text {
            line: 8,
            text: "  \"a\": 1".into()
        }));
    }
}
