//! Per-action fault injection: make an action fail with a chosen error code, answer late,
//! answer with an HTTP 5xx, drop the connection (before or after applying the request), let
//! the write's background task fail, for every call, the next N calls or the Nth call.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// One injected misbehaviour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Answer HTTP 200 with this error code in the envelope (e.g. `"ResourceUnavailable"`).
    Error(String),
    /// Wait this long, then process the request normally.
    Latency(Duration),
    /// Answer with this HTTP status and a plain body (e.g. `503`).
    Http(u16),
    /// Close the connection without answering (the request is not applied).
    Drop,
    /// Apply the request (change state as a normal call would), then close the connection
    /// without answering: the client sees a dropped connection or a timeout for a call that
    /// took effect, as after a network failure on the way back.
    ApplyThenDrop,
    /// Apply the request and answer normally, but the background task the write starts
    /// (its RequestId, which `DescribeTaskStatus` reports on) ends `FAIL` instead of
    /// `SUCCESS`: the failure path of `wait_until_task_done`. A call that starts no task (a
    /// read, a refused write, a `ClientToken` replay) uses it up without effect.
    TaskFails,
}

impl Fault {
    /// Apply this fault to the next `n` calls only, then behave normally again.
    pub fn times(self, n: u32) -> FaultRule {
        FaultRule {
            fault: self,
            remaining: Some(n),
            skip: 0,
        }
    }

    /// Apply this fault to the `n`th call from now only (1-based: `on_call(1)` is the next
    /// call); the calls before it and after it behave normally. `on_call(0)` never applies.
    pub fn on_call(self, n: u32) -> FaultRule {
        FaultRule {
            fault: self,
            remaining: Some(u32::from(n > 0)),
            skip: n.saturating_sub(1),
        }
    }
}

/// A fault and how many more calls it applies to (`None`: every call).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultRule {
    fault: Fault,
    remaining: Option<u32>,
    /// Calls to let through before the fault applies.
    skip: u32,
}

impl From<Fault> for FaultRule {
    fn from(fault: Fault) -> Self {
        FaultRule {
            fault,
            remaining: None,
            skip: 0,
        }
    }
}

/// The faults configured on a server, shared with it; cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    rules: Arc<Mutex<HashMap<String, FaultRule>>>,
}

impl Faults {
    /// Inject `rule` (a [`Fault`], or `fault.times(n)`) into calls of `action`, replacing any
    /// fault already set for it.
    pub fn set(&self, action: &str, rule: impl Into<FaultRule>) {
        self.lock().insert(action.to_owned(), rule.into());
    }

    /// Remove the fault of `action`.
    pub fn clear(&self, action: &str) {
        self.lock().remove(action);
    }

    /// Remove every fault.
    pub fn clear_all(&self) {
        self.lock().clear();
    }

    /// The fault for this call of `action`, if any, counting it against a `times(n)` budget.
    pub(crate) fn take(&self, action: &str) -> Option<Fault> {
        let mut rules = self.lock();
        let rule = rules.get_mut(action)?;
        if rule.skip > 0 {
            rule.skip -= 1;
            return None;
        }
        let fault = rule.fault.clone();
        match &mut rule.remaining {
            None => {}
            Some(0) => {
                rules.remove(action);
                return None;
            }
            Some(1) => {
                rules.remove(action);
            }
            Some(n) => *n -= 1,
        }
        Some(fault)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, FaultRule>> {
        // The map stays consistent even if a holder panicked: every update is one call.
        self.rules.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_counts_down_then_clears() {
        let faults = Faults::default();
        faults.set("A", Fault::Http(503).times(2));
        assert_eq!(faults.take("A"), Some(Fault::Http(503)));
        assert_eq!(faults.take("A"), Some(Fault::Http(503)));
        assert_eq!(faults.take("A"), None);
        assert_eq!(faults.take("B"), None);
    }

    #[test]
    fn apply_then_drop_counts_like_any_fault() {
        let faults = Faults::default();
        faults.set("CreateTCPListeners", Fault::ApplyThenDrop.times(1));
        assert_eq!(
            faults.take("CreateTCPListeners"),
            Some(Fault::ApplyThenDrop)
        );
        assert_eq!(faults.take("CreateTCPListeners"), None);
    }

    #[test]
    fn on_call_applies_to_the_nth_call_only() {
        let faults = Faults::default();
        faults.set("A", Fault::Error("ResourceUnavailable".into()).on_call(3));
        assert_eq!(faults.take("A"), None);
        assert_eq!(faults.take("A"), None);
        assert_eq!(
            faults.take("A"),
            Some(Fault::Error("ResourceUnavailable".into()))
        );
        assert_eq!(faults.take("A"), None);
        assert_eq!(faults.take("A"), None);
        faults.set("B", Fault::Drop.on_call(1));
        assert_eq!(faults.take("B"), Some(Fault::Drop));
        assert_eq!(faults.take("B"), None);
        faults.set("C", Fault::Drop.on_call(0));
        assert_eq!(faults.take("C"), None);
    }

    #[test]
    fn a_plain_fault_is_permanent_until_cleared() {
        let faults = Faults::default();
        faults.set("A", Fault::Drop);
        for _ in 0..5 {
            assert_eq!(faults.take("A"), Some(Fault::Drop));
        }
        faults.clear("A");
        assert_eq!(faults.take("A"), None);
        faults.set("A", Fault::Drop.times(0));
        assert_eq!(faults.take("A"), None);
    }
}
