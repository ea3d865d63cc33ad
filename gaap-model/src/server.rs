//! The emulator's request checker (feature `server`): deserialize an action's parameters
//! into its request type and validate them, with rejections in Tencent Cloud's style.

use serde::de::DeserializeOwned;

use crate::validation::{Rule, Validate, ValidationError, Violation};

/// Which common error code a rejected request gets, and its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// `MissingParameter`, `UnknownParameter`, `InvalidParameterValue` or
    /// `InvalidParameter`.
    pub code: &'static str,
    /// The message, e.g. "The request is missing a required parameter `ListenerName`."
    pub message: String,
}

/// Deserialize `params` (the JSON body, or form/query params folded into JSON with string
/// scalars) into `action`'s request and run `validate()`. `None` for an unknown action.
pub fn check_request(action: &str, params: &serde_json::Value) -> Option<Result<(), Rejection>> {
    violations(action, params).map(|outcome| outcome.and_then(reject))
}

/// Deserialize `params` into `action`'s request and return every rule it breaks (empty
/// when valid): the generated validator, as `build()` and the client run it. A request
/// that does not deserialize is a [`Rejection`]. `None` for an unknown action.
pub fn violations(
    action: &str,
    params: &serde_json::Value,
) -> Option<Result<Vec<Violation>, Rejection>> {
    crate::generated::server::violations(action, params)
}

/// Deserialize `response` (the object inside `Response`) into `action`'s typed response;
/// the error is serde's message with the field path. `None` for an unknown action.
pub fn check_response(action: &str, response: &serde_json::Value) -> Option<Result<(), String>> {
    crate::generated::server::check_response(action, response)
}

/// Every action name, sorted.
pub fn actions() -> &'static [&'static str] {
    crate::generated::server::ACTIONS
}

/// The text between the first pair of backticks of a serde message.
fn quoted(message: &str) -> Option<&str> {
    let start = message.find('`')? + 1;
    let len = message.get(start..)?.find('`')?;
    message.get(start..start + len)
}

fn join_path(path: &str, field: &str) -> String {
    if path.is_empty() || path == "." {
        field.to_owned()
    } else {
        format!("{path}.{field}")
    }
}

/// Deserialize `response` as `T` (used by the generated dispatch).
pub(crate) fn response_as<T: DeserializeOwned>(response: &serde_json::Value) -> Result<(), String> {
    serde_path_to_error::deserialize::<_, T>(response)
        .map(drop)
        .map_err(|e| format!("{}: {}", e.path(), e.inner()))
}

/// Deserialize `params` as the request type `T` and validate it (used by the generated
/// dispatch).
pub(crate) fn violations_as<T: DeserializeOwned + Validate>(
    params: &serde_json::Value,
) -> Result<Vec<Violation>, Rejection> {
    let request: T = serde_path_to_error::deserialize(params).map_err(|e| {
        let path = e.path().to_string();
        let message = e.inner().to_string();
        if message.starts_with("missing field") {
            let field = join_path(&path, quoted(&message).unwrap_or_default());
            Rejection {
                code: "MissingParameter",
                message: format!("The request is missing a required parameter `{field}`."),
            }
        } else if message.starts_with("unknown field") {
            Rejection {
                code: "UnknownParameter",
                message: format!("The parameter `{path}` is not recognized."),
            }
        } else {
            Rejection {
                code: "InvalidParameter",
                message: format!("Parameter `{path}` type error."),
            }
        }
    })?;
    Ok(request
        .validate()
        .err()
        .map(|e| e.violations)
        .unwrap_or_default())
}

/// The rejection of a request that broke `violations` (none: accepted).
fn reject(violations: Vec<Violation>) -> Result<(), Rejection> {
    if violations.is_empty() {
        return Ok(());
    }
    // A required field of a nested struct is missing: the same code as a missing
    // top-level parameter.
    if let Some(v) = violations.iter().find(|v| v.rule == Rule::Required) {
        return Err(Rejection {
            code: "MissingParameter",
            message: format!("The request is missing a required parameter `{}`.", v.field),
        });
    }
    Err(invalid_value(&ValidationError { violations }))
}

fn invalid_value(e: &ValidationError) -> Rejection {
    Rejection {
        code: "InvalidParameterValue",
        message: e
            .violations
            .iter()
            .map(|v| {
                let detail = v
                    .detail
                    .as_deref()
                    .map(|d| format!(" ({d})"))
                    .unwrap_or_default();
                format!(
                    "The value of parameter `{}` is invalid: {}{detail}.",
                    v.field, v.rule
                )
            })
            .collect::<Vec<_>>()
            .join(" "),
    }
}
