//! The client without `async` (cargo feature `blocking`).
//!
//! [`Client`] is the async [`crate::Client`] plus a small runtime of its own: every
//! generated method and fluent builder is the same (through `Deref`), and each fluent
//! builder's `send_blocking()` runs the call to its end on the calling thread. Validation,
//! credentials, signing, retries, rate limits and errors are exactly the async client's.
//!
//! ```no_run
//! let client = gaap_client::blocking::Client::from_env()?;
//! let proxies = client.describe_proxies().limit(20).send_blocking()?;
//! println!("{:?} connections", proxies.total_count);
//! let raw = client.call_action("DescribeProxies", serde_json::json!({"Limit": 1}))?;
//! # let _ = raw;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Costs, measured against the emulator on loopback (`gaap-client/tests/blocking.rs`,
//! release): building the client starts a current-thread tokio runtime (no extra threads;
//! 0.26-0.35 ms with the rest of the client); each call then costs what the async call
//! costs plus entering the runtime, within the run-to-run noise (77 vs 74 µs per call in
//! the quietest run). The runtime is driven only
//! while a call is blocking, so pooled connections are serviced only then (an idle
//! connection the server closed is noticed, and replaced, at the next call). Threads that
//! share one client take turns driving the runtime: for many concurrent calls, use the
//! async client on a multi-threaded runtime instead.
//!
//! Calling `send_blocking` on a thread that is running an async runtime would block that
//! runtime (tokio would panic); it fails with [`SdkError::Request`] instead, sending
//! nothing. So does `send_blocking` on a fluent builder of an async [`crate::Client`].

use std::future::Future;
use std::ops::Deref;
use std::sync::Arc;

use gaap_model::{Operation, ServiceError};

use crate::config::{CallOptions, ClientBuilder, ConfigError};
use crate::error::{RequestError, SdkError, UntypedError};

/// The tokio runtime a blocking client owns; shut down without waiting when the last
/// clone goes (so dropping a blocking client never panics, even inside async code).
pub(crate) struct OwnedRuntime(Option<tokio::runtime::Runtime>);

impl std::fmt::Debug for OwnedRuntime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OwnedRuntime(current_thread)")
    }
}

impl Drop for OwnedRuntime {
    fn drop(&mut self) {
        if let Some(runtime) = self.0.take() {
            runtime.shutdown_background();
        }
    }
}

/// The GAAP client without `async`. Cheap to clone (clones share the runtime, the
/// connection pool, the credentials cache and the rate limiter).
#[derive(Debug, Clone)]
pub struct Client {
    inner: crate::Client,
}

impl Client {
    /// A blocking client configured from the environment, like
    /// [`crate::Client::from_env`].
    pub fn from_env() -> Result<Self, ConfigError> {
        ClientBuilder::from_env().build_blocking()
    }

    /// A builder (finish it with [`ClientBuilder::build_blocking`]).
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// `client` on a runtime of its own.
    pub fn new(mut client: crate::Client) -> Result<Self, ConfigError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| ConfigError::new(format!("failed to start the client's runtime: {e}")))?;
        client.runtime = Some(Arc::new(OwnedRuntime(Some(runtime))));
        Ok(Self { inner: client })
    }

    /// The async client underneath (same pool, credentials and limits).
    pub fn as_async(&self) -> &crate::Client {
        &self.inner
    }

    /// Calls with `options` over this client's settings (see
    /// [`crate::Client::with_options`]).
    pub fn with_options(&self, options: CallOptions) -> Self {
        Self {
            inner: self.inner.with_options(options),
        }
    }

    /// [`crate::Client::call`], blocking.
    pub fn call<O: Operation>(&self, request: O) -> Result<O::Output, SdkError<O::Error>> {
        self.inner.block_on(self.inner.call(request))
    }

    /// [`crate::Client::call_action`], blocking.
    pub fn call_action(
        &self,
        action: &str,
        params: serde_json::Value,
    ) -> Result<serde_json::Value, SdkError<UntypedError>> {
        self.inner.block_on(self.inner.call_action(action, params))
    }
}

impl Deref for Client {
    type Target = crate::Client;

    fn deref(&self) -> &crate::Client {
        &self.inner
    }
}

impl crate::Client {
    /// Run `call` to its end on this client's blocking runtime.
    pub(crate) fn block_on<T, E: ServiceError>(
        &self,
        call: impl Future<Output = Result<T, SdkError<E>>>,
    ) -> Result<T, SdkError<E>> {
        let refuse = |why: &str| Err(SdkError::Request(RequestError::new(why)));
        if tokio::runtime::Handle::try_current().is_ok() {
            return refuse(
                "a blocking call on a thread running an async runtime would stall it; use `.send().await` there",
            );
        }
        match self.runtime.as_ref().and_then(|r| r.0.as_ref()) {
            Some(runtime) => runtime.block_on(call),
            None => refuse(
                "this client has no blocking runtime: build it with `build_blocking()` or `blocking::Client::new`",
            ),
        }
    }
}
