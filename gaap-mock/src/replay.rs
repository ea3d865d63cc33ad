//! Bounded memory of recently used v1 nonces, so a replayed v1 request is refused while its
//! timestamp is still inside the signature window.

use std::collections::{HashSet, VecDeque};

use crate::signature::MAX_SKEW_SECS;

/// One v1 request's identity: SecretId, Timestamp and Nonce.
pub type NonceKey = (String, i64, u64);

/// How long a nonce is remembered: any timestamp accepted when it was recorded is outside
/// the skew window by then.
const REMEMBER_SECS: i64 = 2 * MAX_SKEW_SECS;

/// Most nonces remembered at once; beyond it the oldest is forgotten first.
pub const MAX_REMEMBERED_NONCES: usize = 100_000;

/// Recently seen v1 request identities, oldest first.
#[derive(Debug, Default)]
pub struct NonceWindow {
    seen: HashSet<NonceKey>,
    order: VecDeque<(i64, NonceKey)>,
}

impl NonceWindow {
    /// Record `key` seen at `now`; `false` when it was already seen within the window.
    pub fn record(&mut self, key: NonceKey, now: i64) -> bool {
        while let Some((at, _)) = self.order.front()
            && (now.saturating_sub(*at) > REMEMBER_SECS
                || self.order.len() >= MAX_REMEMBERED_NONCES)
        {
            if let Some((_, old)) = self.order.pop_front() {
                self.seen.remove(&old);
            }
        }
        if self.seen.contains(&key) {
            return false;
        }
        self.seen.insert(key.clone());
        self.order.push_back((now, key));
        true
    }

    /// How many nonces are remembered.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.order.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_a_replay_within_the_window_and_forgets_old_ones() {
        let mut window = NonceWindow::default();
        let key = |n: u64| ("AKID".to_owned(), 1_000, n);
        assert!(window.record(key(1), 1_000));
        assert!(!window.record(key(1), 1_200));
        assert!(
            window.record(("AKID".to_owned(), 1_001, 1), 1_200),
            "another timestamp"
        );
        assert!(window.record(key(2), 1_000 + REMEMBER_SECS));
        assert!(window.record(key(1), 1_001 + REMEMBER_SECS), "forgotten");
        for n in 0..(MAX_REMEMBERED_NONCES as u64 + 10) {
            window.record(("B".to_owned(), 0, n + 10), 2_000);
        }
        assert_eq!(window.len(), MAX_REMEMBERED_NONCES);
    }
}
