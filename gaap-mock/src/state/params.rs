//! Reading checked request parameters leniently (integers as numbers or numeric strings,
//! booleans in any case), and paging lists the way Describe calls do.

use serde_json::{Map, Value};

use crate::envelope::ApiError;

/// A string parameter.
pub fn string<'a>(p: &'a Value, name: &str) -> Option<&'a str> {
    p.get(name).and_then(Value::as_str)
}

/// An integer parameter, sent as a number or a numeric string.
pub fn integer(p: &Value, name: &str) -> Option<i64> {
    as_integer(p.get(name)?)
}

/// A JSON value read as an integer, from a number or a numeric string.
pub fn as_integer(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A list of strings (absent: empty).
pub fn strings(p: &Value, name: &str) -> Vec<String> {
    list(p, name)
        .iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect()
}

/// A list parameter (absent: empty).
pub fn list<'a>(p: &'a Value, name: &str) -> &'a [Value] {
    p.get(name)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// Apply the `Offset`/`Limit` parameters of `p` (see [`page`]).
pub fn page_params<T>(items: Vec<T>, p: &Value, max_limit: i64) -> Result<Vec<T>, ApiError> {
    page(items, integer(p, "Offset"), integer(p, "Limit"), max_limit)
}

/// Apply `Offset`/`Limit` (default 20, capped at `max_limit`) and return the page.
pub fn page<T>(
    items: Vec<T>,
    offset: Option<i64>,
    limit: Option<i64>,
    max_limit: i64,
) -> Result<Vec<T>, ApiError> {
    let offset = offset.unwrap_or(0);
    let limit = limit.unwrap_or(20);
    if offset < 0 {
        return Err(ApiError::new(
            "InvalidParameterValue",
            "Offset must not be negative.",
        ));
    }
    if !(0..=max_limit).contains(&limit) {
        return Err(ApiError::new(
            "InvalidParameterValue",
            format!("Limit must be between 0 and {max_limit}."),
        ));
    }
    let offset = usize::try_from(offset).unwrap_or(usize::MAX);
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    Ok(items.into_iter().skip(offset).take(limit).collect())
}

/// `{"TotalCount": total, <list_name>: items}` as response fields.
pub fn listing(total: usize, list_name: &str, items: Vec<Value>) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert("TotalCount".to_owned(), Value::from(total));
    out.insert(list_name.to_owned(), Value::Array(items));
    out
}
