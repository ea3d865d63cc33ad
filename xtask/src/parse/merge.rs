//! One action (or struct, or error code) documented by pages of both sites: the English
//! page of the international site and the Chinese page of the mainland site become one IR
//! item. The English text stays `description`, the Chinese text becomes `description_zh`;
//! parameters only one page lists are kept; constraints are united; where the pages
//! disagree (a type, a required flag, a range, enumerated values) the English page wins
//! and a warning names both files and lines. A disagreement on a type or a required flag
//! is recorded as such (`regenerate` refuses it) unless one page is marked as the one to
//! trust (`trusted-pages.txt`), whose values then win.

use std::collections::BTreeMap;

use gaap_ir::{Constraints, EnumLiteral, ErrorCode, Param, Type};

use super::constraints::{self, ParamContext};
use super::errors::Diagnostics;
use super::table::{ErrorRow, ParamRow};

/// The language of a page's prose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Language {
    /// The international site (and its other-language chrome around English content).
    English,
    /// The mainland site.
    Chinese,
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}')
}

/// Chinese when the texts hold a fair share of Han characters (parameter names and values
/// in Latin letters are common in Chinese prose, a Chinese word in English prose is not).
pub fn language_of<'a>(texts: impl IntoIterator<Item = &'a str>) -> Language {
    let (mut han, mut latin) = (0usize, 0usize);
    for text in texts {
        for c in text.chars() {
            if is_han(c) {
                han += 1;
            } else if c.is_ascii_alphabetic() {
                latin += 1;
            }
        }
    }
    if han > 0 && han * 4 >= latin {
        Language::Chinese
    } else {
        Language::English
    }
}

/// One page's table of parameters (or struct fields).
#[derive(Debug, Clone, Copy)]
pub struct Table<'a> {
    /// The page's file, for diagnostics.
    pub file: &'a str,
    /// The page's language.
    pub language: Language,
    /// The rows.
    pub rows: &'a [ParamRow],
    /// The page is marked as the one to trust where the pages disagree.
    pub trusted: bool,
}

/// A list input's wire name: `Ports.N` is `Ports`.
pub fn wire_name(name: &str) -> String {
    name.strip_suffix(".N").unwrap_or(name).to_owned()
}

/// A param from one page's row: the example value split off the description, the
/// constraints read from the rest.
fn param(row: &ParamRow, language: Language, siblings: &[String]) -> Param {
    let name = wire_name(&row.name);
    let (description, example) = constraints::split_example(&row.description);
    let mut constraints = constraints::extract(
        ParamContext {
            name: &name,
            ty: &row.ty,
            siblings,
        },
        &description,
    );
    if language == Language::Chinese {
        for value in constraints.enum_values.iter_mut().flatten() {
            value.description_zh = Some(value.description.clone());
        }
    }
    Param {
        required: row.required.unwrap_or(false),
        nullable: constraints::nullable(&row.description),
        ty: row.ty.clone(),
        constraints,
        description_zh: (language == Language::Chinese).then(|| description.clone()),
        description,
        example,
        name,
    }
}

/// The params of `primary`, merged with `secondary` (the same owner's table in the other
/// language) when given. `owner` names the action or struct in warnings.
pub fn params(
    primary: Table<'_>,
    secondary: Option<Table<'_>>,
    owner: &str,
    diagnostics: &mut Diagnostics,
) -> Vec<Param> {
    let mut names: Vec<String> = primary.rows.iter().map(|r| wire_name(&r.name)).collect();
    for row in secondary.iter().flat_map(|table| table.rows) {
        let name = wire_name(&row.name);
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let find = |table: &Table<'_>, name: &str| {
        table
            .rows
            .iter()
            .find(|row| wire_name(&row.name) == name)
            .cloned()
    };
    let mut params = Vec::new();
    for name in &names {
        let first = find(&primary, name);
        let second = secondary.as_ref().and_then(|table| find(table, name));
        let merged = match (first, second) {
            (Some(a), Some(b)) => {
                let Some(other) = secondary else { continue };
                let place = Places {
                    owner,
                    name,
                    first: (primary.file, a.line),
                    second: (other.file, b.line),
                    trust: match (primary.trusted, other.trusted) {
                        (true, false) => Trust::First,
                        (false, true) => Trust::Second,
                        _ => Trust::Neither,
                    },
                };
                let mut merged = param(&a, primary.language, &names);
                let theirs = param(&b, other.language, &names);
                unite(
                    &mut merged,
                    &theirs,
                    a.required,
                    b.required,
                    &place,
                    diagnostics,
                );
                merged
            }
            (Some(a), None) => param(&a, primary.language, &names),
            (None, Some(b)) => match secondary {
                Some(other) => param(&b, other.language, &names),
                None => continue,
            },
            (None, None) => continue,
        };
        params.push(merged);
    }
    params
}

/// Which of two disagreeing pages is marked as the one to trust.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Trust {
    Neither,
    First,
    Second,
}

/// Where two rows of the same parameter sit, for warnings.
struct Places<'a> {
    owner: &'a str,
    name: &'a str,
    first: (&'a str, usize),
    second: (&'a str, usize),
    trust: Trust,
}

impl Places<'_> {
    /// A disagreement on a type or a required flag: the trusted page's value when one page
    /// is trusted, else the first page's, recorded as a disagreement `regenerate` refuses.
    fn settle<T: Clone>(
        &self,
        diagnostics: &mut Diagnostics,
        what: &str,
        (ours, theirs): (&T, &T),
        text: impl Fn(&T) -> String,
    ) -> T {
        match self.trust {
            Trust::Second => theirs.clone(),
            Trust::First => ours.clone(),
            Trust::Neither => {
                diagnostics.disagree(
                    self.first.0,
                    self.first.1,
                    format!(
                        "`{}` of {}: {what} is {} here but {} at {}:{}; mark the page to trust in {} of the pages' folder",
                        self.name,
                        self.owner,
                        text(ours),
                        text(theirs),
                        self.second.0,
                        self.second.1,
                        super::TRUSTED_PAGES
                    ),
                );
                ours.clone()
            }
        }
    }

    /// Warns that the two pages disagree on `what`, and what the IR keeps.
    fn warn(&self, diagnostics: &mut Diagnostics, what: &str, ours: &str, theirs: &str) {
        self.warn_kept(diagnostics, what, ours, theirs, &format!("keeping {ours}"));
    }

    fn warn_kept(
        &self,
        diagnostics: &mut Diagnostics,
        what: &str,
        ours: &str,
        theirs: &str,
        kept: &str,
    ) {
        diagnostics.warn(
            self.first.0,
            self.first.1,
            format!(
                "`{}` of {}: {what} is {ours} here but {theirs} at {}:{}; {kept}",
                self.name, self.owner, self.second.0, self.second.1
            ),
        );
    }
}

fn type_text(ty: &Type) -> String {
    serde_json::to_string(ty).unwrap_or_default()
}

fn values(constraints: &Constraints) -> Option<Vec<EnumLiteral>> {
    let mut values: Vec<EnumLiteral> = constraints
        .enum_values
        .as_ref()?
        .iter()
        .map(|v| v.value.clone())
        .collect();
    values.sort();
    Some(values)
}

/// Unites `theirs` (the other language's param) into `ours`.
fn unite(
    ours: &mut Param,
    theirs: &Param,
    our_required: Option<bool>,
    their_required: Option<bool>,
    place: &Places<'_>,
    diagnostics: &mut Diagnostics,
) {
    if ours.ty != theirs.ty {
        ours.ty = place.settle(diagnostics, "the type", (&ours.ty, &theirs.ty), type_text);
    }
    ours.required = match (our_required, their_required) {
        (Some(a), Some(b)) if a != b => {
            place.settle(diagnostics, "required", (&a, &b), ToString::to_string)
        }
        (Some(a), Some(_)) => a,
        (Some(a), None) => a,
        (None, Some(b)) => b,
        (None, None) => false,
    };
    ours.nullable |= theirs.nullable;
    if ours.description_zh.is_none() {
        ours.description_zh.clone_from(&theirs.description_zh);
    }
    if ours.example.is_none() {
        ours.example.clone_from(&theirs.example);
    }
    if place.trust == Trust::Second {
        // The trusted page's constraints, where it states them.
        let trusted = theirs.constraints.clone();
        let mine = &mut ours.constraints;
        mine.range = trusted.range.or(mine.range.take());
        mine.enum_values = trusted.enum_values.or(mine.enum_values.take());
        mine.max_length = trusted.max_length.or(mine.max_length);
    }
    let (mine, other) = (&mut ours.constraints, &theirs.constraints);
    match (&mine.range, &other.range) {
        (Some(a), Some(b)) if a != b => place.warn(
            diagnostics,
            "the range",
            &serde_json::to_string(a).unwrap_or_default(),
            &serde_json::to_string(b).unwrap_or_default(),
        ),
        (None, Some(b)) => mine.range = Some(b.clone()),
        _ => {}
    }
    // The other page's meanings of the values both pages list.
    if let (Some(ours), Some(theirs)) = (&mut mine.enum_values, &other.enum_values) {
        for value in ours.iter_mut() {
            if value.description_zh.is_none()
                && let Some(zh) = theirs.iter().find(|v| v.value == value.value)
            {
                value.description_zh.clone_from(&zh.description_zh);
            }
        }
    }
    match (values(mine), values(other)) {
        (Some(a), Some(b)) if a != b => {
            place.warn_kept(
                diagnostics,
                "the set of values",
                &format!("{a:?}"),
                &format!("{b:?}"),
                if place.trust == Trust::Neither {
                    "keeping the values of both"
                } else {
                    "keeping the trusted page's values"
                },
            );
            // United, unless one page is trusted: a value either site documents is one the
            // API takes.
            if place.trust == Trust::Neither
                && let (Some(ours), Some(theirs)) = (&mut mine.enum_values, &other.enum_values)
            {
                for value in theirs {
                    if !ours.iter().any(|v| v.value == value.value) {
                        ours.push(value.clone());
                    }
                }
            }
        }
        (None, Some(_)) => mine.enum_values.clone_from(&other.enum_values),
        _ => {}
    }
    match (mine.max_length, other.max_length) {
        (Some(a), Some(b)) if a != b => place.warn(
            diagnostics,
            "the maximum length",
            &a.to_string(),
            &b.to_string(),
        ),
        (None, Some(b)) => mine.max_length = Some(b),
        _ => {}
    }
    if mine.less_than.is_none() {
        mine.less_than.clone_from(&other.less_than);
    }
    if mine.deprecated.is_none() {
        mine.deprecated.clone_from(&other.deprecated);
    }
    mine.idempotency_token |= other.idempotency_token;
}

/// Error codes of one or more pages, sorted by code: the first description of a code in
/// each language, English first.
pub fn error_codes(rows: &[(Language, &ErrorRow)]) -> Vec<ErrorCode> {
    let mut codes: BTreeMap<&str, ErrorCode> = BTreeMap::new();
    for &(language, row) in rows {
        let code = codes.entry(&row.code).or_insert_with(|| ErrorCode {
            code: row.code.clone(),
            description: row.description.clone(),
            description_zh: None,
        });
        if language == Language::Chinese && code.description_zh.is_none() {
            code.description_zh = Some(row.description.clone());
        }
    }
    codes.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_by_their_characters() {
        assert_eq!(
            language_of(["监听器名称。 ListenerName 示例值：test1"]),
            Language::Chinese
        );
        assert_eq!(
            language_of(["Region name in Chinese, e.g. 华东"]),
            Language::English
        );
    }
}
