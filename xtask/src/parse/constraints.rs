//! Prose to data: the constraints a parameter's description states (ranges, enumerated
//! values, maximum lengths, `less_than`, deprecation, idempotency tokens, nullability) and
//! the ones an action's descriptions state over several inputs (mutual exclusion), plus the
//! per-second rate limit. One small function per rule.

use std::sync::LazyLock;

use codegen::ir::{ActionConstraint, Constraints, Deprecated, EnumLiteral, EnumValue, Range, Type};
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
pattern!(IDEMPOTENT, r"(?i)idem-?\s?poten(?:cy|ce|t)");
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

/// Every constraint a parameter's description states.
pub fn extract(context: ParamContext<'_>, description: &str) -> Constraints {
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

fn number(text: &str) -> Option<serde_json::Number> {
    match text.parse::<i64>() {
        Ok(integer) => Some(integer.into()),
        Err(_) => text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64),
    }
}

fn pair(pattern: &LazyLock<Option<Regex>>, text: &str) -> Option<Range> {
    let captures = pattern.as_ref()?.captures(text)?;
    let min = number(captures.get(1)?.as_str())?;
    let max = number(captures.get(2)?.as_str())?;
    (min.as_f64()? <= max.as_f64()?).then_some(Range {
        min: Some(min),
        max: Some(max),
    })
}

fn bound(pattern: &LazyLock<Option<Regex>>, text: &str) -> Option<serde_json::Number> {
    number(pattern.as_ref()?.captures(text)?.get(1)?.as_str())
}

/// "Value range: [5, 300]", "Value range: 1 - 10", "range is 1 to 10", "between 1 and 100",
/// "Maximum value: 100", "minimum value is 1".
pub fn range(description: &str) -> Option<Range> {
    if let Some(range) = pair(&RANGE_BRACKETS, description)
        .or_else(|| pair(&RANGE_DASH, description))
        .or_else(|| pair(&BETWEEN, description))
    {
        return Some(range);
    }
    let min = bound(&MIN_VALUE, description);
    let max = bound(&MAX_VALUE, description);
    (min.is_some() || max.is_some()).then_some(Range { min, max })
}

/// "The maximum length is 64 ASCII characters", "Up to 50 characters".
pub fn max_length(description: &str) -> Option<u64> {
    [&MAX_LENGTH, &UP_TO_CHARACTERS].iter().find_map(|pattern| {
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

/// "shall be less than ... DelayLoop": the sibling parameter named in that sentence.
pub fn less_than(description: &str, own_name: &str, siblings: &[String]) -> Option<String> {
    let clause = LESS_THAN.as_ref()?.captures(description)?.get(1)?.as_str();
    IDENTIFIER
        .as_ref()?
        .find_iter(clause)
        .map(|m| m.as_str())
        .filter(|word| *word != own_name && siblings.iter().any(|s| s == word))
        .last()
        .map(str::to_owned)
}

/// "It's an old parameter, please switch to ProxyIds", "deprecated; use X instead".
pub fn deprecated(description: &str) -> Option<Deprecated> {
    let replacement = [&DEPRECATED_FOR, &DEPRECATED_USE_INSTEAD]
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
    DEPRECATED
        .as_ref()?
        .is_match(description)
        .then_some(Deprecated { use_instead: None })
}

/// The description speaks of the request's idempotency (e.g. `ClientToken`).
pub fn idempotency_token(description: &str) -> bool {
    IDEMPOTENT
        .as_ref()
        .is_some_and(|re| re.is_match(description))
}

/// "Note: This field may return null".
pub fn nullable(description: &str) -> bool {
    NULLABLE.as_ref().is_some_and(|re| re.is_match(description))
}

/// "A maximum of 20 requests can be initiated per second".
pub fn rate_limit(text: &str) -> Option<u32> {
    RATE_LIMIT
        .as_ref()?
        .captures(text)?
        .get(1)?
        .as_str()
        .parse()
        .ok()
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
            values.push(EnumValue { value, description });
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
        });
    }
    (values.len() >= 2).then_some(values)
}

/// "Value range: [100, 200, 300, 400, 500]": three or more numbers in brackets are the
/// allowed values (two are a range).
pub fn bracketed_values(description: &str, ty: &Type) -> Option<Vec<EnumValue>> {
    let list = BRACKETED_LIST
        .as_ref()?
        .captures(description)?
        .get(1)?
        .as_str();
    let values: Vec<EnumValue> = list
        .split(',')
        .map(|item| {
            literal(item.trim(), ty).map(|value| EnumValue {
                value,
                description: String::new(),
            })
        })
        .collect::<Option<_>>()?;
    distinct(&values).then_some(values)
}

/// The enumerated values a description lists, in any of its spellings.
pub fn enum_values(description: &str, ty: &Type) -> Option<Vec<EnumValue>> {
    parenthesized_values(description, ty)
        .or_else(|| bracketed_values(description, ty))
        .or_else(|| colon_values(description, ty))
}

/// Resolves a name written in a description: "this parameter" is the row's own name.
fn resolve(name: &str, own_name: &str) -> String {
    if name.eq_ignore_ascii_case("this parameter") {
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
    let mut found = Vec::new();
    let members = |first: &str, second: &str| -> Option<Vec<String>> {
        let first = resolve(first, own_name);
        let second = resolve(second, own_name);
        (first != second && inputs.contains(&first) && inputs.contains(&second))
            .then(|| vec![first, second])
    };
    if let Some(re) = EXACTLY_ONE.as_ref() {
        for captures in re.captures_iter(description) {
            if let (Some(a), Some(b)) = (captures.get(1), captures.get(2))
                && let Some(names) = members(a.as_str(), b.as_str())
            {
                found.push(ActionConstraint::ExactlyOneOf(names));
            }
        }
    }
    if let Some(re) = SET_TOGETHER_WITH.as_ref() {
        for captures in re.captures_iter(description) {
            if let Some(other) = captures.get(1)
                && let Some(names) = members(own_name, other.as_str())
            {
                found.push(ActionConstraint::AtMostOneOf(names));
            }
        }
    }
    for pattern in [&PAIR_NOT_AT_SAME_TIME, &NOT_SPECIFY_PAIR, &ONLY_ONE_OF] {
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
}
