//! Listeners (TCP, UDP, HTTP, HTTPS) of a connection or connection group: create, describe
//! and delete, with port uniqueness per transport protocol.

use std::collections::HashSet;

use gaap_model::operation::create_http_listener::{
    CreateHttpListenerRequest, CreateHttpListenerResponse,
};
use gaap_model::operation::create_https_listener::{
    CreateHttpsListenerRequest, CreateHttpsListenerResponse,
};
use gaap_model::operation::create_tcp_listeners::{
    CreateTcpListenersRequest, CreateTcpListenersResponse,
};
use gaap_model::operation::create_udp_listeners::{
    CreateUdpListenersRequest, CreateUdpListenersResponse,
};
use gaap_model::operation::delete_listeners::{DeleteListenersRequest, DeleteListenersResponse};
use gaap_model::operation::describe_http_listeners::{
    DescribeHttpListenersRequest, DescribeHttpListenersResponse,
};
use gaap_model::operation::describe_https_listeners::{
    DescribeHttpsListenersRequest, DescribeHttpsListenersResponse,
};
use gaap_model::operation::describe_tcp_listeners::{
    DescribeTcpListenersRequest, DescribeTcpListenersResponse,
};
use gaap_model::operation::describe_udp_listeners::{
    DescribeUdpListenersRequest, DescribeUdpListenersResponse,
};
use gaap_model::types::{
    AuthType, CertificateAliasInfo, ClientIpMethod, DeleteListenersForce, FailoverSwitch,
    HttpListener, HttpsListener, HttpsListenerHttp3Supported, ListenerStatus,
    ModifyRuleAttributeHealthCheck, RealServerFailoverRole, SessionPersist, TcpListener,
    TcpListenerBindStatus, TcpListenerListenerStatus, UdpListener, UdpListenerBindStatus,
};

use super::params::page;
use super::{Store, not_found, real_server_bound};
use crate::envelope::ApiError;

/// A listener's protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// Layer-4 TCP.
    Tcp,
    /// Layer-4 UDP.
    Udp,
    /// Layer-7 HTTP (over TCP).
    Http,
    /// Layer-7 HTTPS (over TCP).
    Https,
}

impl Protocol {
    /// The wire name, e.g. `TCP`.
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Tcp => "TCP",
            Protocol::Udp => "UDP",
            Protocol::Http => "HTTP",
            Protocol::Https => "HTTPS",
        }
    }

    /// Ports are unique per transport: HTTP and HTTPS listeners share TCP's ports.
    fn transport_is_udp(self) -> bool {
        self == Protocol::Udp
    }
}

/// One origin server bound to a listener.
#[derive(Debug, Clone)]
pub struct Binding {
    pub(super) real_server_id: String,
    pub(super) port: Option<i64>,
    pub(super) weight: i64,
    pub(super) failover_role: Option<RealServerFailoverRole>,
}

/// A listener's fields as its Describe call returns them (without the binding-derived
/// ones), in the generated type of its protocol.
#[derive(Debug, Clone)]
pub enum View {
    Tcp(TcpListener),
    Udp(UdpListener),
    Http(HttpListener),
    Https(HttpsListener),
}

/// One listener.
#[derive(Debug, Clone)]
pub struct Listener {
    pub(super) protocol: Protocol,
    /// The connection or connection group ID it belongs to.
    pub(super) owner: String,
    pub(super) port: i64,
    pub(super) sequence: u64,
    /// Its fields as the Describe call returns them, without the binding-derived ones.
    pub(super) info: View,
    pub(super) bindings: Vec<Binding>,
    /// When a creation or an origin-server change completes (status `0`, running).
    pub(super) running_at: Option<i64>,
    /// When a deletion completes and the listener is gone (status `2`, terminating, until
    /// then).
    pub(super) removed_at: Option<i64>,
}

impl Listener {
    /// `ListenerName`.
    pub(super) fn name(&self) -> Option<&str> {
        match &self.info {
            View::Tcp(l) => l.listener_name.as_deref(),
            View::Udp(l) => l.listener_name.as_deref(),
            View::Http(l) => l.listener_name.as_deref(),
            View::Https(l) => l.listener_name.as_deref(),
        }
    }

    /// Sets `ListenerStatus` (`0` running, `1` creating, `3` adjusting origin servers,
    /// `4` modifying configuration).
    pub(super) fn set_status(&mut self, status: i64) {
        match &mut self.info {
            View::Tcp(l) => l.listener_status = Some(TcpListenerListenerStatus::from(status)),
            View::Udp(l) => l.listener_status = Some(TcpListenerListenerStatus::from(status)),
            View::Http(l) => l.listener_status = Some(ListenerStatus::from(status)),
            View::Https(l) => l.listener_status = Some(ListenerStatus::from(status)),
        }
    }

    /// The server and client certificates an HTTPS listener uses.
    pub(super) fn certificate_ids(&self) -> [Option<&str>; 2] {
        match &self.info {
            View::Https(l) => [
                l.certificate_id.as_deref(),
                l.client_certificate_id.as_deref(),
            ],
            _ => [None, None],
        }
    }
}

/// The filters every Describe*Listeners call takes.
struct Query {
    proxy_id: Option<String>,
    group_id: Option<String>,
    listener_id: Option<String>,
    listener_name: Option<String>,
    port: Option<i64>,
    search_value: Option<String>,
    offset: Option<i64>,
    limit: Option<i64>,
}

macro_rules! query {
    ($req:expr) => {{
        let req = $req;
        Query {
            proxy_id: req.proxy_id,
            group_id: req.group_id,
            listener_id: req.listener_id,
            listener_name: req.listener_name,
            port: req.port,
            search_value: req.search_value,
            offset: req.offset,
            limit: req.limit,
        }
    }};
}

fn count(n: usize) -> Option<i64> {
    Some(i64::try_from(n).unwrap_or(i64::MAX))
}

impl Store {
    /// Whether any listener of this connection or group has an origin server bound.
    pub(super) fn owner_has_bindings(&self, owner: &str) -> bool {
        self.listeners
            .values()
            .any(|l| l.owner == owner && !l.bindings.is_empty())
            || self.rules.values().any(|r| {
                r.info
                    .real_server_set
                    .as_ref()
                    .is_some_and(|s| !s.is_empty())
                    && self
                        .listeners
                        .get(&r.listener_id)
                        .is_some_and(|l| l.owner == owner)
            })
    }

    /// The owner named by exactly one of `ProxyId`/`GroupId`, which must exist; true for
    /// a group.
    fn owner(
        &self,
        proxy_id: Option<&str>,
        group_id: Option<&str>,
    ) -> Result<(String, bool), ApiError> {
        match (proxy_id, group_id) {
            (Some(id), None) if self.proxies.contains_key(id) => Ok((id.to_owned(), false)),
            (Some(id), None) => Err(not_found("connection", id)),
            (None, Some(id)) if self.groups.contains_key(id) => Ok((id.to_owned(), true)),
            (None, Some(id)) => Err(not_found("connection group", id)),
            _ => Err(ApiError::new(
                "InvalidParameterValue",
                "Either ProxyId or GroupId must be set, but you cannot set both.",
            )),
        }
    }

    /// Refuse ports already used on `owner` by the same transport, or repeated in `ports`:
    /// one pass over the listeners into a set, then one over `ports` (linear, not
    /// ports x listeners).
    pub(super) fn check_ports_free(
        &self,
        owner: &str,
        protocol: Protocol,
        ports: &[i64],
    ) -> Result<(), ApiError> {
        let mut taken: HashSet<i64> = self
            .listeners
            .values()
            .filter(|l| {
                l.owner == owner && l.protocol.transport_is_udp() == protocol.transport_is_udp()
            })
            .map(|l| l.port)
            .collect();
        for port in ports {
            if !taken.insert(*port) {
                return Err(ApiError::new(
                    "InvalidParameterValue.DuplicatedListenerPort",
                    format!("Listener port {port} already exists."),
                ));
            }
        }
        Ok(())
    }

    /// The checks CreateTCPListeners and CreateUDPListeners share; the owner.
    fn layer4_owner(
        &self,
        protocol: Protocol,
        proxy_id: Option<&str>,
        group_id: Option<&str>,
        ports: &[i64],
        real_server_ports: &[i64],
    ) -> Result<String, ApiError> {
        listener_ports(ports)?;
        valid_ports(real_server_ports, "RealServerPorts")?;
        let (owner, _) = self.owner(proxy_id, group_id)?;
        // CreateUDPListeners' page lists InstanceStatusNotInRuning, not ProxyStatusNotInRuning.
        let code = match protocol {
            Protocol::Udp => "FailedOperation.InstanceStatusNotInRuning",
            _ => "FailedOperation.ProxyStatusNotInRuning",
        };
        self.require_owner_running(&owner, code)?;
        if !real_server_ports.is_empty() && real_server_ports.len() != ports.len() {
            return Err(ApiError::new(
                "InvalidParameterValue",
                "RealServerPorts must have one port per listener port.",
            ));
        }
        self.check_ports_free(&owner, protocol, ports)?;
        Ok(owner)
    }

    pub(super) fn create_tcp_listeners(
        &mut self,
        req: CreateTcpListenersRequest,
        now: i64,
    ) -> Result<CreateTcpListenersResponse, ApiError> {
        let real_server_ports = req.real_server_ports.clone().unwrap_or_default();
        let owner = self.layer4_owner(
            Protocol::Tcp,
            req.proxy_id.as_deref(),
            req.group_id.as_deref(),
            &req.ports,
            &real_server_ports,
        )?;
        let mut ids = Vec::with_capacity(req.ports.len());
        for (i, port) in req.ports.iter().enumerate() {
            let id = self.new_id("listener");
            let sequence = self.next_sequence();
            let mut l = TcpListener::default();
            l.listener_id = Some(id.clone());
            l.listener_name = Some(req.listener_name.clone());
            l.port = Some(*port);
            l.real_server_port = real_server_ports.get(i).copied();
            l.real_server_type = Some(req.real_server_type.as_str().to_owned());
            l.protocol = Some(Protocol::Tcp.as_str().to_owned());
            l.listener_status = Some(TcpListenerListenerStatus::from(0));
            l.scheduler = Some(req.scheduler.clone());
            l.session_persist = Some(SessionPersist::from(0));
            l.create_time = Some(now);
            l.client_ip_method = Some(req.client_ip_method.unwrap_or(ClientIpMethod::from(0)));
            l.failover_switch = Some(FailoverSwitch::from(
                req.failover_switch.map_or(0, |f| f.as_i64()),
            ));
            l.health_check = Some(ModifyRuleAttributeHealthCheck::from(
                req.health_check.as_i64(),
            ));
            l.connect_timeout = Some(req.connect_timeout.unwrap_or(2));
            l.delay_loop = Some(req.delay_loop.unwrap_or(5));
            l.healthy_threshold = Some(req.healthy_threshold.unwrap_or(1));
            l.unhealthy_threshold = Some(req.unhealthy_threshold.unwrap_or(1));
            self.insert_listener(&id, Protocol::Tcp, &owner, *port, sequence, View::Tcp(l));
            self.move_listener(&id, 1, now);
            ids.push(id);
        }
        let mut out = CreateTcpListenersResponse::default();
        out.listener_ids = Some(ids);
        Ok(out)
    }

    pub(super) fn create_udp_listeners(
        &mut self,
        req: CreateUdpListenersRequest,
        now: i64,
    ) -> Result<CreateUdpListenersResponse, ApiError> {
        let real_server_ports = req.real_server_ports.clone().unwrap_or_default();
        let owner = self.layer4_owner(
            Protocol::Udp,
            req.proxy_id.as_deref(),
            req.group_id.as_deref(),
            &req.ports,
            &real_server_ports,
        )?;
        let mut ids = Vec::with_capacity(req.ports.len());
        for (i, port) in req.ports.iter().enumerate() {
            let id = self.new_id("listener");
            let sequence = self.next_sequence();
            let mut l = UdpListener::default();
            l.listener_id = Some(id.clone());
            l.listener_name = Some(req.listener_name.clone());
            l.port = Some(*port);
            l.real_server_port = real_server_ports.get(i).copied();
            l.real_server_type = Some(req.real_server_type.as_str().to_owned());
            l.protocol = Some(Protocol::Udp.as_str().to_owned());
            l.listener_status = Some(TcpListenerListenerStatus::from(0));
            l.scheduler = Some(req.scheduler.clone());
            l.session_persist = Some(SessionPersist::from(0));
            l.create_time = Some(now);
            l.failover_switch = Some(req.failover_switch.unwrap_or(FailoverSwitch::from(0)));
            l.health_check = req.health_check;
            l.delay_loop = req.delay_loop;
            l.connect_timeout = req.connect_timeout;
            l.healthy_threshold = req.healthy_threshold;
            l.unhealthy_threshold = req.unhealthy_threshold;
            l.check_type = req.check_type.clone();
            l.check_port = req.check_port;
            l.context_type = req.context_type.clone();
            l.send_context = req.send_context.clone();
            l.recv_context = req.recv_context.clone();
            self.insert_listener(&id, Protocol::Udp, &owner, *port, sequence, View::Udp(l));
            self.move_listener(&id, 1, now);
            ids.push(id);
        }
        let mut out = CreateUdpListenersResponse::default();
        out.listener_ids = Some(ids);
        Ok(out)
    }

    /// The checks CreateHTTPListener and CreateHTTPSListener share: the owner, whether it
    /// is a group, and a fresh listener ID.
    fn layer7_owner(
        &mut self,
        protocol: Protocol,
        proxy_id: Option<&str>,
        group_id: Option<&str>,
        port: i64,
    ) -> Result<(String, bool, String, u64), ApiError> {
        let (owner, is_group) = self.owner(proxy_id, group_id)?;
        self.require_owner_running(&owner, "FailedOperation.ProxyStatusNotInRuning")?;
        let port = port_number(port).ok_or_else(|| invalid_listener_port(port))?;
        self.check_ports_free(&owner, protocol, &[port])?;
        let id = self.new_id("listener");
        let sequence = self.next_sequence();
        Ok((owner, is_group, id, sequence))
    }

    pub(super) fn create_http_listener(
        &mut self,
        req: CreateHttpListenerRequest,
        now: i64,
    ) -> Result<CreateHttpListenerResponse, ApiError> {
        let (owner, is_group, id, sequence) = self.layer7_owner(
            Protocol::Http,
            req.proxy_id.as_deref(),
            req.group_id.as_deref(),
            req.port,
        )?;
        let mut l = HttpListener::default();
        l.listener_id = Some(id.clone());
        l.listener_name = Some(req.listener_name);
        l.port = Some(req.port);
        l.create_time = Some(now);
        l.protocol = Some(Protocol::Http.as_str().into());
        l.listener_status = Some(ListenerStatus::from(0));
        l.proxy_id = (!is_group).then(|| owner.clone());
        l.group_id = is_group.then(|| owner.clone());
        self.insert_listener(
            &id,
            Protocol::Http,
            &owner,
            req.port,
            sequence,
            View::Http(l),
        );
        self.move_listener(&id, 1, now);
        let mut out = CreateHttpListenerResponse::default();
        out.listener_id = Some(id);
        Ok(out)
    }

    pub(super) fn create_https_listener(
        &mut self,
        req: CreateHttpsListenerRequest,
        now: i64,
    ) -> Result<CreateHttpsListenerResponse, ApiError> {
        let (owner, is_group, id, sequence) = self.layer7_owner(
            Protocol::Https,
            req.proxy_id.as_deref(),
            req.group_id.as_deref(),
            req.port,
        )?;
        let mut l = HttpsListener::default();
        l.listener_id = Some(id.clone());
        l.listener_name = Some(req.listener_name);
        l.port = Some(req.port);
        l.create_time = Some(now);
        l.protocol = Some(Protocol::Https.as_str().into());
        l.listener_status = Some(ListenerStatus::from(0));
        l.proxy_id = (!is_group).then(|| owner.clone());
        l.group_id = is_group.then(|| owner.clone());
        l.certificate_id = Some(req.certificate_id);
        l.forward_protocol = Some(req.forward_protocol);
        l.auth_type = Some(req.auth_type.unwrap_or(AuthType::from(0)));
        l.client_certificate_id = req.client_certificate_id;
        l.poly_client_certificate_alias_info = Some(
            req.poly_client_certificate_ids
                .unwrap_or_default()
                .into_iter()
                .map(|c| {
                    let mut alias = CertificateAliasInfo::default();
                    alias.certificate_alias = Some(c.clone());
                    alias.certificate_id = Some(c);
                    alias
                })
                .collect(),
        );
        l.http3_supported = Some(HttpsListenerHttp3Supported::from(0));
        self.insert_listener(
            &id,
            Protocol::Https,
            &owner,
            req.port,
            sequence,
            View::Https(l),
        );
        self.move_listener(&id, 1, now);
        let mut out = CreateHttpsListenerResponse::default();
        out.listener_id = Some(id);
        Ok(out)
    }

    fn insert_listener(
        &mut self,
        id: &str,
        protocol: Protocol,
        owner: &str,
        port: i64,
        sequence: u64,
        info: View,
    ) {
        self.listeners.insert(
            id.to_owned(),
            Listener {
                protocol,
                owner: owner.to_owned(),
                port,
                sequence,
                info,
                bindings: Vec::new(),
                running_at: None,
                removed_at: None,
            },
        );
    }

    /// The listeners of `protocol` a Describe*Listeners call selects, newest first, and
    /// how many there are before paging.
    fn find_listeners(
        &self,
        protocol: Protocol,
        q: Query,
    ) -> Result<(Option<i64>, Vec<&Listener>), ApiError> {
        if q.proxy_id.is_some() && q.group_id.is_some() {
            return Err(ApiError::new(
                "InvalidParameterValue",
                "ProxyId and GroupId cannot be set at the same time.",
            ));
        }
        let layer4 = matches!(protocol, Protocol::Tcp | Protocol::Udp);
        if layer4 && q.proxy_id.is_none() && q.group_id.is_none() && q.listener_id.is_none() {
            return Err(ApiError::new(
                "InvalidParameter",
                "At least one filter condition (ProxyId/GroupId/ListenerId) must be specified.",
            ));
        }
        let mut found: Vec<&Listener> = self
            .listeners
            .iter()
            .filter(|(id, l)| {
                l.protocol == protocol
                    && q.proxy_id.as_ref().is_none_or(|o| l.owner == *o)
                    && q.group_id.as_ref().is_none_or(|o| l.owner == *o)
                    && q.listener_id.as_ref().is_none_or(|want| *id == want)
                    && q.listener_name
                        .as_deref()
                        .is_none_or(|n| l.name() == Some(n))
                    && q.port.is_none_or(|want| l.port == want)
                    && q.search_value.as_deref().is_none_or(|s| {
                        l.port.to_string().contains(s) || l.name().is_some_and(|n| n.contains(s))
                    })
            })
            .map(|(_, l)| l)
            .collect();
        found.sort_by_key(|l| std::cmp::Reverse(l.sequence));
        let total = count(found.len());
        Ok((total, page(found, q.offset, q.limit, 1000)?))
    }

    pub(super) fn describe_tcp_listeners(
        &mut self,
        req: DescribeTcpListenersRequest,
    ) -> Result<DescribeTcpListenersResponse, ApiError> {
        let (total, found) = self.find_listeners(Protocol::Tcp, query!(req))?;
        let mut out = DescribeTcpListenersResponse::default();
        out.total_count = total;
        out.listener_set = Some(
            found
                .into_iter()
                .filter_map(|l| match &l.info {
                    View::Tcp(view) => {
                        let mut view = view.clone();
                        view.bind_status = Some(TcpListenerBindStatus::from(i64::from(
                            !l.bindings.is_empty(),
                        )));
                        view.real_server_set =
                            Some(l.bindings.iter().map(|b| self.binding_view(b)).collect());
                        Some(view)
                    }
                    _ => None,
                })
                .collect(),
        );
        Ok(out)
    }

    pub(super) fn describe_udp_listeners(
        &mut self,
        req: DescribeUdpListenersRequest,
    ) -> Result<DescribeUdpListenersResponse, ApiError> {
        let (total, found) = self.find_listeners(Protocol::Udp, query!(req))?;
        let mut out = DescribeUdpListenersResponse::default();
        out.total_count = total;
        out.listener_set = Some(
            found
                .into_iter()
                .filter_map(|l| match &l.info {
                    View::Udp(view) => {
                        let mut view = view.clone();
                        view.bind_status = Some(UdpListenerBindStatus::from(i64::from(
                            !l.bindings.is_empty(),
                        )));
                        view.real_server_set =
                            Some(l.bindings.iter().map(|b| self.binding_view(b)).collect());
                        Some(view)
                    }
                    _ => None,
                })
                .collect(),
        );
        Ok(out)
    }

    pub(super) fn describe_http_listeners(
        &mut self,
        req: DescribeHttpListenersRequest,
    ) -> Result<DescribeHttpListenersResponse, ApiError> {
        let (total, found) = self.find_listeners(Protocol::Http, query!(req))?;
        let mut out = DescribeHttpListenersResponse::default();
        out.total_count = total;
        out.listener_set = Some(
            found
                .into_iter()
                .filter_map(|l| match &l.info {
                    View::Http(view) => Some(view.clone()),
                    _ => None,
                })
                .collect(),
        );
        Ok(out)
    }

    pub(super) fn describe_https_listeners(
        &mut self,
        req: DescribeHttpsListenersRequest,
    ) -> Result<DescribeHttpsListenersResponse, ApiError> {
        let (total, found) = self.find_listeners(Protocol::Https, query!(req))?;
        let mut out = DescribeHttpsListenersResponse::default();
        out.total_count = total;
        out.listener_set = Some(
            found
                .into_iter()
                .filter_map(|l| match &l.info {
                    View::Https(view) => Some(view.clone()),
                    _ => None,
                })
                .collect(),
        );
        Ok(out)
    }

    /// DeleteListeners: a listener is terminating (`2`) for the state delay, then gone;
    /// one already terminating is in `InvalidStatusListenerSet`.
    pub(super) fn delete_listeners(
        &mut self,
        req: DeleteListenersRequest,
        now: i64,
    ) -> Result<DeleteListenersResponse, ApiError> {
        let owner = req.proxy_id.or(req.group_id);
        let force = req.force == DeleteListenersForce::from(1);
        let (mut succeeded, mut invalid) = (Vec::new(), Vec::new());
        for id in req.listener_ids {
            match self.listeners.get(&id) {
                Some(l)
                    if l.removed_at.is_none() && owner.as_ref().is_none_or(|o| l.owner == *o) =>
                {
                    if !force && !l.bindings.is_empty() {
                        return Err(real_server_bound("listener", &id));
                    }
                    succeeded.push(id);
                }
                _ => invalid.push(id),
            }
        }
        let removed_at = self.done_at(now);
        for id in &succeeded {
            if self.state_delay == 0 {
                self.listeners.remove(id);
            } else if let Some(listener) = self.listeners.get_mut(id) {
                listener.set_status(2);
                listener.running_at = None;
                listener.removed_at = Some(removed_at);
            }
        }
        let mut out = DeleteListenersResponse::default();
        out.operation_failed_listener_set = Some(Vec::new());
        out.operation_succeed_listener_set = Some(succeeded);
        out.invalid_status_listener_set = Some(invalid);
        Ok(out)
    }
}

/// Most listener ports one CreateTCPListeners/CreateUDPListeners call may create
/// (`FailedOperation.OperateLimitNumofListener` beyond it).
pub const MAX_PORTS_PER_CALL: usize = 100;

/// A port number in 1..=65535.
fn port_number(port: i64) -> Option<i64> {
    Some(port).filter(|port| (1..=65535).contains(port))
}

fn invalid_listener_port(port: i64) -> ApiError {
    ApiError::new(
        "InvalidParameterValue.InvalidListenerPort",
        format!("The listener port {port} is not available: ports are 1 to 65535."),
    )
}

/// The listener ports of a create call: at most [`MAX_PORTS_PER_CALL`], each in 1..=65535.
fn listener_ports(ports: &[i64]) -> Result<(), ApiError> {
    if ports.len() > MAX_PORTS_PER_CALL {
        return Err(ApiError::new(
            "FailedOperation.OperateLimitNumofListener",
            format!(
                "{} ports in one call; at most {MAX_PORTS_PER_CALL} listeners can be created at once.",
                ports.len()
            ),
        ));
    }
    match ports.iter().find(|p| port_number(**p).is_none()) {
        Some(port) => Err(invalid_listener_port(*port)),
        None => Ok(()),
    }
}

/// Origin server ports: each in 1..=65535.
fn valid_ports(ports: &[i64], name: &str) -> Result<(), ApiError> {
    match ports.iter().find(|p| port_number(**p).is_none()) {
        Some(port) => Err(ApiError::new(
            "InvalidParameterValue",
            format!("{name} has the invalid port {port}: ports are 1 to 65535."),
        )),
        None => Ok(()),
    }
}
