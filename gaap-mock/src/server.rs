//! The HTTP/1.1 server: [`MockServer`] (in-process, for tests) and its builder.

use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;

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
use crate::signature::SigningKeys;
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
    /// A serving thread or its runtime could not be set up.
    #[error("cannot start a serving thread")]
    Thread(#[source] io::Error),
}

/// Configures a [`MockServer`].
#[derive(Debug)]
pub struct MockServerBuilder {
    addr: SocketAddr,
    credentials: Credentials,
    clock: Clock,
    rate_limit: bool,
    omit_replaced_fields: bool,
}

impl Default for MockServerBuilder {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            credentials: Credentials::default(),
            clock: Clock::system(),
            rate_limit: true,
            omit_replaced_fields: false,
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

    /// Stop returning output fields the page marks as replaced (e.g. `DescribeProxies`'
    /// deprecated `InstanceSet`, beside its `ProxySet`), as the service may one day;
    /// default: return them, as the service does today.
    pub fn omit_replaced_fields(mut self, omit: bool) -> Self {
        self.omit_replaced_fields = omit;
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

    /// Bind and serve on `threads` OS threads until `shutdown` completes, blocking the
    /// calling thread (one of the `threads`); what the binary runs.
    ///
    /// Each thread runs its own single-threaded Tokio runtime, accepts connections from the
    /// shared listening socket and serves every request of those connections itself: a
    /// request is read, answered and written on one thread, with no wake-up of another, which
    /// matters most when client and server share a core. `shutdown` is polled on the calling
    /// thread's runtime (so it may use `tokio::signal`).
    pub fn run(
        self,
        threads: NonZeroUsize,
        shutdown: impl Future<Output = ()>,
        on_ready: impl FnOnce(SocketAddr),
    ) -> Result<(), StartError> {
        let requested = self.addr;
        let bind_error = |source| StartError::Bind {
            addr: requested,
            source,
        };
        let listener = std::net::TcpListener::bind(requested).map_err(bind_error)?;
        listener.set_nonblocking(true).map_err(bind_error)?;
        let addr = listener.local_addr().map_err(bind_error)?;
        let shared = self.shared()?;
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let mut workers = Vec::with_capacity(threads.get() - 1);
        let mut spawned = Ok(());
        for index in 1..threads.get() {
            let worker = listener.try_clone().and_then(|listener| {
                let shared = Arc::clone(&shared);
                let mut stopped = stopped.clone();
                thread::Builder::new()
                    .name(format!("gaap-mock-{index}"))
                    .spawn(move || {
                        let stop = async move {
                            // A dropped sender means the server is going away too.
                            let _ = stopped.wait_for(|stop| *stop).await;
                        };
                        serve_on_this_thread(listener, shared, stop)
                    })
            });
            match worker {
                Ok(worker) => workers.push(worker),
                Err(e) => {
                    spawned = Err(StartError::Thread(e));
                    break;
                }
            }
        }
        let served = spawned.and_then(|()| {
            on_ready(addr);
            serve_on_this_thread(listener, shared, shutdown)
        });
        let _ = stop.send(true);
        for worker in workers {
            let joined = worker
                .join()
                .unwrap_or_else(|_| Err(StartError::Thread(io::Error::other("thread panicked"))));
            if served.is_ok() {
                joined?;
            }
        }
        served
    }

    async fn bind(self) -> Result<(TcpListener, Arc<Shared>), StartError> {
        let addr = self.addr;
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| StartError::Bind { addr, source })?;
        Ok((listener, self.shared()?))
    }

    fn shared(mut self) -> Result<Arc<Shared>, StartError> {
        let spec = Spec::embedded().map_err(StartError::Spec)?;
        if self.credentials.is_empty() {
            self.credentials
                .insert(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY);
        }
        Ok(Arc::new(Shared {
            spec,
            credentials: self.credentials,
            signing_keys: SigningKeys::default(),
            clock: self.clock,
            faults: Faults::default(),
            rate_limit: self.rate_limit,
            omit_replaced_fields: self.omit_replaced_fields,
            limiter: RateLimiter::default(),
            store: Mutex::new(Store::default()),
            counts: Mutex::new(HashMap::new()),
        }))
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

/// Accept and serve connections from `listener` on a single-threaded runtime owned by the
/// calling thread, until `shutdown` completes.
fn serve_on_this_thread(
    listener: std::net::TcpListener,
    shared: Arc<Shared>,
    shutdown: impl Future<Output = ()>,
) -> Result<(), StartError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(StartError::Thread)?;
    runtime.block_on(async {
        let listener = TcpListener::from_std(listener).map_err(StartError::Thread)?;
        accept_loop(listener, shared, shutdown).await;
        Ok(())
    })
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
            let request_id = envelope::request_id();
            return Ok(json_response(
                &envelope::error(&err, &request_id),
                &request_id,
            ));
        }
    };
    let received = Received {
        method: parts.method.as_str().to_owned(),
        headers,
        raw_query: parts.uri.query().unwrap_or_default().to_owned(),
        body,
    };
    match shared.answer(&received).await {
        Reply::Json(value, request_id) => Ok(json_response(&value, &request_id)),
        Reply::Status(status) => Ok(status_response(status)),
        Reply::Drop => Err(Dropped),
    }
}

/// HTTP 200, `Content-Type: application/json` exactly (the Python SDK compares it verbatim).
fn json_response(value: &serde_json::Value, request_id: &str) -> Response<Full<Bytes>> {
    let mut body = Vec::with_capacity(256);
    if serde_json::to_writer(&mut body, value).is_err() {
        body.clear();
    }
    let request_id = HeaderValue::from_str(request_id).ok();
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
