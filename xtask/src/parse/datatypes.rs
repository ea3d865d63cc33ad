//! The Data Types page: one block per struct (name line, description, "Used by actions"
//! line, a table with or without a `Required` column).

use std::sync::LazyLock;

use regex::Regex;

use super::layout::Block;
use super::page::is_chrome;
use super::table::{ParamRow, TableKind, is_header, param_rows};

static STRUCT_NAME: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^[A-Z][A-Za-z0-9_]*$").ok());
static USED_BY: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:used by actions?|referenced by|사용 API|引用本数据结构的API|被如下接口引用|digunakan oleh)\s*[:：]\s*(.*)$").ok()
});

/// One struct as read from the page.
#[derive(Debug, Clone, PartialEq)]
pub struct RawStruct {
    /// Line of the struct's name.
    pub line: usize,
    /// Name.
    pub name: String,
    /// Description (line breaks kept).
    pub description: String,
    /// Actions that use it.
    pub used_by: Vec<String>,
    /// Field rows.
    pub rows: Vec<ParamRow>,
}

fn struct_name(block: &Block) -> Option<(usize, &str)> {
    match block {
        Block::Text { line, text }
            if !is_chrome(text)
                && STRUCT_NAME
                    .as_ref()
                    .is_some_and(|re| re.is_match(text.trim())) =>
        {
            Some((*line, text.trim()))
        }
        _ => None,
    }
}

/// The structs of a Data Types page (a name line after a blank line starts a struct; a
/// struct without fields is not one, e.g. the page's chrome).
pub fn structs(blocks: &[Block]) -> Vec<RawStruct> {
    let mut starts = Vec::new();
    let mut after_blank = true;
    for (index, block) in blocks.iter().enumerate() {
        if after_blank && struct_name(block).is_some() {
            starts.push(index);
        }
        after_blank = matches!(block, Block::Blank { .. });
    }
    let mut structs = Vec::new();
    for (position, &start) in starts.iter().enumerate() {
        let end = starts.get(position + 1).copied().unwrap_or(blocks.len());
        let Some((line, name)) = blocks.get(start).and_then(struct_name) else {
            continue;
        };
        let body = blocks.get(start + 1..end).unwrap_or_default();
        let rows = param_rows(TableKind::DataType, body);
        let Some(first_row) = rows.first().map(|row| row.line) else {
            continue;
        };
        let mut description = Vec::new();
        let mut used_by = Vec::new();
        for block in body {
            let Block::Text { line, text } = block else {
                continue;
            };
            if *line >= first_row {
                break;
            }
            let text = text.trim();
            if let Some(list) = USED_BY
                .as_ref()
                .and_then(|re| re.captures(text))
                .and_then(|c| c.get(1))
            {
                used_by.extend(
                    list.as_str()
                        .trim_end_matches(['.', '。'])
                        .split([',', '、'])
                        .map(str::trim)
                        .filter(|name| !name.is_empty())
                        .map(str::to_owned),
                );
            } else if !is_header(text) {
                description.push(text.to_owned());
            }
        }
        structs.push(RawStruct {
            line,
            name: name.to_owned(),
            description: description.join("\n"),
            used_by,
            rows,
        });
    }
    structs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::layout::text;

    #[test]
    fn structs_with_and_without_required_column() {
        let page = "Feedback\n\nData Types\n\nTagPair\n\nTag key-value pair.\n\nUsed by actions: A, B.\n\nName Type Required Description\nTagKey String Yes Tag key.\nTagValue String Yes Tag value.\n\nFilter\n\nFilter conditions\n\nName Type Description\nName String Name\nValues Array of String Values\nmore text\n";
        let structs = structs(&text::blocks(page));
        assert_eq!(structs.len(), 2);
        assert_eq!(structs[0].name, "TagPair");
        assert_eq!(structs[0].used_by, ["A", "B"]);
        assert_eq!(structs[0].description, "Tag key-value pair.");
        assert_eq!(structs[0].rows[0].required, Some(true));
        assert_eq!(structs[1].rows.len(), 2);
        assert_eq!(structs[1].rows[1].description, "Values\nmore text");
    }
}
