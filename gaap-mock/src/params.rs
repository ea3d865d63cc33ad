//! Request parameters as one JSON object, whatever the request style: a JSON body as sent,
//! or `GET` query / form body parameters folded into JSON (`Filters.0.Values.0=x` becomes
//! `{"Filters": [{"Values": ["x"]}]}`) with string scalars, which the model's checker coerces.
//!
//! Folding is iterative (no recursion whose depth the peer controls) and capped: a key has at
//! most [`MAX_KEY_DEPTH`] dot-separated segments, a request at most [`MAX_PARAMS`] parameters,
//! and a list at most [`MAX_ARRAY_LEN`] elements (form indices below it, JSON arrays no longer).

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::envelope::ApiError;

/// Most dot-separated segments in one flattened key (`Filters.0.Values.0` has 4; no GAAP
/// parameter needs more than 6).
pub const MAX_KEY_DEPTH: usize = 16;
/// Most parameters in one query string or form body.
pub const MAX_PARAMS: usize = 10_000;
/// Most elements in one list parameter (form indices must be below it).
pub const MAX_ARRAY_LEN: usize = 1_000;

/// At most this many characters of a peer-supplied key are quoted back in a message.
const QUOTED_KEY_CHARS: usize = 64;

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
    ApiError::new(
        "InvalidParameterValue",
        format!("A list parameter has {len} elements; at most {MAX_ARRAY_LEN} are accepted."),
    )
}

/// `key`, shortened for quoting in an error message.
fn quoted(key: &str) -> String {
    match key.char_indices().nth(QUOTED_KEY_CHARS) {
        Some((end, _)) => format!("{}...", &key[..end]),
        None => key.to_owned(),
    }
}

/// Fold `application/x-www-form-urlencoded` text (a query string or a form body) into JSON,
/// skipping the keys in `skip` (common parameters).
pub fn from_form(text: &[u8], skip: &[&str]) -> Result<Value, ApiError> {
    let mut tree = Tree::default();
    let mut count = 0usize;
    for (key, value) in form_urlencoded::parse(text) {
        if skip.iter().any(|s| *s == key) {
            continue;
        }
        count += 1;
        if count > MAX_PARAMS {
            return Err(ApiError::new(
                "InvalidParameter",
                format!("The request has more than {MAX_PARAMS} parameters."),
            ));
        }
        // Never split more of the key than the cap allows.
        let segments: Vec<&str> = key.split('.').take(MAX_KEY_DEPTH + 1).collect();
        if segments.len() > MAX_KEY_DEPTH {
            return Err(ApiError::new(
                "InvalidParameter",
                format!(
                    "Parameter `{}` is nested more than {MAX_KEY_DEPTH} levels deep.",
                    quoted(&key)
                ),
            ));
        }
        if segments.iter().any(|s| s.is_empty()) {
            return Err(ApiError::new(
                "InvalidParameter",
                format!("Parameter `{}` is malformed.", quoted(&key)),
            ));
        }
        if let Some(index) = segments.iter().find_map(|s| index_of(s))
            && index >= MAX_ARRAY_LEN
        {
            return Err(too_many_elements(index.saturating_add(1)));
        }
        tree.insert(&segments, value.into_owned()).map_err(|()| {
            ApiError::new(
                "InvalidParameter",
                format!(
                    "Parameter `{}` conflicts with another parameter.",
                    quoted(&key)
                ),
            )
        })?;
    }
    Ok(tree.into_value())
}

/// A list index segment (all digits) as a number; `usize::MAX` when it is too large.
fn index_of(segment: &str) -> Option<usize> {
    segment
        .bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| segment.parse().unwrap_or(usize::MAX))
}

/// The flattened keys as a tree before it becomes JSON: nodes in an arena, each child
/// created after its parent (so a child's index is always greater than its parent's).
#[derive(Debug)]
struct Tree {
    nodes: Vec<Node>,
}

impl Default for Tree {
    fn default() -> Self {
        Self {
            nodes: vec![Node::default()],
        }
    }
}

#[derive(Debug, Default)]
struct Node {
    leaf: Option<String>,
    children: BTreeMap<String, usize>,
}

impl Tree {
    /// Set the leaf at `path`; `Err` when it conflicts with a value or a subtree already there.
    fn insert(&mut self, path: &[&str], value: String) -> Result<(), ()> {
        let mut at = 0;
        for segment in path {
            let next_free = self.nodes.len();
            let node = self.nodes.get_mut(at).ok_or(())?;
            if node.leaf.is_some() {
                return Err(());
            }
            at = *node
                .children
                .entry((*segment).to_owned())
                .or_insert(next_free);
            if at == next_free {
                self.nodes.push(Node::default());
            }
        }
        let node = self.nodes.get_mut(at).ok_or(())?;
        if node.leaf.is_some() || !node.children.is_empty() {
            return Err(());
        }
        node.leaf = Some(value);
        Ok(())
    }

    /// The JSON of the root, built bottom-up in one reverse sweep over the arena: every
    /// child's value exists before its parent's is assembled.
    fn into_value(self) -> Value {
        let mut values: Vec<Option<Value>> = Vec::with_capacity(self.nodes.len());
        values.resize_with(self.nodes.len(), || None);
        for (i, node) in self.nodes.into_iter().enumerate().rev() {
            let value = if let Some(leaf) = node.leaf {
                Value::String(leaf)
            } else {
                let mut take = |child: usize| {
                    values
                        .get_mut(child)
                        .and_then(Option::take)
                        .unwrap_or(Value::Null)
                };
                let all_indices = !node.children.is_empty()
                    && node.children.keys().all(|k| index_of(k).is_some());
                if all_indices {
                    let mut items: Vec<(usize, usize)> = node
                        .children
                        .iter()
                        .map(|(k, child)| (index_of(k).unwrap_or(usize::MAX), *child))
                        .collect();
                    items.sort_unstable();
                    Value::Array(items.into_iter().map(|(_, child)| take(child)).collect())
                } else {
                    Value::Object(
                        node.children
                            .into_iter()
                            .map(|(k, child)| (k, take(child)))
                            .collect(),
                    )
                }
            };
            if let Some(slot) = values.get_mut(i) {
                *slot = Some(value);
            }
        }
        values
            .into_iter()
            .next()
            .flatten()
            .unwrap_or_else(|| Value::Object(Map::new()))
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
