//! The official SDKs' credentials file: INI sections (`[default]`, named profiles) holding
//! `secret_id` and `secret_key`.
//!
//! Looked up like the official SDKs do: `TENCENTCLOUD_CREDENTIALS_FILE`, else
//! `~/.tencentcloud/credentials`, else `/etc/tencentcloud/credentials`. A `token` key, when
//! present, is used as the session token.

use std::path::PathBuf;

use futures_util::future::BoxFuture;

use super::env::Env;
use super::{Credentials, CredentialsError, ProvideCredentials, require_pair};

/// Variable naming the credentials file.
pub const CREDENTIALS_FILE: &str = "TENCENTCLOUD_CREDENTIALS_FILE";
/// The system-wide credentials file.
pub const SYSTEM_CREDENTIALS_FILE: &str = "/etc/tencentcloud/credentials";
/// The profile read unless another is chosen.
pub const DEFAULT_PROFILE: &str = "default";

/// Reads one profile of the official SDKs' INI credentials file.
#[derive(Debug, Clone)]
pub struct ProfileFileProvider {
    env: Env,
    profile: String,
    system_file: PathBuf,
}

impl Default for ProfileFileProvider {
    fn default() -> Self {
        Self {
            env: Env::process(),
            profile: DEFAULT_PROFILE.to_owned(),
            system_file: PathBuf::from(SYSTEM_CREDENTIALS_FILE),
        }
    }
}

impl ProfileFileProvider {
    /// The `[default]` profile, files found through the process environment.
    pub fn new() -> Self {
        Self::default()
    }

    /// Read the section `[profile]` instead of `[default]`.
    pub fn profile(mut self, profile: impl Into<String>) -> Self {
        self.profile = profile.into();
        self
    }

    /// Resolve `TENCENTCLOUD_CREDENTIALS_FILE` and the home directory through `env`.
    pub fn with_env(mut self, env: Env) -> Self {
        self.env = env;
        self
    }

    /// Use `path` instead of `/etc/tencentcloud/credentials` as the last fallback.
    pub fn system_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.system_file = path.into();
        self
    }

    /// The file to read, or `Ok(None)` when none exists.
    fn locate(&self) -> Result<Option<PathBuf>, CredentialsError> {
        if let Some(explicit) = self.env.get(CREDENTIALS_FILE) {
            // An explicitly named file must exist.
            let path = PathBuf::from(explicit);
            return if path.is_file() {
                Ok(Some(path))
            } else {
                Err(CredentialsError::invalid_configuration(format!(
                    "{CREDENTIALS_FILE} names {}, which is not a readable file",
                    path.display()
                )))
            };
        }
        let home = self
            .env
            .home_dir()
            .map(|home| home.join(".tencentcloud").join("credentials"));
        Ok(home
            .into_iter()
            .chain([self.system_file.clone()])
            .find(|p| p.is_file()))
    }

    fn load(&self) -> Result<Credentials, CredentialsError> {
        let Some(path) = self.locate()? else {
            return Err(CredentialsError::not_loaded(
                "profile file: no credentials file found",
            ));
        };
        let text = super::read_small_file(&path)?;
        parse(&text, &self.profile, &path)
    }

    /// `role_arn` (and `role_session_name`) of the chosen profile, when the file exists
    /// and sets one.
    pub(crate) fn role(&self) -> Result<Option<(String, Option<String>)>, CredentialsError> {
        let Some(path) = self.locate()? else {
            return Ok(None);
        };
        let text = super::read_small_file(&path)?;
        let Ok(ini) = ini::Ini::load_from_str(&text) else {
            return Ok(None);
        };
        let Some(section) = ini.section(Some(self.profile.as_str())) else {
            return Ok(None);
        };
        let field = |name: &str| {
            section
                .get(name)
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        Ok(field("role_arn").map(|arn| (arn, field("role_session_name"))))
    }
}

/// Credentials from the INI `text` of the file at `path`.
fn parse(
    text: &str,
    profile: &str,
    path: &std::path::Path,
) -> Result<Credentials, CredentialsError> {
    let ini = ini::Ini::load_from_str(text).map_err(|e| {
        CredentialsError::invalid_configuration(format!(
            "{} is not a valid INI file (line {}, column {})",
            path.display(),
            e.line,
            e.col
        ))
    })?;
    let Some(section) = ini.section(Some(profile)) else {
        let message = format!("{} has no [{profile}] profile", path.display());
        return Err(if profile == DEFAULT_PROFILE {
            CredentialsError::not_loaded(message)
        } else {
            CredentialsError::invalid_configuration(message)
        });
    };
    let field = |name: &str| section.get(name).map(str::to_owned);
    let source = format!("profile [{profile}] in {}", path.display());
    let (id, key) =
        require_pair(&source, field("secret_id"), field("secret_key")).map_err(|e| {
            // The profile exists, so a missing pair is a configuration error, not "absent".
            CredentialsError::invalid_configuration(e.to_string())
        })?;
    Ok(Credentials::build(id, key, field("token"), None, "profile"))
}

impl ProvideCredentials for ProfileFileProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move { self.load() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::CredentialsErrorKind;

    const FILE: &str = "[default]\nsecret_id = AKIDdefault\nsecret_key = defaultkey\n\n\
                        [ops]\nsecret_id = AKIDops\nsecret_key = opskey\ntoken = opstoken\n\n\
                        [broken]\nsecret_id = AKIDbroken\n";

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("gaap-client-profile-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn provider(env: Env, dir: &std::path::Path) -> ProfileFileProvider {
        ProfileFileProvider::new()
            .with_env(env)
            .system_file(dir.join("no-system-file"))
    }

    #[tokio::test]
    async fn explicit_file_default_and_named_profiles() {
        let dir = scratch("explicit");
        let file = dir.join("creds.ini");
        std::fs::write(&file, FILE).unwrap();
        let env = Env::from_vars([(CREDENTIALS_FILE, file.to_str().unwrap())]);

        let creds = provider(env.clone(), &dir)
            .provide_credentials()
            .await
            .unwrap();
        assert_eq!(
            (creds.secret_id(), creds.secret_key()),
            ("AKIDdefault", "defaultkey")
        );
        assert_eq!(creds.token(), None);

        let ops = provider(env.clone(), &dir).profile("ops");
        let creds = ops.provide_credentials().await.unwrap();
        assert_eq!(
            (creds.secret_id(), creds.token()),
            ("AKIDops", Some("opstoken"))
        );

        let broken = provider(env.clone(), &dir).profile("broken");
        let err = broken.provide_credentials().await.unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);

        let missing = provider(env, &dir).profile("nope");
        let err = missing.provide_credentials().await.unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
    }

    #[tokio::test]
    async fn home_file_then_system_file() {
        let dir = scratch("home");
        let home = dir.join("home");
        std::fs::create_dir_all(home.join(".tencentcloud")).unwrap();
        let system = dir.join("system-credentials");
        std::fs::write(
            &system,
            "[default]\nsecret_id=AKIDsystem\nsecret_key=systemkey\n",
        )
        .unwrap();
        let env = Env::from_vars([("HOME", home.to_str().unwrap())]);
        let p = ProfileFileProvider::new()
            .with_env(env)
            .system_file(&system);

        // No home file yet: the system file is used.
        assert_eq!(
            p.provide_credentials().await.unwrap().secret_id(),
            "AKIDsystem"
        );

        std::fs::write(home.join(".tencentcloud/credentials"), FILE).unwrap();
        assert_eq!(
            p.provide_credentials().await.unwrap().secret_id(),
            "AKIDdefault"
        );
    }

    #[tokio::test]
    async fn no_file_is_not_loaded_but_a_missing_explicit_file_is_an_error() {
        let dir = scratch("none");
        let p = provider(Env::from_vars([("HOME", dir.to_str().unwrap())]), &dir);
        assert_eq!(
            p.provide_credentials().await.unwrap_err().kind(),
            CredentialsErrorKind::NotLoaded
        );
        let explicit = Env::from_vars([(CREDENTIALS_FILE, dir.join("absent").to_str().unwrap())]);
        assert_eq!(
            provider(explicit, &dir)
                .provide_credentials()
                .await
                .unwrap_err()
                .kind(),
            CredentialsErrorKind::InvalidConfiguration
        );
    }

    #[test]
    fn invalid_ini_is_reported_without_content() {
        let err = parse(
            "[default\nsecret_key = s3cr3t",
            "default",
            std::path::Path::new("f"),
        )
        .unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert!(!err.to_string().contains("s3cr3t"));
    }
}
