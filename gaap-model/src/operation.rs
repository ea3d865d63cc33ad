//! One module per action, and the contract between a generated request type and the
//! hand-written client runtime.
//!
//! `operation::create_tcp_listeners` holds `CreateTcpListenersRequest` (and its
//! `CreateTcpListenersRequestBuilder`), `CreateTcpListenersResponse` and
//! `CreateTcpListenersError`. Every generated request implements [`Operation`]; the runtime
//! in `gaap-client` needs nothing else to validate, sign, send, retry, rate-limit and
//! decode a call.

pub use crate::generated::operation::*;

use crate::error::ServiceError;
use crate::validation::Validate;

/// One API action, implemented by its generated request type.
pub trait Operation: serde::Serialize + Validate + Send + Sync + 'static {
    /// Wire action name, sent as `X-TC-Action` (e.g. `CreateTCPListeners`).
    const ACTION: &'static str;
    /// Documented per-second rate limit of this action, when the page states one.
    const RATE_LIMIT_PER_SECOND: Option<u32>;
    /// The decoded `Response` object of a successful reply (generated responses carry
    /// `request_id` too).
    type Output: serde::de::DeserializeOwned + Send + 'static;
    /// The action's typed error enum.
    type Error: ServiceError;
    /// Whether the action may be sent again after a failure that leaves unknown whether
    /// the service applied it (a timeout, a dropped connection, a 5xx, `InternalError`).
    /// Generated from the action's name and codegen's reviewed override list.
    const IDEMPOTENCY: Idempotency;

    /// The request's idempotency token slot (`ClientToken`), for actions that have one.
    ///
    /// The runtime fills an empty slot once, before the first attempt, and reuses the same
    /// token on every retry so a retried call never applies twice.
    fn idempotency_token(&mut self) -> Option<&mut Option<String>> {
        None
    }
}

/// Whether repeating an action can apply it twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Idempotency {
    /// A read (`Describe*`, `Check*`, `Inquiry*`): repeating it changes nothing.
    ReadOnly,
    /// A write whose request carries a `ClientToken`: the runtime fills the token once and
    /// sends the same one on every attempt, so the service applies it at most once.
    ClientToken,
    /// A write that the override list declares safe to repeat (repeating it has the same
    /// effect as sending it once).
    Idempotent,
    /// A write that may be applied again if it is repeated.
    NotIdempotent,
}

impl Idempotency {
    /// Whether a request of this kind may be repeated after an ambiguous failure.
    pub fn safe_to_repeat(self) -> bool {
        !matches!(self, Idempotency::NotIdempotent)
    }

    /// Whether the action only reads.
    pub fn is_read_only(self) -> bool {
        matches!(self, Idempotency::ReadOnly)
    }
}

/// An action paged with `Offset`/`Limit` that reports `TotalCount` and returns a list.
///
/// Generated for every such action; `gaap-client` turns it into a lazy stream of items.
pub trait Paginated: Operation + Clone {
    /// One element of the listed collection.
    type Item: Send + 'static;

    /// The request's current `Offset` (0 when unset).
    fn offset(&self) -> i64;
    /// Set `Offset` for the next page.
    fn set_offset(&mut self, offset: i64);
    /// The page's items and the response's `TotalCount`, taken out of a response.
    fn into_page(output: Self::Output) -> (Vec<Self::Item>, Option<i64>);
}
