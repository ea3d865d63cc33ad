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

/// The UTC calendar date of a Unix time, as `YYYY-MM-DD`.
pub fn utc_date(unix_secs: i64) -> String {
    let (y, m, d) = civil_from_days(unix_secs.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// Howard Hinnant's `civil_from_days`: days since 1970-01-01 to (year, month, day).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    // day is in 1..=31 and month in 1..=12 by construction.
    (year, month as u32, day as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_at_boundaries() {
        assert_eq!(utc_date(0), "1970-01-01");
        assert_eq!(utc_date(1_551_113_065), "2019-02-25");
        assert_eq!(utc_date(1_704_067_199), "2023-12-31");
        assert_eq!(utc_date(1_704_067_200), "2024-01-01");
        assert_eq!(utc_date(1_709_251_199), "2024-02-29");
        assert_eq!(utc_date(-1), "1969-12-31");
    }

    #[test]
    fn fixed_clock_is_shared_by_clones() {
        let clock = Clock::fixed(10);
        let other = clock.clone();
        other.set(42);
        assert_eq!(clock.now(), 42);
        assert!(Clock::system().now() > 1_600_000_000);
    }
}
