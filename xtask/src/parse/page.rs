//! Splits an action page into its preamble and sections, independent of the language of
//! the site and its chrome: sections are found by their headings (numbered or not, by
//! their titles in the sites' languages) and, where headings are missing, by what they
//! contain (the input table by its header and its `Action` row, and so on; see
//! [`split`]). The chrome is recognised by a small multilingual list.

use std::sync::LazyLock;

use regex::Regex;

use super::layout::Block;
use super::table::DESCRIPTION_HEADERS;

static HEADING: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^\s*([1-6])\s*[.．、]\s*(\S.*)?$").ok());
static TIMESTAMP: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?\s*$").ok());
static EXAMPLE_START: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:(?:example|示例|예시|예제|contoh|ejemplo|exemplo)\s*\d+|input example|输入示例|(?:POST|GET) /\S* HTTP/|https?://[a-z0-9.-]+/\?Action=)").ok()
});
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
    /// 5. Developer Resources.
    pub const RESOURCES: usize = 5;
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
    /// At least one section was found by a numbered heading.
    pub numbered: bool,
}

impl<'a> Page<'a> {
    /// The section numbered `number`, when the page has it.
    pub fn section(&self, number: usize) -> Option<Section<'a>> {
        self.sections.get(number).copied().flatten()
    }

    /// True when the page reads as an action page: it has an input table, or numbered
    /// section headings.
    pub fn has_sections(&self) -> bool {
        self.section(section::INPUT).is_some() || self.numbered
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

/// Section titles in the sites' languages, by section number (compared lowercased with
/// spaces removed).
const TITLES: &[(usize, &[&str])] = &[
    (
        section::DESCRIPTION,
        &[
            "apidescription",
            "接口描述",
            "api설명",
            "deskripsiapi",
            "apiの説明",
            "apiの概要",
        ],
    ),
    (
        section::INPUT,
        &[
            "inputparameters",
            "requestparameters",
            "输入参数",
            "입력파라미터",
            "입력매개변수",
            "parameterinput",
            "入力パラメータ",
        ],
    ),
    (
        section::OUTPUT,
        &[
            "outputparameters",
            "responseparameters",
            "输出参数",
            "출력파라미터",
            "출력매개변수",
            "parameteroutput",
            "出力パラメータ",
        ],
    ),
    (
        section::EXAMPLES,
        &[
            "example",
            "examples",
            "示例",
            "예시",
            "예제",
            "contoh",
            "サンプル",
            "例",
        ],
    ),
    (
        section::RESOURCES,
        &[
            "developerresources",
            "开发者资源",
            "개발자리소스",
            "sumberdayapengembang",
            "開発者リソース",
        ],
    ),
    (
        section::ERRORS,
        &[
            "errorcode",
            "errorcodes",
            "错误码",
            "오류코드",
            "에러코드",
            "kodekesalahan",
            "kodeerror",
            "エラーコード",
        ],
    ),
];

/// Lowercased with every space removed: how titles and table headers are compared, so
/// that `Parameter NameRequiredType` (cells run together) reads like `Parameter Name`.
pub fn squash(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '|' && *c != '#')
        .flat_map(char::to_lowercase)
        .collect()
}

/// The section a heading names: `2. Input Parameters`, `输入参数`, `4. Error Codes`; a
/// numbered heading with a title in no known language keeps its number.
fn heading_number(text: &str) -> Option<(usize, bool, bool)> {
    let trimmed = text.trim();
    if trimmed.chars().count() > 60 || trimmed.ends_with(['.', ';', ':', '。', ',', '：', '，'])
    {
        return None;
    }
    let numbered = HEADING.as_ref()?.captures(trimmed);
    let title = numbered
        .as_ref()
        .map_or(Some(trimmed), |c| c.get(2).map(|m| m.as_str()))
        .unwrap_or_default();
    let squashed = squash(title);
    let by_title = TITLES
        .iter()
        .find(|(_, titles)| titles.contains(&squashed.as_str()))
        .map(|(number, _)| *number);
    match (by_title, numbered) {
        (Some(number), numbered) => Some((number, true, numbered.is_some())),
        (None, Some(captures)) => Some((captures.get(1)?.as_str().parse().ok()?, false, true)),
        (None, None) => None,
    }
}

/// What a table header announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderKind {
    /// `Parameter Name | [Required |] Type | Description`.
    Params {
        /// The header has a `Required` column.
        required: bool,
        /// The name column says "Parameter Name" (action pages), not just "Name" (the
        /// Data Types page).
        parameter: bool,
    },
    /// `Error Code | Description`.
    Errors,
}

/// Header words in the sites' languages (squashed), by role. "Parameter Name" heads the
/// tables of action pages; the Data Types page says just "Name" ([`NAME_WORDS`]).
const PARAMETER_NAME_WORDS: &[&str] = &[
    "parametername",
    "参数名称",
    "参数名",
    "파라미터이름",
    "파라미터명",
    "매개변수이름",
    "매개변수명",
    "namaparameter",
    "パラメータ名",
];
const NAME_WORDS: &[&str] = &["name", "名称", "이름", "nama", "名前"];
const REQUIRED_WORDS: &[&str] = &[
    "required",
    "是否必选",
    "必选",
    "必填",
    "필수",
    "필수여부",
    "wajib",
    "diperlukan",
    "必須",
];
const TYPE_WORDS: &[&str] = &["type", "类型", "타입", "유형", "tipe", "型"];
const CODE_WORDS: &[&str] = &[
    "errorcode",
    "错误码",
    "错误代码",
    "오류코드",
    "에러코드",
    "kodekesalahan",
    "kodeerror",
    "エラーコード",
    "code",
];

/// Removes the first word of `words` found at the start of `text`; which role matched.
fn strip_word<'a>(text: &'a str, words: &[&str]) -> Option<&'a str> {
    words.iter().find_map(|word| text.strip_prefix(word))
}

/// The kind of table header `text` is (cells joined or run together), if it is one: it
/// consists of header words only, a name or code column, and ends with a description.
pub fn header_kind(text: &str) -> Option<HeaderKind> {
    let mut rest = squash(text);
    if rest.chars().count() > 60 {
        return None;
    }
    let (mut name, mut required, mut ty, mut code, mut description) =
        (false, false, false, false, false);
    let parameter = PARAMETER_NAME_WORDS
        .iter()
        .any(|word| rest.starts_with(word));
    while !rest.is_empty() {
        let (flag, after) = if let Some(after) = strip_word(&rest, CODE_WORDS) {
            (&mut code, after)
        } else if let Some(after) =
            strip_word(&rest, PARAMETER_NAME_WORDS).or_else(|| strip_word(&rest, NAME_WORDS))
        {
            (&mut name, after)
        } else if let Some(after) = strip_word(&rest, REQUIRED_WORDS) {
            (&mut required, after)
        } else if let Some(after) = strip_word(&rest, TYPE_WORDS) {
            (&mut ty, after)
        } else if let Some(after) = strip_word(&rest, DESCRIPTION_HEADERS) {
            (&mut description, after)
        } else {
            return None;
        };
        *flag = true;
        rest = after.to_owned();
    }
    match (name, ty, code, description) {
        (true, true, false, true) => Some(HeaderKind::Params {
            required,
            parameter,
        }),
        (false, false, true, true) => Some(HeaderKind::Errors),
        _ => None,
    }
}

/// The header kind of a block.
fn block_header(block: &Block) -> Option<HeaderKind> {
    match block {
        Block::Text { text, .. } => header_kind(text),
        Block::Row { cells, .. } => header_kind(&cells.join(" ")),
        Block::Blank { .. } => None,
    }
}

/// The first word of a block (the first cell of a row).
fn first_word(block: &Block) -> Option<&str> {
    match block {
        Block::Text { text, .. } => text.split_whitespace().next(),
        Block::Row { cells, .. } => cells.first().map(String::as_str),
        Block::Blank { .. } => None,
    }
}

/// The first cell of the `Action` row, also when the row's cells ran together
/// (`ActionYesString...`).
fn is_action_cell(word: &str) -> bool {
    word.strip_prefix("Action").is_some_and(|rest| {
        rest.is_empty()
            || ["Yes", "No", "是", "否", "String"]
                .iter()
                .any(|w| rest.starts_with(w))
    })
}

/// The text of a line that starts an example: `Example 1 ...`, `示例1 ...`, `Input Example`,
/// an HTTP request line or a request URL.
fn starts_example(block: &Block) -> bool {
    let Block::Text { text, .. } = block else {
        return false;
    };
    let text = text.trim();
    EXAMPLE_START.as_ref().is_some_and(|re| re.is_match(text))
}

/// The first line of the developer resources after the examples, where that section has
/// no heading (squashed, in the sites' languages).
const RESOURCE_LINES: &[&str] = &[
    "apiexplorer",
    "腾讯云api平台",
    "tencentcloudapi平台",
    "sdk",
    "命令行工具",
    "commandlineinterface",
    "tencentcloudcli",
];

fn starts_resources(block: &Block) -> bool {
    matches!(block, Block::Text { text, .. } if RESOURCE_LINES.contains(&squash(text).as_str()))
}

/// Where a section starts, and whether the anchor is a heading (its content starts after
/// it) or the content itself (a table header, an example's first line).
#[derive(Debug, Clone, Copy)]
struct Anchor {
    number: usize,
    index: usize,
    line: usize,
    heading: bool,
    numbered: bool,
}

/// The sections' anchors: headings (numbered or not, by their title in any site language),
/// then what the content shows where headings are missing: the input table is the table
/// whose first row is the `Action` common parameter, the output table the next parameter
/// table, the error table the one headed `Error Code | Description`, the examples their
/// first title or request.
fn anchors(blocks: &[Block]) -> Vec<Anchor> {
    let mut found: Vec<Anchor> = Vec::new();
    let mut last = 0;
    // Parameter tables met since the last anchor: the first one under an input heading is
    // the input table even when its `Required` column and `Action` row are gone.
    let mut tables_in_section = 0;
    for (index, block) in blocks.iter().enumerate() {
        let line = block.line();
        if let Block::Text { text, .. } = block
            && let Some((number, titled, numbered)) = heading_number(text)
            && (number > last || (titled && !found.iter().any(|a| a.number == number)))
        {
            found.push(Anchor {
                number,
                index,
                line,
                heading: true,
                numbered,
            });
            last = number;
            tables_in_section = 0;
            continue;
        }
        let seen = |number: usize| found.iter().any(|a| a.number == number);
        let number = match block_header(block) {
            Some(HeaderKind::Params {
                parameter: true,
                required,
            }) => {
                let next = blocks
                    .get(index + 1..)
                    .unwrap_or_default()
                    .iter()
                    .find(|b| !matches!(b, Block::Blank { .. }));
                let first_table = tables_in_section == 0;
                tables_in_section += 1;
                if required || next.and_then(first_word).is_some_and(is_action_cell) {
                    section::INPUT
                } else if seen(section::INPUT) && !(last == section::INPUT && first_table) {
                    section::OUTPUT
                } else {
                    continue;
                }
            }
            Some(HeaderKind::Params { .. }) => continue,
            Some(HeaderKind::Errors) => section::ERRORS,
            None if last >= section::INPUT && starts_example(block) => section::EXAMPLES,
            None if last == section::EXAMPLES && starts_resources(block) => section::RESOURCES,
            None => continue,
        };
        if seen(number) || number < last {
            continue;
        }
        found.push(Anchor {
            number,
            index,
            line,
            heading: false,
            numbered: false,
        });
        last = number;
        if number != section::INPUT {
            tables_in_section = 0;
        }
    }
    found
}

/// Cuts `blocks` into sections at their anchors (headings, else the content: see the module docs).
pub fn split(blocks: &[Block]) -> Page<'_> {
    let mut page = Page::default();
    let starts = anchors(blocks);
    let first = starts.first().map_or(blocks.len(), |anchor| anchor.index);
    page.preamble = blocks.get(..first).unwrap_or_default();
    for (position, anchor) in starts.iter().enumerate() {
        let end = starts
            .get(position + 1)
            .map_or(blocks.len(), |next| next.index);
        let from = if anchor.heading {
            anchor.index + 1
        } else {
            anchor.index
        };
        let content = blocks.get(from..end).unwrap_or_default();
        if let Some(slot) = page.sections.get_mut(anchor.number)
            && slot.is_none()
        {
            *slot = Some(Section {
                line: anchor.line,
                blocks: content,
            });
        }
        page.numbered |= anchor.numbered;
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
