//! A mock transport for unit tests of code that calls GAAP (cargo feature `test-util`):
//! no server, no network; canned replies per action, and a record of every request.
//!
//! The client built over a [`MockTransport`]
//! ([`ClientBuilder::mock_transport`](crate::ClientBuilder::mock_transport)) runs
//! everything but the socket: validation, `ClientToken` filling, rate limiting,
//! credentials, signing (the recorded headers carry the real `Authorization`), retries
//! with backoff, and decoding of the reply into the typed response or error.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use gaap_client::gaap_model::{operation::describe_proxies::DescribeProxiesRequest, operation::describe_proxies::DescribeProxiesResponse, ErrorMetadata};
//! use gaap_client::test_util::{MockReply, MockTransport};
//!
//! let mock = MockTransport::new();
//! mock.on::<DescribeProxiesRequest, _>(|request| {
//!     assert_eq!(request.limit, Some(5));
//!     let mut response = DescribeProxiesResponse::default();
//!     response.total_count = Some(0);
//!     Ok(response)
//! });
//! // Fail the first attempt with a rate limit: the client retries.
//! mock.on_action_once("DescribeProxies", MockReply::service_error("RequestLimitExceeded", "slow down"));
//!
//! let client = gaap_client::Client::builder()
//!     .credentials(gaap_client::Credentials::new("AKIDexample", "example-key"))
//!     .retry(gaap_client::RetryConfig::new().initial_backoff(std::time::Duration::from_millis(1)))
//!     .mock_transport(mock.clone())
//!     .build()?;
//! let reply = client.describe_proxies().limit(5).send().await?;
//! assert_eq!(reply.total_count, Some(0));
//! assert_eq!(mock.calls().len(), 2);
//! assert_eq!(mock.calls()[0].action(), "DescribeProxies");
//! # let _ = ErrorMetadata::default();
//! # Ok(())
//! # }
//! ```

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use gaap_model::{ErrorMetadata, Operation};
use reqwest::header::HeaderMap;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{TransportError, TransportErrorKind};
use crate::transport::{ExchangeError, HttpReply};

type Handler = Arc<dyn Fn(&MockCall) -> MockReply + Send + Sync>;

/// One request the client sent to the mock.
#[derive(Clone)]
pub struct MockCall {
    action: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl fmt::Debug for MockCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockCall")
            .field("action", &self.action)
            .field("trace_id", &self.header("x-tc-traceid"))
            .field("body", &String::from_utf8_lossy(&self.body))
            .finish_non_exhaustive()
    }
}

impl MockCall {
    /// The action (`X-TC-Action`).
    pub fn action(&self) -> &str {
        &self.action
    }

    /// A request header by lowercase name (`authorization`, `x-tc-traceid`...).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The JSON body as sent.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }

    /// The body as a typed request (`DescribeProxiesRequest`...).
    pub fn input<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }
}

/// What the mock answers.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum MockReply {
    /// A success: the `Response` object (a `RequestId` is added when missing).
    Output(serde_json::Value),
    /// A service error envelope (HTTP 200, as the real API answers).
    ServiceError {
        /// `Response.Error.Code`.
        code: String,
        /// `Response.Error.Message`.
        message: String,
    },
    /// A raw HTTP reply (an HTML error page, a 502...).
    Http {
        /// Status code.
        status: u16,
        /// Body bytes.
        body: Vec<u8>,
    },
    /// The connection could not be established (nothing was sent).
    ConnectFailure,
    /// The attempt timed out after sending (the request may have been applied).
    Timeout,
}

impl MockReply {
    /// A success carrying `response` (a generated `XxxResponse`, or any serializable
    /// value with the response's PascalCase fields).
    pub fn output(response: &impl Serialize) -> Self {
        match serde_json::to_value(response) {
            Ok(value) => MockReply::Output(value),
            Err(e) => MockReply::ServiceError {
                code: "InternalError".to_owned(),
                message: format!("mock: the canned response does not serialize: {e}"),
            },
        }
    }

    /// A service error with `code` and `message`.
    pub fn service_error(code: impl Into<String>, message: impl Into<String>) -> Self {
        MockReply::ServiceError {
            code: code.into(),
            message: message.into(),
        }
    }

    /// A raw HTTP reply.
    pub fn http(status: u16, body: impl Into<Vec<u8>>) -> Self {
        MockReply::Http {
            status,
            body: body.into(),
        }
    }
}

/// Canned replies per action and a record of every request; share it with
/// [`ClientBuilder::mock_transport`](crate::ClientBuilder::mock_transport) (it is an
/// `Arc`, so the test keeps a handle to add replies and read the calls).
#[derive(Default)]
pub struct MockTransport {
    handlers: Mutex<HashMap<String, Handler>>,
    once: Mutex<HashMap<String, VecDeque<MockReply>>>,
    fallback: Mutex<Option<Handler>>,
    calls: Mutex<Vec<MockCall>>,
    request_ids: AtomicU64,
}

impl fmt::Debug for MockTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockTransport")
            .field("calls", &lock(&self.calls).len())
            .finish_non_exhaustive()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl MockTransport {
    /// An empty mock: every action answers `InvalidAction` until given a reply.
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    /// Answer action `O` with `handler`, which sees the typed request (decoded from what
    /// the client sent) and returns the typed response or the service error to send.
    pub fn on<O, F>(&self, handler: F)
    where
        O: Operation + DeserializeOwned,
        O::Output: Serialize,
        F: Fn(O) -> Result<O::Output, ErrorMetadata> + Send + Sync + 'static,
    {
        let typed = move |call: &MockCall| match call.input::<O>() {
            Ok(request) => match handler(request) {
                Ok(output) => MockReply::output(&output),
                Err(meta) => MockReply::service_error(meta.code, meta.message),
            },
            Err(e) => MockReply::service_error(
                "InvalidParameter",
                format!("mock: the request does not decode as {}: {e}", O::ACTION),
            ),
        };
        lock(&self.handlers).insert(O::ACTION.to_owned(), Arc::new(typed));
    }

    /// Answer `action` with `handler` (raw: any [`MockReply`]).
    pub fn on_action(
        &self,
        action: impl Into<String>,
        handler: impl Fn(&MockCall) -> MockReply + Send + Sync + 'static,
    ) {
        lock(&self.handlers).insert(action.into(), Arc::new(handler));
    }

    /// Answer the next request of `action` with `reply`, before its handler (queued:
    /// call it several times to script several attempts).
    pub fn on_action_once(&self, action: impl Into<String>, reply: MockReply) {
        lock(&self.once)
            .entry(action.into())
            .or_default()
            .push_back(reply);
    }

    /// Answer actions that have no handler with `handler`.
    pub fn fallback(&self, handler: impl Fn(&MockCall) -> MockReply + Send + Sync + 'static) {
        *lock(&self.fallback) = Some(Arc::new(handler));
    }

    /// Every request so far, oldest first.
    pub fn calls(&self) -> Vec<MockCall> {
        lock(&self.calls).clone()
    }

    /// The requests of `action`.
    pub fn calls_to(&self, action: &str) -> Vec<MockCall> {
        lock(&self.calls)
            .iter()
            .filter(|c| c.action == action)
            .cloned()
            .collect()
    }

    /// One exchange: record, pick the reply, render it as the wire would carry it.
    pub(crate) fn exchange(
        &self,
        headers: HeaderMap,
        body: Vec<u8>,
    ) -> Result<HttpReply, ExchangeError> {
        let call = MockCall {
            action: headers
                .get("x-tc-action")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned(),
            headers: headers
                .iter()
                .map(|(n, v)| {
                    (
                        n.as_str().to_owned(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect(),
            body,
        };
        lock(&self.calls).push(call.clone());
        let queued = lock(&self.once)
            .get_mut(&call.action)
            .and_then(VecDeque::pop_front);
        let reply = match queued {
            Some(reply) => reply,
            None => {
                let handler = lock(&self.handlers)
                    .get(&call.action)
                    .cloned()
                    .or_else(|| lock(&self.fallback).clone());
                match handler {
                    Some(handler) => handler(&call),
                    None => MockReply::service_error(
                        "InvalidAction",
                        format!("mock: no reply for {}", call.action),
                    ),
                }
            }
        };
        let request_id = format!(
            "mock-{}",
            self.request_ids.fetch_add(1, Ordering::Relaxed) + 1
        );
        let envelope = |response: serde_json::Value| HttpReply {
            status: 200,
            body: serde_json::to_vec(&serde_json::json!({ "Response": response }))
                .unwrap_or_default(),
        };
        match reply {
            MockReply::Output(mut value) => {
                if let Some(object) = value.as_object_mut() {
                    let missing = object.get("RequestId").is_none_or(|id| id.is_null());
                    if missing {
                        object.insert("RequestId".to_owned(), request_id.into());
                    }
                }
                Ok(envelope(value))
            }
            MockReply::ServiceError { code, message } => Ok(envelope(serde_json::json!({
                "Error": { "Code": code, "Message": message },
                "RequestId": request_id,
            }))),
            MockReply::Http { status, body } => Ok(HttpReply { status, body }),
            MockReply::ConnectFailure => Err(ExchangeError::Transport(TransportError::new(
                TransportErrorKind::Connect,
                Some("mock: connection refused".into()),
            ))),
            MockReply::Timeout => Err(ExchangeError::Transport(TransportError::new(
                TransportErrorKind::Timeout,
                Some("mock: timed out".into()),
            ))),
        }
    }
}
