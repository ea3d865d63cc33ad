//! Environment variables: the names Tencent's own tools read, and [`Env`], a snapshot-able
//! view of the environment so providers can be tested without touching the process
//! environment.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use futures_util::future::BoxFuture;

use super::{Credentials, CredentialsError, ProvideCredentials, require_pair};

/// SecretId variable read by tccli and the official SDKs.
pub const SECRET_ID: &str = "TENCENTCLOUD_SECRET_ID";
/// SecretKey variable read by tccli and the official SDKs.
pub const SECRET_KEY: &str = "TENCENTCLOUD_SECRET_KEY";
/// Session token variable (temporary credentials).
pub const TOKEN: &str = "TENCENTCLOUD_TOKEN";
/// Region variable, as tccli reads it.
pub const REGION: &str = "TENCENTCLOUD_REGION";

/// Where environment variables come from: the process, or a fixed map (tests, embedding).
#[derive(Clone, Default)]
pub struct Env {
    fixed: Option<Arc<HashMap<String, String>>>,
}

impl std::fmt::Debug for Env {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Values may be secrets: show only where they come from.
        f.write_str(if self.fixed.is_some() {
            "Env(fixed)"
        } else {
            "Env(process)"
        })
    }
}

impl Env {
    /// The process environment, read at each lookup.
    pub fn process() -> Self {
        Self::default()
    }

    /// A fixed set of variables; nothing is read from the process.
    pub fn from_vars<K: Into<String>, V: Into<String>>(
        vars: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        Self {
            fixed: Some(Arc::new(
                vars.into_iter()
                    .map(|(k, v)| (k.into(), v.into()))
                    .collect(),
            )),
        }
    }

    /// The variable's value; unset, empty and non-UTF-8 values are `None`.
    pub fn get(&self, name: &str) -> Option<String> {
        let value = match &self.fixed {
            Some(map) => map.get(name).cloned(),
            None => std::env::var(name).ok(),
        };
        value.filter(|v| !v.is_empty())
    }

    /// The user's home directory (`HOME`, or `USERPROFILE` on Windows).
    pub fn home_dir(&self) -> Option<PathBuf> {
        self.get("HOME")
            .or_else(|| self.get("USERPROFILE"))
            .map(PathBuf::from)
    }
}

/// Reads `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY` and the optional
/// `TENCENTCLOUD_TOKEN` at each call.
#[derive(Debug, Clone, Default)]
pub struct EnvProvider {
    env: Env,
}

impl EnvProvider {
    /// Reads the process environment.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads `env` instead of the process environment.
    pub fn with_env(env: Env) -> Self {
        Self { env }
    }

    fn load(&self) -> Result<Credentials, CredentialsError> {
        let (id, key) = require_pair(
            "environment",
            self.env.get(SECRET_ID),
            self.env.get(SECRET_KEY),
        )?;
        Ok(Credentials::build(
            id,
            key,
            self.env.get(TOKEN),
            None,
            "environment",
        ))
    }
}

impl ProvideCredentials for EnvProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move { self.load() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::CredentialsErrorKind;

    #[tokio::test]
    async fn reads_id_key_and_token() {
        let env = Env::from_vars([
            (SECRET_ID, "AKIDenv"),
            (SECRET_KEY, "envkey"),
            (TOKEN, "envtoken"),
        ]);
        let creds = EnvProvider::with_env(env)
            .provide_credentials()
            .await
            .unwrap();
        assert_eq!(creds.secret_id(), "AKIDenv");
        assert_eq!(creds.secret_key(), "envkey");
        assert_eq!(creds.token(), Some("envtoken"));
        assert_eq!(creds.provider(), "environment");
    }

    #[tokio::test]
    async fn token_is_optional() {
        let env = Env::from_vars([(SECRET_ID, "AKIDenv"), (SECRET_KEY, "envkey")]);
        let creds = EnvProvider::with_env(env)
            .provide_credentials()
            .await
            .unwrap();
        assert_eq!(creds.token(), None);
    }

    #[tokio::test]
    async fn unset_is_not_loaded_and_half_set_is_invalid() {
        let none = EnvProvider::with_env(Env::from_vars::<&str, &str>([]));
        assert_eq!(
            none.provide_credentials().await.unwrap_err().kind(),
            CredentialsErrorKind::NotLoaded
        );
        let half = EnvProvider::with_env(Env::from_vars([(SECRET_ID, "AKIDenv")]));
        assert_eq!(
            half.provide_credentials().await.unwrap_err().kind(),
            CredentialsErrorKind::InvalidConfiguration
        );
    }

    #[test]
    fn debug_shows_no_values() {
        let env = Env::from_vars([(SECRET_KEY, "envkey")]);
        assert!(!format!("{:?}", EnvProvider::with_env(env)).contains("envkey"));
    }
}
