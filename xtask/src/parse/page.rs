//! Splits an action page into its preamble and numbered sections, independent of the
//! language of the site's chrome: sections are found by their numbered headings `1.` to
//! `6.` (in increasing order), the chrome by a small multilingual list.

use std::sync::LazyLock;

use regex::Regex;

use super::layout::Block;

static HEADING: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^\s*([1-6])\s*[.．、]\s*(\S.*)?$").ok());
static TIMESTAMP: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?\s*$").ok());
static IDENTIFIER: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^[A-Za-z][A-Za-z0-9]*$").ok());

/// The section numbers of an action page.
pub mod section {
    /// 1. API Description.
    pub const DESCRIPTION: usize = 1;
    /// 2. Input Parameters.
    pub const INPUT: usize = 2;
    /// 3. Output Parameters.
    pub const OUTPUT: usize = 3;
    /// 4. Example.
    pub const EXAMPLES: usize = 4;
    /// 6. Error Code.
    pub const ERRORS: usize = 6;
}

/// Site chrome seen around the page content, in the site's languages (compared after
/// trimming, case-insensitively).
const CHROME: &[&str] = &[
    "tencent cloud",
    "feedback",
    "피드백",
    "文档反馈",
    "反馈",
    "umpan balik",
    "masukan",
    "フィードバック",
    "contact us",
    "help",
    "send feedback",
];

/// True for a chrome line: the site's header and footer words, or a "last updated" stamp
/// in any language (a short line ending with a date and time).
pub fn is_chrome(text: &str) -> bool {
    let trimmed = text.trim();
    let lower = trimmed.to_lowercase();
    CHROME.contains(&lower.as_str())
        || (trimmed.chars().count() < 80
            && TIMESTAMP.as_ref().is_some_and(|re| re.is_match(trimmed)))
}

/// One numbered section: its heading's line and the blocks after it.
#[derive(Debug, Clone, Copy)]
pub struct Section<'a> {
    /// Line of the heading.
    pub line: usize,
    /// The section's content.
    pub blocks: &'a [Block],
}

/// An action page cut into its parts.
#[derive(Debug, Clone, Default)]
pub struct Page<'a> {
    /// Everything before the first numbered heading (chrome and title).
    pub preamble: &'a [Block],
    /// Sections by number (index 0 unused).
    pub sections: [Option<Section<'a>>; 7],
}

impl<'a> Page<'a> {
    /// The section numbered `number`, when the page has it.
    pub fn section(&self, number: usize) -> Option<Section<'a>> {
        self.sections.get(number).copied().flatten()
    }

    /// True when the page has at least one numbered section.
    pub fn has_sections(&self) -> bool {
        self.sections.iter().any(Option::is_some)
    }

    /// The page title: the last identifier-like line of the preamble that is not chrome.
    pub fn title(&self) -> Option<(usize, &'a str)> {
        self.preamble.iter().rev().find_map(|block| match block {
            Block::Text { line, text }
                if !is_chrome(text)
                    && IDENTIFIER
                        .as_ref()
                        .is_some_and(|re| re.is_match(text.trim())) =>
            {
                Some((*line, text.trim()))
            }
            _ => None,
        })
    }
}

/// The number of a section heading, when `text` is one.
fn heading_number(text: &str) -> Option<usize> {
    let trimmed = text.trim();
    if trimmed.chars().count() > 60 || trimmed.ends_with(['.', ';', ':', '。', ',']) {
        return None;
    }
    let captures = HEADING.as_ref()?.captures(trimmed)?;
    captures.get(1)?.as_str().parse().ok()
}

/// Cuts `blocks` at the numbered headings (each number must be larger than the previous).
pub fn split(blocks: &[Block]) -> Page<'_> {
    let mut page = Page::default();
    let mut starts: Vec<(usize, usize, usize)> = Vec::new(); // (number, heading index, line)
    let mut last = 0;
    for (index, block) in blocks.iter().enumerate() {
        if let Block::Text { line, text } = block
            && let Some(number) = heading_number(text)
            && number > last
        {
            starts.push((number, index, *line));
            last = number;
        }
    }
    let first = starts.first().map_or(blocks.len(), |&(_, index, _)| index);
    page.preamble = blocks.get(..first).unwrap_or_default();
    for (position, &(number, index, line)) in starts.iter().enumerate() {
        let end = starts
            .get(position + 1)
            .map_or(blocks.len(), |&(_, next, _)| next);
        let content = blocks.get(index + 1..end).unwrap_or_default();
        if let Some(slot) = page.sections.get_mut(number) {
            *slot = Some(Section {
                line,
                blocks: content,
            });
        }
    }
    page
}

/// The non-blank text lines of `blocks` (rows are joined cell by cell with spaces).
pub fn text_lines(blocks: &[Block]) -> impl Iterator<Item = (usize, String)> + '_ {
    blocks.iter().filter_map(|block| match block {
        Block::Text { line, text } => Some((*line, text.trim().to_owned())),
        Block::Row { line, cells } => Some((*line, cells.join(" "))),
        Block::Blank { .. } => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::layout::text;

    #[test]
    fn sections_are_found_by_number_in_order() {
        let blocks = text::blocks(
            "Feedback\nDoIt\nLast updated: 2020-01-01 10:00:00\n1. API Description\nabout\n2. 입력 파라미터\nrow\n1. not a heading\n4. Example\nx",
        );
        let page = split(&blocks);
        assert_eq!(page.title(), Some((2, "DoIt")));
        assert_eq!(page.section(1).map(|s| s.blocks.len()), Some(1));
        assert_eq!(page.section(2).map(|s| s.blocks.len()), Some(2));
        assert!(page.section(3).is_none());
        assert_eq!(page.section(4).map(|s| s.line), Some(9));
    }

    #[test]
    fn chrome_in_several_languages() {
        assert!(is_chrome("文档反馈"));
        assert!(is_chrome("마지막 업데이트 시간:2023-07-13 15:25:33"));
        assert!(is_chrome("Terakhir diperbarui: 2023-07-13 15:25:33"));
        assert!(!is_chrome("DeleteListeners"));
    }
}
