//! Connection groups: CreateProxyGroup, DescribeProxyGroupList, DeleteProxyGroup.
//!
//! A group is held as the generated `ProxyGroupInfo` DescribeProxyGroupList returns, plus
//! the fields that type lacks (region, package, IP version) that filters and
//! DescribeProxyGroupDetails read.

use gaap_model::operation::create_proxy_group::{
    CreateProxyGroupRequest, CreateProxyGroupResponse,
};
use gaap_model::operation::delete_proxy_group::{
    DeleteProxyGroupRequest, DeleteProxyGroupResponse,
};
use gaap_model::operation::describe_proxy_group_list::{
    DescribeProxyGroupListRequest, DescribeProxyGroupListResponse,
};
use gaap_model::types::{
    DeleteProxyGroupForce, IpAddressVersion, PackageType, ProxyGroupInfo, RegionDetail,
};

use super::lifecycle::{Pending, Then};
use super::params::page;
use super::proxies::{passes, tags_match};
use super::{Store, not_found, real_server_bound};
use crate::envelope::ApiError;

/// One connection group.
#[derive(Debug, Clone)]
pub struct Group {
    /// What DescribeProxyGroupList returns.
    pub(super) info: ProxyGroupInfo,
    /// The origin region (`RealServerRegion`, a documented filter).
    pub(super) real_server_region: String,
    /// `PackageType`, a documented filter.
    pub(super) package_type: PackageType,
    pub(super) ip_address_version: IpAddressVersion,
    pub(super) sequence: u64,
    /// A transition under way.
    pub(super) pending: Option<Pending>,
}

impl Group {
    /// The group's status (`RUNNING`, `CREATING`, ...).
    pub(super) fn status(&self) -> &str {
        self.info.status.as_ref().map_or("", |s| s.as_str())
    }
}

impl Store {
    pub(super) fn create_proxy_group(
        &mut self,
        req: CreateProxyGroupRequest,
        now: i64,
    ) -> Result<CreateProxyGroupResponse, ApiError> {
        let id = self.new_id("lg");
        let sequence = self.next_sequence();
        let mut region = RegionDetail::default();
        region.region_id = Some(req.real_server_region.clone());
        region.region_name = Some(req.real_server_region.clone());
        let mut info = ProxyGroupInfo::default();
        info.group_id = Some(id.clone());
        info.domain = Some(format!("{id}.gaap.mock"));
        info.group_name = Some(req.group_name);
        info.project_id = Some(req.project_id);
        info.real_server_region_info = Some(region);
        info.status = Some("RUNNING".into());
        info.tag_set = Some(req.tag_set.unwrap_or_default());
        info.version = Some("2.0".to_owned());
        info.create_time = Some(now);
        info.proxy_type = Some(0);
        self.groups.insert(
            id.clone(),
            Group {
                info,
                real_server_region: req.real_server_region,
                package_type: PackageType::from(
                    req.package_type.as_ref().map_or("Thunder", |t| t.as_str()),
                ),
                ip_address_version: req.ip_address_version.unwrap_or(IpAddressVersion::Ipv4),
                sequence,
                pending: None,
            },
        );
        self.move_group(&id, "CREATING", Then::Status("RUNNING"), now);
        let mut out = CreateProxyGroupResponse::default();
        out.group_id = Some(id);
        Ok(out)
    }

    pub(super) fn describe_proxy_group_list(
        &mut self,
        req: DescribeProxyGroupListRequest,
    ) -> Result<DescribeProxyGroupListResponse, ApiError> {
        let filters = req.filters.unwrap_or_default();
        let mut found: Vec<&Group> = self
            .groups
            .values()
            .filter(|g| req.project_id == -1 || g.info.project_id == Some(req.project_id))
            .filter(|g| {
                passes(&filters, |name| match name {
                    "RealServerRegion" => Some(g.real_server_region.clone()),
                    "PackageType" => Some(g.package_type.to_string()),
                    _ => None,
                })
            })
            .filter(|g| tags_match(req.tag_set.as_deref(), g.info.tag_set.as_deref()))
            .collect();
        found.sort_by_key(|g| std::cmp::Reverse(g.sequence));
        let total = found.len();
        let items = page(found, Some(req.offset), Some(req.limit), 100)?
            .into_iter()
            .map(|g| g.info.clone())
            .collect();
        let mut out = DescribeProxyGroupListResponse::default();
        out.total_count = Some(i64::try_from(total).unwrap_or(i64::MAX));
        out.proxy_group_list = Some(items);
        Ok(out)
    }

    pub(super) fn delete_proxy_group(
        &mut self,
        req: DeleteProxyGroupRequest,
        now: i64,
    ) -> Result<DeleteProxyGroupResponse, ApiError> {
        let id = req.group_id;
        if !self.groups.contains_key(&id) {
            return Err(not_found("connection group", &id));
        }
        let force = req.force == Some(DeleteProxyGroupForce::Allowed);
        let members: Vec<String> = self
            .proxies
            .iter()
            .filter(|(_, proxy)| proxy.group_id() == Some(id.as_str()))
            .map(|(pid, _)| pid.clone())
            .collect();
        if !force {
            let bound =
                self.owner_has_bindings(&id) || members.iter().any(|m| self.owner_has_bindings(m));
            if bound {
                return Err(real_server_bound("connection group", &id));
            }
        }
        self.move_group(&id, "DESTROYING", Then::Remove, now);
        for member in &members {
            self.move_proxy(member, "DESTROYING", Then::Remove, now);
        }
        Ok(DeleteProxyGroupResponse::default())
    }
}
