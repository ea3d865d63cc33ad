//! Listeners (TCP, UDP, HTTP, HTTPS) of a connection or connection group: create, describe
//! and delete, with port uniqueness per transport protocol.

use serde_json::{Map, Value, json};

use std::collections::HashSet;

use super::params::{as_integer, integer, list, listing, page_params, string, strings};
use super::{Outcome, Store, not_found, real_server_bound};
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
    pub(super) failover_role: Option<gaap_model::types::RealServerFailoverRole>,
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
    pub(super) info: Map<String, Value>,
    pub(super) bindings: Vec<Binding>,
    /// When a creation or an origin-server change completes (status `0`, running).
    pub(super) running_at: Option<i64>,
}

impl Store {
    /// Whether any listener of this connection or group has an origin server bound.
    pub(super) fn owner_has_bindings(&self, owner: &str) -> bool {
        self.listeners
            .values()
            .any(|l| l.owner == owner && !l.bindings.is_empty())
    }

    /// The owner named by exactly one of `ProxyId`/`GroupId`, which must exist.
    fn owner(&self, p: &Value) -> Result<(String, bool), ApiError> {
        match (string(p, "ProxyId"), string(p, "GroupId")) {
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
    ) -> Outcome {
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
        Ok(Map::new())
    }

    pub(super) fn create_layer4_listeners(
        &mut self,
        protocol: Protocol,
        p: &Value,
        now: i64,
    ) -> Outcome {
        let ports = listener_ports(p, "Ports")?;
        let real_server_ports = valid_ports(p, "RealServerPorts")?;
        let (owner, _) = self.owner(p)?;
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
        self.check_ports_free(&owner, protocol, &ports)?;
        let mut ids = Vec::with_capacity(ports.len());
        for (i, port) in ports.iter().enumerate() {
            let id = self.new_id("listener");
            let sequence = self.next_sequence();
            let mut info = json!({
                "ListenerId": id,
                "ListenerName": string(p, "ListenerName").unwrap_or_default(),
                "Port": port,
                "RealServerPort": real_server_ports.get(i),
                "RealServerType": string(p, "RealServerType").unwrap_or("IP"),
                "Protocol": protocol.as_str(),
                "ListenerStatus": 0,
                "Scheduler": string(p, "Scheduler").unwrap_or("rr"),
                "SessionPersist": 0,
                "CreateTime": now,
                "ClientIPMethod": integer(p, "ClientIPMethod").unwrap_or(0),
                "FailoverSwitch": integer(p, "FailoverSwitch").unwrap_or(0),
            });
            if protocol == Protocol::Tcp {
                info["HealthCheck"] = json!(integer(p, "HealthCheck").unwrap_or(0));
                info["ConnectTimeout"] = json!(integer(p, "ConnectTimeout").unwrap_or(2));
                info["DelayLoop"] = json!(integer(p, "DelayLoop").unwrap_or(5));
                info["HealthyThreshold"] = json!(integer(p, "HealthyThreshold").unwrap_or(1));
                info["UnhealthyThreshold"] = json!(integer(p, "UnhealthyThreshold").unwrap_or(1));
            }
            self.insert_listener(&id, protocol, &owner, *port, sequence, info)?;
            self.move_listener(&id, 1, now);
            ids.push(id);
        }
        let mut out = Map::new();
        out.insert("ListenerIds".to_owned(), json!(ids));
        Ok(out)
    }

    pub(super) fn create_layer7_listener(
        &mut self,
        protocol: Protocol,
        p: &Value,
        now: i64,
    ) -> Outcome {
        let (owner, is_group) = self.owner(p)?;
        self.require_owner_running(&owner, "FailedOperation.ProxyStatusNotInRuning")?;
        let port = match p.get("Port") {
            Some(v) => port_number(v).ok_or_else(|| invalid_listener_port(v))?,
            None => 0,
        };
        self.check_ports_free(&owner, protocol, &[port])?;
        let id = self.new_id("listener");
        let sequence = self.next_sequence();
        let mut info = json!({
            "ListenerId": id,
            "ListenerName": string(p, "ListenerName").unwrap_or_default(),
            "Port": port,
            "CreateTime": now,
            "Protocol": protocol.as_str(),
            "ListenerStatus": 0,
            "ProxyId": if is_group { Value::Null } else { json!(owner) },
            "GroupId": if is_group { json!(owner) } else { Value::Null },
        });
        if protocol == Protocol::Https {
            info["CertificateId"] = json!(string(p, "CertificateId"));
            info["ForwardProtocol"] = json!(string(p, "ForwardProtocol"));
            info["AuthType"] = json!(integer(p, "AuthType").unwrap_or(0));
            info["ClientCertificateId"] = json!(string(p, "ClientCertificateId"));
            info["PolyClientCertificateAliasInfo"] = json!(
                strings(p, "PolyClientCertificateIds")
                    .iter()
                    .map(|c| json!({ "CertificateId": c, "CertificateAlias": c }))
                    .collect::<Vec<_>>()
            );
            info["Http3Supported"] = json!(0);
        }
        self.insert_listener(&id, protocol, &owner, port, sequence, info)?;
        self.move_listener(&id, 1, now);
        let mut out = Map::new();
        out.insert("ListenerId".to_owned(), json!(id));
        Ok(out)
    }

    fn insert_listener(
        &mut self,
        id: &str,
        protocol: Protocol,
        owner: &str,
        port: i64,
        sequence: u64,
        info: Value,
    ) -> Result<(), ApiError> {
        let Value::Object(info) = info else {
            return Err(ApiError::new("InternalError", "Internal error."));
        };
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
            },
        );
        Ok(())
    }

    pub(super) fn describe_listeners(&mut self, protocol: Protocol, p: &Value) -> Outcome {
        let proxy_id = string(p, "ProxyId");
        let group_id = string(p, "GroupId");
        let listener_id = string(p, "ListenerId");
        if proxy_id.is_some() && group_id.is_some() {
            return Err(ApiError::new(
                "InvalidParameterValue",
                "ProxyId and GroupId cannot be set at the same time.",
            ));
        }
        let layer4 = matches!(protocol, Protocol::Tcp | Protocol::Udp);
        if layer4 && proxy_id.is_none() && group_id.is_none() && listener_id.is_none() {
            return Err(ApiError::new(
                "InvalidParameter",
                "At least one filter condition (ProxyId/GroupId/ListenerId) must be specified.",
            ));
        }
        let name = string(p, "ListenerName");
        let port = integer(p, "Port");
        let search = string(p, "SearchValue");
        let mut found: Vec<&Listener> = self
            .listeners
            .iter()
            .filter(|(id, l)| {
                l.protocol == protocol
                    && proxy_id.is_none_or(|o| l.owner == o)
                    && group_id.is_none_or(|o| l.owner == o)
                    && listener_id.is_none_or(|want| *id == want)
                    && name.is_none_or(|n| l.info["ListenerName"] == n)
                    && port.is_none_or(|want| l.port == want)
                    && search.is_none_or(|s| {
                        l.port.to_string().contains(s)
                            || l.info["ListenerName"]
                                .as_str()
                                .is_some_and(|n| n.contains(s))
                    })
            })
            .map(|(_, l)| l)
            .collect();
        found.sort_by_key(|l| std::cmp::Reverse(l.sequence));
        let total = found.len();
        let items = page_params(found, p, 1000)?
            .into_iter()
            .map(|l| self.listener_view(l))
            .collect();
        Ok(listing(total, "ListenerSet", items))
    }

    /// A listener as Describe returns it, with its bindings.
    fn listener_view(&self, l: &Listener) -> Value {
        let mut info = l.info.clone();
        if matches!(l.protocol, Protocol::Tcp | Protocol::Udp) {
            info.insert(
                "BindStatus".to_owned(),
                json!(i64::from(!l.bindings.is_empty())),
            );
            info.insert(
                "RealServerSet".to_owned(),
                json!(
                    l.bindings
                        .iter()
                        .map(|b| self.binding_view(b))
                        .collect::<Vec<_>>()
                ),
            );
        }
        Value::Object(info)
    }

    pub(super) fn delete_listeners(&mut self, p: &Value) -> Outcome {
        let owner = string(p, "ProxyId").or_else(|| string(p, "GroupId"));
        let force = integer(p, "Force").unwrap_or(0) == 1;
        let (mut succeeded, mut invalid) = (Vec::new(), Vec::new());
        for id in strings(p, "ListenerIds") {
            match self.listeners.get(&id) {
                Some(l) if owner.is_none_or(|o| l.owner == o) => {
                    if !force && !l.bindings.is_empty() {
                        return Err(real_server_bound("listener", &id));
                    }
                    succeeded.push(id);
                }
                _ => invalid.push(id),
            }
        }
        for id in &succeeded {
            self.listeners.remove(id);
        }
        let mut out = Map::new();
        out.insert("OperationFailedListenerSet".to_owned(), json!([]));
        out.insert("OperationSucceedListenerSet".to_owned(), json!(succeeded));
        out.insert("InvalidStatusListenerSet".to_owned(), json!(invalid));
        Ok(out)
    }
}

/// Most listener ports one CreateTCPListeners/CreateUDPListeners call may create
/// (`FailedOperation.OperateLimitNumofListener` beyond it).
pub const MAX_PORTS_PER_CALL: usize = 100;

/// A port number in 1..=65535.
fn port_number(v: &Value) -> Option<i64> {
    as_integer(v).filter(|port| (1..=65535).contains(port))
}

fn invalid_listener_port(v: &Value) -> ApiError {
    ApiError::new(
        "InvalidParameterValue.InvalidListenerPort",
        format!("The listener port {v} is not available: ports are 1 to 65535."),
    )
}

/// The listener ports of a create call: at most [`MAX_PORTS_PER_CALL`], each in 1..=65535.
fn listener_ports(p: &Value, name: &str) -> Result<Vec<i64>, ApiError> {
    let items = list(p, name);
    if items.len() > MAX_PORTS_PER_CALL {
        return Err(ApiError::new(
            "FailedOperation.OperateLimitNumofListener",
            format!(
                "{} ports in one call; at most {MAX_PORTS_PER_CALL} listeners can be created at once.",
                items.len()
            ),
        ));
    }
    items
        .iter()
        .map(|v| port_number(v).ok_or_else(|| invalid_listener_port(v)))
        .collect()
}

/// Origin server ports: each in 1..=65535.
fn valid_ports(p: &Value, name: &str) -> Result<Vec<i64>, ApiError> {
    list(p, name)
        .iter()
        .map(|v| {
            port_number(v).ok_or_else(|| {
                ApiError::new(
                    "InvalidParameterValue",
                    format!("{name} has the invalid port {v}: ports are 1 to 65535."),
                )
            })
        })
        .collect()
}
