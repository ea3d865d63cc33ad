//! Test support: a tiny HTTP/1.1 server on loopback that records raw requests and answers
//! with raw bytes, and a hand-written `Operation` with its error enum.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::fmt;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use gaap_model::{
    ErrorMetadata, Idempotency, Operation, Paginated, Rule, ServiceError, Validate, Violation,
};
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::time::Instant;

pub const SECRET_ID: &str = "AKIDtestsecretid";
pub const SECRET_KEY: &str = "testsecretkey0123456789";

/// One request as the server received it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub target: String,
    /// Header names lowercased, values as received, in order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// When it arrived, on tokio's clock.
    pub at: Instant,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

/// What the server does with a request.
pub enum Reply {
    /// Write these bytes, then close.
    Raw(Vec<u8>),
    /// Never answer.
    Hang,
    /// Write `head`, then `chunk` again and again (at most `max_chunks` times: a bounded
    /// "endless" body), stopping when the client goes away.
    Endless {
        head: Vec<u8>,
        chunk: Vec<u8>,
        max_chunks: usize,
    },
}

pub struct TestServer {
    pub addr: SocketAddr,
    pub requests: Arc<Mutex<Vec<Recorded>>>,
}

impl TestServer {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }

    pub fn count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }
}

/// Serve on 127.0.0.1; `handler(n, request)` answers the n-th request (0-based).
pub async fn serve<F>(handler: F) -> TestServer
where
    F: Fn(usize, &Recorded) -> Reply + Send + Sync + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let requests = Arc::new(Mutex::new(Vec::new()));
    let handler = Arc::new(handler);
    let recorded = Arc::clone(&requests);
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let handler = Arc::clone(&handler);
            let recorded = Arc::clone(&recorded);
            tokio::spawn(async move {
                let Some(request) = read_request(&mut socket).await else {
                    return;
                };
                let n = {
                    let mut all = recorded.lock().unwrap();
                    all.push(request.clone());
                    all.len() - 1
                };
                match handler(n, &request) {
                    Reply::Raw(bytes) => {
                        let _ = socket.write_all(&bytes).await;
                        let _ = socket.shutdown().await;
                    }
                    Reply::Hang => {
                        tokio::time::sleep(Duration::from_secs(3600)).await;
                    }
                    Reply::Endless {
                        head,
                        chunk,
                        max_chunks,
                    } => {
                        if socket.write_all(&head).await.is_err() {
                            return;
                        }
                        for _ in 0..max_chunks {
                            if socket.write_all(&chunk).await.is_err() {
                                return;
                            }
                        }
                        let _ = socket.shutdown().await;
                    }
                }
            });
        }
    });
    TestServer { addr, requests }
}

pub async fn read_request(socket: &mut tokio::net::TcpStream) -> Option<Recorded> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let header_end = loop {
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos;
        }
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let at = Instant::now();
    let head = String::from_utf8(buf[..header_end].to_vec()).ok()?;
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_owned();
    let target = request_line.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .map_or(0, |(_, v)| v.parse().unwrap());
    let mut body = buf[header_end + 4..].to_vec();
    while body.len() < length {
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some(Recorded {
        method,
        target,
        headers,
        body,
        at,
    })
}

/// A complete HTTP reply.
pub fn http(status: u16, content_type: &str, body: &str) -> Reply {
    Reply::Raw(
        format!(
            "HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .into_bytes(),
    )
}

/// A 200 JSON reply.
pub fn json(body: &str) -> Reply {
    http(200, "application/json", body)
}

/// A success envelope with `fields` (a JSON object body without braces) and a RequestId.
pub fn ok(fields: &str, request_id: &str) -> Reply {
    let sep = if fields.is_empty() { "" } else { "," };
    json(&format!(
        r#"{{"Response":{{{fields}{sep}"RequestId":"{request_id}"}}}}"#
    ))
}

/// An error envelope.
pub fn error(code: &str, message: &str, request_id: &str) -> Reply {
    json(&format!(
        r#"{{"Response":{{"Error":{{"Code":"{code}","Message":"{message}"}},"RequestId":"{request_id}"}}}}"#
    ))
}

/// A client for `server` with test credentials, deterministic backoff and no rate limit.
pub fn client(server: &TestServer) -> gaap_client::ClientBuilder {
    gaap_client::Client::builder()
        .endpoint(server.url())
        .credentials(gaap_client::Credentials::new(SECRET_ID, SECRET_KEY))
        .retry(
            gaap_client::RetryConfig::new()
                .initial_backoff(Duration::from_millis(100))
                .jitter(gaap_client::Jitter::None),
        )
        .rate_limit(gaap_client::RateLimitConfig::disabled())
}

// ---- A hand-written operation -----------------------------------------------------------

/// `CreateWidget`: takes a ClientToken.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CreateWidget {
    #[serde(rename = "Name")]
    pub name: String,
    #[serde(rename = "ClientToken", skip_serializing_if = "Option::is_none")]
    pub client_token: Option<String>,
}

impl CreateWidget {
    pub fn named(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            client_token: None,
        }
    }
}

impl Validate for CreateWidget {
    fn validate_into(&self, prefix: &str, out: &mut Vec<Violation>) {
        if self.name.is_empty() {
            out.push(Violation {
                field: format!("{prefix}Name"),
                rule: Rule::Required,
                detail: None,
            });
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct CreateWidgetResponse {
    #[serde(rename = "WidgetId")]
    pub widget_id: Option<String>,
    #[serde(rename = "RequestId")]
    pub request_id: Option<String>,
}

impl Operation for CreateWidget {
    const ACTION: &'static str = "CreateWidget";
    const RATE_LIMIT_PER_SECOND: Option<u32> = None;
    type Output = CreateWidgetResponse;
    type Error = WidgetError;
    const IDEMPOTENCY: Idempotency = Idempotency::ClientToken;

    fn idempotency_token(&mut self) -> Option<&mut Option<String>> {
        Some(&mut self.client_token)
    }
}

/// `ListWidgets`: paged with Offset/Limit, reports TotalCount.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ListWidgets {
    #[serde(rename = "Offset", skip_serializing_if = "Option::is_none")]
    pub offset: Option<i64>,
    #[serde(rename = "Limit", skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
}

impl Validate for ListWidgets {
    fn validate_into(&self, _prefix: &str, _out: &mut Vec<Violation>) {}
}

#[derive(Debug, Clone, Deserialize)]
pub struct ListWidgetsResponse {
    #[serde(rename = "TotalCount")]
    pub total_count: Option<i64>,
    #[serde(rename = "WidgetSet", default)]
    pub widget_set: Option<Vec<String>>,
    #[serde(rename = "RequestId")]
    pub request_id: Option<String>,
}

impl Operation for ListWidgets {
    const ACTION: &'static str = "ListWidgets";
    const RATE_LIMIT_PER_SECOND: Option<u32> = Some(20);
    type Output = ListWidgetsResponse;
    type Error = WidgetError;
    const IDEMPOTENCY: Idempotency = Idempotency::ReadOnly;
}

impl Paginated for ListWidgets {
    type Item = String;

    fn offset(&self) -> i64 {
        self.offset.unwrap_or(0)
    }

    fn set_offset(&mut self, offset: i64) {
        self.offset = Some(offset);
    }

    fn into_page(output: Self::Output) -> (Vec<Self::Item>, Option<i64>) {
        (output.widget_set.unwrap_or_default(), output.total_count)
    }
}

/// The error enum of the widget actions.
#[derive(Debug)]
#[non_exhaustive]
pub enum WidgetError {
    /// `FailedOperation.WidgetBusy`.
    FailedOperationWidgetBusy(ErrorMetadata),
    /// Any other code.
    Unhandled(ErrorMetadata),
}

impl From<ErrorMetadata> for WidgetError {
    fn from(meta: ErrorMetadata) -> Self {
        match meta.code.as_str() {
            "FailedOperation.WidgetBusy" => Self::FailedOperationWidgetBusy(meta),
            _ => Self::Unhandled(meta),
        }
    }
}

impl fmt::Display for WidgetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.meta(), f)
    }
}

impl std::error::Error for WidgetError {}

impl ServiceError for WidgetError {
    const ACTION: &'static str = "Widget";
    fn meta(&self) -> &ErrorMetadata {
        match self {
            Self::FailedOperationWidgetBusy(m) | Self::Unhandled(m) => m,
        }
    }
}
