//! Connections (proxies): CreateProxy, DescribeProxies, DestroyProxies.

use serde_json::{Map, Value, json};

use super::lifecycle::{Pending, Then};
use super::params::{filters, integer, matches_filters, page, string, strings};
use super::{Outcome, Store, not_found, real_server_bound};
use crate::envelope::ApiError;

/// One connection: its `ProxyInfo` as DescribeProxies returns it.
#[derive(Debug, Clone)]
pub struct Proxy {
    pub(super) info: Map<String, Value>,
    pub(super) sequence: u64,
    /// A transition under way.
    pub(super) pending: Option<Pending>,
}

impl Proxy {
    /// The group this connection belongs to, if any.
    pub(super) fn group_id(&self) -> Option<&str> {
        self.info.get("GroupId").and_then(Value::as_str)
    }
}

impl Store {
    pub(super) fn create_proxy(&mut self, p: &Value, now: i64) -> Outcome {
        let group_id = string(p, "GroupId");
        let real_server_region = match group_id {
            Some(gid) => {
                let group = self
                    .groups
                    .get(gid)
                    .ok_or_else(|| not_found("connection group", gid))?;
                group
                    .info
                    .get("RealServerRegion")
                    .cloned()
                    .unwrap_or(Value::Null)
            }
            None => match string(p, "RealServerRegion") {
                Some(region) => json!(region),
                None => {
                    return Err(ApiError::new(
                        "MissingParameter",
                        "The request is missing a required parameter `RealServerRegion`.",
                    ));
                }
            },
        };
        let id = self.new_id("link");
        let sequence = self.next_sequence();
        let info = json!({
            "InstanceId": id,
            "ProxyId": id,
            "ProxyName": string(p, "ProxyName").unwrap_or_default(),
            "AccessRegion": string(p, "AccessRegion").unwrap_or_default(),
            "RealServerRegion": real_server_region,
            "Bandwidth": integer(p, "Bandwidth").unwrap_or(0),
            "Concurrent": integer(p, "Concurrent").unwrap_or(0),
            "ProjectId": integer(p, "ProjectId").unwrap_or(0),
            "BillingType": integer(p, "BillingType").unwrap_or(0),
            "IPAddressVersion": string(p, "IPAddressVersion").unwrap_or("IPv4"),
            "NetworkType": string(p, "NetworkType").unwrap_or("normal"),
            "PackageType": string(p, "PackageType").unwrap_or("Thunder"),
            "GroupId": group_id,
            "TagSet": p.get("TagSet").cloned().unwrap_or(json!([])),
            "Status": "RUNNING",
            "Domain": format!("{id}.gaap.mock"),
            "IP": format!("10.0.{}.{}", (sequence >> 8) & 0xff, sequence & 0xff),
            "Version": "2.0",
            "CreateTime": now,
            "ModifyConfigTime": now,
            "ProxyType": i64::from(group_id.is_some()),
            "SupportProtocols": ["TCP", "UDP", "HTTP", "HTTPS"],
            "Http3Supported": 0,
            "InBanBlacklist": 0,
            "SupportSecurity": 1,
        });
        let Value::Object(info) = info else {
            return Err(ApiError::new("InternalError", "Internal error."));
        };
        self.proxies.insert(
            id.clone(),
            Proxy {
                info,
                sequence,
                pending: None,
            },
        );
        self.move_proxy(&id, "CREATING", Then::Status("RUNNING"), now);
        let mut out = Map::new();
        out.insert("InstanceId".to_owned(), json!(id));
        Ok(out)
    }

    pub(super) fn describe_proxies(&mut self, p: &Value) -> Outcome {
        let mut ids = strings(p, "ProxyIds");
        ids.extend(strings(p, "InstanceIds"));
        let filters = filters(p);
        let tags: Vec<&Value> = super::params::list(p, "TagSet").iter().collect();
        let independent = integer(p, "Independent");
        let mut found: Vec<&Proxy> = self
            .proxies
            .values()
            .filter(|proxy| ids.is_empty() || ids.iter().any(|id| proxy.info["ProxyId"] == **id))
            .filter(|proxy| matches_filters(&proxy.info, &filters))
            .filter(|proxy| match independent {
                Some(1) => proxy.group_id().is_none(),
                Some(0) => proxy.group_id().is_some(),
                _ => true,
            })
            .filter(|proxy| {
                tags.is_empty()
                    || proxy.info["TagSet"]
                        .as_array()
                        .is_some_and(|set| set.iter().any(|t| tags.contains(&t)))
            })
            .collect();
        let key = string(p, "OrderField").unwrap_or("create_time");
        found.sort_by(|a, b| match key {
            "proxy_id" => a.info["ProxyId"].as_str().cmp(&b.info["ProxyId"].as_str()),
            "bandwidth" => a.info["Bandwidth"]
                .as_i64()
                .cmp(&b.info["Bandwidth"].as_i64()),
            "concurrent_connections" => a.info["Concurrent"]
                .as_i64()
                .cmp(&b.info["Concurrent"].as_i64()),
            _ => a.sequence.cmp(&b.sequence),
        });
        if string(p, "Order") != Some("asc") {
            found.reverse();
        }
        let total = found.len();
        let items: Vec<Value> = page(found, p, 100)?
            .into_iter()
            .map(|proxy| Value::Object(proxy.info.clone()))
            .collect();
        let mut out = Map::new();
        out.insert("TotalCount".to_owned(), Value::from(total));
        out.insert("InstanceSet".to_owned(), Value::Array(items.clone()));
        out.insert("ProxySet".to_owned(), Value::Array(items));
        Ok(out)
    }

    pub(super) fn destroy_proxies(&mut self, p: &Value, now: i64) -> Outcome {
        let force = integer(p, "Force").unwrap_or(0) == 1;
        let mut ids = strings(p, "ProxyIds");
        ids.extend(strings(p, "InstanceIds"));
        // Unknown IDs, and connections already being destroyed, are invalid.
        let (known, invalid): (Vec<String>, Vec<String>) = ids.into_iter().partition(|id| {
            self.proxy_status(id)
                .is_some_and(|status| status != "DESTROYING")
        });
        if let Some(busy) = known.iter().find(|id| {
            self.proxies
                .get(*id)
                .is_some_and(|proxy| proxy.pending.is_some())
        }) {
            let status = self.proxy_status(busy).unwrap_or_default();
            return Err(ApiError::new(
                "FailedOperation.ActionIsDoing",
                format!("The connection `{busy}` is {status}; try again when it has finished."),
            ));
        }
        if let Some(bound) = known.iter().find(|id| self.owner_has_bindings(id))
            && !force
        {
            return Err(real_server_bound("connection", bound));
        }
        for id in &known {
            self.move_proxy(id, "DESTROYING", Then::Remove, now);
        }
        let mut out = Map::new();
        out.insert("InvalidStatusInstanceSet".to_owned(), json!(invalid));
        out.insert("OperationFailedInstanceSet".to_owned(), json!([]));
        Ok(out)
    }
}
