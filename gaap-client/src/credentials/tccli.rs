//! tccli's credentials: `~/.tccli/<profile>.credential`, a JSON object with `secretId`,
//! `secretKey` and, for temporary credentials, `token` (and `expiresAt`, Unix seconds).
//! The profile is `TCCLI_PROFILE`, else `default`.

use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures_util::future::BoxFuture;
use serde::Deserialize;

use super::env::Env;
use super::{Credentials, CredentialsError, ProvideCredentials, require_pair};

/// Variable naming tccli's profile.
pub const TCCLI_PROFILE: &str = "TCCLI_PROFILE";

/// Reads tccli's `~/.tccli/<profile>.credential` JSON file.
#[derive(Debug, Clone, Default)]
pub struct TccliProvider {
    env: Env,
    profile: Option<String>,
}

#[derive(Deserialize)]
struct CredentialFile {
    #[serde(rename = "secretId")]
    secret_id: Option<String>,
    #[serde(rename = "secretKey")]
    secret_key: Option<String>,
    token: Option<String>,
    #[serde(rename = "expiresAt")]
    expires_at: Option<u64>,
}

impl TccliProvider {
    /// The profile named by `TCCLI_PROFILE` (else `default`), home from the process
    /// environment.
    pub fn new() -> Self {
        Self::default()
    }

    /// Read this profile regardless of `TCCLI_PROFILE`.
    pub fn profile(mut self, profile: impl Into<String>) -> Self {
        self.profile = Some(profile.into());
        self
    }

    /// Resolve `TCCLI_PROFILE` and the home directory through `env`.
    pub fn with_env(mut self, env: Env) -> Self {
        self.env = env;
        self
    }

    fn path(&self) -> Result<Option<PathBuf>, CredentialsError> {
        let profile = self
            .profile
            .clone()
            .or_else(|| self.env.get(TCCLI_PROFILE))
            .unwrap_or_else(|| "default".to_owned());
        // The profile becomes a file name: refuse anything that could leave ~/.tccli.
        if profile.contains(['/', '\\']) || profile.starts_with('.') {
            return Err(CredentialsError::invalid_configuration(format!(
                "tccli: invalid profile name {profile:?}"
            )));
        }
        Ok(self
            .env
            .home_dir()
            .map(|home| home.join(".tccli").join(format!("{profile}.credential"))))
    }

    fn load(&self) -> Result<Credentials, CredentialsError> {
        let Some(path) = self.path()?.filter(|p| p.is_file()) else {
            return Err(CredentialsError::not_loaded("tccli: no credential file"));
        };
        let text = super::read_small_file(&path)?;
        let file: CredentialFile = serde_json::from_str(&text).map_err(|e| {
            // serde_json's messages can quote values: report only the position.
            CredentialsError::invalid_configuration(format!(
                "{} is not a tccli credential file (line {}, column {})",
                path.display(),
                e.line(),
                e.column()
            ))
        })?;
        let source = format!("tccli {}", path.display());
        let (id, key) = require_pair(&source, file.secret_id, file.secret_key)
            .map_err(|e| CredentialsError::invalid_configuration(e.to_string()))?;
        let expires_at = file
            .expires_at
            .and_then(|secs| UNIX_EPOCH.checked_add(Duration::from_secs(secs)));
        if let Some(at) = expires_at
            && at <= SystemTime::now()
        {
            return Err(CredentialsError::invalid_configuration(format!(
                "{source}: the credentials have expired; run `tccli` to log in again"
            )));
        }
        Ok(Credentials::build(id, key, file.token, expires_at, "tccli"))
    }
}

impl ProvideCredentials for TccliProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move { self.load() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::CredentialsErrorKind;

    fn home(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("gaap-client-tccli-{}-{name}", std::process::id()));
        std::fs::create_dir_all(dir.join(".tccli")).unwrap();
        dir
    }

    #[tokio::test]
    async fn reads_the_profile_named_by_tccli_profile() {
        let home = home("profiles");
        std::fs::write(
            home.join(".tccli/default.credential"),
            r#"{"secretId": "AKIDtccli", "secretKey": "tcclikey"}"#,
        )
        .unwrap();
        std::fs::write(
            home.join(".tccli/work.credential"),
            r#"{"secretId": "AKIDwork", "secretKey": "workkey", "token": "worktoken", "expiresAt": 4102444800, "type": "oauth"}"#,
        )
        .unwrap();
        let h = home.to_str().unwrap();

        let p = TccliProvider::new().with_env(Env::from_vars([("HOME", h)]));
        let creds = p.provide_credentials().await.unwrap();
        assert_eq!(
            (creds.secret_id(), creds.secret_key()),
            ("AKIDtccli", "tcclikey")
        );
        assert_eq!(creds.provider(), "tccli");

        let p =
            TccliProvider::new().with_env(Env::from_vars([("HOME", h), (TCCLI_PROFILE, "work")]));
        let creds = p.provide_credentials().await.unwrap();
        assert_eq!(
            (creds.secret_id(), creds.token()),
            ("AKIDwork", Some("worktoken"))
        );
        assert!(creds.expires_at().is_some());
    }

    #[tokio::test]
    async fn missing_file_is_not_loaded_bad_names_and_files_are_errors() {
        let home = home("errors");
        std::fs::write(home.join(".tccli/bad.credential"), "{not json").unwrap();
        std::fs::write(
            home.join(".tccli/old.credential"),
            r#"{"secretId": "AKIDold", "secretKey": "oldkey", "token": "t", "expiresAt": 1000}"#,
        )
        .unwrap();
        let env = Env::from_vars([("HOME", home.to_str().unwrap())]);
        let kind = |profile: &str| {
            let p = TccliProvider::new().with_env(env.clone()).profile(profile);
            async move { p.provide_credentials().await.unwrap_err().kind() }
        };
        assert_eq!(kind("absent").await, CredentialsErrorKind::NotLoaded);
        assert_eq!(
            kind("bad").await,
            CredentialsErrorKind::InvalidConfiguration
        );
        assert_eq!(
            kind("old").await,
            CredentialsErrorKind::InvalidConfiguration
        );
        assert_eq!(
            kind("../etc/passwd").await,
            CredentialsErrorKind::InvalidConfiguration
        );
    }
}
