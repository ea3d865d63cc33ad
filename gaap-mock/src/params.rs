//! Request parameters as one JSON object, whatever the request style: a JSON body as sent,
//! or `GET` query / form body parameters folded into JSON (`Filters.0.Values.0=x` becomes
//! `{"Filters": [{"Values": ["x"]}]}`) with string scalars, which the model's checker coerces.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::envelope::ApiError;

/// Parse a JSON body into the parameter object. An empty body counts as `{}`.
pub fn from_json(body: &[u8]) -> Result<Value, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(Map::new()));
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(value @ Value::Object(_)) => Ok(value),
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

/// Fold `application/x-www-form-urlencoded` text (a query string or a form body) into JSON,
/// skipping the keys in `skip` (common parameters).
pub fn from_form(text: &[u8], skip: &[&str]) -> Result<Value, ApiError> {
    let mut root = Node::default();
    for (key, value) in form_urlencoded::parse(text) {
        if skip.iter().any(|s| *s == key) {
            continue;
        }
        let segments: Vec<&str> = key.split('.').collect();
        if segments.iter().any(|s| s.is_empty()) {
            return Err(ApiError::new(
                "InvalidParameter",
                format!("Parameter `{key}` is malformed."),
            ));
        }
        root.insert(&segments, value.into_owned()).map_err(|()| {
            ApiError::new(
                "InvalidParameter",
                format!("Parameter `{key}` conflicts with another parameter."),
            )
        })?;
    }
    Ok(root.into_value())
}

/// A tree of flattened keys before it becomes JSON.
#[derive(Debug, Default)]
struct Node {
    leaf: Option<String>,
    children: BTreeMap<String, Node>,
}

impl Node {
    fn insert(&mut self, path: &[&str], value: String) -> Result<(), ()> {
        match path.split_first() {
            None if self.leaf.is_none() && self.children.is_empty() => {
                self.leaf = Some(value);
                Ok(())
            }
            None => Err(()),
            Some(_) if self.leaf.is_some() => Err(()),
            Some((head, rest)) => self
                .children
                .entry((*head).to_owned())
                .or_default()
                .insert(rest, value),
        }
    }

    fn into_value(self) -> Value {
        if let Some(leaf) = self.leaf {
            return Value::String(leaf);
        }
        let all_indices = !self.children.is_empty()
            && self
                .children
                .keys()
                .all(|k| k.bytes().all(|b| b.is_ascii_digit()));
        if all_indices {
            let mut items: Vec<(u64, Node)> = self
                .children
                .into_iter()
                .map(|(k, v)| (k.parse().unwrap_or(u64::MAX), v))
                .collect();
            items.sort_by_key(|(index, _)| *index);
            Value::Array(items.into_iter().map(|(_, v)| v.into_value()).collect())
        } else {
            Value::Object(
                self.children
                    .into_iter()
                    .map(|(k, v)| (k, v.into_value()))
                    .collect(),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
}
