//! The documented per-action limit ("A maximum of 20 requests can be initiated per second
//! for this API"), enforced over fixed one-second windows.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

/// Counts calls per action in the current one-second window.
#[derive(Debug)]
pub struct RateLimiter {
    start: Instant,
    windows: Mutex<HashMap<String, (u64, u32)>>,
}

impl Default for RateLimiter {
    fn default() -> Self {
        Self {
            start: Instant::now(),
            windows: Mutex::new(HashMap::new()),
        }
    }
}

impl RateLimiter {
    /// Count one call of `action` at `now`; `Err(count)` when it is over `limit` per second.
    pub fn check(&self, action: &str, limit: u32, now: Instant) -> Result<(), u32> {
        let second = now.saturating_duration_since(self.start).as_secs();
        let mut windows = self.windows.lock().unwrap_or_else(PoisonError::into_inner);
        let window = windows.entry(action.to_owned()).or_insert((second, 0));
        if window.0 != second {
            *window = (second, 0);
        }
        window.1 = window.1.saturating_add(1);
        if window.1 > limit {
            Err(window.1)
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn limits_per_action_per_second() {
        let limiter = RateLimiter::default();
        let t0 = limiter.start;
        for _ in 0..20 {
            assert!(limiter.check("A", 20, t0).is_ok());
        }
        assert_eq!(limiter.check("A", 20, t0), Err(21));
        assert!(limiter.check("B", 20, t0).is_ok());
        assert!(limiter.check("A", 20, t0 + Duration::from_secs(1)).is_ok());
    }
}
