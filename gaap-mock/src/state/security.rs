//! Security policies of connections and groups, and their rules: CreateSecurityPolicy,
//! DescribeSecurityPolicyDetail, OpenSecurityPolicy (`UNBIND -> BINDING -> BOUND`),
//! CloseSecurityPolicy (`BOUND -> UNBINDING -> UNBIND`), DeleteSecurityPolicy,
//! CreateSecurityRules, DescribeSecurityRules, DeleteSecurityRules, ModifySecurityRule.

use gaap_model::operation::close_security_policy::{
    CloseSecurityPolicyRequest, CloseSecurityPolicyResponse,
};
use gaap_model::operation::create_security_policy::{
    CreateSecurityPolicyRequest, CreateSecurityPolicyResponse,
};
use gaap_model::operation::create_security_rules::{
    CreateSecurityRulesRequest, CreateSecurityRulesResponse,
};
use gaap_model::operation::delete_security_policy::{
    DeleteSecurityPolicyRequest, DeleteSecurityPolicyResponse,
};
use gaap_model::operation::delete_security_rules::{
    DeleteSecurityRulesRequest, DeleteSecurityRulesResponse,
};
use gaap_model::operation::describe_security_policy_detail::{
    DescribeSecurityPolicyDetailRequest, DescribeSecurityPolicyDetailResponse,
};
use gaap_model::operation::describe_security_rules::{
    DescribeSecurityRulesRequest, DescribeSecurityRulesResponse,
};
use gaap_model::operation::modify_security_rule::{
    ModifySecurityRuleRequest, ModifySecurityRuleResponse,
};
use gaap_model::operation::open_security_policy::{
    OpenSecurityPolicyRequest, OpenSecurityPolicyResponse,
};
use gaap_model::types::SecurityPolicyRuleOut;

use super::{Store, not_found};
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

/// One rule of a security policy, as the generated `SecurityPolicyRuleOut`.
#[derive(Debug, Clone)]
pub struct SecurityRule {
    pub(super) policy_id: String,
    pub(super) info: SecurityPolicyRuleOut,
    pub(super) sequence: u64,
}

/// What makes two rules of a policy the same rule.
fn rule_key(info: &SecurityPolicyRuleOut) -> [Option<String>; 4] {
    [
        info.source_cidr.clone(),
        info.protocol.clone(),
        info.dest_port_range.clone(),
        info.action.clone(),
    ]
}

fn duplicated_rule() -> ApiError {
    ApiError::new(
        "FailedOperation.ProxySecurityPolicyDuplicatedRule",
        "The policy already has this rule.",
    )
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

    pub(super) fn create_security_policy(
        &mut self,
        req: CreateSecurityPolicyRequest,
    ) -> Result<CreateSecurityPolicyResponse, ApiError> {
        let owner = match (req.proxy_id, req.group_id) {
            (Some(id), None) if self.proxies.contains_key(&id) => id,
            (None, Some(id)) if self.groups.contains_key(&id) => id,
            (Some(id), None) | (None, Some(id)) => {
                return Err(not_found("connection or group", &id));
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
                default_action: req.default_action,
                status: "UNBIND",
                pending: None,
            },
        );
        let mut out = CreateSecurityPolicyResponse::default();
        out.policy_id = Some(id);
        Ok(out)
    }

    /// The policy named by `PolicyId`, or else the one of connection `ProxyId`.
    fn policy_id(
        &self,
        policy_id: Option<String>,
        proxy_id: Option<String>,
    ) -> Result<String, ApiError> {
        if let Some(id) = policy_id {
            return match self.policies.contains_key(&id) {
                true => Ok(id),
                false => Err(not_found("security policy", &id)),
            };
        }
        let owner = proxy_id.unwrap_or_default();
        self.policies
            .iter()
            .find(|(_, policy)| policy.owner == owner)
            .map(|(id, _)| id.clone())
            .ok_or_else(|| not_found("security policy of", &owner))
    }

    pub(super) fn describe_security_policy_detail(
        &mut self,
        req: DescribeSecurityPolicyDetailRequest,
    ) -> Result<DescribeSecurityPolicyDetailResponse, ApiError> {
        let id = self.policy_id(Some(req.policy_id), None)?;
        let Some(policy) = self.policies.get(&id) else {
            return Err(not_found("security policy", &id));
        };
        let mut rules: Vec<&SecurityRule> = self
            .security_rules
            .values()
            .filter(|r| r.policy_id == id)
            .collect();
        rules.sort_by_key(|r| r.sequence);
        let mut out = DescribeSecurityPolicyDetailResponse::default();
        out.proxy_id = Some(policy.owner.clone());
        out.status = Some(policy.status.to_owned());
        out.default_action = Some(policy.default_action.clone());
        out.rule_list = Some(rules.iter().map(|r| r.info.clone()).collect());
        out.policy_id = Some(id);
        Ok(out)
    }

    pub(super) fn open_security_policy(
        &mut self,
        req: OpenSecurityPolicyRequest,
        now: i64,
    ) -> Result<OpenSecurityPolicyResponse, ApiError> {
        let id = self.policy_id(req.policy_id, req.proxy_id)?;
        let mut out = OpenSecurityPolicyResponse::default();
        out.task_id = Some(self.open_close_security_policy(id, true, now)?);
        Ok(out)
    }

    pub(super) fn close_security_policy(
        &mut self,
        req: CloseSecurityPolicyRequest,
        now: i64,
    ) -> Result<CloseSecurityPolicyResponse, ApiError> {
        let id = self.policy_id(req.policy_id, req.proxy_id)?;
        let mut out = CloseSecurityPolicyResponse::default();
        out.task_id = Some(self.open_close_security_policy(id, false, now)?);
        Ok(out)
    }

    /// OpenSecurityPolicy / CloseSecurityPolicy: the task id.
    fn open_close_security_policy(
        &mut self,
        id: String,
        open: bool,
        now: i64,
    ) -> Result<String, ApiError> {
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
        Ok(TASK_ID_IS_REQUEST_ID.to_owned())
    }

    pub(super) fn delete_security_policy(
        &mut self,
        req: DeleteSecurityPolicyRequest,
    ) -> Result<DeleteSecurityPolicyResponse, ApiError> {
        let id = req.policy_id;
        if self.policies.remove(&id).is_none() {
            return Err(not_found("security policy", &id));
        }
        self.security_rules.retain(|_, r| r.policy_id != id);
        Ok(DeleteSecurityPolicyResponse::default())
    }

    pub(super) fn create_security_rules(
        &mut self,
        req: CreateSecurityRulesRequest,
    ) -> Result<CreateSecurityRulesResponse, ApiError> {
        let policy_id = req.policy_id;
        if !self.policies.contains_key(&policy_id) {
            return Err(not_found("security policy", &policy_id));
        }
        let mut taken: Vec<[Option<String>; 4]> = self
            .security_rules
            .values()
            .filter(|r| r.policy_id == policy_id)
            .map(|r| rule_key(&r.info))
            .collect();
        let mut new = Vec::new();
        for item in req.rule_list {
            let mut info = SecurityPolicyRuleOut::default();
            info.source_cidr = item.source_cidr;
            info.action = item.action;
            info.alias_name = item.alias_name;
            info.protocol = item.protocol;
            info.dest_port_range = item.dest_port_range;
            let key = rule_key(&info);
            if taken.contains(&key) {
                return Err(duplicated_rule());
            }
            taken.push(key);
            new.push(info);
        }
        let mut ids = Vec::new();
        for mut info in new {
            let id = self.new_id("sr");
            let sequence = self.next_sequence();
            info.rule_id = Some(id.clone());
            info.policy_id = Some(policy_id.clone());
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
        let mut out = CreateSecurityRulesResponse::default();
        out.rule_id_list = Some(ids);
        Ok(out)
    }

    pub(super) fn describe_security_rules(
        &mut self,
        req: DescribeSecurityRulesRequest,
    ) -> Result<DescribeSecurityRulesResponse, ApiError> {
        let found: Vec<SecurityPolicyRuleOut> = req
            .security_rule_ids
            .iter()
            .filter_map(|id| self.security_rules.get(id))
            .map(|r| r.info.clone())
            .collect();
        let mut out = DescribeSecurityRulesResponse::default();
        out.total_count = Some(i64::try_from(found.len()).unwrap_or(i64::MAX));
        out.security_rule_set = Some(found);
        Ok(out)
    }

    pub(super) fn delete_security_rules(
        &mut self,
        req: DeleteSecurityRulesRequest,
    ) -> Result<DeleteSecurityRulesResponse, ApiError> {
        let policy_id = req.policy_id;
        let ids = req.rule_id_list;
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
        Ok(DeleteSecurityRulesResponse::default())
    }

    pub(super) fn modify_security_rule(
        &mut self,
        req: ModifySecurityRuleRequest,
    ) -> Result<ModifySecurityRuleResponse, ApiError> {
        let (policy_id, rule_id) = (req.policy_id, req.rule_id);
        let Some(rule) = self
            .security_rules
            .get(&rule_id)
            .filter(|r| r.policy_id == policy_id)
        else {
            return Err(not_found("security rule", &rule_id));
        };
        let mut info = rule.info.clone();
        info.alias_name = Some(req.alias_name);
        info.action = req.rule_action.or(info.action);
        info.source_cidr = req.source_cidr.or(info.source_cidr);
        info.protocol = req.protocol.or(info.protocol);
        info.dest_port_range = req.dest_port_range.or(info.dest_port_range);
        let key = rule_key(&info);
        let duplicate = self
            .security_rules
            .iter()
            .any(|(id, r)| *id != rule_id && r.policy_id == policy_id && rule_key(&r.info) == key);
        if duplicate {
            return Err(duplicated_rule());
        }
        if let Some(rule) = self.security_rules.get_mut(&rule_id) {
            rule.info = info;
        }
        Ok(ModifySecurityRuleResponse::default())
    }
}
