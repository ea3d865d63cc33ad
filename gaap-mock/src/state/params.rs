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

/// `Filters: [{"Name", "Values"}]` as (name, values) pairs.
pub fn filters(p: &Value) -> Vec<(String, Vec<String>)> {
    list(p, "Filters")
        .iter()
        .filter_map(|f| Some((string(f, "Name")?.to_owned(), strings(f, "Values"))))
        .collect()
}

/// Whether `item` passes every filter (filters AND together, values OR within one).
pub fn matches_filters(item: &Map<String, Value>, filters: &[(String, Vec<String>)]) -> bool {
    filters.iter().all(|(name, values)| {
        item.get(name)
            .is_some_and(|field| values.iter().any(|v| scalar_text(field) == *v))
    })
}

/// A scalar as the text a filter value would carry.
pub fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Apply `Offset`/`Limit` (default 20, capped at `max_limit`) and return the page.
pub fn page<T>(items: Vec<T>, p: &Value, max_limit: i64) -> Result<Vec<T>, ApiError> {
    let offset = integer(p, "Offset").unwrap_or(0);
    let limit = integer(p, "Limit").unwrap_or(20);
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
