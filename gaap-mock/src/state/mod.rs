//! The in-memory model of an account: connections (proxies), connection groups, listeners,
//! origin servers and their bindings, plus the ClientToken replay cache.
//!
//! Typed handlers take the generated `<Action>Request` (deserialized once at dispatch, after
//! the request checker has validated the parameters) and return the generated
//! `<Action>Response`, serialized once at the edge by [`typed`]: a field renamed in the model
//! fails to compile here. The handlers not yet typed read parameters as `serde_json::Value`.

mod certificates;
mod global_domains;
mod group_domains;
mod groups;
mod lifecycle;
mod listeners;
mod modify;
mod params;
mod proxies;
mod real_servers;
mod rule_settings;
mod rules;
mod security;

use std::collections::{BTreeMap, HashMap, VecDeque};

use serde::{Serialize, de::DeserializeOwned};
use serde_json::{Map, Value};

use crate::envelope::ApiError;

/// The result of a stateful action: the `Response` fields without `RequestId`.
pub type Outcome = Result<Map<String, Value>, ApiError>;

/// Every action this module answers from state; all others answer their page's example.
pub const STATEFUL_ACTIONS: &[&str] = &[
    "AddRealServers",
    "BanAndRecoverProxy",
    "BindListenerRealServers",
    "CloseProxies",
    "CreateCertificate",
    "CloseProxyGroup",
    "CloseSecurityPolicy",
    "CreateHTTPListener",
    "CreateHTTPSListener",
    "CreateProxy",
    "CreateDomain",
    "CreateProxyGroup",
    "CreateRule",
    "CreateSecurityPolicy",
    "CreateSecurityRules",
    "CreateTCPListeners",
    "CreateUDPListeners",
    "DeleteCertificate",
    "DeleteDomain",
    "DeleteListeners",
    "DeleteProxyGroup",
    "DeleteRule",
    "DeleteSecurityPolicy",
    "DeleteSecurityRules",
    "DescribeCertificateDetail",
    "DescribeCertificates",
    "DescribeHTTPListeners",
    "DescribeHTTPSListeners",
    "DescribeListenerRealServers",
    "DescribeProxies",
    "DescribeProxyGroupDetails",
    "DescribeProxyGroupList",
    "DescribeRealServers",
    "DescribeRules",
    "DescribeRulesByRuleIds",
    "DescribeSecurityPolicyDetail",
    "DescribeSecurityRules",
    "DescribeTCPListeners",
    "DescribeUDPListeners",
    "DestroyProxies",
    "ModifyCertificate",
    "ModifyCertificateAttributes",
    "ModifyDomain",
    "ModifyHTTPListenerAttribute",
    "ModifyHTTPSListenerAttribute",
    "ModifyProxiesAttribute",
    "ModifyProxiesProject",
    "ModifyProxyConfiguration",
    "ModifyProxyGroupAttribute",
    "ModifyRealServerName",
    "ModifyRuleAttribute",
    "ModifySecurityRule",
    "ModifyTCPListenerAttribute",
    "ModifyUDPListenerAttribute",
    "OpenProxies",
    "OpenProxyGroup",
    "OpenSecurityPolicy",
    "RemoveRealServers",
    // Rule, domain, listener and group settings.
    "BindRuleRealServers",
    "CreateCustomHeader",
    "CreateDomainErrorPageInfo",
    "CreateProxyGroupDomain",
    "DeleteDomainErrorPageInfo",
    "DescribeCustomHeader",
    "DescribeDomainErrorPageInfo",
    "DescribeDomainErrorPageInfoByIds",
    "DescribeGroupDomainConfig",
    "DescribeProxyDetail",
    "DescribeRuleRealServers",
    "ModifyGroupDomainConfig",
    "SetAuthentication",
    "SetTlsVersion",
    // The mainland site's global domains and tasks.
    "CreateGlobalDomain",
    "CreateGlobalDomainDns",
    "DeleteGlobalDomain",
    "DeleteGlobalDomainDns",
    "DescribeGlobalDomainDns",
    "DescribeGlobalDomains",
    "DescribeTaskStatus",
    "DisableGlobalDomain",
    "EnableGlobalDomain",
    "ModifyGlobalDomainAttribute",
    "ModifyGlobalDomainDns",
];

/// The account's resources (cloned whole by [`crate::MockServer::snapshot`]).
#[derive(Debug, Default, Clone)]
pub struct Store {
    sequence: u64,
    proxies: BTreeMap<String, proxies::Proxy>,
    groups: BTreeMap<String, groups::Group>,
    listeners: BTreeMap<String, listeners::Listener>,
    real_servers: BTreeMap<String, real_servers::RealServer>,
    /// Layer-7 domains, keyed `listener/domain`.
    domains: BTreeMap<String, rules::Domain>,
    rules: BTreeMap<String, rules::Rule>,
    /// CreateCustomHeader's headers, by rule ID.
    custom_headers: BTreeMap<String, Vec<gaap_model::types::HttpHeaderParam>>,
    /// Custom error pages of layer-7 domains, by error page ID.
    error_pages: BTreeMap<String, rule_settings::ErrorPage>,
    /// Connection groups' domain resolution, by group ID.
    group_domains: BTreeMap<String, group_domains::GroupDomain>,
    certificates: BTreeMap<String, certificates::Certificate>,
    policies: BTreeMap<String, security::Policy>,
    security_rules: BTreeMap<String, security::SecurityRule>,
    global: global_domains::GlobalDomains,
    tokens: TokenCache,
    /// Seconds a transition (creating, opening, closing, adjusting, destroying, a task)
    /// takes on the emulator's clock; 0 applies writes at once.
    state_delay: i64,
}

/// How long a `ClientToken` is remembered (seconds).
pub const CLIENT_TOKEN_WINDOW_SECS: i64 = 24 * 60 * 60;
/// Most `ClientToken`s remembered at once; beyond it the oldest is forgotten first.
pub const MAX_CLIENT_TOKENS: usize = 4096;
/// Longest accepted `ClientToken` (the documented 64 ASCII characters).
const MAX_CLIENT_TOKEN_LEN: usize = 64;

type TokenKey = (String, String);
/// SHA-256 of a call's parameters without its `ClientToken`.
type Fingerprint = [u8; 32];

/// The fingerprint of `params` without `ClientToken` (serde_json keeps object keys sorted,
/// so equal parameters give equal text).
fn fingerprint(params: &Value) -> Fingerprint {
    use sha2::Digest;
    let mut without = params.clone();
    if let Some(object) = without.as_object_mut() {
        object.remove("ClientToken");
    }
    sha2::Sha256::digest(without.to_string().as_bytes()).into()
}

/// First results per (action, ClientToken), expiring after [`CLIENT_TOKEN_WINDOW_SECS`] and
/// bounded to [`MAX_CLIENT_TOKENS`] entries.
#[derive(Debug, Default, Clone)]
struct TokenCache {
    /// A digest of the first call's parameters (not the parameters: a cached entry stays
    /// small whatever the request carried) and its result.
    results: HashMap<TokenKey, (Fingerprint, Outcome)>,
    /// Insertion time and key, oldest first.
    order: VecDeque<(i64, TokenKey)>,
}

impl TokenCache {
    fn expire(&mut self, now: i64) {
        while let Some((at, _)) = self.order.front()
            && (now.saturating_sub(*at) > CLIENT_TOKEN_WINDOW_SECS
                || self.order.len() >= MAX_CLIENT_TOKENS)
        {
            if let Some((_, key)) = self.order.pop_front() {
                self.results.remove(&key);
            }
        }
    }

    fn insert(&mut self, key: TokenKey, entry: (Fingerprint, Outcome), now: i64) {
        self.expire(now);
        if self.results.insert(key.clone(), entry).is_none() {
            self.order.push_back((now, key));
        }
    }
}

impl Store {
    /// An empty account whose transitions take `secs` seconds on the emulator's clock.
    pub fn with_state_delay(secs: i64) -> Self {
        Self {
            state_delay: secs.max(0),
            ..Self::default()
        }
    }

    /// Sets the state delay to zero and returns what it was (seeding).
    pub(crate) fn take_state_delay(&mut self) -> i64 {
        std::mem::take(&mut self.state_delay)
    }

    /// Sets the state delay (seconds).
    pub(crate) fn set_state_delay(&mut self, secs: i64) {
        self.state_delay = secs.max(0);
    }

    /// The task the call `request_id` started (a successful write) ends `FAIL`.
    pub fn fail_task(&mut self, request_id: &str) {
        self.global.fail_task(request_id);
    }

    /// Run `action` against the state; `None` when the action is not emulated with state.
    ///
    /// A `ClientToken` makes the call idempotent: the same token with the same parameters
    /// replays the first result; with different parameters it is
    /// `FailedOperation.DuplicatedRequest`.
    ///
    /// A write that succeeds is recorded as a task under `request_id`, the id
    /// `DescribeTaskStatus` takes.
    pub fn handle(
        &mut self,
        action: &str,
        params: &Value,
        now: i64,
        request_id: &str,
    ) -> Option<Outcome> {
        let token = params::string(params, "ClientToken").filter(|t| !t.is_empty());
        if let Some(token) = token
            && (token.len() > MAX_CLIENT_TOKEN_LEN || !token.is_ascii())
        {
            return Some(Err(ApiError::new(
                "InvalidParameterValue",
                format!("ClientToken must be at most {MAX_CLIENT_TOKEN_LEN} ASCII characters."),
            )));
        }
        self.tokens.expire(now);
        self.settle(now);
        let Some(token) = token else {
            return self.run(action, params, now, request_id);
        };
        let key = (action.to_owned(), token.to_owned());
        let fingerprint = fingerprint(params);
        if let Some((first_params, first_outcome)) = self.tokens.results.get(&key) {
            return Some(if *first_params == fingerprint {
                first_outcome.clone()
            } else {
                Err(ApiError::new(
                    "FailedOperation.DuplicatedRequest",
                    "Repeated request. Please check the value of ClientToken.",
                ))
            });
        }
        let outcome = self.run(action, params, now, request_id)?;
        self.tokens.insert(key, (fingerprint, outcome.clone()), now);
        Some(outcome)
    }

    /// Runs `action` against the state; a write that succeeds becomes a task.
    fn run(&mut self, action: &str, p: &Value, now: i64, request_id: &str) -> Option<Outcome> {
        let mut outcome = self
            .dispatch(action, p, now)
            .or_else(|| self.dispatch_global(action, p, now))?;
        // A `TaskId` output is the call's RequestId (DescribeTaskStatus takes it).
        if let Ok(fields) = &mut outcome
            && let Some(task) = fields.get_mut("TaskId")
            && task.as_str() == Some(security::TASK_ID_IS_REQUEST_ID)
        {
            *task = Value::String(request_id.to_owned());
        }
        let read = gaap_model::READ_ACTION_PREFIXES
            .iter()
            .any(|prefix| action.starts_with(prefix));
        if outcome.is_ok() && !read {
            let done_at = self.done_at(now);
            self.global.record_task(request_id, action, done_at);
        }
        Some(outcome)
    }

    fn dispatch(&mut self, action: &str, p: &Value, now: i64) -> Option<Outcome> {
        Some(match action {
            "CreateProxy" => typed(p, |r| self.create_proxy(r, now)),
            "DescribeProxies" => typed(p, |r| self.describe_proxies(r)),
            "DestroyProxies" => typed(p, |r| self.destroy_proxies(r, now)),
            "OpenProxies" => typed(p, |r| self.open_proxies(r, now)),
            "CloseProxies" => typed(p, |r| self.close_proxies(r, now)),
            "ModifyProxyConfiguration" => typed(p, |r| self.modify_proxy_configuration(r, now)),
            "ModifyProxiesAttribute" => typed(p, |r| self.modify_proxies_attribute(r)),
            "ModifyProxiesProject" => typed(p, |r| self.modify_proxies_project(r)),
            "OpenProxyGroup" => typed(p, |r| self.open_proxy_group(r, now)),
            "CloseProxyGroup" => typed(p, |r| self.close_proxy_group(r, now)),
            "ModifyProxyGroupAttribute" => typed(p, |r| self.modify_proxy_group(r)),
            "DescribeProxyGroupDetails" => typed(p, |r| self.describe_proxy_group_details(r)),
            "ModifyTCPListenerAttribute" => typed(p, |r| self.modify_tcp_listener(r, now)),
            "ModifyUDPListenerAttribute" => typed(p, |r| self.modify_udp_listener(r, now)),
            "ModifyHTTPListenerAttribute" => typed(p, |r| self.modify_http_listener(r, now)),
            "ModifyHTTPSListenerAttribute" => typed(p, |r| self.modify_https_listener(r, now)),
            "ModifyRealServerName" => typed(p, |r| self.modify_real_server_name(r)),
            "CreateSecurityPolicy" => typed(p, |r| self.create_security_policy(r)),
            "DescribeSecurityPolicyDetail" => typed(p, |r| self.describe_security_policy_detail(r)),
            "OpenSecurityPolicy" => typed(p, |r| self.open_security_policy(r, now)),
            "CloseSecurityPolicy" => typed(p, |r| self.close_security_policy(r, now)),
            "DeleteSecurityPolicy" => typed(p, |r| self.delete_security_policy(r)),
            "CreateSecurityRules" => typed(p, |r| self.create_security_rules(r)),
            "DescribeSecurityRules" => typed(p, |r| self.describe_security_rules(r)),
            "DeleteSecurityRules" => typed(p, |r| self.delete_security_rules(r)),
            "ModifySecurityRule" => typed(p, |r| self.modify_security_rule(r)),
            "CreateCertificate" => typed(p, |r| self.create_certificate(r, now)),
            "DescribeCertificates" => typed(p, |r| self.describe_certificates(r)),
            "DescribeCertificateDetail" => typed(p, |r| self.describe_certificate_detail(r)),
            "ModifyCertificateAttributes" => typed(p, |r| self.modify_certificate_attributes(r)),
            "DeleteCertificate" => typed(p, |r| self.delete_certificate(r)),
            "ModifyCertificate" => typed(p, |r| self.modify_certificate(r, now)),
            "CreateDomain" => typed(p, |r| self.create_domain(r, now)),
            "ModifyDomain" => typed(p, |r| self.modify_domain(r, now)),
            "ModifyRuleAttribute" => typed(p, |r| self.modify_rule(r, now)),
            "DeleteDomain" => typed(p, |r| self.delete_domain(r, now)),
            "CreateRule" => typed(p, |r| self.create_rule(r, now)),
            "DeleteRule" => typed(p, |r| self.delete_rule(r, now)),
            "DescribeRules" => typed(p, |r| self.describe_rules(r)),
            "DescribeRulesByRuleIds" => typed(p, |r| self.describe_rules_by_rule_ids(r)),
            "CreateProxyGroup" => typed(p, |r| self.create_proxy_group(r, now)),
            "DescribeProxyGroupList" => typed(p, |r| self.describe_proxy_group_list(r)),
            "DeleteProxyGroup" => typed(p, |r| self.delete_proxy_group(r, now)),
            "CreateTCPListeners" => typed(p, |r| self.create_tcp_listeners(r, now)),
            "CreateUDPListeners" => typed(p, |r| self.create_udp_listeners(r, now)),
            "CreateHTTPListener" => typed(p, |r| self.create_http_listener(r, now)),
            "CreateHTTPSListener" => typed(p, |r| self.create_https_listener(r, now)),
            "DescribeTCPListeners" => typed(p, |r| self.describe_tcp_listeners(r)),
            "DescribeUDPListeners" => typed(p, |r| self.describe_udp_listeners(r)),
            "DescribeHTTPListeners" => typed(p, |r| self.describe_http_listeners(r)),
            "DescribeHTTPSListeners" => typed(p, |r| self.describe_https_listeners(r)),
            "DeleteListeners" => typed(p, |r| self.delete_listeners(r, now)),
            "AddRealServers" => typed(p, |r| self.add_real_servers(r)),
            "DescribeRealServers" => typed(p, |r| self.describe_real_servers(r)),
            "RemoveRealServers" => typed(p, |r| self.remove_real_servers(r)),
            "BindListenerRealServers" => typed(p, |r| self.bind_listener_real_servers(r, now)),
            "DescribeListenerRealServers" => typed(p, |r| self.describe_listener_real_servers(r)),
            "CreateCustomHeader" => typed(p, |r| self.create_custom_header(r)),
            "DescribeCustomHeader" => typed(p, |r| self.describe_custom_header(r)),
            "CreateDomainErrorPageInfo" => typed(p, |r| self.create_domain_error_page_info(r)),
            "DeleteDomainErrorPageInfo" => typed(p, |r| self.delete_domain_error_page_info(r)),
            "DescribeDomainErrorPageInfo" => typed(p, |r| self.describe_domain_error_page_info(r)),
            "DescribeDomainErrorPageInfoByIds" => {
                typed(p, |r| self.describe_domain_error_page_info_by_ids(r))
            }
            "BindRuleRealServers" => typed(p, |r| self.bind_rule_real_servers(r)),
            "DescribeRuleRealServers" => typed(p, |r| self.describe_rule_real_servers(r)),
            "SetAuthentication" => typed(p, |r| self.set_authentication(r)),
            "SetTlsVersion" => typed(p, |r| self.set_tls_version(r)),
            "CreateProxyGroupDomain" => typed(p, |r| self.create_proxy_group_domain(r)),
            "ModifyGroupDomainConfig" => typed(p, |r| self.modify_group_domain_config(r)),
            "DescribeGroupDomainConfig" => typed(p, |r| self.describe_group_domain_config(r)),
            "DescribeProxyDetail" => typed(p, |r| self.describe_proxy_detail(r)),
            _ => return None,
        })
    }

    /// A new, unused resource ID such as `link-3fa81c0e`: the prefix, then 8 random
    /// lowercase hex digits (all 32 in the unlikely case that 8 keep colliding).
    fn new_id(&self, prefix: &str) -> String {
        for _ in 0..8 {
            let short: String = uuid::Uuid::new_v4()
                .simple()
                .to_string()
                .chars()
                .take(8)
                .collect();
            let id = format!("{prefix}-{short}");
            if !self.id_taken(&id) {
                return id;
            }
        }
        format!("{prefix}-{}", uuid::Uuid::new_v4().simple())
    }

    fn id_taken(&self, id: &str) -> bool {
        self.proxies.contains_key(id)
            || self.groups.contains_key(id)
            || self.listeners.contains_key(id)
            || self.real_servers.contains_key(id)
            || self.rules.contains_key(id)
            || self.certificates.contains_key(id)
            || self.policies.contains_key(id)
            || self.security_rules.contains_key(id)
            || self.error_pages.contains_key(id)
            || self.global.has_domain(id)
    }

    /// A creation sequence number, so lists sort by creation even within one second.
    fn next_sequence(&mut self) -> u64 {
        self.sequence += 1;
        self.sequence
    }
}

/// Reads `params` as the generated request `T`.
fn request<T: DeserializeOwned>(params: &Value) -> Result<T, ApiError> {
    serde_json::from_value(params.clone())
        .map_err(|e| ApiError::new("InvalidParameter", format!("Invalid parameters: {e}.")))
}

/// The generated response `T` as the `Response` fields (its `RequestId` is the envelope's).
fn respond<T: Serialize>(response: &T) -> Outcome {
    match serde_json::to_value(response) {
        Ok(Value::Object(mut fields)) => {
            fields.remove("RequestId");
            Ok(fields)
        }
        _ => Err(ApiError::new("InternalError", "Internal error.")),
    }
}

/// A typed handler at the edge: `params` read once as the generated request, the generated
/// response serialized once.
fn typed<Req, Resp>(params: &Value, handler: impl FnOnce(Req) -> Result<Resp, ApiError>) -> Outcome
where
    Req: DeserializeOwned,
    Resp: Serialize,
{
    respond(&handler(request(params)?)?)
}

/// `ProxyIds` then the older `InstanceIds`, as one list.
fn proxy_ids(proxy_ids: Option<Vec<String>>, instance_ids: Option<Vec<String>>) -> Vec<String> {
    let mut ids = proxy_ids.unwrap_or_default();
    ids.extend(instance_ids.unwrap_or_default());
    ids
}

fn not_found(what: &str, id: &str) -> ApiError {
    ApiError::new(
        "ResourceNotFound",
        format!("The {what} `{id}` does not exist."),
    )
}

fn real_server_bound(what: &str, id: &str) -> ApiError {
    ApiError::new(
        "FailedOperation.RealServerAlreadyBound",
        format!(
            "Failed to delete {what} `{id}`: it's bound to an origin server. Set Force to 1 to delete it anyway."
        ),
    )
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod lifecycle_tests;

#[cfg(test)]
mod settings_tests;
