//! Origin servers and their bindings to listeners: AddRealServers, DescribeRealServers,
//! RemoveRealServers, ModifyRealServerName, BindListenerRealServers,
//! DescribeListenerRealServers. Requests and responses are the generated types.

use gaap_model::operation::add_real_servers::{AddRealServersRequest, AddRealServersResponse};
use gaap_model::operation::bind_listener_real_servers::{
    BindListenerRealServersRequest, BindListenerRealServersResponse,
};
use gaap_model::operation::describe_listener_real_servers::{
    DescribeListenerRealServersRequest, DescribeListenerRealServersResponse,
};
use gaap_model::operation::describe_real_servers::{
    DescribeRealServersRequest, DescribeRealServersResponse,
};
use gaap_model::operation::modify_real_server_name::{
    ModifyRealServerNameRequest, ModifyRealServerNameResponse,
};
use gaap_model::operation::remove_real_servers::{
    RemoveRealServersRequest, RemoveRealServersResponse,
};
use gaap_model::types::{
    BindRealServer, BindRealServerInfo, BindRealServerRealServerStatus, InBanBlacklist,
    NewRealServer, RealServer as RealServerView, TagPair,
};

use super::listeners::Binding;
use super::params::page;
use super::proxies::{passes, tags_match};
use super::{Store, not_found};
use crate::envelope::ApiError;

/// One origin server.
#[derive(Debug, Clone)]
pub struct RealServer {
    pub(super) ip: String,
    pub(super) name: String,
    pub(super) project_id: i64,
    pub(super) tags: Vec<TagPair>,
    pub(super) sequence: u64,
}

impl RealServer {
    /// As DescribeRealServers lists it.
    fn info(&self, id: &str) -> BindRealServerInfo {
        let mut info = BindRealServerInfo::default();
        info.real_server_ip = Some(self.ip.clone());
        info.real_server_id = Some(id.to_owned());
        info.real_server_name = Some(self.name.clone());
        info.project_id = Some(self.project_id);
        info.tag_set = Some(self.tags.clone());
        info
    }

    /// As DescribeListenerRealServers lists the servers that can be bound.
    pub(super) fn view(&self, id: &str) -> RealServerView {
        let mut view = RealServerView::default();
        view.real_server_ip = Some(self.ip.clone());
        view.real_server_id = Some(id.to_owned());
        view.real_server_name = Some(self.name.clone());
        view.project_id = Some(self.project_id);
        view.in_ban_blacklist = Some(InBanBlacklist::No);
        view
    }

    /// A field as the text a `Filters` value carries.
    fn filter_text(&self, id: &str, name: &str) -> Option<String> {
        match name {
            "RealServerIP" => Some(self.ip.clone()),
            "RealServerId" => Some(id.to_owned()),
            "RealServerName" => Some(self.name.clone()),
            "ProjectId" => Some(self.project_id.to_string()),
            "InBanBlacklist" => Some("0".to_owned()),
            _ => None,
        }
    }
}

fn count(n: usize) -> Option<i64> {
    Some(i64::try_from(n).unwrap_or(i64::MAX))
}

impl Store {
    pub(super) fn add_real_servers(
        &mut self,
        req: AddRealServersRequest,
    ) -> Result<AddRealServersResponse, ApiError> {
        let tags = req.tag_set.unwrap_or_default();
        let mut created = Vec::new();
        for ip in req.real_server_ip {
            let id = self.new_id("rs");
            let sequence = self.next_sequence();
            let mut new = NewRealServer::default();
            new.real_server_id = Some(id.clone());
            new.real_server_ip = Some(ip.clone());
            created.push(new);
            self.real_servers.insert(
                id,
                RealServer {
                    ip,
                    name: req.real_server_name.clone(),
                    project_id: req.project_id,
                    tags: tags.clone(),
                    sequence,
                },
            );
        }
        let mut out = AddRealServersResponse::default();
        out.real_server_set = Some(created);
        Ok(out)
    }

    pub(super) fn describe_real_servers(
        &mut self,
        req: DescribeRealServersRequest,
    ) -> Result<DescribeRealServersResponse, ApiError> {
        let filters = req.filters.unwrap_or_default();
        let mut found: Vec<(&String, &RealServer)> = self
            .real_servers
            .iter()
            .filter(|(_, rs)| req.project_id == -1 || rs.project_id == req.project_id)
            .filter(|(_, rs)| {
                req.search_value
                    .as_deref()
                    .is_none_or(|s| rs.ip.contains(s))
            })
            .filter(|(id, rs)| passes(&filters, |name| rs.filter_text(id, name)))
            .filter(|(_, rs)| tags_match(req.tag_set.as_deref(), Some(&rs.tags)))
            .collect();
        found.sort_by_key(|(_, rs)| std::cmp::Reverse(rs.sequence));
        let total = found.len();
        let items = page(found, req.offset, req.limit, 50)?
            .into_iter()
            .map(|(id, rs)| rs.info(id))
            .collect();
        let mut out = DescribeRealServersResponse::default();
        out.total_count = count(total);
        out.real_server_set = Some(items);
        Ok(out)
    }

    pub(super) fn remove_real_servers(
        &mut self,
        req: RemoveRealServersRequest,
    ) -> Result<RemoveRealServersResponse, ApiError> {
        let ids = req.real_server_ids;
        for id in &ids {
            if !self.real_servers.contains_key(id) {
                return Err(not_found("origin server", id));
            }
            let bound = self
                .listeners
                .values()
                .any(|l| l.bindings.iter().any(|b| b.real_server_id == *id))
                || self.rules.values().any(|r| {
                    r.info
                        .real_server_set
                        .iter()
                        .flatten()
                        .any(|b| b.real_server_id.as_deref() == Some(id.as_str()))
                });
            if bound {
                return Err(super::real_server_bound("origin server", id));
            }
        }
        for id in &ids {
            self.real_servers.remove(id);
        }
        Ok(RemoveRealServersResponse::default())
    }

    pub(super) fn modify_real_server_name(
        &mut self,
        req: ModifyRealServerNameRequest,
    ) -> Result<ModifyRealServerNameResponse, ApiError> {
        let server = self
            .real_servers
            .get_mut(&req.real_server_id)
            .ok_or_else(|| not_found("origin server", &req.real_server_id))?;
        server.name = req.real_server_name;
        Ok(ModifyRealServerNameResponse::default())
    }

    pub(super) fn bind_listener_real_servers(
        &mut self,
        req: BindListenerRealServersRequest,
        now: i64,
    ) -> Result<BindListenerRealServersResponse, ApiError> {
        let listener_id = req.listener_id;
        let Some(owner) = self.listeners.get(&listener_id).map(|l| l.owner.clone()) else {
            return Err(not_found("listener", &listener_id));
        };
        self.require_owner_running(&owner, "FailedOperation.ProxyStatusNotInRuning")?;
        let mut bindings = Vec::new();
        for item in req.real_server_bind_set.unwrap_or_default() {
            let id = item.real_server_id.unwrap_or_default();
            if !self.real_servers.contains_key(&id) {
                return Err(not_found("origin server", &id));
            }
            bindings.push(Binding {
                real_server_id: id,
                port: item.real_server_port,
                weight: item.real_server_weight.unwrap_or(1),
                failover_role: item.real_server_failover_role,
            });
        }
        if let Some(listener) = self.listeners.get_mut(&listener_id) {
            listener.bindings = bindings;
        }
        self.move_listener(&listener_id, 3, now);
        Ok(BindListenerRealServersResponse::default())
    }

    pub(super) fn describe_listener_real_servers(
        &mut self,
        req: DescribeListenerRealServersRequest,
    ) -> Result<DescribeListenerRealServersResponse, ApiError> {
        let listener = self
            .listeners
            .get(&req.listener_id)
            .ok_or_else(|| not_found("listener", &req.listener_id))?;
        let available: Vec<RealServerView> = self
            .real_servers
            .iter()
            .map(|(id, rs)| rs.view(id))
            .collect();
        let bound: Vec<BindRealServer> = listener
            .bindings
            .iter()
            .map(|b| self.binding_view(b))
            .collect();
        let mut out = DescribeListenerRealServersResponse::default();
        out.total_count = count(available.len());
        out.real_server_set = Some(available);
        out.bind_real_server_total_count = count(bound.len());
        out.bind_real_server_set = Some(bound);
        Ok(out)
    }

    /// A binding as `BindRealServer` (listeners' `RealServerSet`).
    pub(super) fn binding_view(&self, b: &Binding) -> BindRealServer {
        let mut view = BindRealServer::default();
        view.real_server_id = Some(b.real_server_id.clone());
        view.real_server_ip = self
            .real_servers
            .get(&b.real_server_id)
            .map(|rs| rs.ip.clone());
        view.real_server_port = b.port;
        view.real_server_weight = Some(b.weight);
        view.real_server_status = Some(BindRealServerRealServerStatus::from(0));
        view.real_server_failover_role = b.failover_role.clone();
        view.down_ip_list = Some(Vec::new());
        view
    }
}
