//! Certificates: CreateCertificate, DescribeCertificates, DescribeCertificateDetail,
//! ModifyCertificateAttributes, DeleteCertificate (refused while an HTTPS listener or a
//! domain uses it), and ModifyCertificate (a domain's certificates).

use serde_json::{Map, Value, json};

use super::params::{integer, page_params, string, strings};
use super::{Outcome, Store, not_found};
use crate::envelope::ApiError;

/// One certificate: its `CertificateDetail` fields.
#[derive(Debug, Clone)]
pub struct Certificate {
    pub(super) info: Map<String, Value>,
    pub(super) sequence: u64,
}

/// The `Certificate` (list) fields of a `CertificateDetail`.
const LISTED: &[&str] = &[
    "CertificateId",
    "CertificateType",
    "CertificateAlias",
    "CreateTime",
    "BeginTime",
    "EndTime",
    "IssuerCN",
    "SubjectCN",
];

impl Store {
    pub(super) fn create_certificate(&mut self, p: &Value, now: i64) -> Outcome {
        let id = self.new_id("cert");
        let sequence = self.next_sequence();
        let info = json!({
            "CertificateId": id,
            "CertificateType": integer(p, "CertificateType").unwrap_or(0),
            "CertificateAlias": string(p, "CertificateAlias").unwrap_or_default(),
            "CertificateContent": string(p, "CertificateContent").unwrap_or_default(),
            "CertificateKey": string(p, "CertificateKey"),
            "CreateTime": now,
            "BeginTime": now,
            "EndTime": now.saturating_add(365 * 24 * 60 * 60),
            "IssuerCN": "gaap-mock",
            "SubjectCN": "gaap-mock",
        });
        let Value::Object(info) = info else {
            return Err(ApiError::new("InternalError", "Internal error."));
        };
        self.certificates
            .insert(id.clone(), Certificate { info, sequence });
        let mut out = Map::new();
        out.insert("CertificateId".to_owned(), json!(id));
        Ok(out)
    }

    pub(super) fn describe_certificates(&mut self, p: &Value) -> Outcome {
        let kind = integer(p, "CertificateType").filter(|k| *k != -1);
        let mut found: Vec<&Certificate> = self
            .certificates
            .values()
            .filter(|c| kind.is_none_or(|k| c.info["CertificateType"].as_i64() == Some(k)))
            .collect();
        found.sort_by_key(|c| std::cmp::Reverse(c.sequence));
        let total = found.len();
        let items: Vec<Value> = page_params(found, p, 1000)?
            .into_iter()
            .map(|c| {
                let mut view: Map<String, Value> = LISTED
                    .iter()
                    .filter_map(|k| c.info.get(*k).map(|v| ((*k).to_owned(), v.clone())))
                    .collect();
                view.insert(
                    "CertificateName".to_owned(),
                    c.info["CertificateAlias"].clone(),
                );
                Value::Object(view)
            })
            .collect();
        let mut out = Map::new();
        out.insert("TotalCount".to_owned(), json!(total));
        out.insert("CertificateSet".to_owned(), Value::Array(items));
        Ok(out)
    }

    pub(super) fn describe_certificate_detail(&mut self, p: &Value) -> Outcome {
        let id = string(p, "CertificateId").unwrap_or_default();
        let cert = self
            .certificates
            .get(id)
            .ok_or_else(|| not_found("certificate", id))?;
        let mut out = Map::new();
        out.insert(
            "CertificateDetail".to_owned(),
            Value::Object(cert.info.clone()),
        );
        Ok(out)
    }

    pub(super) fn modify_certificate_attributes(&mut self, p: &Value) -> Outcome {
        let id = string(p, "CertificateId").unwrap_or_default();
        let cert = self
            .certificates
            .get_mut(id)
            .ok_or_else(|| not_found("certificate", id))?;
        if let Some(alias) = string(p, "CertificateAlias") {
            cert.info
                .insert("CertificateAlias".to_owned(), json!(alias));
        }
        Ok(Map::new())
    }

    /// Whether an HTTPS listener or a domain uses certificate `id`.
    fn certificate_in_use(&self, id: &str) -> bool {
        let uses = |info: &Map<String, Value>| {
            ["CertificateId", "ClientCertificateId"]
                .iter()
                .any(|k| info.get(*k).and_then(Value::as_str) == Some(id))
        };
        self.listeners.values().any(|l| uses(&l.info))
            || self.domains.values().any(|d| uses(&d.info))
    }

    pub(super) fn delete_certificate(&mut self, p: &Value) -> Outcome {
        let id = string(p, "CertificateId").unwrap_or_default();
        if !self.certificates.contains_key(id) {
            return Err(not_found("certificate", id));
        }
        if self.certificate_in_use(id) {
            return Err(ApiError::new(
                "FailedOperation.CertificateIsUsing",
                format!("The certificate `{id}` is in use by a listener or a domain."),
            ));
        }
        self.certificates.remove(id);
        Ok(Map::new())
    }

    /// ModifyCertificate: a domain's server (and client) certificates; every named
    /// certificate must exist; the domain is changing (1) for the delay.
    pub(super) fn modify_certificate(&mut self, p: &Value, now: i64) -> Outcome {
        let listener_id = string(p, "ListenerId").unwrap_or_default().to_owned();
        let domain = string(p, "Domain").unwrap_or_default().to_owned();
        let mut named: Vec<String> = strings(p, "PolyClientCertificateIds");
        named.extend(
            ["CertificateId", "ClientCertificateId"]
                .iter()
                .filter_map(|k| {
                    string(p, k)
                        .filter(|id| *id != "default")
                        .map(str::to_owned)
                }),
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
            for k in ["CertificateId", "ClientCertificateId"] {
                if let Some(id) = string(p, k) {
                    d.info.insert(k.to_owned(), json!(id));
                }
            }
            d.info
                .insert("DomainStatus".to_owned(), json!(i64::from(at.is_some())));
            d.running_at = at;
        }
        Ok(Map::new())
    }
}
