//! Assembles the IR from pages: classifies each page (action, Data Types, common error
//! codes), reads its parts, resolves struct types against the Data Types page, extracts
//! constraints and sorts everything.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use codegen::ir::{Action, ActionConstraint, ErrorCode, Example, Ir, Param, Struct, Type};
use regex::Regex;

use super::constraints::{self, ParamContext};
use super::datatypes::{self, RawStruct};
use super::errors::Diagnostics;
use super::examples::{self, RawExample, coerce};
use super::layout::{self, Block};
use super::page::{self, Page, section};
use super::table::{ErrorRow, ParamRow, TableKind, error_rows, is_header, param_rows};
use super::types::struct_name;

static VALUE_FOR_API: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:value used for this API|取值为?|값)\s*[:：]\s*([A-Za-z0-9][A-Za-z0-9-]*)")
        .ok()
});
static DOMAIN: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"[:：]\s*((?:[a-z0-9-]+\.)+[a-z]{2,})\.?\s*$").ok());

/// Input parameters every action page lists but that are not the action's own.
const COMMON_INPUTS: &[&str] = &["Action", "Version", "Region"];
/// Output parameter every response carries.
const REQUEST_ID: &str = "RequestId";

/// One page to parse.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// File name used in diagnostics (and, without its directory, as the action's `source`).
    pub name: &'a str,
    /// The page's text.
    pub text: &'a str,
}

/// An action page read but not yet resolved against the structs.
struct ActionPage {
    file: String,
    name: String,
    description: String,
    rate_limit: Option<u32>,
    domain: Option<String>,
    version: Option<String>,
    inputs: Vec<ParamRow>,
    outputs: Vec<ParamRow>,
    errors: Vec<ErrorRow>,
    examples: Vec<RawExample>,
}

/// Everything read from the pages, before resolution.
#[derive(Default)]
struct Pages {
    actions: Vec<ActionPage>,
    structs: Vec<(String, RawStruct)>,
    common_errors: Vec<ErrorRow>,
}

fn value_for_api(rows: &[ParamRow], name: &str) -> Option<String> {
    let row = rows.iter().find(|row| row.name == name)?;
    let captures = VALUE_FOR_API.as_ref()?.captures(&row.description)?;
    Some(captures.get(1)?.as_str().to_owned())
}

fn file_name(path: &str) -> String {
    path.rsplit(['/', '\\']).next().unwrap_or(path).to_owned()
}

fn is_explorer_chrome(text: &str) -> bool {
    text.contains("API Explorer") || text.eq_ignore_ascii_case("try it")
}

/// Reads section 1: description, domain and rate limit.
fn description_section(page: &Page<'_>) -> (String, Option<String>, Option<u32>) {
    let mut description = Vec::new();
    let mut domain = None;
    let mut rate_limit = None;
    let blocks = page
        .section(section::DESCRIPTION)
        .map_or(&[][..], |s| s.blocks);
    for (_, text) in page::text_lines(blocks) {
        if let Some(found) = DOMAIN
            .as_ref()
            .and_then(|re| re.captures(&text))
            .and_then(|c| c.get(1))
        {
            domain.get_or_insert_with(|| found.as_str().to_owned());
        } else if let Some(limit) = constraints::rate_limit(&text) {
            rate_limit.get_or_insert(limit);
        } else if !is_explorer_chrome(&text) && !page::is_chrome(&text) {
            description.push(text);
        }
    }
    (description.join("\n"), domain, rate_limit)
}

fn read_action(file: &str, page: &Page<'_>, diagnostics: &mut Diagnostics) -> Option<ActionPage> {
    let Some(input_section) = page.section(section::INPUT) else {
        diagnostics.error(file, 0, "no input parameters table (section 2 is missing)");
        return None;
    };
    let rows = param_rows(TableKind::Input, input_section.blocks);
    if rows.is_empty() {
        diagnostics.error(
            file,
            input_section.line,
            "no input parameters table: section 2 has no parameter rows",
        );
        return None;
    }
    let name =
        value_for_api(&rows, "Action").or_else(|| page.title().map(|(_, title)| title.to_owned()));
    let Some(name) = name else {
        diagnostics.error(
            file,
            input_section.line,
            "no action name: neither an `Action` row nor a page title",
        );
        return None;
    };
    let version = value_for_api(&rows, "Version");
    let inputs: Vec<ParamRow> = rows
        .into_iter()
        .filter(|row| !COMMON_INPUTS.contains(&row.name.as_str()))
        .collect();
    let (description, domain, rate_limit) = description_section(page);
    if page.section(section::DESCRIPTION).is_none() {
        diagnostics.warn(file, 0, "missing the API description (section 1)");
    }

    let outputs = match page.section(section::OUTPUT) {
        None => {
            diagnostics.warn(
                file,
                0,
                "missing the output parameters (section 3); page truncated?",
            );
            Vec::new()
        }
        Some(output) => {
            let rows = param_rows(TableKind::Output, output.blocks);
            if !rows.iter().any(|row| row.name == REQUEST_ID) {
                diagnostics.warn(
                    file,
                    output.line,
                    "output parameters table has no RequestId row; table cut short?",
                );
            }
            rows.into_iter()
                .filter(|row| row.name != REQUEST_ID)
                .collect()
        }
    };

    let examples = match page.section(section::EXAMPLES) {
        None => {
            diagnostics.warn(file, 0, "missing the examples (section 4); page truncated?");
            Vec::new()
        }
        Some(examples_section) => {
            let (examples, issues) = examples::examples(examples_section.blocks);
            for issue in issues {
                diagnostics.warn(file, issue.line, issue.message);
            }
            if examples.is_empty() {
                diagnostics.warn(
                    file,
                    examples_section.line,
                    "the examples section has no example",
                );
            }
            examples
        }
    };

    let errors = match page.section(section::ERRORS) {
        None => {
            diagnostics.warn(
                file,
                0,
                "missing the error codes (section 6); page truncated?",
            );
            Vec::new()
        }
        Some(errors_section) => {
            let rows = error_rows(errors_section.blocks);
            if rows.is_empty() {
                diagnostics.warn(
                    file,
                    errors_section.line,
                    "the error code section has no error codes",
                );
            }
            rows
        }
    };

    Some(ActionPage {
        file: file.to_owned(),
        name,
        description,
        rate_limit,
        domain,
        version,
        inputs,
        outputs,
        errors,
        examples,
    })
}

/// Error rows of a page that is only an error-code table (after a header line).
fn common_error_rows(blocks: &[Block]) -> Vec<ErrorRow> {
    let header = blocks.iter().position(|block| match block {
        Block::Text { text, .. } => is_header(text),
        Block::Row { cells, .. } => is_header(&cells.join(" ")),
        Block::Blank { .. } => false,
    });
    header.map_or_else(Vec::new, |index| {
        error_rows(blocks.get(index + 1..).unwrap_or_default())
    })
}

fn read_pages(sources: &[Source<'_>], diagnostics: &mut Diagnostics) -> Pages {
    let mut pages = Pages::default();
    for source in sources {
        let blocks = layout::blocks(source.text);
        let page = page::split(&blocks);
        if page.has_sections() {
            if let Some(action) = read_action(source.name, &page, diagnostics) {
                pages.actions.push(action);
            }
            continue;
        }
        let structs = datatypes::structs(&blocks);
        if !structs.is_empty() {
            pages
                .structs
                .extend(structs.into_iter().map(|s| (source.name.to_owned(), s)));
            continue;
        }
        let errors = common_error_rows(&blocks);
        if !errors.is_empty() {
            pages.common_errors.extend(errors);
            continue;
        }
        let line = blocks
            .iter()
            .find(|block| !matches!(block, Block::Blank { .. }))
            .map_or(1, Block::line);
        diagnostics.error(
            source.name,
            line,
            "not an API page: no numbered sections (1. to 6.), no data types and no error code table",
        );
    }
    pages
}

fn wire_name(name: &str) -> String {
    name.strip_suffix(".N").unwrap_or(name).to_owned()
}

/// Turns rows into params, extracting constraints with the rows' names as siblings.
fn params(rows: &[ParamRow]) -> Vec<Param> {
    let names: Vec<String> = rows.iter().map(|row| wire_name(&row.name)).collect();
    rows.iter()
        .zip(&names)
        .map(|(row, name)| Param {
            name: name.clone(),
            required: row.required.unwrap_or(false),
            nullable: constraints::nullable(&row.description),
            ty: row.ty.clone(),
            description: row.description.clone(),
            constraints: constraints::extract(
                ParamContext {
                    name,
                    ty: &row.ty,
                    siblings: &names,
                },
                &row.description,
            ),
        })
        .collect()
}

fn action_constraints(inputs: &[Param]) -> Vec<ActionConstraint> {
    let names: Vec<String> = inputs.iter().map(|p| p.name.clone()).collect();
    let mut found: Vec<ActionConstraint> = Vec::new();
    let members = |c: &ActionConstraint| -> Vec<String> {
        let (ActionConstraint::ExactlyOneOf(m)
        | ActionConstraint::AtMostOneOf(m)
        | ActionConstraint::Requires(m)) = c;
        let mut sorted = m.clone();
        sorted.sort();
        sorted
    };
    let mut candidates = Vec::new();
    for input in inputs {
        candidates.extend(constraints::action_constraints(
            &input.name,
            &input.description,
            &names,
        ));
    }
    // An exactly-one-of subsumes an at-most-one-of over the same inputs.
    candidates.sort_by_key(|c| !matches!(c, ActionConstraint::ExactlyOneOf(_)));
    for candidate in candidates {
        let key = members(&candidate);
        let requires = matches!(candidate, ActionConstraint::Requires(_));
        if !found
            .iter()
            .any(|c| members(c) == key && matches!(c, ActionConstraint::Requires(_)) == requires)
        {
            found.push(candidate);
        }
    }
    found
}

fn error_codes(rows: &[ErrorRow]) -> Vec<ErrorCode> {
    let mut codes: BTreeMap<&str, &str> = BTreeMap::new();
    for row in rows {
        codes.entry(&row.code).or_insert(&row.description);
    }
    codes
        .into_iter()
        .map(|(code, description)| ErrorCode {
            code: code.to_owned(),
            description: description.to_owned(),
        })
        .collect()
}

/// Checks that every struct type names a struct; reports the field and page otherwise.
fn check_types(
    file: &str,
    owner: &str,
    rows: &[ParamRow],
    structs: &BTreeMap<String, Struct>,
    diagnostics: &mut Diagnostics,
) {
    for row in rows {
        if let Some(name) = struct_name(&row.ty)
            && !structs.contains_key(name)
        {
            diagnostics.error(
                    file,
                    row.line,
                    format!(
                        "field `{}` of {owner} has type `{name}`, which names no known struct (Data Types page)",
                        row.name
                    ),
                );
        }
    }
}

/// Builds the IR from `sources`; errors and warnings land in `diagnostics`.
pub fn build(sources: &[Source<'_>], diagnostics: &mut Diagnostics) -> Ir {
    let pages = read_pages(sources, diagnostics);

    let mut structs: BTreeMap<String, Struct> = BTreeMap::new();
    let mut struct_files: Vec<(&str, &RawStruct)> = Vec::new();
    for (file, raw) in &pages.structs {
        if structs.contains_key(&raw.name) {
            diagnostics.warn(
                file,
                raw.line,
                format!("struct `{}` is defined twice", raw.name),
            );
            continue;
        }
        struct_files.push((file, raw));
        structs.insert(
            raw.name.clone(),
            Struct {
                name: raw.name.clone(),
                description: raw.description.clone(),
                used_by: raw.used_by.clone(),
                fields: params(&raw.rows),
            },
        );
    }
    for (file, raw) in &struct_files {
        check_types(
            file,
            &format!("struct {}", raw.name),
            &raw.rows,
            &structs,
            diagnostics,
        );
    }

    let mut actions: BTreeMap<String, Action> = BTreeMap::new();
    let mut domain = None;
    let mut version = None;
    for page in &pages.actions {
        if let Some(existing) = actions.get(&page.name) {
            diagnostics.error(
                &page.file,
                0,
                format!(
                    "action `{}` is also defined by {}",
                    page.name, existing.source
                ),
            );
            continue;
        }
        let owner = format!("action {}", page.name);
        check_types(&page.file, &owner, &page.inputs, &structs, diagnostics);
        check_types(&page.file, &owner, &page.outputs, &structs, diagnostics);
        if domain.is_none() {
            domain.clone_from(&page.domain);
        }
        if version.is_none() {
            version.clone_from(&page.version);
        }
        let input = params(&page.inputs);
        let field_type = |struct_name: &str, field: &str| -> Option<Type> {
            structs
                .get(struct_name)?
                .fields
                .iter()
                .find(|f| f.name == field)
                .map(|f| f.ty.clone())
        };
        let examples = page
            .examples
            .iter()
            .map(|raw| {
                let mut request = raw.request.clone().unwrap_or(serde_json::Value::Null);
                if raw.from_query
                    && let serde_json::Value::Object(members) = &mut request
                {
                    for (name, value) in members.iter_mut() {
                        if let Some(param) = input.iter().find(|p| &p.name == name) {
                            coerce(value, &param.ty, &field_type);
                        }
                    }
                }
                Example {
                    title: raw.title.clone(),
                    request,
                    response: raw.response.clone().unwrap_or(serde_json::Value::Null),
                }
            })
            .collect();
        actions.insert(
            page.name.clone(),
            Action {
                name: page.name.clone(),
                description: page.description.clone(),
                rate_limit_per_second: page.rate_limit,
                constraints: action_constraints(&input),
                input,
                output: params(&page.outputs),
                errors: error_codes(&page.errors),
                examples,
                source: file_name(&page.file),
            },
        );
    }

    let domain = domain.unwrap_or_default();
    Ir {
        service: domain.split('.').next().unwrap_or_default().to_owned(),
        version: version.unwrap_or_default(),
        domain,
        actions: actions.into_values().collect(),
        structs: structs.into_values().collect(),
        common_errors: error_codes(&pages.common_errors),
    }
}
