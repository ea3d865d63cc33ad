//! Client-side rate limiting per action, so bursts wait instead of failing with
//! `RequestLimitExceeded`.
//!
//! Each action gets a sliding one-second window holding at most `limit` requests: a call
//! reserves the earliest slot at which the window has room, then sleeps until it. Slots are
//! handed out in arrival order (first come, first served) and the window is measured on
//! tokio's clock, so it works under `tokio::time::pause`. Any one-second interval therefore
//! sees at most `limit` requests of one action from this client. A call cancelled while
//! waiting still uses its slot.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

/// The limit the GAAP pages state for actions that do not name their own.
pub const DEFAULT_LIMIT_PER_SECOND: u32 = 20;
const WINDOW: Duration = Duration::from_secs(1);

/// Rate-limit settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimitConfig {
    enabled: bool,
    global: Option<u32>,
    per_action: HashMap<String, u32>,
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            global: None,
            per_action: HashMap::new(),
        }
    }
}

impl RateLimitConfig {
    /// Each action's documented limit, else 20 per second.
    pub fn new() -> Self {
        Self::default()
    }

    /// No client-side limiting.
    pub fn disabled() -> Self {
        Self {
            enabled: false,
            ..Self::default()
        }
    }

    /// Use `per_second` for every action without a per-action override (instead of the
    /// documented limits).
    pub fn global(mut self, per_second: u32) -> Self {
        self.global = Some(per_second);
        self
    }

    /// Use `per_second` for `action` (wire name, e.g. `DescribeProxies`).
    pub fn action(mut self, action: impl Into<String>, per_second: u32) -> Self {
        self.per_action.insert(action.into(), per_second);
        self
    }

    /// The limit applied to `action` whose page documents `documented` (`None`: unlimited).
    pub fn limit_for(&self, action: &str, documented: Option<u32>) -> Option<u32> {
        if !self.enabled {
            return None;
        }
        let limit = self
            .per_action
            .get(action)
            .copied()
            .or(self.global)
            .or(documented)
            .unwrap_or(DEFAULT_LIMIT_PER_SECOND);
        // A zero limit would block forever; treat it as "no limiting".
        (limit > 0).then_some(limit)
    }
}

/// The per-action windows of one client.
#[derive(Debug, Default)]
pub(crate) struct RateLimiter {
    windows: Mutex<HashMap<Box<str>, Arc<Mutex<Window>>>>,
}

/// The slots reserved in the last second (at most `limit`), oldest first.
#[derive(Debug)]
struct Window {
    limit: usize,
    slots: VecDeque<Instant>,
}

impl Window {
    /// Reserve the earliest slot at or after `now` that keeps the window within its limit.
    fn reserve(&mut self, now: Instant) -> Instant {
        let slot = if self.slots.len() < self.limit {
            self.slots.back().map_or(now, |last| (*last).max(now))
        } else {
            match self.slots.pop_front() {
                Some(oldest) => (oldest + WINDOW).max(now),
                None => now,
            }
        };
        self.slots.push_back(slot);
        slot
    }
}

impl RateLimiter {
    /// Wait for a slot of `action` under `limit` requests per second.
    pub(crate) async fn acquire(&self, action: &str, limit: u32) {
        let window = {
            let mut windows = self.windows.lock().unwrap_or_else(PoisonError::into_inner);
            match windows.get(action) {
                Some(window) => Arc::clone(window),
                None => {
                    let window = Arc::new(Mutex::new(Window {
                        limit: 0,
                        slots: VecDeque::new(),
                    }));
                    windows.insert(action.into(), Arc::clone(&window));
                    window
                }
            }
        };
        let slot = {
            let mut window = window.lock().unwrap_or_else(PoisonError::into_inner);
            let limit = usize::try_from(limit).unwrap_or(usize::MAX);
            if window.limit != limit {
                window.limit = limit;
                while window.slots.len() > limit {
                    window.slots.pop_front();
                }
            }
            window.reserve(Instant::now())
        };
        if slot > Instant::now() {
            tracing::debug!(
                action,
                wait_ms = (slot - Instant::now()).as_millis() as u64,
                "rate limit: waiting"
            );
            tokio::time::sleep_until(slot).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_resolve_in_order() {
        let c = RateLimitConfig::new();
        assert_eq!(c.limit_for("A", None), Some(20));
        assert_eq!(c.limit_for("A", Some(50)), Some(50));
        let c = c.global(10).action("B", 5);
        assert_eq!(c.limit_for("A", Some(50)), Some(10));
        assert_eq!(c.limit_for("B", Some(50)), Some(5));
        assert_eq!(RateLimitConfig::disabled().limit_for("A", Some(1)), None);
        assert_eq!(RateLimitConfig::new().global(0).limit_for("A", None), None);
    }

    #[tokio::test(start_paused = true)]
    async fn a_burst_of_100_is_held_to_20_per_second() {
        let limiter = Arc::new(RateLimiter::default());
        let start = Instant::now();
        let tasks: Vec<_> = (0..100)
            .map(|_| {
                let limiter = Arc::clone(&limiter);
                tokio::spawn(async move {
                    limiter.acquire("DescribeProxies", 20).await;
                    Instant::now() - start
                })
            })
            .collect();
        let mut times = Vec::new();
        for t in tasks {
            times.push(t.await.unwrap());
        }
        times.sort();
        // Every one-second window holds at most 20 calls...
        for (i, t) in times.iter().enumerate() {
            let in_window = times[i..].iter().take_while(|u| **u < *t + WINDOW).count();
            assert!(in_window <= 20, "{in_window} calls within 1 s of {t:?}");
        }
        // ...and the limiter wastes no time: 5 waves, one second apart.
        assert_eq!(times[19], Duration::ZERO);
        assert_eq!(times[20], Duration::from_secs(1));
        assert_eq!(times[99], Duration::from_secs(4));
    }

    #[tokio::test(start_paused = true)]
    async fn actions_are_limited_independently() {
        let limiter = RateLimiter::default();
        let start = Instant::now();
        for _ in 0..5 {
            limiter.acquire("A", 5).await;
            limiter.acquire("B", 5).await;
        }
        assert_eq!(Instant::now(), start);
        limiter.acquire("A", 5).await;
        assert_eq!(Instant::now() - start, Duration::from_secs(1));
    }
}
