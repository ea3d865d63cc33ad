//! Domains and forwarding rules of HTTP/HTTPS listeners: CreateDomain, ModifyDomain,
//! DeleteDomain, CreateRule, ModifyRuleAttribute, DeleteRule, DescribeRules,
//! DescribeRulesByRuleIds. A new domain is changing
//! (`DomainStatus` 1) and a new rule creating (`RuleStatus` 1) for the state delay, then
//! running (0). Domains are held as the generated `DomainRuleSet` (without its rules) and
//! rules as the generated `RuleInfo`.

use gaap_model::operation::create_domain::{CreateDomainRequest, CreateDomainResponse};
use gaap_model::operation::create_rule::{CreateRuleRequest, CreateRuleResponse};
use gaap_model::operation::delete_domain::{DeleteDomainRequest, DeleteDomainResponse};
use gaap_model::operation::delete_rule::{DeleteRuleRequest, DeleteRuleResponse};
use gaap_model::operation::describe_rules::{DescribeRulesRequest, DescribeRulesResponse};
use gaap_model::operation::describe_rules_by_rule_ids::{
    DescribeRulesByRuleIdsRequest, DescribeRulesByRuleIdsResponse,
};
use gaap_model::operation::modify_domain::{ModifyDomainRequest, ModifyDomainResponse};
use gaap_model::operation::modify_rule_attribute::{
    ModifyRuleAttributeRequest, ModifyRuleAttributeResponse,
};
use gaap_model::types::{
    BanStatus, DomainRuleSet, DomainRuleSetDomainStatus, HealthCheck, Http3Supported, RuleInfo,
    RuleInfoBindStatus, RuleInfoRuleStatus, Scheduler, ServerNameIndicationSwitch,
};

use super::listeners::Protocol;
use super::{Store, not_found};
use crate::envelope::ApiError;

/// A domain of a layer-7 listener.
#[derive(Debug, Clone)]
pub struct Domain {
    pub(super) listener_id: String,
    pub(super) domain: String,
    /// As DescribeRules returns it, without its `RuleSet`.
    pub(super) info: DomainRuleSet,
    pub(super) running_at: Option<i64>,
    /// When a deletion completes (`DomainStatus` `2`, deleting, until then).
    pub(super) removed_at: Option<i64>,
    pub(super) sequence: u64,
}

impl Domain {
    /// Sets `DomainStatus` (`0` running, `1` changing).
    pub(super) fn set_status(&mut self, status: i64) {
        self.info.domain_status = Some(DomainRuleSetDomainStatus::from(status));
    }
}

/// A forwarding rule (a domain and a path) of a layer-7 listener.
#[derive(Debug, Clone)]
pub struct Rule {
    pub(super) listener_id: String,
    pub(super) domain: String,
    pub(super) info: RuleInfo,
    pub(super) running_at: Option<i64>,
    /// When a deletion completes (`RuleStatus` `2`, terminating, until then).
    pub(super) removed_at: Option<i64>,
    pub(super) sequence: u64,
}

fn count(n: usize) -> Option<i64> {
    Some(i64::try_from(n).unwrap_or(i64::MAX))
}

/// `Some(new)` replaces a field; `None` keeps it.
fn set<T>(field: &mut Option<T>, new: Option<T>) {
    if new.is_some() {
        *field = new;
    }
}

impl Store {
    /// The layer-7 listener `id`, whose owner must be running (`proxy_code` for a
    /// connection, as the page names it).
    pub(super) fn layer7_listener(&self, id: &str, proxy_code: &str) -> Result<(), ApiError> {
        let listener = self
            .listeners
            .get(id)
            .filter(|l| matches!(l.protocol, Protocol::Http | Protocol::Https))
            .ok_or_else(|| not_found("HTTP or HTTPS listener", id))?;
        self.require_owner_running(&listener.owner, proxy_code)
    }

    pub(super) fn domain_key(listener_id: &str, domain: &str) -> String {
        format!("{listener_id}/{domain}")
    }

    /// Completes domain and rule transitions due at `now`, and drops the domains and rules
    /// of listeners that are gone.
    pub(super) fn settle_rules(&mut self, now: i64) {
        let listeners = &self.listeners;
        let gone = |removed_at: Option<i64>| removed_at.is_some_and(|at| at <= now);
        // Deleted domains take their rules with them.
        let mut deleted = Vec::new();
        self.domains.retain(|_, d| {
            if gone(d.removed_at) {
                deleted.push((d.listener_id.clone(), d.domain.clone()));
            }
            listeners.contains_key(&d.listener_id) && !gone(d.removed_at)
        });
        self.rules.retain(|_, r| {
            listeners.contains_key(&r.listener_id)
                && !gone(r.removed_at)
                && !deleted
                    .iter()
                    .any(|(l, d)| *l == r.listener_id && *d == r.domain)
        });
        for d in self.domains.values_mut() {
            if d.running_at.is_some_and(|at| at <= now) {
                d.running_at = None;
                d.set_status(0);
            }
        }
        for r in self.rules.values_mut() {
            if r.running_at.is_some_and(|at| at <= now) {
                r.running_at = None;
                r.info.rule_status = Some(RuleInfoRuleStatus::from(0));
            }
        }
    }

    /// `(status during the delay, completion time)`: running at once with a zero delay.
    pub(super) fn transition(&self, during: i64, now: i64) -> (i64, Option<i64>) {
        if self.state_delay == 0 {
            (0, None)
        } else {
            (during, Some(self.done_at(now)))
        }
    }

    /// Whether another rule than `except` of the listener's domain has `path`.
    fn path_taken(&self, listener_id: &str, domain: &str, path: &str, except: &str) -> bool {
        self.rules.iter().any(|(id, r)| {
            id != except
                && r.listener_id == listener_id
                && r.domain == domain
                && r.info.path.as_deref() == Some(path)
        })
    }

    pub(super) fn create_domain(
        &mut self,
        req: CreateDomainRequest,
        now: i64,
    ) -> Result<CreateDomainResponse, ApiError> {
        let (listener_id, domain) = (req.listener_id, req.domain);
        self.layer7_listener(&listener_id, "FailedOperation.InstanceStatusNotInRuning")?;
        let key = Self::domain_key(&listener_id, &domain);
        if self.domains.contains_key(&key) {
            return Err(ApiError::new(
                "FailedOperation.DomainAlreadyExisted",
                format!("The domain `{domain}` already exists on this listener."),
            ));
        }
        let (status, running_at) = self.transition(1, now);
        let sequence = self.next_sequence();
        let mut info = DomainRuleSet::default();
        info.domain = Some(domain.clone());
        info.certificate_id = req.certificate_id;
        info.client_certificate_id = req.client_certificate_id;
        info.domain_status = Some(DomainRuleSetDomainStatus::from(status));
        info.ban_status = Some(BanStatus::from("RECOVER"));
        info.http3_supported = Some(req.http3_supported.unwrap_or(Http3Supported::Disabled));
        info.is_default_server = Some(req.is_default_server.unwrap_or(false));
        self.domains.insert(
            key,
            Domain {
                removed_at: None,
                listener_id,
                domain,
                info,
                running_at,
                sequence,
            },
        );
        Ok(CreateDomainResponse::default())
    }

    pub(super) fn delete_domain(
        &mut self,
        req: DeleteDomainRequest,
        now: i64,
    ) -> Result<DeleteDomainResponse, ApiError> {
        let (listener_id, domain) = (req.listener_id, req.domain);
        self.layer7_listener(&listener_id, "FailedOperation.ProxyStatusNotInRuning")?;
        let key = Self::domain_key(&listener_id, &domain);
        let Some(found) = self.domains.get(&key) else {
            return Err(not_found("domain", &domain));
        };
        if found.running_at.is_some() {
            return Err(ApiError::new(
                "FailedOperation.DomainStatusNotInRunning",
                format!("The domain `{domain}` is changing; try again when it is running."),
            ));
        }
        if self.state_delay == 0 {
            self.domains.remove(&key);
            self.rules
                .retain(|_, r| !(r.listener_id == listener_id && r.domain == domain));
        } else {
            // Deleting (2) for the state delay, then gone with its rules.
            let at = self.done_at(now);
            if let Some(d) = self.domains.get_mut(&key) {
                d.set_status(2);
                d.running_at = Some(at);
                d.removed_at = Some(at);
            }
        }
        Ok(DeleteDomainResponse::default())
    }

    pub(super) fn create_rule(
        &mut self,
        req: CreateRuleRequest,
        now: i64,
    ) -> Result<CreateRuleResponse, ApiError> {
        let (listener_id, domain, path) = (req.listener_id, req.domain, req.path);
        self.layer7_listener(&listener_id, "FailedOperation.InstanceStatusNotInRuning")?;
        if !self
            .domains
            .contains_key(&Self::domain_key(&listener_id, &domain))
        {
            return Err(not_found("domain", &domain));
        }
        if self.path_taken(&listener_id, &domain, &path, "") {
            return Err(ApiError::new(
                "FailedOperation.RuleAlreadyExisted",
                format!("A rule for `{domain}{path}` already exists."),
            ));
        }
        let id = self.new_id("rule");
        let sequence = self.next_sequence();
        let (status, running_at) = self.transition(1, now);
        let mut info = RuleInfo::default();
        info.rule_id = Some(id.clone());
        info.listener_id = Some(listener_id.clone());
        info.domain = Some(domain.clone());
        info.path = Some(path);
        info.real_server_type = Some(req.real_server_type);
        info.scheduler = Some(Scheduler::from(req.scheduler.as_str()));
        info.health_check = Some(req.health_check);
        info.rule_status = Some(RuleInfoRuleStatus::from(status));
        info.check_params = req.check_params;
        info.real_server_set = Some(Vec::new());
        info.bind_status = Some(RuleInfoBindStatus::from(1));
        info.forward_protocol = req.forward_protocol.map(|f| f.as_str().to_owned());
        info.forward_host = req.forward_host;
        info.server_name_indication_switch = req
            .server_name_indication_switch
            .map(|s| ServerNameIndicationSwitch::from(s.as_str()));
        info.server_name_indication = req.server_name_indication;
        info.forced_redirect = req.forced_redirect;
        self.rules.insert(
            id.clone(),
            Rule {
                removed_at: None,
                listener_id,
                domain,
                info,
                running_at,
                sequence,
            },
        );
        let mut out = CreateRuleResponse::default();
        out.rule_id = Some(id);
        Ok(out)
    }

    pub(super) fn delete_rule(
        &mut self,
        req: DeleteRuleRequest,
        now: i64,
    ) -> Result<DeleteRuleResponse, ApiError> {
        let (listener_id, rule_id) = (req.listener_id, req.rule_id);
        self.layer7_listener(&listener_id, "FailedOperation.ProxyStatusNotInRuning")?;
        match self.rules.get(&rule_id) {
            Some(rule) if rule.listener_id == listener_id && rule.removed_at.is_none() => {}
            _ => return Err(not_found("rule", &rule_id)),
        }
        if self.state_delay == 0 {
            self.rules.remove(&rule_id);
        } else {
            // Terminating (2) for the state delay, then gone.
            let at = self.done_at(now);
            let Some(rule) = self.rules.get_mut(&rule_id) else {
                return Err(not_found("rule", &rule_id));
            };
            rule.info.rule_status = Some(RuleInfoRuleStatus::from(2));
            rule.running_at = Some(at);
            rule.removed_at = Some(at);
        }
        Ok(DeleteRuleResponse::default())
    }

    pub(super) fn describe_rules(
        &mut self,
        req: DescribeRulesRequest,
    ) -> Result<DescribeRulesResponse, ApiError> {
        let listener_id = req.listener_id;
        if !self.listeners.contains_key(&listener_id) {
            return Err(not_found("listener", &listener_id));
        }
        let mut domains: Vec<&Domain> = self
            .domains
            .values()
            .filter(|d| d.listener_id == listener_id)
            .collect();
        domains.sort_by_key(|d| d.sequence);
        let set: Vec<DomainRuleSet> = domains
            .iter()
            .map(|d| {
                let mut rules: Vec<&Rule> = self
                    .rules
                    .values()
                    .filter(|r| r.listener_id == listener_id && r.domain == d.domain)
                    .collect();
                rules.sort_by_key(|r| r.sequence);
                let mut view = d.info.clone();
                view.rule_set = Some(rules.iter().map(|r| r.info.clone()).collect());
                view
            })
            .collect();
        let mut out = DescribeRulesResponse::default();
        out.total_count = count(set.len());
        out.domain_rule_set = Some(set);
        Ok(out)
    }

    pub(super) fn describe_rules_by_rule_ids(
        &mut self,
        req: DescribeRulesByRuleIdsRequest,
    ) -> Result<DescribeRulesByRuleIdsResponse, ApiError> {
        let found: Vec<RuleInfo> = req
            .rule_ids
            .iter()
            .filter_map(|id| self.rules.get(id))
            .map(|r| r.info.clone())
            .collect();
        let mut out = DescribeRulesByRuleIdsResponse::default();
        out.total_count = count(found.len());
        out.rule_set = Some(found);
        Ok(out)
    }

    /// ModifyDomain: renames `OldDomain` to `NewDomain` (its rules follow) and takes the
    /// new certificates; the domain is changing (1) for the delay.
    pub(super) fn modify_domain(
        &mut self,
        req: ModifyDomainRequest,
        now: i64,
    ) -> Result<ModifyDomainResponse, ApiError> {
        let (listener_id, old, new) = (req.listener_id, req.old_domain, req.new_domain);
        self.layer7_listener(&listener_id, "FailedOperation.ProxyStatusNotInRuning")?;
        let old_key = Self::domain_key(&listener_id, &old);
        let new_key = Self::domain_key(&listener_id, &new);
        let Some(mut domain) = self.domains.get(&old_key).cloned() else {
            return Err(not_found("domain", &old));
        };
        if domain.running_at.is_some() {
            return Err(ApiError::new(
                "FailedOperation.DomainStatusNotInRunning",
                format!("The domain `{old}` is changing; try again when it is running."),
            ));
        }
        if new != old && self.domains.contains_key(&new_key) {
            return Err(ApiError::new(
                "FailedOperation.DomainAlreadyExisted",
                format!("The domain `{new}` already exists on this listener."),
            ));
        }
        let (status, running_at) = self.transition(1, now);
        domain.domain.clone_from(&new);
        domain.running_at = running_at;
        domain.info.domain = Some(new.clone());
        domain.set_status(status);
        set(&mut domain.info.certificate_id, req.certificate_id);
        set(
            &mut domain.info.client_certificate_id,
            req.client_certificate_id,
        );
        set(&mut domain.info.is_default_server, req.is_default_server);
        self.domains.remove(&old_key);
        self.domains.insert(new_key, domain);
        for page in self.error_pages.values_mut() {
            if page.info.listener_id.as_deref() == Some(listener_id.as_str())
                && page.info.domain.as_deref() == Some(old.as_str())
            {
                page.info.domain = Some(new.clone());
            }
        }
        for rule in self.rules.values_mut() {
            if rule.listener_id == listener_id && rule.domain == old {
                rule.domain.clone_from(&new);
                rule.info.domain = Some(new.clone());
            }
        }
        Ok(ModifyDomainResponse::default())
    }

    /// ModifyRuleAttribute: the given fields; a path another rule of the domain has is
    /// `FailedOperation.RuleAlreadyExisted`; the rule is updating (4) for the delay.
    pub(super) fn modify_rule(
        &mut self,
        req: ModifyRuleAttributeRequest,
        now: i64,
    ) -> Result<ModifyRuleAttributeResponse, ApiError> {
        let (listener_id, rule_id) = (req.listener_id, req.rule_id);
        self.layer7_listener(&listener_id, "FailedOperation.InstanceStatusNotInRuning")?;
        let Some(rule) = self
            .rules
            .get(&rule_id)
            .filter(|r| r.listener_id == listener_id)
        else {
            return Err(not_found("rule", &rule_id));
        };
        if let Some(path) = &req.path {
            let domain = rule.domain.clone();
            if self.path_taken(&listener_id, &domain, path, &rule_id) {
                return Err(ApiError::new(
                    "FailedOperation.RuleAlreadyExisted",
                    format!("A rule for `{domain}{path}` already exists."),
                ));
            }
        }
        let (status, running_at) = self.transition(4, now);
        if let Some(rule) = self.rules.get_mut(&rule_id) {
            let info = &mut rule.info;
            set(&mut info.scheduler, req.scheduler);
            set(
                &mut info.health_check,
                req.health_check.map(|h| HealthCheck::from(h.as_i64())),
            );
            set(&mut info.check_params, req.check_params);
            set(&mut info.path, req.path);
            set(
                &mut info.forward_protocol,
                req.forward_protocol.map(|f| f.as_str().to_owned()),
            );
            set(&mut info.forward_host, req.forward_host);
            set(
                &mut info.server_name_indication_switch,
                req.server_name_indication_switch,
            );
            set(&mut info.server_name_indication, req.server_name_indication);
            set(&mut info.forced_redirect, req.forced_redirect);
            info.rule_status = Some(RuleInfoRuleStatus::from(status));
            rule.running_at = running_at;
        }
        Ok(ModifyRuleAttributeResponse::default())
    }
}
