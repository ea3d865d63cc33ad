//! Lenient scalar reading. The doc pages' own examples send integers as strings
//! (`"Force": "1"`), and form or query parameters arrive as text, so a reader accepts:
//!
//! - an integer: a JSON integer that fits `i64`, a whole float below 9e15 in magnitude, or a
//!   string holding an integer (surrounding whitespace allowed);
//! - a float: any JSON number, or a string holding a finite float (whitespace allowed);
//! - a boolean: `true`/`false`, the integers 0 and 1, or exactly the strings `"true"`,
//!   `"True"`, `"1"`, `"false"`, `"False"`, `"0"`.
//!
//! These are the rules of `gaap_model::de::lenient` (which decodes requests in the
//! emulator and responses in the client) and of the generator's example values; the
//! `from_*` functions are the pieces a serde visitor calls, the `as_*` ones read a
//! [`serde_json::Value`] whole.

use serde_json::Value;

/// Integers as floats are accepted only below this magnitude (exactly representable).
const MAX_WHOLE_FLOAT: f64 = 9.0e15;

/// An integer from text: `" 12 "` is 12; `"1.0"`, `"x"` and out-of-range text are not.
pub fn int_from_str(text: &str) -> Option<i64> {
    text.trim().parse().ok()
}

/// An integer from a float: whole and below 9e15 in magnitude (`3.0` is 3; `1.5` is not).
pub fn int_from_f64(value: f64) -> Option<i64> {
    (value.fract() == 0.0 && value.abs() < MAX_WHOLE_FLOAT).then_some(value as i64)
}

/// An integer from an unsigned one, when it fits `i64`.
pub fn int_from_u64(value: u64) -> Option<i64> {
    i64::try_from(value).ok()
}

/// A float from text: `" 2.5 "` is 2.5; `"NaN"`, `"inf"` and `"x"` are not.
pub fn float_from_str(text: &str) -> Option<f64> {
    text.trim().parse::<f64>().ok().filter(|f| f.is_finite())
}

/// A boolean from text: exactly `"true"`, `"True"`, `"1"` or `"false"`, `"False"`, `"0"`
/// (no trimming; `"TRUE"` and `"yes"` are not booleans).
pub fn bool_from_str(text: &str) -> Option<bool> {
    match text {
        "true" | "True" | "1" => Some(true),
        "false" | "False" | "0" => Some(false),
        _ => None,
    }
}

/// A boolean from an integer: 1 is `true`, 0 is `false`, anything else is not a boolean.
pub fn bool_from_int(value: i64) -> Option<bool> {
    match value {
        0 => Some(false),
        1 => Some(true),
        _ => None,
    }
}

/// A boolean from an unsigned integer: 1 is `true`, 0 is `false`.
pub fn bool_from_u64(value: u64) -> Option<bool> {
    match value {
        0 => Some(false),
        1 => Some(true),
        _ => None,
    }
}

/// A JSON value read as an integer (see the module's rules).
pub fn as_i64(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().and_then(int_from_f64)),
        Value::String(s) => int_from_str(s),
        _ => None,
    }
}

/// A JSON value read as a float (see the module's rules).
pub fn as_f64(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => float_from_str(s),
        _ => None,
    }
}

/// A JSON value read as a boolean (see the module's rules).
pub fn as_bool(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::String(s) => bool_from_str(s),
        Value::Number(n) => n.as_u64().and_then(bool_from_u64),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn integers() {
        assert_eq!(int_from_str("1"), Some(1));
        assert_eq!(int_from_str(" -7 "), Some(-7));
        assert_eq!(int_from_str("1.5"), None);
        assert_eq!(int_from_str("x"), None);
        assert_eq!(int_from_str("99999999999999999999"), None);
        assert_eq!(int_from_f64(3.0), Some(3));
        assert_eq!(int_from_f64(1.5), None);
        assert_eq!(int_from_f64(1.0e16), None);
        assert_eq!(int_from_u64(u64::MAX), None);
        assert_eq!(as_i64(&json!(7)), Some(7));
        assert_eq!(as_i64(&json!(7.0)), Some(7));
        assert_eq!(as_i64(&json!("90")), Some(90));
        assert_eq!(as_i64(&json!(u64::MAX)), None);
        assert_eq!(as_i64(&json!(true)), None);
    }

    #[test]
    fn floats() {
        assert_eq!(float_from_str(" 2.5"), Some(2.5));
        assert_eq!(float_from_str("NaN"), None);
        assert_eq!(float_from_str("inf"), None);
        assert_eq!(as_f64(&json!(2)), Some(2.0));
        assert_eq!(as_f64(&json!("2.5")), Some(2.5));
        assert_eq!(as_f64(&json!(null)), None);
    }

    #[test]
    fn booleans() {
        for (text, flag) in [("true", true), ("True", true), ("1", true)] {
            assert_eq!(bool_from_str(text), Some(flag));
        }
        for (text, flag) in [("false", false), ("False", false), ("0", false)] {
            assert_eq!(bool_from_str(text), Some(flag));
        }
        for text in ["yes", "TRUE", " true", ""] {
            assert_eq!(bool_from_str(text), None, "{text:?}");
        }
        assert_eq!(bool_from_int(1), Some(true));
        assert_eq!(bool_from_int(0), Some(false));
        assert_eq!(bool_from_int(2), None);
        assert_eq!(bool_from_u64(2), None);
        assert_eq!(as_bool(&json!(0)), Some(false));
        assert_eq!(as_bool(&json!(-1)), None);
        assert_eq!(as_bool(&json!("True")), Some(true));
        assert_eq!(as_bool(&json!(false)), Some(false));
    }
}
