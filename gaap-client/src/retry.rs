//! Retry policy: which failures are retried, and how long to wait between attempts
//! (exponential backoff with full jitter).
//!
//! Retried: `RequestLimitExceeded` and its sub-codes, `InternalError`, `ServiceUnavailable`,
//! HTTP 5xx replies, connection failures and timeouts. A retried call never applies twice:
//! the client fills in a `ClientToken` once and reuses it on every attempt.

use std::time::Duration;

use rand::RngExt;

use crate::error::{ResponseError, TransportError, TransportErrorKind};

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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryConfig {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    jitter: Jitter,
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(20),
            jitter: Jitter::Full,
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

/// Whether a service error code is worth retrying.
pub fn is_retryable_code(code: &str) -> bool {
    code == "RequestLimitExceeded"
        || code.starts_with("RequestLimitExceeded.")
        || code == "InternalError"
        || code == "ServiceUnavailable"
}

/// Whether a transport failure is worth retrying (timeouts and connection failures).
pub(crate) fn is_retryable_transport(err: &TransportError) -> bool {
    matches!(
        err.kind(),
        TransportErrorKind::Timeout | TransportErrorKind::Connect
    )
}

/// Whether a malformed reply is worth retrying (HTTP 5xx: a gateway or the service failed).
pub(crate) fn is_retryable_response(err: &ResponseError) -> bool {
    (500..600).contains(&err.status())
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
            "InternalError",
            "ServiceUnavailable",
        ] {
            assert!(is_retryable_code(code), "{code}");
        }
        for code in [
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
    fn full_jitter_stays_under_the_cap() {
        let r = RetryConfig::new().initial_backoff(Duration::from_millis(100));
        for attempt in 1..=4 {
            for _ in 0..100 {
                assert!(r.delay(attempt) <= r.backoff_cap(attempt));
            }
        }
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
