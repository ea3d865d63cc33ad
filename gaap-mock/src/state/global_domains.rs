//! The mainland site's global domains (`dm-...`), their DNS records and their ban status,
//! plus the tasks that `DescribeTaskStatus` reports on.
//!
//! Requests are read through the generated typed requests (a renamed field fails to
//! compile); responses are the page's JSON shape.

use std::collections::{BTreeMap, VecDeque};

use gaap_model::{
    operation::create_global_domain::CreateGlobalDomainRequest,
    operation::create_global_domain_dns::CreateGlobalDomainDnsRequest,
    operation::delete_global_domain::DeleteGlobalDomainRequest,
    operation::delete_global_domain_dns::DeleteGlobalDomainDnsRequest,
    operation::describe_global_domain_dns::DescribeGlobalDomainDnsRequest,
    operation::describe_global_domains::DescribeGlobalDomainsRequest,
    operation::describe_task_status::DescribeTaskStatusRequest,
    operation::disable_global_domain::DisableGlobalDomainRequest,
    operation::enable_global_domain::EnableGlobalDomainRequest,
    operation::modify_global_domain_attribute::ModifyGlobalDomainAttributeRequest,
    operation::modify_global_domain_dns::ModifyGlobalDomainDnsRequest, types::TagPair,
};
use serde_json::{Map, Value, json};

use super::{Outcome, Store, not_found, request};
use crate::envelope::ApiError;

/// Documented `Domain.Status` values.
const ENABLED: i64 = 0;
const DISABLED: i64 = 1;
/// `GlobalDns.Status`: running.
const DNS_RUNNING: i64 = 1;
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
}

fn fields(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

fn tags_json(tags: &[TagPair]) -> Value {
    Value::Array(
        tags.iter()
            .map(|t| json!({"TagKey": t.tag_key, "TagValue": t.tag_value}))
            .collect(),
    )
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
            }
        }
    }

    fn domain_json(&self, id: &str, d: &GlobalDomain) -> Value {
        let proxies: std::collections::BTreeSet<&str> = self
            .dns
            .values()
            .filter(|r| r.domain_id == id)
            .flat_map(|r| r.proxy_ids.iter().map(String::as_str))
            .collect();
        json!({
            "DomainId": id,
            "FullDomain": format!("{}.gaapqcloud.com.cn", id.replacen("dm-", "gd-", 1)),
            "Alias": d.alias.clone().unwrap_or_default(),
            "Type": if d.default_value.parse::<std::net::IpAddr>().is_ok() { "IP" } else { "DOMAIN" },
            "Status": d.status,
            "ProjectId": d.project_id,
            "DefaultValue": d.default_value,
            "ProxyCount": proxies.len(),
            "CreateTime": d.created,
            "UpdateTime": d.updated,
            "TagSet": tags_json(&d.tags),
            "BanStatus": "RECOVER",
        })
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
            "CreateGlobalDomain" => self.create_global_domain(p, now),
            "DescribeGlobalDomains" => self.describe_global_domains(p),
            "ModifyGlobalDomainAttribute" => self.modify_global_domain(p, now),
            "DeleteGlobalDomain" => self.delete_global_domain(p),
            "EnableGlobalDomain" => self.set_global_domain_status(p, ENABLED, now),
            "DisableGlobalDomain" => self.set_global_domain_status(p, DISABLED, now),
            "CreateGlobalDomainDns" => self.create_global_domain_dns(p, now),
            "DescribeGlobalDomainDns" => self.describe_global_domain_dns(p),
            "ModifyGlobalDomainDns" => self.modify_global_domain_dns(p, now),
            "DeleteGlobalDomainDns" => self.delete_global_domain_dns(p),
            "BanAndRecoverProxy" => Ok(Map::new()),
            "DescribeTaskStatus" => self.describe_task_status(p, now),
            _ => return None,
        })
    }

    fn create_global_domain(&mut self, p: &Value, now: i64) -> Outcome {
        let req: CreateGlobalDomainRequest = request(p)?;
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
        Ok(fields(json!({ "DomainId": id })))
    }

    fn describe_global_domains(&mut self, p: &Value) -> Outcome {
        let req: DescribeGlobalDomainsRequest = request(p)?;
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
        let page: Vec<Value> = found
            .into_iter()
            .skip(offset)
            .take(limit)
            .map(|(id, d)| self.global.domain_json(id, d))
            .collect();
        Ok(fields(json!({ "Domains": page, "TotalCount": total })))
    }

    fn modify_global_domain(&mut self, p: &Value, now: i64) -> Outcome {
        let req: ModifyGlobalDomainAttributeRequest = request(p)?;
        let domain = self.global.domain_mut(&req.domain_id)?;
        domain.project_id = req.project_id;
        if let Some(alias) = req.alias {
            domain.alias = Some(alias);
        }
        if let Some(value) = req.default_value {
            domain.default_value = value;
        }
        domain.updated = now;
        Ok(Map::new())
    }

    fn delete_global_domain(&mut self, p: &Value) -> Outcome {
        let req: DeleteGlobalDomainRequest = request(p)?;
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
        Ok(Map::new())
    }

    fn set_global_domain_status(&mut self, p: &Value, status: i64, now: i64) -> Outcome {
        let id = if status == ENABLED {
            request::<EnableGlobalDomainRequest>(p)?.domain_id
        } else {
            request::<DisableGlobalDomainRequest>(p)?.domain_id
        };
        let domain = self.global.domain_mut(&id)?;
        domain.status = status;
        domain.updated = now;
        Ok(Map::new())
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

    fn create_global_domain_dns(&mut self, p: &Value, now: i64) -> Outcome {
        let req: CreateGlobalDomainDnsRequest = request(p)?;
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
            },
        );
        Ok(Map::new())
    }

    fn describe_global_domain_dns(&mut self, p: &Value) -> Outcome {
        let req: DescribeGlobalDomainDnsRequest = request(p)?;
        if !self.global.domains.contains_key(&req.domain_id) {
            return Err(not_found("global domain", &req.domain_id));
        }
        let list: Vec<Value> = self
            .global
            .dns
            .iter()
            .filter(|(_, r)| r.domain_id == req.domain_id)
            .map(|(id, r)| {
                json!({
                    "DnsRecordId": id,
                    "CountryAreaList": r.countries.iter().map(|c| json!({"NationCountryInnerCode": c})).collect::<Vec<_>>(),
                    "AccessList": r.proxy_ids.iter().map(|proxy| json!({"ProxyId": proxy})).collect::<Vec<_>>(),
                    "Status": DNS_RUNNING,
                })
            })
            .collect();
        Ok(fields(json!({ "GlobalDnsList": list })))
    }

    fn modify_global_domain_dns(&mut self, p: &Value, now: i64) -> Outcome {
        let req: ModifyGlobalDomainDnsRequest = request(p)?;
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
        if let Some(record) = self.global.dns.get_mut(&req.dns_record_id) {
            record.proxy_ids = req.proxy_id_list;
            record.countries = req.nation_country_inner_codes;
        }
        self.global.domain_mut(&req.domain_id)?.updated = now;
        Ok(Map::new())
    }

    fn delete_global_domain_dns(&mut self, p: &Value) -> Outcome {
        let req: DeleteGlobalDomainDnsRequest = request(p)?;
        match self.global.dns.remove(&req.dns_record_id) {
            Some(_) => Ok(Map::new()),
            None => Err(not_found("DNS record", &req.dns_record_id.to_string())),
        }
    }

    /// A task is `RUNNING` for the store's state delay after its write, then `SUCCESS`.
    fn describe_task_status(&mut self, p: &Value, now: i64) -> Outcome {
        let req: DescribeTaskStatusRequest = request(p)?;
        let Some(id) = req.task_id.filter(|id| !id.is_empty()) else {
            return Err(ApiError::new(
                "MissingParameter",
                "The request is missing a required parameter `TaskId`.",
            ));
        };
        let Some((_, done_at)) = self.global.tasks.get(&id) else {
            return Err(not_found("task", &id));
        };
        let status = if now < *done_at { "RUNNING" } else { "SUCCESS" };
        Ok(fields(json!({ "TaskId": id, "Status": status })))
    }
}
