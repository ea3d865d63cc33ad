//! [`DefaultChain`]: the official SDKs' lookup order.
//!
//! Environment variables, then the credentials file, then tccli's credential file, then the
//! CVM instance role, then a TKE workload identity (OIDC). A provider that is not
//! configured, or that failed (an unreadable file, a metadata service error, a timeout),
//! passes to the next; one that is configured but invalid stops the chain with its error,
//! so a typo is not silently replaced by other credentials. A chain that finds nothing
//! names every provider it tried and why it gave up.
//!
//! A role ARN in the environment (`TENCENTCLOUD_ROLE_ARN`, with the optional
//! `TENCENTCLOUD_ROLE_SESSION_NAME`) or in the chosen profile of the credentials file
//! (`role_arn`, `role_session_name`) is then assumed through STS with the credentials found,
//! as teco and the AWS SDKs do: the chain returns the role's temporary credentials.

use std::sync::Arc;
use std::time::Duration;

use futures_util::future::BoxFuture;

use super::sts::{ROLE_ARN, ROLE_SESSION_NAME, assume_role_once};
use super::{
    Credentials, CredentialsError, CredentialsErrorKind, CvmRoleProvider, Env, EnvProvider,
    OidcRoleProvider, ProfileFileProvider, ProvideCredentials, TccliProvider,
};

/// The longest the chain waits for one provider before moving on (each network provider
/// also has a shorter timeout of its own).
pub const DEFAULT_PROVIDER_TIMEOUT: Duration = Duration::from_secs(20);

/// Environment, profile file, tccli, CVM role, TKE OIDC: the first that is configured wins;
/// then a configured role ARN is assumed with it.
#[derive(Debug, Clone)]
pub struct DefaultChain {
    providers: Vec<(&'static str, Arc<dyn ProvideCredentials>)>,
    env: Env,
    profile: ProfileFileProvider,
    sts_endpoint: Option<String>,
    provider_timeout: Duration,
}

impl Default for DefaultChain {
    fn default() -> Self {
        Self::with_env(Env::process())
    }
}

impl DefaultChain {
    /// The chain over the process environment and the real metadata service.
    pub fn new() -> Self {
        Self::default()
    }

    /// The chain with every variable and the home directory resolved through `env`.
    pub fn with_env(env: Env) -> Self {
        Self::from_parts(env, CvmRoleProvider::new())
    }

    /// The chain with `env` and a CVM role provider of your choice (e.g. another metadata
    /// URL).
    pub fn from_parts(env: Env, cvm_role: CvmRoleProvider) -> Self {
        let profile = ProfileFileProvider::new().with_env(env.clone());
        Self {
            providers: vec![
                ("environment", Arc::new(EnvProvider::with_env(env.clone()))),
                ("profile file", Arc::new(profile.clone())),
                (
                    "tccli",
                    Arc::new(TccliProvider::new().with_env(env.clone())),
                ),
                ("cvm role", Arc::new(cvm_role)),
                (
                    "tke oidc",
                    Arc::new(OidcRoleProvider::with_env(env.clone())),
                ),
            ],
            env,
            profile,
            sts_endpoint: None,
            provider_timeout: DEFAULT_PROVIDER_TIMEOUT,
        }
    }

    /// Send the chain's STS calls (TKE OIDC, the role ARN) to this host or URL instead of
    /// `sts.tencentcloudapi.com`.
    pub fn sts_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        let endpoint = endpoint.into();
        for (name, provider) in &mut self.providers {
            if *name == "tke oidc" {
                *provider = Arc::new(
                    OidcRoleProvider::with_env(self.env.clone()).endpoint(endpoint.clone()),
                );
            }
        }
        self.sts_endpoint = Some(endpoint);
        self
    }

    /// The longest the chain waits for one provider (default 20 s); a provider that takes
    /// longer is reported as timed out and the chain moves on.
    pub fn provider_timeout(mut self, timeout: Duration) -> Self {
        self.provider_timeout = timeout;
        self
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let found = self.load_base().await?;
        let role = match self.env.get(ROLE_ARN) {
            Some(arn) => Some((arn, self.env.get(ROLE_SESSION_NAME))),
            // A profile the chain could not read names no role: the credentials another
            // step found stand (only the profile's own credentials carry its error).
            None => match self.profile.role() {
                Ok(role) => role,
                Err(error) if found.provider() == "profile" => return Err(error),
                Err(error) => {
                    tracing::debug!(%error, "profile file unreadable: no role from it");
                    None
                }
            },
        };
        let Some((role_arn, session_name)) = role else {
            return Ok(found);
        };
        tracing::debug!(role_arn = %role_arn, source = found.provider(), "assuming the configured role");
        assume_role_once(
            found,
            role_arn,
            session_name,
            self.sts_endpoint.clone(),
            self.provider_timeout.min(super::sts::DEFAULT_STS_TIMEOUT),
        )
        .await
    }

    async fn load_base(&self) -> Result<Credentials, CredentialsError> {
        let mut tried = Vec::with_capacity(self.providers.len());
        let mut failed = false;
        for (name, provider) in &self.providers {
            let outcome =
                tokio::time::timeout(self.provider_timeout, provider.provide_credentials())
                    .await
                    .unwrap_or_else(|_| {
                        Err(CredentialsError::provider_error(format!(
                            "timed out after {:?}",
                            self.provider_timeout
                        )))
                    });
            match outcome {
                Ok(credentials) => {
                    tracing::debug!(provider = name, "credentials chain resolved");
                    return Ok(credentials);
                }
                Err(err) => {
                    // Provider messages start with the provider's own name; say it once.
                    let text = err.to_string();
                    let why = text
                        .split_once(": ")
                        .filter(|(head, _)| {
                            !head.contains(' ')
                                || *head == *name
                                || err.provider().is_some_and(|p| p == *head)
                        })
                        .map_or(text.as_str(), |(_, rest)| rest);
                    match err.kind() {
                        CredentialsErrorKind::NotLoaded => {
                            tried.push(format!("{name}: not found ({why})"));
                        }
                        CredentialsErrorKind::ProviderError => {
                            failed = true;
                            tried.push(format!("{name}: error ({why})"));
                        }
                        _ => return Err(err),
                    }
                }
            }
        }
        let message = format!("no credentials found; tried {}", tried.join("; "));
        Err(if failed {
            CredentialsError::provider_error(message)
        } else {
            CredentialsError::not_loaded(message)
        })
    }

    /// Run the chain to completion from synchronous code (on a thread of its own, with its
    /// own runtime, so it also works inside an async runtime): what `Client::from_env` uses
    /// to fail fast.
    pub(crate) fn probe_blocking(&self) -> Result<Credentials, CredentialsError> {
        std::thread::scope(|scope| {
            scope
                .spawn(|| {
                    tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .map_err(|e| {
                            CredentialsError::provider_error(format!(
                                "failed to start a runtime to probe the chain: {e}"
                            ))
                        })?
                        .block_on(self.load())
                })
                .join()
                .unwrap_or_else(|_| {
                    Err(CredentialsError::provider_error(
                        "the credentials chain panicked",
                    ))
                })
        })
    }
}

impl ProvideCredentials for DefaultChain {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.load())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::env::{SECRET_ID, SECRET_KEY};

    /// A metadata URL where nothing listens: the role provider reports "not loaded".
    async fn closed_metadata() -> CvmRoleProvider {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        drop(listener);
        CvmRoleProvider::new().base_url(format!("http://{addr}/latest/meta-data/"))
    }

    fn home(name: &str) -> std::path::PathBuf {
        let dir =
            std::env::temp_dir().join(format!("gaap-client-chain-{}-{name}", std::process::id()));
        std::fs::create_dir_all(dir.join(".tencentcloud")).unwrap();
        std::fs::create_dir_all(dir.join(".tccli")).unwrap();
        dir
    }

    #[tokio::test]
    async fn order_is_env_profile_tccli() {
        let home = home("order");
        let h = home.to_str().unwrap().to_owned();
        std::fs::write(
            home.join(".tccli/default.credential"),
            r#"{"secretId": "AKIDtccli", "secretKey": "k"}"#,
        )
        .unwrap();
        let chain = DefaultChain::from_parts(
            Env::from_vars([("HOME", h.as_str())]),
            closed_metadata().await,
        );
        assert_eq!(
            chain.provide_credentials().await.unwrap().provider(),
            "tccli"
        );

        std::fs::write(
            home.join(".tencentcloud/credentials"),
            "[default]\nsecret_id = AKIDprofile\nsecret_key = k\n",
        )
        .unwrap();
        let chain = DefaultChain::from_parts(
            Env::from_vars([("HOME", h.as_str())]),
            closed_metadata().await,
        );
        assert_eq!(
            chain.provide_credentials().await.unwrap().provider(),
            "profile"
        );

        let env = Env::from_vars([
            ("HOME", h.as_str()),
            (SECRET_ID, "AKIDenv"),
            (SECRET_KEY, "k"),
        ]);
        let chain = DefaultChain::from_parts(env, closed_metadata().await);
        assert_eq!(
            chain.provide_credentials().await.unwrap().secret_id(),
            "AKIDenv"
        );
    }

    #[tokio::test]
    async fn nothing_configured_is_not_loaded_and_broken_config_stops_the_chain() {
        let home = home("empty");
        let h = home.to_str().unwrap().to_owned();
        let chain = DefaultChain::from_parts(
            Env::from_vars([("HOME", h.as_str())]),
            closed_metadata().await,
        );
        let err = chain.provide_credentials().await.unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::NotLoaded);
        assert!(err.to_string().contains("cvm role"), "{err}");

        // Half-set variables are an error even though a tccli file exists.
        std::fs::write(
            home.join(".tccli/default.credential"),
            r#"{"secretId": "AKIDtccli", "secretKey": "k"}"#,
        )
        .unwrap();
        let env = Env::from_vars([("HOME", h.as_str()), (SECRET_ID, "AKIDenv")]);
        let chain = DefaultChain::from_parts(env, closed_metadata().await);
        let err = chain.provide_credentials().await.unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
    }
}
