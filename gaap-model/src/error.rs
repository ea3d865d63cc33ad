//! Service errors: the metadata every error reply carries, and the trait each action's
//! generated error enum implements.

use std::fmt;

/// What the service said about a failed call: `Response.Error` plus `Response.RequestId`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ErrorMetadata {
    /// Error code, e.g. `FailedOperation.DuplicatedRequest`.
    pub code: String,
    /// Human-readable message (unstable text: branch on `code`).
    pub message: String,
    /// The request ID, when the reply carried one.
    pub request_id: Option<String>,
    /// The client's `X-TC-TraceId` of the call (set by the client runtime).
    pub trace_id: Option<String>,
}

impl ErrorMetadata {
    /// Metadata from its three parts.
    pub fn new(
        code: impl Into<String>,
        message: impl Into<String>,
        request_id: Option<String>,
    ) -> Self {
        Self {
            code: code.into(),
            message: message.into(),
            request_id,
            trace_id: None,
        }
    }
}

impl fmt::Display for ErrorMetadata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)?;
        if let Some(id) = &self.request_id {
            write!(f, " (RequestId: {id})")?;
        }
        Ok(())
    }
}

/// Implemented by every action's generated error enum (`CreateTcpListenersError`, ...).
pub trait ServiceError:
    From<ErrorMetadata> + std::error::Error + fmt::Debug + Send + Sync + 'static
{
    /// The wire name of the action this error belongs to (e.g. `CreateTCPListeners`).
    const ACTION: &'static str;
    /// The full metadata.
    fn meta(&self) -> &ErrorMetadata;
    /// Error code, e.g. `RequestLimitExceeded`.
    fn code(&self) -> &str {
        &self.meta().code
    }
    /// Error message.
    fn message(&self) -> &str {
        &self.meta().message
    }
    /// The request ID, when the reply carried one.
    fn request_id(&self) -> Option<&str> {
        self.meta().request_id.as_deref()
    }
}
