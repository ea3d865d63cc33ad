//! The one parameter read before the typed request (`ClientToken`, for the replay cache),
//! and paging lists the way Describe calls do.

use serde_json::Value;

use crate::envelope::ApiError;

/// A string parameter.
pub fn string<'a>(p: &'a Value, name: &str) -> Option<&'a str> {
    p.get(name).and_then(Value::as_str)
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
