//! The API keys the emulator accepts. Secret keys never appear in `Debug` output or logs.

use std::collections::HashMap;
use std::fmt;

/// SecretId accepted when no credential is configured.
pub const DEFAULT_SECRET_ID: &str = "AKIDMOCK00000000000000000000000000";
/// SecretKey of [`DEFAULT_SECRET_ID`].
pub const DEFAULT_SECRET_KEY: &str = "mockSecretKey000000000000000000000";

/// SecretId to SecretKey.
#[derive(Clone, Default)]
pub struct Credentials {
    keys: HashMap<String, String>,
}

impl Credentials {
    /// Accept `secret_id` signed with `secret_key` (replacing an earlier key of that id).
    pub fn insert(&mut self, secret_id: impl Into<String>, secret_key: impl Into<String>) {
        self.keys.insert(secret_id.into(), secret_key.into());
    }

    /// The key of `secret_id`, if it is configured.
    pub fn key(&self, secret_id: &str) -> Option<&str> {
        self.keys.get(secret_id).map(String::as_str)
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
    }
}
