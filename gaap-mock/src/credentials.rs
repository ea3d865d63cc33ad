//! The API keys the emulator accepts, permanent or temporary (with an STS token). Secret keys
//! and tokens never appear in `Debug` output or logs.

use std::collections::HashMap;
use std::fmt;

/// SecretId accepted when no credential is configured.
pub const DEFAULT_SECRET_ID: &str = "AKIDMOCK00000000000000000000000000";
/// SecretKey of [`DEFAULT_SECRET_ID`].
pub const DEFAULT_SECRET_KEY: &str = "mockSecretKey000000000000000000000";

/// SecretId to SecretKey, and the token a temporary credential must present.
#[derive(Clone, Default)]
pub struct Credentials {
    keys: HashMap<String, (String, Option<String>)>,
}

/// Why a request's token was refused (`AuthFailure.TokenFailure`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenFailure {
    /// A temporary credential signed without its token.
    Missing,
    /// The token is not the one issued with the temporary credential.
    Wrong,
}

impl TokenFailure {
    /// The message the service gives.
    pub fn message(self) -> &'static str {
        match self {
            TokenFailure::Missing => {
                "The token is missing: a temporary credential must send its token (X-TC-Token or Token)."
            }
            TokenFailure::Wrong => {
                "The provided token is invalid or does not match the credential."
            }
        }
    }
}

impl Credentials {
    /// Accept `secret_id` signed with `secret_key` (replacing an earlier key of that id).
    pub fn insert(&mut self, secret_id: impl Into<String>, secret_key: impl Into<String>) {
        self.keys
            .insert(secret_id.into(), (secret_key.into(), None));
    }

    /// Accept the temporary credential `secret_id`/`secret_key`, whose requests must carry
    /// `token` (replacing an earlier key of that id).
    pub fn insert_temporary(
        &mut self,
        secret_id: impl Into<String>,
        secret_key: impl Into<String>,
        token: impl Into<String>,
    ) {
        self.keys
            .insert(secret_id.into(), (secret_key.into(), Some(token.into())));
    }

    /// The key of `secret_id`, if it is configured.
    pub fn key(&self, secret_id: &str) -> Option<&str> {
        self.keys.get(secret_id).map(|(key, _)| key.as_str())
    }

    /// Check the token a request of `secret_id` sent (`None`: none, or an empty one).
    ///
    /// A temporary credential needs exactly its token. A permanent credential ignores a token
    /// (lenient: whether the real gateway refuses one is not documented).
    pub fn check_token(&self, secret_id: &str, sent: Option<&str>) -> Result<(), TokenFailure> {
        let expected = self
            .keys
            .get(secret_id)
            .and_then(|(_, token)| token.as_deref());
        match (expected, sent.filter(|t| !t.is_empty())) {
            (None, _) => Ok(()),
            (Some(_), None) => Err(TokenFailure::Missing),
            (Some(expected), Some(sent))
                if expected.len() == sent.len()
                    && expected
                        .bytes()
                        .zip(sent.bytes())
                        .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                        == 0 =>
            {
                Ok(())
            }
            (Some(_), Some(_)) => Err(TokenFailure::Wrong),
        }
    }

    /// Whether no credential is configured.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut ids: Vec<&String> = self.keys.keys().collect();
        ids.sort();
        f.debug_struct("Credentials")
            .field("secret_ids", &ids)
            .field("secret_keys", &"<redacted>")
            .field("tokens", &"<redacted>")
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_keys() {
        let mut creds = Credentials::default();
        creds.insert("AKID1", "very-secret");
        let shown = format!("{creds:?}");
        assert!(shown.contains("AKID1"));
        assert!(!shown.contains("very-secret"));
        assert_eq!(creds.key("AKID1"), Some("very-secret"));
        assert_eq!(creds.key("AKID2"), None);
        creds.insert_temporary("AKIDTMP", "tmp-key", "the-token");
        assert!(!format!("{creds:?}").contains("the-token"));
        assert_eq!(creds.check_token("AKIDTMP", Some("the-token")), Ok(()));
        assert_eq!(
            creds.check_token("AKIDTMP", None),
            Err(TokenFailure::Missing)
        );
        assert_eq!(
            creds.check_token("AKIDTMP", Some("")),
            Err(TokenFailure::Missing)
        );
        assert_eq!(
            creds.check_token("AKIDTMP", Some("the-tokem")),
            Err(TokenFailure::Wrong)
        );
        assert_eq!(creds.check_token("AKID1", Some("anything")), Ok(()));
    }
}
