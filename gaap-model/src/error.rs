//! Service errors: the metadata every error reply carries, the trait each action's
//! generated error enum implements, the common codes every action can return
//! ([`CommonError`], once), and how a code may be retried ([`Retry`], [`retry_of`]).
//!
//! Each action's error enum (`operation::<action>::<Action>Error`) has one variant per code
//! its page documents, `Common(CommonError)` for the shared codes, and `Unhandled` for codes
//! this SDK version does not know. [`Error`] holds any action's error.

pub use crate::generated::error::{CommonError, Error, retry_of};

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
    /// The common code, when the error is one (generated enums: their `Common` variant).
    fn common(&self) -> Option<&CommonError> {
        None
    }
    /// Whether, and how, a call that failed with this error may be sent again: the class
    /// of its code, generated from the codes the pages document ([`retry_of`]).
    fn retry(&self) -> Option<Retry> {
        retry_of(self.code())
    }
}

/// How a call that failed with a service error may be retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Retry {
    /// Refused before the service acted on it (`RequestLimitExceeded`): any call may be
    /// sent again, after a delay.
    Throttled,
    /// The service failed while handling the call (`InternalError`, `ServiceUnavailable`)
    /// and may or may not have applied it: only a call that is safe to repeat (a read, or
    /// a write with an idempotency token) may be sent again.
    Transient,
}
