//! The HTTP/1.1 server: [`MockServer`] (in-process, for tests) and its builder.

use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{CONTENT_TYPE, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use crate::clock::Clock;
use crate::credentials::{Credentials, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY};
use crate::envelope::{self, ApiError};
use crate::faults::Faults;
use crate::handler::{Received, Reply, Shared};
use crate::rate_limit::RateLimiter;
use crate::spec::{Spec, SpecError};
use crate::state::Store;

/// Largest accepted body: the TC3 limit of 10 MB.
const MAX_BODY: usize = 10 * 1024 * 1024;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The listening socket could not be bound.
    #[error("cannot listen on {addr}")]
    Bind {
        /// The requested address.
        addr: SocketAddr,
        /// The cause.
        #[source]
        source: io::Error,
    },
    /// The embedded IR is unreadable (a build problem).
    #[error("the embedded API description is unreadable")]
    Spec(#[source] &'static SpecError),
}

/// Configures a [`MockServer`].
#[derive(Debug)]
pub struct MockServerBuilder {
    addr: SocketAddr,
    credentials: Credentials,
    clock: Clock,
    rate_limit: bool,
}

impl Default for MockServerBuilder {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            credentials: Credentials::default(),
            clock: Clock::system(),
            rate_limit: true,
        }
    }
}

impl MockServerBuilder {
    /// Listen on `addr` (default `127.0.0.1:0`: a free port).
    pub fn listen(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// Accept this credential. Without any, the server accepts
    /// [`DEFAULT_SECRET_ID`]/[`DEFAULT_SECRET_KEY`].
    pub fn credential(
        mut self,
        secret_id: impl Into<String>,
        secret_key: impl Into<String>,
    ) -> Self {
        self.credentials.insert(secret_id, secret_key);
        self
    }

    /// Use this clock for signature timestamps (default: the system clock).
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// Enforce each action's documented requests-per-second limit (default: on).
    pub fn rate_limit(mut self, enabled: bool) -> Self {
        self.rate_limit = enabled;
        self
    }

    /// Bind and start serving in the background.
    pub async fn start(self) -> Result<MockServer, StartError> {
        let requested = self.addr;
        let (listener, shared) = self.bind().await?;
        let addr = listener.local_addr().map_err(|source| StartError::Bind {
            addr: requested,
            source,
        })?;
        let task = tokio::spawn(accept_loop(
            listener,
            Arc::clone(&shared),
            std::future::pending(),
        ));
        Ok(MockServer { addr, shared, task })
    }

    /// Bind and serve until `shutdown` completes (what the binary runs).
    pub async fn serve(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
        on_ready: impl FnOnce(SocketAddr),
    ) -> Result<(), StartError> {
        let (listener, shared) = self.bind().await?;
        if let Ok(addr) = listener.local_addr() {
            on_ready(addr);
        }
        accept_loop(listener, shared, shutdown).await;
        Ok(())
    }

    async fn bind(mut self) -> Result<(TcpListener, Arc<Shared>), StartError> {
        let spec = Spec::embedded().map_err(StartError::Spec)?;
        if self.credentials.is_empty() {
            self.credentials
                .insert(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY);
        }
        let addr = self.addr;
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| StartError::Bind { addr, source })?;
        let shared = Arc::new(Shared {
            spec,
            credentials: self.credentials,
            clock: self.clock,
            faults: Faults::default(),
            rate_limit: self.rate_limit,
            limiter: RateLimiter::default(),
            store: Mutex::new(Store::default()),
            counts: Mutex::new(HashMap::new()),
        });
        Ok((listener, shared))
    }
}

/// A running emulator; it stops accepting connections when dropped.
#[derive(Debug)]
pub struct MockServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

impl MockServer {
    /// Start with the defaults: a free port on 127.0.0.1, the default credential, the system
    /// clock and rate limiting on.
    pub async fn start() -> Result<MockServer, StartError> {
        MockServerBuilder::default().start().await
    }

    /// Configure a server.
    pub fn builder() -> MockServerBuilder {
        MockServerBuilder::default()
    }

    /// The base URL, e.g. `http://127.0.0.1:41234`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The fault injection table of this server.
    pub fn faults(&self) -> &Faults {
        &self.shared.faults
    }

    /// The clock the server checks timestamps against.
    pub fn clock(&self) -> &Clock {
        &self.shared.clock
    }

    /// How many requests named `action` (in `X-TC-Action`) have arrived, whatever their fate.
    pub fn request_count(&self, action: &str) -> u64 {
        self.request_counts().get(action).copied().unwrap_or(0)
    }

    /// Requests received per action.
    pub fn request_counts(&self) -> BTreeMap<String, u64> {
        let counts = self
            .shared
            .counts
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        counts.iter().map(|(k, v)| (k.clone(), *v)).collect()
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn accept_loop(
    listener: TcpListener,
    shared: Arc<Shared>,
    shutdown: impl Future<Output = ()>,
) {
    tokio::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            () = &mut shutdown => return,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let shared = Arc::clone(&shared);
        tokio::spawn(async move {
            let service = service_fn(move |req| {
                let shared = Arc::clone(&shared);
                async move { serve_one(&shared, req).await }
            });
            if let Err(e) = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await
            {
                tracing::debug!(error = %e, "connection closed");
            }
        });
    }
}

/// The error a service returns to make hyper close the connection without answering.
#[derive(Debug, thiserror::Error)]
#[error("connection dropped by an injected fault")]
struct Dropped;

async fn serve_one(
    shared: &Shared,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Dropped> {
    let (parts, body) = req.into_parts();
    let headers = parts
        .headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = match Limited::new(body, MAX_BODY).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => {
            let err = ApiError::new(
                "RequestSizeLimitExceeded",
                "The request body exceeds the 10 MB limit.",
            );
            return Ok(json_response(&envelope::error(
                &err,
                &envelope::request_id(),
            )));
        }
    };
    let received = Received {
        method: parts.method.as_str().to_owned(),
        headers,
        raw_query: parts.uri.query().unwrap_or_default().to_owned(),
        body,
    };
    match shared.answer(&received).await {
        Reply::Json(value) => Ok(json_response(&value)),
        Reply::Status(status) => Ok(status_response(status)),
        Reply::Drop => Err(Dropped),
    }
}

/// HTTP 200, `Content-Type: application/json` exactly (the Python SDK compares it verbatim).
fn json_response(value: &serde_json::Value) -> Response<Full<Bytes>> {
    let body = serde_json::to_vec(value).unwrap_or_default();
    let request_id = value
        .pointer("/Response/RequestId")
        .and_then(serde_json::Value::as_str)
        .and_then(|id| HeaderValue::from_str(id).ok());
    let mut response = Response::new(Full::new(Bytes::from(body)));
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if let Some(id) = request_id {
        response.headers_mut().insert("X-TC-RequestId", id);
    }
    response
}

fn status_response(status: u16) -> Response<Full<Bytes>> {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = Response::new(Full::new(Bytes::from(
        status.canonical_reason().unwrap_or("error").to_owned(),
    )));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("text/plain"));
    response
}
