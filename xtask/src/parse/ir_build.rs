//! Assembles the IR from pages: classifies each page (action, Data Types, common error
//! codes), reads its parts, resolves struct types against the Data Types page, extracts
//! constraints and sorts everything.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use gaap_ir::{Action, ActionConstraint, Example, Ir, Param, Struct, Type};
use regex::Regex;

use super::constraints;
use super::datatypes::{self, RawStruct};
use super::errors::Diagnostics;
use super::examples::{self, RawExample, coerce};
use super::layout::{self, Block};
use super::merge::{self, Language, Table};
use super::page::{self, Page, section};
use super::table::{ErrorRow, ParamRow, TableKind, error_rows, is_header, param_rows};
use super::types::struct_name;

static VALUE_FOR_API: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:value used for this API|取值为?|값)\s*[:：]\s*([A-Za-z0-9][A-Za-z0-9-]*)")
        .ok()
});
static DOMAIN: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"[:：]\s*((?:[a-z0-9-]+\.)+[a-z]{2,})\s*[.。]?\s*$").ok());
/// The sentence before the input table pointing to the common parameters.
static INPUT_INTRO: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:the following request parameter list|以下请求参数列表|다음 요청 파라미터 목록|daftar parameter permintaan berikut)").ok()
});

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
    language: Language,
    /// The input table has a `Required` column (`Yes`/`No`, `是`/`否`).
    required_column: bool,
    /// Line of the input table.
    input_line: usize,
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
    structs: Vec<(String, Language, RawStruct)>,
    common_errors: Vec<(Language, ErrorRow)>,
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
    text.contains("API Explorer")
        || text.eq_ignore_ascii_case("try it")
        || text == "点击调试"
        || INPUT_INTRO.as_ref().is_some_and(|re| re.is_match(text))
}

/// A line that ends a sentence: what a description is made of where the page has no
/// description heading (the title, product name and chrome lines around it do not).
fn is_sentence(text: &str) -> bool {
    text.trim_end()
        .ends_with(['.', '。', '!', '！', '?', '？', ')', '）', ':', '：'])
}

/// Reads the description: section 1, or where the page has no such heading, the sentences
/// before the input table (after the domain line when there is one). The domain and the
/// rate limit come from their own sentences wherever they are.
fn description_section(page: &Page<'_>) -> (String, Option<String>, Option<u32>) {
    let mut description = Vec::new();
    let mut domain = None;
    let mut rate_limit = None;
    let (blocks, headed) = match page.section(section::DESCRIPTION) {
        Some(section) => (section.blocks, true),
        None => (page.preamble, false),
    };
    let lines: Vec<(usize, String)> = page::text_lines(blocks).collect();
    let domain_at = lines.iter().position(|(_, text)| {
        DOMAIN
            .as_ref()
            .is_some_and(|re| re.is_match(text) && text.contains("tencentcloudapi"))
    });
    for (index, (_, text)) in lines.iter().enumerate() {
        if let Some(found) = DOMAIN
            .as_ref()
            .and_then(|re| re.captures(text))
            .and_then(|c| c.get(1))
        {
            domain.get_or_insert_with(|| found.as_str().to_owned());
        } else if let Some(limit) = constraints::rate_limit(text) {
            rate_limit.get_or_insert(limit);
        } else if !is_explorer_chrome(text)
            && !page::is_chrome(text)
            && (headed
                || domain_at.is_some_and(|at| index > at)
                || (domain_at.is_none() && is_sentence(text)))
        {
            description.push(text.clone());
        }
    }
    (description.join("\n"), domain, rate_limit)
}

fn read_action(file: &str, page: &Page<'_>, diagnostics: &mut Diagnostics) -> Option<ActionPage> {
    let Some(input_section) = page.section(section::INPUT) else {
        diagnostics.error(file, 0, "no input parameters table (section 2 is missing)");
        return None;
    };
    let mut rows = param_rows(TableKind::Input, input_section.blocks);
    let required_column = rows.iter().any(|row| row.required.is_some());
    if !required_column {
        // The Required column is gone (an icon on the site): rows read as name, type,
        // description.
        let without = param_rows(TableKind::Output, input_section.blocks);
        if without.len() > rows.len() {
            rows = without;
        }
    }
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
    if description.is_empty() {
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

    let language = merge::language_of(
        std::iter::once(description.as_str())
            .chain(inputs.iter().map(|row| row.description.as_str()))
            .chain(outputs.iter().map(|row| row.description.as_str())),
    );
    Some(ActionPage {
        file: file.to_owned(),
        language,
        required_column,
        input_line: input_section.line,
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
        let blocks = match layout::blocks(source.text) {
            Ok(blocks) => blocks,
            Err(message) => {
                diagnostics.error(source.name, 1, message);
                continue;
            }
        };
        let page = page::split(&blocks);
        if page.has_sections() {
            if let Some(action) = read_action(source.name, &page, diagnostics) {
                pages.actions.push(action);
            }
            continue;
        }
        let structs = datatypes::structs(&blocks);
        if !structs.is_empty() {
            pages.structs.extend(structs.into_iter().map(|s| {
                let language = merge::language_of(
                    std::iter::once(s.description.as_str())
                        .chain(s.rows.iter().map(|row| row.description.as_str())),
                );
                (source.name.to_owned(), language, s)
            }));
            continue;
        }
        let errors = common_error_rows(&blocks);
        if !errors.is_empty() {
            let language = merge::language_of(errors.iter().map(|row| row.description.as_str()));
            pages
                .common_errors
                .extend(errors.into_iter().map(|row| (language, row)));
            continue;
        }
        let line = blocks
            .iter()
            .find(|block| !matches!(block, Block::Blank { .. }))
            .map_or(1, Block::line);
        diagnostics.error(
            source.name,
            line,
            "not an API page: no input parameters table (with its `Action` row) or section headings, no data types and no error code table",
        );
    }
    pages
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

/// Groups items by name, in the order they came, each group English first. A second page
/// of the same name in the same language is reported through `duplicate` and left out.
fn by_language<'a, T>(
    items: impl IntoIterator<Item = (&'a str, Language, &'a str, T)>,
    mut duplicate: impl FnMut(&'a str, &T, &T),
) -> BTreeMap<&'a str, Vec<(Language, &'a str, T)>> {
    let mut groups: BTreeMap<&'a str, Vec<(Language, &'a str, T)>> = BTreeMap::new();
    for (name, language, file, item) in items {
        let group = groups.entry(name).or_default();
        if let Some((_, _, existing)) = group.iter().find(|(l, _, _)| *l == language) {
            duplicate(file, existing, &item);
            continue;
        }
        group.push((language, file, item));
        group.sort_by_key(|(language, _, _)| *language);
    }
    groups
}

/// The value most pages give (the first of those tied).
fn most_common<'a>(values: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for value in values {
        match counts.iter_mut().find(|(v, _)| *v == value) {
            Some((_, n)) => *n += 1,
            None => counts.push((value, 1)),
        }
    }
    let best = counts.iter().map(|(_, n)| *n).max()?;
    counts.into_iter().find(|(_, n)| *n == best).map(|(v, _)| v)
}

/// A page of another API version or another service than the rest is an error naming it.
fn check_same_api(actions: &[ActionPage], diagnostics: &mut Diagnostics) {
    let version = most_common(actions.iter().filter_map(|p| p.version.as_deref()));
    let domain = most_common(actions.iter().filter_map(|p| p.domain.as_deref()));
    for page in actions {
        if let (Some(own), Some(common)) = (page.version.as_deref(), version)
            && own != common
        {
            diagnostics.error(
                &page.file,
                page.input_line,
                format!(
                    "{} is a page of API version {own}, but the other pages document version {common}: pages of one API version only",
                    page.name
                ),
            );
        }
        if let (Some(own), Some(common)) = (page.domain.as_deref(), domain)
            && own != common
        {
            diagnostics.error(
                &page.file,
                page.input_line,
                format!(
                    "{} is a page of another service ({own}); the other pages document {common}",
                    page.name
                ),
            );
        }
    }
}

/// Warns when an input table has no `Required` column and no page of the other language
/// gives the flags.
fn check_required_column(group: &[(Language, &str, &ActionPage)], diagnostics: &mut Diagnostics) {
    if group.iter().any(|(_, _, page)| page.required_column) {
        return;
    }
    for (_, file, page) in group {
        if !page.inputs.is_empty() {
            diagnostics.warn(
                file,
                page.input_line,
                format!(
                    "the input table of {} has no Required column (Yes/No, 是/否) and no page in the other language gives it: every parameter is treated as optional",
                    page.name
                ),
            );
        }
    }
}

fn struct_table<'a>(
    (language, file, raw): &(Language, &'a str, &'a RawStruct),
    trusted: &BTreeSet<String>,
) -> Table<'a> {
    Table {
        file,
        language: *language,
        rows: &raw.rows,
        trusted: trusted.contains(*file),
    }
}

fn page_table<'a>(
    page: &'a ActionPage,
    rows: &'a [ParamRow],
    trusted: &BTreeSet<String>,
) -> Table<'a> {
    Table {
        file: &page.file,
        language: page.language,
        rows,
        trusted: trusted.contains(&page.file),
    }
}

/// Builds the IR from `sources`; errors and warnings land in `diagnostics`.
pub fn build(
    sources: &[Source<'_>],
    trusted: &BTreeSet<String>,
    diagnostics: &mut Diagnostics,
) -> Ir {
    let pages = read_pages(sources, diagnostics);

    let mut warnings = Vec::new();
    let struct_groups = by_language(
        pages
            .structs
            .iter()
            .map(|(file, language, raw)| (raw.name.as_str(), *language, file.as_str(), raw)),
        |file, _, raw: &&RawStruct| {
            warnings.push((
                file.to_owned(),
                raw.line,
                format!("struct `{}` is defined twice", raw.name),
            ));
        },
    );
    for (file, line, message) in warnings {
        diagnostics.warn(&file, line, message);
    }
    let mut structs: BTreeMap<String, Struct> = BTreeMap::new();
    for (name, group) in &struct_groups {
        let Some(first) = group.first() else { continue };
        let second = group.get(1);
        let owner = format!("struct {name}");
        let zh = group
            .iter()
            .find(|(language, _, _)| *language == Language::Chinese)
            .map(|(_, _, raw)| raw.description.clone());
        let mut used_by: Vec<String> = Vec::new();
        for (_, _, raw) in group {
            for action in &raw.used_by {
                if !used_by.contains(action) {
                    used_by.push(action.clone());
                }
            }
        }
        structs.insert(
            (*name).to_owned(),
            Struct {
                name: (*name).to_owned(),
                description: first.2.description.clone(),
                description_zh: zh,
                used_by,
                fields: merge::params(
                    struct_table(first, trusted),
                    second.map(|s| struct_table(s, trusted)),
                    &owner,
                    diagnostics,
                ),
            },
        );
    }
    for group in struct_groups.values() {
        for (_, file, raw) in group {
            check_types(
                file,
                &format!("struct {}", raw.name),
                &raw.rows,
                &structs,
                diagnostics,
            );
        }
    }

    check_same_api(&pages.actions, diagnostics);
    let mut duplicates = Vec::new();
    let action_groups = by_language(
        pages
            .actions
            .iter()
            .map(|page| (page.name.as_str(), page.language, page.file.as_str(), page)),
        |file, existing: &&ActionPage, page| {
            duplicates.push((
                file.to_owned(),
                format!(
                    "action `{}` is also defined by {} in the same language",
                    page.name,
                    file_name(&existing.file)
                ),
            ));
        },
    );
    for (file, message) in duplicates {
        diagnostics.error(&file, 0, message);
    }
    let mut actions: BTreeMap<String, Action> = BTreeMap::new();
    let mut domain = None;
    let mut version = None;
    for (name, group) in &action_groups {
        let Some(&(_, _, page)) = group.first() else {
            continue;
        };
        let other = group.get(1).map(|(_, _, page)| *page);
        let owner = format!("action {name}");
        for (_, file, page) in group {
            check_types(file, &owner, &page.inputs, &structs, diagnostics);
            check_types(file, &owner, &page.outputs, &structs, diagnostics);
        }
        check_required_column(group, diagnostics);
        for (_, _, page) in group {
            if domain.is_none() {
                domain.clone_from(&page.domain);
            }
            if version.is_none() {
                version.clone_from(&page.version);
            }
        }
        let input = merge::params(
            page_table(page, &page.inputs, trusted),
            other.map(|o| page_table(o, &o.inputs, trusted)),
            &owner,
            diagnostics,
        );
        let output = merge::params(
            page_table(page, &page.outputs, trusted),
            other.map(|o| page_table(o, &o.outputs, trusted)),
            &owner,
            diagnostics,
        );
        let field_type = |struct_name: &str, field: &str| -> Option<Type> {
            structs
                .get(struct_name)?
                .fields
                .iter()
                .find(|f| f.name == field)
                .map(|f| f.ty.clone())
        };
        // Both pages' examples, English first; those that carry every required input
        // first of all (the mainland page may require an input the other page's example
        // lacks).
        let mut examples: Vec<Example> = Vec::new();
        for raw in page
            .examples
            .iter()
            .chain(other.iter().flat_map(|o| &o.examples))
        {
            let example = example(raw, &input, &field_type);
            if !examples
                .iter()
                .any(|e| e.request == example.request && e.response == example.response)
            {
                examples.push(example);
            }
        }
        let complete = |e: &Example| {
            input
                .iter()
                .filter(|p| p.required)
                .all(|p| e.request.get(&p.name).is_some())
        };
        examples.sort_by_key(|e| !complete(e));
        let errors: Vec<(Language, &ErrorRow)> = group
            .iter()
            .flat_map(|(language, _, page)| page.errors.iter().map(|row| (*language, row)))
            .collect();
        let description_zh = group
            .iter()
            .find(|(language, _, _)| *language == Language::Chinese)
            .map(|(_, _, page)| page.description.clone());
        actions.insert(
            (*name).to_owned(),
            Action {
                name: (*name).to_owned(),
                description: page.description.clone(),
                description_zh,
                rate_limit_per_second: page.rate_limit.or(other.and_then(|o| o.rate_limit)),
                constraints: action_constraints(&input),
                input,
                output,
                errors: merge::error_codes(&errors),
                examples,
                source: file_name(&page.file),
            },
        );
    }

    let domain = domain.unwrap_or_default();
    let common: Vec<(Language, &ErrorRow)> = pages
        .common_errors
        .iter()
        .map(|(language, row)| (*language, row))
        .collect();
    Ir {
        service: domain.split('.').next().unwrap_or_default().to_owned(),
        version: version.unwrap_or_default(),
        domain,
        actions: actions.into_values().collect(),
        structs: structs.into_values().collect(),
        common_errors: merge::error_codes(&common),
    }
}

/// An example of the page, its query-string values typed by the inputs they fill.
fn example(
    raw: &RawExample,
    input: &[Param],
    field_type: &dyn Fn(&str, &str) -> Option<Type>,
) -> Example {
    let mut request = raw.request.clone().unwrap_or(serde_json::Value::Null);
    if raw.from_query
        && let serde_json::Value::Object(members) = &mut request
    {
        for (name, value) in members.iter_mut() {
            if let Some(param) = input.iter().find(|p| &p.name == name) {
                coerce(value, &param.ty, field_type);
            }
        }
    }
    Example {
        title: raw.title.clone(),
        request,
        response: raw.response.clone().unwrap_or(serde_json::Value::Null),
    }
}
