//! The CVM instance role: temporary credentials from the instance metadata service.
//!
//! `GET <base>cam/security-credentials/` lists the role bound to the instance;
//! `GET <base>cam/security-credentials/<role>` returns `TmpSecretId`, `TmpSecretKey`, `Token`
//! and `ExpiredTime` (Unix seconds). The base URL defaults to
//! `http://metadata.tencentyun.com/latest/meta-data/` and is configurable (tests serve it on
//! loopback). Wrap the provider in [`CredentialsCache`](super::CredentialsCache) (the default
//! chain does) so the credentials are reused and refreshed before they expire.

use std::time::{Duration, UNIX_EPOCH};

use futures_util::future::BoxFuture;
use serde::Deserialize;

use super::{Credentials, CredentialsError, ProvideCredentials};

/// The metadata service's base URL on CVM.
pub const DEFAULT_METADATA_URL: &str = "http://metadata.tencentyun.com/latest/meta-data/";
const ROLE_PATH: &str = "cam/security-credentials/";

/// Fetches the instance role's temporary credentials from the CVM metadata service.
#[derive(Debug, Clone)]
pub struct CvmRoleProvider {
    base_url: String,
    role_name: Option<String>,
    /// `None` when the HTTP client could not be built (reported at load time).
    http: Option<reqwest::Client>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RoleCredentials {
    tmp_secret_id: Option<String>,
    tmp_secret_key: Option<String>,
    token: Option<String>,
    expired_time: Option<u64>,
    code: Option<String>,
}

impl Default for CvmRoleProvider {
    fn default() -> Self {
        Self::new()
    }
}

impl CvmRoleProvider {
    /// The provider for the real metadata service (1 s connect timeout, 5 s per request).
    pub fn new() -> Self {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(1))
            .timeout(Duration::from_secs(5))
            .no_proxy()
            .build()
            .ok();
        Self {
            base_url: DEFAULT_METADATA_URL.to_owned(),
            role_name: None,
            http,
        }
    }

    /// Use another metadata base URL (e.g. `http://127.0.0.1:8080/latest/meta-data/`).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        let mut url = url.into();
        if !url.ends_with('/') {
            url.push('/');
        }
        self.base_url = url;
        self
    }

    /// Use this role instead of asking the metadata service which role is bound.
    pub fn role_name(mut self, role: impl Into<String>) -> Self {
        self.role_name = Some(role.into());
        self
    }

    async fn get(&self, url: &str) -> Result<String, CredentialsError> {
        let http = self.http.as_ref().ok_or_else(|| {
            CredentialsError::provider_error("cvm role: failed to build the HTTP client")
        })?;
        let response = http.get(url).send().await.map_err(|e| {
            if e.is_connect() || e.is_timeout() {
                CredentialsError::not_loaded(format!(
                    "cvm role: metadata service unreachable at {}",
                    self.base_url
                ))
            } else {
                CredentialsError::provider_error(format!("cvm role: request to {url} failed"))
            }
        })?;
        let status = response.status();
        if status == reqwest::StatusCode::NOT_FOUND {
            return Err(CredentialsError::not_loaded(
                "cvm role: no role is bound to this instance",
            ));
        }
        if !status.is_success() {
            return Err(CredentialsError::provider_error(format!(
                "cvm role: metadata service answered HTTP {}",
                status.as_u16()
            )));
        }
        response.text().await.map_err(|_| {
            CredentialsError::provider_error("cvm role: failed to read the metadata reply")
        })
    }

    async fn role(&self) -> Result<String, CredentialsError> {
        if let Some(role) = &self.role_name {
            return Ok(role.clone());
        }
        let listing = self.get(&format!("{}{ROLE_PATH}", self.base_url)).await?;
        listing
            .lines()
            .map(str::trim)
            .find(|line| !line.is_empty())
            .map(str::to_owned)
            .ok_or_else(|| {
                CredentialsError::not_loaded("cvm role: no role is bound to this instance")
            })
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let role = self.role().await?;
        if role.contains(['/', '?', '#']) {
            return Err(CredentialsError::provider_error(
                "cvm role: the role name contains URL delimiters",
            ));
        }
        let body = self
            .get(&format!("{}{ROLE_PATH}{role}", self.base_url))
            .await?;
        let doc: RoleCredentials = serde_json::from_str(&body).map_err(|e| {
            // Never echo the document: it holds secrets.
            CredentialsError::provider_error(format!(
                "cvm role: unexpected credential document (line {}, column {})",
                e.line(),
                e.column()
            ))
        })?;
        if let Some(code) = doc.code.as_deref().filter(|c| *c != "Success") {
            return Err(CredentialsError::provider_error(format!(
                "cvm role: metadata service returned code {code}"
            )));
        }
        let (Some(id), Some(key), Some(token)) = (
            doc.tmp_secret_id.filter(|s| !s.is_empty()),
            doc.tmp_secret_key.filter(|s| !s.is_empty()),
            doc.token.filter(|s| !s.is_empty()),
        ) else {
            return Err(CredentialsError::provider_error(
                "cvm role: credential document lacks TmpSecretId, TmpSecretKey or Token",
            ));
        };
        let expires_at = doc
            .expired_time
            .and_then(|secs| UNIX_EPOCH.checked_add(Duration::from_secs(secs)));
        tracing::debug!(role = %role, "loaded CVM role credentials");
        Ok(Credentials::build(
            id,
            key,
            Some(token),
            expires_at,
            "cvm-role",
        ))
    }
}

impl ProvideCredentials for CvmRoleProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.load())
    }
}
