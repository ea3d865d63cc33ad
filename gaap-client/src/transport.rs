//! HTTP transport: a pooled reqwest client over rustls (no OpenSSL), gzip, connect and total
//! timeouts, a cap on the size of a reply, and the mapping of its failures onto
//! [`TransportError`] kinds.
//!
//! The cap applies twice: to a declared `Content-Length` before anything is read, and to
//! the decoded (decompressed) stream while it is read, so a gzip bomb or an endless body
//! stops at the cap with at most one chunk more in memory.

use std::time::Duration;

use reqwest::header::HeaderMap;

use crate::config::ConfigError;
use crate::error::{ResponseError, ResponseErrorKind, TransportError, TransportErrorKind};

/// A reply as read from the wire.
#[derive(Debug)]
pub(crate) struct HttpReply {
    pub(crate) status: u16,
    pub(crate) body: Vec<u8>,
}

/// Why an exchange failed: no reply at all, or a reply whose body could not be read.
#[derive(Debug)]
pub(crate) enum ExchangeError {
    Transport(TransportError),
    Body(ResponseError),
}

/// The shared HTTP client and the endpoint it posts to.
#[derive(Debug, Clone)]
pub(crate) struct Transport {
    http: reqwest::Client,
    /// The endpoint, parsed once (reqwest would otherwise re-parse it on every call).
    url: reqwest::Url,
    /// Largest reply body accepted, in bytes, after decompression.
    max_response_bytes: usize,
}

impl Transport {
    pub(crate) fn new(
        url: &str,
        connect_timeout: Duration,
        timeout: Option<Duration>,
        max_response_bytes: usize,
    ) -> Result<Self, ConfigError> {
        // Already checked by `Endpoint::parse` (which refuses userinfo); the URL is not
        // repeated in case it ever carried any.
        let url = reqwest::Url::parse(url)
            .map_err(|e| ConfigError::new(format!("invalid endpoint URL: {e}")))?;
        let mut builder = reqwest::Client::builder()
            // API calls are signed POSTs to one host; a redirect is a misconfiguration to
            // report (as an HTTP status), never something to follow.
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(connect_timeout)
            .pool_idle_timeout(Duration::from_secs(90))
            .pool_max_idle_per_host(32)
            .tcp_nodelay(true)
            .gzip(true)
            .user_agent(concat!("gaap-sdk-rust/", env!("CARGO_PKG_VERSION")));
        if let Some(timeout) = timeout {
            builder = builder.timeout(timeout);
        }
        let http = builder
            .build()
            .map_err(|_| ConfigError::new("failed to initialize the HTTP client (TLS backend)"))?;
        Ok(Self {
            http,
            url,
            max_response_bytes,
        })
    }

    /// POST `body` to the endpoint with `headers`, and read the whole reply.
    pub(crate) async fn post(
        &self,
        headers: HeaderMap,
        body: Vec<u8>,
    ) -> Result<HttpReply, ExchangeError> {
        let mut request = reqwest::Request::new(reqwest::Method::POST, self.url.clone());
        *request.headers_mut() = headers;
        *request.body_mut() = Some(body.into());
        let mut response = self
            .http
            .execute(request)
            .await
            .map_err(|e| ExchangeError::Transport(transport_error(e)))?;
        let status = response.status().as_u16();
        let cap = self.max_response_bytes;
        let too_large = |read: usize| {
            ExchangeError::Body(
                ResponseError::new(ResponseErrorKind::TooLarge, status, b"").with_detail(format!(
                    "more than {cap} bytes (read {read} before stopping)"
                )),
            )
        };
        // Before reading: a declared length over the cap (reqwest hides it when it
        // decompresses, and then the stream check below applies).
        if let Some(declared) = response.content_length()
            && declared > cap as u64
        {
            return Err(too_large(0));
        }
        let mut body = Vec::with_capacity(
            response
                .content_length()
                .map_or(1024, |n| usize::try_from(n).unwrap_or(cap).min(cap)),
        );
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() + chunk.len() > cap {
                        return Err(too_large(body.len() + chunk.len()));
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => return Ok(HttpReply { status, body }),
                Err(e) if e.is_timeout() => {
                    return Err(ExchangeError::Transport(transport_error(e)));
                }
                // The status line arrived but the body was cut off (connection closed
                // early, bad chunking or gzip stream).
                Err(e) => {
                    return Err(ExchangeError::Body(
                        ResponseError::new(ResponseErrorKind::Truncated, status, &body)
                            .with_detail(error_chain(&e)),
                    ));
                }
            }
        }
    }
}

fn transport_error(err: reqwest::Error) -> TransportError {
    // A connect timeout is a connection that was never established (nothing was sent).
    let kind = if err.is_connect() {
        TransportErrorKind::Connect
    } else if err.is_timeout() {
        TransportErrorKind::Timeout
    } else {
        TransportErrorKind::Other
    };
    TransportError::new(kind, Some(Box::new(err)))
}

/// The messages of an error's source chain, joined (never the request headers).
fn error_chain(err: &dyn std::error::Error) -> String {
    let mut parts = Vec::new();
    let mut current = err.source();
    while let Some(e) = current {
        parts.push(e.to_string());
        current = e.source();
    }
    if parts.is_empty() {
        "failed to read the body".to_owned()
    } else {
        parts.join(": ")
    }
}
