//! Client settings: endpoint, region, language, timeouts, retry and rate-limit settings, and
//! the [`ClientBuilder`] that assembles them (also from the environment).
//!
//! Endpoints: a bare host (`gaap.intl.tencentcloudapi.com`) means HTTPS; a URL may use
//! `http://` (local emulators). The `Host` header, and so the signed host, is `host[:port]`
//! as it is sent on the wire (default ports are omitted).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderName, HeaderValue};

use crate::credentials::{Credentials, DefaultChain, Env, ProvideCredentials};
use crate::rate_limit::RateLimitConfig;
use crate::retry::RetryConfig;

/// The service name signed into the credential scope.
pub(crate) const SERVICE: &str = gaap_model::SERVICE;
/// The API version sent as `X-TC-Version`.
pub(crate) const API_VERSION: &str = gaap_model::API_VERSION;
/// The default host.
pub(crate) const DEFAULT_ENDPOINT: &str = gaap_model::DEFAULT_ENDPOINT;

/// Variable holding an endpoint override (host or URL) for [`crate::Client::from_env`].
pub const ENDPOINT_ENV: &str = "TENCENTCLOUD_GAAP_ENDPOINT";
/// Variable holding the `X-TC-Language` value (`en-US` or `zh-CN`) for
/// [`crate::Client::from_env`].
pub const LANGUAGE_ENV: &str = "TENCENTCLOUD_LANGUAGE";
/// Variable selecting the [`Site`] (`mainland` or `international`) for
/// [`crate::Client::from_env`].
pub const SITE_ENV: &str = "TENCENTCLOUD_GAAP_SITE";
/// The international site's host.
pub const INTERNATIONAL_ENDPOINT: &str = "gaap.intl.tencentcloudapi.com";

/// Default connect timeout.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Default timeout of one attempt (the official SDKs use 60 s; GAAP answers in well under
/// a second, and long-running work such as creating a connection is asynchronous).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(15);
/// Default deadline of a whole call, across attempts and backoff: a hung server fails the
/// call after this long, well inside the 300 s window in which a signature is valid.
pub const DEFAULT_OPERATION_TIMEOUT: Duration = Duration::from_secs(30);
/// Default maximum size of a reply body, after decompression (the largest documented
/// replies, 100-item lists, are a few hundred KB).
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 4 * 1024 * 1024;

/// What the client does with a request that breaks a documented rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Validation {
    /// Refuse it before sending, with every broken rule (the default).
    #[default]
    Strict,
    /// Send it anyway, logging the broken rules through `tracing` at `warn`. Missing
    /// required fields are still refused (the request cannot be built without them).
    /// `Unknown(..)` enum values are sent as they are. The service still checks its rules.
    Warn,
    /// Send it without checking the documented rules (missing required fields aside).
    Off,
}

impl Validation {
    /// Whether broken rules stop the call.
    pub fn is_strict(self) -> bool {
        self == Validation::Strict
    }
}

/// Settings that override the client's for the calls made through
/// [`Client::with_options`](crate::Client::with_options); unset fields keep the client's.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CallOptions {
    pub(crate) validation: Option<Validation>,
    pub(crate) retry: Option<RetryConfig>,
    pub(crate) retry_writes: Option<bool>,
    pub(crate) operation_timeout: Option<Option<Duration>>,
    pub(crate) attempt_timeout: Option<Option<Duration>>,
    /// Extra headers (values marked sensitive, so `Debug` never shows them).
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    /// Why a header given to [`CallOptions::header`] was refused (reported by each call).
    pub(crate) header_error: Option<String>,
}

impl CallOptions {
    /// No overrides.
    pub fn new() -> Self {
        Self::default()
    }

    /// The validation mode of these calls.
    pub fn validation(mut self, validation: Validation) -> Self {
        self.validation = Some(validation);
        self
    }

    /// The retry settings of these calls (attempts, backoff, classifier).
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Whether these calls retry writes that are not safe to repeat (see
    /// [`RetryConfig::retry_writes`]).
    pub fn retry_writes(mut self, retry_writes: bool) -> Self {
        self.retry_writes = Some(retry_writes);
        self
    }

    /// The deadline of each of these calls, across attempts; `None` disables it.
    pub fn operation_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.operation_timeout = Some(timeout);
        self
    }

    /// The timeout of each attempt of these calls (sending and reading the reply; the
    /// connect timeout is the client's); `None` disables it.
    pub fn attempt_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// Send this extra header with these calls (after the client's
    /// [`default_header`](ClientBuilder::default_header)s, replacing one of the same
    /// name). Signed and protocol headers (`Authorization`, `Host`, `Content-Type`,
    /// `Content-Length`, `Accept-Encoding`, any `X-TC-*`...) cannot be set: such a header,
    /// or an invalid name or value, fails every call made with these options with
    /// [`SdkError::Request`](crate::SdkError::Request), before anything is sent.
    pub fn header(mut self, name: impl AsRef<str>, value: impl AsRef<str>) -> Self {
        match extra_header(name.as_ref(), value.as_ref()) {
            Ok((name, value)) => {
                self.headers.retain(|(n, _)| *n != name);
                self.headers.push((name, value));
            }
            Err(why) => self.header_error = Some(why),
        }
        self
    }
}

/// Headers the client sets itself: signed (`content-type`, `host`), computed
/// (`authorization`, `content-length`, `x-tc-*`) or needed to read the reply.
const RESERVED_HEADERS: &[&str] = &[
    "authorization",
    "host",
    "content-type",
    "content-length",
    "content-encoding",
    "transfer-encoding",
    "accept-encoding",
    "connection",
    "te",
    "upgrade",
    "expect",
    "proxy-authorization",
];

/// A user-supplied header, checked: a valid name that is not reserved, a valid value
/// (marked sensitive, so it never shows in `Debug`). Errors never repeat the value.
pub(crate) fn extra_header(name: &str, value: &str) -> Result<(HeaderName, HeaderValue), String> {
    let name = HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| format!("invalid header name {:?}", crate::error::one_line(name, 64)))?;
    let lower = name.as_str();
    if lower.starts_with("x-tc-") || RESERVED_HEADERS.contains(&lower) {
        return Err(format!(
            "the header {lower} is set by the client (signed or protocol header) and cannot be overridden"
        ));
    }
    let mut value = HeaderValue::from_str(value).map_err(|_| {
        format!("the value of header {lower} contains characters not allowed in HTTP")
    })?;
    value.set_sensitive(true);
    Ok((name, value))
}

/// Longest `X-TC-RequestClient` suffix, as the official SDKs document it.
pub const MAX_REQUEST_CLIENT_SUFFIX: usize = 128;

/// `X-TC-RequestClient`: `gaap-sdk-rust/<version>`, then `; <suffix>` when one is set.
pub(crate) fn request_client(suffix: Option<&str>) -> Result<HeaderValue, ConfigError> {
    const BASE: &str = concat!("gaap-sdk-rust/", env!("CARGO_PKG_VERSION"));
    let Some(suffix) = suffix else {
        return Ok(HeaderValue::from_static(BASE));
    };
    let ok = !suffix.is_empty()
        && suffix.len() <= MAX_REQUEST_CLIENT_SUFFIX
        && suffix
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_,;.".contains(&b));
    if !ok {
        return Err(ConfigError::new(format!(
            "invalid request client suffix {:?}: 1 to {MAX_REQUEST_CLIENT_SUFFIX} characters of 0-9 a-z A-Z - _ , ; .",
            crate::error::one_line(suffix, 160)
        )));
    }
    HeaderValue::from_str(&format!("{BASE}; {suffix}"))
        .map_err(|_| ConfigError::new("invalid request client suffix"))
}

/// Proxy and TLS settings of the HTTP transport.
#[derive(Clone, Default)]
pub(crate) struct NetworkConfig {
    /// An explicit proxy URL (may hold `user:password@`; never shown).
    pub(crate) proxy: Option<String>,
    /// Hosts that bypass the proxy (`NO_PROXY` syntax).
    pub(crate) no_proxy: Option<String>,
    /// Whether `HTTPS_PROXY` & co. are honoured (when no explicit proxy is set).
    pub(crate) env_proxy: bool,
    /// Extra trusted roots, PEM.
    pub(crate) root_certificates: Vec<Vec<u8>>,
    /// Whether the bundled web PKI roots are trusted.
    pub(crate) built_in_roots: bool,
}

impl fmt::Debug for NetworkConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NetworkConfig")
            .field("proxy", &self.proxy.as_deref().map(redact_userinfo))
            .field("no_proxy", &self.no_proxy)
            .field("env_proxy", &self.env_proxy)
            .field("root_certificates", &self.root_certificates.len())
            .field("built_in_roots", &self.built_in_roots)
            .finish()
    }
}

/// Which of Tencent Cloud's two sites the client talks to: it picks the default endpoint
/// and the default language of service messages. An explicit
/// [`ClientBuilder::endpoint`] or [`ClientBuilder::language`] still wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Site {
    /// The mainland site (cloud.tencent.com): `gaap.tencentcloudapi.com`, messages in
    /// `zh-CN`. The default: the endpoint and language the official SDKs default to, and the
    /// site of the 14 mainland-only actions.
    #[default]
    Mainland,
    /// The international site (tencentcloud.com): `gaap.intl.tencentcloudapi.com`, messages
    /// in `en-US`.
    International,
}

impl Site {
    /// The site's default host.
    pub fn endpoint(&self) -> &'static str {
        match self {
            Site::Mainland => DEFAULT_ENDPOINT,
            Site::International => INTERNATIONAL_ENDPOINT,
        }
    }

    /// The site's default language of service messages.
    pub fn language(&self) -> Language {
        match self {
            Site::Mainland => Language::ZhCn,
            Site::International => Language::EnUs,
        }
    }

    /// Parse `mainland` (`cn`) or `international` (`intl`), case-insensitive.
    pub fn parse(value: &str) -> Option<Self> {
        match value.trim().to_ascii_lowercase().as_str() {
            "mainland" | "cn" | "china" => Some(Site::Mainland),
            "international" | "intl" => Some(Site::International),
            _ => None,
        }
    }
}

/// The language of service messages (`X-TC-Language`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Language {
    /// `en-US` (the default).
    #[default]
    EnUs,
    /// `zh-CN`.
    ZhCn,
}

impl Language {
    /// The header value.
    pub fn as_str(&self) -> &'static str {
        match self {
            Language::EnUs => "en-US",
            Language::ZhCn => "zh-CN",
        }
    }

    /// Parse `en-US` or `zh-CN` (case-insensitive).
    pub fn parse(value: &str) -> Option<Self> {
        if value.eq_ignore_ascii_case("en-US") {
            Some(Language::EnUs)
        } else if value.eq_ignore_ascii_case("zh-CN") {
            Some(Language::ZhCn)
        } else {
            None
        }
    }
}

/// Where requests go: scheme, `host[:port]` and the URL built from them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    url: String,
    host: String,
}

impl Endpoint {
    /// Parse a bare host (`gaap.tencentcloudapi.com`, `127.0.0.1:8080`; HTTPS) or an
    /// `http://` / `https://` URL whose path is empty or `/`.
    pub fn parse(input: &str) -> Result<Self, ConfigError> {
        let input = input.trim();
        let with_scheme = if input.contains("://") {
            input.to_owned()
        } else {
            format!("https://{input}")
        };
        let shown = redact_userinfo(input);
        let bad = |why: &str| ConfigError::new(format!("invalid endpoint {shown:?}: {why}"));
        let url = reqwest::Url::parse(&with_scheme).map_err(|e| bad(&e.to_string()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(bad("the scheme must be http or https"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(bad(
                "credentials in the URL are not allowed (the API authenticates by signature)",
            ));
        }
        if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
            return Err(bad("the API is served at `/`; remove the path and query"));
        }
        let Some(host_name) = url.host_str() else {
            return Err(bad("no host"));
        };
        // `Url` drops default ports, exactly as the HTTP stack omits them from `Host`.
        let host = match url.port() {
            Some(port) => format!("{host_name}:{port}"),
            None => host_name.to_owned(),
        };
        Ok(Self {
            url: url.to_string(),
            host,
        })
    }

    /// The URL requests are posted to (ends with `/`).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The `Host` header value, which is also the signed host.
    pub fn host(&self) -> &str {
        &self.host
    }
}

/// `input` with any `user:password@` of its authority replaced by `***@`, so errors and
/// `Debug` never repeat a password someone put in an endpoint URL.
pub(crate) fn redact_userinfo(input: &str) -> String {
    let (scheme, rest) = match input.find("://") {
        Some(i) => input.split_at(i + 3),
        None => ("", input),
    };
    // The last `@` before a query or fragment ends the userinfo, even when an unescaped `/`
    // in a password would end the authority first (over-redacting a path is harmless,
    // showing a password is not).
    let end = rest.find(['?', '#']).unwrap_or(rest.len());
    match rest.get(..end).and_then(|head| head.rfind('@')) {
        Some(at) => format!("{scheme}***{}", rest.get(at..).unwrap_or_default()),
        None => input.to_owned(),
    }
}

/// An invalid client setting.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ConfigError {
    message: String,
}

impl ConfigError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

/// Resolved settings of a client.
#[derive(Clone)]
pub(crate) struct Config {
    pub(crate) endpoint: Endpoint,
    pub(crate) region: Option<String>,
    pub(crate) language: Language,
    pub(crate) credentials: Arc<dyn ProvideCredentials>,
    pub(crate) connect_timeout: Duration,
    pub(crate) timeout: Option<Duration>,
    pub(crate) operation_timeout: Option<Duration>,
    pub(crate) max_response_bytes: usize,
    pub(crate) validation: Validation,
    pub(crate) retry: RetryConfig,
    pub(crate) rate_limit: RateLimitConfig,
    pub(crate) default_headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) request_client: HeaderValue,
    pub(crate) network: NetworkConfig,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("language", &self.language)
            .field("credentials", &self.credentials)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("operation_timeout", &self.operation_timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("validation", &self.validation)
            .field("retry", &self.retry)
            .field("rate_limit", &self.rate_limit)
            .field("default_headers", &self.default_headers)
            .field("request_client", &self.request_client)
            .field("network", &self.network)
            .finish()
    }
}

/// Builds a [`crate::Client`]. Every setting has a default; only credentials usually need
/// setting (otherwise the [`DefaultChain`] is used).
#[derive(Clone)]
pub struct ClientBuilder {
    endpoint: Option<String>,
    region: Option<String>,
    site: Site,
    language: Option<Language>,
    credentials: Option<Arc<dyn ProvideCredentials>>,
    /// The chain `from_env` probes at `build()` (so a chain that finds nothing fails there).
    probe: Option<DefaultChain>,
    connect_timeout: Duration,
    timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
    max_response_bytes: usize,
    validation: Validation,
    retry: RetryConfig,
    rate_limit: RateLimitConfig,
    default_headers: Vec<(HeaderName, HeaderValue)>,
    header_error: Option<String>,
    request_client_suffix: Option<String>,
    network: NetworkConfig,
    #[cfg(feature = "test-util")]
    mock: Option<Arc<crate::test_util::MockTransport>>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("endpoint", &self.endpoint.as_deref().map(redact_userinfo))
            .field("region", &self.region)
            .field("site", &self.site)
            .field("language", &self.language)
            .field("credentials", &self.credentials)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("operation_timeout", &self.operation_timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("validation", &self.validation)
            .field("retry", &self.retry)
            .field("rate_limit", &self.rate_limit)
            .field("default_headers", &self.default_headers)
            .field("request_client_suffix", &self.request_client_suffix)
            .field("network", &self.network)
            .finish_non_exhaustive()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            endpoint: None,
            region: None,
            site: Site::default(),
            language: None,
            credentials: None,
            probe: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: Some(DEFAULT_TIMEOUT),
            operation_timeout: Some(DEFAULT_OPERATION_TIMEOUT),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            validation: Validation::Strict,
            retry: RetryConfig::default(),
            rate_limit: RateLimitConfig::default(),
            default_headers: Vec::new(),
            header_error: None,
            request_client_suffix: None,
            network: NetworkConfig {
                env_proxy: true,
                built_in_roots: true,
                ..NetworkConfig::default()
            },
            #[cfg(feature = "test-util")]
            mock: None,
        }
    }
}

impl ClientBuilder {
    /// A builder with default settings.
    pub fn new() -> Self {
        Self::default()
    }

    /// Settings from the environment: credentials from the [`DefaultChain`], region from
    /// `TENCENTCLOUD_REGION`, site from `TENCENTCLOUD_GAAP_SITE`, endpoint from
    /// `TENCENTCLOUD_GAAP_ENDPOINT`, language from `TENCENTCLOUD_LANGUAGE`.
    pub fn from_env() -> Self {
        Self::from_env_vars(Env::process())
    }

    /// [`ClientBuilder::from_env`] reading `env` instead of the process environment.
    pub fn from_env_vars(env: Env) -> Self {
        let chain = DefaultChain::with_env(env.clone());
        let mut builder = Self::new().credentials_provider(chain.clone());
        builder.probe = Some(chain);
        builder.region = env.get(crate::credentials::env_vars::REGION);
        builder.endpoint = env.get(ENDPOINT_ENV);
        if let Some(site) = env.get(SITE_ENV).as_deref().and_then(Site::parse) {
            builder.site = site;
        }
        if let Some(language) = env.get(LANGUAGE_ENV).as_deref().and_then(Language::parse) {
            builder.language = Some(language);
        }
        builder
    }

    /// Which site to talk to (default [`Site::Mainland`]): its endpoint and language are the
    /// defaults of [`ClientBuilder::endpoint`] and [`ClientBuilder::language`].
    pub fn site(mut self, site: Site) -> Self {
        self.site = site;
        self
    }

    /// Send requests to this host or URL instead of the [`Site`]'s, e.g.
    /// `gaap.ap-guangzhou.tencentcloudapi.com` or `http://127.0.0.1:8080` (an emulator).
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// Send `X-TC-Region` (GAAP does not need one).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into()).filter(|r: &String| !r.is_empty());
        self
    }

    /// The language of service messages (default: the [`Site`]'s, `zh-CN` on the mainland
    /// site, `en-US` on the international site).
    pub fn language(mut self, language: Language) -> Self {
        self.language = Some(language);
        self
    }

    /// Use these static credentials.
    pub fn credentials(self, credentials: Credentials) -> Self {
        self.credentials_provider(credentials)
    }

    /// Use this credentials provider (it is wrapped in a
    /// [`CredentialsCache`](crate::credentials::CredentialsCache)).
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.credentials = Some(Arc::new(provider));
        self.probe = None;
        self
    }

    /// Use this credential chain, probing it at [`build`](Self::build) like
    /// [`from_env`](Self::from_env) does (e.g. a chain with another metadata URL).
    pub fn default_chain(mut self, chain: DefaultChain) -> Self {
        self.credentials = Some(Arc::new(chain.clone()));
        self.probe = Some(chain);
        self
    }

    /// Connect timeout (default 5 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Whole-request timeout, per attempt (default 15 s); `None` disables it.
    pub fn timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeout = timeout;
        self
    }

    /// Deadline of a whole call, across attempts and backoff (default 30 s); `None`
    /// disables it.
    pub fn operation_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.operation_timeout = timeout;
        self
    }

    /// Largest reply body accepted, after decompression (default 4 MiB); a larger one
    /// fails the call with [`ResponseErrorKind::TooLarge`](crate::ResponseErrorKind).
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// What to do with a request that breaks a documented rule (default:
    /// [`Validation::Strict`]).
    pub fn validation(mut self, validation: Validation) -> Self {
        self.validation = validation;
        self
    }

    /// Retry settings (default: 3 attempts, exponential backoff with full jitter).
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self
    }

    /// Client-side rate limiting (default: each action's documented limit, else 20/s).
    pub fn rate_limit(mut self, rate_limit: RateLimitConfig) -> Self {
        self.rate_limit = rate_limit;
        self
    }

    /// Send this header with every call (a per-call
    /// [`CallOptions::header`] of the same name replaces it). Signed and protocol headers
    /// (`Authorization`, `Host`, `Content-Type`, `Content-Length`, `Accept-Encoding`, any
    /// `X-TC-*`...) cannot be set: [`build`](Self::build) fails. Values never appear in
    /// `Debug`.
    pub fn default_header(mut self, name: impl AsRef<str>, value: impl AsRef<str>) -> Self {
        match extra_header(name.as_ref(), value.as_ref()) {
            Ok((name, value)) => {
                self.default_headers.retain(|(n, _)| *n != name);
                self.default_headers.push((name, value));
            }
            Err(why) => self.header_error = Some(why),
        }
        self
    }

    /// Append `; <suffix>` to `X-TC-RequestClient` (`gaap-sdk-rust/<version>`), e.g. your
    /// application's name: 1 to 128 characters of `0-9 a-z A-Z - _ , ; .` (the charset
    /// Tencent's SDKs document), checked by [`build`](Self::build).
    pub fn request_client_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.request_client_suffix = Some(suffix.into());
        self
    }

    /// Send every request through this HTTP proxy (`http://[user:password@]host:port`, or
    /// `https://...` for TLS to the proxy). HTTPS endpoints are tunnelled with `CONNECT`;
    /// plain-HTTP endpoints are forwarded. The password is sent as `Proxy-Authorization:
    /// Basic` and never shown in `Debug` or errors. An explicit proxy replaces the
    /// environment variables.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.network.proxy = Some(url.into());
        self
    }

    /// Hosts that bypass the proxy, in `NO_PROXY` syntax: comma-separated host names
    /// (`example.com` also matches its subdomains), IP addresses and CIDR blocks, or `*`.
    /// Applies to [`proxy`](Self::proxy); with proxies from the environment, `NO_PROXY`
    /// itself is read.
    pub fn no_proxy(mut self, hosts: impl Into<String>) -> Self {
        self.network.no_proxy = Some(hosts.into());
        self
    }

    /// Whether to honour the proxy environment variables when no [`proxy`](Self::proxy)
    /// is set (default `true`): `HTTPS_PROXY`/`https_proxy` for HTTPS endpoints,
    /// `HTTP_PROXY`/`http_proxy` for plain-HTTP ones (ignored when `REQUEST_METHOD` is set,
    /// i.e. under CGI), `ALL_PROXY`/`all_proxy` for both, and `NO_PROXY`/`no_proxy`. Those
    /// are the only variables the transport reads; `false` connects directly.
    pub fn proxy_from_env(mut self, honour: bool) -> Self {
        self.network.env_proxy = honour;
        self
    }

    /// Also trust the certificate authorities in this PEM bundle (one or more
    /// `BEGIN CERTIFICATE` blocks), e.g. a corporate TLS-inspecting proxy's CA. Checked by
    /// [`build`](Self::build).
    pub fn add_root_certificates_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.network.root_certificates.push(pem.into());
        self
    }

    /// Whether the bundled Mozilla roots (webpki-roots) are trusted (default `true`);
    /// `false` trusts only [`add_root_certificates_pem`](Self::add_root_certificates_pem).
    pub fn tls_built_in_roots(mut self, trust: bool) -> Self {
        self.network.built_in_roots = trust;
        self
    }

    /// Send nothing over the network: every attempt goes to `mock`, after the client's real
    /// validation, rate limiting and signing, and its reply is decoded and retried as a
    /// real one would be (see [`crate::test_util`]).
    #[cfg(feature = "test-util")]
    pub fn mock_transport(mut self, mock: Arc<crate::test_util::MockTransport>) -> Self {
        self.mock = Some(mock);
        self
    }

    /// Build a [`blocking::Client`](crate::blocking::Client): the same client on a
    /// runtime of its own, for code without `async`.
    #[cfg(feature = "blocking")]
    pub fn build_blocking(self) -> Result<crate::blocking::Client, ConfigError> {
        crate::blocking::Client::new(self.build()?)
    }

    /// Check the settings and build the client.
    pub fn build(self) -> Result<crate::Client, ConfigError> {
        if let Some(why) = &self.header_error {
            return Err(ConfigError::new(why.clone()));
        }
        let request_client = request_client(self.request_client_suffix.as_deref())?;
        let endpoint = Endpoint::parse(self.endpoint.as_deref().unwrap_or(self.site.endpoint()))?;
        if let Some(region) = &self.region
            && !region
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(ConfigError::new(format!("invalid region {region:?}")));
        }
        let credentials = self
            .credentials
            .unwrap_or_else(|| Arc::new(DefaultChain::new()));
        let config = Config {
            endpoint,
            region: self.region,
            language: self.language.unwrap_or(self.site.language()),
            credentials,
            connect_timeout: self.connect_timeout,
            timeout: self.timeout,
            operation_timeout: self.operation_timeout,
            max_response_bytes: self.max_response_bytes,
            validation: self.validation,
            retry: self.retry.normalized(),
            rate_limit: self.rate_limit,
            default_headers: self.default_headers,
            request_client,
            network: self.network,
        };
        #[cfg(feature = "test-util")]
        let client = match self.mock {
            Some(mock) => crate::client::Client::from_config_with_mock(config, mock)?,
            None => crate::client::Client::from_config(config)?,
        };
        #[cfg(not(feature = "test-util"))]
        let client = crate::client::Client::from_config(config)?;
        if let Some(chain) = self.probe {
            // `from_env`: find the credentials now, so a chain that finds nothing fails
            // here (naming every provider and why it gave up), and seed the cache.
            let credentials = chain
                .probe_blocking()
                .map_err(|e| ConfigError::new(format!("no usable credentials: {e}")))?;
            client.seed_credentials(credentials);
        }
        Ok(client)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_hosts_are_https_and_urls_keep_their_scheme_and_port() {
        let e = Endpoint::parse("gaap.intl.tencentcloudapi.com").unwrap();
        assert_eq!(e.url(), "https://gaap.intl.tencentcloudapi.com/");
        assert_eq!(e.host(), "gaap.intl.tencentcloudapi.com");

        let e = Endpoint::parse("http://127.0.0.1:18080").unwrap();
        assert_eq!(e.url(), "http://127.0.0.1:18080/");
        assert_eq!(e.host(), "127.0.0.1:18080");

        let e = Endpoint::parse("127.0.0.1:18080").unwrap();
        assert_eq!(e.url(), "https://127.0.0.1:18080/");

        // Default ports are not sent in `Host`, so they are not signed either.
        assert_eq!(
            Endpoint::parse("https://GAAP.example.com:443/")
                .unwrap()
                .host(),
            "gaap.example.com"
        );
        assert_eq!(
            Endpoint::parse("http://[::1]:8080").unwrap().host(),
            "[::1]:8080"
        );
    }

    #[test]
    fn bad_endpoints_are_rejected() {
        for bad in [
            "ftp://x",
            "http://x/path",
            "http://u:p@x",
            "http://x/?a=1",
            "http://",
            "",
        ] {
            assert!(Endpoint::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn languages_parse() {
        assert_eq!(Language::parse("zh-cn"), Some(Language::ZhCn));
        assert_eq!(Language::parse("en-US"), Some(Language::EnUs));
        assert_eq!(Language::parse("fr-FR"), None);
        assert_eq!(Language::default().as_str(), "en-US");
    }

    #[test]
    fn from_env_reads_region_endpoint_and_language() {
        let env = Env::from_vars([
            ("TENCENTCLOUD_REGION", "ap-hongkong"),
            (ENDPOINT_ENV, "http://127.0.0.1:9"),
            (LANGUAGE_ENV, "zh-CN"),
        ]);
        let b = ClientBuilder::from_env_vars(env);
        assert_eq!(b.region.as_deref(), Some("ap-hongkong"));
        assert_eq!(b.endpoint.as_deref(), Some("http://127.0.0.1:9"));
        assert_eq!(b.language, Some(Language::ZhCn));
    }

    /// The endpoint and language a builder ends up with.
    fn resolved(b: ClientBuilder) -> (String, Language) {
        let b = b.credentials(Credentials::new("id", "key"));
        let client = b.build().unwrap_or_else(|e| panic!("{e}"));
        let config = client.config();
        (format!("{:?}", config.endpoint), config.language)
    }

    #[test]
    fn userinfo_with_a_slash_is_redacted() {
        let shown = redact_userinfo("http://user:p/ss@proxy:3128");
        assert!(
            !shown.contains("p/ss") && !shown.contains("user"),
            "{shown}"
        );
        assert_eq!(shown, "http://***@proxy:3128");
        assert_eq!(
            redact_userinfo("https://gaap.tencentcloudapi.com/?a=b@c"),
            "https://gaap.tencentcloudapi.com/?a=b@c"
        );
    }

    #[test]
    fn the_site_picks_endpoint_and_language_and_explicit_settings_win() {
        let (endpoint, language) = resolved(ClientBuilder::new());
        assert!(endpoint.contains("gaap.tencentcloudapi.com"), "{endpoint}");
        assert_eq!(language, Language::ZhCn);
        let (endpoint, language) = resolved(ClientBuilder::new().site(Site::International));
        assert!(
            endpoint.contains("gaap.intl.tencentcloudapi.com"),
            "{endpoint}"
        );
        assert_eq!(language, Language::EnUs);
        let (endpoint, language) = resolved(
            ClientBuilder::new()
                .site(Site::International)
                .endpoint("http://127.0.0.1:9")
                .language(Language::ZhCn),
        );
        assert!(endpoint.contains("127.0.0.1:9"), "{endpoint}");
        assert_eq!(language, Language::ZhCn);
        let env = Env::from_vars([(SITE_ENV, "international")]);
        let (endpoint, language) = resolved(ClientBuilder::from_env_vars(env));
        assert!(
            endpoint.contains("gaap.intl.tencentcloudapi.com"),
            "{endpoint}"
        );
        assert_eq!(language, Language::EnUs);
        assert_eq!(Site::parse("INTL"), Some(Site::International));
        assert_eq!(Site::parse("cn"), Some(Site::Mainland));
        assert_eq!(Site::parse("mars"), None);
    }
}
