//! The intermediate representation (IR): one JSON document describing the whole API.
//!
//! `xtask` writes it (from doc pages) to `api-specs/gaap.json`; `codegen` turns it into Rust and
//! the emulator (`gaap-mock`) reads it, all through these types. This crate depends on serde
//! only, so every reader gets the same typed view without pulling in the generator.
//! Field names and shapes are a contract read by tools outside this project (see
//! `design.md`, "The IR contract"): add fields freely, never rename or reshape them.
//! Every list is kept sorted by name so the document, and everything generated from it,
//! is deterministic.

use serde::{Deserialize, Serialize};

/// The whole API: every action, every shared struct and the service-wide error codes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ir {
    /// Service name used in the credential scope and host, e.g. `gaap`.
    pub service: String,
    /// API version sent as `X-TC-Version`, e.g. `2018-05-29`.
    pub version: String,
    /// Default endpoint host, e.g. `gaap.tencentcloudapi.com`.
    pub domain: String,
    /// Every action, sorted by name.
    pub actions: Vec<Action>,
    /// Every struct of the Data Types page, sorted by name.
    pub structs: Vec<Struct>,
    /// The error codes every action can return (the Common Error Codes page), sorted by code.
    pub common_errors: Vec<ErrorCode>,
}

/// One API action (one doc page).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Action {
    /// Wire name, e.g. `CreateTCPListeners`.
    pub name: String,
    /// The page's API description (full text, line breaks kept): the English text when an
    /// English page documents the action, else the Chinese text.
    pub description: String,
    /// The Chinese (mainland site) description, when a Chinese page documents the action.
    /// Equal to `description` when only the Chinese page does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description_zh: Option<String>,
    /// "A maximum of N requests can be initiated per second", when the page says so.
    pub rate_limit_per_second: Option<u32>,
    /// Input parameters, in page order, without the common `Action`/`Version`/`Region`.
    pub input: Vec<Param>,
    /// Output parameters, in page order, without `RequestId`.
    pub output: Vec<Param>,
    /// The page's error table, sorted by code.
    pub errors: Vec<ErrorCode>,
    /// The page's examples, in page order.
    pub examples: Vec<Example>,
    /// Constraints that tie several inputs together.
    #[serde(default)]
    pub constraints: Vec<ActionConstraint>,
    /// File name of the page this action came from (no directory).
    pub source: String,
}

/// One parameter of an action, or one field of a struct.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Param {
    /// Wire name, without the `.N` suffix of list inputs.
    pub name: String,
    /// Whether the caller must send it (inputs and struct fields with a `Required` column).
    pub required: bool,
    /// The page says the field may return null.
    pub nullable: bool,
    /// The value's type.
    #[serde(rename = "type")]
    pub ty: Type,
    /// Full description text, line breaks kept (English when an English page documents the
    /// parameter, else Chinese), without the page's example value.
    pub description: String,
    /// The Chinese description, when a Chinese page documents the parameter (equal to
    /// `description` when only the Chinese page does).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description_zh: Option<String>,
    /// The example value the page gives (`示例值：X` on the mainland site), verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
    /// Constraints read from the description.
    #[serde(default)]
    pub constraints: Constraints,
}

/// A parameter's type.
///
/// Serialized as `"string"`, `"integer"`, `"boolean"`, `"float"`, `"timestamp"`,
/// `{"struct": NAME}` or `{"array": TYPE}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Type {
    /// `String`.
    String,
    /// `Integer` (64-bit on the wire).
    Integer,
    /// `Boolean`.
    Boolean,
    /// `Float`.
    Float,
    /// `Timestamp` or `Timestamp ISO8601`: text kept verbatim.
    Timestamp,
    /// A struct of the Data Types page.
    Struct(String),
    /// `Array of X`.
    Array(Box<Type>),
}

/// Constraints on one parameter, read from its description. Every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Constraints {
    /// Inclusive numeric range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<Range>,
    /// The documented values, with their meanings.
    #[serde(default, rename = "enum", skip_serializing_if = "Option::is_none")]
    pub enum_values: Option<Vec<EnumValue>>,
    /// Maximum length in characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u64>,
    /// Name of another parameter of the same action this one must be less than.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub less_than: Option<String>,
    /// The parameter is deprecated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<Deprecated>,
    /// The parameter is an idempotency token (e.g. `ClientToken`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub idempotency_token: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Constraints {
    /// True when no constraint is set.
    pub fn is_empty(&self) -> bool {
        self == &Constraints::default()
    }
}

/// An inclusive range; either bound may be absent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Range {
    /// Smallest allowed value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<Bound>,
    /// Largest allowed value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<Bound>,
}

/// A bound of a [`Range`], as the page writes it: an integer or a decimal. The same type
/// travels from the IR (a JSON number) through the generated checks to the runtime's
/// [`Rule::Range`], so a bound is never converted on the way.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Bound {
    /// An integer bound, e.g. `300`.
    Integer(i64),
    /// A decimal bound, e.g. `0.5`.
    Float(f64),
}

impl Bound {
    /// As a minimum: whether the integer `value` is at least this bound.
    pub fn admits_as_min(self, value: i64) -> bool {
        match self {
            Bound::Integer(b) => b <= value,
            Bound::Float(b) => b <= value as f64,
        }
    }

    /// As a maximum: whether the integer `value` is at most this bound.
    pub fn admits_as_max(self, value: i64) -> bool {
        match self {
            Bound::Integer(b) => b >= value,
            Bound::Float(b) => b >= value as f64,
        }
    }

    /// The bound as a float (exact for integers up to 2^53).
    pub fn as_f64(self) -> f64 {
        match self {
            Bound::Integer(b) => b as f64,
            Bound::Float(b) => b,
        }
    }
}

impl From<i64> for Bound {
    fn from(value: i64) -> Self {
        Bound::Integer(value)
    }
}

impl std::fmt::Display for Bound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Bound::Integer(b) => write!(f, "{b}"),
            Bound::Float(b) => write!(f, "{b}"),
        }
    }
}

/// A documented rule: the one vocabulary shared by the IR ([`Constraints::rules`],
/// [`ActionConstraint::rule`]), codegen (which emits one check per rule) and the runtime
/// validator (`gaap_model::validation::Rule` is this type: each violation names the rule
/// it broke).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Rule {
    /// A required field is missing.
    Required,
    /// A number is outside its inclusive range.
    Range {
        /// Smallest allowed value.
        min: Option<Bound>,
        /// Largest allowed value.
        max: Option<Bound>,
    },
    /// A value is not one of the documented values.
    Enum {
        /// The documented wire values, as text.
        allowed: Vec<String>,
    },
    /// A string is longer than allowed (in characters).
    MaxLength(u64),
    /// This field must be less than the named field.
    LessThan(String),
    /// Exactly one of these fields must be set.
    ExactlyOneOf(Vec<String>),
    /// At most one of these fields may be set.
    AtMostOneOf(Vec<String>),
    /// When this field is set, the named field must be set too.
    Requires(String),
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Rule::Required => f.write_str("is required"),
            Rule::Range { min, max } => match (min, max) {
                (Some(a), Some(b)) => write!(f, "must be in range [{a}, {b}]"),
                (Some(a), None) => write!(f, "must be at least {a}"),
                (None, Some(b)) => write!(f, "must be at most {b}"),
                (None, None) => f.write_str("must be in range"),
            },
            Rule::Enum { allowed } => write!(f, "must be one of: {}", allowed.join(", ")),
            Rule::MaxLength(n) => write!(f, "must be at most {n} characters long"),
            Rule::LessThan(other) => write!(f, "must be less than `{other}`"),
            Rule::ExactlyOneOf(names) => {
                write!(f, "exactly one of `{}` must be set", names.join("`, `"))
            }
            Rule::AtMostOneOf(names) => {
                write!(f, "at most one of `{}` may be set", names.join("`, `"))
            }
            Rule::Requires(other) => write!(f, "requires `{other}` to be set"),
        }
    }
}

impl EnumLiteral {
    /// The wire value as text (`rr`, `1`).
    pub fn wire(&self) -> String {
        match self {
            EnumLiteral::Integer(i) => i.to_string(),
            EnumLiteral::String(s) => s.clone(),
        }
    }
}

impl Constraints {
    /// The rules a value of this parameter must keep, in the order they are checked:
    /// documented values, range, maximum length, less-than.
    pub fn rules(&self) -> Vec<Rule> {
        let mut rules = Vec::new();
        if let Some(values) = &self.enum_values {
            rules.push(Rule::Enum {
                allowed: values.iter().map(|v| v.value.wire()).collect(),
            });
        }
        if let Some(r) = &self.range {
            rules.push(Rule::Range {
                min: r.min,
                max: r.max,
            });
        }
        if let Some(n) = self.max_length {
            rules.push(Rule::MaxLength(n));
        }
        if let Some(other) = &self.less_than {
            rules.push(Rule::LessThan(other.clone()));
        }
        rules
    }
}

impl ActionConstraint {
    /// The rule, and the field it is reported on: `Requires([A, B])` is `Requires(B)` on
    /// `A`; the others are reported on their first field.
    pub fn rule(&self) -> Option<(&str, Rule)> {
        match self {
            ActionConstraint::ExactlyOneOf(names) => {
                Some((names.first()?, Rule::ExactlyOneOf(names.clone())))
            }
            ActionConstraint::AtMostOneOf(names) => {
                Some((names.first()?, Rule::AtMostOneOf(names.clone())))
            }
            ActionConstraint::Requires(names) => match names.as_slice() {
                [a, b, ..] => Some((a, Rule::Requires(b.clone()))),
                _ => None,
            },
        }
    }
}

/// One documented value of an enumerated parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnumValue {
    /// The wire value: a JSON string or integer.
    pub value: EnumLiteral,
    /// Its documented meaning (may be empty).
    pub description: String,
    /// Its meaning on the mainland site's (Chinese) page, when that page documents it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description_zh: Option<String>,
}

/// A wire value of an enumerated parameter.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum EnumLiteral {
    /// An integer value, e.g. `1`.
    Integer(i64),
    /// A string value, e.g. `"rr"`.
    String(String),
}

/// A deprecated parameter and its replacement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Deprecated {
    /// The parameter to use instead, when the page names one.
    pub use_instead: Option<String>,
}

/// A constraint over several inputs of one action.
///
/// Serialized as `{"exactly_one_of": [A, B]}`, `{"at_most_one_of": [...]}` or
/// `{"requires": [A, B]}` (A needs B).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionConstraint {
    /// Exactly one of these inputs must be set.
    ExactlyOneOf(Vec<String>),
    /// At most one of these inputs may be set.
    AtMostOneOf(Vec<String>),
    /// `[A, B]`: when A is set, B must be set too.
    Requires(Vec<String>),
}

/// A documented error code.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ErrorCode {
    /// The code, e.g. `FailedOperation.DuplicatedRequest`.
    pub code: String,
    /// Its description (English when an English page lists the code, else Chinese).
    pub description: String,
    /// The Chinese description, when a Chinese page lists the code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description_zh: Option<String>,
}

/// One example of a page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Example {
    /// The example's title, e.g. `Example1 Deleting listeners`.
    pub title: String,
    /// The request parameters as a JSON object (query-string examples folded into JSON).
    pub request: serde_json::Value,
    /// The object inside `Response` of the output example.
    pub response: serde_json::Value,
}

/// One struct of the Data Types page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Struct {
    /// Name, e.g. `RealServerBindSetReq`.
    pub name: String,
    /// Description (English when an English page documents the struct, else Chinese).
    pub description: String,
    /// The Chinese description, when a Chinese Data Types page documents the struct.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description_zh: Option<String>,
    /// Actions that use it, as the page lists them.
    pub used_by: Vec<String>,
    /// Fields, in page order.
    pub fields: Vec<Param>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Integer bounds compare as integers: above 2^53 a float would call these equal.
    #[test]
    fn integer_bounds_compare_exactly() {
        let big = 9_007_199_254_740_993_i64;
        assert!(!Bound::Integer(big).admits_as_min(big - 1));
        assert!(Bound::Integer(big).admits_as_min(big));
        assert!(!Bound::Integer(big - 1).admits_as_max(big));
        assert!(Bound::Float(0.5).admits_as_min(1) && !Bound::Float(0.5).admits_as_max(1));
        assert_eq!(
            Rule::Range {
                min: Some(Bound::Integer(5)),
                max: Some(Bound::Float(7.5))
            }
            .to_string(),
            "must be in range [5, 7.5]"
        );
    }

    #[test]
    fn types_serialize_as_the_contract_says() {
        let t = Type::Array(Box::new(Type::Struct("RealServer".into())));
        assert_eq!(
            serde_json::to_string(&t).unwrap_or_default(),
            r#"{"array":{"struct":"RealServer"}}"#
        );
        assert_eq!(
            serde_json::to_string(&Type::Timestamp).unwrap_or_default(),
            r#""timestamp""#
        );
        let c = ActionConstraint::ExactlyOneOf(vec!["ProxyId".into(), "GroupId".into()]);
        assert_eq!(
            serde_json::to_string(&c).unwrap_or_default(),
            r#"{"exactly_one_of":["ProxyId","GroupId"]}"#
        );
        let r: Range =
            serde_json::from_str(r#"{"min":5,"max":0.5}"#).unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(
            (r.min, r.max),
            (Some(Bound::Integer(5)), Some(Bound::Float(0.5)))
        );
        assert_eq!(
            serde_json::to_string(&r).unwrap_or_default(),
            r#"{"min":5,"max":0.5}"#
        );
        let v: EnumValue = serde_json::from_str(r#"{"value":1,"description":"enabled"}"#)
            .unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(v.value, EnumLiteral::Integer(1));
    }
}
