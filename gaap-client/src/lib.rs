#![doc = include_str!("../docs/guide.md")]
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
