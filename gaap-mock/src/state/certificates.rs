//! Certificates: CreateCertificate, DescribeCertificates, DescribeCertificateDetail,
//! ModifyCertificateAttributes, DeleteCertificate (refused while an HTTPS listener or a
//! domain uses it), and ModifyCertificate (a domain's certificates).

use gaap_model::operation::create_certificate::{
    CreateCertificateRequest, CreateCertificateResponse,
};
use gaap_model::operation::delete_certificate::{
    DeleteCertificateRequest, DeleteCertificateResponse,
};
use gaap_model::operation::describe_certificate_detail::{
    DescribeCertificateDetailRequest, DescribeCertificateDetailResponse,
};
use gaap_model::operation::describe_certificates::{
    DescribeCertificatesRequest, DescribeCertificatesResponse,
};
use gaap_model::operation::modify_certificate::{
    ModifyCertificateRequest, ModifyCertificateResponse,
};
use gaap_model::operation::modify_certificate_attributes::{
    ModifyCertificateAttributesRequest, ModifyCertificateAttributesResponse,
};
use gaap_model::types::{Certificate as Listed, CertificateDetail};

use super::params::page;
use super::{Store, not_found};
use crate::envelope::ApiError;

/// One certificate: its `CertificateDetail`.
#[derive(Debug, Clone)]
pub struct Certificate {
    pub(super) info: CertificateDetail,
    pub(super) sequence: u64,
}

impl Certificate {
    /// As DescribeCertificates lists it (no content or key; the alias is also its name,
    /// the deprecated field the page still returns).
    #[allow(deprecated)]
    fn listed(&self) -> Listed {
        let info = &self.info;
        let mut listed = Listed::default();
        listed.certificate_id = info.certificate_id.clone();
        listed.certificate_type = info.certificate_type;
        listed.certificate_alias = info.certificate_alias.clone();
        listed.certificate_name = info.certificate_alias.clone();
        listed.create_time = info.create_time;
        listed.begin_time = info.begin_time;
        listed.end_time = info.end_time;
        listed.issuer_cn = info.issuer_cn.clone();
        listed.subject_cn = info.subject_cn.clone();
        listed
    }
}

impl Store {
    pub(super) fn create_certificate(
        &mut self,
        req: CreateCertificateRequest,
        now: i64,
    ) -> Result<CreateCertificateResponse, ApiError> {
        let id = self.new_id("cert");
        let sequence = self.next_sequence();
        let mut info = CertificateDetail::default();
        info.certificate_id = Some(id.clone());
        info.certificate_type = Some(req.certificate_type.as_i64());
        info.certificate_alias = Some(req.certificate_alias.unwrap_or_default());
        info.certificate_content = Some(req.certificate_content);
        info.certificate_key = req.certificate_key;
        info.create_time = Some(now);
        info.begin_time = Some(now);
        info.end_time = Some(now.saturating_add(365 * 24 * 60 * 60));
        info.issuer_cn = Some("gaap-mock".to_owned());
        info.subject_cn = Some("gaap-mock".to_owned());
        self.certificates
            .insert(id.clone(), Certificate { info, sequence });
        let mut out = CreateCertificateResponse::default();
        out.certificate_id = Some(id);
        Ok(out)
    }

    pub(super) fn describe_certificates(
        &mut self,
        req: DescribeCertificatesRequest,
    ) -> Result<DescribeCertificatesResponse, ApiError> {
        let kind = req
            .certificate_type
            .map(|k| k.as_i64())
            .filter(|k| *k != -1);
        let mut found: Vec<&Certificate> = self
            .certificates
            .values()
            .filter(|c| kind.is_none_or(|k| c.info.certificate_type == Some(k)))
            .collect();
        found.sort_by_key(|c| std::cmp::Reverse(c.sequence));
        let total = found.len();
        let items = page(found, req.offset, req.limit, 1000)?
            .into_iter()
            .map(Certificate::listed)
            .collect();
        let mut out = DescribeCertificatesResponse::default();
        out.total_count = Some(i64::try_from(total).unwrap_or(i64::MAX));
        out.certificate_set = Some(items);
        Ok(out)
    }

    pub(super) fn describe_certificate_detail(
        &mut self,
        req: DescribeCertificateDetailRequest,
    ) -> Result<DescribeCertificateDetailResponse, ApiError> {
        let id = req.certificate_id;
        let cert = self
            .certificates
            .get(&id)
            .ok_or_else(|| not_found("certificate", &id))?;
        let mut out = DescribeCertificateDetailResponse::default();
        out.certificate_detail = Some(cert.info.clone());
        Ok(out)
    }

    pub(super) fn modify_certificate_attributes(
        &mut self,
        req: ModifyCertificateAttributesRequest,
    ) -> Result<ModifyCertificateAttributesResponse, ApiError> {
        let id = req.certificate_id;
        let cert = self
            .certificates
            .get_mut(&id)
            .ok_or_else(|| not_found("certificate", &id))?;
        if let Some(alias) = req.certificate_alias {
            cert.info.certificate_alias = Some(alias);
        }
        Ok(ModifyCertificateAttributesResponse::default())
    }

    /// Whether an HTTPS listener or a domain uses certificate `id`.
    fn certificate_in_use(&self, id: &str) -> bool {
        let id = Some(id);
        self.listeners
            .values()
            .any(|l| l.certificate_ids().contains(&id))
            || self.domains.values().any(|d| {
                d.info.certificate_id.as_deref() == id
                    || d.info.client_certificate_id.as_deref() == id
            })
    }

    pub(super) fn delete_certificate(
        &mut self,
        req: DeleteCertificateRequest,
    ) -> Result<DeleteCertificateResponse, ApiError> {
        let id = req.certificate_id;
        if !self.certificates.contains_key(&id) {
            return Err(not_found("certificate", &id));
        }
        if self.certificate_in_use(&id) {
            return Err(ApiError::new(
                "FailedOperation.CertificateIsUsing",
                format!("The certificate `{id}` is in use by a listener or a domain."),
            ));
        }
        self.certificates.remove(&id);
        Ok(DeleteCertificateResponse::default())
    }

    /// ModifyCertificate: a domain's server (and client) certificates; every named
    /// certificate must exist; the domain is changing (1) for the delay.
    pub(super) fn modify_certificate(
        &mut self,
        req: ModifyCertificateRequest,
        now: i64,
    ) -> Result<ModifyCertificateResponse, ApiError> {
        let listener_id = req.listener_id;
        let domain = req.domain;
        let mut named: Vec<String> = req.poly_client_certificate_ids.unwrap_or_default();
        named.extend(
            [
                Some(&req.certificate_id),
                req.client_certificate_id.as_ref(),
            ]
            .into_iter()
            .flatten()
            .filter(|id| *id != "default")
            .cloned(),
        );
        if let Some(missing) = named.iter().find(|id| !self.certificates.contains_key(*id)) {
            return Err(not_found("certificate", missing));
        }
        let key = format!("{listener_id}/{domain}");
        let busy = match self.domains.get(&key) {
            None => return Err(not_found("domain", &domain)),
            Some(d) => d.running_at.is_some(),
        };
        if busy {
            return Err(ApiError::new(
                "FailedOperation.DomainStatusNotInRunning",
                format!("The domain `{domain}` is changing; try again when it is running."),
            ));
        }
        let at = (self.state_delay > 0).then(|| self.done_at(now));
        if let Some(d) = self.domains.get_mut(&key) {
            d.info.certificate_id = Some(req.certificate_id);
            if let Some(id) = req.client_certificate_id {
                d.info.client_certificate_id = Some(id);
            }
            d.set_status(i64::from(at.is_some()));
            d.running_at = at;
        }
        Ok(ModifyCertificateResponse::default())
    }
}
