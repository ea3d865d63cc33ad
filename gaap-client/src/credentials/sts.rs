//! Roles: temporary credentials from STS (`sts.tencentcloudapi.com`, API `2018-08-13`).
//!
//! - [`AssumeRoleProvider`]: `AssumeRole`, signed (TC3, service `sts`) with the credentials
//!   of another provider (the "source").
//! - [`OidcRoleProvider`]: `AssumeRoleWithWebIdentity` with a Kubernetes service-account
//!   token (TKE workload identity). The call is not signed (`Authorization: SKIP`), as the
//!   official SDKs send it: the token is the proof. The token file is re-read on every
//!   refresh (the kubelet rotates it).
//!
//! Both answer with `Response.Credentials.{TmpSecretId,TmpSecretKey,Token}` and
//! `Response.ExpiredTime` (Unix seconds). Both cache what STS returns and refresh it before
//! it expires (5 minutes before, or at half of a shorter lifetime), with one request in
//! flight however many callers wait ([`CredentialsCache`]). Each exchange has a timeout
//! (10 s by default, [`AssumeRoleProvider::timeout`]). An STS error, a malformed answer or
//! credentials that expire in the past are [`CredentialsError`]s naming the provider
//! ([`CredentialsError::provider`]) and, for STS errors, the code
//! ([`CredentialsError::code`]); no secret ever appears in them.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures_util::future::BoxFuture;
use gaap_wire::common::header;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use serde::Deserialize;

use super::env::Env;
use super::{Credentials, CredentialsCache, CredentialsError, ProvideCredentials};
use crate::config::Endpoint;
use crate::error::one_line;
use crate::signing::{Payload, SignableRequest, Signer};

/// The STS host.
pub const DEFAULT_STS_ENDPOINT: &str = "sts.tencentcloudapi.com";
/// The STS API version.
pub const STS_VERSION: &str = "2018-08-13";
/// The service name in the credential scope of STS calls.
pub const STS_SERVICE: &str = "sts";
/// The region sent to STS unless another is set (the official SDKs use it too).
pub const DEFAULT_STS_REGION: &str = "ap-guangzhou";
/// How long assumed-role credentials live unless set otherwise (STS's own default).
pub const DEFAULT_ROLE_DURATION: Duration = Duration::from_secs(7200);
/// The longest lifetime STS grants.
pub const MAX_ROLE_DURATION: Duration = Duration::from_secs(43_200);
/// Timeout of one STS exchange (connect, send, read the answer).
pub const DEFAULT_STS_TIMEOUT: Duration = Duration::from_secs(10);

/// Role to assume with the credentials the default chain found.
pub const ROLE_ARN: &str = "TENCENTCLOUD_ROLE_ARN";
/// Session name for [`ROLE_ARN`] (default `gaap-sdk-rust-<microseconds>`).
pub const ROLE_SESSION_NAME: &str = "TENCENTCLOUD_ROLE_SESSION_NAME";
/// TKE workload identity: the region sent to STS.
pub const TKE_REGION: &str = "TKE_REGION";
/// TKE workload identity: the OIDC identity provider's ID.
pub const TKE_PROVIDER_ID: &str = "TKE_PROVIDER_ID";
/// TKE workload identity: the file holding the service-account token.
pub const TKE_WEB_IDENTITY_TOKEN_FILE: &str = "TKE_WEB_IDENTITY_TOKEN_FILE";
/// TKE workload identity: the role to assume.
pub const TKE_ROLE_ARN: &str = "TKE_ROLE_ARN";

/// Largest STS answer read.
const MAX_REPLY_BYTES: usize = 64 * 1024;
const ASSUME_ROLE: &str = "sts-assume-role";
const OIDC: &str = "tke-oidc";

/// The HTTP side of an STS exchange, shared by both providers.
#[derive(Clone)]
struct Sts {
    endpoint: String,
    region: String,
    timeout: Duration,
    http: Option<reqwest::Client>,
}

impl fmt::Debug for Sts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sts")
            .field("endpoint", &crate::config::redact_userinfo(&self.endpoint))
            .field("region", &self.region)
            .field("timeout", &self.timeout)
            .finish()
    }
}

#[derive(Deserialize)]
struct Envelope {
    #[serde(rename = "Response")]
    response: Option<Answer>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Answer {
    credentials: Option<TmpCredentials>,
    expired_time: Option<i64>,
    error: Option<StsError>,
    request_id: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct TmpCredentials {
    tmp_secret_id: Option<String>,
    tmp_secret_key: Option<String>,
    token: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct StsError {
    code: Option<String>,
    message: Option<String>,
}

fn failed(provider: &'static str, message: impl fmt::Display) -> CredentialsError {
    CredentialsError::provider_error(format!("{provider}: {message}")).with_provider(provider)
}

fn misconfigured(provider: &'static str, message: impl fmt::Display) -> CredentialsError {
    CredentialsError::invalid_configuration(format!("{provider}: {message}"))
        .with_provider(provider)
}

impl Sts {
    fn new() -> Self {
        Self {
            endpoint: DEFAULT_STS_ENDPOINT.to_owned(),
            region: DEFAULT_STS_REGION.to_owned(),
            timeout: DEFAULT_STS_TIMEOUT,
            http: None,
        }
        .with_http()
    }

    /// (Re)build the HTTP client for the current timeout. Proxies come from the usual
    /// environment variables (`HTTPS_PROXY`, `NO_PROXY`...), as reqwest reads them.
    fn with_http(mut self) -> Self {
        self.http = reqwest::Client::builder()
            .connect_timeout(self.timeout.min(Duration::from_secs(5)))
            .timeout(self.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .ok();
        self
    }

    /// One STS call: `action` with the JSON `body`, signed with `signing` (or `SKIP`),
    /// within the timeout.
    async fn exchange(
        &self,
        provider: &'static str,
        action: &'static str,
        body: Vec<u8>,
        signing: Option<&Credentials>,
    ) -> Result<Credentials, CredentialsError> {
        let call = self.exchange_unbounded(provider, action, body, signing);
        match tokio::time::timeout(self.timeout, call).await {
            Ok(result) => result,
            Err(_) => Err(failed(
                provider,
                format!("no answer from STS within {:?}", self.timeout),
            )),
        }
    }

    async fn exchange_unbounded(
        &self,
        provider: &'static str,
        action: &'static str,
        body: Vec<u8>,
        signing: Option<&Credentials>,
    ) -> Result<Credentials, CredentialsError> {
        let endpoint = Endpoint::parse(&self.endpoint)
            .map_err(|e| misconfigured(provider, format!("STS {e}")))?;
        let url = reqwest::Url::parse(endpoint.url())
            .map_err(|_| misconfigured(provider, "invalid STS endpoint"))?;
        let http = self
            .http
            .as_ref()
            .ok_or_else(|| failed(provider, "failed to build the HTTP client"))?;
        let headers = self
            .headers(action, &endpoint, &body, signing)
            .ok_or_else(|| {
                misconfigured(
                    provider,
                    "the region or the source credentials contain characters not allowed in an HTTP header",
                )
            })?;
        let mut request = reqwest::Request::new(reqwest::Method::POST, url);
        *request.headers_mut() = headers;
        *request.body_mut() = Some(body.into());
        let mut response = http.execute(request).await.map_err(|e| {
            let what = if e.is_timeout() {
                "timed out"
            } else if e.is_connect() {
                "could not connect"
            } else {
                "failed"
            };
            failed(
                provider,
                format!(
                    "STS request to {} {what}",
                    crate::config::redact_userinfo(endpoint.url())
                ),
            )
        })?;
        let status = response.status().as_u16();
        let reply = crate::transport::read_capped(&mut response, MAX_REPLY_BYTES)
            .await
            .map_err(|e| match e {
                crate::transport::CappedReadError::TooLarge { .. } => failed(
                    provider,
                    format!("STS answer larger than {MAX_REPLY_BYTES} bytes"),
                ),
                crate::transport::CappedReadError::Failed { .. } => {
                    failed(provider, "STS answer cut off")
                }
            })?;
        parse_answer(provider, action, status, &reply)
    }

    fn headers(
        &self,
        action: &'static str,
        endpoint: &Endpoint,
        body: &[u8],
        signing: Option<&Credentials>,
    ) -> Option<HeaderMap> {
        let timestamp = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        let mut headers = HeaderMap::with_capacity(8);
        let name = HeaderName::from_static;
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        headers.insert(name(header::ACTION), HeaderValue::from_static(action));
        headers.insert(name(header::VERSION), HeaderValue::from_static(STS_VERSION));
        headers.insert(name(header::TIMESTAMP), HeaderValue::from(timestamp));
        headers.insert(
            name(header::REGION),
            HeaderValue::from_str(&self.region).ok()?,
        );
        headers.insert(
            name(header::REQUEST_CLIENT),
            HeaderValue::from_static(concat!("gaap-sdk-rust/", env!("CARGO_PKG_VERSION"))),
        );
        let authorization = match signing {
            Some(source) => {
                let signable = SignableRequest {
                    method: "POST",
                    query: "",
                    content_type: "application/json",
                    host: endpoint.host(),
                    payload: Payload::Bytes(body),
                };
                if let Some(token) = source.token() {
                    let mut value = HeaderValue::from_str(token).ok()?;
                    value.set_sensitive(true);
                    headers.insert(name(header::TOKEN), value);
                }
                Signer::new(STS_SERVICE).authorization(
                    &signable,
                    source.secret_id(),
                    source.secret_key(),
                    timestamp,
                )
            }
            None => "SKIP".to_owned(),
        };
        let mut value = HeaderValue::from_str(&authorization).ok()?;
        value.set_sensitive(true);
        headers.insert(AUTHORIZATION, value);
        Some(headers)
    }
}

/// Credentials out of an STS answer, or why there are none. Never echoes the body (it
/// holds secrets).
fn parse_answer(
    provider: &'static str,
    action: &str,
    status: u16,
    body: &[u8],
) -> Result<Credentials, CredentialsError> {
    let envelope: Envelope = serde_json::from_slice(body).map_err(|e| {
        failed(
            provider,
            format!(
                "malformed STS answer (HTTP {status}; not JSON at line {}, column {})",
                e.line(),
                e.column()
            ),
        )
    })?;
    let Some(answer) = envelope.response else {
        return Err(failed(
            provider,
            format!("malformed STS answer (HTTP {status}; no `Response` object)"),
        ));
    };
    let request_id = answer
        .request_id
        .as_deref()
        .map(|id| format!(" (RequestId: {})", one_line(id, 128)))
        .unwrap_or_default();
    if let Some(error) = answer.error {
        let code = error.code.unwrap_or_default();
        let message = error.message.unwrap_or_default();
        return Err(failed(
            provider,
            format!(
                "STS {action} failed: {}: {}{request_id}",
                one_line(&code, 128),
                one_line(&message, 512)
            ),
        )
        .with_code(code));
    }
    if status != 200 {
        return Err(failed(
            provider,
            format!("STS answered HTTP {status}{request_id}"),
        ));
    }
    let (Some(id), Some(key), Some(token)) = answer
        .credentials
        .map(|c| {
            (
                c.tmp_secret_id.filter(|s| !s.is_empty()),
                c.tmp_secret_key.filter(|s| !s.is_empty()),
                c.token.filter(|s| !s.is_empty()),
            )
        })
        .unwrap_or((None, None, None))
    else {
        return Err(failed(
            provider,
            format!(
                "malformed STS answer: Credentials lacks TmpSecretId, TmpSecretKey or Token{request_id}"
            ),
        ));
    };
    let Some(expired) = answer.expired_time else {
        return Err(failed(
            provider,
            format!("malformed STS answer: no ExpiredTime{request_id}"),
        ));
    };
    let expires_at = u64::try_from(expired)
        .ok()
        .and_then(|secs| UNIX_EPOCH.checked_add(Duration::from_secs(secs)))
        .unwrap_or(UNIX_EPOCH);
    if expires_at <= SystemTime::now() {
        return Err(failed(
            provider,
            format!(
                "STS returned credentials that expired in the past (ExpiredTime {expired}); is the clock right?{request_id}"
            ),
        ));
    }
    tracing::debug!(provider, "STS issued temporary credentials");
    Ok(Credentials::build(
        id,
        key,
        Some(token),
        Some(expires_at),
        provider,
    ))
}

/// A role session name: `gaap-sdk-rust-<microseconds since the epoch>`.
fn default_session_name() -> String {
    let micros = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_micros());
    format!("gaap-sdk-rust-{micros}")
}

/// STS accepts session names of 2 to 128 characters of `[A-Za-z0-9_+=,.@-]`.
fn check_session_name(provider: &'static str, name: &str) -> Result<(), CredentialsError> {
    let ok = (2..=128).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_+=,.@-".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(misconfigured(
            provider,
            format!(
                "invalid role session name {:?} (2 to 128 characters of A-Z a-z 0-9 _ + = , . @ -)",
                one_line(name, 160)
            ),
        ))
    }
}

fn check_duration(provider: &'static str, duration: Duration) -> Result<u64, CredentialsError> {
    let secs = duration.as_secs();
    if (1..=MAX_ROLE_DURATION.as_secs()).contains(&secs) {
        Ok(secs)
    } else {
        Err(misconfigured(
            provider,
            format!(
                "role duration must be between 1 s and {} s (got {secs} s)",
                MAX_ROLE_DURATION.as_secs()
            ),
        ))
    }
}

/// `text` percent-encoded (everything but `A-Za-z0-9-_.~`), as STS wants the `Policy`.
fn url_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

// ---- AssumeRole ---------------------------------------------------------------------------

/// Temporary credentials for a role, from STS `AssumeRole` signed with another provider's
/// credentials; cached and refreshed before they expire, one refresh at a time.
///
/// ```no_run
/// use gaap_client::credentials::{AssumeRoleProvider, EnvProvider};
/// let provider = AssumeRoleProvider::new("qcs::cam::uin/100000000001:roleName/gaap-ops", EnvProvider::new())
///     .session_name("nightly-report")
///     .duration(std::time::Duration::from_secs(3600));
/// let client = gaap_client::Client::builder().credentials_provider(provider).build();
/// ```
#[derive(Clone)]
pub struct AssumeRoleProvider {
    fetch: Arc<AssumeRole>,
    cache: CredentialsCache,
}

#[derive(Clone)]
struct AssumeRole {
    source: Arc<dyn ProvideCredentials>,
    role_arn: String,
    session_name: Option<String>,
    duration: Duration,
    policy: Option<String>,
    external_id: Option<String>,
    sts: Sts,
}

impl fmt::Debug for AssumeRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AssumeRole")
            .field("role_arn", &self.role_arn)
            .field("session_name", &self.session_name)
            .field("duration", &self.duration)
            .field("policy", &self.policy.as_ref().map(|_| "(set)"))
            .field(
                "external_id",
                &self.external_id.as_ref().map(|_| "** redacted **"),
            )
            .field("sts", &self.sts)
            .field("source", &self.source)
            .finish()
    }
}

impl fmt::Debug for AssumeRoleProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.fetch, f)
    }
}

impl AssumeRole {
    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let duration = check_duration(ASSUME_ROLE, self.duration)?;
        let session_name = self
            .session_name
            .clone()
            .unwrap_or_else(default_session_name);
        check_session_name(ASSUME_ROLE, &session_name)?;
        let source = self.source.provide_credentials().await.map_err(|e| {
            let error = failed(ASSUME_ROLE, format!("no source credentials: {e}"));
            match e.kind() {
                super::CredentialsErrorKind::NotLoaded => {
                    CredentialsError::not_loaded(error.to_string()).with_provider(ASSUME_ROLE)
                }
                _ => error,
            }
        })?;
        let mut body = serde_json::Map::new();
        body.insert("RoleArn".into(), self.role_arn.clone().into());
        body.insert("RoleSessionName".into(), session_name.into());
        body.insert("DurationSeconds".into(), duration.into());
        if let Some(policy) = &self.policy {
            body.insert("Policy".into(), url_encode(policy).into());
        }
        if let Some(external_id) = &self.external_id {
            body.insert("ExternalId".into(), external_id.clone().into());
        }
        let body = serde_json::to_vec(&body)
            .map_err(|_| failed(ASSUME_ROLE, "failed to encode the request"))?;
        self.sts
            .exchange(ASSUME_ROLE, "AssumeRole", body, Some(&source))
            .await
    }
}

impl ProvideCredentials for AssumeRole {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.fetch())
    }
}

impl AssumeRoleProvider {
    /// Assume `role_arn` (`qcs::cam::uin/<uin>:roleName/<name>`) with the credentials of
    /// `source` (any provider: static keys, the default chain, a CVM role...).
    pub fn new(role_arn: impl Into<String>, source: impl ProvideCredentials + 'static) -> Self {
        Self::assemble(AssumeRole {
            source: Arc::new(source),
            role_arn: role_arn.into(),
            session_name: None,
            duration: DEFAULT_ROLE_DURATION,
            policy: None,
            external_id: None,
            sts: Sts::new(),
        })
    }

    fn assemble(fetch: AssumeRole) -> Self {
        let fetch = Arc::new(fetch);
        let cache = CredentialsCache::from_arc(Arc::clone(&fetch) as Arc<dyn ProvideCredentials>);
        Self { fetch, cache }
    }

    fn with(self, change: impl FnOnce(&mut AssumeRole)) -> Self {
        let mut fetch = (*self.fetch).clone();
        change(&mut fetch);
        Self::assemble(fetch)
    }

    /// The role session name (2 to 128 characters of `[A-Za-z0-9_+=,.@-]`; default
    /// `gaap-sdk-rust-<microseconds>`).
    pub fn session_name(self, name: impl Into<String>) -> Self {
        let name = name.into();
        self.with(|f| f.session_name = Some(name))
    }

    /// How long the credentials live (1 s to 12 h; default 2 h).
    pub fn duration(self, duration: Duration) -> Self {
        self.with(|f| f.duration = duration)
    }

    /// A policy (JSON) further restricting the session; sent URL-encoded as STS asks.
    pub fn policy(self, policy: impl Into<String>) -> Self {
        let policy = policy.into();
        self.with(|f| f.policy = Some(policy))
    }

    /// The external ID the role's trust policy requires (redacted in `Debug`).
    pub fn external_id(self, external_id: impl Into<String>) -> Self {
        let external_id = external_id.into();
        self.with(|f| f.external_id = Some(external_id))
    }

    /// Another STS host or URL (default `sts.tencentcloudapi.com`; tests use loopback).
    pub fn endpoint(self, endpoint: impl Into<String>) -> Self {
        let endpoint = endpoint.into();
        self.with(|f| f.sts.endpoint = endpoint)
    }

    /// The `X-TC-Region` of the STS call (default `ap-guangzhou`).
    pub fn region(self, region: impl Into<String>) -> Self {
        let region = region.into();
        self.with(|f| f.sts.region = region)
    }

    /// Timeout of one STS exchange (default 10 s).
    pub fn timeout(self, timeout: Duration) -> Self {
        self.with(|f| {
            f.sts.timeout = timeout;
            f.sts = f.sts.clone().with_http();
        })
    }
}

impl ProvideCredentials for AssumeRoleProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.cache.credentials())
    }
}

// ---- TKE OIDC -----------------------------------------------------------------------------

/// A TKE workload identity: the pod's service-account token exchanged with STS
/// `AssumeRoleWithWebIdentity` for a role's temporary credentials; cached, refreshed before
/// they expire (re-reading the token file), one refresh at a time.
///
/// [`OidcRoleProvider::from_env`] reads `TKE_REGION`, `TKE_PROVIDER_ID`,
/// `TKE_WEB_IDENTITY_TOKEN_FILE` and `TKE_ROLE_ARN` (set by TKE's pod identity webhook) at
/// each refresh; when none is set it reports "not loaded", so the default chain moves on.
#[derive(Clone)]
pub struct OidcRoleProvider {
    fetch: Arc<Oidc>,
    cache: CredentialsCache,
}

#[derive(Clone, Debug)]
enum OidcSettings {
    Env(Env),
    Fixed(OidcParams),
}

#[derive(Clone, Debug)]
struct OidcParams {
    region: String,
    provider_id: String,
    token_file: PathBuf,
    role_arn: String,
}

#[derive(Clone, Debug)]
struct Oidc {
    settings: OidcSettings,
    session_name: Option<String>,
    duration: Duration,
    sts: Sts,
}

impl fmt::Debug for OidcRoleProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.fetch, f)
    }
}

impl Oidc {
    fn params(&self) -> Result<OidcParams, CredentialsError> {
        let env = match &self.settings {
            OidcSettings::Fixed(params) => return Ok(params.clone()),
            OidcSettings::Env(env) => env,
        };
        let names = [
            TKE_REGION,
            TKE_PROVIDER_ID,
            TKE_WEB_IDENTITY_TOKEN_FILE,
            TKE_ROLE_ARN,
        ];
        let values = names.map(|n| env.get(n));
        let missing: Vec<&str> = names
            .iter()
            .zip(&values)
            .filter(|(_, v)| v.is_none())
            .map(|(n, _)| *n)
            .collect();
        match values {
            [
                Some(region),
                Some(provider_id),
                Some(token_file),
                Some(role_arn),
            ] => Ok(OidcParams {
                region,
                provider_id,
                token_file: PathBuf::from(token_file),
                role_arn,
            }),
            _ if missing.len() == names.len() => Err(CredentialsError::not_loaded(format!(
                "{OIDC}: {} not set",
                names.join(", ")
            ))
            .with_provider(OIDC)),
            _ => Err(misconfigured(
                OIDC,
                format!(
                    "{} not set (the other TKE_* variables are)",
                    missing.join(", ")
                ),
            )),
        }
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let params = self.params()?;
        let duration = check_duration(OIDC, self.duration)?;
        let session_name = self
            .session_name
            .clone()
            .unwrap_or_else(default_session_name);
        check_session_name(OIDC, &session_name)?;
        // Re-read on every refresh: the kubelet rotates the token.
        let token = super::read_small_file(&params.token_file)
            .map_err(|e| failed(OIDC, format!("web identity token: {e}")))?;
        let token = token.trim();
        if token.is_empty() {
            return Err(misconfigured(
                OIDC,
                format!("the token file {} is empty", params.token_file.display()),
            ));
        }
        let body = serde_json::json!({
            "ProviderId": params.provider_id,
            "WebIdentityToken": token,
            "RoleArn": params.role_arn,
            "RoleSessionName": session_name,
            "DurationSeconds": duration,
        });
        let body =
            serde_json::to_vec(&body).map_err(|_| failed(OIDC, "failed to encode the request"))?;
        let mut sts = self.sts.clone();
        sts.region = params.region;
        sts.exchange(OIDC, "AssumeRoleWithWebIdentity", body, None)
            .await
    }
}

impl ProvideCredentials for Oidc {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.fetch())
    }
}

impl OidcRoleProvider {
    /// The provider over the process environment (`TKE_*`, read at each refresh).
    pub fn from_env() -> Self {
        Self::with_env(Env::process())
    }

    /// The provider over `env`.
    pub fn with_env(env: Env) -> Self {
        Self::assemble(Oidc {
            settings: OidcSettings::Env(env),
            session_name: None,
            duration: DEFAULT_ROLE_DURATION,
            sts: Sts::new(),
        })
    }

    /// The provider with explicit settings: STS `region`, the OIDC `provider_id`, the
    /// token file (re-read at each refresh) and the role.
    pub fn new(
        region: impl Into<String>,
        provider_id: impl Into<String>,
        token_file: impl Into<PathBuf>,
        role_arn: impl Into<String>,
    ) -> Self {
        Self::assemble(Oidc {
            settings: OidcSettings::Fixed(OidcParams {
                region: region.into(),
                provider_id: provider_id.into(),
                token_file: token_file.into(),
                role_arn: role_arn.into(),
            }),
            session_name: None,
            duration: DEFAULT_ROLE_DURATION,
            sts: Sts::new(),
        })
    }

    fn assemble(fetch: Oidc) -> Self {
        let fetch = Arc::new(fetch);
        let cache = CredentialsCache::from_arc(Arc::clone(&fetch) as Arc<dyn ProvideCredentials>);
        Self { fetch, cache }
    }

    fn with(self, change: impl FnOnce(&mut Oidc)) -> Self {
        let mut fetch = (*self.fetch).clone();
        change(&mut fetch);
        Self::assemble(fetch)
    }

    /// The role session name (default `gaap-sdk-rust-<microseconds>`).
    pub fn session_name(self, name: impl Into<String>) -> Self {
        let name = name.into();
        self.with(|f| f.session_name = Some(name))
    }

    /// How long the credentials live (1 s to 12 h; default 2 h).
    pub fn duration(self, duration: Duration) -> Self {
        self.with(|f| f.duration = duration)
    }

    /// Another STS host or URL (default `sts.tencentcloudapi.com`).
    pub fn endpoint(self, endpoint: impl Into<String>) -> Self {
        let endpoint = endpoint.into();
        self.with(|f| f.sts.endpoint = endpoint)
    }

    /// Timeout of one STS exchange (default 10 s).
    pub fn timeout(self, timeout: Duration) -> Self {
        self.with(|f| {
            f.sts.timeout = timeout;
            f.sts = f.sts.clone().with_http();
        })
    }
}

impl ProvideCredentials for OidcRoleProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.cache.credentials())
    }
}

/// Assume `role_arn` once with `source` (no cache: the default chain's result is cached by
/// whoever caches the chain).
pub(crate) async fn assume_role_once(
    source: Credentials,
    role_arn: String,
    session_name: Option<String>,
    endpoint: Option<String>,
    timeout: Duration,
) -> Result<Credentials, CredentialsError> {
    let mut sts = Sts::new();
    if let Some(endpoint) = endpoint {
        sts.endpoint = endpoint;
    }
    if timeout != sts.timeout {
        sts.timeout = timeout;
        sts = sts.with_http();
    }
    AssumeRole {
        source: Arc::new(source),
        role_arn,
        session_name,
        duration: DEFAULT_ROLE_DURATION,
        policy: None,
        external_id: None,
        sts,
    }
    .fetch()
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_parsed_and_bad_ones_are_typed_errors() {
        let future = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs()
            + 3600;
        let good = format!(
            r#"{{"Response":{{"Credentials":{{"Token":"tok","TmpSecretId":"AKIDtmp","TmpSecretKey":"sekrit"}},"ExpiredTime":{future},"Expiration":"x","RequestId":"r1"}}}}"#
        );
        let creds = parse_answer(OIDC, "X", 200, good.as_bytes()).unwrap();
        assert_eq!(creds.secret_id(), "AKIDtmp");
        assert_eq!(creds.provider(), OIDC);

        let error = br#"{"Response":{"Error":{"Code":"InvalidParameter.WebIdentityTokenError","Message":"bad token"},"RequestId":"r2"}}"#;
        let err = parse_answer(OIDC, "X", 200, error).unwrap_err();
        assert_eq!(err.code(), Some("InvalidParameter.WebIdentityTokenError"));
        assert_eq!(err.provider(), Some(OIDC));
        assert!(err.to_string().contains("r2"), "{err}");

        let past = good.replace(&future.to_string(), "1000");
        let err = parse_answer(OIDC, "X", 200, past.as_bytes()).unwrap_err();
        assert!(err.to_string().contains("expired in the past"), "{err}");

        for bad in [
            &b"<html>"[..],
            b"{}",
            br#"{"Response":{"Credentials":{"TmpSecretId":"a"},"ExpiredTime":99999999999}}"#,
        ] {
            let err = parse_answer(OIDC, "X", 200, bad).unwrap_err();
            assert!(err.to_string().starts_with("tke-oidc: malformed"), "{err}");
            assert!(!err.to_string().contains("sekrit"));
        }
    }

    #[test]
    fn session_names_and_durations_are_checked() {
        assert!(check_session_name(OIDC, "ok-name_1@x.y").is_ok());
        assert!(check_session_name(OIDC, "a").is_err());
        assert!(check_session_name(OIDC, "has space").is_err());
        assert!(check_session_name(OIDC, &default_session_name()).is_ok());
        assert!(check_duration(OIDC, Duration::ZERO).is_err());
        assert!(check_duration(OIDC, MAX_ROLE_DURATION + Duration::from_secs(1)).is_err());
        assert_eq!(url_encode(r#"{"a": 1}"#), "%7B%22a%22%3A%201%7D");
    }
}
