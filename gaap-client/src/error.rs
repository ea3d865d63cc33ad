//! The runtime's error type, [`SdkError`], and the error kinds it separates.
//!
//! Each failure is classified by where it happened: before any network call (validation,
//! encoding), while getting credentials, on the wire (transport), in a reply that is not a
//! valid Tencent Cloud envelope (response), or as an error the service reported (service).
//! `Display` never repeats the source error, and no public type exposes `reqwest` or
//! `serde_json` types.

use std::error::Error as StdError;
use std::fmt;

use gaap_model::{ServiceError, ValidationError};

pub use crate::credentials::CredentialsError;

type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// Everything a call can fail with. `E` is the action's typed service error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SdkError<E> {
    /// The request broke a documented rule; nothing was sent.
    #[error("invalid request")]
    Validation(#[source] ValidationError),
    /// The request could not be encoded; nothing was sent.
    #[error("failed to encode the request")]
    Request(#[source] RequestError),
    /// No usable credentials.
    #[error("failed to load credentials")]
    Credentials(#[source] CredentialsError),
    /// The request did not get a reply: timeout, connection failure, or another I/O error.
    #[error("transport error")]
    Transport(#[source] TransportError),
    /// The reply was not a valid Tencent Cloud envelope.
    #[error("malformed response")]
    Response(#[source] ResponseError),
    /// The service answered with `Response.Error`.
    #[error("service error")]
    Service(#[source] E),
}

impl<E: ServiceError> SdkError<E> {
    /// The typed service error, when the service answered with one.
    pub fn service_error(&self) -> Option<&E> {
        match self {
            SdkError::Service(e) => Some(e),
            _ => None,
        }
    }

    /// The typed service error, consuming `self`; `Err(self)` otherwise.
    pub fn into_service_error(self) -> Result<E, Self> {
        match self {
            SdkError::Service(e) => Ok(e),
            other => Err(other),
        }
    }

    /// The service's error code (e.g. `RequestLimitExceeded`), for service errors.
    pub fn code(&self) -> Option<&str> {
        self.service_error().map(ServiceError::code)
    }

    /// The request ID of the reply, when there was one (service errors and malformed replies
    /// that still carried a `RequestId`).
    pub fn request_id(&self) -> Option<&str> {
        match self {
            SdkError::Service(e) => e.request_id(),
            SdkError::Response(e) => e.request_id(),
            _ => None,
        }
    }
}

/// `err` and its sources, joined with `: ` (for logs: `Display` alone stays terse).
pub(crate) fn chain(err: &dyn StdError) -> String {
    let mut out = err.to_string();
    let mut current = err.source();
    while let Some(source) = current {
        out.push_str(": ");
        out.push_str(&source.to_string());
        current = source.source();
    }
    out
}

/// The request could not be serialized.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct RequestError {
    message: String,
}

impl RequestError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

/// What went wrong on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The connect or the whole-request timeout elapsed.
    Timeout,
    /// The connection could not be established (refused, DNS, TLS handshake...).
    Connect,
    /// Any other I/O failure while sending or receiving.
    Other,
}

impl fmt::Display for TransportErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransportErrorKind::Timeout => "request timed out",
            TransportErrorKind::Connect => "connection failed",
            TransportErrorKind::Other => "request failed",
        })
    }
}

/// A request that got no reply.
#[derive(Debug, thiserror::Error)]
#[error("{kind}")]
pub struct TransportError {
    kind: TransportErrorKind,
    #[source]
    source: Option<BoxError>,
}

impl TransportError {
    pub(crate) fn new(kind: TransportErrorKind, source: Option<BoxError>) -> Self {
        Self { kind, source }
    }

    /// What went wrong.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// Whether a timeout elapsed.
    pub fn is_timeout(&self) -> bool {
        self.kind == TransportErrorKind::Timeout
    }

    /// Whether the connection could not be established.
    pub fn is_connect(&self) -> bool {
        self.kind == TransportErrorKind::Connect
    }
}

/// How a reply failed to be a valid envelope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResponseErrorKind {
    /// An HTML page (a proxy or gateway error page) instead of JSON.
    Html,
    /// An empty body.
    Empty,
    /// The body ended early (cut-off JSON, or the connection closed mid-body).
    Truncated,
    /// The body is not JSON.
    InvalidJson,
    /// Valid JSON, but not `{"Response": {...}}` of the expected shape.
    WrongShape,
    /// A non-200 HTTP status without a Tencent Cloud error in the body.
    HttpStatus,
}

impl fmt::Display for ResponseErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ResponseErrorKind::Html => "HTML page instead of JSON",
            ResponseErrorKind::Empty => "empty body",
            ResponseErrorKind::Truncated => "truncated body",
            ResponseErrorKind::InvalidJson => "body is not JSON",
            ResponseErrorKind::WrongShape => "unexpected JSON shape",
            ResponseErrorKind::HttpStatus => "unexpected HTTP status",
        })
    }
}

/// Longest body excerpt kept in a [`ResponseError`], in bytes.
pub(crate) const SNIPPET_LEN: usize = 200;

/// A reply that could not be decoded: status, a short body excerpt, and what was wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} (HTTP {status}){}", detail_suffix(.detail))]
pub struct ResponseError {
    kind: ResponseErrorKind,
    status: u16,
    snippet: String,
    request_id: Option<String>,
    detail: Option<String>,
}

fn detail_suffix(detail: &Option<String>) -> String {
    detail
        .as_ref()
        .map(|d| format!(": {d}"))
        .unwrap_or_default()
}

impl ResponseError {
    pub(crate) fn new(kind: ResponseErrorKind, status: u16, body: &[u8]) -> Self {
        Self {
            kind,
            status,
            snippet: snippet(body),
            request_id: None,
            detail: None,
        }
    }

    pub(crate) fn with_request_id(mut self, request_id: Option<String>) -> Self {
        self.request_id = request_id;
        self
    }

    pub(crate) fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// What was wrong.
    pub fn kind(&self) -> ResponseErrorKind {
        self.kind
    }

    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The first bytes of the body (at most 200, lossily decoded as UTF-8).
    pub fn snippet(&self) -> &str {
        &self.snippet
    }

    /// `Response.RequestId`, when the body had one.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// A short explanation (e.g. the decoder's message naming the offending field).
    pub fn detail(&self) -> Option<&str> {
        self.detail.as_deref()
    }
}

/// The first [`SNIPPET_LEN`] bytes of `body`, cut at a character boundary.
fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(SNIPPET_LEN + 4)]);
    let mut end = text.len().min(SNIPPET_LEN);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_is_short_and_cut_at_a_char_boundary() {
        let body = "é".repeat(300);
        let s = snippet(body.as_bytes());
        assert!(s.len() <= SNIPPET_LEN);
        assert!(s.chars().all(|c| c == 'é'));
        assert_eq!(snippet(b"short"), "short");
    }

    #[test]
    fn chain_joins_sources() {
        let err: SdkError<std::io::Error> = SdkError::Response(
            ResponseError::new(ResponseErrorKind::Empty, 502, b"").with_detail("gateway"),
        );
        assert_eq!(
            chain(&err),
            "malformed response: empty body (HTTP 502): gateway"
        );
    }

    #[test]
    fn display_does_not_repeat_the_source() {
        let err = ResponseError::new(ResponseErrorKind::Html, 502, b"<html>bad gateway</html>");
        assert_eq!(err.to_string(), "HTML page instead of JSON (HTTP 502)");
        let sdk: SdkError<std::io::Error> = SdkError::Response(err);
        assert_eq!(sdk.to_string(), "malformed response");
    }
}
