//! Domains and forwarding rules of HTTP/HTTPS listeners: CreateDomain, ModifyDomain,
//! DeleteDomain, CreateRule, ModifyRuleAttribute, DeleteRule, DescribeRules,
//! DescribeRulesByRuleIds. A new domain is changing
//! (`DomainStatus` 1) and a new rule creating (`RuleStatus` 1) for the state delay, then
//! running (0).

use serde_json::{Map, Value, json};

use super::listeners::Protocol;
use super::params::{integer, string, strings};
use super::{Outcome, Store, not_found};
use crate::envelope::ApiError;

/// A domain of a layer-7 listener.
#[derive(Debug, Clone)]
pub struct Domain {
    pub(super) listener_id: String,
    pub(super) domain: String,
    pub(super) info: Map<String, Value>,
    pub(super) running_at: Option<i64>,
    pub(super) sequence: u64,
}

/// A forwarding rule (a domain and a path) of a layer-7 listener.
#[derive(Debug, Clone)]
pub struct Rule {
    pub(super) listener_id: String,
    pub(super) domain: String,
    pub(super) info: Map<String, Value>,
    pub(super) running_at: Option<i64>,
    pub(super) sequence: u64,
}

impl Store {
    /// The layer-7 listener `id`, whose owner must be running (`proxy_code` for a
    /// connection, as the page names it).
    fn layer7_listener(&self, id: &str, proxy_code: &str) -> Result<(), ApiError> {
        let listener = self
            .listeners
            .get(id)
            .filter(|l| matches!(l.protocol, Protocol::Http | Protocol::Https))
            .ok_or_else(|| not_found("HTTP or HTTPS listener", id))?;
        self.require_owner_running(&listener.owner, proxy_code)
            .map(|_| ())
    }

    fn domain_key(listener_id: &str, domain: &str) -> String {
        format!("{listener_id}/{domain}")
    }

    /// Completes domain and rule transitions due at `now`, and drops the domains and rules
    /// of listeners that are gone.
    pub(super) fn settle_rules(&mut self, now: i64) {
        let listeners = &self.listeners;
        self.domains
            .retain(|_, d| listeners.contains_key(&d.listener_id));
        self.rules
            .retain(|_, r| listeners.contains_key(&r.listener_id));
        for d in self.domains.values_mut() {
            if d.running_at.is_some_and(|at| at <= now) {
                d.running_at = None;
                d.info.insert("DomainStatus".to_owned(), json!(0));
            }
        }
        for r in self.rules.values_mut() {
            if r.running_at.is_some_and(|at| at <= now) {
                r.running_at = None;
                r.info.insert("RuleStatus".to_owned(), json!(0));
            }
        }
    }

    /// `(status during the delay, completion time)`: running at once with a zero delay.
    fn transition(&self, during: i64, now: i64) -> (i64, Option<i64>) {
        if self.state_delay == 0 {
            (0, None)
        } else {
            (during, Some(self.done_at(now)))
        }
    }

    pub(super) fn create_domain(&mut self, p: &Value, now: i64) -> Outcome {
        let listener_id = string(p, "ListenerId").unwrap_or_default().to_owned();
        let domain = string(p, "Domain").unwrap_or_default().to_owned();
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
        let info = json!({
            "Domain": domain,
            "CertificateId": string(p, "CertificateId"),
            "ClientCertificateId": string(p, "ClientCertificateId"),
            "DomainStatus": status,
            "BanStatus": "RECOVER",
            "Http3Supported": integer(p, "Http3Supported").unwrap_or(0),
            "IsDefaultServer": p.get("IsDefaultServer").and_then(Value::as_bool).unwrap_or(false),
        });
        let Value::Object(info) = info else {
            return Err(ApiError::new("InternalError", "Internal error."));
        };
        self.domains.insert(
            key,
            Domain {
                listener_id,
                domain,
                info,
                running_at,
                sequence,
            },
        );
        Ok(Map::new())
    }

    pub(super) fn delete_domain(&mut self, p: &Value) -> Outcome {
        let listener_id = string(p, "ListenerId").unwrap_or_default().to_owned();
        let domain = string(p, "Domain").unwrap_or_default().to_owned();
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
        self.domains.remove(&key);
        self.rules
            .retain(|_, r| !(r.listener_id == listener_id && r.domain == domain));
        Ok(Map::new())
    }

    pub(super) fn create_rule(&mut self, p: &Value, now: i64) -> Outcome {
        let listener_id = string(p, "ListenerId").unwrap_or_default().to_owned();
        let domain = string(p, "Domain").unwrap_or_default().to_owned();
        let path = string(p, "Path").unwrap_or_default().to_owned();
        self.layer7_listener(&listener_id, "FailedOperation.InstanceStatusNotInRuning")?;
        if !self
            .domains
            .contains_key(&Self::domain_key(&listener_id, &domain))
        {
            return Err(not_found("domain", &domain));
        }
        let taken = self
            .rules
            .values()
            .any(|r| r.listener_id == listener_id && r.domain == domain && r.info["Path"] == path);
        if taken {
            return Err(ApiError::new(
                "FailedOperation.RuleAlreadyExisted",
                format!("A rule for `{domain}{path}` already exists."),
            ));
        }
        let id = self.new_id("rule");
        let sequence = self.next_sequence();
        let (status, running_at) = self.transition(1, now);
        let info = json!({
            "RuleId": id,
            "ListenerId": listener_id,
            "Domain": domain,
            "Path": path,
            "RealServerType": string(p, "RealServerType"),
            "Scheduler": string(p, "Scheduler"),
            "HealthCheck": integer(p, "HealthCheck"),
            "RuleStatus": status,
            "CheckParams": p.get("CheckParams").cloned().unwrap_or(Value::Null),
            "RealServerSet": [],
            "BindStatus": 1,
            "ForwardProtocol": string(p, "ForwardProtocol"),
            "ForwardHost": string(p, "ForwardHost"),
            "ServerNameIndicationSwitch": string(p, "ServerNameIndicationSwitch"),
            "ServerNameIndication": string(p, "ServerNameIndication"),
            "ForcedRedirect": string(p, "ForcedRedirect"),
        });
        let Value::Object(info) = info else {
            return Err(ApiError::new("InternalError", "Internal error."));
        };
        self.rules.insert(
            id.clone(),
            Rule {
                listener_id,
                domain,
                info,
                running_at,
                sequence,
            },
        );
        let mut out = Map::new();
        out.insert("RuleId".to_owned(), json!(id));
        Ok(out)
    }

    pub(super) fn delete_rule(&mut self, p: &Value) -> Outcome {
        let listener_id = string(p, "ListenerId").unwrap_or_default();
        let rule_id = string(p, "RuleId").unwrap_or_default();
        self.layer7_listener(listener_id, "FailedOperation.ProxyStatusNotInRuning")?;
        match self.rules.get(rule_id) {
            Some(rule) if rule.listener_id == listener_id => {}
            _ => return Err(not_found("rule", rule_id)),
        }
        self.rules.remove(rule_id);
        Ok(Map::new())
    }

    pub(super) fn describe_rules(&mut self, p: &Value) -> Outcome {
        let listener_id = string(p, "ListenerId").unwrap_or_default();
        if !self.listeners.contains_key(listener_id) {
            return Err(not_found("listener", listener_id));
        }
        let mut domains: Vec<&Domain> = self
            .domains
            .values()
            .filter(|d| d.listener_id == listener_id)
            .collect();
        domains.sort_by_key(|d| d.sequence);
        let set: Vec<Value> = domains
            .iter()
            .map(|d| {
                let mut rules: Vec<&Rule> = self
                    .rules
                    .values()
                    .filter(|r| r.listener_id == listener_id && r.domain == d.domain)
                    .collect();
                rules.sort_by_key(|r| r.sequence);
                let mut view = d.info.clone();
                view.insert(
                    "RuleSet".to_owned(),
                    Value::Array(
                        rules
                            .iter()
                            .map(|r| Value::Object(r.info.clone()))
                            .collect(),
                    ),
                );
                Value::Object(view)
            })
            .collect();
        let mut out = Map::new();
        out.insert("TotalCount".to_owned(), json!(set.len()));
        out.insert("DomainRuleSet".to_owned(), Value::Array(set));
        Ok(out)
    }

    pub(super) fn describe_rules_by_rule_ids(&mut self, p: &Value) -> Outcome {
        let ids = strings(p, "RuleIds");
        let found: Vec<Value> = ids
            .iter()
            .filter_map(|id| self.rules.get(id))
            .map(|r| Value::Object(r.info.clone()))
            .collect();
        let mut out = Map::new();
        out.insert("TotalCount".to_owned(), json!(found.len()));
        out.insert("RuleSet".to_owned(), Value::Array(found));
        Ok(out)
    }

    /// ModifyDomain: renames `OldDomain` to `NewDomain` (its rules follow) and takes the
    /// new certificates; the domain is changing (1) for the delay.
    pub(super) fn modify_domain(&mut self, p: &Value, now: i64) -> Outcome {
        let listener_id = string(p, "ListenerId").unwrap_or_default().to_owned();
        let old = string(p, "OldDomain").unwrap_or_default().to_owned();
        let new = string(p, "NewDomain").unwrap_or_default().to_owned();
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
        domain.info.insert("Domain".to_owned(), json!(new));
        domain.info.insert("DomainStatus".to_owned(), json!(status));
        for key in ["CertificateId", "ClientCertificateId"] {
            if let Some(value) = string(p, key) {
                domain.info.insert(key.to_owned(), json!(value));
            }
        }
        if let Some(default) = p.get("IsDefaultServer").and_then(Value::as_bool) {
            domain
                .info
                .insert("IsDefaultServer".to_owned(), json!(default));
        }
        self.domains.remove(&old_key);
        self.domains.insert(new_key, domain);
        for rule in self.rules.values_mut() {
            if rule.listener_id == listener_id && rule.domain == old {
                rule.domain.clone_from(&new);
                rule.info.insert("Domain".to_owned(), json!(new));
            }
        }
        Ok(Map::new())
    }

    /// ModifyRuleAttribute: the given fields; a path another rule of the domain has is
    /// `FailedOperation.RuleAlreadyExisted`; the rule is updating (4) for the delay.
    pub(super) fn modify_rule(&mut self, p: &Value, now: i64) -> Outcome {
        let listener_id = string(p, "ListenerId").unwrap_or_default().to_owned();
        let rule_id = string(p, "RuleId").unwrap_or_default().to_owned();
        self.layer7_listener(&listener_id, "FailedOperation.InstanceStatusNotInRuning")?;
        let Some(rule) = self
            .rules
            .get(&rule_id)
            .filter(|r| r.listener_id == listener_id)
        else {
            return Err(not_found("rule", &rule_id));
        };
        if let Some(path) = string(p, "Path") {
            let domain = rule.domain.clone();
            let taken = self.rules.iter().any(|(id, r)| {
                *id != rule_id
                    && r.listener_id == listener_id
                    && r.domain == domain
                    && r.info["Path"] == path
            });
            if taken {
                return Err(ApiError::new(
                    "FailedOperation.RuleAlreadyExisted",
                    format!("A rule for `{domain}{path}` already exists."),
                ));
            }
        }
        let (status, running_at) = self.transition(4, now);
        if let (Some(rule), Some(params)) = (self.rules.get_mut(&rule_id), p.as_object()) {
            for (key, value) in params {
                if key == "ListenerId" || key == "RuleId" {
                    continue;
                }
                let value = match (integer(p, key), value) {
                    (Some(n), Value::String(_)) if key == "HealthCheck" => json!(n),
                    _ => value.clone(),
                };
                rule.info.insert(key.clone(), value);
            }
            rule.info.insert("RuleStatus".to_owned(), json!(status));
            rule.running_at = running_at;
        }
        Ok(Map::new())
    }
}
