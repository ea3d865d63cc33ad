//! Resources that live: connections and groups move through the states the pages document
//! (`CREATING -> RUNNING`, `OPENING -> RUNNING`, `CLOSING -> CLOSED`, `ADJUSTING -> RUNNING`,
//! `DESTROYING -> gone`), listeners from creating (`1`) or adjusting origin servers (`3`) to
//! running (`0`), after the store's state delay on the emulator's clock. With a zero delay
//! (the default) a write lands in its final state at once.
//!
//! Also the writes on connections and groups that only change state: OpenProxies,
//! CloseProxies, ModifyProxyConfiguration, ModifyProxiesAttribute, ModifyProxiesProject,
//! OpenProxyGroup, CloseProxyGroup, ModifyProxyGroupAttribute, and DescribeProxyGroupDetails.

use serde_json::{Map, Value, json};

use super::params::{integer, string, strings};
use super::{Outcome, Store, not_found};
use crate::envelope::ApiError;

/// What happens when a transition completes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Then {
    /// The resource takes this status.
    Status(&'static str),
    /// The resource is removed.
    Remove,
}

/// A transition under way: completes at `at` (Unix seconds on the emulator's clock).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pending {
    pub(super) at: i64,
    pub(super) then: Then,
}

fn status_of(info: &Map<String, Value>) -> &str {
    info.get("Status").and_then(Value::as_str).unwrap_or("")
}

impl Store {
    /// When a transition started `now` completes.
    pub(super) fn done_at(&self, now: i64) -> i64 {
        now.saturating_add(self.state_delay)
    }

    /// Completes every transition due at `now`.
    pub(super) fn settle(&mut self, now: i64) {
        let mut removed = Vec::new();
        for (id, proxy) in &mut self.proxies {
            if let Some(pending) = proxy.pending
                && pending.at <= now
            {
                proxy.pending = None;
                match pending.then {
                    Then::Status(status) => {
                        proxy.info.insert("Status".to_owned(), json!(status));
                    }
                    Then::Remove => removed.push(id.clone()),
                }
            }
        }
        for (id, group) in &mut self.groups {
            if let Some(pending) = group.pending
                && pending.at <= now
            {
                group.pending = None;
                match pending.then {
                    Then::Status(status) => {
                        group.info.insert("Status".to_owned(), json!(status));
                    }
                    Then::Remove => removed.push(id.clone()),
                }
            }
        }
        for id in &removed {
            self.proxies.remove(id);
            self.groups.remove(id);
            self.listeners.retain(|_, l| l.owner != *id);
            self.global.forget_proxy(id);
        }
        for listener in self.listeners.values_mut() {
            if listener.running_at.is_some_and(|at| at <= now) {
                listener.running_at = None;
                listener.info.insert("ListenerStatus".to_owned(), json!(0));
            }
        }
        self.settle_rules(now);
        self.settle_policies(now);
    }

    /// Puts connection `id` in `during` until the delay passes, then applies `then`
    /// (at once with a zero delay).
    pub(super) fn move_proxy(&mut self, id: &str, during: &'static str, then: Then, now: i64) {
        let at = self.done_at(now);
        let immediate = self.state_delay == 0;
        if immediate && then == Then::Remove {
            self.proxies.remove(id);
            self.listeners.retain(|_, l| l.owner != id);
            self.global.forget_proxy(id);
            return;
        }
        if let Some(proxy) = self.proxies.get_mut(id) {
            match (immediate, then) {
                (true, Then::Status(status)) => {
                    proxy.info.insert("Status".to_owned(), json!(status));
                    proxy.pending = None;
                }
                _ => {
                    proxy.info.insert("Status".to_owned(), json!(during));
                    proxy.pending = Some(Pending { at, then });
                }
            }
        }
    }

    /// [`Store::move_proxy`] for a connection group.
    pub(super) fn move_group(&mut self, id: &str, during: &'static str, then: Then, now: i64) {
        let at = self.done_at(now);
        let immediate = self.state_delay == 0;
        if immediate && then == Then::Remove {
            self.groups.remove(id);
            self.listeners.retain(|_, l| l.owner != id);
            return;
        }
        if let Some(group) = self.groups.get_mut(id) {
            match (immediate, then) {
                (true, Then::Status(status)) => {
                    group.info.insert("Status".to_owned(), json!(status));
                    group.pending = None;
                }
                _ => {
                    group.info.insert("Status".to_owned(), json!(during));
                    group.pending = Some(Pending { at, then });
                }
            }
        }
    }

    /// Puts listener `id` in `during` (`1` creating, `3` adjusting origin servers) until the
    /// delay passes, then running (`0`).
    pub(super) fn move_listener(&mut self, id: &str, during: i64, now: i64) {
        let at = self.done_at(now);
        let immediate = self.state_delay == 0;
        if let Some(listener) = self.listeners.get_mut(id) {
            let status = if immediate { 0 } else { during };
            listener
                .info
                .insert("ListenerStatus".to_owned(), json!(status));
            listener.running_at = (!immediate).then_some(at);
        }
    }

    /// The status of connection `id`, if it exists.
    pub(super) fn proxy_status(&self, id: &str) -> Option<&str> {
        self.proxies.get(id).map(|p| status_of(&p.info))
    }

    /// The status of group `id`, if it exists.
    pub(super) fn group_status(&self, id: &str) -> Option<&str> {
        self.groups.get(id).map(|g| status_of(&g.info))
    }

    /// Refuses to change the listeners of a connection or group that is not `RUNNING`,
    /// with the page's code: `proxy_code` for a connection (`ProxyStatusNotInRuning`, or
    /// `InstanceStatusNotInRuning` where the page lists only that), and
    /// `FailedOperation.GroupStatusNotInRuning` for a group.
    pub(super) fn require_owner_running(&self, owner: &str, proxy_code: &str) -> Outcome {
        if let Some(status) = self.proxy_status(owner)
            && status != "RUNNING"
        {
            return Err(ApiError::new(
                proxy_code,
                format!("The connection `{owner}` is {status}, not RUNNING."),
            ));
        }
        if let Some(status) = self.group_status(owner)
            && status != "RUNNING"
        {
            return Err(ApiError::new(
                "FailedOperation.GroupStatusNotInRuning",
                format!("The connection group `{owner}` is {status}, not RUNNING."),
            ));
        }
        Ok(Map::new())
    }

    fn proxy_ids(p: &Value) -> Vec<String> {
        let mut ids = strings(p, "ProxyIds");
        ids.extend(strings(p, "InstanceIds"));
        ids
    }

    /// OpenProxies (`CLOSED -> OPENING -> RUNNING`) and CloseProxies
    /// (`RUNNING -> CLOSING -> CLOSED`): IDs in another state, or unknown, land in
    /// `InvalidStatusInstanceSet`.
    pub(super) fn open_close_proxies(&mut self, p: &Value, open: bool, now: i64) -> Outcome {
        let (from, during, to) = if open {
            ("CLOSED", "OPENING", "RUNNING")
        } else {
            ("RUNNING", "CLOSING", "CLOSED")
        };
        let mut invalid = Vec::new();
        for id in Self::proxy_ids(p) {
            if self.proxy_status(&id) == Some(from) {
                self.move_proxy(&id, during, Then::Status(to), now);
            } else {
                invalid.push(id);
            }
        }
        let mut out = Map::new();
        out.insert("InvalidStatusInstanceSet".to_owned(), json!(invalid));
        out.insert("OperationFailedInstanceSet".to_owned(), json!([]));
        Ok(out)
    }

    /// ModifyProxyConfiguration: a `RUNNING` connection takes the new bandwidth,
    /// concurrency and billing type and is `ADJUSTING` for the delay.
    pub(super) fn modify_proxy_configuration(&mut self, p: &Value, now: i64) -> Outcome {
        let id = string(p, "ProxyId")
            .or_else(|| string(p, "InstanceId"))
            .unwrap_or_default()
            .to_owned();
        match self.proxy_status(&id) {
            None => return Err(not_found("connection", &id)),
            Some("RUNNING") => {}
            Some(status) => {
                return Err(ApiError::new(
                    "FailedOperation",
                    format!(
                        "The connection `{id}` is {status}; its configuration can be changed only when it is RUNNING."
                    ),
                ));
            }
        }
        if let Some(proxy) = self.proxies.get_mut(&id) {
            for key in ["Bandwidth", "Concurrent", "BillingType"] {
                if let Some(value) = integer(p, key) {
                    proxy.info.insert(key.to_owned(), json!(value));
                }
            }
            proxy.info.insert("ModifyConfigTime".to_owned(), json!(now));
        }
        self.move_proxy(&id, "ADJUSTING", Then::Status("RUNNING"), now);
        Ok(Map::new())
    }

    /// ModifyProxiesAttribute (`ProxyName`) and ModifyProxiesProject (`ProjectId`): every
    /// ID must exist (`ResourceNotFound`).
    pub(super) fn modify_proxies(&mut self, p: &Value, key: &str) -> Outcome {
        let ids = Self::proxy_ids(p);
        if let Some(missing) = ids.iter().find(|id| !self.proxies.contains_key(*id)) {
            return Err(not_found("connection", missing));
        }
        let value = p.get(key).cloned().unwrap_or(Value::Null);
        let value = match integer(p, key) {
            Some(n) if key == "ProjectId" => json!(n),
            _ => value,
        };
        for id in &ids {
            if let Some(proxy) = self.proxies.get_mut(id) {
                proxy.info.insert(key.to_owned(), value.clone());
            }
        }
        Ok(Map::new())
    }

    /// OpenProxyGroup / CloseProxyGroup: the group goes `CHANGING` (the pages' "deploying")
    /// and then `RUNNING` / `CLOSED`, its connections `OPENING`/`CLOSING` likewise.
    pub(super) fn open_close_group(&mut self, p: &Value, open: bool, now: i64) -> Outcome {
        let id = string(p, "GroupId").unwrap_or_default().to_owned();
        let (from, to, member_from, member_during) = if open {
            ("CLOSED", "RUNNING", "CLOSED", "OPENING")
        } else {
            ("RUNNING", "CLOSED", "RUNNING", "CLOSING")
        };
        let mut out = Map::new();
        out.insert("OperationFailedInstanceSet".to_owned(), json!([]));
        match self.group_status(&id) {
            None => return Err(not_found("connection group", &id)),
            Some(status) if status != from => {
                out.insert("InvalidStatusInstanceSet".to_owned(), json!([id]));
                return Ok(out);
            }
            Some(_) => {}
        }
        self.move_group(&id, "CHANGING", Then::Status(to), now);
        let members: Vec<String> = self
            .proxies
            .iter()
            .filter(|(_, proxy)| proxy.group_id() == Some(id.as_str()))
            .filter(|(_, proxy)| status_of(&proxy.info) == member_from)
            .map(|(pid, _)| pid.clone())
            .collect();
        for member in members {
            self.move_proxy(&member, member_during, Then::Status(to), now);
        }
        out.insert("InvalidStatusInstanceSet".to_owned(), json!([]));
        Ok(out)
    }

    /// ModifyProxyGroupAttribute: `GroupName` and `ProjectId`.
    pub(super) fn modify_proxy_group(&mut self, p: &Value) -> Outcome {
        let id = string(p, "GroupId").unwrap_or_default();
        let group = self
            .groups
            .get_mut(id)
            .ok_or_else(|| not_found("connection group", id))?;
        if let Some(name) = string(p, "GroupName") {
            group.info.insert("GroupName".to_owned(), json!(name));
        }
        if let Some(project) = integer(p, "ProjectId") {
            group.info.insert("ProjectId".to_owned(), json!(project));
        }
        Ok(Map::new())
    }

    /// DescribeProxyGroupDetails: the group's `ProxyGroupDetail`. Its `Status` is an
    /// integer: `0` running, `1` creating, `4` terminating, `11` migrating, `12` deploying
    /// (the `CHANGING` of open and close); the page documents no value for a closed group,
    /// so a closed group reports `2`, which a waiter reads as undocumented.
    pub(super) fn describe_proxy_group_details(&mut self, p: &Value) -> Outcome {
        let id = string(p, "GroupId").unwrap_or_default();
        let group = self
            .groups
            .get(id)
            .ok_or_else(|| not_found("connection group", id))?;
        let status = match status_of(&group.info) {
            "RUNNING" => 0,
            "CREATING" => 1,
            "DESTROYING" => 4,
            "MOVING" => 11,
            "CHANGING" => 12,
            _ => 2,
        };
        let members = self
            .proxies
            .values()
            .filter(|proxy| proxy.group_id() == Some(id))
            .count();
        let info = &group.info;
        let field = |key: &str| info.get(key).cloned().unwrap_or(Value::Null);
        let detail = json!({
            "GroupId": id,
            "GroupName": field("GroupName"),
            "ProjectId": field("ProjectId"),
            "CreateTime": field("CreateTime"),
            "Domain": field("Domain"),
            "RealServerRegionInfo": field("RealServerRegionInfo"),
            "TagSet": field("TagSet"),
            "Version": field("Version"),
            "IPAddressVersion": field("IPAddressVersion"),
            "PackageType": field("PackageType"),
            "Status": status,
            "ProxyNum": members,
            "IsOldGroup": false,
            "Http3Supported": 0,
        });
        let mut out = Map::new();
        out.insert("ProxyGroupDetail".to_owned(), detail);
        Ok(out)
    }
}
