//! Attribute changes that keep state: ModifyTCPListenerAttribute,
//! ModifyUDPListenerAttribute, ModifyHTTPListenerAttribute, ModifyHTTPSListenerAttribute
//! (the listener is modifying configuration, `ListenerStatus` 4, for the state delay).

use serde_json::{Map, Value, json};

use super::listeners::Protocol;
use super::params::{integer, string};
use super::{Outcome, Store, not_found};
use crate::envelope::ApiError;

/// Inputs that name the listener rather than change it.
const NOT_ATTRIBUTES: &[&str] = &[
    "ListenerId",
    "ProxyId",
    "GroupId",
    "PolyClientCertificateIds",
];

impl Store {
    pub(super) fn modify_listener(&mut self, protocol: Protocol, p: &Value, now: i64) -> Outcome {
        let id = string(p, "ListenerId").unwrap_or_default().to_owned();
        let Some(listener) = self.listeners.get(&id).filter(|l| l.protocol == protocol) else {
            return Err(not_found("listener", &id));
        };
        let owner = listener.owner.clone();
        let named = string(p, "ProxyId").or_else(|| string(p, "GroupId"));
        if named.is_some_and(|o| o != owner) {
            return Err(not_found("listener", &id));
        }
        // The HTTP page lists only ListenerStatusError for a listener or owner not running.
        let (owner_code, busy_code) = match protocol {
            Protocol::Http => (
                "FailedOperation.ListenerStatusError",
                "FailedOperation.ListenerStatusError",
            ),
            _ => (
                "FailedOperation.InstanceStatusNotInRuning",
                "FailedOperation.ListenerHasTask",
            ),
        };
        self.require_owner_running(&owner, owner_code)
            .map_err(|e| match protocol {
                Protocol::Http => ApiError::new(owner_code, e.message),
                _ => e,
            })?;
        if listener.running_at.is_some() {
            return Err(ApiError::new(
                busy_code,
                format!("The listener `{id}` has a task under way; try again when it is running."),
            ));
        }
        let mut changes = Map::new();
        if let Some(params) = p.as_object() {
            for (key, value) in params {
                if NOT_ATTRIBUTES.contains(&key.as_str()) {
                    continue;
                }
                // Integers may arrive as numeric strings; store them typed.
                let value = match (integer(p, key), value) {
                    (Some(n), Value::String(_)) if key != "ListenerName" => json!(n),
                    _ => value.clone(),
                };
                changes.insert(key.clone(), value);
            }
        }
        if let Some(listener) = self.listeners.get_mut(&id) {
            listener.info.extend(changes);
        }
        self.move_listener(&id, 4, now);
        Ok(Map::new())
    }
}
