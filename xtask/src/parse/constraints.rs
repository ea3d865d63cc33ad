//! Prose to data: the constraints a parameter's description states (ranges, enumerated
//! values, maximum lengths, `less_than`, deprecation, idempotency tokens, nullability) and
//! the ones an action's descriptions state over several inputs (mutual exclusion), plus the
//! per-second rate limit. One small function per rule.
//!
//! Every rule reads English and mainland Chinese prose alike. Full-width punctuation
//! (`，：；（）【】`) is read as its half-width twin (see [`normalise`]) on a copy, so both
//! spellings give the same data. A trailing `示例值：X` (the example value the mainland pages
//! append to each description, see [`split_example`]) is ignored by [`extract`],
//! [`nullable`] and [`action_constraints`], so an example such as `[443]` never reads as a
//! constraint.

use std::borrow::Cow;
use std::sync::LazyLock;

use gaap_ir::{
    ActionConstraint, Bound, Constraints, Deprecated, EnumLiteral, EnumValue, Range, Type,
};
use regex::Regex;

use super::types::element;

/// Compiles a pattern written in this file (a bad pattern disables its rule, and the unit
/// tests of that rule fail).
fn re(pattern: &str) -> Option<Regex> {
    Regex::new(pattern).ok()
}

macro_rules! pattern {
    ($name:ident, $re:expr) => {
        static $name: LazyLock<Option<Regex>> = LazyLock::new(|| re($re));
    };
}

const NUMBER: &str = r"-?\d+(?:\.\d+)?";

pattern!(
    RANGE_BRACKETS,
    &format!(r"(?i)range\s*(?:is|:|：)?\s*(?:from\s+)?\[\s*({NUMBER})\s*,\s*({NUMBER})\s*\]")
);
pattern!(
    RANGE_DASH,
    r"(?i)range\s*(?:is|:|：)?\s*(?:from\s+)?(\d+(?:\.\d+)?)\s*(?:-|–|~|to)\s*(\d+(?:\.\d+)?)\b"
);
pattern!(
    BETWEEN,
    &format!(r"(?i)\bbetween\s+({NUMBER})\s+and\s+({NUMBER})\b")
);
pattern!(
    MAX_VALUE,
    r"(?i)\bmax(?:imum)?\s+value\s*(?:is|:|：|of)?\s*(\d+(?:\.\d+)?)\b"
);
pattern!(
    MIN_VALUE,
    r"(?i)\bmin(?:imum)?\s+value\s*(?:is|:|：|of)?\s*(-?\d+(?:\.\d+)?)\b"
);
pattern!(
    MAX_LENGTH,
    r"(?i)\bmax(?:imum)?\s+length\s*(?:is|of|:|：)?\s*(\d+)\b"
);
pattern!(
    UP_TO_CHARACTERS,
    r"(?i)\b(?:up to|no more than|not more than|at most|a maximum of|maximum of|not exceed(?:ing)?|cannot exceed|can't exceed)\s+(\d+)\s+(?:ASCII\s+|Chinese\s+|English\s+)?(?:characters|chars|bytes)\b"
);
pattern!(
    LESS_THAN,
    r"(?i)\b(?:shall|should|must)\s+be\s+(?:less|smaller|lower)\s+than\s+([^.;\n]*)"
);
pattern!(
    IDENTIFIER,
    r"\b[A-Z][A-Za-z0-9]*[A-Z][A-Za-z0-9]*\b|\b[A-Z][a-z0-9]+\b"
);
pattern!(
    DEPRECATED_FOR,
    r"(?i)\b(?:old|deprecated|obsolete|legacy|discarded)\s+(?:parameter|field)\b[^.;\n]*?\b(?:switch to|use|replaced by)\s+([A-Za-z][A-Za-z0-9]*)"
);
pattern!(
    DEPRECATED_USE_INSTEAD,
    r"(?i)\b(?:deprecated|disused|discarded|obsolete)\b[^\n]*?\buse\s+([A-Za-z][A-Za-z0-9]*)\s+instead"
);
pattern!(
    DEPRECATED,
    r"(?i)\b(?:it(?:'|’)?s an old (?:parameter|field)|(?:is|has been) (?:deprecated|disused|discarded|abandoned|obsolete))\b|\((?:deprecated|disused|discarded|obsolete)\)"
);
pattern!(
    BRACKETED_LIST,
    r"(?i)(?:range|values?)\s*(?:is|are|:|：)?\s*\[\s*(-?\d+(?:\s*,\s*-?\d+){2,})\s*\]"
);
pattern!(IDEMPOTENT, r"(?i)idem-?\s?poten(?:cy|ce|t)|幂等");
pattern!(
    NULLABLE,
    r"(?i)may return null|可能返回\s*null|null 값을 반환"
);
pattern!(
    VALUES_INTRO,
    r"(?i)\b(?:valid\s+)?values?\s*(?:are|include|:|：)\s*"
);
pattern!(
    PAREN_ITEM,
    r"^(?P<key>[A-Za-z0-9][A-Za-z0-9_.\-]*)\s*(?:\((?P<meaning>[^()]*)\))?$"
);
pattern!(ITEM_SEPARATOR, r"\s*(?:,|;|、|\band\b|\bor\b)\s*");
pattern!(
    COMMA_BEFORE_KEY,
    r",\s+([A-Za-z0-9][A-Za-z0-9_\-]*\s*[:：]\s)"
);
pattern!(
    COLON_ITEM,
    r"(?:^|[.:：。]\s+|\(\s*)(?P<key>[A-Za-z0-9][A-Za-z0-9_\-]*)\s*[:：]\s*(?P<meaning>.*)$"
);
pattern!(SENTENCE_END, r"\.(?:\s|$)");
pattern!(
    EXACTLY_ONE,
    r"(?i)\beither\s+(this parameter|[A-Za-z]\w*)\s+or\s+(this parameter|[A-Za-z]\w*)\s+(?:must|should|shall)\s+be\s+(?:set|specified|passed|provided)[^.]*?\b(?:cannot|can not|can't|not)\s+(?:set|specify|pass|provide)\s+both"
);
pattern!(
    SET_TOGETHER_WITH,
    r"(?i)\bcannot\s+be\s+(?:set|specified|used|passed)\s+together\s+with\s+([A-Za-z]\w*)"
);
pattern!(
    PAIR_NOT_AT_SAME_TIME,
    r"(?i)\b(this parameter|[A-Z]\w*)\s+and\s+(this parameter|[A-Z]\w*)\s+(?:cannot|can not|can't|must not|may not)\s+(?:both\s+)?be\s+(?:set|specified|used|passed)\s+(?:at the same time|simultaneously|together)"
);
pattern!(
    NOT_SPECIFY_PAIR,
    r"(?i)\b(?:does not support|do not support|cannot|can not|can't|must not)\s+(?:specifying|specify|setting|set|passing|pass)\s+(this parameter|[A-Z]\w*)\s+and\s+(this parameter|[A-Z]\w*)\s+(?:at the same time|simultaneously|together)"
);
pattern!(
    ONLY_ONE_OF,
    r"(?i)\b(?:can|may)\s+only\s+(?:set|specify|pass)\s+one\s+of\s+(this parameter|[A-Z]\w*)\s+(?:and|or)\s+(this parameter|[A-Z]\w*)"
);
pattern!(
    RATE_LIMIT,
    r"(?i)\b(?:maximum|max\.?|up to)\s+(?:of\s+)?(\d+)\s+requests?\b[^.\n]*?\bper\s+second"
);

// Mainland Chinese phrasings (matched on normalised text: half-width punctuation).
pattern!(
    ZH_RANGE_BRACKETS,
    &format!(
        r"(?:(?:取值|范围)\s*(?:范围)?\s*(?:为|是|:|在)?|在)\s*\[\s*({NUMBER})\s*,\s*({NUMBER})\s*\]"
    )
);
pattern!(
    ZH_RANGE_TO,
    &format!(
        r"(?:范围|取值)\s*(?:为|是|:|在)?\s*({NUMBER})\s*(?:到|至|~|-)\s*({NUMBER})(?:[^\d.\-]|$)"
    )
);
pattern!(
    ZH_BETWEEN,
    &format!(r"在\s*({NUMBER})\s*(?:到|至|~|-)\s*({NUMBER})\s*(?:之间|范围内)")
);
pattern!(ZH_MAX_VALUE, &format!(r"最大值\s*(?:为|是|:)\s*({NUMBER})"));
pattern!(ZH_MIN_VALUE, &format!(r"最小值\s*(?:为|是|:)\s*({NUMBER})"));
pattern!(
    ZH_MAX_LENGTH,
    r"(?:最大长度|长度上限|长度最大为?)\s*(?:为|是|:)?\s*(\d+)"
);
pattern!(
    ZH_NOT_EXCEED_CHARACTERS,
    r"(?:不超过|不得超过|不能超过|不可超过|不允许超过|最多|至多|最长)\s*(\d+)\s*个?\s*(?:ASCII\s*|英文\s*|中文\s*|汉字\s*)?(?:字符|字节)"
);
pattern!(
    ZH_LESS_THAN,
    r"(?:应|须|需|必须|需要|要)\s*小于\s*([^。;\n]*)"
);
pattern!(ASCII_WORD, r"[A-Za-z][A-Za-z0-9]*");
pattern!(
    ZH_DEPRECATED_FOR,
    r"(?:(?:^|[(,;。>])\s*(?:此参数为|该参数为|本参数为|此字段为|该字段为)?旧(?:参数|字段)|(?:该|此|本)(?:字段|参数)(?:已经?|已被)(?:废弃|弃用|作废|停用))[^。;)\n]*?(?:切换到|切换为|请使用|请改用|请填写新参数|替换为|改用)\s*([A-Za-z][A-Za-z0-9]*)"
);
pattern!(
    ZH_DEPRECATED,
    r"(?:^|[(,;。>])\s*(?:此参数为|该参数为|本参数为|此字段为|该字段为)?旧(?:参数|字段)|(?:该|此|本)(?:字段|参数)(?:已经?|已被)(?:废弃|弃用|作废|停用)|\((?:已)?(?:废弃|弃用)\)"
);
pattern!(ZH_NULLABLE, r"(?:则|可能|会)为\s*null");
pattern!(
    ZH_RATE_LIMIT,
    r"(?:频率限制\s*:?\s*|每秒(?:最多|至多)?\s*)(\d+)\s*次"
);
pattern!(
    ZH_ITEM_KEY,
    r"(?:^|[\s,;:(。、和或及>])(-?\d+|[A-Za-z][A-Za-z0-9_\-]*)"
);
pattern!(
    ZH_VALUES_INTRO,
    r"(?:可取值|可选值|取值范围|取值为|取值|支持)\s*(?:为|是)?\s*:?\s*"
);
pattern!(
    IDEOGRAPHIC_LIST,
    r"\p{Han}\s*:\s*([A-Za-z0-9][A-Za-z0-9_\-]*(?:\s*、\s*[A-Za-z0-9][A-Za-z0-9_\-]*)+)\s*(?:[。;<\n]|$)"
);
pattern!(LIST_TOKEN, r"^-?[A-Za-z0-9][A-Za-z0-9_\-]*");
pattern!(
    REVERSED_ITEM,
    r"^(?:[^:]*:)?\s*(?P<meaning>[^:]*\p{Han}[^:]*?)\s*:\s*(?P<key>[A-Za-z][A-Za-z0-9_]*)\s*$"
);
pattern!(
    ZH_BRACKETED_LIST,
    r"(?:范围|取值|可选值)\s*(?:为|是|:)?\s*\[\s*(-?\d+(?:\s*,\s*-?\d+){2,})\s*\]"
);
const ZH_NAME: &str = r"该参数|此参数|本参数|[A-Za-z][A-Za-z0-9_]*";
pattern!(
    ZH_EXACTLY_ONE,
    &format!(
        r"({ZH_NAME})\s*(?:和|与|或)\s*({ZH_NAME})\s*(?:必须|须|需|需要)\s*(?:设置|填写|指定|传入|传)?\s*(?:其中)?(?:一个|之一|一项)[^。;]*?(?:不能|不可|不可以|不允许|不得)\s*同时"
    )
);
pattern!(
    ZH_PAIR_NOT_AT_SAME_TIME,
    &format!(
        r"({ZH_NAME})\s*(?:和|与|及)\s*({ZH_NAME})\s*(?:不能|不可|不可以|不允许|不得|不支持)\s*同时"
    )
);
pattern!(
    ZH_PAIR_ONLY_ONE,
    &format!(
        r"({ZH_NAME})\s*(?:和|与|及)\s*({ZH_NAME})\s*(?:之间)?\s*(?:至多|最多)?\s*只能\s*(?:设置|填写|指定|传入|传)?\s*(?:其中)?\s*(?:一个|之一|一项)"
    )
);
pattern!(
    ZH_NOT_SPECIFY_PAIR,
    &format!(
        r"不(?:支持|能|可|允许)\s*同时\s*(?:指定|设置|填写|传入|传)\s*({ZH_NAME})\s*(?:和|与|及)\s*({ZH_NAME})"
    )
);
pattern!(
    ZH_WITH_OTHER,
    &format!(
        r"(?:^|[,;。(>])\s*与\s*({ZH_NAME})\s*(?:(?:不能|不可|不可以|不允许|不得)\s*同时|之间\s*(?:至多|最多)?\s*只能\s*(?:设置|填写|指定|传入|传)?\s*(?:其中)?\s*(?:一个|之一))"
    )
);

/// Words that introduce prose, not an enumerated value, before a colon.
const NOT_ENUM_KEYS: &[&str] = &[
    "default",
    "unit",
    "units",
    "note",
    "notes",
    "example",
    "examples",
    "e.g",
    "eg",
    "format",
    "range",
    "value",
    "values",
    "description",
    "remarks",
    "remark",
    "for",
    "type",
    "http",
    "https",
    "where",
    "see",
    "tip",
    "tips",
    "caution",
    "warning",
    "important",
    "such",
    "including",
];

/// The context a parameter's description is read in.
#[derive(Debug, Clone, Copy)]
pub struct ParamContext<'a> {
    /// The parameter's name (without `.N`).
    pub name: &'a str,
    /// Its type.
    pub ty: &'a Type,
    /// The names of the other parameters of the same action or struct.
    pub siblings: &'a [String],
}

/// Full-width punctuation as its half-width twin: `，：；（）【】～` and the ideographic
/// space. Borrowed when there is nothing to change.
pub fn normalise(text: &str) -> Cow<'_, str> {
    fn half(c: char) -> Option<char> {
        Some(match c {
            '，' => ',',
            '：' => ':',
            '；' => ';',
            '（' => '(',
            '）' => ')',
            '【' => '[',
            '】' => ']',
            '～' => '~',
            '\u{3000}' => ' ',
            _ => return None,
        })
    }
    if text.chars().any(|c| half(c).is_some()) {
        Cow::Owned(text.chars().map(|c| half(c).unwrap_or(c)).collect())
    } else {
        Cow::Borrowed(text)
    }
}

/// The mainland pages end a description with its example value, `示例值：X` (or
/// `示例值:X`): the description without it (trimmed) and the value. `示例值：无` ("none")
/// and an empty value give no value; either way the suffix is cut.
pub fn split_example(description: &str) -> (String, Option<String>) {
    const MARKER: &str = "示例值";
    let Some(at) = description.rfind(MARKER) else {
        return (description.trim().to_owned(), None);
    };
    let after = description
        .get(at + MARKER.len()..)
        .unwrap_or("")
        .trim_start();
    let Some(value) = after.strip_prefix(':').or_else(|| after.strip_prefix('：')) else {
        return (description.trim().to_owned(), None);
    };
    let value = value.trim();
    let text = description.get(..at).unwrap_or("").trim().to_owned();
    let value = (!value.is_empty() && value != "无").then(|| value.to_owned());
    (text, value)
}

/// The description without a trailing example value.
fn without_example(description: &str) -> Cow<'_, str> {
    if description.contains("示例值") {
        Cow::Owned(split_example(description).0)
    } else {
        Cow::Borrowed(description)
    }
}

/// True when the text holds a CJK ideograph (Chinese prose).
fn has_han(text: &str) -> bool {
    text.chars().any(is_han)
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}')
}

/// Every constraint a parameter's description states (a trailing `示例值：X` ignored).
pub fn extract(context: ParamContext<'_>, description: &str) -> Constraints {
    let description = &*without_example(description);
    let numeric = matches!(element(context.ty), Type::Integer | Type::Float);
    let textual = matches!(element(context.ty), Type::String);
    Constraints {
        range: if numeric { range(description) } else { None },
        enum_values: if numeric || textual {
            enum_values(description, context.ty)
        } else {
            None
        },
        max_length: if matches!(context.ty, Type::String) {
            max_length(description)
        } else {
            None
        },
        less_than: less_than(description, context.name, context.siblings),
        deprecated: deprecated(description),
        idempotency_token: idempotency_token(description),
    }
}

fn number(text: &str) -> Option<Bound> {
    match text.parse::<i64>() {
        Ok(integer) => Some(Bound::Integer(integer)),
        Err(_) => text
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .map(Bound::Float),
    }
}

fn pair(pattern: &LazyLock<Option<Regex>>, text: &str) -> Option<Range> {
    let captures = pattern.as_ref()?.captures(text)?;
    let min = number(captures.get(1)?.as_str())?;
    let max = number(captures.get(2)?.as_str())?;
    (min.as_f64() <= max.as_f64()).then_some(Range {
        min: Some(min),
        max: Some(max),
    })
}

fn bound(pattern: &LazyLock<Option<Regex>>, text: &str) -> Option<Bound> {
    number(pattern.as_ref()?.captures(text)?.get(1)?.as_str())
}

/// "Value range: [5, 300]", "Value range: 1 - 10", "range is 1 to 10", "between 1 and 100",
/// "Maximum value: 100", "minimum value is 1"; `取值范围：[5, 300]`, `取值在[5，300]之间`,
/// `范围为1到10`, `在1到10之间`, `最大值为100`, `最小值为1`.
pub fn range(description: &str) -> Option<Range> {
    let description = &*normalise(description);
    if let Some(range) = [
        &RANGE_BRACKETS,
        &RANGE_DASH,
        &BETWEEN,
        &ZH_RANGE_BRACKETS,
        &ZH_RANGE_TO,
        &ZH_BETWEEN,
    ]
    .iter()
    .find_map(|pattern| pair(pattern, description))
    {
        return Some(range);
    }
    let min = bound(&MIN_VALUE, description).or_else(|| bound(&ZH_MIN_VALUE, description));
    let max = bound(&MAX_VALUE, description).or_else(|| bound(&ZH_MAX_VALUE, description));
    (min.is_some() || max.is_some()).then_some(Range { min, max })
}

/// "The maximum length is 64 ASCII characters", "Up to 50 characters"; `最大长度为64`,
/// `长度不超过50个字符`, `不得超过32个字符`, `最大值不超过64个ASCII字符`.
pub fn max_length(description: &str) -> Option<u64> {
    let description = &*normalise(description);
    [
        &MAX_LENGTH,
        &UP_TO_CHARACTERS,
        &ZH_MAX_LENGTH,
        &ZH_NOT_EXCEED_CHARACTERS,
    ]
    .iter()
    .find_map(|pattern| {
        pattern
            .as_ref()
            .as_ref()?
            .captures(description)?
            .get(1)?
            .as_str()
            .parse()
            .ok()
    })
}

/// "shall be less than ... DelayLoop", `应小于健康检查时间间隔DelayLoop`: the sibling
/// parameter named in that sentence.
pub fn less_than(description: &str, own_name: &str, siblings: &[String]) -> Option<String> {
    let description = &*normalise(description);
    let (clause, words) = match LESS_THAN.as_ref()?.captures(description) {
        Some(captures) => (captures.get(1)?.as_str(), &IDENTIFIER),
        // Chinese runs into the name without a word boundary: take every ASCII word.
        None => (
            ZH_LESS_THAN
                .as_ref()?
                .captures(description)?
                .get(1)?
                .as_str(),
            &ASCII_WORD,
        ),
    };
    words
        .as_ref()?
        .find_iter(clause)
        .map(|m| m.as_str())
        .filter(|word| *word != own_name && siblings.iter().any(|s| s == word))
        .last()
        .map(str::to_owned)
}

/// "It's an old parameter, please switch to ProxyIds", "deprecated; use X instead";
/// `（旧参数，请切换到ProxyIds）`, `（此参数为旧参数，请填写新参数Concurrent）`, `该字段已废弃`.
pub fn deprecated(description: &str) -> Option<Deprecated> {
    let description = &*normalise(description);
    let replacement = [&DEPRECATED_FOR, &DEPRECATED_USE_INSTEAD, &ZH_DEPRECATED_FOR]
        .iter()
        .find_map(|pattern| {
            Some(
                pattern
                    .as_ref()
                    .as_ref()?
                    .captures(description)?
                    .get(1)?
                    .as_str()
                    .to_owned(),
            )
        });
    if replacement.is_some() {
        return Some(Deprecated {
            use_instead: replacement,
        });
    }
    [&DEPRECATED, &ZH_DEPRECATED]
        .iter()
        .any(|pattern| pattern.as_ref().is_some_and(|re| re.is_match(description)))
        .then_some(Deprecated { use_instead: None })
}

/// The description speaks of the request's idempotency (e.g. `ClientToken`; `幂等性`).
pub fn idempotency_token(description: &str) -> bool {
    IDEMPOTENT
        .as_ref()
        .is_some_and(|re| re.is_match(description))
}

/// "Note: This field may return null"; `注意：此字段可能返回 null`, `如果…，则为null`.
pub fn nullable(description: &str) -> bool {
    let description = &*without_example(description);
    [&NULLABLE, &ZH_NULLABLE]
        .iter()
        .any(|pattern| pattern.as_ref().is_some_and(|re| re.is_match(description)))
}

/// "A maximum of 20 requests can be initiated per second"; `默认接口请求频率限制：20次/秒`.
pub fn rate_limit(text: &str) -> Option<u32> {
    let text = &*normalise(text);
    [&RATE_LIMIT, &ZH_RATE_LIMIT].iter().find_map(|pattern| {
        pattern
            .as_ref()
            .as_ref()?
            .captures(text)?
            .get(1)?
            .as_str()
            .parse()
            .ok()
    })
}

/// A value written on the page as the literal of a parameter of type `ty`.
fn literal(key: &str, ty: &Type) -> Option<EnumLiteral> {
    match element(ty) {
        Type::Integer => key.parse().ok().map(EnumLiteral::Integer),
        Type::String => Some(EnumLiteral::String(key.to_owned())),
        _ => None,
    }
}

/// Cuts a meaning at the end of its sentence.
fn meaning(text: &str) -> String {
    let text = text.trim();
    let end = SENTENCE_END
        .as_ref()
        .and_then(|re| re.find(text))
        .map_or(text.len(), |m| m.start());
    text.get(..end).unwrap_or(text).trim().to_owned()
}

/// The text after "Values:" up to the end of its sentence (a period outside parentheses).
fn values_clause(rest: &str) -> &str {
    let mut depth = 0usize;
    let mut previous_period = None;
    for (index, c) in rest.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            '\n' if depth == 0 => return rest.get(..index).unwrap_or(rest),
            '.' if depth == 0 => previous_period = Some(index),
            c if c.is_whitespace()
                && depth == 0
                && previous_period.is_some_and(|period| period + 1 == index) =>
            {
                return rest.get(..index - 1).unwrap_or(rest);
            }
            _ => {}
        }
    }
    rest.strip_suffix('.').unwrap_or(rest)
}

/// "Values: rr (round-robin), wrr (...)", "Valid values: 1 (enable) and 0 (disable)".
pub fn parenthesized_values(description: &str, ty: &Type) -> Option<Vec<EnumValue>> {
    let description = &*normalise(description);
    let intro = VALUES_INTRO.as_ref()?;
    let item = PAREN_ITEM.as_ref()?;
    let separator = ITEM_SEPARATOR.as_ref()?;
    for found in intro.find_iter(description) {
        let clause = values_clause(description.get(found.end()..)?)
            .trim_end()
            .trim_end_matches('.');
        let mut values = Vec::new();
        let mut with_meaning = 0;
        let mut all_items = !clause.trim().is_empty();
        for part in split_outside_parens(clause, separator) {
            let Some(captures) = item.captures(part.trim()) else {
                all_items = false;
                break;
            };
            let key = captures.name("key").map_or("", |m| m.as_str());
            let Some(value) = literal(key, ty) else {
                all_items = false;
                break;
            };
            let description = captures
                .name("meaning")
                .map_or(String::new(), |m| m.as_str().trim().to_owned());
            if !description.is_empty() {
                with_meaning += 1;
            }
            values.push(EnumValue {
                value,
                description,
                description_zh: None,
            });
        }
        if all_items && (with_meaning > 0 || values.len() >= 2) && distinct(&values) {
            return Some(values);
        }
    }
    None
}

/// Splits at `separator` matches that are not inside parentheses.
fn split_outside_parens<'a>(text: &'a str, separator: &Regex) -> Vec<&'a str> {
    let mut parts = Vec::new();
    let mut start = 0;
    for m in separator.find_iter(text) {
        let before = text.get(..m.start()).unwrap_or("");
        if before.matches('(').count() > before.matches(')').count() || m.start() < start {
            continue;
        }
        parts.push(text.get(start..m.start()).unwrap_or(""));
        start = m.end();
    }
    parts.push(text.get(start..).unwrap_or(""));
    parts.into_iter().filter(|p| !p.trim().is_empty()).collect()
}

fn distinct(values: &[EnumValue]) -> bool {
    values
        .iter()
        .enumerate()
        .all(|(i, v)| values.iter().skip(i + 1).all(|w| w.value != v.value))
}

/// "1: enabled; 0: disabled", "0: TOA; 1: Proxy Protocol", one value per line after
/// "Valid values:": at least two distinct `value: meaning` items.
pub fn colon_values(description: &str, ty: &Type) -> Option<Vec<EnumValue>> {
    let description = &*normalise(description);
    let text = COMMA_BEFORE_KEY.as_ref()?.replace_all(description, ";${1}");
    let item = COLON_ITEM.as_ref()?;
    let mut values: Vec<EnumValue> = Vec::new();
    for segment in text.split(['\n', ';', '；']) {
        let Some(captures) = item.captures(segment.trim()) else {
            continue;
        };
        let key = captures.name("key").map_or("", |m| m.as_str());
        let rest = captures.name("meaning").map_or("", |m| m.as_str());
        if NOT_ENUM_KEYS.contains(&key.to_lowercase().as_str())
            || rest.starts_with('/')
            || rest.trim().is_empty()
        {
            continue;
        }
        let Some(value) = literal(key, ty) else {
            continue;
        };
        if values.iter().any(|v| v.value == value) {
            continue;
        }
        values.push(EnumValue {
            value,
            description: meaning(rest),
            description_zh: None,
        });
    }
    (values.len() >= 2).then_some(values)
}

/// "Value range: [100, 200, 300, 400, 500]", `可选范围[100, 200, 300, 400, 500]`: three or
/// more numbers in brackets are the allowed values (two are a range).
pub fn bracketed_values(description: &str, ty: &Type) -> Option<Vec<EnumValue>> {
    let description = &*normalise(description);
    let list = [&BRACKETED_LIST, &ZH_BRACKETED_LIST]
        .iter()
        .find_map(|pattern| {
            Some(
                pattern
                    .as_ref()
                    .as_ref()?
                    .captures(description)?
                    .get(1)?
                    .as_str(),
            )
        })?;
    let values: Vec<EnumValue> = list
        .split(',')
        .map(|item| {
            literal(item.trim(), ty).map(|value| EnumValue {
                value,
                description: String::new(),
                description_zh: None,
            })
        })
        .collect::<Option<_>>()?;
    distinct(&values).then_some(values)
}

/// Chinese characters right after a number that make it a quantity, not a value
/// (`1到10`, `5个`, `20次`).
const QUANTITY_CHARS: &str = "到至个次秒分时天周月年日号位倍万千百元条项种台层级度";

/// How an enumerated item of Chinese prose ties its value to its meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tie {
    /// `rr表示轮询`, `0，表示不开启`.
    Means,
    /// `1：允许`.
    Colon,
    /// `rr（轮询）`.
    Paren,
    /// `0，不强制删除` (numbers only).
    Comma,
    /// `1开启` (numbers only).
    Bare,
}

/// One `value + meaning` item found in Chinese prose.
struct ZhItem<'a> {
    /// Where the item starts (its boundary character included).
    start: usize,
    key: &'a str,
    tie: Tie,
    /// The boundary character before the value (`:` in `类型：TEXT表示文本`).
    after_colon: bool,
    meaning_start: usize,
    meaning_end: usize,
    /// Where the item's text ends (after the closing parenthesis of a `Paren` item).
    end: usize,
}

/// The tie after a value, and where its meaning starts.
fn tie(rest: &str, numeric: bool) -> Option<(Tie, usize)> {
    let trimmed = rest.trim_start();
    let skipped = rest.len() - trimmed.len();
    if let Some(after) = trimmed.strip_prefix("表示") {
        return Some((Tie::Means, rest.len() - after.len()));
    }
    if let Some(after) = trimmed.strip_prefix(',') {
        let after_space = after.trim_start();
        if let Some(meaning) = after_space.strip_prefix("表示") {
            return Some((Tie::Means, rest.len() - meaning.len()));
        }
        return (numeric && after_space.chars().next().is_some_and(is_han))
            .then(|| (Tie::Comma, rest.len() - after_space.len()));
    }
    if let Some(after) = trimmed.strip_prefix(':') {
        let meaning = after.trim_start();
        return (!meaning.is_empty() && !meaning.starts_with('/'))
            .then(|| (Tie::Colon, rest.len() - meaning.len()));
    }
    if let Some(after) = trimmed.strip_prefix('(') {
        return Some((Tie::Paren, rest.len() - after.len()));
    }
    let first = rest.chars().next()?;
    (numeric && skipped == 0 && is_han(first) && !QUANTITY_CHARS.contains(first))
        .then_some((Tie::Bare, 0))
}

/// The end of a meaning starting at `from`: the first `,;。<` or newline outside
/// parentheses, an unmatched `)`, or `limit`. For a `Paren` item, its closing `)`.
fn meaning_end(text: &str, from: usize, limit: usize, paren: bool) -> (usize, usize) {
    let mut depth = 0usize;
    let slice = text.get(from..limit).unwrap_or("");
    for (offset, c) in slice.char_indices() {
        let at = from + offset;
        match c {
            '(' => depth += 1,
            ')' if depth > 0 => depth -= 1,
            ')' => return (at, if paren { at + 1 } else { at }),
            ',' | ';' | '。' | '<' | '\n' if depth == 0 && !paren => return (at, at),
            _ => {}
        }
    }
    (limit, limit)
}

/// The `value + meaning` items of Chinese prose, in order.
fn zh_items<'a>(text: &'a str, ty: &Type) -> Vec<ZhItem<'a>> {
    let Some(key_re) = ZH_ITEM_KEY.as_ref() else {
        return Vec::new();
    };
    let numeric = matches!(element(ty), Type::Integer);
    let mut found: Vec<(usize, &'a str, bool, Tie, usize)> = Vec::new();
    for captures in key_re.captures_iter(text) {
        let (Some(whole), Some(key)) = (captures.get(0), captures.get(1)) else {
            continue;
        };
        let is_number = key.as_str().parse::<i64>().is_ok();
        let rest = text.get(key.end()..).unwrap_or("");
        let Some((tie, offset)) = tie(rest, numeric && is_number) else {
            continue;
        };
        let after_colon = text.get(whole.start()..key.start()) == Some(":");
        found.push((
            whole.start(),
            key.as_str(),
            after_colon,
            tie,
            key.end() + offset,
        ));
    }
    let mut items = Vec::new();
    for (index, &(start, key, after_colon, tie, meaning_start)) in found.iter().enumerate() {
        let limit = found
            .get(index + 1)
            .map_or(text.len(), |next| next.0)
            .max(meaning_start);
        let (end, item_end) = meaning_end(text, meaning_start, limit, tie == Tie::Paren);
        items.push(ZhItem {
            start,
            key,
            tie,
            after_colon,
            meaning_start,
            meaning_end: end,
            end: item_end,
        });
    }
    items
}

/// Only list punctuation (and `和/或/及`) between two items of one list.
fn is_list_gap(gap: &str) -> bool {
    gap.chars()
        .all(|c| c.is_whitespace() || ",;。.、和或及)".contains(c))
}

/// `rr表示轮询；wrr表示加权轮询`, `1开启，0关闭`, `0，表示不开启；1，表示开启`,
/// `1：允许，0：不允许`, `取值：rr（轮询）、wrr（加权轮询）`: a list of two or more values
/// with their meanings (one `X表示Y` right after a colon also counts).
pub fn zh_values(description: &str, ty: &Type) -> Option<Vec<EnumValue>> {
    let text = &*normalise(description);
    if !has_han(text) {
        return None;
    }
    let mut items = zh_items(text, ty);
    // Items of one list: only list punctuation between them, or a meaning that runs on
    // after a comma up to the `;` before the next item (`1，强制删除，无论…；0，…`).
    let mut runs: Vec<Vec<usize>> = Vec::new();
    for index in 0..items.len() {
        let joined = index.checked_sub(1).and_then(|previous| {
            let gap = text.get(items.get(previous)?.end..items.get(index)?.start)?;
            if is_list_gap(gap) {
                return Some(None);
            }
            let semicolon = gap.trim_end().strip_suffix(';')?;
            Some(Some(items.get(previous)?.end + semicolon.len()))
        });
        match (joined, runs.last_mut()) {
            (Some(extended), Some(run)) => {
                if let (Some(end), Some(previous)) = (
                    extended,
                    index.checked_sub(1).and_then(|i| items.get_mut(i)),
                ) {
                    previous.meaning_end = end;
                    previous.end = end;
                }
                run.push(index);
            }
            _ => runs.push(vec![index]),
        }
    }
    let items = &items;
    runs.into_iter().find_map(|run| {
        let run: Vec<&ZhItem<'_>> = run.iter().filter_map(|&i| items.get(i)).collect();
        let single = matches!(run.as_slice(), [only] if only.tie == Tie::Means && only.after_colon);
        if run.len() < 2 && !single {
            return None;
        }
        let values: Vec<EnumValue> = run
            .iter()
            .map(|item| {
                if item.tie == Tie::Colon
                    && NOT_ENUM_KEYS.contains(&item.key.to_lowercase().as_str())
                {
                    return None;
                }
                Some(EnumValue {
                    value: literal(item.key, ty)?,
                    description: text
                        .get(item.meaning_start..item.meaning_end)
                        .unwrap_or("")
                        .trim()
                        .to_owned(),
                    description_zh: None,
                })
            })
            .collect::<Option<_>>()?;
        distinct(&values).then_some(values)
    })
}

/// `支持：入带宽:InBandwidth, 出带宽:OutBandwidth`: meaning first, value after its colon.
pub fn reversed_values(description: &str, ty: &Type) -> Option<Vec<EnumValue>> {
    let text = &*normalise(description);
    let item = REVERSED_ITEM.as_ref()?;
    let mut runs: Vec<Vec<EnumValue>> = vec![Vec::new()];
    for segment in text.split([',', ';', '。', '、', '\n', '<']) {
        let value = item.captures(segment.trim()).and_then(|captures| {
            Some(EnumValue {
                value: literal(captures.name("key")?.as_str(), ty)?,
                description: captures.name("meaning")?.as_str().trim().to_owned(),
                description_zh: None,
            })
        });
        match (value, runs.last_mut()) {
            (Some(value), Some(run)) => run.push(value),
            (None, Some(run)) if !run.is_empty() => runs.push(Vec::new()),
            _ => {}
        }
    }
    runs.into_iter().find(|run| run.len() >= 2 && distinct(run))
}

/// `可取值：IPv4、IPv6，默认值IPv4`, `支持CMCC，CUCC，CTCC`: values listed after an
/// introduction, without meanings (two or more, each a whole word).
pub fn listed_values(description: &str, ty: &Type) -> Option<Vec<EnumValue>> {
    let text = &*normalise(description);
    let token = LIST_TOKEN.as_ref()?;
    for intro in ZH_VALUES_INTRO.as_ref()?.find_iter(text) {
        // `不支持wrr和lrtt` lists what is not supported.
        if text
            .get(..intro.start())
            .is_some_and(|before| before.ends_with('不'))
        {
            continue;
        }
        let mut rest = text.get(intro.end()..)?;
        let mut values = Vec::new();
        while let Some(found) = token.find(rest) {
            let after = rest.get(found.end()..)?;
            let next = after.chars().next();
            if next.is_some_and(|c| !(c.is_whitespace() || ",;。、和或及<)".contains(c))) {
                break;
            }
            let Some(value) = literal(found.as_str(), ty) else {
                values.clear();
                break;
            };
            values.push(EnumValue {
                value,
                description: String::new(),
                description_zh: None,
            });
            rest = after.trim_start_matches(|c: char| c.is_whitespace() || ",、和或及".contains(c));
        }
        if values.len() >= 2 && distinct(&values) {
            return Some(values);
        }
    }
    ideographic_list(text, ty)
}

/// `IP版本：IPv4、IPv6`: after a colon, two or more words joined by `、` that end the
/// clause.
fn ideographic_list(text: &str, ty: &Type) -> Option<Vec<EnumValue>> {
    let list = IDEOGRAPHIC_LIST.as_ref()?.captures(text)?.get(1)?.as_str();
    let values: Vec<EnumValue> = list
        .split('、')
        .map(|item| {
            Some(EnumValue {
                value: literal(item.trim(), ty)?,
                description: String::new(),
                description_zh: None,
            })
        })
        .collect::<Option<_>>()?;
    distinct(&values).then_some(values)
}

/// The enumerated values a description lists, in any of its spellings (Chinese prose is
/// read by the Chinese rules first).
pub fn enum_values(description: &str, ty: &Type) -> Option<Vec<EnumValue>> {
    let text = &*normalise(description);
    let chinese = || {
        has_han(text)
            .then(|| {
                zh_values(text, ty)
                    .or_else(|| reversed_values(text, ty))
                    .or_else(|| listed_values(text, ty))
            })
            .flatten()
    };
    parenthesized_values(text, ty)
        .or_else(chinese)
        .or_else(|| bracketed_values(text, ty))
        .or_else(|| colon_values(text, ty))
}

/// Resolves a name written in a description: "this parameter" (`该参数`, `此参数`, `本参数`)
/// is the row's own name.
fn resolve(name: &str, own_name: &str) -> String {
    if name.eq_ignore_ascii_case("this parameter") || ["该参数", "此参数", "本参数"].contains(&name)
    {
        own_name.to_owned()
    } else {
        name.to_owned()
    }
}

/// The constraints over several inputs that a parameter's description states. Names that
/// are not inputs of the action are dropped; a constraint needs two distinct members.
pub fn action_constraints(
    own_name: &str,
    description: &str,
    inputs: &[String],
) -> Vec<ActionConstraint> {
    let description = &*without_example(description);
    let description = &*normalise(description);
    let mut found = Vec::new();
    let members = |first: &str, second: &str| -> Option<Vec<String>> {
        let first = resolve(first, own_name);
        let second = resolve(second, own_name);
        (first != second && inputs.contains(&first) && inputs.contains(&second))
            .then(|| vec![first, second])
    };
    for pattern in [&EXACTLY_ONE, &ZH_EXACTLY_ONE] {
        let Some(re) = pattern.as_ref() else { continue };
        for captures in re.captures_iter(description) {
            if let (Some(a), Some(b)) = (captures.get(1), captures.get(2))
                && let Some(names) = members(a.as_str(), b.as_str())
            {
                found.push(ActionConstraint::ExactlyOneOf(names));
            }
        }
    }
    for pattern in [&SET_TOGETHER_WITH, &ZH_WITH_OTHER] {
        let Some(re) = pattern.as_ref() else { continue };
        for captures in re.captures_iter(description) {
            if let Some(other) = captures.get(1)
                && let Some(names) = members(own_name, other.as_str())
            {
                found.push(ActionConstraint::AtMostOneOf(names));
            }
        }
    }
    for pattern in [
        &PAIR_NOT_AT_SAME_TIME,
        &NOT_SPECIFY_PAIR,
        &ONLY_ONE_OF,
        &ZH_PAIR_NOT_AT_SAME_TIME,
        &ZH_PAIR_ONLY_ONE,
        &ZH_NOT_SPECIFY_PAIR,
    ] {
        let Some(re) = pattern.as_ref() else { continue };
        for captures in re.captures_iter(description) {
            if let (Some(a), Some(b)) = (captures.get(1), captures.get(2))
                && let Some(names) = members(a.as_str(), b.as_str())
            {
                found.push(ActionConstraint::AtMostOneOf(names));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int_range(min: i64, max: i64) -> Option<Range> {
        Some(Range {
            min: Some(min.into()),
            max: Some(max.into()),
        })
    }

    fn names(values: Option<Vec<EnumValue>>) -> Vec<String> {
        values
            .unwrap_or_default()
            .into_iter()
            .map(|v| match v.value {
                EnumLiteral::Integer(i) => format!("{i}={}", v.description),
                EnumLiteral::String(s) => format!("{s}={}", v.description),
            })
            .collect()
    }

    #[test]
    fn ranges_in_all_spellings() {
        assert_eq!(range("Value range: [5, 300]."), int_range(5, 300));
        assert_eq!(range("Value range: 1 - 10."), int_range(1, 10));
        assert_eq!(range("Value range: 1 -10."), int_range(1, 10));
        assert_eq!(range("The range is 1 to 10"), int_range(1, 10));
        assert_eq!(range("It must be between 1 and 100."), int_range(1, 100));
        assert_eq!(
            range("Default value: 20. Maximum value: 100."),
            Some(Range {
                min: None,
                max: Some(100.into())
            })
        );
        assert_eq!(range("Value range: [100, 200, 300, 400, 500]"), None);
        assert_eq!(range("Unit: 10,000 connections."), None);
        assert_eq!(range("It supports granularities of 300, 3,600."), None);
    }

    #[test]
    fn max_lengths() {
        assert_eq!(
            max_length("The maximum length is 64 ASCII characters."),
            Some(64)
        );
        assert_eq!(
            max_length("Its maximum length is 64 ASCII characters."),
            Some(64)
        );
        assert_eq!(max_length("Rule name: up to 30 characters."), Some(30));
        assert_eq!(max_length("Up to 10 IDs are supported"), None);
    }

    #[test]
    fn less_than_names_a_sibling() {
        let siblings = vec!["DelayLoop".to_owned(), "ConnectTimeout".to_owned()];
        assert_eq!(
            less_than(
                "The timeout value shall be less than the time interval for health check DelayLoop.",
                "ConnectTimeout",
                &siblings
            ),
            Some("DelayLoop".into())
        );
        assert_eq!(
            less_than("shall be less than Other", "ConnectTimeout", &siblings),
            None
        );
    }

    #[test]
    fn deprecation() {
        assert_eq!(
            deprecated("List of IDs; It’s an old parameter, please switch to ProxyIds."),
            Some(Deprecated {
                use_instead: Some("ProxyIds".into())
            })
        );
        assert_eq!(
            deprecated("This field is deprecated."),
            Some(Deprecated { use_instead: None })
        );
        assert_eq!(
            deprecated("It’s a new parameter, and replaces InstanceIds."),
            None
        );
    }

    #[test]
    fn idempotency_and_null() {
        assert!(idempotency_token(
            "used to ensure the idempotency of the request"
        ));
        assert!(idempotency_token("the idem-potency of the request"));
        assert!(!idempotency_token("A name."));
        assert!(nullable(
            "x\nNote: This field may return null, indicating that ..."
        ));
    }

    #[test]
    fn rate_limits() {
        assert_eq!(
            rate_limit("A maximum of 20 requests can be initiated per second for this API."),
            Some(20)
        );
        assert_eq!(rate_limit("No limit."), None);
    }

    #[test]
    fn parenthesized_enums() {
        let ty = Type::String;
        assert_eq!(
            names(enum_values(
                "The strategy. Values: rr (round-robin), wrr (weighted round-robin), lc (the least-connections strategy), lrtt (the least-response-time strategy).",
                &ty
            )),
            [
                "rr=round-robin",
                "wrr=weighted round-robin",
                "lc=the least-connections strategy",
                "lrtt=the least-response-time strategy"
            ]
        );
        assert_eq!(
            names(enum_values(
                "The origin server type. Values: IP (IP address); DOMAIN (domain name).",
                &ty
            )),
            ["IP=IP address", "DOMAIN=domain name"]
        );
        assert_eq!(
            names(enum_values(
                "Whether to enable. Valid values: 1 (enable) and 0 (disable). It cannot be enabled.",
                &Type::Integer
            )),
            ["1=enable", "0=disable"]
        );
        assert_eq!(
            names(enum_values(
                "Network type. Valid values: normal (default), cn2",
                &ty
            )),
            ["normal=default", "cn2="]
        );
        assert_eq!(
            names(enum_values(
                "IP version. Valid values: IPv4 (default), IPv6.\nNote: may return null",
                &ty
            )),
            ["IPv4=default", "IPv6="]
        );
        assert_eq!(
            names(enum_values("Valid values: A (a), B (b), and C (c).", &ty)),
            ["A=a", "B=b", "C=c"]
        );
    }

    #[test]
    fn bracketed_enums() {
        let codes = Type::Array(Box::new(Type::Integer));
        assert_eq!(
            names(enum_values(
                "Return code. Value range: [100, 200, 300, 400, 500]",
                &codes
            )),
            ["100=", "200=", "300=", "400=", "500="]
        );
        assert_eq!(enum_values("Value range: [5, 300].", &Type::Integer), None);
    }

    #[test]
    fn colon_enums() {
        let int = Type::Integer;
        assert_eq!(
            names(enum_values(
                "Whether enabled. 1: enabled; 0: disabled. UDP listeners do not support it.",
                &int
            )),
            ["1=enabled", "0=disabled"]
        );
        assert_eq!(
            names(enum_values("Methods. 0: TOA; 1: Proxy Protocol.", &int)),
            ["0=TOA", "1=Proxy Protocol"]
        );
        assert_eq!(
            names(enum_values("Status. 0: exceptional, 1: normal", &int)),
            ["0=exceptional", "1=normal"]
        );
        assert_eq!(
            names(enum_values(
                "The identifier\n1: deleted forcibly.\n0: not deleted.\nIf this identifier is 0, ...",
                &int
            )),
            ["1=deleted forcibly", "0=not deleted"]
        );
        assert_eq!(
            names(enum_values(
                "Billing mode. Valid values: 0: bill-by-bandwidth (default value); 1: bill-by-traffic.",
                &int
            )),
            ["0=bill-by-bandwidth (default value)", "1=bill-by-traffic"]
        );
        assert_eq!(
            names(enum_values(
                "Sorting. Valid values:\nasc: Ascending order\ndesc: Descending order\nDefault: desc",
                &Type::String
            )),
            ["asc=Ascending order", "desc=Descending order"]
        );
    }

    #[test]
    fn no_false_enums() {
        assert_eq!(
            enum_values(
                "Number of returned results. Default value: 20. Maximum value: 100.",
                &Type::Integer
            ),
            None
        );
        assert_eq!(
            enum_values("Unit: Mbps. Note: may return null", &Type::String),
            None
        );
        assert_eq!(enum_values("It supports 5 tags.", &Type::Integer), None);
        assert_eq!(
            enum_values(
                "When https: is passed in, all requests go to https://x.",
                &Type::String
            ),
            None
        );
        assert_eq!(
            enum_values("A single port: 80\nAll ports: ALL", &Type::String),
            None
        );
        assert_eq!(
            enum_values(
                "Content. Where:\nFormat: “user:pass”, for example, root:FSGdT. Or, x:y.",
                &Type::String
            ),
            None
        );
    }

    #[test]
    fn mutual_exclusion() {
        let inputs: Vec<String> = ["ProxyId", "GroupId", "InstanceIds", "Filters"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        assert_eq!(
            action_constraints(
                "ProxyId",
                "Connection ID; Either ProxyId or GroupId must be set, but you cannot set both.",
                &inputs
            ),
            [ActionConstraint::ExactlyOneOf(vec![
                "ProxyId".into(),
                "GroupId".into()
            ])]
        );
        assert_eq!(
            action_constraints(
                "ProxyId",
                "Either this parameter or GroupId must be set, but you cannot set both.",
                &inputs
            ),
            [ActionConstraint::ExactlyOneOf(vec![
                "ProxyId".into(),
                "GroupId".into()
            ])]
        );
        assert!(
            action_constraints(
                "GroupId",
                "Either this parameter or GroupId must be set, but you cannot set both.",
                &inputs
            )
            .is_empty()
        );
        assert_eq!(
            action_constraints(
                "GroupId",
                "Connection group ID, which cannot be set together with ProxyId at the same time.",
                &inputs
            ),
            [ActionConstraint::AtMostOneOf(vec![
                "GroupId".into(),
                "ProxyId".into()
            ])]
        );
        assert_eq!(
            action_constraints(
                "X",
                "This parameter does not support specifying InstanceIds and Filters at the same time.",
                &inputs
            ),
            [ActionConstraint::AtMostOneOf(vec![
                "InstanceIds".into(),
                "Filters".into()
            ])]
        );
        assert_eq!(
            action_constraints(
                "X",
                "but ProxyId and GroupId cannot be set at the same time.",
                &inputs
            ),
            [ActionConstraint::AtMostOneOf(vec![
                "ProxyId".into(),
                "GroupId".into()
            ])]
        );
        assert_eq!(
            action_constraints("X", "You can only set one of ProxyId and GroupId.", &inputs),
            [ActionConstraint::AtMostOneOf(vec![
                "ProxyId".into(),
                "GroupId".into()
            ])]
        );
    }

    /// The text with its ASCII punctuation `,:;()[]` written full-width (`，：；（）【】`).
    fn full_width(text: &str) -> String {
        text.chars()
            .map(|c| match c {
                ',' => '，',
                ':' => '：',
                ';' => '；',
                '(' => '（',
                ')' => '）',
                '[' => '【',
                ']' => '】',
                c => c,
            })
            .collect()
    }

    /// The text with its full-width punctuation written as ASCII.
    fn half_width(text: &str) -> String {
        normalise(text).into_owned()
    }

    /// `rule` gives `expected` for the text as written and in both punctuation widths.
    fn both_widths<T: PartialEq + std::fmt::Debug>(
        text: &str,
        expected: T,
        rule: impl Fn(&str) -> T,
    ) {
        for variant in [text.to_owned(), full_width(text), half_width(text)] {
            assert_eq!(rule(&variant), expected, "{variant}");
        }
    }

    /// `enum_values` gives `expected` (`value=meaning`) in both punctuation widths.
    fn both_enums(text: &str, expected: &[&str], ty: &Type) {
        let expected: Vec<String> = expected.iter().map(|s| (*s).to_owned()).collect();
        both_widths(text, expected, |text| names(enum_values(text, ty)));
    }

    fn max_only(max: i64) -> Option<Range> {
        Some(Range {
            min: None,
            max: Some(max.into()),
        })
    }

    #[test]
    fn normalise_punctuation() {
        assert_eq!(normalise("a，b：c；（d）【e】"), "a,b:c;(d)[e]");
        assert!(matches!(normalise("plain, ascii"), Cow::Borrowed(_)));
    }

    #[test]
    fn example_values() {
        assert_eq!(
            split_example("监听器名称。 示例值：test1"),
            ("监听器名称。".to_owned(), Some("test1".to_owned()))
        );
        assert_eq!(
            split_example("监听器名称。 示例值:test1 "),
            ("监听器名称。".to_owned(), Some("test1".to_owned()))
        );
        assert_eq!(
            split_example("<p>（旧参数，请切换到ProxySet）通道实例信息列表。</p> 示例值：无"),
            (
                "<p>（旧参数，请切换到ProxySet）通道实例信息列表。</p>".to_owned(),
                None
            )
        );
        assert_eq!(
            split_example("源站端口列表。 示例值：[443]"),
            ("源站端口列表。".to_owned(), Some("[443]".to_owned()))
        );
        assert_eq!(split_example(" A name. "), ("A name.".to_owned(), None));
        assert_eq!(
            split_example("见示例值说明"),
            ("见示例值说明".to_owned(), None)
        );
        let ports = Type::Array(Box::new(Type::Integer));
        let context = ParamContext {
            name: "Ports",
            ty: &ports,
            siblings: &[],
        };
        assert!(extract(context, "监听器端口列表。 示例值：[80, 443]").is_empty());
        assert!(extract(context, "端口列表。 示例值：[80, 443, 8080]").is_empty());
        assert!(!nullable("名称 示例值：可能返回 null"));
        let metrics = Type::Array(Box::new(Type::String));
        let context = ParamContext {
            name: "MetricNames",
            ty: &metrics,
            siblings: &[],
        };
        assert_eq!(
            names(
                extract(
                    context,
                    "统计指标，支持: 入带宽:InBandwidth, 出带宽:OutBandwidth 示例值：InBandwidth"
                )
                .enum_values
            ),
            ["InBandwidth=入带宽", "OutBandwidth=出带宽"]
        );
    }

    #[test]
    fn zh_ranges() {
        both_widths("取值范围：[5, 300]", int_range(5, 300), range);
        both_widths(
            "源站健康检查时间间隔，单位：秒。时间间隔取值在[5，300]之间。",
            int_range(5, 300),
            range,
        );
        both_widths("端口，取值范围[1,65535]", int_range(1, 65535), range);
        both_widths(
            "健康阈值，表示连续检查成功多少次后认定源站健康。范围为1到10",
            int_range(1, 10),
            range,
        );
        both_widths("取值在1到10之间", int_range(1, 10), range);
        both_widths("重试次数，在1到10之间", int_range(1, 10), range);
        both_widths(
            "<p>返回数量，默认为20，最大值为100。</p>",
            max_only(100),
            range,
        );
        both_widths("返回数量，默认为20个，最大值为50个", max_only(50), range);
        both_widths(
            "最小值为1",
            Some(Range {
                min: Some(1.into()),
                max: None,
            }),
            range,
        );
        both_widths("查询时间范围不超过1天，支持最小粒度300秒；", None, range);
        both_widths("公共参数，本接口取值：2018-05-29。", None, range);
        both_widths(
            "确认源站正常的返回码，可选范围[100, 200, 300, 400, 500]",
            None,
            range,
        );
        both_widths(
            "每次请求的Filters的上限为10，Filter.Values的上限为5。",
            None,
            range,
        );
    }

    #[test]
    fn zh_max_lengths() {
        both_widths("名称，最大长度为64", Some(64), max_length);
        both_widths("证书名字。长度不超过50个字符。", Some(50), max_length);
        both_widths(
            "通道名称。可任意命名，但不得超过32个字符。",
            Some(32),
            max_length,
        );
        both_widths(
            "该字符串由客户生成，需保证不同请求之间唯一，最大值不超过64个ASCII字符。",
            Some(64),
            max_length,
        );
        both_widths(
            "修改后的通道组名称：不超过30个字符，否则修改失败。",
            Some(30),
            max_length,
        );
        both_widths("最多支持10个规则", None, max_length);
    }

    #[test]
    fn zh_less_than() {
        let siblings = vec!["DelayLoop".to_owned(), "ConnectTimeout".to_owned()];
        both_widths(
            "源站健康检查响应超时时间，单位：秒。超时时间取值在[2，60]之间。超时时间应小于健康检查时间间隔DelayLoop。",
            Some("DelayLoop".to_owned()),
            |text| less_than(text, "ConnectTimeout", &siblings),
        );
        both_widths(
            "超时时间应小于健康检查时间间隔Other。",
            None,
            |text| less_than(text, "ConnectTimeout", &siblings),
        );
        both_widths("DelayLoop的取值小于300", None, |text| {
            less_than(text, "ConnectTimeout", &siblings)
        });
    }

    #[test]
    fn zh_deprecation() {
        let instead = |name: &str| {
            Some(Deprecated {
                use_instead: Some(name.to_owned()),
            })
        };
        both_widths(
            "（旧参数，请切换到ProxyIds）通道ID列表。",
            instead("ProxyIds"),
            deprecated,
        );
        both_widths(
            "<p>（旧参数，请切换到ProxyId）通道的实例ID。</p>",
            instead("ProxyId"),
            deprecated,
        );
        both_widths(
            "（此参数为旧参数，请填写新参数Concurrent，二者必须填写一个）通道并发量上限。",
            instead("Concurrent"),
            deprecated,
        );
        both_widths(
            "证书名称（旧参数，请使用CertificateAlias）。",
            instead("CertificateAlias"),
            deprecated,
        );
        both_widths(
            "该字段已废弃，当IPAddressVersion为IPv4时，所创建的通道默认支持Http3.0。",
            Some(Deprecated { use_instead: None }),
            deprecated,
        );
        both_widths(
            "该字段已废弃，请使用创建规则和修改规则中的SNI功能。",
            Some(Deprecated { use_instead: None }),
            deprecated,
        );
        both_widths(
            "（新参数，替代InstanceIds）按照一个或者多个实例ID查询。",
            None,
            deprecated,
        );
        both_widths("新参数，用于替代旧参数InstanceIds。", None, deprecated);
    }

    #[test]
    fn zh_idempotency_null_and_rate_limit() {
        both_widths(
            "用于保证请求幂等性的字符串。若不指定该参数，则无法保证请求的幂等性。",
            true,
            idempotency_token,
        );
        both_widths("唯一请求 ID，由服务端生成。", false, idempotency_token);
        both_widths(
            "费用价格，单位：元/GB\n注意：此字段可能返回 null，表示取不到有效值。",
            true,
            nullable,
        );
        both_widths(
            "监听器的通道ID，如果监听器属于通道组，则为null",
            true,
            nullable,
        );
        both_widths("通道ID，不为null", false, nullable);
        both_widths("默认接口请求频率限制：20次/秒。", Some(20), rate_limit);
        both_widths("该接口每秒最多10次请求", Some(10), rate_limit);
        both_widths(
            "接口请求域名： gaap.tencentcloudapi.com 。",
            None,
            rate_limit,
        );
    }

    #[test]
    fn zh_enums() {
        let string = Type::String;
        let int = Type::Integer;
        both_enums(
            "监听器源站访问策略，其中：rr表示轮询；wrr表示加权轮询；lc表示最小连接数；lrtt表示最小时延。",
            &["rr=轮询", "wrr=加权轮询", "lc=最小连接数", "lrtt=最小时延"],
            &string,
        );
        both_enums(
            "访问策略，取值：rr（轮询）、wrr（加权轮询）",
            &["rr=轮询", "wrr=加权轮询"],
            &string,
        );
        both_enums(
            "源站是否开启健康检查：1开启，0关闭，UDP监听器不支持健康检查",
            &["1=开启", "0=关闭"],
            &int,
        );
        both_enums(
            "<p>查询能否创建给定配置的通道，1可以创建，0不可创建。</p>",
            &["1=可以创建", "0=不可创建"],
            &int,
        );
        both_enums(
            "证书类型。其中：0，表示基础认证配置；1，表示客户端CA证书；2，服务器SSL证书。",
            &["0=基础认证配置", "1=客户端CA证书", "2=服务器SSL证书"],
            &int,
        );
        both_enums(
            "强制删除标识。其中： 0，不强制删除， 1，强制删除。 默认为0。",
            &["0=不强制删除", "1=强制删除"],
            &int,
        );
        both_enums(
            "强制删除标识。 1，强制删除该通道列表，无论是否已经绑定了源站； 0，如果已绑定了源站，则无法删除。",
            &[
                "1=强制删除该通道列表,无论是否已经绑定了源站",
                "0=如果已绑定了源站",
            ],
            &int,
        );
        both_enums(
            "已绑定源站的监听器是否允许强制删除，1：允许， 0：不允许",
            &["1=允许", "0=不允许"],
            &int,
        );
        both_enums(
            "计费方式 (0:按带宽计费，1:按流量计费)",
            &["0=按带宽计费", "1=按流量计费"],
            &int,
        );
        both_enums(
            "0表示未被绑定 1表示被规则或者监听器绑定。",
            &["0=未被绑定", "1=被规则或者监听器绑定"],
            &int,
        );
        both_enums(
            "监听器获取客户端 IP 的方式，0表示 TOA, 1表示Proxy Protocol",
            &["0=TOA", "1=Proxy Protocol"],
            &int,
        );
        both_enums(
            "监听器绑定源站类型。IP表示IP地址，DOMAIN表示域名。",
            &["IP=IP地址", "DOMAIN=域名"],
            &string,
        );
        both_enums(
            "UDP源站健康检查端口探测报文类型：TEXT表示文本。仅在健康检查类型为PORT时使用。",
            &["TEXT=文本"],
            &string,
        );
        both_enums(
            "<p>输出通道列表的排列顺序。取值范围：asc：升序排列；desc：降序排列。默认为降序。</p>",
            &["asc=升序排列", "desc=降序排列"],
            &string,
        );
        both_enums(
            "统计指标名称列表，支持: 入带宽:InBandwidth, 出带宽:OutBandwidth, 并发:Concurrent</p>",
            &[
                "InBandwidth=入带宽",
                "OutBandwidth=出带宽",
                "Concurrent=并发",
            ],
            &string,
        );
        both_enums(
            "<p>IP版本，可取值：IPv4、IPv6，默认值IPv4</p>",
            &["IPv4=", "IPv6="],
            &string,
        );
        both_enums(
            "运营商（通道为三网通道时有效），支持CMCC，CUCC，CTCC，传空值或不传则合并三个运营商数据",
            &["CMCC=", "CUCC=", "CTCC="],
            &string,
        );
        both_enums("IP版本：IPv4、IPv6", &["IPv4=", "IPv6="], &string);
        both_enums(
            "监控粒度，目前支持60，300，3600，86400，单位：秒。",
            &["60=", "300=", "3600=", "86400="],
            &int,
        );
        both_enums(
            "确认源站正常的返回码，可选范围[100, 200, 300, 400, 500]",
            &["100=", "200=", "300=", "400=", "500="],
            &Type::Array(Box::new(Type::Integer)),
        );
    }

    #[test]
    fn no_false_zh_enums() {
        let string = Type::String;
        let int = Type::Integer;
        let none = |ty: &Type, text: &str| {
            for variant in [text.to_owned(), full_width(text), half_width(text)] {
                assert_eq!(enum_values(&variant, ty), None, "{variant}");
            }
        };
        none(
            &int,
            "是否开启会话保持选项：0关闭， 非0开启，非0值为会话保持时间",
        );
        none(
            &int,
            "健康阈值，表示连续检查成功多少次后认定源站健康。范围为1到10",
        );
        none(
            &int,
            "源站健康检查时间间隔，单位：秒。时间间隔取值在[5，300]之间。",
        );
        none(
            &string,
            "最多支持5个标签，当存在两个或两个以上的标签时，满足其中任意一个",
        );
        none(
            &string,
            "端口范围，支持以下格式 单个端口: 80 多个端口: 80,443 连续端口: 3306-20000 所有端口: ALL",
        );
        none(&string, "公共参数，本接口取值：2018-05-29。");
        none(&string, "加速通道转发到源站的协议，支持HTTP和HTTPS协议");
        none(
            &string,
            "通道ID，ProxyId和GroupId必须设置一个，但不能同时设置。",
        );
        none(
            &string,
            "注意：lrtt需要开通白名单；RealServerType 为 DOMAIN 不支持wrr 和 lrtt。",
        );
        none(&string, "仅对版本为1.0的通道有效");
        none(&int, "项目ID，默认为0，1个通道最多绑定5个标签");
        none(&int, "每个通道最多 10条规则，5个监听器");
        none(&string, "访问地址，如：https://cloud.tencent.com");
    }

    #[test]
    fn zh_mutual_exclusion() {
        let inputs: Vec<String> = ["ProxyId", "GroupId", "ListenerId", "InstanceIds", "Filters"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        let pair = |a: &str, b: &str| vec![a.to_owned(), b.to_owned()];
        let exactly = |own: &'static str| {
            let inputs = inputs.clone();
            move |text: &str| action_constraints(own, text, &inputs)
        };
        both_widths(
            "通道ID，ProxyId和GroupId必须设置一个，但不能同时设置。 示例值：link-bjkpdum1",
            vec![ActionConstraint::ExactlyOneOf(pair("ProxyId", "GroupId"))],
            exactly("ProxyId"),
        );
        both_widths(
            "通道组ID，该参数和ProxyId必须设置一个，但不能同时设置。",
            vec![ActionConstraint::ExactlyOneOf(pair("GroupId", "ProxyId"))],
            exactly("GroupId"),
        );
        both_widths(
            "<p>通道ID，与GroupId不能同时设置，对应为通道创建监听器</p>",
            vec![ActionConstraint::AtMostOneOf(pair("ProxyId", "GroupId"))],
            exactly("ProxyId"),
        );
        both_widths(
            "<p>通道组ID，与ProxyId之间只能设置一个。表示创建通道组的监听器。</p>",
            vec![ActionConstraint::AtMostOneOf(pair("GroupId", "ProxyId"))],
            exactly("GroupId"),
        );
        both_widths(
            "过滤条件，ProxyId/GroupId/ListenerId必须设置一个，但ProxyId和GroupId不能同时设置。",
            vec![ActionConstraint::AtMostOneOf(pair("ProxyId", "GroupId"))],
            exactly("ListenerId"),
        );
        both_widths(
            "过滤条件。ListenerId、ProxyId、GroupId须至少填写一个，且ProxyId与GroupId至多只能填写其中一个。",
            vec![ActionConstraint::AtMostOneOf(pair("ProxyId", "GroupId"))],
            exactly("ListenerId"),
        );
        both_widths(
            "按照一个或者多个实例ID查询。参数不支持同时指定InstanceIds和Filters。",
            vec![ActionConstraint::AtMostOneOf(pair(
                "InstanceIds",
                "Filters",
            ))],
            exactly("ProxyId"),
        );
        both_widths(
            "（此参数为旧参数，请填写新参数Concurrent，二者必须填写一个）通道并发量上限",
            vec![],
            exactly("ProxyId"),
        );
        both_widths(
            "过滤条件，但ProxyId与GroupId不能同时设置。",
            vec![ActionConstraint::AtMostOneOf(pair("ProxyId", "GroupId"))],
            exactly("ListenerId"),
        );
        both_widths("通道ID，与Other不能同时设置", vec![], exactly("ProxyId"));
    }
}
