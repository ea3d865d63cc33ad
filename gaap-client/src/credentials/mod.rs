//! Credentials: the [`ProvideCredentials`] trait and the providers Tencent's official SDKs
//! offer.
//!
//! - [`Credentials`] itself is a static provider.
//! - [`EnvProvider`]: `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY`, `TENCENTCLOUD_TOKEN`.
//! - [`ProfileFileProvider`]: the official SDKs' INI file (`TENCENTCLOUD_CREDENTIALS_FILE`,
//!   else `~/.tencentcloud/credentials`, else `/etc/tencentcloud/credentials`).
//! - [`TccliProvider`]: tccli's `~/.tccli/<profile>.credential` (`TCCLI_PROFILE`).
//! - [`CvmRoleProvider`]: the CVM instance role from the metadata service.
//! - [`OidcRoleProvider`]: a TKE (Kubernetes) workload identity, exchanged with STS
//!   `AssumeRoleWithWebIdentity` (`TKE_REGION`, `TKE_PROVIDER_ID`,
//!   `TKE_WEB_IDENTITY_TOKEN_FILE`, `TKE_ROLE_ARN`).
//! - [`AssumeRoleProvider`]: STS `AssumeRole` on top of any other provider.
//! - [`DefaultChain`]: environment, profile file, tccli, CVM role, TKE OIDC, in that order;
//!   a role ARN in the environment (`TENCENTCLOUD_ROLE_ARN`) or the profile (`role_arn`)
//!   is then assumed with the credentials found.
//! - [`CredentialsCache`]: caches what a provider returns and refreshes temporary credentials
//!   before they expire.
//!
//! Secrets are redacted from `Debug` and zeroized on drop.

mod cache;
mod chain;
mod cvm_role;
mod env;
mod profile;
mod static_;
mod sts;
mod tccli;

use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

use futures_util::future::BoxFuture;
use zeroize::Zeroizing;

pub use cache::CredentialsCache;
pub use chain::DefaultChain;
pub use cvm_role::CvmRoleProvider;
pub use env::{Env, EnvProvider};
pub use profile::ProfileFileProvider;
pub use sts::{AssumeRoleProvider, OidcRoleProvider};
pub use tccli::TccliProvider;

/// Names of the environment variables and files the providers read.
pub mod env_vars {
    pub use super::env::{REGION, SECRET_ID, SECRET_KEY, TOKEN};
    pub use super::profile::{CREDENTIALS_FILE, SYSTEM_CREDENTIALS_FILE};
    pub use super::sts::{
        ROLE_ARN, ROLE_SESSION_NAME, TKE_PROVIDER_ID, TKE_REGION, TKE_ROLE_ARN,
        TKE_WEB_IDENTITY_TOKEN_FILE,
    };
    pub use super::tccli::TCCLI_PROFILE;
}

/// A SecretId/SecretKey pair, with the session token and expiry of temporary credentials.
///
/// Cheap to clone. `Debug` shows the SecretId only; the key and the token are zeroized when
/// the last clone is dropped.
#[derive(Clone)]
pub struct Credentials(Arc<Inner>);

struct Inner {
    secret_id: String,
    secret_key: Zeroizing<String>,
    token: Option<Zeroizing<String>>,
    expires_at: Option<SystemTime>,
    provider: &'static str,
}

impl Credentials {
    /// Long-term credentials.
    pub fn new(secret_id: impl Into<String>, secret_key: impl Into<String>) -> Self {
        Self::build(secret_id.into(), secret_key.into(), None, None, "static")
    }

    /// Temporary credentials: the token is sent as `X-TC-Token`; `expires_at` (when known)
    /// lets [`CredentialsCache`] refresh them in time.
    pub fn temporary(
        secret_id: impl Into<String>,
        secret_key: impl Into<String>,
        token: impl Into<String>,
        expires_at: Option<SystemTime>,
    ) -> Self {
        Self::build(
            secret_id.into(),
            secret_key.into(),
            Some(token.into()),
            expires_at,
            "static",
        )
    }

    pub(crate) fn build(
        secret_id: String,
        secret_key: String,
        token: Option<String>,
        expires_at: Option<SystemTime>,
        provider: &'static str,
    ) -> Self {
        Self(Arc::new(Inner {
            secret_id,
            secret_key: Zeroizing::new(secret_key),
            token: token.filter(|t| !t.is_empty()).map(Zeroizing::new),
            expires_at,
            provider,
        }))
    }

    /// The SecretId (not a secret: it is sent in every `Authorization` header).
    pub fn secret_id(&self) -> &str {
        &self.0.secret_id
    }

    /// The SecretKey.
    pub fn secret_key(&self) -> &str {
        &self.0.secret_key
    }

    /// The session token of temporary credentials.
    pub fn token(&self) -> Option<&str> {
        self.0.token.as_deref().map(String::as_str)
    }

    /// When temporary credentials expire.
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.0.expires_at
    }

    /// Which provider produced these credentials (e.g. `environment`, `cvm-role`).
    pub fn provider(&self) -> &'static str {
        self.0.provider
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("secret_id", &self.0.secret_id)
            .field("secret_key", &"** redacted **")
            .field("token", &self.0.token.as_ref().map(|_| "** redacted **"))
            .field("expires_at", &self.0.expires_at)
            .field("provider", &self.0.provider)
            .finish()
    }
}

/// Why no credentials could be provided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialsErrorKind {
    /// This source is not configured (variables unset, no file, not on CVM); a chain moves on
    /// to the next provider.
    NotLoaded,
    /// The source is configured but invalid (a file without `secret_key`, a bad profile name);
    /// a chain stops here.
    InvalidConfiguration,
    /// The source failed (I/O error, metadata service error, unexpected reply).
    ProviderError,
}

/// A credentials failure. Messages never contain secrets.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct CredentialsError {
    kind: CredentialsErrorKind,
    message: String,
    provider: Option<&'static str>,
    code: Option<String>,
}

impl CredentialsError {
    /// This source is not configured.
    pub fn not_loaded(message: impl Into<String>) -> Self {
        Self::new(CredentialsErrorKind::NotLoaded, message)
    }

    /// The source is configured but invalid.
    pub fn invalid_configuration(message: impl Into<String>) -> Self {
        Self::new(CredentialsErrorKind::InvalidConfiguration, message)
    }

    /// The source failed.
    pub fn provider_error(message: impl Into<String>) -> Self {
        Self::new(CredentialsErrorKind::ProviderError, message)
    }

    fn new(kind: CredentialsErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            provider: None,
            code: None,
        }
    }

    /// The kind of failure.
    pub fn kind(&self) -> CredentialsErrorKind {
        self.kind
    }

    /// The provider that failed (e.g. `sts-assume-role`, `tke-oidc`), when it said so.
    pub fn provider(&self) -> Option<&'static str> {
        self.provider
    }

    /// The error code of the credentials service's answer (STS `Response.Error.Code`, e.g.
    /// `AuthFailure.SecretIdNotFound`), when it answered with one.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    pub(crate) fn with_provider(mut self, provider: &'static str) -> Self {
        self.provider = Some(provider);
        self
    }

    pub(crate) fn with_code(mut self, code: impl Into<String>) -> Self {
        self.code = Some(code.into());
        self
    }
}

/// A source of credentials. Implementations must never log secrets.
pub trait ProvideCredentials: fmt::Debug + Send + Sync {
    /// Load (or fetch) credentials.
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>>;
}

impl<T: ProvideCredentials + ?Sized> ProvideCredentials for Arc<T> {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        (**self).provide_credentials()
    }
}

/// Largest credential file read (profile or tccli file), in bytes: real ones are well under
/// 1 KB, so a larger file is refused before it is read rather than read whole.
pub const MAX_CREDENTIAL_FILE_BYTES: u64 = 64 * 1024;

/// The text of a small credential file: its size is checked before reading, and at most
/// [`MAX_CREDENTIAL_FILE_BYTES`] + 1 bytes are read even if it grows meanwhile.
pub(crate) fn read_small_file(path: &std::path::Path) -> Result<String, CredentialsError> {
    use std::io::Read;
    let failed = |e: std::io::Error| {
        CredentialsError::provider_error(format!("failed to read {}: {e}", path.display()))
    };
    let too_large = || {
        CredentialsError::invalid_configuration(format!(
            "{} is larger than {MAX_CREDENTIAL_FILE_BYTES} bytes; not a credentials file",
            path.display()
        ))
    };
    let file = std::fs::File::open(path).map_err(failed)?;
    if file.metadata().map_err(failed)?.len() > MAX_CREDENTIAL_FILE_BYTES {
        return Err(too_large());
    }
    let mut text = String::new();
    file.take(MAX_CREDENTIAL_FILE_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(failed)?;
    if text.len() as u64 > MAX_CREDENTIAL_FILE_BYTES {
        return Err(too_large());
    }
    Ok(text)
}

/// Credentials with both parts present and non-empty, or `Err(not_loaded)`.
pub(crate) fn require_pair(
    source: &str,
    secret_id: Option<String>,
    secret_key: Option<String>,
) -> Result<(String, String), CredentialsError> {
    let secret_id = secret_id.filter(|s| !s.trim().is_empty());
    let secret_key = secret_key.filter(|s| !s.trim().is_empty());
    match (secret_id, secret_key) {
        (Some(id), Some(key)) => Ok((id.trim().to_owned(), key.trim().to_owned())),
        (None, None) => Err(CredentialsError::not_loaded(format!(
            "{source}: no credentials"
        ))),
        (Some(_), None) => Err(CredentialsError::invalid_configuration(format!(
            "{source}: secret id is set but secret key is missing"
        ))),
        (None, Some(_)) => Err(CredentialsError::invalid_configuration(format!(
            "{source}: secret key is set but secret id is missing"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_secrets() {
        let creds = Credentials::temporary("AKIDid", "supersecretkey", "sessiontoken", None);
        let shown = format!("{creds:?}");
        assert!(shown.contains("AKIDid"));
        assert!(!shown.contains("supersecretkey"));
        assert!(!shown.contains("sessiontoken"));
        assert!(shown.contains("redacted"));
    }

    #[test]
    fn empty_token_means_no_token() {
        let creds = Credentials::temporary("id", "key", "", None);
        assert_eq!(creds.token(), None);
    }

    #[test]
    fn pairs_must_be_complete() {
        assert_eq!(
            require_pair("x", None, None).unwrap_err().kind(),
            CredentialsErrorKind::NotLoaded
        );
        assert_eq!(
            require_pair("x", Some("id".into()), Some("  ".into()))
                .unwrap_err()
                .kind(),
            CredentialsErrorKind::InvalidConfiguration
        );
        assert_eq!(
            require_pair("x", Some(" id ".into()), Some("key".into())).unwrap(),
            ("id".to_owned(), "key".to_owned())
        );
    }
}
