//! Client-side validation: the rules the doc pages state, checked before any network call.
//!
//! Generated code calls the small `check_*` helpers below; each failed rule becomes one
//! [`Violation`] naming the field path (e.g. `RealServerBindSet[0].RealServerPort`) and the
//! rule. `validate()` collects every violation instead of stopping at the first.

use std::fmt;

/// The documented rules and range bounds: the IR's own types (`gaap_ir`), so a rule reads
/// the same in the IR, in the generated checks and in a [`Violation`].
pub use gaap_ir::{Bound, Rule};

/// One broken rule: which field, which rule, and what was found.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// Wire path of the field, e.g. `ConnectTimeout` or `RealServerBindSet[0].RealServerPort`.
    pub field: String,
    /// The rule.
    pub rule: Rule,
    /// What was found, when it helps (e.g. `got 400`).
    pub detail: Option<String>,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.rule {
            // Rules over several fields name them all; the field adds nothing.
            Rule::ExactlyOneOf(_) | Rule::AtMostOneOf(_) => {
                let (prefix, _) = self.field.rsplit_once('.').unwrap_or(("", ""));
                if prefix.is_empty() {
                    write!(f, "{}", self.rule)?;
                } else {
                    write!(f, "in `{prefix}`: {}", self.rule)?;
                }
            }
            _ => write!(f, "`{}` {}", self.field, self.rule)?,
        }
        if let Some(d) = &self.detail {
            write!(f, " ({d})")?;
        }
        Ok(())
    }
}

/// Every rule a request broke.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("invalid request: {}", join(.violations))]
pub struct ValidationError {
    /// The violations, in field order.
    pub violations: Vec<Violation>,
}

fn join(v: &[Violation]) -> String {
    v.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

impl ValidationError {
    /// The violations that concern `field` (its wire path).
    pub fn for_field<'a>(&'a self, field: &'a str) -> impl Iterator<Item = &'a Violation> + 'a {
        self.violations.iter().filter(move |v| v.field == field)
    }
}

/// Implemented by every generated request, struct and builder.
pub trait Validate {
    /// Push every violation into `out`; field paths are prefixed with `prefix`
    /// (empty at the top, `Parent[0].` for nested values).
    fn validate_into(&self, prefix: &str, out: &mut Vec<Violation>);

    /// All violations, or `Ok(())`.
    fn validate(&self) -> Result<(), ValidationError> {
        let mut violations = Vec::new();
        self.validate_into("", &mut violations);
        if violations.is_empty() {
            Ok(())
        } else {
            Err(ValidationError { violations })
        }
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate_into(&self, prefix: &str, out: &mut Vec<Violation>) {
        if let Some(v) = self {
            v.validate_into(prefix, out);
        }
    }
}

/// Validate each element of a list of structs under `prefix{name}[i].`.
pub fn check_each<T: Validate>(out: &mut Vec<Violation>, prefix: &str, name: &str, items: &[T]) {
    for (i, item) in items.iter().enumerate() {
        item.validate_into(&format!("{prefix}{name}[{i}]."), out);
    }
}

/// Validate a nested struct under `prefix{name}.`.
pub fn check_nested<T: Validate>(out: &mut Vec<Violation>, prefix: &str, name: &str, item: &T) {
    item.validate_into(&format!("{prefix}{name}."), out);
}

fn push(out: &mut Vec<Violation>, prefix: &str, name: &str, rule: Rule, detail: Option<String>) {
    out.push(Violation {
        field: format!("{prefix}{name}"),
        rule,
        detail,
    });
}

/// A required field that is missing (used by builders).
pub fn check_required<T>(out: &mut Vec<Violation>, prefix: &str, name: &str, value: &Option<T>) {
    if value.is_none() {
        push(out, prefix, name, Rule::Required, None);
    }
}

/// An integer inside its inclusive range.
pub fn check_range_i64(
    out: &mut Vec<Violation>,
    prefix: &str,
    name: &str,
    value: i64,
    min: Option<Bound>,
    max: Option<Bound>,
) {
    if min.is_some_and(|m| !m.admits_as_min(value)) || max.is_some_and(|m| !m.admits_as_max(value))
    {
        push(
            out,
            prefix,
            name,
            Rule::Range { min, max },
            Some(format!("got {value}")),
        );
    }
}

/// A float inside its inclusive range.
pub fn check_range_f64(
    out: &mut Vec<Violation>,
    prefix: &str,
    name: &str,
    value: f64,
    min: Option<Bound>,
    max: Option<Bound>,
) {
    if min.is_some_and(|m| value < m.as_f64())
        || max.is_some_and(|m| value > m.as_f64())
        || value.is_nan()
    {
        push(
            out,
            prefix,
            name,
            Rule::Range { min, max },
            Some(format!("got {value}")),
        );
    }
}

/// A string no longer than `max` characters.
pub fn check_max_length(out: &mut Vec<Violation>, prefix: &str, name: &str, value: &str, max: u64) {
    let len = value.chars().count();
    if u64::try_from(len).unwrap_or(u64::MAX) > max {
        push(
            out,
            prefix,
            name,
            Rule::MaxLength(max),
            Some(format!("got {len} characters")),
        );
    }
}

/// A value that must be one of the documented ones; `known` is false for `Unknown(..)`.
pub fn check_enum(
    out: &mut Vec<Violation>,
    prefix: &str,
    name: &str,
    known: bool,
    value: &dyn fmt::Display,
    allowed: &[&str],
) {
    if !known {
        let rule = Rule::Enum {
            allowed: allowed.iter().map(|s| (*s).to_owned()).collect(),
        };
        push(out, prefix, name, rule, Some(format!("got {value}")));
    }
}

/// `value < other` when both are set.
pub fn check_less_than<T: PartialOrd + fmt::Display>(
    out: &mut Vec<Violation>,
    prefix: &str,
    name: &str,
    value: Option<T>,
    other_name: &str,
    other: Option<T>,
) {
    if let (Some(a), Some(b)) = (value, other)
        && a >= b
    {
        let detail = format!("got {a}, `{other_name}` is {b}");
        push(
            out,
            prefix,
            name,
            Rule::LessThan(other_name.to_owned()),
            Some(detail),
        );
    }
}

fn names(fields: &[(&str, bool)]) -> Vec<String> {
    fields.iter().map(|(n, _)| (*n).to_owned()).collect()
}

/// Exactly one of `fields` (name, is set) is set. Reported on the first field's name.
pub fn check_exactly_one_of(out: &mut Vec<Violation>, prefix: &str, fields: &[(&str, bool)]) {
    let set = fields.iter().filter(|(_, s)| *s).count();
    if set != 1 {
        let first = fields.first().map(|(n, _)| *n).unwrap_or_default();
        let detail = if set == 0 {
            "none is set".to_owned()
        } else {
            format!("{set} are set")
        };
        push(
            out,
            prefix,
            first,
            Rule::ExactlyOneOf(names(fields)),
            Some(detail),
        );
    }
}

/// At most one of `fields` (name, is set) is set. Reported on the first field's name.
pub fn check_at_most_one_of(out: &mut Vec<Violation>, prefix: &str, fields: &[(&str, bool)]) {
    let set = fields.iter().filter(|(_, s)| *s).count();
    if set > 1 {
        let first = fields.first().map(|(n, _)| *n).unwrap_or_default();
        push(
            out,
            prefix,
            first,
            Rule::AtMostOneOf(names(fields)),
            Some(format!("{set} are set")),
        );
    }
}

/// When `name` is set, `other` must be set.
pub fn check_requires(
    out: &mut Vec<Violation>,
    prefix: &str,
    name: &str,
    is_set: bool,
    other: &str,
    other_set: bool,
) {
    if is_set && !other_set {
        push(out, prefix, name, Rule::Requires(other.to_owned()), None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_field_and_rule() {
        let mut out = Vec::new();
        check_range_i64(
            &mut out,
            "",
            "DelayLoop",
            400,
            Some(5.into()),
            Some(300.into()),
        );
        check_less_than(
            &mut out,
            "",
            "ConnectTimeout",
            Some(20),
            "DelayLoop",
            Some(10),
        );
        check_exactly_one_of(&mut out, "", &[("ProxyId", true), ("GroupId", true)]);
        check_max_length(&mut out, "X[0].", "ClientToken", &"a".repeat(65), 64);
        let e = ValidationError { violations: out };
        let s = e.to_string();
        assert!(
            s.contains("`DelayLoop` must be in range [5, 300] (got 400)"),
            "{s}"
        );
        assert!(
            s.contains("`ConnectTimeout` must be less than `DelayLoop`"),
            "{s}"
        );
        assert!(
            s.contains("; exactly one of `ProxyId`, `GroupId` must be set"),
            "the rule alone, not `ProxyId` before it: {s}"
        );
        assert!(s.contains("`X[0].ClientToken` must be at most 64"), "{s}");
        assert_eq!(e.for_field("DelayLoop").count(), 1);
    }

    #[test]
    fn in_range_values_pass() {
        let mut out = Vec::new();
        check_range_i64(
            &mut out,
            "",
            "DelayLoop",
            5,
            Some(5.into()),
            Some(300.into()),
        );
        check_range_i64(
            &mut out,
            "",
            "DelayLoop",
            300,
            Some(5.into()),
            Some(300.into()),
        );
        check_less_than(
            &mut out,
            "",
            "ConnectTimeout",
            Some(2),
            "DelayLoop",
            Some(5),
        );
        check_exactly_one_of(&mut out, "", &[("ProxyId", false), ("GroupId", true)]);
        check_at_most_one_of(&mut out, "", &[("A", false), ("B", false)]);
        assert!(out.is_empty(), "{out:?}");
    }
}
