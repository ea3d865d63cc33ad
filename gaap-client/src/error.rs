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
/// The codes every action shares (each action's error enum holds them as `Common(..)`),
/// and how a code may be retried: re-exported from [`gaap_model::error`].
pub use gaap_model::error::{CommonError, Retry};

type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// Everything a call can fail with. `E` is the action's typed service error.
///
/// `Display` says what happened in one line (the action, then the code, message and
/// RequestId of a service error, the broken rules of a validation error, the cause of a
/// transport error), never a secret; [`source()`](StdError::source) still leads to the
/// underlying error for those who walk the chain.
#[derive(Debug)]
#[non_exhaustive]
pub enum SdkError<E> {
    /// The request broke a documented rule; nothing was sent.
    Validation(ValidationError),
    /// The request could not be encoded; nothing was sent.
    Request(RequestError),
    /// No usable credentials; nothing was sent.
    Credentials(CredentialsError),
    /// The request did not get a reply: timeout, connection failure, or another I/O error.
    Transport(TransportError),
    /// The reply was not a valid Tencent Cloud envelope.
    Response(ResponseError),
    /// The service answered with `Response.Error`.
    Service(E),
    /// A write failed in a way that leaves unknown whether the service applied it (a
    /// timeout, a dropped connection, a 5xx, `InternalError`), and it was not (or no longer)
    /// retried because repeating it could apply it twice. Check the resource's state before
    /// sending it again.
    MaybeApplied(Box<MaybeApplied<E>>),
}

/// The failure of a write whose outcome is unknown: it may or may not have been applied.
#[derive(Debug)]
pub struct MaybeApplied<E> {
    attempts: u32,
    retried_by_token: bool,
    error: SdkError<E>,
}

impl<E> MaybeApplied<E> {
    pub(crate) fn new(error: SdkError<E>, attempts: u32, retried_by_token: bool) -> Self {
        Self {
            attempts,
            retried_by_token,
            error,
        }
    }

    /// How many attempts were sent.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The failure of the last attempt.
    pub fn error(&self) -> &SdkError<E> {
        &self.error
    }

    /// The failure of the last attempt, consuming `self`.
    pub fn into_error(self) -> SdkError<E> {
        self.error
    }
}

impl<E: ServiceError> SdkError<E> {
    /// The wire name of the action that failed (e.g. `CreateTCPListeners`).
    pub fn action(&self) -> &'static str {
        E::ACTION
    }

    /// The typed service error, when the service answered with one.
    pub fn service_error(&self) -> Option<&E> {
        match self {
            SdkError::Service(e) => Some(e),
            SdkError::MaybeApplied(m) => m.error.service_error(),
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

    /// The service's error message, for service errors.
    pub fn message(&self) -> Option<&str> {
        self.service_error().map(ServiceError::message)
    }

    /// The request ID of the reply, when there was one (service errors and malformed replies
    /// that still carried a `RequestId`).
    pub fn request_id(&self) -> Option<&str> {
        match self {
            SdkError::Service(e) => e.request_id(),
            SdkError::Response(e) => e.request_id(),
            SdkError::MaybeApplied(m) => m.error.request_id(),
            _ => None,
        }
    }

    /// The `X-TC-TraceId` the call was sent with (the same on every attempt; also recorded
    /// as `trace_id` on the call's tracing span). `None` when nothing was sent (validation,
    /// encoding, credentials).
    pub fn trace_id(&self) -> Option<&str> {
        match self {
            SdkError::Service(e) => e.meta().trace_id.as_deref(),
            SdkError::Transport(e) => e.trace_id(),
            SdkError::Response(e) => e.trace_id(),
            SdkError::MaybeApplied(m) => m.error.trace_id(),
            _ => None,
        }
    }

    /// Whether the call may have been applied although it failed: `true` only for
    /// [`SdkError::MaybeApplied`].
    pub fn may_have_been_applied(&self) -> bool {
        matches!(self, SdkError::MaybeApplied(_))
    }
}

/// Longest service message or detail shown by `Display`, in bytes.
pub(crate) const DISPLAY_LEN: usize = 512;

impl<E: ServiceError> fmt::Display for SdkError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let action = E::ACTION;
        match self {
            SdkError::Validation(e) => write!(
                f,
                "{action}: invalid request, nothing sent: {}",
                one_line(&join_violations(e), DISPLAY_LEN * 2)
            ),
            SdkError::Request(e) => write!(f, "{action}: failed to encode the request: {e}"),
            SdkError::Credentials(e) => {
                write!(
                    f,
                    "{action}: no credentials, nothing sent: {}",
                    one_line(&e.to_string(), DISPLAY_LEN * 2)
                )
            }
            SdkError::Transport(e) => write!(f, "{action}: {}", one_line(&chain(e), DISPLAY_LEN)),
            SdkError::Response(e) => {
                write!(f, "{action}: malformed response: {e}")?;
                if let Some(id) = e.request_id() {
                    write!(f, " (RequestId: {})", one_line(id, 128))?;
                }
                Ok(())
            }
            SdkError::Service(e) => {
                write!(
                    f,
                    "{action} failed: {}: {}",
                    one_line(e.code(), 128),
                    one_line(e.message(), DISPLAY_LEN)
                )?;
                if let Some(id) = e.request_id() {
                    write!(f, " (RequestId: {})", one_line(id, 128))?;
                }
                Ok(())
            }
            SdkError::MaybeApplied(m) => {
                write!(
                    f,
                    "{action} may or may not have been applied ({} attempt{}{}); ",
                    m.attempts,
                    if m.attempts == 1 { "" } else { "s" },
                    if m.retried_by_token {
                        ", all with the same ClientToken"
                    } else {
                        ""
                    }
                )?;
                // The inner error's text without repeating the action name.
                let inner = m.error.to_string();
                let inner = inner
                    .strip_prefix(action)
                    .map(|rest| rest.trim_start_matches(':').trim_start())
                    .unwrap_or(&inner);
                f.write_str(inner)
            }
        }
    }
}

impl<E: ServiceError> StdError for SdkError<E> {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            SdkError::Validation(e) => Some(e),
            SdkError::Request(e) => Some(e),
            SdkError::Credentials(e) => Some(e),
            SdkError::Transport(e) => Some(e),
            SdkError::Response(e) => Some(e),
            SdkError::Service(e) => Some(e),
            SdkError::MaybeApplied(m) => Some(&m.error),
        }
    }
}

fn join_violations(e: &ValidationError) -> String {
    e.violations
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// `text` on one line (control characters become spaces), cut to at most `max` bytes at a
/// character boundary, with the full length noted when cut.
pub(crate) fn one_line(text: &str, max: usize) -> String {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut out: String = text[..end]
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if end < text.len() {
        out.push_str(&format!("... ({} bytes in all)", text.len()));
    }
    out
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

/// The service error of a [`Client::call_action`](crate::Client::call_action) call, whose
/// action is known only by name: a common code, typed, or any other code as metadata
/// (branch on [`ServiceError::code`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UntypedError {
    /// A code of the Common Error Codes page.
    #[error(transparent)]
    Common(gaap_model::error::CommonError),
    /// Any other code (the action's own codes among them).
    #[error("{0}")]
    Other(gaap_model::ErrorMetadata),
}

impl From<gaap_model::ErrorMetadata> for UntypedError {
    fn from(meta: gaap_model::ErrorMetadata) -> Self {
        gaap_model::error::CommonError::from_meta(meta).map_or_else(Self::Other, Self::Common)
    }
}

impl ServiceError for UntypedError {
    /// Generic calls have no fixed action; `Display` of their errors starts with
    /// `call_action` (the tracing span names the action).
    const ACTION: &'static str = "call_action";
    fn meta(&self) -> &gaap_model::ErrorMetadata {
        match self {
            Self::Common(e) => e.meta(),
            Self::Other(meta) => meta,
        }
    }
    fn common(&self) -> Option<&gaap_model::error::CommonError> {
        match self {
            Self::Common(e) => Some(e),
            Self::Other(_) => None,
        }
    }
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
    /// Any other I/O failure while sending or receiving (e.g. the connection was reset).
    Other,
    /// The operation deadline (across all attempts) elapsed.
    Deadline,
}

impl fmt::Display for TransportErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransportErrorKind::Timeout => "request timed out",
            TransportErrorKind::Connect => "connection failed",
            TransportErrorKind::Other => "request failed",
            TransportErrorKind::Deadline => "operation deadline elapsed",
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
    trace_id: Option<String>,
}

impl TransportError {
    pub(crate) fn new(kind: TransportErrorKind, source: Option<BoxError>) -> Self {
        Self {
            kind,
            source,
            trace_id: None,
        }
    }

    pub(crate) fn with_trace_id(mut self, trace_id: &str) -> Self {
        self.trace_id = Some(trace_id.to_owned());
        self
    }

    /// The `X-TC-TraceId` of the call that failed.
    pub fn trace_id(&self) -> Option<&str> {
        self.trace_id.as_deref()
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
    /// The body (after decompression) exceeded the client's maximum response size; the
    /// rest was not read.
    TooLarge,
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
            ResponseErrorKind::TooLarge => "body larger than the maximum response size",
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
    trace_id: Option<String>,
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
            trace_id: None,
        }
    }

    pub(crate) fn with_trace_id(mut self, trace_id: &str) -> Self {
        self.trace_id = Some(trace_id.to_owned());
        self
    }

    /// The `X-TC-TraceId` of the call that got this reply.
    pub fn trace_id(&self) -> Option<&str> {
        self.trace_id.as_deref()
    }

    pub(crate) fn with_request_id(mut self, request_id: Option<String>) -> Self {
        self.request_id = request_id;
        self
    }

    pub(crate) fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(one_line(&detail.into(), DISPLAY_LEN));
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

    type Sdk = SdkError<gaap_model::operation::create_tcp_listeners::CreateTcpListenersError>;

    #[test]
    fn chain_joins_sources() {
        let err = ResponseError::new(ResponseErrorKind::Empty, 502, b"").with_detail("gateway");
        assert_eq!(chain(&err), "empty body (HTTP 502): gateway");
    }

    #[test]
    fn display_says_what_happened_in_one_line() {
        let service: Sdk = SdkError::Service(
            gaap_model::operation::create_tcp_listeners::CreateTcpListenersError::from(
                gaap_model::ErrorMetadata::new(
                    "InvalidParameterValue.DuplicatedListenerPort",
                    "listener port\n8080 is taken",
                    Some("req-1".into()),
                ),
            ),
        );
        assert_eq!(
            service.to_string(),
            "CreateTCPListeners failed: InvalidParameterValue.DuplicatedListenerPort: \
             listener port 8080 is taken (RequestId: req-1)"
        );
        assert_eq!(service.message(), Some("listener port\n8080 is taken"));
        assert!(service.source().is_some());

        let response: Sdk = SdkError::Response(
            ResponseError::new(ResponseErrorKind::Html, 502, b"<html>bad gateway</html>")
                .with_request_id(Some("req-2".into())),
        );
        assert_eq!(
            response.to_string(),
            "CreateTCPListeners: malformed response: HTML page instead of JSON (HTTP 502) \
             (RequestId: req-2)"
        );
        assert_eq!(response.request_id(), Some("req-2"));

        let transport: Sdk = SdkError::Transport(TransportError::new(
            TransportErrorKind::Timeout,
            Some("operation timed out".into()),
        ));
        assert_eq!(
            transport.to_string(),
            "CreateTCPListeners: request timed out: operation timed out"
        );

        let maybe: Sdk = SdkError::MaybeApplied(Box::new(MaybeApplied::new(transport, 1, false)));
        assert_eq!(
            maybe.to_string(),
            "CreateTCPListeners may or may not have been applied (1 attempt); \
             request timed out: operation timed out"
        );
        assert!(maybe.may_have_been_applied());
        assert!(maybe.source().is_some_and(|s| s.source().is_some()));
    }

    #[test]
    fn long_and_multi_line_text_is_cut_to_one_line() {
        let text = format!("a\nb{}", "x".repeat(5000));
        let shown = one_line(&text, 100);
        assert!(!shown.contains('\n'));
        assert!(shown.len() < 140, "{shown}");
        assert!(shown.ends_with("(5003 bytes in all)"), "{shown}");
    }
}
