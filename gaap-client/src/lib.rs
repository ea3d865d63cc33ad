//! Async client for Tencent Cloud GAAP (Global Application Acceleration Platform).
//!
//! The hand-written runtime turns a validated request into a typed response:
//! [TC3-HMAC-SHA256 signing](signing), [credentials] providers, an HTTP transport over
//! rustls, retries with backoff, per-action client-side rate limiting, and typed errors
//! ([`SdkError`]). The per-action methods on [`Client`] are generated.
//!
//! Cargo features (both off by default):
//!
//! - `blocking`: `blocking::Client`, the same client without `async` (every fluent
//!   builder gains `send_blocking()`).
//! - `test-util`: `test_util::MockTransport`, canned typed replies and recorded requests
//!   for unit tests of code that calls GAAP, with no server.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let client = gaap_client::Client::from_env()?;
//! # let _ = client;
//! # Ok(())
//! # }
//! ```
#![warn(missing_docs)]

#[cfg(feature = "blocking")]
pub mod blocking;
mod client;
pub mod config;
pub mod credentials;
mod envelope;
pub mod error;
mod paginator;
pub mod rate_limit;
pub mod retry;
pub mod signing;
#[cfg(feature = "test-util")]
pub mod test_util;
mod transport;
pub mod waiter;

#[rustfmt::skip]
mod generated;

pub use client::Client;
pub use config::{CallOptions, ClientBuilder, ConfigError, Endpoint, Language, Site, Validation};
pub use credentials::{Credentials, CredentialsError, ProvideCredentials};
pub use error::{
    MaybeApplied, RequestError, ResponseError, ResponseErrorKind, SdkError, TransportError,
    TransportErrorKind, UntypedError,
};
pub use gaap_model;
pub use gaap_model::{ErrorMetadata, ServiceError, Timestamp, types};

/// One module per action: everything of `gaap_model::operation::<action>` (request,
/// builder, response, error) plus the client's fluent builder (`<Action>Fluent`).
pub mod operation {
    pub use crate::generated::*;
}
pub use paginator::Paginator;
pub use rate_limit::RateLimitConfig;
pub use retry::{ClassifyRetry, Dispatch, Failure, Jitter, RetryConfig};
pub use waiter::{WaitOutcome, Waiter, WaiterConfig};
