//! Client settings: endpoint, region, language, timeouts, retry and rate-limit settings, and
//! the [`ClientBuilder`] that assembles them (also from the environment).
//!
//! Endpoints: a bare host (`gaap.intl.tencentcloudapi.com`) means HTTPS; a URL may use
//! `http://` (local emulators). The `Host` header, and so the signed host, is `host[:port]`
//! as it is sent on the wire (default ports are omitted).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

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
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}***{}", &rest[at..]),
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

    /// Check the settings and build the client.
    pub fn build(self) -> Result<crate::Client, ConfigError> {
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
        };
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
