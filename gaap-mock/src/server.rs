//! The HTTP/1.1 server: [`MockServer`] (in-process, for tests) and its builder.

use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::num::NonZeroUsize;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::thread;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper::header::{CONTENT_TYPE, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpListener;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, SemaphorePermit};
use tokio::task::JoinHandle;

use crate::clock::Clock;
use crate::credentials::{Credentials, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY};
use crate::envelope::ApiError;
use crate::faults::Faults;
use crate::handler::{Limits, Received, Reply, Shared, body_too_large};
use crate::rate_limit::RateLimiter;
use crate::seed::SeedStep;
use crate::signature::SigningKeys;
use crate::spec::{Spec, SpecError};
use crate::state::Store;

/// Longest read timeout honoured (longer ones are shortened to it).
const MAX_READ_TIMEOUT: Duration = Duration::from_secs(24 * 60 * 60);

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
    /// A seed step failed (see [`MockServerBuilder::seed`]).
    #[error("seeding failed: {0}")]
    Seed(String),
}

/// Configures a [`MockServer`].
#[derive(Debug)]
pub struct MockServerBuilder {
    addr: SocketAddr,
    credentials: Credentials,
    clock: Clock,
    rate_limit: bool,
    omit_replaced_fields: bool,
    limits: Limits,
    state_delay: Duration,
    seed: Vec<SeedStep>,
}

impl Default for MockServerBuilder {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            credentials: Credentials::default(),
            clock: Clock::system(),
            rate_limit: true,
            omit_replaced_fields: false,
            limits: Limits::default(),
            state_delay: Duration::ZERO,
            seed: Vec::new(),
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

    /// Accept the temporary credential `secret_id`/`secret_key`: its requests must carry
    /// `token` (`X-TC-Token`, or the v1 `Token` parameter), or they get
    /// `AuthFailure.TokenFailure`.
    pub fn temporary_credential(
        mut self,
        secret_id: impl Into<String>,
        secret_key: impl Into<String>,
        token: impl Into<String>,
    ) -> Self {
        self.credentials
            .insert_temporary(secret_id, secret_key, token);
        self
    }

    /// How long a connection may take to send a request's head (or stay idle between
    /// requests) and, separately, its body, before it is closed (default 30 s).
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.limits.read_timeout = timeout;
        self
    }

    /// Most connections open at once (default 1024); connections beyond it are closed as
    /// soon as they are accepted.
    pub fn max_connections(mut self, max: usize) -> Self {
        self.limits.max_connections = max.max(1);
        self
    }

    /// Most request-body bytes buffered at once across all connections (default 64 MiB,
    /// never less than one largest body); a request waits for room within its read timeout.
    pub fn body_budget(mut self, bytes: usize) -> Self {
        self.limits.body_budget_bytes = bytes;
        self
    }

    /// Use this clock for signature timestamps (default: the system clock).
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// How long a transition takes on the server's clock (default: zero, every write lands
    /// in its final state at once): a new connection or group is `CREATING`, then
    /// `RUNNING`; OpenProxies `OPENING`, CloseProxies `CLOSING`, ModifyProxyConfiguration
    /// `ADJUSTING`, DestroyProxies and DeleteProxyGroup `DESTROYING` (then gone); a new
    /// listener `1` (creating) and one whose origin servers change `3`, then `0`; a task
    /// `RUNNING`, then `SUCCESS`. Whole seconds, rounded up. Tests drive it with
    /// [`Clock::fixed`] and [`Clock::set`].
    pub fn state_delay(mut self, delay: Duration) -> Self {
        self.state_delay = delay;
        self
    }

    /// Run `action` with `params` (a request body) before serving, as a seed step (see
    /// [`crate::seed`]): the resource starts in its final state whatever the state delay.
    /// `name` lets later steps refer to the ID it creates as `"${name}"`.
    pub fn seed(mut self, action: &str, params: serde_json::Value, name: Option<&str>) -> Self {
        self.seed.push(SeedStep {
            action: action.to_owned(),
            params,
            name: name.map(str::to_owned),
        });
        self
    }

    /// Seed steps read from a seed file's text (a JSON array, see [`crate::seed`]).
    pub fn seed_json(mut self, text: &str) -> Result<Self, StartError> {
        self.seed
            .extend(crate::seed::parse(text).map_err(StartError::Seed)?);
        Ok(self)
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
        let mut limits = self.limits;
        let largest_body = limits.max_body_bytes.max(limits.max_form_body_bytes);
        // Semaphores hold at most `Semaphore::MAX_PERMITS`; a budget must fit one body.
        limits.body_budget_bytes = limits
            .body_budget_bytes
            .clamp(largest_body, Semaphore::MAX_PERMITS);
        limits.max_connections = limits.max_connections.min(Semaphore::MAX_PERMITS);
        // Deadlines are computed as now + timeout: keep the sum representable.
        limits.read_timeout = limits
            .read_timeout
            .clamp(Duration::from_millis(1), MAX_READ_TIMEOUT);
        let mut store = Store::with_state_delay(state_delay_secs(self.state_delay));
        crate::seed::apply(&mut store, &self.seed, self.clock.now()).map_err(StartError::Seed)?;
        Ok(Arc::new(Shared {
            connections: Arc::new(Semaphore::new(limits.max_connections)),
            body_budget: Semaphore::new(limits.body_budget_bytes),
            nonces: Mutex::default(),
            limits,
            spec,
            credentials: self.credentials,
            signing_keys: SigningKeys::default(),
            clock: self.clock,
            faults: Faults::default(),
            rate_limit: self.rate_limit,
            omit_replaced_fields: self.omit_replaced_fields,
            limiter: RateLimiter::default(),
            store: Mutex::new(store),
            counts: Mutex::new(HashMap::new()),
        }))
    }
}

/// The account's state at one moment: [`MockServer::snapshot`], [`MockServer::restore`].
#[derive(Debug, Clone)]
pub struct StateSnapshot(Store);

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

    /// A copy of the account's whole state (resources, transitions under way, tasks,
    /// remembered ClientTokens), to [`MockServer::restore`] later.
    pub fn snapshot(&self) -> StateSnapshot {
        StateSnapshot(
            self.shared
                .store
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .clone(),
        )
    }

    /// Put the account back as it was at `snapshot` (faults, counters and the clock are
    /// left alone).
    pub fn restore(&self, snapshot: &StateSnapshot) {
        *self
            .shared
            .store
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = snapshot.0.clone();
    }

    /// How many requests named `action` (in `X-TC-Action`, or the v1 `Action`) have arrived,
    /// whatever their fate; only actions of the API are counted.
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
        let Ok(permit) = Arc::clone(&shared.connections).try_acquire_owned() else {
            tracing::warn!(
                max = shared.limits.max_connections,
                "connection limit reached; closing a new connection"
            );
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let shared = Arc::clone(&shared);
        tokio::spawn(serve_connection(stream, shared, permit));
    }
}

/// Serve one connection, holding its slot under the connection cap until it closes.
///
/// The header read timeout also bounds the wait for the next request on an idle keep-alive
/// connection (hyper starts it whenever it waits for a request head). A peer that stops
/// reading its answers (so a write waits longer than the read timeout) is disconnected too.
async fn serve_connection(
    stream: tokio::net::TcpStream,
    shared: Arc<Shared>,
    _permit: OwnedSemaphorePermit,
) {
    let read_timeout = shared.limits.read_timeout;
    let stream = Watched::new(stream);
    let write_stall = stream.stall.clone();
    let service = service_fn(move |req| {
        let shared = Arc::clone(&shared);
        async move { serve_one(&shared, req).await }
    });
    let connection = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(read_timeout)
        .serve_connection(TokioIo::new(stream), service);
    tokio::pin!(connection);
    let mut ticks = tokio::time::interval((read_timeout / 4).max(Duration::from_millis(10)));
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            served = &mut connection => {
                if let Err(e) = served {
                    tracing::debug!(error = %e, "connection closed");
                }
                return;
            }
            _ = ticks.tick() => {
                if write_stall.longer_than(read_timeout) {
                    tracing::info!("the peer stopped reading answers; closing its connection");
                    return;
                }
            }
        }
    }
}

/// Since when a connection's writes have been waiting on its peer, if they are.
#[derive(Debug, Clone)]
struct WriteStall {
    born: tokio::time::Instant,
    /// Milliseconds since `born` + 1 when a write started waiting; 0 when none waits.
    since: Arc<AtomicU64>,
}

impl WriteStall {
    fn note<T>(&self, poll: &Poll<T>) {
        if poll.is_pending() {
            if self.since.load(Ordering::Relaxed) == 0 {
                self.since.store(self.now_ms(), Ordering::Relaxed);
            }
        } else {
            self.since.store(0, Ordering::Relaxed);
        }
    }

    fn now_ms(&self) -> u64 {
        u64::try_from(self.born.elapsed().as_millis())
            .unwrap_or(u64::MAX)
            .saturating_add(1)
    }

    fn longer_than(&self, limit: Duration) -> bool {
        let since = self.since.load(Ordering::Relaxed);
        since != 0 && u128::from(self.now_ms().saturating_sub(since)) > limit.as_millis()
    }
}

/// A connection's socket, keeping a [`WriteStall`] up to date, and giving hyper's own
/// answers to oversized request heads the usual JSON envelope.
struct Watched {
    stream: tokio::net::TcpStream,
    stall: WriteStall,
    /// The envelope replacing hyper's answer, and how much of it is written.
    replacing: Option<(Vec<u8>, usize)>,
}

/// hyper answers a request line over 64 KB (`414`) or headers over its buffer (`431`) itself,
/// before any service runs, with an empty body and no `Content-Type` (an injected
/// `Fault::Http` answer always has one). The replacement: HTTP 200 with the
/// `RequestSizeLimitExceeded` envelope, closing the connection as hyper would.
fn oversized_head_answer(written: &[u8]) -> Option<Vec<u8>> {
    if !(written.starts_with(b"HTTP/1.1 414 ") || written.starts_with(b"HTTP/1.1 431 ")) {
        return None;
    }
    let head_end = written
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(written.len());
    let head = written.get(..head_end)?.to_ascii_lowercase();
    if head.windows(13).any(|w| w == b"content-type:") {
        return None;
    }
    let request_id = crate::envelope::request_id();
    let err = ApiError::new(
        "RequestSizeLimitExceeded",
        "The request line or headers are too large: the query string may be at most 32 KB.",
    );
    let body = serde_json::to_vec(&crate::envelope::error(&err, &request_id)).ok()?;
    tracing::info!(code = %err.code, %request_id, "error (oversized request head)");
    let mut answer = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-tc-requestid: {request_id}\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    answer.extend_from_slice(&body);
    Some(answer)
}

impl Watched {
    fn new(stream: tokio::net::TcpStream) -> Self {
        Self {
            stream,
            stall: WriteStall {
                born: tokio::time::Instant::now(),
                since: Arc::new(AtomicU64::new(0)),
            },
            replacing: None,
        }
    }

    /// When `first` (the start of what hyper writes, `total` bytes in all) is hyper's own
    /// answer to an oversized head, or one is being replaced: write the replacement instead,
    /// reporting all `total` bytes written once it is out.
    fn write_replacing(
        &mut self,
        cx: &mut Context<'_>,
        first: &[u8],
        total: usize,
    ) -> Option<Poll<io::Result<usize>>> {
        if self.replacing.is_none() {
            self.replacing = Some((oversized_head_answer(first)?, 0));
        }
        let Watched {
            stream, replacing, ..
        } = self;
        loop {
            let (bytes, done) = replacing.as_mut()?;
            let rest = bytes.get(*done..).unwrap_or_default();
            if rest.is_empty() {
                *replacing = None;
                return Some(Poll::Ready(Ok(total)));
            }
            match Pin::new(&mut *stream).poll_write(cx, rest) {
                Poll::Ready(Ok(0)) => {
                    return Some(Poll::Ready(Err(io::ErrorKind::WriteZero.into())));
                }
                Poll::Ready(Ok(n)) => *done += n,
                Poll::Ready(Err(e)) => return Some(Poll::Ready(Err(e))),
                Poll::Pending => return Some(Poll::Pending),
            }
        }
    }
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let poll = match this.write_replacing(cx, buf, buf.len()) {
            Some(poll) => poll,
            None => Pin::new(&mut this.stream).poll_write(cx, buf),
        };
        this.stall.note(&poll);
        poll
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let first = bufs
            .iter()
            .find(|b| !b.is_empty())
            .map_or(&[][..], |b| &b[..]);
        let total = bufs.iter().map(|b| b.len()).sum();
        let poll = match this.write_replacing(cx, first, total) {
            Some(poll) => poll,
            None => Pin::new(&mut this.stream).poll_write_vectored(cx, bufs),
        };
        this.stall.note(&poll);
        poll
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let poll = Pin::new(&mut self.stream).poll_flush(cx);
        self.stall.note(&poll);
        poll
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
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
    let mut received = Received {
        method: parts.method.as_str().to_owned(),
        headers,
        raw_query: parts.uri.query().unwrap_or_default().to_owned(),
        body: Bytes::new(),
    };
    let content_length = parts
        .headers
        .get(hyper::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    // Nothing of the body is read before the head has been checked.
    let limit = match shared.check_head(&received, parts.uri.path(), content_length) {
        Ok(limit) => limit,
        Err(reply) => return reply_response(reply),
    };
    let _budget = match read_body(shared, body, limit, content_length).await {
        Ok((bytes, budget)) => {
            received.body = bytes;
            budget
        }
        Err(reply) => return reply_response(reply),
    };
    reply_response(shared.answer(&received).await)
}

fn reply_response(reply: Reply) -> Result<Response<Full<Bytes>>, Dropped> {
    match reply {
        Reply::Json(value, request_id) => Ok(json_response(&value, &request_id)),
        Reply::Status(status) => Ok(status_response(status)),
        Reply::Drop => Err(Dropped),
    }
}

/// Read a body of at most `limit` bytes within the read timeout, after reserving room for it
/// in the server-wide body budget (kept until the request is answered).
async fn read_body<'s>(
    shared: &'s Shared,
    body: Incoming,
    limit: usize,
    content_length: Option<u64>,
) -> Result<(Bytes, SemaphorePermit<'s>), Reply> {
    let deadline = tokio::time::Instant::now() + shared.limits.read_timeout;
    // A chunked body may grow to the limit: reserve all of it.
    let reserve = content_length
        .and_then(|n| usize::try_from(n).ok())
        .map_or(limit, |n| n.min(limit));
    let reserve = u32::try_from(reserve).unwrap_or(u32::MAX);
    let budget =
        match tokio::time::timeout_at(deadline, shared.body_budget.acquire_many(reserve)).await {
            Ok(Ok(permit)) => permit,
            Ok(Err(_closed)) => return Err(Reply::Drop),
            Err(_elapsed) => {
                tracing::info!("no room in the body budget within the read timeout; closing");
                return Err(Reply::Drop);
            }
        };
    match tokio::time::timeout_at(deadline, Limited::new(body, limit).collect()).await {
        Ok(Ok(collected)) => Ok((collected.to_bytes(), budget)),
        Ok(Err(e)) if e.is::<LengthLimitError>() => {
            Err(shared.error_reply(None, &body_too_large(limit)))
        }
        Ok(Err(e)) => {
            tracing::info!(error = %e, "request body incomplete");
            Err(shared.error_reply(
                None,
                &ApiError::new(
                    "InvalidParameter",
                    format!("The request body is incomplete or malformed ({e})."),
                ),
            ))
        }
        Err(_elapsed) => {
            tracing::info!("request body not received within the read timeout; closing");
            Err(Reply::Drop)
        }
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

/// A state delay in whole seconds, rounded up, saturating.
fn state_delay_secs(delay: Duration) -> i64 {
    let secs = delay
        .as_secs()
        .saturating_add(u64::from(delay.subsec_nanos() > 0));
    i64::try_from(secs).unwrap_or(i64::MAX)
}
