//! Static credentials: a [`Credentials`] value is its own provider.

use futures_util::future::BoxFuture;

use super::{Credentials, CredentialsError, ProvideCredentials};

impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        let creds = self.clone();
        Box::pin(async move { Ok(creds) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn static_credentials_provide_themselves() {
        let creds = Credentials::new("AKIDstatic", "key");
        let got = creds.provide_credentials().await.unwrap();
        assert_eq!(got.secret_id(), "AKIDstatic");
        assert_eq!(got.secret_key(), "key");
        assert_eq!(got.token(), None);
        assert_eq!(got.provider(), "static");
    }
}
