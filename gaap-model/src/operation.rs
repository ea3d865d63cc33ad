//! The contract between a generated request type and the hand-written client runtime.
//!
//! Every generated `XxxRequest` implements [`Operation`]; the runtime in `gaap-client` needs
//! nothing else to validate, sign, send, retry, rate-limit and decode a call.

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

    /// The request's idempotency token slot (`ClientToken`), for actions that have one.
    ///
    /// The runtime fills an empty slot once, before the first attempt, and reuses the same
    /// token on every retry so a retried call never applies twice.
    fn idempotency_token(&mut self) -> Option<&mut Option<String>> {
        None
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
