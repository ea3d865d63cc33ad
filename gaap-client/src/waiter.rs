//! Waiters: poll a `Describe*` action until a resource reaches a state.
//!
//! The `client.wait_until_*` methods are generated from `api-specs/waiters.toml` (the
//! action to poll, its inputs, the path to the status field, and which documented values
//! mean success, failure or keep waiting); this module is the hand-written loop they share.
//! Every poll goes through [`Client::call`], so the client's rate limiter, retries and
//! validation apply to it as to any other call.
//!
//! ```no_run
//! # async fn demo(client: gaap_client::Client) -> Result<(), Box<dyn std::error::Error>> {
//! use std::time::Duration;
//! use gaap_client::waiter::WaitOutcome;
//! let outcome = client
//!     .wait_until_proxy_running("link-xxx")
//!     .max_wait(Duration::from_secs(600))
//!     .wait()
//!     .await?;
//! match outcome {
//!     WaitOutcome::Reached(_) | WaitOutcome::Absent(_) => {}
//!     WaitOutcome::Failed { state, .. } => eprintln!("the connection went {state}"),
//!     WaitOutcome::TimedOut { .. } => eprintln!("still not running"),
//! }
//! # Ok(()) }
//! ```

use std::time::Duration;

use gaap_model::{Operation, ValidationError};
use rand::RngExt;
use tracing::Instrument;

use crate::Client;
use crate::error::SdkError;

/// Most polls one wait makes, whatever its settings (a bound on the loop).
pub const MAX_POLLS: u32 = 100_000;

/// What a waiter does when the resource is absent: the status path finds nothing in the
/// response (an empty list), or the service answers one of the waiter's not-found codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnAbsent {
    /// The wait succeeded (deletion waiters): [`WaitOutcome::Absent`].
    Success,
    /// Keep waiting (the resource may not be visible yet); a resource that never appears
    /// ends in [`WaitOutcome::TimedOut`].
    Wait,
}

/// One waiter's declaration, generated from `api-specs/waiters.toml`.
#[derive(Debug, Clone, Copy)]
pub struct WaiterSpec {
    /// The waiter's name, e.g. `proxy_running`.
    pub name: &'static str,
    /// The action polled, e.g. `DescribeProxies`.
    pub action: &'static str,
    /// The path to the status field in the response, e.g. `ProxySet[0].Status`.
    pub status_path: &'static str,
    /// Values that end the wait successfully.
    pub success: &'static [&'static str],
    /// Values that end the wait with [`WaitOutcome::Failed`].
    pub failure: &'static [&'static str],
    /// Documented values that mean keep waiting.
    pub waiting: &'static [&'static str],
    /// What an absent resource means.
    pub absent: OnAbsent,
    /// Service error codes that mean the resource is absent.
    pub absent_codes: &'static [&'static str],
}

/// How one observed status is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Classified {
    /// A success value.
    Success,
    /// A failure value.
    Failure,
    /// A documented value that means keep waiting.
    Waiting,
    /// A value the pages do not document: keep waiting (and log it once).
    Undocumented,
}

impl WaiterSpec {
    /// How `state` is read by this waiter.
    pub fn classify(&self, state: &str) -> Classified {
        if self.success.contains(&state) {
            Classified::Success
        } else if self.failure.contains(&state) {
            Classified::Failure
        } else if self.waiting.contains(&state) {
            Classified::Waiting
        } else {
            Classified::Undocumented
        }
    }
}

/// How a wait ended.
#[derive(Debug, Clone, PartialEq)]
pub enum WaitOutcome<R> {
    /// The status reached a success value; the response that showed it.
    Reached(R),
    /// The resource is absent, which is this waiter's success (deletion waiters): the
    /// response that showed it, or `None` when the service answered a not-found code.
    Absent(Option<R>),
    /// The status reached a failure value.
    Failed {
        /// The failure value observed.
        state: String,
        /// The response that showed it.
        last: R,
    },
    /// The maximum wait passed first.
    TimedOut {
        /// The last status observed, if any.
        last_state: Option<String>,
        /// The last response received, if any (`None` when every poll was refused or
        /// answered not found).
        last: Option<R>,
    },
}

impl<R> WaitOutcome<R> {
    /// Whether the wait succeeded ([`WaitOutcome::Reached`] or [`WaitOutcome::Absent`]).
    pub fn is_success(&self) -> bool {
        matches!(self, WaitOutcome::Reached(_) | WaitOutcome::Absent(_))
    }
}

/// The timing of a wait: the maximum wait, and an exponential delay between polls that
/// starts at `min_delay`, doubles, stops growing at `max_delay` and, with jitter on (the
/// default), is drawn uniformly between `min_delay` and that cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaiterConfig {
    max_wait: Duration,
    min_delay: Duration,
    max_delay: Duration,
    jitter: bool,
}

impl Default for WaiterConfig {
    fn default() -> Self {
        Self {
            max_wait: Duration::from_secs(600),
            min_delay: Duration::from_secs(2),
            max_delay: Duration::from_secs(30),
            jitter: true,
        }
    }
}

impl WaiterConfig {
    /// The defaults: wait up to 10 minutes, polling every 2 s at first, up to every 30 s.
    pub fn new() -> Self {
        Self::default()
    }

    /// The longest the wait lasts before [`WaitOutcome::TimedOut`].
    pub fn max_wait(mut self, max_wait: Duration) -> Self {
        self.max_wait = max_wait;
        self
    }

    /// The shortest delay between two polls (raised to at least 1 ms).
    pub fn min_delay(mut self, delay: Duration) -> Self {
        self.min_delay = delay;
        self
    }

    /// The longest delay between two polls.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Whether the delay is randomized (default on: many waiters do not poll in step).
    pub fn jitter(mut self, jitter: bool) -> Self {
        self.jitter = jitter;
        self
    }

    fn bounds(&self) -> (Duration, Duration) {
        let min = self.min_delay.max(Duration::from_millis(1));
        (min, self.max_delay.max(min))
    }

    /// The exponential cap after poll number `poll` (1-based): `min_delay * 2^(poll-1)`,
    /// at most `max_delay`.
    pub fn delay_cap(&self, poll: u32) -> Duration {
        let (min, max) = self.bounds();
        let factor = 1u32.checked_shl(poll.saturating_sub(1)).unwrap_or(u32::MAX);
        min.checked_mul(factor).unwrap_or(max).min(max)
    }

    /// The delay after poll number `poll` (1-based): the cap, or with jitter a uniformly
    /// random delay between `min_delay` and the cap.
    pub fn delay(&self, poll: u32) -> Duration {
        let cap = self.delay_cap(poll);
        if !self.jitter {
            return cap;
        }
        let (min, _) = self.bounds();
        let low = u64::try_from(min.as_nanos()).unwrap_or(u64::MAX);
        let high = u64::try_from(cap.as_nanos()).unwrap_or(u64::MAX).max(low);
        Duration::from_nanos(rand::rng().random_range(low..=high))
    }
}

/// A wait being set up: adjust the timing, then `.wait().await`.
#[must_use = "a waiter does nothing until `.wait().await`"]
pub struct Waiter<O: Operation> {
    client: Client,
    request: Result<O, ValidationError>,
    spec: &'static WaiterSpec,
    status: StatusFn<O>,
    config: WaiterConfig,
}

/// Reads the status from a response (`None`: nothing at the path).
type StatusFn<O> = Box<dyn Fn(&<O as Operation>::Output) -> Option<String> + Send + Sync>;

impl<O: Operation> std::fmt::Debug for Waiter<O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Waiter")
            .field("spec", self.spec)
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl<O: Operation + Clone> Waiter<O> {
    /// A waiter polling `request` (generated code builds it), reading the status with
    /// `status`.
    pub fn new(
        client: Client,
        request: Result<O, ValidationError>,
        spec: &'static WaiterSpec,
        status: impl Fn(&O::Output) -> Option<String> + Send + Sync + 'static,
    ) -> Self {
        Self {
            client,
            request,
            spec,
            status: Box::new(status),
            config: WaiterConfig::default(),
        }
    }

    /// Replace the whole timing.
    pub fn config(mut self, config: WaiterConfig) -> Self {
        self.config = config;
        self
    }

    /// See [`WaiterConfig::max_wait`].
    pub fn max_wait(mut self, max_wait: Duration) -> Self {
        self.config = self.config.max_wait(max_wait);
        self
    }

    /// See [`WaiterConfig::min_delay`].
    pub fn min_delay(mut self, delay: Duration) -> Self {
        self.config = self.config.min_delay(delay);
        self
    }

    /// See [`WaiterConfig::max_delay`].
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.config = self.config.max_delay(delay);
        self
    }

    /// See [`WaiterConfig::jitter`].
    pub fn jitter(mut self, jitter: bool) -> Self {
        self.config = self.config.jitter(jitter);
        self
    }

    /// The waiter's declaration.
    pub fn spec(&self) -> &'static WaiterSpec {
        self.spec
    }

    /// Poll until the status reaches a success or failure value, the resource is absent
    /// (for a deletion waiter), or the maximum wait passes. A call error other than the
    /// waiter's not-found codes (after the client's own retries) ends the wait with `Err`.
    pub async fn wait(self) -> Result<WaitOutcome<O::Output>, SdkError<O::Error>> {
        let span = tracing::info_span!(
            "gaap.wait",
            waiter = self.spec.name,
            action = self.spec.action,
            polls = tracing::field::Empty,
            state = tracing::field::Empty,
        );
        self.run().instrument(span).await
    }

    async fn run(self) -> Result<WaitOutcome<O::Output>, SdkError<O::Error>> {
        let request = self.request.map_err(SdkError::Validation)?;
        let spec = self.spec;
        let deadline = tokio::time::Instant::now() + self.config.max_wait;
        let mut last: Option<O::Output> = None;
        let mut last_state: Option<String> = None;
        let mut undocumented: Vec<String> = Vec::new();
        let span = tracing::Span::current();
        for poll in 1..=MAX_POLLS {
            span.record("polls", poll);
            match self.client.call(request.clone()).await {
                Ok(response) => match (self.status)(&response) {
                    None if spec.absent == OnAbsent::Success => {
                        return Ok(WaitOutcome::Absent(Some(response)));
                    }
                    None => last = Some(response),
                    Some(state) => {
                        span.record("state", state.as_str());
                        match spec.classify(&state) {
                            Classified::Success => return Ok(WaitOutcome::Reached(response)),
                            Classified::Failure => {
                                return Ok(WaitOutcome::Failed {
                                    state,
                                    last: response,
                                });
                            }
                            Classified::Waiting => {}
                            Classified::Undocumented => {
                                if !undocumented.contains(&state) {
                                    tracing::warn!(
                                        waiter = spec.name,
                                        state = state.as_str(),
                                        path = spec.status_path,
                                        "undocumented status value; still waiting"
                                    );
                                    undocumented.push(state.clone());
                                }
                            }
                        }
                        last_state = Some(state);
                        last = Some(response);
                    }
                },
                Err(error) => {
                    let absent = error
                        .code()
                        .is_some_and(|code| spec.absent_codes.contains(&code));
                    if !absent {
                        return Err(error);
                    }
                    if spec.absent == OnAbsent::Success {
                        return Ok(WaitOutcome::Absent(None));
                    }
                }
            }
            let now = tokio::time::Instant::now();
            if now >= deadline {
                break;
            }
            let delay = self.config.delay(poll).min(deadline - now);
            tracing::debug!(poll, delay_ms = delay.as_millis() as u64, "waiting");
            tokio::time::sleep(delay).await;
        }
        Ok(WaitOutcome::TimedOut { last_state, last })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: WaiterSpec = WaiterSpec {
        name: "test",
        action: "DescribeProxies",
        status_path: "ProxySet[0].Status",
        success: &["RUNNING"],
        failure: &["ISOLATED"],
        waiting: &["CREATING"],
        absent: OnAbsent::Wait,
        absent_codes: &[],
    };

    #[test]
    fn classification() {
        assert_eq!(SPEC.classify("RUNNING"), Classified::Success);
        assert_eq!(SPEC.classify("ISOLATED"), Classified::Failure);
        assert_eq!(SPEC.classify("CREATING"), Classified::Waiting);
        assert_eq!(SPEC.classify("SOMETHING_NEW"), Classified::Undocumented);
    }

    #[test]
    fn delays_grow_exponentially_up_to_the_maximum() {
        let config = WaiterConfig::new()
            .min_delay(Duration::from_secs(2))
            .max_delay(Duration::from_secs(30))
            .jitter(false);
        let caps: Vec<u64> = (1..=6).map(|n| config.delay(n).as_secs()).collect();
        assert_eq!(caps, [2, 4, 8, 16, 30, 30]);
        assert_eq!(config.delay(u32::MAX), Duration::from_secs(30));
        // A zero minimum is raised to 1 ms, a maximum below the minimum to the minimum.
        let tiny = WaiterConfig::new()
            .min_delay(Duration::ZERO)
            .max_delay(Duration::ZERO)
            .jitter(false);
        assert_eq!(tiny.delay(1), Duration::from_millis(1));
    }

    #[test]
    fn jittered_delays_stay_between_the_minimum_and_the_cap_and_vary() {
        let config = WaiterConfig::new()
            .min_delay(Duration::from_secs(2))
            .max_delay(Duration::from_secs(30));
        let samples: Vec<Duration> = (0..200).map(|_| config.delay(4)).collect();
        assert!(
            samples
                .iter()
                .all(|d| *d >= Duration::from_secs(2) && *d <= Duration::from_secs(16))
        );
        let first = samples.first().copied();
        assert!(samples.iter().any(|d| Some(*d) != first), "no jitter");
        // The first delay is the minimum whatever the jitter.
        assert_eq!(config.delay(1), Duration::from_secs(2));
    }
}
