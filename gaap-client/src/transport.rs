//! HTTP transport: a pooled reqwest client over rustls (no OpenSSL), gzip, connect and total
//! timeouts, a cap on the size of a reply, and the mapping of its failures onto
//! [`TransportError`] kinds.
//!
//! The cap applies twice: to a declared `Content-Length` before anything is read, and to
//! the decoded (decompressed) stream while it is read, so a gzip bomb or an endless body
//! stops at the cap with at most one chunk more in memory.

use std::time::Duration;

use reqwest::header::HeaderMap;

use crate::config::{ConfigError, NetworkConfig, redact_userinfo};
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
    /// The explicit proxy, password redacted, to name it in connection errors.
    proxy_shown: Option<String>,
    #[cfg(feature = "test-util")]
    pub(crate) mock: Option<std::sync::Arc<crate::test_util::MockTransport>>,
}

impl Transport {
    pub(crate) fn new(
        url: &str,
        connect_timeout: Duration,
        max_response_bytes: usize,
        network: &NetworkConfig,
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
        let mut proxy_shown = None;
        if let Some(proxy) = &network.proxy {
            let shown = redact_userinfo(proxy);
            let bad = |why: &str| ConfigError::new(format!("invalid proxy URL {shown:?}: {why}"));
            let parsed = reqwest::Url::parse(proxy).map_err(|e| bad(&e.to_string()))?;
            if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
                return Err(bad(
                    "expected http://[user:password@]host:port or https://...",
                ));
            }
            let mut p = reqwest::Proxy::all(parsed).map_err(|_| bad("not a proxy URL"))?;
            if let Some(hosts) = &network.no_proxy {
                p = p.no_proxy(reqwest::NoProxy::from_string(hosts));
            }
            builder = builder.proxy(p);
            proxy_shown = Some(shown);
        } else if !network.env_proxy {
            builder = builder.no_proxy();
        } else {
            proxy_shown = env_proxy(&url);
        }
        for pem in &network.root_certificates {
            let certificates = reqwest::Certificate::from_pem_bundle(pem)
                .ok()
                .filter(|c| !c.is_empty())
                .ok_or_else(|| {
                    ConfigError::new(
                        "invalid root certificate bundle: expected PEM `CERTIFICATE` blocks",
                    )
                })?;
            for certificate in certificates {
                builder = builder.add_root_certificate(certificate);
            }
        }
        builder = builder.tls_built_in_root_certs(network.built_in_roots);
        let http = builder.build().map_err(|_| {
            ConfigError::new(
                "failed to initialize the HTTP client (TLS backend or root certificates)",
            )
        })?;
        Ok(Self {
            http,
            url,
            max_response_bytes,
            proxy_shown,
            #[cfg(feature = "test-util")]
            mock: None,
        })
    }

    /// A transport error from reqwest's, naming the explicit proxy when the connection
    /// (to it) failed.
    fn transport_error(&self, err: reqwest::Error) -> TransportError {
        match &self.proxy_shown {
            Some(proxy) if err.is_connect() => TransportError::new(
                TransportErrorKind::Connect,
                Some(
                    format!(
                        "could not connect through the proxy {proxy}: {}",
                        error_chain(&err)
                    )
                    .into(),
                ),
            ),
            _ => transport_error(err),
        }
    }

    /// POST `body` to the endpoint with `headers`, and read the whole reply.
    /// POST `body` with `headers`, with the attempt `timeout` (`None`: no limit).
    pub(crate) async fn post(
        &self,
        headers: HeaderMap,
        body: Vec<u8>,
        timeout: Option<Duration>,
    ) -> Result<HttpReply, ExchangeError> {
        #[cfg(feature = "test-util")]
        if let Some(mock) = &self.mock {
            return mock.exchange(headers, body);
        }
        let mut request = reqwest::Request::new(reqwest::Method::POST, self.url.clone());
        *request.headers_mut() = headers;
        *request.body_mut() = Some(body.into());
        *request.timeout_mut() = timeout;
        let mut response = self
            .http
            .execute(request)
            .await
            .map_err(|e| ExchangeError::Transport(self.transport_error(e)))?;
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
        match read_capped(&mut response, cap).await {
            Ok(body) => Ok(HttpReply { status, body }),
            Err(CappedReadError::TooLarge { read }) => Err(too_large(read)),
            Err(CappedReadError::Failed { error, .. }) if error.is_timeout() => {
                Err(ExchangeError::Transport(transport_error(error)))
            }
            // The status line arrived but the body was cut off (connection closed
            // early, bad chunking or gzip stream).
            Err(CappedReadError::Failed { partial, error }) => Err(ExchangeError::Body(
                ResponseError::new(ResponseErrorKind::Truncated, status, &partial)
                    .with_detail(error_chain(&error)),
            )),
        }
    }
}

/// Why [`read_capped`] stopped before the end of the body.
pub(crate) enum CappedReadError {
    /// The body is longer than the cap (`read`: bytes seen when it stopped).
    TooLarge {
        /// Bytes read, the chunk that crossed the cap included.
        read: usize,
    },
    /// Reading failed (a timeout, a cut-off body); `partial` is what arrived.
    Failed {
        /// The bytes read before the failure.
        partial: Vec<u8>,
        /// The failure.
        error: reqwest::Error,
    },
}

/// A response body, read chunk by chunk and refused as soon as it passes `cap` bytes, so
/// a hostile peer never makes the client hold more than `cap` bytes of it (used by the
/// API transport and by the STS credential providers).
pub(crate) async fn read_capped(
    response: &mut reqwest::Response,
    cap: usize,
) -> Result<Vec<u8>, CappedReadError> {
    let mut body = Vec::with_capacity(
        response
            .content_length()
            .map_or(1024, |n| usize::try_from(n).unwrap_or(cap).min(cap)),
    );
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > cap {
                    return Err(CappedReadError::TooLarge {
                        read: body.len() + chunk.len(),
                    });
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(body),
            Err(error) => {
                return Err(CappedReadError::Failed {
                    partial: body,
                    error,
                });
            }
        }
    }
}

/// The proxy reqwest takes from the environment for `url`, redacted and with the variable
/// it came from, when `NO_PROXY` is unset (so it surely applies). Read once, at build, as
/// reqwest does.
fn env_proxy(url: &reqwest::Url) -> Option<String> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    if var("NO_PROXY").or_else(|| var("no_proxy")).is_some() {
        return None;
    }
    let mut names = Vec::new();
    if url.scheme() == "https" {
        names.extend(["HTTPS_PROXY", "https_proxy"]);
    } else if var("REQUEST_METHOD").is_none() {
        names.extend(["HTTP_PROXY", "http_proxy"]);
    }
    names.extend(["ALL_PROXY", "all_proxy"]);
    // Only a variable reqwest could use: an unparseable one is ignored by it, and blaming
    // it for a direct connection's failure would mislead.
    names.into_iter().find_map(|name| {
        var(name)
            .filter(|value| reqwest::Proxy::all(value.as_str()).is_ok())
            .map(|value| format!("{} (from {name})", redact_userinfo(&value)))
    })
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
pub(crate) fn error_chain(err: &dyn std::error::Error) -> String {
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
