//! Origin servers and their bindings to listeners: AddRealServers, DescribeRealServers,
//! RemoveRealServers, BindListenerRealServers, DescribeListenerRealServers.

use serde_json::{Map, Value, json};

use super::listeners::Binding;
use super::params::{filters, integer, list, listing, matches_filters, page, string, strings};
use super::{Outcome, Store, not_found};
use crate::envelope::ApiError;

/// One origin server: its `BindRealServerInfo` fields.
#[derive(Debug, Clone)]
pub struct RealServer {
    pub(super) info: Map<String, Value>,
    pub(super) sequence: u64,
}

impl Store {
    pub(super) fn add_real_servers(&mut self, p: &Value, _now: i64) -> Outcome {
        let name = string(p, "RealServerName").unwrap_or_default().to_owned();
        let project = integer(p, "ProjectId").unwrap_or(0);
        let tags = p.get("TagSet").cloned().unwrap_or(json!([]));
        let mut created = Vec::new();
        for ip in strings(p, "RealServerIP") {
            let id = self.new_id("rs");
            let sequence = self.next_sequence();
            let Value::Object(info) = json!({
                "RealServerIP": ip,
                "RealServerId": id,
                "RealServerName": name,
                "ProjectId": project,
                "TagSet": tags,
                "InBanBlacklist": 0,
            }) else {
                return Err(ApiError::new("InternalError", "Internal error."));
            };
            self.real_servers
                .insert(id.clone(), RealServer { info, sequence });
            created.push(json!({ "RealServerId": id, "RealServerIP": ip }));
        }
        let mut out = Map::new();
        out.insert("RealServerSet".to_owned(), Value::Array(created));
        Ok(out)
    }

    pub(super) fn describe_real_servers(&mut self, p: &Value) -> Outcome {
        let project = integer(p, "ProjectId").unwrap_or(-1);
        let search = string(p, "SearchValue");
        let filters = filters(p);
        let tags: Vec<&Value> = list(p, "TagSet").iter().collect();
        let mut found: Vec<&RealServer> = self
            .real_servers
            .values()
            .filter(|rs| project == -1 || rs.info["ProjectId"].as_i64() == Some(project))
            .filter(|rs| {
                search.is_none_or(|s| {
                    rs.info["RealServerIP"]
                        .as_str()
                        .is_some_and(|ip| ip.contains(s))
                })
            })
            .filter(|rs| matches_filters(&rs.info, &filters))
            .filter(|rs| {
                tags.is_empty()
                    || rs.info["TagSet"]
                        .as_array()
                        .is_some_and(|set| set.iter().any(|t| tags.contains(&t)))
            })
            .collect();
        found.sort_by_key(|rs| std::cmp::Reverse(rs.sequence));
        let total = found.len();
        let items = page(found, p, 50)?
            .into_iter()
            .map(|rs| Value::Object(rs.info.clone()))
            .collect();
        Ok(listing(total, "RealServerSet", items))
    }

    pub(super) fn remove_real_servers(&mut self, p: &Value) -> Outcome {
        let ids = strings(p, "RealServerIds");
        for id in &ids {
            if !self.real_servers.contains_key(id) {
                return Err(not_found("origin server", id));
            }
            let bound = self
                .listeners
                .values()
                .any(|l| l.bindings.iter().any(|b| b.real_server_id == *id));
            if bound {
                return Err(super::real_server_bound("origin server", id));
            }
        }
        for id in &ids {
            self.real_servers.remove(id);
        }
        Ok(Map::new())
    }

    pub(super) fn bind_listener_real_servers(&mut self, p: &Value, now: i64) -> Outcome {
        let listener_id = string(p, "ListenerId").unwrap_or_default();
        let Some(owner) = self.listeners.get(listener_id).map(|l| l.owner.clone()) else {
            return Err(not_found("listener", listener_id));
        };
        self.require_owner_running(&owner, "FailedOperation.ProxyStatusNotInRuning")?;
        let mut bindings = Vec::new();
        for item in list(p, "RealServerBindSet") {
            let id = string(item, "RealServerId").unwrap_or_default();
            if !self.real_servers.contains_key(id) {
                return Err(not_found("origin server", id));
            }
            bindings.push(Binding {
                real_server_id: id.to_owned(),
                port: integer(item, "RealServerPort"),
                weight: integer(item, "RealServerWeight").unwrap_or(1),
                failover_role: string(item, "RealServerFailoverRole").map(str::to_owned),
            });
        }
        if let Some(listener) = self.listeners.get_mut(listener_id) {
            listener.bindings = bindings;
        }
        self.move_listener(listener_id, 3, now);
        Ok(Map::new())
    }

    pub(super) fn describe_listener_real_servers(&mut self, p: &Value) -> Outcome {
        let listener_id = string(p, "ListenerId").unwrap_or_default();
        let listener = self
            .listeners
            .get(listener_id)
            .ok_or_else(|| not_found("listener", listener_id))?;
        let available: Vec<Value> = self
            .real_servers
            .values()
            .map(|rs| {
                let mut view = Map::new();
                for key in [
                    "RealServerIP",
                    "RealServerId",
                    "RealServerName",
                    "ProjectId",
                    "InBanBlacklist",
                ] {
                    view.insert(key.to_owned(), rs.info[key].clone());
                }
                Value::Object(view)
            })
            .collect();
        let bound: Vec<Value> = listener
            .bindings
            .iter()
            .map(|b| self.binding_view(b))
            .collect();
        let mut out = listing(available.len(), "RealServerSet", available);
        out.insert("BindRealServerTotalCount".to_owned(), json!(bound.len()));
        out.insert("BindRealServerSet".to_owned(), Value::Array(bound));
        Ok(out)
    }

    /// A binding as `BindRealServer` (listeners' `RealServerSet`).
    pub(super) fn binding_view(&self, b: &Binding) -> Value {
        let ip = self
            .real_servers
            .get(&b.real_server_id)
            .and_then(|rs| rs.info.get("RealServerIP").cloned())
            .unwrap_or(Value::Null);
        json!({
            "RealServerId": b.real_server_id,
            "RealServerIP": ip,
            "RealServerPort": b.port,
            "RealServerWeight": b.weight,
            "RealServerStatus": 0,
            "RealServerFailoverRole": b.failover_role,
            "DownIPList": [],
        })
    }
}
