//! Attribute changes that keep state: ModifyTCPListenerAttribute,
//! ModifyUDPListenerAttribute, ModifyHTTPListenerAttribute, ModifyHTTPSListenerAttribute
//! (the listener is modifying configuration, `ListenerStatus` 4, for the state delay).
//! Each takes its generated request and changes the listener's generated view field by
//! field.

use gaap_model::operation::modify_http_listener_attribute::{
    ModifyHttpListenerAttributeRequest, ModifyHttpListenerAttributeResponse,
};
use gaap_model::operation::modify_https_listener_attribute::{
    ModifyHttpsListenerAttributeRequest, ModifyHttpsListenerAttributeResponse,
};
use gaap_model::operation::modify_tcp_listener_attribute::{
    ModifyTcpListenerAttributeRequest, ModifyTcpListenerAttributeResponse,
};
use gaap_model::operation::modify_udp_listener_attribute::{
    ModifyUdpListenerAttributeRequest, ModifyUdpListenerAttributeResponse,
};
use gaap_model::types::{FailoverSwitch, ModifyRuleAttributeHealthCheck};

use super::listeners::{Protocol, View};
use super::{Store, not_found};
use crate::envelope::ApiError;

/// `Some(new)` replaces a field; `None` keeps it.
fn set<T>(field: &mut Option<T>, new: Option<T>) {
    if new.is_some() {
        *field = new;
    }
}

impl Store {
    /// The checks every Modify*ListenerAttribute makes: the listener exists with this
    /// protocol (and belongs to the connection or group named, if any), its owner is
    /// running, and it has no task under way.
    fn check_modifiable(
        &self,
        protocol: Protocol,
        id: &str,
        named: Option<&str>,
    ) -> Result<(), ApiError> {
        let Some(listener) = self.listeners.get(id).filter(|l| l.protocol == protocol) else {
            return Err(not_found("listener", id));
        };
        let owner = listener.owner.clone();
        if named.is_some_and(|o| o != owner) {
            return Err(not_found("listener", id));
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
        Ok(())
    }

    /// The listener's view, to change (it exists: [`Store::check_modifiable`] ran).
    fn view_mut(&mut self, id: &str) -> Option<&mut View> {
        self.listeners.get_mut(id).map(|l| &mut l.info)
    }

    pub(super) fn modify_tcp_listener(
        &mut self,
        req: ModifyTcpListenerAttributeRequest,
        now: i64,
    ) -> Result<ModifyTcpListenerAttributeResponse, ApiError> {
        let id = req.listener_id;
        let named = req.proxy_id.as_deref().or(req.group_id.as_deref());
        self.check_modifiable(Protocol::Tcp, &id, named)?;
        if let Some(View::Tcp(l)) = self.view_mut(&id) {
            set(&mut l.listener_name, req.listener_name);
            set(&mut l.scheduler, req.scheduler);
            set(&mut l.delay_loop, req.delay_loop);
            set(&mut l.connect_timeout, req.connect_timeout);
            set(
                &mut l.health_check,
                req.health_check
                    .map(|h| ModifyRuleAttributeHealthCheck::from(h.as_i64())),
            );
            set(
                &mut l.failover_switch,
                req.failover_switch
                    .map(|f| FailoverSwitch::from(f.as_i64())),
            );
            set(&mut l.healthy_threshold, req.healthy_threshold);
            set(&mut l.unhealthy_threshold, req.unhealthy_threshold);
        }
        self.move_listener(&id, 4, now);
        Ok(ModifyTcpListenerAttributeResponse::default())
    }

    pub(super) fn modify_udp_listener(
        &mut self,
        req: ModifyUdpListenerAttributeRequest,
        now: i64,
    ) -> Result<ModifyUdpListenerAttributeResponse, ApiError> {
        let id = req.listener_id;
        let named = req.proxy_id.as_deref().or(req.group_id.as_deref());
        self.check_modifiable(Protocol::Udp, &id, named)?;
        if let Some(View::Udp(l)) = self.view_mut(&id) {
            set(&mut l.listener_name, req.listener_name);
            set(&mut l.scheduler, req.scheduler);
            set(&mut l.delay_loop, req.delay_loop);
            set(&mut l.connect_timeout, req.connect_timeout);
            set(&mut l.healthy_threshold, req.healthy_threshold);
            set(&mut l.unhealthy_threshold, req.unhealthy_threshold);
            set(&mut l.failover_switch, req.failover_switch);
            set(&mut l.health_check, req.health_check);
            set(&mut l.check_type, req.check_type);
            set(&mut l.check_port, req.check_port);
            set(&mut l.context_type, req.context_type);
            set(&mut l.send_context, req.send_context);
            set(&mut l.recv_context, req.recv_context);
        }
        self.move_listener(&id, 4, now);
        Ok(ModifyUdpListenerAttributeResponse::default())
    }

    pub(super) fn modify_http_listener(
        &mut self,
        req: ModifyHttpListenerAttributeRequest,
        now: i64,
    ) -> Result<ModifyHttpListenerAttributeResponse, ApiError> {
        let id = req.listener_id;
        self.check_modifiable(Protocol::Http, &id, req.proxy_id.as_deref())?;
        if let Some(View::Http(l)) = self.view_mut(&id) {
            l.listener_name = Some(req.listener_name);
        }
        self.move_listener(&id, 4, now);
        Ok(ModifyHttpListenerAttributeResponse::default())
    }

    pub(super) fn modify_https_listener(
        &mut self,
        req: ModifyHttpsListenerAttributeRequest,
        now: i64,
    ) -> Result<ModifyHttpsListenerAttributeResponse, ApiError> {
        let id = req.listener_id;
        self.check_modifiable(Protocol::Https, &id, req.proxy_id.as_deref())?;
        if let Some(View::Https(l)) = self.view_mut(&id) {
            set(&mut l.listener_name, req.listener_name);
            set(&mut l.forward_protocol, req.forward_protocol);
            set(&mut l.certificate_id, req.certificate_id);
            set(&mut l.client_certificate_id, req.client_certificate_id);
        }
        self.move_listener(&id, 4, now);
        Ok(ModifyHttpsListenerAttributeResponse::default())
    }
}
