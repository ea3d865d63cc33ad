//! Security policies of connections and groups, and their rules: CreateSecurityPolicy,
//! DescribeSecurityPolicyDetail, OpenSecurityPolicy (`UNBIND -> BINDING -> BOUND`),
//! CloseSecurityPolicy (`BOUND -> UNBINDING -> UNBIND`), DeleteSecurityPolicy,
//! CreateSecurityRules, DescribeSecurityRules, DeleteSecurityRules, ModifySecurityRule.

use serde_json::{Map, Value, json};

use super::params::{list, string, strings};
use super::{Outcome, Store, not_found};
use crate::envelope::ApiError;

/// Replaced by the call's RequestId in a `TaskId` output (the task id is the RequestId).
pub(super) const TASK_ID_IS_REQUEST_ID: &str = "\u{0}request-id";

/// One security policy.
#[derive(Debug, Clone)]
pub struct Policy {
    pub(super) owner: String,
    pub(super) default_action: String,
    pub(super) status: &'static str,
    /// A transition under way: when, and the status it ends in.
    pub(super) pending: Option<(i64, &'static str)>,
}

/// One rule of a security policy (`SecurityPolicyRuleOut`).
#[derive(Debug, Clone)]
pub struct SecurityRule {
    pub(super) policy_id: String,
    pub(super) info: Map<String, Value>,
    pub(super) sequence: u64,
}

fn rule_key(info: &Map<String, Value>) -> [Value; 4] {
    ["SourceCidr", "Protocol", "DestPortRange", "Action"]
        .map(|k| info.get(k).cloned().unwrap_or(Value::Null))
}

impl Store {
    pub(super) fn settle_policies(&mut self, now: i64) {
        for policy in self.policies.values_mut() {
            if let Some((at, to)) = policy.pending
                && at <= now
            {
                policy.pending = None;
                policy.status = to;
            }
        }
        let (proxies, groups) = (&self.proxies, &self.groups);
        self.policies
            .retain(|_, p| proxies.contains_key(&p.owner) || groups.contains_key(&p.owner));
        let policies = &self.policies;
        self.security_rules
            .retain(|_, r| policies.contains_key(&r.policy_id));
    }

    pub(super) fn create_security_policy(&mut self, p: &Value) -> Outcome {
        let owner = match (string(p, "ProxyId"), string(p, "GroupId")) {
            (Some(id), None) if self.proxies.contains_key(id) => id.to_owned(),
            (None, Some(id)) if self.groups.contains_key(id) => id.to_owned(),
            (Some(id), None) | (None, Some(id)) => {
                return Err(not_found("connection or group", id));
            }
            _ => {
                return Err(ApiError::new(
                    "InvalidParameterValue",
                    "Either ProxyId or GroupId must be set, but you cannot set both.",
                ));
            }
        };
        if self.policies.values().any(|policy| policy.owner == owner) {
            return Err(ApiError::new(
                "FailedOperation.ProxySecurityPolicyExisted",
                format!("`{owner}` already has a security policy."),
            ));
        }
        let id = self.new_id("sp");
        self.policies.insert(
            id.clone(),
            Policy {
                owner,
                default_action: string(p, "DefaultAction").unwrap_or("ACCEPT").to_owned(),
                status: "UNBIND",
                pending: None,
            },
        );
        let mut out = Map::new();
        out.insert("PolicyId".to_owned(), json!(id));
        Ok(out)
    }

    fn policy_id(&self, p: &Value) -> Result<String, ApiError> {
        if let Some(id) = string(p, "PolicyId") {
            return self
                .policies
                .contains_key(id)
                .then(|| id.to_owned())
                .ok_or_else(|| not_found("security policy", id));
        }
        let owner = string(p, "ProxyId").unwrap_or_default();
        self.policies
            .iter()
            .find(|(_, policy)| policy.owner == owner)
            .map(|(id, _)| id.clone())
            .ok_or_else(|| not_found("security policy of", owner))
    }

    pub(super) fn describe_security_policy_detail(&mut self, p: &Value) -> Outcome {
        let id = self.policy_id(p)?;
        let Some(policy) = self.policies.get(&id) else {
            return Err(not_found("security policy", &id));
        };
        let mut rules: Vec<&SecurityRule> = self
            .security_rules
            .values()
            .filter(|r| r.policy_id == id)
            .collect();
        rules.sort_by_key(|r| r.sequence);
        let mut out = Map::new();
        out.insert("PolicyId".to_owned(), json!(id));
        out.insert("ProxyId".to_owned(), json!(policy.owner));
        out.insert("Status".to_owned(), json!(policy.status));
        out.insert("DefaultAction".to_owned(), json!(policy.default_action));
        out.insert(
            "RuleList".to_owned(),
            Value::Array(
                rules
                    .iter()
                    .map(|r| Value::Object(r.info.clone()))
                    .collect(),
            ),
        );
        Ok(out)
    }

    /// OpenSecurityPolicy / CloseSecurityPolicy.
    pub(super) fn open_close_security_policy(
        &mut self,
        p: &Value,
        open: bool,
        now: i64,
    ) -> Outcome {
        let id = self.policy_id(p)?;
        let (from, during, to, already) = if open {
            (
                "UNBIND",
                "BINDING",
                "BOUND",
                "FailedOperation.ProxySecurityAlreadyOpen",
            )
        } else {
            (
                "BOUND",
                "UNBINDING",
                "UNBIND",
                "FailedOperation.ProxySecurityAlreadyClose",
            )
        };
        let delay = self.state_delay;
        let at = self.done_at(now);
        let Some(policy) = self.policies.get_mut(&id) else {
            return Err(not_found("security policy", &id));
        };
        if policy.pending.is_some() {
            return Err(ApiError::new(
                "FailedOperation.ActionIsDoing",
                format!(
                    "The security policy `{id}` is {}; try again later.",
                    policy.status
                ),
            ));
        }
        if policy.status != from {
            return Err(ApiError::new(
                already,
                format!("The security policy `{id}` is {}.", policy.status),
            ));
        }
        if delay == 0 {
            policy.status = to;
        } else {
            policy.status = during;
            policy.pending = Some((at, to));
        }
        let mut out = Map::new();
        out.insert("TaskId".to_owned(), json!(TASK_ID_IS_REQUEST_ID));
        Ok(out)
    }

    pub(super) fn delete_security_policy(&mut self, p: &Value) -> Outcome {
        let id = string(p, "PolicyId").unwrap_or_default();
        if self.policies.remove(id).is_none() {
            return Err(not_found("security policy", id));
        }
        self.security_rules.retain(|_, r| r.policy_id != id);
        Ok(Map::new())
    }

    pub(super) fn create_security_rules(&mut self, p: &Value) -> Outcome {
        let policy_id = string(p, "PolicyId").unwrap_or_default().to_owned();
        if !self.policies.contains_key(&policy_id) {
            return Err(not_found("security policy", &policy_id));
        }
        let mut taken: Vec<[Value; 4]> = self
            .security_rules
            .values()
            .filter(|r| r.policy_id == policy_id)
            .map(|r| rule_key(&r.info))
            .collect();
        let mut new = Vec::new();
        for item in list(p, "RuleList") {
            let mut info = Map::new();
            for key in [
                "SourceCidr",
                "Action",
                "AliasName",
                "Protocol",
                "DestPortRange",
            ] {
                info.insert(key.to_owned(), json!(string(item, key)));
            }
            let key = rule_key(&info);
            if taken.contains(&key) {
                return Err(ApiError::new(
                    "FailedOperation.ProxySecurityPolicyDuplicatedRule",
                    "The policy already has this rule.",
                ));
            }
            taken.push(key);
            new.push(info);
        }
        let mut ids = Vec::new();
        for mut info in new {
            let id = self.new_id("sr");
            let sequence = self.next_sequence();
            info.insert("RuleId".to_owned(), json!(id));
            info.insert("PolicyId".to_owned(), json!(policy_id));
            self.security_rules.insert(
                id.clone(),
                SecurityRule {
                    policy_id: policy_id.clone(),
                    info,
                    sequence,
                },
            );
            ids.push(id);
        }
        let mut out = Map::new();
        out.insert("RuleIdList".to_owned(), json!(ids));
        Ok(out)
    }

    pub(super) fn describe_security_rules(&mut self, p: &Value) -> Outcome {
        let found: Vec<Value> = strings(p, "SecurityRuleIds")
            .iter()
            .filter_map(|id| self.security_rules.get(id))
            .map(|r| Value::Object(r.info.clone()))
            .collect();
        let mut out = Map::new();
        out.insert("TotalCount".to_owned(), json!(found.len()));
        out.insert("SecurityRuleSet".to_owned(), Value::Array(found));
        Ok(out)
    }

    pub(super) fn delete_security_rules(&mut self, p: &Value) -> Outcome {
        let policy_id = string(p, "PolicyId").unwrap_or_default();
        let ids = strings(p, "RuleIdList");
        if let Some(missing) = ids.iter().find(|id| {
            self.security_rules
                .get(*id)
                .is_none_or(|r| r.policy_id != policy_id)
        }) {
            return Err(not_found("security rule", missing));
        }
        for id in &ids {
            self.security_rules.remove(id);
        }
        Ok(Map::new())
    }

    pub(super) fn modify_security_rule(&mut self, p: &Value) -> Outcome {
        let policy_id = string(p, "PolicyId").unwrap_or_default();
        let rule_id = string(p, "RuleId").unwrap_or_default();
        let Some(rule) = self
            .security_rules
            .get(rule_id)
            .filter(|r| r.policy_id == policy_id)
        else {
            return Err(not_found("security rule", rule_id));
        };
        let mut info = rule.info.clone();
        for (input, field) in [
            ("AliasName", "AliasName"),
            ("RuleAction", "Action"),
            ("SourceCidr", "SourceCidr"),
            ("Protocol", "Protocol"),
            ("DestPortRange", "DestPortRange"),
        ] {
            if let Some(value) = string(p, input) {
                info.insert(field.to_owned(), json!(value));
            }
        }
        let key = rule_key(&info);
        let duplicate = self
            .security_rules
            .iter()
            .any(|(id, r)| id != rule_id && r.policy_id == policy_id && rule_key(&r.info) == key);
        if duplicate {
            return Err(ApiError::new(
                "FailedOperation.ProxySecurityPolicyDuplicatedRule",
                "The policy already has this rule.",
            ));
        }
        if let Some(rule) = self.security_rules.get_mut(rule_id) {
            rule.info = info;
        }
        Ok(Map::new())
    }
}
