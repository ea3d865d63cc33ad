//! Table rows. Plain-text rows are split here: a row starts with an identifier followed by
//! `Yes`/`No` and a type (inputs), a type (outputs) or a type and an optional `Yes`/`No`
//! (Data Types); the lines that follow it continue its description. Layouts that know their
//! cells (markdown, HTML, indented) are read by content, whatever the column order.

use std::sync::LazyLock;

use gaap_ir::Type;
use regex::Regex;

use super::layout::Block;
use super::page::is_chrome;
use super::types::{is_primitive, parse_type};

/// Which table is being read (they differ in where the `Required` column sits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableKind {
    /// `Parameter Name | Required | Type | Description`.
    Input,
    /// `Parameter Name | Type | Description`.
    Output,
    /// `Name | Type | [Required |] Description`.
    DataType,
}

/// One parameter row.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamRow {
    /// Line the row starts on.
    pub line: usize,
    /// Name as written (with a `.N` suffix for list inputs).
    pub name: String,
    /// `Yes`/`No` of the Required column, when there is one.
    pub required: Option<bool>,
    /// The type.
    pub ty: Type,
    /// Description, line breaks kept.
    pub description: String,
}

/// One error-code row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorRow {
    /// Line of the row.
    pub line: usize,
    /// The code.
    pub code: String,
    /// Its description.
    pub description: String,
}

const NAME: &str = r"(?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.N)?)";
const TYPE: &str =
    r"(?P<ty>(?:Array of [A-Za-z_][A-Za-z0-9_]*)|Timestamp ISO8601|[A-Za-z][A-Za-z0-9_]*)";

/// The Required column's words in the sites' languages.
const YES_NO: &str = r"(?P<req>Yes|No|是|否|예|아니요|Ya|Tidak)";

static INPUT_ROW: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^{NAME}\s+{YES_NO}\s+{TYPE}(?:\s+(?P<desc>.*))?$"
    ))
    .ok()
});
static OUTPUT_ROW: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(&format!(r"^{NAME}\s+{TYPE}(?:\s+(?P<desc>.*))?$")).ok());
static DATATYPE_ROW: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^{NAME}\s+{TYPE}(?:\s+{YES_NO})?(?:\s+(?P<desc>.*))?$"
    ))
    .ok()
});
static NAME_ONLY: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(&format!("^{NAME}$")).ok());
static ERROR_CODE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"^(?:[A-Z][a-z0-9]+(?:[A-Z][A-Za-z0-9]*)+(?:\.[A-Za-z0-9_]+)*|[A-Z][A-Za-z0-9]*(?:\.[A-Za-z0-9_]+)+)$").ok()
});

/// Last header words meaning "Description" in the site's languages.
pub(crate) const DESCRIPTION_HEADERS: &[&str] = &[
    "description",
    "descriptions",
    "描述",
    "说明",
    "설명",
    "deskripsi",
    "keterangan",
    "説明",
    "descripción",
    "descrição",
];

/// True for a table header line (its last word means "Description").
pub fn is_header(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    words.len() <= 6
        && words
            .last()
            .is_some_and(|last| DESCRIPTION_HEADERS.contains(&last.to_lowercase().as_str()))
}

fn yes_no(text: &str) -> Option<bool> {
    match text.trim() {
        "Yes" | "yes" | "是" | "예" | "Ya" => Some(true),
        "No" | "no" | "否" | "아니요" | "Tidak" => Some(false),
        _ => None,
    }
}

/// A line naming a struct type is a row only when it reads like one: a capitalized name and
/// a description starting a sentence (this tells `Contact Us` or `If HTTP3 is enabled`, in
/// a description or the page footer, from a row).
fn looks_like_struct_row(name: &str, description: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && description
            .chars()
            .next()
            .is_some_and(|c| !c.is_lowercase() && !c.is_ascii_punctuation())
}

/// The start of a row whose cells ran together when the page was copied
/// (`ActionYesStringCommon Params...`, `RequestIdStringThe unique...`): a name, then the
/// Required word and a type, or a primitive type or `Array of` right after it.
static RUN_TOGETHER: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*?(?:\.N)?)(?:(?P<req>Yes|No|是|否)(?P<rest>[A-Z].*)|(?P<bare>(?:Array of |String|Integer|Boolean|Float|Timestamp|Int64|UInt64|Uint64).*))$",
    )
    .ok()
});
/// Primitive type names, longest first.
const PRIMITIVES: &[&str] = &[
    "Timestamp ISO8601",
    "Timestamp",
    "Boolean",
    "Integer",
    "String",
    "UInt64",
    "Uint64",
    "Float",
    "Int64",
];

/// Splits `rest` into a type and the description that follows it without a space: a
/// primitive by name, a struct as the longest capitalised name after which the description
/// starts a sentence (a capital and a small letter, or CJK text).
fn run_together_type(rest: &str) -> Option<(Type, &str)> {
    let (array, rest) = match rest.strip_prefix("Array of ") {
        Some(element) => (true, element),
        None => (false, rest),
    };
    let wrap = |ty: Type| if array { Type::Array(Box::new(ty)) } else { ty };
    for name in PRIMITIVES {
        if let Some(description) = rest.strip_prefix(name) {
            return Some((wrap(parse_type(name)?), description));
        }
    }
    let run = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    (1..=run).rev().find_map(|end| {
        let (name, description) = (rest.get(..end)?, rest.get(end..)?);
        let mut next = description.chars();
        let starts_sentence = match (next.next(), next.next()) {
            (Some(first), Some(second)) => {
                (first.is_ascii_uppercase() && second.is_ascii_lowercase())
                    || (!first.is_ascii() && !first.is_whitespace())
            }
            (None, _) => true,
            _ => false,
        };
        (name.starts_with(|c: char| c.is_ascii_uppercase()) && starts_sentence)
            .then(|| Some((wrap(parse_type(name)?), description)))
            .flatten()
    })
}

/// Reads a line whose cells ran together as a row of `kind`, if it is one.
fn run_together_row(kind: TableKind, line: usize, text: &str) -> Option<ParamRow> {
    let captures = RUN_TOGETHER.as_ref()?.captures(text.trim())?;
    let required = captures.name("req").and_then(|m| yes_no(m.as_str()));
    if kind == TableKind::Output && required.is_some() {
        return None;
    }
    let rest = captures.name("rest").or_else(|| captures.name("bare"))?;
    let (ty, description) = run_together_type(rest.as_str())?;
    Some(ParamRow {
        line,
        name: captures.name("name")?.as_str().to_owned(),
        required,
        ty,
        description: description.trim().to_owned(),
    })
}

/// Reads a plain-text line as a row of `kind`, if it is one.
fn text_row(kind: TableKind, line: usize, text: &str) -> Option<ParamRow> {
    spaced_row(kind, line, text).or_else(|| run_together_row(kind, line, text))
}

/// Reads a plain-text line whose cells are separated by spaces as a row of `kind`.
fn spaced_row(kind: TableKind, line: usize, text: &str) -> Option<ParamRow> {
    let pattern = match kind {
        TableKind::Input => INPUT_ROW.as_ref(),
        TableKind::Output => OUTPUT_ROW.as_ref(),
        TableKind::DataType => DATATYPE_ROW.as_ref(),
    }?;
    let captures = pattern.captures(text.trim())?;
    let ty = parse_type(captures.name("ty")?.as_str())?;
    let name = captures.name("name")?.as_str();
    let description = captures.name("desc").map_or("", |m| m.as_str().trim());
    if !is_primitive(&ty) && (is_header(text) || !looks_like_struct_row(name, description)) {
        return None;
    }
    Some(ParamRow {
        line,
        name: name.to_owned(),
        required: captures.name("req").and_then(|m| yes_no(m.as_str())),
        ty,
        description: description.to_owned(),
    })
}

/// Reads pre-split cells as a row: the first cell is the name, the last the description,
/// the middle ones the type and the optional `Yes`/`No`.
fn cell_row(line: usize, cells: &[String]) -> Option<ParamRow> {
    let (name, rest) = cells.split_first()?;
    let name = name.trim();
    if !NAME_ONLY.as_ref()?.is_match(name) {
        return None;
    }
    let (middle, description) = match rest {
        [] => return None,
        [only] => (std::slice::from_ref(only), String::new()),
        [middle @ .., last] => (middle, last.trim().to_owned()),
    };
    let mut required = None;
    let mut ty = None;
    for cell in middle {
        if let Some(flag) = yes_no(cell) {
            required = Some(flag);
        } else if ty.is_none() {
            ty = Some(parse_type(cell)?);
        } else {
            return None;
        }
    }
    let ty = ty?;
    if is_header(&cells.join(" ")) && !is_primitive(&ty) {
        return None;
    }
    Some(ParamRow {
        line,
        name: name.to_owned(),
        required,
        ty,
        description,
    })
}

/// The parameter rows of `blocks`. Plain-text lines after a row continue its description
/// until a blank line.
pub fn param_rows(kind: TableKind, blocks: &[Block]) -> Vec<ParamRow> {
    let mut rows: Vec<ParamRow> = Vec::new();
    let mut open = false;
    for block in blocks {
        match block {
            Block::Blank { .. } => open = false,
            Block::Row { line, cells } => {
                open = false;
                if let Some(row) = cell_row(*line, cells) {
                    rows.push(row);
                }
            }
            Block::Text { line, text } => {
                if let Some(row) = text_row(kind, *line, text) {
                    rows.push(row);
                    open = true;
                } else if is_chrome(text) {
                    open = false;
                } else if open && let Some(last) = rows.last_mut() {
                    if !last.description.is_empty() {
                        last.description.push('\n');
                    }
                    last.description.push_str(text.trim());
                }
            }
        }
    }
    rows
}

/// True for an error code such as `FailedOperation.DuplicatedRequest` or `InternalError`.
pub fn is_error_code(text: &str) -> bool {
    ERROR_CODE.as_ref().is_some_and(|re| re.is_match(text))
}

/// Where the code ends in a word whose code and English description ran together
/// (`ResourceNotFoundThe resource...`, `AuthFailureCAM signature...`): the longest
/// error-code prefix ending a word (a small letter or digit) after which the description
/// starts with a capitalised word or an acronym.
fn run_together_code(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let starts_description = |at: usize| {
        let upper = bytes.get(at..).map_or(0, |rest| {
            rest.iter().take_while(|b| b.is_ascii_uppercase()).count()
        });
        match upper {
            0 => false,
            1 => bytes.get(at + 1).is_some_and(u8::is_ascii_lowercase),
            n => !bytes.get(at + n).is_some_and(u8::is_ascii_alphabetic),
        }
    };
    let word_end = text.find(char::is_whitespace).unwrap_or(text.len());
    (1..word_end).rev().find(|&end| {
        bytes
            .get(end - 1)
            .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            && starts_description(end)
            && text.get(..end).is_some_and(is_error_code)
    })
}

/// The error-code rows of `blocks`: a code followed by its description.
pub fn error_rows(blocks: &[Block]) -> Vec<ErrorRow> {
    // A header whose words ran together (`Error CodeDescription`) tells that the rows'
    // codes and descriptions ran together too.
    let run_together = blocks.iter().any(|block| {
        matches!(block, Block::Text { text, .. }
            if ["CodeDescription", "码描述", "码说明"].iter().any(|h| text.trim().ends_with(h)))
    });
    let mut rows = Vec::new();
    for block in blocks {
        let (line, code, description) = match block {
            Block::Text { line, text } => {
                let text = text.trim();
                let (code, description) =
                    text.split_once(char::is_whitespace).unwrap_or((text, ""));
                match run_together.then(|| run_together_code(text)).flatten() {
                    Some(end) => (
                        *line,
                        code.get(..end).unwrap_or_default().to_owned(),
                        text.get(end..).unwrap_or_default().trim().to_owned(),
                    ),
                    _ => (*line, code.to_owned(), description.trim().to_owned()),
                }
            }
            Block::Row { line, cells } => match cells.split_first() {
                Some((code, rest)) => (
                    *line,
                    code.trim().to_owned(),
                    rest.join(" ").trim().to_owned(),
                ),
                None => continue,
            },
            Block::Blank { .. } => continue,
        };
        if is_error_code(&code) && !(run_together && description.is_empty()) {
            rows.push(ErrorRow {
                line,
                code,
                description,
            });
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::layout::text;

    #[test]
    fn input_rows_with_continuations() {
        let blocks = text::blocks(
            "Parameter Name Required Type Description\nForce Yes Integer The flag\n1: yes\nName No String Yes or No String\n\nstray",
        );
        let rows = param_rows(TableKind::Input, &blocks);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].description, "The flag\n1: yes");
        assert_eq!(rows[1].required, Some(false));
        assert_eq!(rows[1].description, "Yes or No String");
    }

    #[test]
    fn output_header_is_not_a_row() {
        let blocks = text::blocks(
            "Parameter Name Type Description\nSet Array of ProxyInfo List\nRequestId String Id",
        );
        let rows = param_rows(TableKind::Output, &blocks);
        let names: Vec<_> = rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["Set", "RequestId"]);
    }

    #[test]
    fn data_type_rows_with_and_without_required() {
        let blocks = text::blocks("Name Type Required Description\nA String Yes x\nB Integer y");
        let rows = param_rows(TableKind::DataType, &blocks);
        assert_eq!(rows[0].required, Some(true));
        assert_eq!(rows[1].required, None);
    }

    #[test]
    fn cells_are_read_by_content() {
        let cells = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let row = cell_row(1, &cells(&["Ports.N", "Yes", "Array of Integer", "ports"]));
        assert_eq!(
            row.map(|r| r.ty),
            Some(Type::Array(Box::new(Type::Integer)))
        );
        assert!(
            cell_row(
                1,
                &cells(&["Parameter Name", "Required", "Type", "Description"])
            )
            .is_none()
        );
        assert!(cell_row(1, &cells(&["Name", "Type", "Description"])).is_none());
    }

    #[test]
    fn cells_run_together() {
        let rows = param_rows(
            TableKind::Input,
            &text::blocks(
                "Parameter NameRequiredTypeDescription\nActionYesStringCommon Params.\nRuleIds.NYesArray of StringList of rule IDs.\nRealServerBindSet.NNoArray of RealServerBindSetReqList of servers.\nConfigNoSecurityConfig安全策略配置。\nNoFlagNoIntegerFlag.",
            ),
        );
        let got: Vec<_> = rows
            .iter()
            .map(|r| {
                (
                    r.name.as_str(),
                    r.required,
                    r.ty.clone(),
                    r.description.as_str(),
                )
            })
            .collect();
        let array = |t: Type| Type::Array(Box::new(t));
        assert_eq!(
            got,
            vec![
                ("Action", Some(true), Type::String, "Common Params."),
                (
                    "RuleIds.N",
                    Some(true),
                    array(Type::String),
                    "List of rule IDs."
                ),
                (
                    "RealServerBindSet.N",
                    Some(false),
                    array(Type::Struct("RealServerBindSetReq".into())),
                    "List of servers."
                ),
                (
                    "Config",
                    Some(false),
                    Type::Struct("SecurityConfig".into()),
                    "安全策略配置。"
                ),
                ("NoFlag", Some(false), Type::Integer, "Flag."),
            ]
        );
        let output = param_rows(
            TableKind::Output,
            &text::blocks("RequestIdStringThe unique request ID."),
        );
        assert_eq!(output[0].name, "RequestId");
        assert_eq!(output[0].description, "The unique request ID.");
        let errors = error_rows(&text::blocks(
            "Error CodeDescription\nInternalErrorInternal error.\nFailedOperation.DuplicatedRequestDuplicated request.\nResourceNotFoundNot found.\nAuthFailureCAM signature error.\nContactUs",
        ));
        let codes: Vec<_> = errors
            .iter()
            .map(|e| (e.code.as_str(), e.description.as_str()))
            .collect();
        assert_eq!(
            codes,
            [
                ("InternalError", "Internal error."),
                ("FailedOperation.DuplicatedRequest", "Duplicated request."),
                ("ResourceNotFound", "Not found."),
                ("AuthFailure", "CAM signature error.")
            ]
        );
        // Without the run-together header, codes are words of their own.
        let spaced = error_rows(&text::blocks(
            "Error Code Description\nResourceNotFound Not found.",
        ));
        assert_eq!(spaced[0].code, "ResourceNotFound");
    }

    #[test]
    fn error_codes() {
        assert!(is_error_code("FailedOperation.DuplicatedRequest"));
        assert!(is_error_code("InternalError"));
        assert!(!is_error_code("Contact"));
        assert!(!is_error_code("The"));
    }
}
