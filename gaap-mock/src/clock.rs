//! The emulator's notion of "now", injectable so tests can fix time.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// A source of Unix time in seconds: the system clock, or a fixed, settable instant.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    fixed: Option<Arc<AtomicI64>>,
}

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Self { fixed: None }
    }

    /// A clock stopped at `unix_secs`; clones share the instant, so [`Clock::set`] on one
    /// moves them all.
    pub fn fixed(unix_secs: i64) -> Self {
        Self {
            fixed: Some(Arc::new(AtomicI64::new(unix_secs))),
        }
    }

    /// Move a fixed clock to `unix_secs`; a system clock ignores this.
    pub fn set(&self, unix_secs: i64) {
        if let Some(fixed) = &self.fixed {
            fixed.store(unix_secs, Ordering::Relaxed);
        }
    }

    /// The current Unix time in seconds.
    pub fn now(&self) -> i64 {
        match &self.fixed {
            Some(fixed) => fixed.load(Ordering::Relaxed),
            None => SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX)),
        }
    }
}

/// The UTC calendar date of a Unix time, as `YYYY-MM-DD` (shared with the client through
/// `gaap-wire`).
pub use gaap_wire::date::utc_date;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_clock_is_shared_by_clones() {
        let clock = Clock::fixed(10);
        let other = clock.clone();
        other.set(42);
        assert_eq!(clock.now(), 42);
        assert!(Clock::system().now() > 1_600_000_000);
    }
}
