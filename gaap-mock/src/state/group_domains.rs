//! A connection group's nearest-access domain (CreateProxyGroupDomain,
//! ModifyGroupDomainConfig, DescribeGroupDomainConfig) and one connection's details
//! (DescribeProxyDetail, the `ProxyInfo` DescribeProxies lists).
// DescribeProxyDetail returns the deprecated fields of `ProxyInfo` too.
#![allow(deprecated)]

use gaap_model::operation::create_proxy_group_domain::{
    CreateProxyGroupDomainRequest, CreateProxyGroupDomainResponse,
};
use gaap_model::operation::describe_group_domain_config::{
    DescribeGroupDomainConfigRequest, DescribeGroupDomainConfigResponse,
};
use gaap_model::operation::describe_proxy_detail::{
    DescribeProxyDetailRequest, DescribeProxyDetailResponse,
};
use gaap_model::operation::modify_group_domain_config::{
    ModifyGroupDomainConfigRequest, ModifyGroupDomainConfigResponse,
};
use gaap_model::types::{
    AccessRegionDomainConf, DomainAccessRegionDict, NationCountryInnerInfo, ProxyIdDict,
};

use super::{Store, not_found};
use crate::envelope::ApiError;

/// The domain resolution of a connection group, once CreateProxyGroupDomain enabled it.
#[derive(Debug, Clone, Default)]
pub struct GroupDomain {
    /// `DefaultDnsIp`: where the domain resolves outside the configured regions.
    pub(super) default_dns_ip: String,
    /// `AccessRegionList` as ModifyGroupDomainConfig last set it.
    pub(super) regions: Vec<AccessRegionDomainConf>,
}

impl Store {
    /// Forgets the domain configuration of groups that are gone.
    pub(super) fn settle_group_domains(&mut self) {
        let groups = &self.groups;
        self.group_domains.retain(|id, _| groups.contains_key(id));
    }

    /// The group `id`, which must exist, and its enabled domain.
    fn group_domain(&self, id: &str) -> Result<&GroupDomain, ApiError> {
        if !self.groups.contains_key(id) {
            return Err(not_found("connection group", id));
        }
        self.group_domains.get(id).ok_or_else(|| {
            ApiError::new(
                "ResourceUnavailable",
                format!(
                    "The connection group `{id}` has no domain; enable it with CreateProxyGroupDomain."
                ),
            )
        })
    }

    /// CreateProxyGroupDomain: enables the group's domain resolution (again: unchanged).
    pub(super) fn create_proxy_group_domain(
        &mut self,
        req: CreateProxyGroupDomainRequest,
    ) -> Result<CreateProxyGroupDomainResponse, ApiError> {
        let id = req.group_id;
        let Some(group) = self.groups.get(&id) else {
            return Err(not_found("connection group", &id));
        };
        let domain = group.info.domain.clone().unwrap_or_default();
        self.group_domains
            .entry(id.clone())
            .or_insert_with(|| GroupDomain {
                default_dns_ip: domain,
                regions: Vec::new(),
            });
        let mut out = CreateProxyGroupDomainResponse::default();
        out.group_id = Some(id);
        Ok(out)
    }

    pub(super) fn modify_group_domain_config(
        &mut self,
        req: ModifyGroupDomainConfigRequest,
    ) -> Result<ModifyGroupDomainConfigResponse, ApiError> {
        self.group_domain(&req.group_id)?;
        if let Some(config) = self.group_domains.get_mut(&req.group_id) {
            config.default_dns_ip = req.default_dns_ip;
            config.regions = req.access_region_list.unwrap_or_default();
        }
        Ok(ModifyGroupDomainConfigResponse::default())
    }

    pub(super) fn describe_group_domain_config(
        &mut self,
        req: DescribeGroupDomainConfigRequest,
    ) -> Result<DescribeGroupDomainConfigResponse, ApiError> {
        let id = req.group_id;
        let config = self.group_domain(&id)?;
        let regions: Vec<DomainAccessRegionDict> = config
            .regions
            .iter()
            .map(|conf| {
                let region = conf.region_id.clone().unwrap_or_default();
                let mut dict = DomainAccessRegionDict::default();
                dict.nation_country_inner_list = Some(
                    conf.nation_country_inner_list
                        .iter()
                        .flatten()
                        .map(|code| {
                            let mut inner = NationCountryInnerInfo::default();
                            inner.nation_country_inner_code = Some(code.clone());
                            inner
                        })
                        .collect(),
                );
                dict.proxy_list = Some(
                    self.proxies
                        .values()
                        .filter(|p| {
                            p.group_id() == Some(id.as_str())
                                && p.info.access_region.as_deref() == Some(region.as_str())
                        })
                        .map(|p| {
                            let mut proxy = ProxyIdDict::default();
                            proxy.proxy_id = p.info.proxy_id.clone();
                            proxy
                        })
                        .collect(),
                );
                dict.region_name = Some(region.clone());
                dict.region_id = Some(region);
                dict
            })
            .collect();
        let mut out = DescribeGroupDomainConfigResponse::default();
        out.default_dns_ip = Some(config.default_dns_ip.clone());
        out.access_region_count = Some(i64::try_from(regions.len()).unwrap_or(i64::MAX));
        out.access_region_list = Some(regions);
        out.group_id = Some(id);
        Ok(out)
    }

    /// DescribeProxyDetail: the connection as DescribeProxies lists it.
    pub(super) fn describe_proxy_detail(
        &mut self,
        req: DescribeProxyDetailRequest,
    ) -> Result<DescribeProxyDetailResponse, ApiError> {
        let proxy = self
            .proxies
            .get(&req.proxy_id)
            .ok_or_else(|| not_found("connection", &req.proxy_id))?;
        let mut out = DescribeProxyDetailResponse::default();
        out.proxy_detail = Some(proxy.info.clone());
        Ok(out)
    }
}
