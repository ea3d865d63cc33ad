//! Connections (proxies): CreateProxy, DescribeProxies, DestroyProxies.
//!
//! A connection is held as the generated `ProxyInfo` DescribeProxies returns; requests and
//! responses are the generated types.
// The emulator serves the deprecated inputs and outputs (InstanceIds, InstanceSet, ...)
// next to their replacements.
#![allow(deprecated)]

use gaap_model::operation::create_proxy::{CreateProxyRequest, CreateProxyResponse};
use gaap_model::operation::describe_proxies::{DescribeProxiesRequest, DescribeProxiesResponse};
use gaap_model::operation::destroy_proxies::{DestroyProxiesRequest, DestroyProxiesResponse};
use gaap_model::types::{
    BillingType, DestroyProxiesForce, Filter, Http3Supported, InBanBlacklist, IpAddressVersion,
    ProxyInfo, ProxyInfoNetworkType, ProxyInfoPackageType, ProxyInfoProxyType, TagPair,
};

use super::lifecycle::{Pending, Then};
use super::params::page;
use super::{Store, not_found, proxy_ids, real_server_bound};
use crate::envelope::ApiError;

/// One connection: its `ProxyInfo` as DescribeProxies returns it.
#[derive(Debug, Clone)]
pub struct Proxy {
    pub(super) info: ProxyInfo,
    pub(super) sequence: u64,
    /// A transition under way.
    pub(super) pending: Option<Pending>,
}

impl Proxy {
    /// The group this connection belongs to, if any.
    pub(super) fn group_id(&self) -> Option<&str> {
        self.info.group_id.as_deref()
    }

    /// The connection's status (`RUNNING`, `CREATING`, ...).
    pub(super) fn status(&self) -> &str {
        self.info.status.as_ref().map_or("", |s| s.as_str())
    }

    /// A field as the text a `Filters` value carries; `None` for a name the connection
    /// does not have.
    fn filter_text(&self, name: &str) -> Option<String> {
        let info = &self.info;
        match name {
            "ProjectId" => info.project_id.map(|v| v.to_string()),
            "AccessRegion" => info.access_region.clone(),
            "RealServerRegion" => info.real_server_region.clone(),
            "GroupId" => info.group_id.clone(),
            "IPAddressVersion" => info.ip_address_version.as_ref().map(|v| v.to_string()),
            "PackageType" => info.package_type.as_ref().map(|v| v.to_string()),
            "Status" => info.status.as_ref().map(|v| v.to_string()),
            "ProxyId" => info.proxy_id.clone(),
            "ProxyName" => info.proxy_name.clone(),
            "Domain" => info.domain.clone(),
            "IP" => info.ip.clone(),
            "NetworkType" => info.network_type.as_ref().map(|v| v.to_string()),
            _ => None,
        }
    }
}

/// Whether `tags` (the request's `TagSet`) is empty or shares a tag with `own`.
pub(super) fn tags_match(tags: Option<&[TagPair]>, own: Option<&[TagPair]>) -> bool {
    let tags = tags.unwrap_or_default();
    tags.is_empty() || own.is_some_and(|own| own.iter().any(|t| tags.contains(t)))
}

/// Whether `text` (a field's filter text by name) passes every filter (filters AND
/// together, values OR within one).
pub(super) fn passes(filters: &[Filter], text: impl Fn(&str) -> Option<String>) -> bool {
    filters.iter().all(|f| {
        let Some(name) = f.name.as_deref() else {
            return true;
        };
        text(name).is_some_and(|own| f.values.iter().flatten().any(|v| *v == own))
    })
}

impl Store {
    pub(super) fn create_proxy(
        &mut self,
        req: CreateProxyRequest,
        now: i64,
    ) -> Result<CreateProxyResponse, ApiError> {
        let real_server_region = match &req.group_id {
            Some(gid) => {
                let group = self
                    .groups
                    .get(gid)
                    .ok_or_else(|| not_found("connection group", gid))?;
                Some(group.real_server_region.clone())
            }
            None => match req.real_server_region {
                Some(region) => Some(region),
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
        let mut info = ProxyInfo::default();
        info.instance_id = Some(id.clone());
        info.proxy_id = Some(id.clone());
        info.proxy_name = Some(req.proxy_name);
        info.access_region = Some(req.access_region);
        info.real_server_region = real_server_region;
        info.bandwidth = Some(req.bandwidth);
        info.concurrent = Some(req.concurrent);
        info.project_id = Some(req.project_id);
        info.billing_type = Some(req.billing_type.unwrap_or(BillingType::BillByBandwidth));
        info.ip_address_version = Some(req.ip_address_version.unwrap_or(IpAddressVersion::Ipv4));
        info.network_type = Some(ProxyInfoNetworkType::from(
            req.network_type.as_ref().map_or("normal", |t| t.as_str()),
        ));
        info.package_type = Some(ProxyInfoPackageType::from(
            req.package_type.as_ref().map_or("Thunder", |t| t.as_str()),
        ));
        info.proxy_type = Some(ProxyInfoProxyType::from(i64::from(req.group_id.is_some())));
        info.group_id = req.group_id;
        info.tag_set = Some(req.tag_set.unwrap_or_default());
        info.status = Some("RUNNING".into());
        info.domain = Some(format!("{id}.gaap.mock"));
        info.ip = Some(format!(
            "10.0.{}.{}",
            (sequence >> 8) & 0xff,
            sequence & 0xff
        ));
        info.version = Some("2.0".to_owned());
        info.create_time = Some(now);
        info.modify_config_time = Some(now);
        info.support_protocols = Some(["TCP", "UDP", "HTTP", "HTTPS"].map(str::to_owned).to_vec());
        info.http3_supported = Some(Http3Supported::Disabled);
        info.in_ban_blacklist = Some(InBanBlacklist::No);
        info.support_security = Some(1);
        self.proxies.insert(
            id.clone(),
            Proxy {
                info,
                sequence,
                pending: None,
            },
        );
        self.move_proxy(&id, "CREATING", Then::Status("RUNNING"), now);
        let mut out = CreateProxyResponse::default();
        out.instance_id = Some(id);
        Ok(out)
    }

    pub(super) fn describe_proxies(
        &mut self,
        req: DescribeProxiesRequest,
    ) -> Result<DescribeProxiesResponse, ApiError> {
        let ids = proxy_ids(req.proxy_ids, req.instance_ids);
        let filters = req.filters.unwrap_or_default();
        let mut found: Vec<&Proxy> = self
            .proxies
            .values()
            .filter(|proxy| {
                ids.is_empty()
                    || ids
                        .iter()
                        .any(|id| proxy.info.proxy_id.as_ref() == Some(id))
            })
            .filter(|proxy| passes(&filters, |name| proxy.filter_text(name)))
            .filter(|proxy| match req.independent {
                Some(1) => proxy.group_id().is_none(),
                Some(0) => proxy.group_id().is_some(),
                _ => true,
            })
            .filter(|proxy| tags_match(req.tag_set.as_deref(), proxy.info.tag_set.as_deref()))
            .collect();
        let key = req
            .order_field
            .as_ref()
            .map_or("create_time", |f| f.as_str());
        found.sort_by(|a, b| match key {
            "proxy_id" => a.info.proxy_id.cmp(&b.info.proxy_id),
            "bandwidth" => a.info.bandwidth.cmp(&b.info.bandwidth),
            "concurrent_connections" => a.info.concurrent.cmp(&b.info.concurrent),
            _ => a.sequence.cmp(&b.sequence),
        });
        if req.order.as_ref().map(|o| o.as_str()) != Some("asc") {
            found.reverse();
        }
        let total = found.len();
        let items: Vec<ProxyInfo> = page(found, req.offset, req.limit, 100)?
            .into_iter()
            .map(|proxy| proxy.info.clone())
            .collect();
        let mut out = DescribeProxiesResponse::default();
        out.total_count = Some(i64::try_from(total).unwrap_or(i64::MAX));
        out.instance_set = Some(items.clone());
        out.proxy_set = Some(items);
        Ok(out)
    }

    pub(super) fn destroy_proxies(
        &mut self,
        req: DestroyProxiesRequest,
        now: i64,
    ) -> Result<DestroyProxiesResponse, ApiError> {
        let force = req.force == DestroyProxiesForce::Allowed;
        let ids = proxy_ids(req.proxy_ids, req.instance_ids);
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
        let mut out = DestroyProxiesResponse::default();
        out.invalid_status_instance_set = Some(invalid);
        out.operation_failed_instance_set = Some(Vec::new());
        Ok(out)
    }
}
