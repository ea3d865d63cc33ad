//! Flattened parameters folded into one JSON object: `Filters.0.Values.0=x` becomes
//! `{"Filters": [{"Values": ["x"]}]}`. Numeric segments index lists (in index order, gaps
//! closed: `Ids.10` and `Ids.2` give a two-element list), the others name members; every
//! value stays a string (the reader coerces it to the field's type).
//!
//! The emulator folds `GET` queries and form bodies with it, the doc-page parser the
//! query-string examples. Folding is iterative (no recursion whose depth the peer controls)
//! and capped by [`Limits`]: a key has at most [`MAX_KEY_DEPTH`] dot-separated segments, a
//! request at most [`MAX_PARAMS`] parameters, and a list at most [`MAX_ARRAY_LEN`] elements.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::{Map, Value};

/// Most dot-separated segments in one flattened key (`Filters.0.Values.0` has 4; no GAAP
/// parameter needs more than 6).
pub const MAX_KEY_DEPTH: usize = 16;
/// Most parameters in one query string or form body.
pub const MAX_PARAMS: usize = 10_000;
/// Most elements in one list parameter (indices must be below it).
pub const MAX_ARRAY_LEN: usize = 1_000;

/// At most this many characters of a key are quoted in a [`FoldError`].
const QUOTED_KEY_CHARS: usize = 64;

/// The caps [`fold`] enforces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most dot-separated segments in one key.
    pub max_key_depth: usize,
    /// Most parameters (not counting skipped ones).
    pub max_params: usize,
    /// Most elements in one list: every index must be below it.
    pub max_array_len: usize,
}

impl Limits {
    /// [`MAX_KEY_DEPTH`], [`MAX_PARAMS`] and [`MAX_ARRAY_LEN`].
    pub const DEFAULT: Limits = Limits {
        max_key_depth: MAX_KEY_DEPTH,
        max_params: MAX_PARAMS,
        max_array_len: MAX_ARRAY_LEN,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// Why parameters do not fold. Keys are quoted shortened to 64 characters (then `...`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FoldError {
    /// More parameters than [`Limits::max_params`].
    TooManyParams {
        /// The cap.
        max: usize,
    },
    /// A key with more segments than [`Limits::max_key_depth`].
    TooDeep {
        /// The key, shortened.
        key: String,
        /// The cap.
        max: usize,
    },
    /// A key with an empty segment (`A..0`, `A.`, or an empty key).
    Malformed {
        /// The key, shortened.
        key: String,
    },
    /// A list index at or beyond [`Limits::max_array_len`].
    ListTooLong {
        /// The list length the index implies (index + 1).
        len: usize,
        /// The cap.
        max: usize,
    },
    /// A key that sets a value where another key already put a value or a subtree
    /// (`A=1&A.0=2`, or the same key twice).
    Conflict {
        /// The key, shortened.
        key: String,
    },
}

impl fmt::Display for FoldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FoldError::TooManyParams { max } => {
                write!(f, "The request has more than {max} parameters.")
            }
            FoldError::TooDeep { key, max } => {
                write!(
                    f,
                    "Parameter `{key}` is nested more than {max} levels deep."
                )
            }
            FoldError::Malformed { key } => write!(f, "Parameter `{key}` is malformed."),
            FoldError::ListTooLong { len, max } => write!(
                f,
                "A list parameter has {len} elements; at most {max} are accepted."
            ),
            FoldError::Conflict { key } => {
                write!(f, "Parameter `{key}` conflicts with another parameter.")
            }
        }
    }
}

impl std::error::Error for FoldError {}

/// `key`, shortened for quoting in an error message.
fn quoted(key: &str) -> String {
    match key.char_indices().nth(QUOTED_KEY_CHARS) {
        Some((end, _)) => format!("{}...", key.get(..end).unwrap_or_default()),
        None => key.to_owned(),
    }
}

/// Fold `(key, value)` pairs (already percent-decoded) into one JSON object, leaving out
/// the keys `skip` accepts (e.g. [`crate::common::is_common`]) before counting or checking
/// them.
pub fn fold<K, V>(
    pairs: impl IntoIterator<Item = (K, V)>,
    skip: impl Fn(&str) -> bool,
    limits: &Limits,
) -> Result<Value, FoldError>
where
    K: AsRef<str>,
    V: Into<String>,
{
    let mut tree = Tree::default();
    let mut count = 0usize;
    for (key, value) in pairs {
        let key = key.as_ref();
        if skip(key) {
            continue;
        }
        count += 1;
        if count > limits.max_params {
            return Err(FoldError::TooManyParams {
                max: limits.max_params,
            });
        }
        // Never split more of the key than the cap allows.
        let segments: Vec<&str> = key
            .split('.')
            .take(limits.max_key_depth.saturating_add(1))
            .collect();
        if segments.len() > limits.max_key_depth {
            return Err(FoldError::TooDeep {
                key: quoted(key),
                max: limits.max_key_depth,
            });
        }
        if segments.iter().any(|s| s.is_empty()) {
            return Err(FoldError::Malformed { key: quoted(key) });
        }
        if let Some(index) = segments.iter().find_map(|s| index_of(s))
            && index >= limits.max_array_len
        {
            return Err(FoldError::ListTooLong {
                len: index.saturating_add(1),
                max: limits.max_array_len,
            });
        }
        tree.insert(&segments, value.into())
            .map_err(|()| FoldError::Conflict { key: quoted(key) })?;
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
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::common::is_common;
    use serde_json::json;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn fold_default(list: &[(&str, &str)]) -> Result<Value, FoldError> {
        fold(pairs(list), |_| false, &Limits::DEFAULT)
    }

    /// From the emulator's `params::folds_lists_and_structs_in_index_order`.
    #[test]
    fn folds_lists_and_structs_in_index_order() {
        let value = fold(
            pairs(&[
                ("Offset", "0"),
                ("Limit", "1"),
                ("Filters.0.Name", "AccessRegion"),
                ("Filters.0.Values.0", "ap-hongkong"),
                ("Ids.10", "k"),
                ("Ids.2", "c"),
                ("Action", "X"),
                ("Name", "a b c"),
            ]),
            |k| k == "Action",
            &Limits::DEFAULT,
        )
        .unwrap();
        assert_eq!(
            value,
            json!({"Offset": "0", "Limit": "1", "Name": "a b c",
                   "Filters": [{"Name": "AccessRegion", "Values": ["ap-hongkong"]}],
                   "Ids": ["c", "k"]})
        );
    }

    /// From the doc-page parser's `examples::query_string_is_folded_into_json`.
    #[test]
    fn query_string_example_is_folded_without_common_parameters() {
        let value = fold(
            pairs(&[
                ("Action", "DescribeProxies"),
                ("Filters.0.Name", "AccessRegion"),
                ("Filters.0.Values.0", "ap-hongkong"),
                ("ProxyIds.1", "b"),
                ("ProxyIds.0", "a"),
                ("Limit", "1"),
                ("Version", "2018-05-29"),
            ]),
            is_common,
            &Limits::DEFAULT,
        )
        .unwrap();
        assert_eq!(
            value,
            json!({"Filters": [{"Name": "AccessRegion", "Values": ["ap-hongkong"]}],
                   "ProxyIds": ["a", "b"], "Limit": "1"})
        );
    }

    #[test]
    fn rejects_conflicts_and_malformed_keys() {
        assert_eq!(
            fold_default(&[("A", "1"), ("A.0", "2")]),
            Err(FoldError::Conflict { key: "A.0".into() })
        );
        assert_eq!(
            fold_default(&[("A.0", "2"), ("A", "1")]),
            Err(FoldError::Conflict { key: "A".into() })
        );
        assert_eq!(
            fold_default(&[("A", "1"), ("A", "2")]),
            Err(FoldError::Conflict { key: "A".into() })
        );
        assert_eq!(
            fold_default(&[("A..0", "2")]),
            Err(FoldError::Malformed { key: "A..0".into() })
        );
        assert!(fold_default(&[("", "2")]).is_err());
        assert_eq!(fold_default(&[]).unwrap(), json!({}));
        assert_eq!(
            FoldError::Conflict { key: "A".into() }.to_string(),
            "Parameter `A` conflicts with another parameter."
        );
    }

    /// From the emulator's `params::caps_depth_parameter_count_and_list_length_without_recursing`.
    #[test]
    fn caps_depth_parameter_count_and_list_length_without_recursing() {
        // A key nested 100,000 deep is refused (it overflowed the stack when folded recursively).
        let deep = format!("Filters{}", ".0".repeat(100_000));
        let err = fold_default(&[(&deep, "x")]).unwrap_err();
        assert!(matches!(err, FoldError::TooDeep { .. }));
        assert!(err.to_string().len() < 200, "the key is not echoed whole");
        let at_cap = format!("A{}", ".B".repeat(MAX_KEY_DEPTH - 1));
        assert!(fold_default(&[(&at_cap, "x")]).is_ok());
        let over = format!("A{}", ".B".repeat(MAX_KEY_DEPTH));
        assert!(fold_default(&[(&over, "x")]).is_err());

        let last = format!("Ids.{}", MAX_ARRAY_LEN - 1);
        assert_eq!(
            fold_default(&[(&last, "x")]).unwrap(),
            json!({"Ids": ["x"]})
        );
        let beyond = format!("Ids.{MAX_ARRAY_LEN}");
        assert_eq!(
            fold_default(&[(&beyond, "x")]),
            Err(FoldError::ListTooLong {
                len: MAX_ARRAY_LEN + 1,
                max: MAX_ARRAY_LEN
            })
        );
        assert!(fold_default(&[("Ids.99999999999999999999999", "x")]).is_err());

        let many: Vec<(String, String)> = (0..=MAX_PARAMS)
            .map(|i| (format!("K{i}"), "v".to_owned()))
            .collect();
        assert_eq!(
            fold(many.clone(), |_| false, &Limits::DEFAULT),
            Err(FoldError::TooManyParams { max: MAX_PARAMS })
        );
        // Skipped keys do not count.
        assert!(fold(many, |k| k == "K0", &Limits::DEFAULT).is_ok());
    }
}
