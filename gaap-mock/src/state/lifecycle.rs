//! Resources that live: connections and groups move through the states the pages document
//! (`CREATING -> RUNNING`, `OPENING -> RUNNING`, `CLOSING -> CLOSED`, `ADJUSTING -> RUNNING`,
//! `DESTROYING -> gone`), listeners from creating (`1`) or adjusting origin servers (`3`) to
//! running (`0`), after the store's state delay on the emulator's clock. With a zero delay
//! (the default) a write lands in its final state at once.
//!
//! Also the writes on connections and groups that only change state: OpenProxies,
//! CloseProxies, ModifyProxyConfiguration, ModifyProxiesAttribute, ModifyProxiesProject,
//! OpenProxyGroup, CloseProxyGroup, ModifyProxyGroupAttribute, and DescribeProxyGroupDetails.
// The emulator serves the deprecated inputs and outputs (InstanceIds, InstanceSet, ...)
// next to their replacements.
#![allow(deprecated)]

use gaap_model::operation::close_proxies::{CloseProxiesRequest, CloseProxiesResponse};
use gaap_model::operation::close_proxy_group::{CloseProxyGroupRequest, CloseProxyGroupResponse};
use gaap_model::operation::describe_proxy_group_details::{
    DescribeProxyGroupDetailsRequest, DescribeProxyGroupDetailsResponse,
};
use gaap_model::operation::modify_proxies_attribute::{
    ModifyProxiesAttributeRequest, ModifyProxiesAttributeResponse,
};
use gaap_model::operation::modify_proxies_project::{
    ModifyProxiesProjectRequest, ModifyProxiesProjectResponse,
};
use gaap_model::operation::modify_proxy_configuration::{
    ModifyProxyConfigurationRequest, ModifyProxyConfigurationResponse,
};
use gaap_model::operation::modify_proxy_group_attribute::{
    ModifyProxyGroupAttributeRequest, ModifyProxyGroupAttributeResponse,
};
use gaap_model::operation::open_proxies::{OpenProxiesRequest, OpenProxiesResponse};
use gaap_model::operation::open_proxy_group::{OpenProxyGroupRequest, OpenProxyGroupResponse};
use gaap_model::types::{ProxyGroupDetail, ProxyGroupDetailHttp3Supported, ProxyGroupDetailStatus};

use super::{Store, not_found, proxy_ids};
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

/// What OpenProxies, CloseProxies, OpenProxyGroup and CloseProxyGroup answer.
#[derive(Debug, Default)]
pub(super) struct Sets {
    invalid: Vec<String>,
}

macro_rules! sets_into {
    ($($response:ty),*) => {$(
        impl From<Sets> for $response {
            fn from(sets: Sets) -> Self {
                let mut out = Self::default();
                out.invalid_status_instance_set = Some(sets.invalid);
                out.operation_failed_instance_set = Some(Vec::new());
                out
            }
        }
    )*};
}
sets_into!(
    OpenProxiesResponse,
    CloseProxiesResponse,
    OpenProxyGroupResponse,
    CloseProxyGroupResponse
);

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
                    Then::Status(status) => proxy.info.status = Some(status.into()),
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
                    Then::Status(status) => group.info.status = Some(status.into()),
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
        self.listeners
            .retain(|_, listener| listener.removed_at.is_none_or(|at| at > now));
        for listener in self.listeners.values_mut() {
            if listener.running_at.is_some_and(|at| at <= now) {
                listener.running_at = None;
                listener.set_status(0);
            }
        }
        self.settle_rules(now);
        self.settle_rule_settings();
        self.settle_group_domains();
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
                    proxy.info.status = Some(status.into());
                    proxy.pending = None;
                }
                _ => {
                    proxy.info.status = Some(during.into());
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
                    group.info.status = Some(status.into());
                    group.pending = None;
                }
                _ => {
                    group.info.status = Some(during.into());
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
            listener.set_status(if immediate { 0 } else { during });
            listener.running_at = (!immediate).then_some(at);
        }
    }

    /// The status of connection `id`, if it exists.
    pub(super) fn proxy_status(&self, id: &str) -> Option<&str> {
        self.proxies.get(id).map(super::proxies::Proxy::status)
    }

    /// The status of group `id`, if it exists.
    pub(super) fn group_status(&self, id: &str) -> Option<&str> {
        self.groups.get(id).map(super::groups::Group::status)
    }

    /// Refuses to change the listeners of a connection or group that is not `RUNNING`,
    /// with the page's code: `proxy_code` for a connection (`ProxyStatusNotInRuning`, or
    /// `InstanceStatusNotInRuning` where the page lists only that), and
    /// `FailedOperation.GroupStatusNotInRuning` for a group.
    pub(super) fn require_owner_running(
        &self,
        owner: &str,
        proxy_code: &str,
    ) -> Result<(), ApiError> {
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
        Ok(())
    }

    /// OpenProxies (`CLOSED -> OPENING -> RUNNING`) and CloseProxies
    /// (`RUNNING -> CLOSING -> CLOSED`): IDs in another state, or unknown, land in
    /// `InvalidStatusInstanceSet`.
    fn open_close_proxies(&mut self, ids: Vec<String>, open: bool, now: i64) -> Sets {
        let (from, during, to) = if open {
            ("CLOSED", "OPENING", "RUNNING")
        } else {
            ("RUNNING", "CLOSING", "CLOSED")
        };
        let mut sets = Sets::default();
        for id in ids {
            if self.proxy_status(&id) == Some(from) {
                self.move_proxy(&id, during, Then::Status(to), now);
            } else {
                sets.invalid.push(id);
            }
        }
        sets
    }

    pub(super) fn open_proxies(
        &mut self,
        req: OpenProxiesRequest,
        now: i64,
    ) -> Result<OpenProxiesResponse, ApiError> {
        let ids = proxy_ids(req.proxy_ids, req.instance_ids);
        Ok(self.open_close_proxies(ids, true, now).into())
    }

    pub(super) fn close_proxies(
        &mut self,
        req: CloseProxiesRequest,
        now: i64,
    ) -> Result<CloseProxiesResponse, ApiError> {
        let ids = proxy_ids(req.proxy_ids, req.instance_ids);
        Ok(self.open_close_proxies(ids, false, now).into())
    }

    /// ModifyProxyConfiguration: a `RUNNING` connection takes the new bandwidth,
    /// concurrency and billing type and is `ADJUSTING` for the delay.
    pub(super) fn modify_proxy_configuration(
        &mut self,
        req: ModifyProxyConfigurationRequest,
        now: i64,
    ) -> Result<ModifyProxyConfigurationResponse, ApiError> {
        let id = req.proxy_id.or(req.instance_id).unwrap_or_default();
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
            let info = &mut proxy.info;
            info.bandwidth = req.bandwidth.or(info.bandwidth);
            info.concurrent = req.concurrent.or(info.concurrent);
            info.billing_type = req.billing_type.or(info.billing_type);
            info.modify_config_time = Some(now);
        }
        self.move_proxy(&id, "ADJUSTING", Then::Status("RUNNING"), now);
        Ok(ModifyProxyConfigurationResponse::default())
    }

    /// The connections named, all of which must exist (`ResourceNotFound`).
    fn existing_proxies(&self, ids: Vec<String>) -> Result<Vec<String>, ApiError> {
        match ids.iter().find(|id| !self.proxies.contains_key(*id)) {
            Some(missing) => Err(not_found("connection", missing)),
            None => Ok(ids),
        }
    }

    /// ModifyProxiesAttribute: renames every connection named.
    pub(super) fn modify_proxies_attribute(
        &mut self,
        req: ModifyProxiesAttributeRequest,
    ) -> Result<ModifyProxiesAttributeResponse, ApiError> {
        for id in self.existing_proxies(proxy_ids(req.proxy_ids, req.instance_ids))? {
            if let Some(proxy) = self.proxies.get_mut(&id) {
                proxy.info.proxy_name = req.proxy_name.clone();
            }
        }
        Ok(ModifyProxiesAttributeResponse::default())
    }

    /// ModifyProxiesProject: moves every connection named to `ProjectId`.
    pub(super) fn modify_proxies_project(
        &mut self,
        req: ModifyProxiesProjectRequest,
    ) -> Result<ModifyProxiesProjectResponse, ApiError> {
        for id in self.existing_proxies(proxy_ids(req.proxy_ids, req.instance_ids))? {
            if let Some(proxy) = self.proxies.get_mut(&id) {
                proxy.info.project_id = Some(req.project_id);
            }
        }
        Ok(ModifyProxiesProjectResponse::default())
    }

    /// OpenProxyGroup / CloseProxyGroup: the group goes `CHANGING` (the pages' "deploying")
    /// and then `RUNNING` / `CLOSED`, its connections `OPENING`/`CLOSING` likewise.
    fn open_close_group(&mut self, id: String, open: bool, now: i64) -> Result<Sets, ApiError> {
        let (from, to, member_from, member_during) = if open {
            ("CLOSED", "RUNNING", "CLOSED", "OPENING")
        } else {
            ("RUNNING", "CLOSED", "RUNNING", "CLOSING")
        };
        match self.group_status(&id) {
            None => return Err(not_found("connection group", &id)),
            Some(status) if status != from => return Ok(Sets { invalid: vec![id] }),
            Some(_) => {}
        }
        self.move_group(&id, "CHANGING", Then::Status(to), now);
        let members: Vec<String> = self
            .proxies
            .iter()
            .filter(|(_, proxy)| proxy.group_id() == Some(id.as_str()))
            .filter(|(_, proxy)| proxy.status() == member_from)
            .map(|(pid, _)| pid.clone())
            .collect();
        for member in members {
            self.move_proxy(&member, member_during, Then::Status(to), now);
        }
        Ok(Sets::default())
    }

    pub(super) fn open_proxy_group(
        &mut self,
        req: OpenProxyGroupRequest,
        now: i64,
    ) -> Result<OpenProxyGroupResponse, ApiError> {
        Ok(self.open_close_group(req.group_id, true, now)?.into())
    }

    pub(super) fn close_proxy_group(
        &mut self,
        req: CloseProxyGroupRequest,
        now: i64,
    ) -> Result<CloseProxyGroupResponse, ApiError> {
        Ok(self.open_close_group(req.group_id, false, now)?.into())
    }

    /// ModifyProxyGroupAttribute: `GroupName` and `ProjectId`.
    pub(super) fn modify_proxy_group(
        &mut self,
        req: ModifyProxyGroupAttributeRequest,
    ) -> Result<ModifyProxyGroupAttributeResponse, ApiError> {
        let group = self
            .groups
            .get_mut(&req.group_id)
            .ok_or_else(|| not_found("connection group", &req.group_id))?;
        if let Some(name) = req.group_name {
            group.info.group_name = Some(name);
        }
        if let Some(project) = req.project_id {
            group.info.project_id = Some(project);
        }
        Ok(ModifyProxyGroupAttributeResponse::default())
    }

    /// DescribeProxyGroupDetails: the group's `ProxyGroupDetail`. Its `Status` is an
    /// integer: `0` running, `1` creating, `4` terminating, `11` migrating, `12` deploying
    /// (the `CHANGING` of open and close); the page documents no value for a closed group,
    /// so a closed group reports `2`, which a waiter reads as undocumented.
    pub(super) fn describe_proxy_group_details(
        &mut self,
        req: DescribeProxyGroupDetailsRequest,
    ) -> Result<DescribeProxyGroupDetailsResponse, ApiError> {
        let id = req.group_id;
        let group = self
            .groups
            .get(&id)
            .ok_or_else(|| not_found("connection group", &id))?;
        let status = match group.status() {
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
            .filter(|proxy| proxy.group_id() == Some(id.as_str()))
            .count();
        let info = &group.info;
        let mut detail = ProxyGroupDetail::default();
        detail.group_name = info.group_name.clone();
        detail.project_id = info.project_id;
        detail.create_time = info.create_time;
        detail.domain = info.domain.clone();
        detail.real_server_region_info = info.real_server_region_info.clone();
        detail.tag_set = info.tag_set.clone();
        detail.version = info.version.clone();
        detail.ip_address_version = Some(group.ip_address_version.clone());
        detail.package_type = Some(group.package_type.clone());
        detail.status = Some(ProxyGroupDetailStatus::from(status));
        detail.proxy_num = Some(i64::try_from(members).unwrap_or(i64::MAX));
        detail.is_old_group = Some(false);
        detail.http3_supported = Some(ProxyGroupDetailHttp3Supported::Disabled);
        detail.group_id = Some(id);
        let mut out = DescribeProxyGroupDetailsResponse::default();
        out.proxy_group_detail = Some(detail);
        Ok(out)
    }
}
