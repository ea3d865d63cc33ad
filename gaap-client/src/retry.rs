//! Retry policy: which failures are retried, and how long to wait between attempts
//! (exponential backoff with full jitter).
//!
//! Each failure is classified by whether the request may have reached the service and been
//! acted on ([`Dispatch`]):
//!
//! - [`Dispatch::NotSent`]: the connection was never established (refused, DNS, TLS,
//!   connect timeout). Always safe to retry.
//! - [`Dispatch::Rejected`]: the service answered with an error it returns before acting
//!   (rate limits, authentication, validation codes). Safe to retry; only
//!   `RequestLimitExceeded` (and its sub-codes) is worth it.
//! - [`Dispatch::Unknown`]: a timeout after the request was sent, a connection dropped
//!   mid-request, an HTTP 5xx, `InternalError` or `ServiceUnavailable`. Retried only when
//!   the action is safe to repeat ([`Idempotency`]): reads, and writes carrying a
//!   `ClientToken` (filled once, reused on every attempt). A write that may apply twice is
//!   not repeated: the call fails with [`SdkError::MaybeApplied`](crate::SdkError).
//!
//! [`RetryConfig::retry_writes`] widens this to every write; a [`ClassifyRetry`] decides
//! anything else. Both can be set per client and per call ([`crate::CallOptions`]).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use gaap_model::Idempotency;
use gaap_model::error::Retry;
use rand::RngExt;

use crate::error::{ResponseError, ResponseErrorKind, TransportError, TransportErrorKind};

/// Whether a failed request may have reached the service and been acted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Dispatch {
    /// The request never left the client (no connection was established).
    NotSent,
    /// The service answered with an error it returns before acting.
    Rejected,
    /// The request may or may not have been applied.
    Unknown,
}

/// One failed attempt, as a retry classifier sees it.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Failure<'a> {
    /// The action's wire name.
    pub action: &'a str,
    /// Whether the action is safe to repeat.
    pub idempotency: Idempotency,
    /// The attempt that failed (1-based).
    pub attempt: u32,
    /// Whether the request may have been applied.
    pub dispatch: Dispatch,
    /// Whether another attempt may succeed (rate limits, timeouts, 5xx...): `false` for
    /// errors that would only repeat (a bad signature, a validation code).
    pub transient: bool,
    /// The service's error code, for service errors.
    pub code: Option<&'a str>,
}

/// Decides whether a failed attempt is retried; set one with
/// [`RetryConfig::classifier`]. `default` is the built-in decision (see the module docs);
/// the attempt limit and the operation deadline still apply.
pub trait ClassifyRetry: fmt::Debug + Send + Sync {
    /// Whether to send another attempt after `failure`.
    fn should_retry(&self, failure: &Failure<'_>, default: bool) -> bool;
}

/// A named closure classifier (closures have no `Debug`).
struct FnClassifier<F>(F);

impl<F> fmt::Debug for FnClassifier<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<custom retry classifier>")
    }
}

impl<F> ClassifyRetry for FnClassifier<F>
where
    F: Fn(&Failure<'_>, bool) -> bool + Send + Sync,
{
    fn should_retry(&self, failure: &Failure<'_>, default: bool) -> bool {
        (self.0)(failure, default)
    }
}

/// How the backoff delay is randomized.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Jitter {
    /// A uniformly random delay between zero and the exponential cap (the default).
    #[default]
    Full,
    /// Exactly the exponential cap (deterministic; meant for tests).
    None,
}

/// Retry settings.
#[derive(Debug, Clone)]
pub struct RetryConfig {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    jitter: Jitter,
    retry_writes: bool,
    classifier: Option<Arc<dyn ClassifyRetry>>,
}

impl PartialEq for RetryConfig {
    fn eq(&self, other: &Self) -> bool {
        self.max_attempts == other.max_attempts
            && self.initial_backoff == other.initial_backoff
            && self.max_backoff == other.max_backoff
            && self.jitter == other.jitter
            && self.retry_writes == other.retry_writes
            && match (&self.classifier, &other.classifier) {
                (None, None) => true,
                (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                _ => false,
            }
    }
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(20),
            jitter: Jitter::Full,
            retry_writes: false,
            classifier: None,
        }
    }
}

impl RetryConfig {
    /// The defaults: 3 attempts, backoff cap 200 ms doubling up to 20 s, full jitter.
    pub fn new() -> Self {
        Self::default()
    }

    /// No retries: a single attempt.
    pub fn disabled() -> Self {
        Self::default().max_attempts(1)
    }

    /// Total attempts, the first included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts;
        self
    }

    /// Backoff cap before the second attempt; it doubles for each later attempt.
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// Largest backoff cap.
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// How the delay is randomized.
    pub fn jitter(mut self, jitter: Jitter) -> Self {
        self.jitter = jitter;
        self
    }

    /// Also retry writes that are not safe to repeat after an ambiguous failure (a timeout,
    /// a dropped connection, a 5xx, `InternalError`): such a write may then be applied
    /// twice. Off by default.
    pub fn retry_writes(mut self, retry_writes: bool) -> Self {
        self.retry_writes = retry_writes;
        self
    }

    /// Decide retries with `classifier` (it gets the built-in decision as `default`).
    pub fn classifier(mut self, classifier: impl ClassifyRetry + 'static) -> Self {
        self.classifier = Some(Arc::new(classifier));
        self
    }

    /// Decide retries with a closure `(failure, default) -> retry?`.
    pub fn classifier_fn(
        self,
        classifier: impl Fn(&Failure<'_>, bool) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.classifier(FnClassifier(classifier))
    }

    /// Whether a failed attempt is retried (the attempt limit aside).
    pub fn should_retry(&self, failure: &Failure<'_>) -> bool {
        let default = failure.transient
            && match failure.dispatch {
                Dispatch::NotSent | Dispatch::Rejected => true,
                Dispatch::Unknown => failure.idempotency.safe_to_repeat() || self.retry_writes,
            };
        match &self.classifier {
            Some(c) => c.should_retry(failure, default),
            None => default,
        }
    }

    /// Total attempts.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    pub(crate) fn normalized(mut self) -> Self {
        self.max_attempts = self.max_attempts.max(1);
        self.max_backoff = self.max_backoff.max(self.initial_backoff);
        self
    }

    /// The exponential cap after failed attempt number `attempt` (1-based).
    pub fn backoff_cap(&self, attempt: u32) -> Duration {
        let factor = 1u32
            .checked_shl(attempt.saturating_sub(1))
            .unwrap_or(u32::MAX);
        self.initial_backoff
            .checked_mul(factor)
            .unwrap_or(self.max_backoff)
            .min(self.max_backoff)
    }

    /// The delay after failed attempt number `attempt` (1-based).
    pub fn delay(&self, attempt: u32) -> Duration {
        let cap = self.backoff_cap(attempt);
        match self.jitter {
            Jitter::None => cap,
            Jitter::Full => {
                let nanos = u64::try_from(cap.as_nanos()).unwrap_or(u64::MAX);
                Duration::from_nanos(rand::rng().random_range(0..=nanos))
            }
        }
    }
}

/// Whether a service error code is worth retrying: it has a retry class
/// ([`gaap_model::error::retry_of`], generated from the codes the pages document).
pub fn is_retryable_code(code: &str) -> bool {
    gaap_model::error::retry_of(code).is_some()
}

/// (dispatch, transient) of a service error code: a throttled call was refused before the
/// service acted; after a transient failure the service may or may not have applied it.
pub(crate) fn classify_code(code: &str) -> (Dispatch, bool) {
    match gaap_model::error::retry_of(code) {
        None => (Dispatch::Rejected, false),
        Some(Retry::Throttled) => (Dispatch::Rejected, true),
        // `Transient`, and any class a newer model adds: assume the worst.
        Some(_) => (Dispatch::Unknown, true),
    }
}

/// (dispatch, transient) of a transport failure: a connection that was never established
/// was not sent; anything after that (a timeout, a reset) may have been applied.
pub(crate) fn classify_transport(err: &TransportError) -> (Dispatch, bool) {
    match err.kind() {
        TransportErrorKind::Connect => (Dispatch::NotSent, true),
        TransportErrorKind::Timeout | TransportErrorKind::Other => (Dispatch::Unknown, true),
        TransportErrorKind::Deadline => (Dispatch::Unknown, false),
    }
}

/// (dispatch, transient) of a reply that was not a valid envelope: the service (or a
/// gateway in front of it) answered, so it may have acted; 5xx and cut-off bodies are
/// worth another try.
pub(crate) fn classify_response(err: &ResponseError) -> (Dispatch, bool) {
    if (400..500).contains(&err.status()) {
        // A gateway refused the request (404, 413...): it never reached the service.
        return (Dispatch::Rejected, false);
    }
    let transient =
        (500..600).contains(&err.status()) || err.kind() == ResponseErrorKind::Truncated;
    (Dispatch::Unknown, transient)
}

/// A fresh idempotency token: 32 random uppercase hex digits in 8-4-4-4-12 form, as the
/// official Go SDK generates it.
pub(crate) fn new_client_token() -> String {
    let bytes: [u8; 16] = rand::rng().random();
    let hex = hex::encode_upper(bytes);
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retryable_codes() {
        for code in [
            "RequestLimitExceeded",
            "RequestLimitExceeded.UinLimitExceeded",
            "RequestLimitExceeded.IPLimitExceeded",
            "RequestLimitExceeded.SomethingNew",
            "InternalError",
            "InternalError.DbError",
            "ServiceUnavailable",
        ] {
            assert!(is_retryable_code(code), "{code}");
        }
        // A sub-code of ServiceUnavailable names a specific refusal: not retried, and a
        // write that got it was not applied.
        assert_eq!(
            classify_code("ServiceUnavailable.Maintenance"),
            (Dispatch::Rejected, false)
        );
        for code in [
            "ServiceUnavailable.Maintenance",
            "FailedOperation",
            "RequestLimitExceededX",
            "AuthFailure.SignatureFailure",
            "LimitExceeded",
        ] {
            assert!(!is_retryable_code(code), "{code}");
        }
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let r = RetryConfig::new()
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_millis(350))
            .jitter(Jitter::None);
        let caps: Vec<_> = (1..=5).map(|a| r.delay(a).as_millis()).collect();
        assert_eq!(caps, [100, 200, 350, 350, 350]);
        assert_eq!(r.backoff_cap(200), Duration::from_millis(350));
    }

    #[test]
    fn full_jitter_spreads_delays_over_zero_to_the_cap() {
        let r = RetryConfig::new().initial_backoff(Duration::from_millis(100));
        for attempt in 1..=4 {
            let cap = r.backoff_cap(attempt);
            let delays: Vec<_> = (0..200).map(|_| r.delay(attempt)).collect();
            assert!(delays.iter().all(|d| *d <= cap));
            // Spread over the whole range, not pinned to the cap (with jitter off every
            // delay equals the cap). Each bound fails by chance with probability 0.75^200.
            let min = delays.iter().min().copied().unwrap_or_default();
            let max = delays.iter().max().copied().unwrap_or_default();
            assert!(
                min < cap / 4,
                "attempt {attempt}: min {min:?} of cap {cap:?}"
            );
            assert!(
                max > cap * 3 / 4,
                "attempt {attempt}: max {max:?} of cap {cap:?}"
            );
        }
    }

    fn failure(dispatch: Dispatch, transient: bool, idempotency: Idempotency) -> Failure<'static> {
        Failure {
            action: "X",
            idempotency,
            attempt: 1,
            dispatch,
            transient,
            code: None,
        }
    }

    #[test]
    fn ambiguous_failures_are_retried_only_when_safe_to_repeat() {
        let r = RetryConfig::new();
        let unknown = |i| failure(Dispatch::Unknown, true, i);
        assert!(r.should_retry(&unknown(Idempotency::ReadOnly)));
        assert!(r.should_retry(&unknown(Idempotency::ClientToken)));
        assert!(r.should_retry(&unknown(Idempotency::Idempotent)));
        assert!(!r.should_retry(&unknown(Idempotency::NotIdempotent)));
        // Not sent, or refused before acting: safe for every action.
        for d in [Dispatch::NotSent, Dispatch::Rejected] {
            assert!(r.should_retry(&failure(d, true, Idempotency::NotIdempotent)));
        }
        // Not transient: never, whatever the action.
        assert!(!r.should_retry(&failure(Dispatch::Rejected, false, Idempotency::ReadOnly)));
        // Widened per client or call.
        assert!(
            r.clone()
                .retry_writes(true)
                .should_retry(&unknown(Idempotency::NotIdempotent))
        );
        // A classifier has the last word.
        let never = r.classifier_fn(|_, _| false);
        assert!(!never.should_retry(&unknown(Idempotency::ReadOnly)));
    }

    #[test]
    fn failures_are_classified_by_whether_they_may_have_been_applied() {
        assert_eq!(
            classify_code("RequestLimitExceeded"),
            (Dispatch::Rejected, true)
        );
        assert_eq!(
            classify_code("AuthFailure.SignatureFailure"),
            (Dispatch::Rejected, false)
        );
        assert_eq!(
            classify_code("InvalidParameterValue"),
            (Dispatch::Rejected, false)
        );
        assert_eq!(classify_code("InternalError"), (Dispatch::Unknown, true));
        assert_eq!(
            classify_code("ServiceUnavailable"),
            (Dispatch::Unknown, true)
        );
        let t = |k| classify_transport(&TransportError::new(k, None));
        assert_eq!(t(TransportErrorKind::Connect), (Dispatch::NotSent, true));
        assert_eq!(t(TransportErrorKind::Timeout), (Dispatch::Unknown, true));
        assert_eq!(t(TransportErrorKind::Other), (Dispatch::Unknown, true));
        let r = |kind, status| classify_response(&ResponseError::new(kind, status, b""));
        assert_eq!(r(ResponseErrorKind::Html, 502), (Dispatch::Unknown, true));
        assert_eq!(
            r(ResponseErrorKind::HttpStatus, 404),
            (Dispatch::Rejected, false)
        );
        assert_eq!(
            r(ResponseErrorKind::TooLarge, 200),
            (Dispatch::Unknown, false)
        );
    }

    #[test]
    fn client_tokens_are_unique_and_well_formed() {
        let a = new_client_token();
        let b = new_client_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        let groups: Vec<_> = a.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12]);
        assert!(
            a.chars()
                .all(|c| c == '-' || c.is_ascii_digit() || c.is_ascii_uppercase())
        );
    }
}
