//! Connection groups: CreateProxyGroup, DescribeProxyGroupList, DeleteProxyGroup.

use serde_json::{Map, Value, json};

use super::lifecycle::{Pending, Then};
use super::params::{filters, integer, list, listing, page, string};
use super::{Outcome, Store, not_found, real_server_bound};
use crate::envelope::ApiError;

/// One connection group: its `ProxyGroupInfo`, plus the fields filters look at.
#[derive(Debug, Clone)]
pub struct Group {
    pub(super) info: Map<String, Value>,
    /// `RealServerRegion` and `PackageType`, the two documented filter names.
    pub(super) filterable: Map<String, Value>,
    pub(super) sequence: u64,
    /// A transition under way.
    pub(super) pending: Option<Pending>,
}

impl Store {
    pub(super) fn create_proxy_group(&mut self, p: &Value, now: i64) -> Outcome {
        let id = self.new_id("lg");
        let sequence = self.next_sequence();
        let region = string(p, "RealServerRegion").unwrap_or_default();
        let package = string(p, "PackageType").unwrap_or("Thunder");
        let info = json!({
            "GroupId": id,
            "Domain": format!("{id}.gaap.mock"),
            "GroupName": string(p, "GroupName").unwrap_or_default(),
            "ProjectId": integer(p, "ProjectId").unwrap_or(0),
            "RealServerRegionInfo": { "RegionId": region, "RegionName": region },
            "Status": "RUNNING",
            "TagSet": p.get("TagSet").cloned().unwrap_or(json!([])),
            "Version": "2.0",
            "CreateTime": now,
            "ProxyType": 0,
            "HttpsProxyTaskRunning": 0,
            "IPAddressVersion": string(p, "IPAddressVersion").unwrap_or("IPv4"),
            "PackageType": package,
        });
        let filterable = json!({ "RealServerRegion": region, "PackageType": package });
        let (Value::Object(info), Value::Object(filterable)) = (info, filterable) else {
            return Err(ApiError::new("InternalError", "Internal error."));
        };
        self.groups.insert(
            id.clone(),
            Group {
                info,
                filterable,
                sequence,
                pending: None,
            },
        );
        self.move_group(&id, "CREATING", Then::Status("RUNNING"), now);
        let mut out = Map::new();
        out.insert("GroupId".to_owned(), json!(id));
        Ok(out)
    }

    pub(super) fn describe_proxy_group_list(&mut self, p: &Value) -> Outcome {
        let project = integer(p, "ProjectId").unwrap_or(-1);
        let filters = filters(p);
        let tags: Vec<&Value> = list(p, "TagSet").iter().collect();
        let mut found: Vec<&Group> = self
            .groups
            .values()
            .filter(|g| project == -1 || g.info["ProjectId"].as_i64() == Some(project))
            .filter(|g| super::params::matches_filters(&g.filterable, &filters))
            .filter(|g| {
                tags.is_empty()
                    || g.info["TagSet"]
                        .as_array()
                        .is_some_and(|set| set.iter().any(|t| tags.contains(&t)))
            })
            .collect();
        found.sort_by_key(|g| std::cmp::Reverse(g.sequence));
        let total = found.len();
        let items = page(found, p, 100)?
            .into_iter()
            .map(|g| Value::Object(g.info.clone()))
            .collect();
        Ok(listing(total, "ProxyGroupList", items))
    }

    pub(super) fn delete_proxy_group(&mut self, p: &Value, now: i64) -> Outcome {
        let id = string(p, "GroupId").unwrap_or_default();
        if !self.groups.contains_key(id) {
            return Err(not_found("connection group", id));
        }
        let force = integer(p, "Force").unwrap_or(0) == 1;
        let members: Vec<String> = self
            .proxies
            .iter()
            .filter(|(_, proxy)| proxy.group_id() == Some(id))
            .map(|(pid, _)| pid.clone())
            .collect();
        if !force {
            let bound =
                self.owner_has_bindings(id) || members.iter().any(|m| self.owner_has_bindings(m));
            if bound {
                return Err(real_server_bound("connection group", id));
            }
        }
        let id = id.to_owned();
        self.move_group(&id, "DESTROYING", Then::Remove, now);
        for member in &members {
            self.move_proxy(member, "DESTROYING", Then::Remove, now);
        }
        Ok(Map::new())
    }
}
