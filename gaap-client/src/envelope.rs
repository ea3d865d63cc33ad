//! Decoding Tencent Cloud's reply envelope: `{"Response": {..., "RequestId": "..."}}` on
//! success, `{"Response": {"Error": {"Code", "Message"}, "RequestId"}}` on failure.
//!
//! Errors come back with HTTP 200; a non-200 reply carrying an `Error` is still a service
//! error (its code is kept), and anything else that is not a valid envelope becomes a
//! [`ResponseError`]: HTML pages, empty or truncated bodies, invalid JSON, wrong shapes.

use gaap_model::ErrorMetadata;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::error::{ResponseError, ResponseErrorKind};

/// Longest service error message kept, in bytes.
pub(crate) const MAX_MESSAGE_LEN: usize = 4096;

/// A decoded reply.
#[derive(Debug)]
pub(crate) enum Decoded<T> {
    /// The `Response` object, deserialized, and its `RequestId`.
    Success(T, Option<String>),
    /// `Response.Error`.
    ServiceError(ErrorMetadata),
}

/// Decode a reply with HTTP `status` and `body` into `T` (the whole `Response` object).
pub(crate) fn decode<T: DeserializeOwned>(
    status: u16,
    body: &[u8],
) -> Result<Decoded<T>, ResponseError> {
    if let Some(decoded) = decode_success(status, body) {
        return Ok(decoded);
    }
    decode_classified(status, body)
}

/// `{"Response": ...}` with the inner object kept as unparsed text.
#[derive(serde::Deserialize)]
struct Envelope<'a> {
    #[serde(rename = "Response", borrow)]
    response: &'a serde_json::value::RawValue,
}

/// What the runtime itself reads from `Response`; every other field is skipped.
#[derive(serde::Deserialize)]
struct Meta<'a> {
    #[serde(rename = "RequestId", borrow, default)]
    request_id: Option<std::borrow::Cow<'a, str>>,
    #[serde(rename = "Error", default)]
    error: Option<serde::de::IgnoredAny>,
}

/// The common case, without building a `serde_json::Value`: HTTP 200, a well-formed
/// envelope, no `Error`, and a `Response` that decodes as `T`. Anything else returns `None`
/// and goes through [`decode_classified`], which names what is wrong.
fn decode_success<T: DeserializeOwned>(status: u16, body: &[u8]) -> Option<Decoded<T>> {
    if status != 200 {
        return None;
    }
    let envelope: Envelope<'_> = serde_json::from_slice(body).ok()?;
    let inner = envelope.response.get();
    let meta: Meta<'_> = serde_json::from_str(inner).ok()?;
    if meta.error.is_some() {
        return None;
    }
    let output = serde_json::from_str::<T>(inner).ok()?;
    Some(Decoded::Success(
        output,
        meta.request_id.map(|id| id.into_owned()),
    ))
}

/// Decode any reply through a `serde_json::Value`, classifying every way it can be wrong.
fn decode_classified<T: DeserializeOwned>(
    status: u16,
    body: &[u8],
) -> Result<Decoded<T>, ResponseError> {
    let error = |kind| ResponseError::new(kind, status, body);
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(error(ResponseErrorKind::Empty));
    }
    let value: Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(e) => {
            let kind = if looks_like_html(body) {
                ResponseErrorKind::Html
            } else if e.is_eof() {
                ResponseErrorKind::Truncated
            } else if status != 200 {
                ResponseErrorKind::HttpStatus
            } else {
                ResponseErrorKind::InvalidJson
            };
            return Err(error(kind).with_detail(position(&e)));
        }
    };
    let Value::Object(mut top) = value else {
        return Err(shape_error(status, body, "the body is not a JSON object"));
    };
    let Some(Value::Object(response)) = top.remove("Response") else {
        return Err(shape_error(status, body, "no `Response` object"));
    };
    let request_id = response
        .get("RequestId")
        .and_then(Value::as_str)
        .map(str::to_owned);
    if let Some(err) = response.get("Error") {
        return service_error(err, request_id.clone())
            .map(Decoded::ServiceError)
            .map_err(|why| shape_error(status, body, why).with_request_id(request_id));
    }
    if status != 200 {
        return Err(error(ResponseErrorKind::HttpStatus).with_request_id(request_id));
    }
    serde_json::from_value::<T>(Value::Object(response))
        .map(|output| Decoded::Success(output, request_id.clone()))
        .map_err(|e| {
            shape_error(status, body, format!("unexpected `Response` content ({e})"))
                .with_request_id(request_id)
        })
}

fn shape_error(status: u16, body: &[u8], why: impl Into<String>) -> ResponseError {
    ResponseError::new(ResponseErrorKind::WrongShape, status, body).with_detail(why)
}

fn service_error(err: &Value, request_id: Option<String>) -> Result<ErrorMetadata, &'static str> {
    let Value::Object(fields): &Value = err else {
        return Err("`Response.Error` is not an object");
    };
    let text = |map: &Map<String, Value>, key: &str| {
        map.get(key).and_then(Value::as_str).map(str::to_owned)
    };
    let code = text(fields, "Code").ok_or("`Response.Error.Code` is missing")?;
    // A message is for people: keep its first few KB (a hostile or broken peer could send
    // megabytes), noting the full length.
    let message = text(fields, "Message")
        .map(|m| {
            if m.len() > MAX_MESSAGE_LEN {
                crate::error::one_line(&m, MAX_MESSAGE_LEN)
            } else {
                m
            }
        })
        .unwrap_or_default();
    Ok(ErrorMetadata::new(code, message, request_id))
}

fn looks_like_html(body: &[u8]) -> bool {
    let start = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(body.len());
    body[start..].first() == Some(&b'<')
}

fn position(e: &serde_json::Error) -> String {
    format!("at line {}, column {}", e.line(), e.column())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Out {
        #[serde(rename = "RequestId")]
        request_id: Option<String>,
        #[serde(rename = "TotalCount")]
        total_count: Option<i64>,
    }

    fn kind(status: u16, body: &str) -> ResponseErrorKind {
        decode::<Out>(status, body.as_bytes()).unwrap_err().kind()
    }

    #[test]
    fn success_and_service_errors() {
        let ok = decode::<Out>(200, br#"{"Response":{"TotalCount":3,"RequestId":"r1"}}"#).unwrap();
        assert!(
            matches!(ok, Decoded::Success(Out { total_count: Some(3), .. }, Some(ref id)) if id == "r1")
        );
        let err = decode::<Out>(
            200,
            br#"{"Response":{"Error":{"Code":"FailedOperation","Message":"no"},"RequestId":"r2"}}"#,
        )
        .unwrap();
        let Decoded::ServiceError(meta) = err else {
            panic!("expected a service error")
        };
        assert_eq!(
            meta,
            ErrorMetadata::new("FailedOperation", "no", Some("r2".into()))
        );
        // A non-200 reply with a Tencent error keeps the code.
        let err = decode::<Out>(
            503,
            br#"{"Response":{"Error":{"Code":"ServiceUnavailable","Message":""}}}"#,
        )
        .unwrap();
        assert!(
            matches!(err, Decoded::ServiceError(m) if m.code == "ServiceUnavailable" && m.request_id.is_none())
        );
    }

    #[test]
    fn malformed_replies_are_classified() {
        assert_eq!(kind(200, ""), ResponseErrorKind::Empty);
        assert_eq!(kind(502, "  \n"), ResponseErrorKind::Empty);
        assert_eq!(
            kind(502, "<html><body>Bad Gateway</body></html>"),
            ResponseErrorKind::Html
        );
        assert_eq!(
            kind(200, r#"{"Response":{"RequestId":"#),
            ResponseErrorKind::Truncated
        );
        assert_eq!(kind(200, "not json"), ResponseErrorKind::InvalidJson);
        assert_eq!(
            kind(500, "Internal Server Error"),
            ResponseErrorKind::HttpStatus
        );
        assert_eq!(kind(200, "[1,2]"), ResponseErrorKind::WrongShape);
        assert_eq!(kind(200, r#"{"Result":{}}"#), ResponseErrorKind::WrongShape);
        assert_eq!(
            kind(200, r#"{"Response":{"TotalCount":"x","RequestId":"r"}}"#),
            ResponseErrorKind::WrongShape
        );
        assert_eq!(
            kind(200, r#"{"Response":{"Error":"boom"}}"#),
            ResponseErrorKind::WrongShape
        );
        assert_eq!(
            kind(200, r#"{"Response":{"Error":{"Message":"m"}}}"#),
            ResponseErrorKind::WrongShape
        );
        assert_eq!(
            kind(404, r#"{"Response":{"RequestId":"r"}}"#),
            ResponseErrorKind::HttpStatus
        );
    }

    #[test]
    fn wrong_shape_keeps_the_request_id() {
        let err =
            decode::<Out>(200, br#"{"Response":{"TotalCount":"x","RequestId":"r9"}}"#).unwrap_err();
        assert_eq!(err.request_id(), Some("r9"));
        assert_eq!(err.kind(), ResponseErrorKind::WrongShape);
        // The detail says what did not fit: the offending value and the expected type.
        let detail = err.detail().unwrap_or_default();
        assert!(
            detail.contains("unexpected `Response` content") && detail.contains(r#"string "x""#),
            "{detail}"
        );
    }

    #[test]
    fn long_service_messages_are_cut() {
        let body = format!(
            r#"{{"Response":{{"Error":{{"Code":"FailedOperation","Message":"{}"}},"RequestId":"r"}}}}"#,
            "m".repeat(1_000_000)
        );
        let Decoded::ServiceError(meta) = decode::<Out>(200, body.as_bytes()).unwrap() else {
            panic!("expected a service error")
        };
        assert!(
            meta.message.len() < MAX_MESSAGE_LEN + 64,
            "{}",
            meta.message.len()
        );
        assert!(meta.message.ends_with("(1000000 bytes in all)"));
    }
}
