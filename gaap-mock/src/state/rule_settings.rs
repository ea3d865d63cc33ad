//! Settings of layer-7 rules, domains and listeners: CreateCustomHeader,
//! DescribeCustomHeader (a rule's custom headers); CreateDomainErrorPageInfo,
//! DeleteDomainErrorPageInfo, DescribeDomainErrorPageInfo, DescribeDomainErrorPageInfoByIds
//! (a domain's custom error pages); BindRuleRealServers, DescribeRuleRealServers (a rule's
//! origin servers, shown in the rule's `RealServerSet` by DescribeRules too);
//! SetAuthentication (the domain's authentication fields in DescribeRules); SetTlsVersion
//! (an HTTPS listener's `TLSSupportVersion`/`TLSCiphers` in DescribeHTTPSListeners).

use gaap_model::operation::bind_rule_real_servers::{
    BindRuleRealServersRequest, BindRuleRealServersResponse,
};
use gaap_model::operation::create_custom_header::{
    CreateCustomHeaderRequest, CreateCustomHeaderResponse,
};
use gaap_model::operation::create_domain_error_page_info::{
    CreateDomainErrorPageInfoRequest, CreateDomainErrorPageInfoResponse,
};
use gaap_model::operation::delete_domain_error_page_info::{
    DeleteDomainErrorPageInfoRequest, DeleteDomainErrorPageInfoResponse,
};
use gaap_model::operation::describe_custom_header::{
    DescribeCustomHeaderRequest, DescribeCustomHeaderResponse,
};
use gaap_model::operation::describe_domain_error_page_info::{
    DescribeDomainErrorPageInfoRequest, DescribeDomainErrorPageInfoResponse,
};
use gaap_model::operation::describe_domain_error_page_info_by_ids::{
    DescribeDomainErrorPageInfoByIdsRequest, DescribeDomainErrorPageInfoByIdsResponse,
};
use gaap_model::operation::describe_rule_real_servers::{
    DescribeRuleRealServersRequest, DescribeRuleRealServersResponse,
};
use gaap_model::operation::set_authentication::{
    SetAuthenticationRequest, SetAuthenticationResponse,
};
use gaap_model::operation::set_tls_version::{SetTlsVersionRequest, SetTlsVersionResponse};
use gaap_model::types::{
    BindRealServer, CertificateAliasInfo, DomainErrorPageInfo, DomainRuleSetBasicAuth,
    DomainRuleSetGaapAuth, DomainRuleSetRealServerAuth, RealServer as RealServerView,
    RuleInfoBindStatus,
};

use super::listeners::{Binding, View};
use super::params::page;
use super::{Store, not_found};
use crate::envelope::ApiError;

/// A custom error page of a layer-7 domain.
#[derive(Debug, Clone)]
pub struct ErrorPage {
    /// As DescribeDomainErrorPageInfo returns it.
    pub(super) info: DomainErrorPageInfo,
    pub(super) sequence: u64,
}

/// The TLS versions the pages document.
const TLS_VERSIONS: &[&str] = &["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"];

fn count(n: usize) -> Option<i64> {
    Some(i64::try_from(n).unwrap_or(i64::MAX))
}

impl Store {
    /// Drops the custom headers of rules that are gone and the error pages of domains that
    /// are gone.
    pub(super) fn settle_rule_settings(&mut self) {
        let rules = &self.rules;
        self.custom_headers.retain(|id, _| rules.contains_key(id));
        let domains = &self.domains;
        self.error_pages.retain(|_, page| {
            let listener = page.info.listener_id.as_deref().unwrap_or_default();
            let domain = page.info.domain.as_deref().unwrap_or_default();
            domains.contains_key(&Self::domain_key(listener, domain))
        });
    }

    /// The rule `id` with its listener and domain, whose listener's owner must be running.
    fn owned_rule(&self, id: &str, proxy_code: &str) -> Result<(String, String), ApiError> {
        let rule = self.rules.get(id).ok_or_else(|| not_found("rule", id))?;
        let (listener_id, domain) = (rule.listener_id.clone(), rule.domain.clone());
        self.layer7_listener(&listener_id, proxy_code)?;
        Ok((listener_id, domain))
    }

    /// The domain of a layer-7 listener, which must exist.
    fn require_domain(&self, listener_id: &str, domain: &str) -> Result<(), ApiError> {
        if self
            .domains
            .contains_key(&Self::domain_key(listener_id, domain))
        {
            Ok(())
        } else {
            Err(not_found("domain", domain))
        }
    }

    pub(super) fn create_custom_header(
        &mut self,
        req: CreateCustomHeaderRequest,
    ) -> Result<CreateCustomHeaderResponse, ApiError> {
        self.owned_rule(&req.rule_id, "FailedOperation.InstanceStatusNotInRuning")?;
        self.custom_headers
            .insert(req.rule_id, req.headers.unwrap_or_default());
        Ok(CreateCustomHeaderResponse::default())
    }

    pub(super) fn describe_custom_header(
        &mut self,
        req: DescribeCustomHeaderRequest,
    ) -> Result<DescribeCustomHeaderResponse, ApiError> {
        if !self.rules.contains_key(&req.rule_id) {
            return Err(not_found("rule", &req.rule_id));
        }
        let mut out = DescribeCustomHeaderResponse::default();
        out.headers = Some(
            self.custom_headers
                .get(&req.rule_id)
                .cloned()
                .unwrap_or_default(),
        );
        out.rule_id = Some(req.rule_id);
        Ok(out)
    }

    pub(super) fn create_domain_error_page_info(
        &mut self,
        req: CreateDomainErrorPageInfoRequest,
    ) -> Result<CreateDomainErrorPageInfoResponse, ApiError> {
        let (listener_id, domain) = (req.listener_id, req.domain);
        self.layer7_listener(&listener_id, "FailedOperation.ProxyStatusNotInRuning")?;
        self.require_domain(&listener_id, &domain)?;
        let taken = self.error_pages.values().find_map(|page| {
            let info = &page.info;
            let same_domain = info.listener_id.as_deref() == Some(listener_id.as_str())
                && info.domain.as_deref() == Some(domain.as_str());
            let codes = info.error_nos.as_deref().unwrap_or_default();
            req.error_nos
                .iter()
                .find(|no| same_domain && codes.contains(no))
        });
        if let Some(no) = taken {
            return Err(ApiError::new(
                "FailedOperation",
                format!("The domain `{domain}` already has an error page for {no}."),
            ));
        }
        let id = self.new_id("errorPage");
        let sequence = self.next_sequence();
        let mut info = DomainErrorPageInfo::default();
        info.error_page_id = Some(id.clone());
        info.listener_id = Some(listener_id);
        info.domain = Some(domain);
        info.error_nos = Some(req.error_nos);
        info.new_error_no = req.new_error_no;
        info.clear_headers = req.clear_headers;
        info.set_headers = req.set_headers;
        info.body = Some(req.body);
        info.status = Some(0);
        self.error_pages
            .insert(id.clone(), ErrorPage { info, sequence });
        let mut out = CreateDomainErrorPageInfoResponse::default();
        out.error_page_id = Some(id);
        Ok(out)
    }

    pub(super) fn delete_domain_error_page_info(
        &mut self,
        req: DeleteDomainErrorPageInfoRequest,
    ) -> Result<DeleteDomainErrorPageInfoResponse, ApiError> {
        let id = req.error_page_id;
        let Some(listener_id) = self
            .error_pages
            .get(&id)
            .and_then(|p| p.info.listener_id.clone())
        else {
            return Err(not_found("error page", &id));
        };
        self.layer7_listener(&listener_id, "FailedOperation.ProxyStatusNotInRuning")?;
        self.error_pages.remove(&id);
        Ok(DeleteDomainErrorPageInfoResponse::default())
    }

    pub(super) fn describe_domain_error_page_info(
        &mut self,
        req: DescribeDomainErrorPageInfoRequest,
    ) -> Result<DescribeDomainErrorPageInfoResponse, ApiError> {
        let (listener_id, domain) = (req.listener_id, req.domain);
        if !self.listeners.contains_key(&listener_id) {
            return Err(not_found("listener", &listener_id));
        }
        self.require_domain(&listener_id, &domain)?;
        let mut pages: Vec<&ErrorPage> = self
            .error_pages
            .values()
            .filter(|p| {
                p.info.listener_id.as_deref() == Some(listener_id.as_str())
                    && p.info.domain.as_deref() == Some(domain.as_str())
            })
            .collect();
        pages.sort_by_key(|p| p.sequence);
        let mut out = DescribeDomainErrorPageInfoResponse::default();
        out.error_page_set = Some(pages.into_iter().map(|p| p.info.clone()).collect());
        Ok(out)
    }

    pub(super) fn describe_domain_error_page_info_by_ids(
        &mut self,
        req: DescribeDomainErrorPageInfoByIdsRequest,
    ) -> Result<DescribeDomainErrorPageInfoByIdsResponse, ApiError> {
        let found = req
            .error_page_ids
            .iter()
            .filter_map(|id| self.error_pages.get(id))
            .map(|p| p.info.clone())
            .collect();
        let mut out = DescribeDomainErrorPageInfoByIdsResponse::default();
        out.error_page_set = Some(found);
        Ok(out)
    }

    /// BindRuleRealServers: replaces the rule's origin servers (an empty list unbinds all).
    pub(super) fn bind_rule_real_servers(
        &mut self,
        req: BindRuleRealServersRequest,
    ) -> Result<BindRuleRealServersResponse, ApiError> {
        let rule_id = req.rule_id;
        let (listener_id, domain) =
            self.owned_rule(&rule_id, "FailedOperation.InstanceStatusNotInRuning")?;
        if self
            .domains
            .get(&Self::domain_key(&listener_id, &domain))
            .is_some_and(|d| d.running_at.is_some())
        {
            return Err(ApiError::new(
                "FailedOperation.DomainStatusNotInRunning",
                format!("The domain `{domain}` is changing; try again when it is running."),
            ));
        }
        let mut bound = Vec::new();
        for item in req.real_server_bind_set.unwrap_or_default() {
            let id = item.real_server_id.unwrap_or_default();
            if !self.real_servers.contains_key(&id) {
                return Err(ApiError::new(
                    "InvalidParameterValue.RealServerNotBelong",
                    format!("The origin server `{id}` does not belong to this account."),
                ));
            }
            bound.push(self.binding_view(&Binding {
                real_server_id: id,
                port: item.real_server_port,
                weight: item.real_server_weight.unwrap_or(1),
                failover_role: item.real_server_failover_role,
            }));
        }
        if let Some(rule) = self.rules.get_mut(&rule_id) {
            rule.info.real_server_set = Some(bound);
            rule.info.bind_status = Some(RuleInfoBindStatus::Normal);
        }
        Ok(BindRuleRealServersResponse::default())
    }

    pub(super) fn describe_rule_real_servers(
        &mut self,
        req: DescribeRuleRealServersRequest,
    ) -> Result<DescribeRuleRealServersResponse, ApiError> {
        let rule = self
            .rules
            .get(&req.rule_id)
            .ok_or_else(|| not_found("rule", &req.rule_id))?;
        let bound: Vec<BindRealServer> = rule.info.real_server_set.clone().unwrap_or_default();
        let available: Vec<RealServerView> = self
            .real_servers
            .iter()
            .map(|(id, rs)| rs.view(id))
            .collect();
        let total = available.len();
        let available = page(available, req.offset, req.limit, 1000)?;
        let mut out = DescribeRuleRealServersResponse::default();
        out.total_count = count(total);
        out.real_server_set = Some(available);
        out.bind_real_server_total_count = count(bound.len());
        out.bind_real_server_set = Some(bound);
        Ok(out)
    }

    /// A certificate the request names, which must exist; its alias.
    fn certificate_alias(&self, id: &str) -> Result<Option<String>, ApiError> {
        self.certificates
            .get(id)
            .map(|c| c.info.certificate_alias.clone())
            .ok_or_else(|| {
                ApiError::new(
                    "InvalidParameterValue.InvalidCertificateId",
                    format!("The certificate `{id}` is unavailable."),
                )
            })
    }

    /// SetAuthentication: the domain's authentication switches and certificates, as
    /// DescribeRules shows them; a field not given keeps its value.
    // `RealServerCertificateDomain` is deprecated, and still set and shown.
    #[allow(deprecated)]
    pub(super) fn set_authentication(
        &mut self,
        req: SetAuthenticationRequest,
    ) -> Result<SetAuthenticationResponse, ApiError> {
        let (listener_id, domain) = (req.listener_id, req.domain);
        let https = self
            .listeners
            .get(&listener_id)
            .is_some_and(|l| matches!(l.info, View::Https(_)));
        if !https {
            return Err(not_found("HTTPS listener", &listener_id));
        }
        self.layer7_listener(&listener_id, "FailedOperation.ListenerStatusError")?;
        self.require_domain(&listener_id, &domain)?;
        let given = |id: &Option<String>| id.clone().filter(|id| !id.is_empty());
        let basic_conf = given(&req.basic_auth_conf_id);
        let gaap_cert = given(&req.gaap_certificate_id);
        let server_cert = given(&req.real_server_certificate_id);
        let basic_alias = basic_conf
            .as_deref()
            .map(|id| self.certificate_alias(id))
            .transpose()?;
        let gaap_alias = gaap_cert
            .as_deref()
            .map(|id| self.certificate_alias(id))
            .transpose()?;
        let server_alias = server_cert
            .as_deref()
            .map(|id| self.certificate_alias(id))
            .transpose()?;
        let poly = req
            .poly_real_server_certificate_ids
            .map(|ids| {
                ids.into_iter()
                    .map(|id| {
                        let mut alias = CertificateAliasInfo::default();
                        alias.certificate_alias = self.certificate_alias(&id)?;
                        alias.certificate_id = Some(id);
                        Ok(alias)
                    })
                    .collect::<Result<Vec<_>, ApiError>>()
            })
            .transpose()?;
        let Some(found) = self
            .domains
            .get_mut(&Self::domain_key(&listener_id, &domain))
        else {
            return Err(not_found("domain", &domain));
        };
        let info = &mut found.info;
        if let Some(on) = req.basic_auth {
            info.basic_auth = Some(DomainRuleSetBasicAuth::from(on.as_i64()));
        }
        if let Some(on) = req.gaap_auth {
            info.gaap_auth = Some(DomainRuleSetGaapAuth::from(on.as_i64()));
        }
        if let Some(on) = req.real_server_auth {
            info.real_server_auth = Some(DomainRuleSetRealServerAuth::from(on.as_i64()));
        }
        if basic_conf.is_some() {
            info.basic_auth_conf_id = basic_conf;
            info.basic_auth_conf_alias = basic_alias.flatten();
        }
        if gaap_cert.is_some() {
            info.gaap_certificate_id = gaap_cert;
            info.gaap_certificate_alias = gaap_alias.flatten();
        }
        if server_cert.is_some() {
            info.real_server_certificate_id = server_cert;
            info.real_server_certificate_alias = server_alias.flatten();
        }
        if req.real_server_certificate_domain.is_some() {
            info.real_server_certificate_domain = req.real_server_certificate_domain;
        }
        if poly.is_some() {
            info.poly_real_server_certificate_alias_info = poly;
        }
        if req.tls_support_version.is_some() {
            info.tls_support_version = req.tls_support_version;
        }
        if req.tls_ciphers.is_some() {
            info.tls_ciphers = req.tls_ciphers;
        }
        Ok(SetAuthenticationResponse::default())
    }

    /// SetTlsVersion: an HTTPS listener's TLS versions and cipher suite, as
    /// DescribeHTTPSListeners shows them.
    pub(super) fn set_tls_version(
        &mut self,
        req: SetTlsVersionRequest,
    ) -> Result<SetTlsVersionResponse, ApiError> {
        let listener_id = req.listener_id;
        let owner = match self.listeners.get(&listener_id) {
            Some(l) if matches!(l.info, View::Https(_)) => l.owner.clone(),
            _ => return Err(not_found("HTTPS listener", &listener_id)),
        };
        self.require_owner_running(&owner, "FailedOperation.InstanceStatusNotInRuning")?;
        if let Some(bad) = req
            .tls_support_version
            .iter()
            .find(|v| !TLS_VERSIONS.contains(&v.as_str()))
        {
            return Err(ApiError::new(
                "InvalidParameterValue",
                format!("Unknown TLS version `{bad}`; use one of {TLS_VERSIONS:?}."),
            ));
        }
        if let Some(listener) = self.listeners.get_mut(&listener_id)
            && let View::Https(info) = &mut listener.info
        {
            info.tls_support_version = Some(req.tls_support_version);
            info.tls_ciphers = Some(req.tls_ciphers);
        }
        Ok(SetTlsVersionResponse::default())
    }
}
