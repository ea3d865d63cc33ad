//! The `{"Response": {..., "RequestId"}}` envelope every answer uses, success or error.

use serde_json::{Map, Value, json};

/// A service error: a Tencent Cloud error code and its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// Error code, e.g. `ResourceNotFound`.
    pub code: String,
    /// Human-readable message.
    pub message: String,
}

impl ApiError {
    /// An error with this code and message.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            message: message.into(),
        }
    }
}

/// A fresh RequestId (a UUID v4, as the service sends).
pub fn request_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// `{"Response": {<fields>, "RequestId": id}}`; a `RequestId` already in `fields` is replaced.
pub fn success(fields: Map<String, Value>, request_id: &str) -> Value {
    let mut fields = fields;
    fields.insert("RequestId".to_owned(), Value::String(request_id.to_owned()));
    json!({ "Response": Value::Object(fields) })
}

/// `{"Response": {"Error": {"Code", "Message"}, "RequestId": id}}`.
pub fn error(err: &ApiError, request_id: &str) -> Value {
    json!({
        "Response": {
            "Error": { "Code": err.code, "Message": err.message },
            "RequestId": request_id,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        let mut fields = Map::new();
        fields.insert("RequestId".into(), json!("old"));
        fields.insert("TotalCount".into(), json!(0));
        assert_eq!(
            success(fields, "new"),
            json!({"Response": {"TotalCount": 0, "RequestId": "new"}})
        );
        assert_eq!(
            error(&ApiError::new("InvalidAction", "m"), "r"),
            json!({"Response": {"Error": {"Code": "InvalidAction", "Message": "m"}, "RequestId": "r"}})
        );
        assert_ne!(request_id(), request_id());
    }
}
