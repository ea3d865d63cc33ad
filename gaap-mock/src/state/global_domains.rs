//! The mainland site's global domains (`dm-...`), their DNS records and their ban status,
//! plus the tasks that `DescribeTaskStatus` reports on.
//!
//! Handlers take the generated typed requests and return the generated typed responses
//! (a renamed field fails to compile).

use std::collections::{BTreeMap, VecDeque};

use gaap_model::{
    operation::ban_and_recover_proxy::{BanAndRecoverProxyRequest, BanAndRecoverProxyResponse},
    operation::create_global_domain::{CreateGlobalDomainRequest, CreateGlobalDomainResponse},
    operation::create_global_domain_dns::{
        CreateGlobalDomainDnsRequest, CreateGlobalDomainDnsResponse,
    },
    operation::delete_global_domain::{DeleteGlobalDomainRequest, DeleteGlobalDomainResponse},
    operation::delete_global_domain_dns::{
        DeleteGlobalDomainDnsRequest, DeleteGlobalDomainDnsResponse,
    },
    operation::describe_global_domain_dns::{
        DescribeGlobalDomainDnsRequest, DescribeGlobalDomainDnsResponse,
    },
    operation::describe_global_domains::{
        DescribeGlobalDomainsRequest, DescribeGlobalDomainsResponse,
    },
    operation::describe_task_status::{DescribeTaskStatusRequest, DescribeTaskStatusResponse},
    operation::disable_global_domain::{DisableGlobalDomainRequest, DisableGlobalDomainResponse},
    operation::enable_global_domain::{EnableGlobalDomainRequest, EnableGlobalDomainResponse},
    operation::modify_global_domain_attribute::{
        ModifyGlobalDomainAttributeRequest, ModifyGlobalDomainAttributeResponse,
    },
    operation::modify_global_domain_dns::{
        ModifyGlobalDomainDnsRequest, ModifyGlobalDomainDnsResponse,
    },
    types::{
        CountryAreaMap, Domain, DomainBanStatus, DomainStatus, GlobalDns, GlobalDnsStatus,
        ProxyAccessInfo, TagPair,
    },
};
use serde_json::Value;

use super::{Outcome, Store, not_found, typed};
use crate::envelope::ApiError;

/// Documented `Domain.Status` values.
const ENABLED: i64 = 0;
const DISABLED: i64 = 1;
/// `GlobalDns.Status`: running, creating, modifying.
const DNS_RUNNING: i64 = 1;
const DNS_CREATING: i64 = 2;
const DNS_MODIFYING: i64 = 3;
/// The most domains an account holds (`LimitExceeded.Domain`).
const MAX_DOMAINS: usize = 500;
/// Tasks remembered for `DescribeTaskStatus`, oldest dropped first.
const MAX_TASKS: usize = 10_000;
/// DNS records one global domain holds at most (one per country it serves, in practice).
const MAX_DNS_RECORDS: usize = 256;

/// One global domain.
#[derive(Debug, Clone)]
pub struct GlobalDomain {
    project_id: i64,
    default_value: String,
    alias: Option<String>,
    tags: Vec<TagPair>,
    status: i64,
    created: i64,
    updated: i64,
    sequence: u64,
}

/// One DNS record of a global domain.
#[derive(Debug, Clone)]
pub struct DnsRecord {
    domain_id: String,
    proxy_ids: Vec<String>,
    countries: Vec<String>,
    /// `DNS_CREATING` or `DNS_MODIFYING` until `busy_until` (the state delay after the
    /// write), `DNS_RUNNING` from then on.
    phase: i64,
    busy_until: i64,
}

impl DnsRecord {
    fn status(&self, now: i64) -> i64 {
        if now < self.busy_until {
            self.phase
        } else {
            DNS_RUNNING
        }
    }
}

/// The global-domain part of the account, and its tasks.
#[derive(Debug, Default, Clone)]
pub struct GlobalDomains {
    domains: BTreeMap<String, GlobalDomain>,
    dns: BTreeMap<i64, DnsRecord>,
    next_dns_id: i64,
    /// Task id (the write's RequestId) to its action and the Unix time it finishes
    /// (`RUNNING` before, `SUCCESS` from then on).
    tasks: BTreeMap<String, (String, i64)>,
    /// Task ids, oldest first (forgotten beyond [`MAX_TASKS`]).
    task_order: VecDeque<String>,
    /// Tasks that end `FAIL` (a [`crate::Fault::TaskFails`] was injected into their call).
    failed_tasks: std::collections::BTreeSet<String>,
}

impl GlobalDomains {
    /// True when `id` names a global domain.
    pub fn has_domain(&self, id: &str) -> bool {
        self.domains.contains_key(id)
    }

    /// A destroyed connection no longer serves any DNS record.
    pub fn forget_proxy(&mut self, proxy_id: &str) {
        for record in self.dns.values_mut() {
            record.proxy_ids.retain(|id| id != proxy_id);
        }
    }

    /// Records a write's RequestId as a task `DescribeTaskStatus` can report on.
    pub fn record_task(&mut self, request_id: &str, action: &str, done_at: i64) {
        if self
            .tasks
            .insert(request_id.to_owned(), (action.to_owned(), done_at))
            .is_none()
        {
            self.task_order.push_back(request_id.to_owned());
        }
        while self.task_order.len() > MAX_TASKS {
            if let Some(oldest) = self.task_order.pop_front() {
                self.tasks.remove(&oldest);
                self.failed_tasks.remove(&oldest);
            }
        }
    }

    /// The task of `request_id`, if the call started one, ends `FAIL`.
    pub fn fail_task(&mut self, request_id: &str) {
        if self.tasks.contains_key(request_id) {
            self.failed_tasks.insert(request_id.to_owned());
        }
    }

    fn domain_view(&self, id: &str, d: &GlobalDomain) -> Domain {
        let proxies: std::collections::BTreeSet<&str> = self
            .dns
            .values()
            .filter(|r| r.domain_id == id)
            .flat_map(|r| r.proxy_ids.iter().map(String::as_str))
            .collect();
        let is_ip = d.default_value.parse::<std::net::IpAddr>().is_ok();
        let mut view = Domain::default();
        view.domain_id = Some(id.to_owned());
        view.full_domain = Some(format!(
            "{}.gaapqcloud.com.cn",
            id.replacen("dm-", "gd-", 1)
        ));
        view.alias = Some(d.alias.clone().unwrap_or_default());
        view.type_ = Some(if is_ip { "IP" } else { "DOMAIN" }.to_owned());
        view.status = Some(DomainStatus::from(d.status));
        view.project_id = Some(d.project_id);
        view.default_value = Some(d.default_value.clone());
        view.proxy_count = Some(i64::try_from(proxies.len()).unwrap_or(i64::MAX));
        view.create_time = Some(d.created);
        view.update_time = Some(d.updated);
        view.tag_set = Some(d.tags.clone());
        view.ban_status = Some(DomainBanStatus::Recover);
        view
    }

    fn domain_mut(&mut self, id: &str) -> Result<&mut GlobalDomain, ApiError> {
        self.domains
            .get_mut(id)
            .ok_or_else(|| not_found("global domain", id))
    }
}

impl Store {
    /// The global-domain family and `DescribeTaskStatus`; `None` for other actions.
    pub(super) fn dispatch_global(&mut self, action: &str, p: &Value, now: i64) -> Option<Outcome> {
        Some(match action {
            "CreateGlobalDomain" => typed(p, |r| self.create_global_domain(r, now)),
            "DescribeGlobalDomains" => typed(p, |r| self.describe_global_domains(r)),
            "ModifyGlobalDomainAttribute" => typed(p, |r| self.modify_global_domain(r, now)),
            "DeleteGlobalDomain" => typed(p, |r| self.delete_global_domain(r)),
            "EnableGlobalDomain" => typed(p, |r| self.enable_global_domain(r, now)),
            "DisableGlobalDomain" => typed(p, |r| self.disable_global_domain(r, now)),
            "CreateGlobalDomainDns" => typed(p, |r| self.create_global_domain_dns(r, now)),
            "DescribeGlobalDomainDns" => typed(p, |r| self.describe_global_domain_dns(r, now)),
            "ModifyGlobalDomainDns" => typed(p, |r| self.modify_global_domain_dns(r, now)),
            "DeleteGlobalDomainDns" => typed(p, |r| self.delete_global_domain_dns(r)),
            "BanAndRecoverProxy" => typed(p, |_: BanAndRecoverProxyRequest| {
                Ok(BanAndRecoverProxyResponse::default())
            }),
            "DescribeTaskStatus" => typed(p, |r| self.describe_task_status(r, now)),
            _ => return None,
        })
    }

    fn create_global_domain(
        &mut self,
        req: CreateGlobalDomainRequest,
        now: i64,
    ) -> Result<CreateGlobalDomainResponse, ApiError> {
        if self.global.domains.len() >= MAX_DOMAINS {
            return Err(ApiError::new(
                "LimitExceeded.Domain",
                format!("An account holds at most {MAX_DOMAINS} global domains."),
            ));
        }
        let id = self.new_id("dm");
        let sequence = self.next_sequence();
        self.global.domains.insert(
            id.clone(),
            GlobalDomain {
                project_id: req.project_id,
                default_value: req.default_value,
                alias: req.alias,
                tags: req.tag_set.unwrap_or_default(),
                status: ENABLED,
                created: now,
                updated: now,
                sequence,
            },
        );
        let mut out = CreateGlobalDomainResponse::default();
        out.domain_id = Some(id);
        Ok(out)
    }

    fn describe_global_domains(
        &mut self,
        req: DescribeGlobalDomainsRequest,
    ) -> Result<DescribeGlobalDomainsResponse, ApiError> {
        let filters = req.filters.unwrap_or_default();
        let mut found: Vec<(&String, &GlobalDomain)> = self
            .global
            .domains
            .iter()
            .filter(|(_, d)| d.project_id == req.project_id || req.project_id == -1)
            .filter(|(id, d)| {
                filters.iter().all(|f| {
                    let values = f.values.as_deref().unwrap_or_default();
                    match f.name.as_deref().unwrap_or_default() {
                        "DomainId" => values.iter().any(|v| v == *id),
                        "Alias" => values.iter().any(|v| Some(v) == d.alias.as_ref()),
                        "DefaultValue" => values.contains(&d.default_value),
                        _ => true,
                    }
                })
            })
            .filter(|(_, d)| {
                req.tag_set.as_ref().is_none_or(|tags| {
                    tags.iter().all(|t| {
                        d.tags
                            .iter()
                            .any(|own| own.tag_key == t.tag_key && own.tag_value == t.tag_value)
                    })
                })
            })
            .collect();
        found.sort_by_key(|(_, d)| d.sequence);
        let total = found.len();
        let offset = usize::try_from(req.offset.max(0)).unwrap_or(usize::MAX);
        let limit = usize::try_from(req.limit.clamp(0, 100)).unwrap_or(100);
        let page: Vec<Domain> = found
            .into_iter()
            .skip(offset)
            .take(limit)
            .map(|(id, d)| self.global.domain_view(id, d))
            .collect();
        let mut out = DescribeGlobalDomainsResponse::default();
        out.domains = Some(page);
        out.total_count = Some(i64::try_from(total).unwrap_or(i64::MAX));
        Ok(out)
    }

    fn modify_global_domain(
        &mut self,
        req: ModifyGlobalDomainAttributeRequest,
        now: i64,
    ) -> Result<ModifyGlobalDomainAttributeResponse, ApiError> {
        let domain = self.global.domain_mut(&req.domain_id)?;
        domain.project_id = req.project_id;
        if let Some(alias) = req.alias {
            domain.alias = Some(alias);
        }
        if let Some(value) = req.default_value {
            domain.default_value = value;
        }
        domain.updated = now;
        Ok(ModifyGlobalDomainAttributeResponse::default())
    }

    fn delete_global_domain(
        &mut self,
        req: DeleteGlobalDomainRequest,
    ) -> Result<DeleteGlobalDomainResponse, ApiError> {
        let domain = self.global.domain_mut(&req.domain_id)?;
        if domain.status != DISABLED {
            return Err(ApiError::new(
                "FailedOperation",
                format!(
                    "The global domain `{}` must be disabled before it is deleted.",
                    req.domain_id
                ),
            ));
        }
        self.global.domains.remove(&req.domain_id);
        self.global.dns.retain(|_, r| r.domain_id != req.domain_id);
        Ok(DeleteGlobalDomainResponse::default())
    }

    fn set_global_domain_status(
        &mut self,
        id: &str,
        status: i64,
        now: i64,
    ) -> Result<(), ApiError> {
        let domain = self.global.domain_mut(id)?;
        domain.status = status;
        domain.updated = now;
        Ok(())
    }

    fn enable_global_domain(
        &mut self,
        req: EnableGlobalDomainRequest,
        now: i64,
    ) -> Result<EnableGlobalDomainResponse, ApiError> {
        self.set_global_domain_status(&req.domain_id, ENABLED, now)?;
        Ok(EnableGlobalDomainResponse::default())
    }

    fn disable_global_domain(
        &mut self,
        req: DisableGlobalDomainRequest,
        now: i64,
    ) -> Result<DisableGlobalDomainResponse, ApiError> {
        self.set_global_domain_status(&req.domain_id, DISABLED, now)?;
        Ok(DisableGlobalDomainResponse::default())
    }

    /// The proxies a DNS record may point at must exist.
    fn check_proxies(&self, ids: &[String]) -> Result<(), ApiError> {
        match ids.iter().find(|id| !self.proxies.contains_key(*id)) {
            Some(id) => Err(not_found("connection", id)),
            None => Ok(()),
        }
    }

    /// No two records of a domain may serve the same country.
    fn check_countries(
        &self,
        domain_id: &str,
        countries: &[String],
        except: Option<i64>,
    ) -> Result<(), ApiError> {
        let clash = self
            .global
            .dns
            .iter()
            .filter(|(id, r)| r.domain_id == domain_id && Some(**id) != except)
            .flat_map(|(_, r)| &r.countries)
            .find(|c| countries.contains(c));
        match clash {
            Some(country) => Err(ApiError::new(
                "InvalidParameterValue",
                format!("The country code `{country}` already has a record on `{domain_id}`."),
            )),
            None => Ok(()),
        }
    }

    fn create_global_domain_dns(
        &mut self,
        req: CreateGlobalDomainDnsRequest,
        now: i64,
    ) -> Result<CreateGlobalDomainDnsResponse, ApiError> {
        self.global.domain_mut(&req.domain_id)?;
        if req.proxy_id_list.is_empty() || req.nation_country_inner_codes.is_empty() {
            return Err(ApiError::new(
                "InvalidParameterValue",
                "A DNS record needs at least one connection and one country.",
            ));
        }
        let records = self
            .global
            .dns
            .values()
            .filter(|r| r.domain_id == req.domain_id)
            .count();
        if records >= MAX_DNS_RECORDS {
            return Err(ApiError::new(
                "LimitExceeded",
                format!("A global domain holds at most {MAX_DNS_RECORDS} DNS records."),
            ));
        }
        self.check_proxies(&req.proxy_id_list)?;
        self.check_countries(&req.domain_id, &req.nation_country_inner_codes, None)?;
        self.global.domain_mut(&req.domain_id)?.updated = now;
        self.global.next_dns_id += 1;
        let id = self.global.next_dns_id;
        self.global.dns.insert(
            id,
            DnsRecord {
                domain_id: req.domain_id,
                proxy_ids: req.proxy_id_list,
                countries: req.nation_country_inner_codes,
                phase: DNS_CREATING,
                busy_until: self.done_at(now),
            },
        );
        Ok(CreateGlobalDomainDnsResponse::default())
    }

    fn describe_global_domain_dns(
        &mut self,
        req: DescribeGlobalDomainDnsRequest,
        now: i64,
    ) -> Result<DescribeGlobalDomainDnsResponse, ApiError> {
        if !self.global.domains.contains_key(&req.domain_id) {
            return Err(not_found("global domain", &req.domain_id));
        }
        let list: Vec<GlobalDns> = self
            .global
            .dns
            .iter()
            .filter(|(_, r)| r.domain_id == req.domain_id)
            .map(|(id, r)| {
                let mut dns = GlobalDns::default();
                dns.dns_record_id = Some(*id);
                dns.country_area_list = Some(
                    r.countries
                        .iter()
                        .map(|c| {
                            let mut area = CountryAreaMap::default();
                            area.nation_country_inner_code = Some(c.clone());
                            area
                        })
                        .collect(),
                );
                dns.access_list = Some(
                    r.proxy_ids
                        .iter()
                        .map(|proxy| {
                            let mut access = ProxyAccessInfo::default();
                            access.proxy_id = Some(proxy.clone());
                            access
                        })
                        .collect(),
                );
                dns.status = Some(GlobalDnsStatus::from(r.status(now)));
                dns
            })
            .collect();
        let mut out = DescribeGlobalDomainDnsResponse::default();
        out.global_dns_list = Some(list);
        Ok(out)
    }

    fn modify_global_domain_dns(
        &mut self,
        req: ModifyGlobalDomainDnsRequest,
        now: i64,
    ) -> Result<ModifyGlobalDomainDnsResponse, ApiError> {
        let owner = self
            .global
            .dns
            .get(&req.dns_record_id)
            .map(|r| r.domain_id.clone())
            .ok_or_else(|| not_found("DNS record", &req.dns_record_id.to_string()))?;
        if owner != req.domain_id {
            return Err(not_found("DNS record", &req.dns_record_id.to_string()));
        }
        self.check_proxies(&req.proxy_id_list)?;
        self.check_countries(
            &req.domain_id,
            &req.nation_country_inner_codes,
            Some(req.dns_record_id),
        )?;
        let busy_until = self.done_at(now);
        if let Some(record) = self.global.dns.get_mut(&req.dns_record_id) {
            record.proxy_ids = req.proxy_id_list;
            record.countries = req.nation_country_inner_codes;
            record.phase = DNS_MODIFYING;
            record.busy_until = busy_until;
        }
        self.global.domain_mut(&req.domain_id)?.updated = now;
        Ok(ModifyGlobalDomainDnsResponse::default())
    }

    fn delete_global_domain_dns(
        &mut self,
        req: DeleteGlobalDomainDnsRequest,
    ) -> Result<DeleteGlobalDomainDnsResponse, ApiError> {
        match self.global.dns.remove(&req.dns_record_id) {
            Some(_) => Ok(DeleteGlobalDomainDnsResponse::default()),
            None => Err(not_found("DNS record", &req.dns_record_id.to_string())),
        }
    }

    /// A task is `RUNNING` for the store's state delay after its write, then `SUCCESS`.
    fn describe_task_status(
        &mut self,
        req: DescribeTaskStatusRequest,
        now: i64,
    ) -> Result<DescribeTaskStatusResponse, ApiError> {
        let Some(id) = req.task_id.filter(|id| !id.is_empty()) else {
            return Err(ApiError::new(
                "MissingParameter",
                "The request is missing a required parameter `TaskId`.",
            ));
        };
        let Some((_, done_at)) = self.global.tasks.get(&id) else {
            return Err(not_found("task", &id));
        };
        let status = if now < *done_at {
            "RUNNING"
        } else if self.global.failed_tasks.contains(&id) {
            "FAIL"
        } else {
            "SUCCESS"
        };
        let mut out = DescribeTaskStatusResponse::default();
        out.task_id = Some(id);
        out.status = Some(status.to_owned());
        Ok(out)
    }
}
