//! Request parameters as one JSON object, whatever the request style: a JSON body as sent,
//! or `GET` query / form body parameters folded into JSON (`Filters.0.Values.0=x` becomes
//! `{"Filters": [{"Values": ["x"]}]}`) with string scalars, which the model's checker coerces.
//!
//! Folding is [`gaap_wire::fold`] (shared with the doc-page parser): iterative and capped,
//! a key has at most [`MAX_KEY_DEPTH`](fold::MAX_KEY_DEPTH) dot-separated segments, a
//! request at most [`MAX_PARAMS`](fold::MAX_PARAMS) parameters, and a list at most
//! [`MAX_ARRAY_LEN`] elements (form indices below it, JSON arrays no longer). This module
//! decodes the form text, caps JSON bodies the same way, and turns a refusal into the
//! service error.

use gaap_wire::fold::{self, FoldError, Limits, MAX_ARRAY_LEN};
use serde_json::{Map, Value};

use crate::envelope::ApiError;

/// Parse a JSON body into the parameter object. An empty body counts as `{}`.
pub fn from_json(body: &[u8]) -> Result<Value, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(Map::new()));
    }
    // serde_json refuses nesting deeper than 128 levels without recursing further.
    match serde_json::from_slice::<Value>(body) {
        Ok(value @ Value::Object(_)) => {
            check_array_lengths(&value)?;
            Ok(value)
        }
        Ok(_) => Err(ApiError::new(
            "InvalidParameter",
            "The request body must be a JSON object.",
        )),
        Err(e) => Err(ApiError::new(
            "InvalidParameter",
            format!("The request body is not valid JSON: {e}."),
        )),
    }
}

/// Refuse any array longer than [`MAX_ARRAY_LEN`], walking the value without recursion.
fn check_array_lengths(value: &Value) -> Result<(), ApiError> {
    let mut pending = vec![value];
    while let Some(value) = pending.pop() {
        match value {
            Value::Array(items) if items.len() > MAX_ARRAY_LEN => {
                return Err(too_many_elements(items.len()));
            }
            Value::Array(items) => pending.extend(items),
            Value::Object(members) => pending.extend(members.values()),
            _ => {}
        }
    }
    Ok(())
}

fn too_many_elements(len: usize) -> ApiError {
    api_error(FoldError::ListTooLong {
        len,
        max: MAX_ARRAY_LEN,
    })
}

/// The service error for parameters that do not fold: `InvalidParameterValue` for a list
/// too long, `InvalidParameter` otherwise.
fn api_error(error: FoldError) -> ApiError {
    let code = match error {
        FoldError::ListTooLong { .. } => "InvalidParameterValue",
        _ => "InvalidParameter",
    };
    ApiError::new(code, error.to_string())
}

/// Fold `application/x-www-form-urlencoded` text (a query string or a form body) into JSON,
/// skipping the keys in `skip` (common parameters).
pub fn from_form(text: &[u8], skip: &[&str]) -> Result<Value, ApiError> {
    fold::fold(
        form_urlencoded::parse(text),
        |key| skip.contains(&key),
        &Limits::DEFAULT,
    )
    .map_err(api_error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use gaap_wire::fold::{MAX_KEY_DEPTH, MAX_PARAMS};
    use serde_json::json;

    #[test]
    fn folds_lists_and_structs_in_index_order() {
        let value = from_form(
            b"Offset=0&Limit=1&Filters.0.Name=AccessRegion&Filters.0.Values.0=ap-hongkong\
              &Ids.10=k&Ids.2=c&Action=X&Name=a%20b+c",
            &["Action"],
        )
        .unwrap();
        assert_eq!(
            value,
            json!({"Offset": "0", "Limit": "1", "Name": "a b c",
                   "Filters": [{"Name": "AccessRegion", "Values": ["ap-hongkong"]}],
                   "Ids": ["c", "k"]})
        );
    }

    #[test]
    fn rejects_conflicts_and_bad_json() {
        assert_eq!(
            from_form(b"A=1&A.0=2", &[]).unwrap_err().code,
            "InvalidParameter"
        );
        assert_eq!(
            from_form(b"A..0=2", &[]).unwrap_err().code,
            "InvalidParameter"
        );
        assert_eq!(from_json(b"{").unwrap_err().code, "InvalidParameter");
        assert_eq!(from_json(b"[1]").unwrap_err().code, "InvalidParameter");
        assert_eq!(from_json(b"").unwrap(), json!({}));
        assert_eq!(from_json(br#"{"A": 1}"#).unwrap(), json!({"A": 1}));
    }

    #[test]
    fn caps_depth_parameter_count_and_list_length_without_recursing() {
        // A key nested 100,000 deep is refused (it overflowed the stack when folded recursively).
        let deep = format!("Filters{}=x", ".0".repeat(100_000));
        let err = from_form(deep.as_bytes(), &[]).unwrap_err();
        assert_eq!(err.code, "InvalidParameter");
        assert!(err.message.len() < 200, "the key is not echoed whole");
        let at_cap = format!("A{}=x", ".B".repeat(MAX_KEY_DEPTH - 1));
        assert!(from_form(at_cap.as_bytes(), &[]).is_ok());
        let over = format!("A{}=x", ".B".repeat(MAX_KEY_DEPTH));
        assert!(from_form(over.as_bytes(), &[]).is_err());

        let last = format!("Ids.{}=x", MAX_ARRAY_LEN - 1);
        assert_eq!(
            from_form(last.as_bytes(), &[]).unwrap(),
            json!({"Ids": ["x"]})
        );
        let beyond = format!("Ids.{}=x", MAX_ARRAY_LEN);
        assert_eq!(
            from_form(beyond.as_bytes(), &[]).unwrap_err().code,
            "InvalidParameterValue"
        );
        let huge = "Ids.99999999999999999999999=x";
        assert!(from_form(huge.as_bytes(), &[]).is_err());

        let many: Vec<String> = (0..=MAX_PARAMS).map(|i| format!("K{i}=v")).collect();
        assert!(from_form(many.join("&").as_bytes(), &[]).is_err());
        let ok: Vec<String> = (0..MAX_PARAMS).map(|i| format!("K{i}=v")).collect();
        assert!(from_form(ok.join("&").as_bytes(), &[]).is_ok());

        let long = format!("{{\"Ports\": [{}1]}}", "1,".repeat(MAX_ARRAY_LEN));
        assert_eq!(
            from_json(long.as_bytes()).unwrap_err().code,
            "InvalidParameterValue"
        );
        let nested = format!("{{\"A\": [{{\"B\": [{}1]}}]}}", "1,".repeat(MAX_ARRAY_LEN));
        assert!(
            from_json(nested.as_bytes()).is_err(),
            "nested lists are capped too"
        );
        let fits = format!("{{\"Ports\": [{}1]}}", "1,".repeat(MAX_ARRAY_LEN - 1));
        assert!(from_json(fits.as_bytes()).is_ok());
    }
}
