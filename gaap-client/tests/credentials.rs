//! Credential providers that need a server: the CVM role provider against a loopback
//! metadata service, refreshed before expiry under `tokio::time::pause`, and used by a client.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::*;
use gaap_client::credentials::{
    CredentialsCache, CredentialsErrorKind, CvmRoleProvider, ProvideCredentials,
};

const ROLE: &str = "gaap-operator";

/// A metadata service whose credentials (numbered per fetch) live `lifetime` seconds.
async fn metadata(lifetime: u64) -> (TestServer, Arc<AtomicU64>) {
    let fetches = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&fetches);
    let server = serve(move |_, req| match req.target.as_str() {
        "/latest/meta-data/cam/security-credentials/" => http(200, "text/plain", &format!("{ROLE}\n")),
        path if path == format!("/latest/meta-data/cam/security-credentials/{ROLE}") => {
            let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
            let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
            json(&format!(
                r#"{{"TmpSecretId":"AKIDrole{n}","TmpSecretKey":"{SECRET_KEY}","ExpiredTime":{},"Expiration":"2030-01-01T00:00:00Z","Token":"token{n}","Code":"Success"}}"#,
                now + lifetime
            ))
        }
        _ => http(404, "text/plain", "not found"),
    })
    .await;
    (server, fetches)
}

fn provider(server: &TestServer) -> CvmRoleProvider {
    CvmRoleProvider::new().base_url(format!("{}/latest/meta-data/", server.url()))
}

#[tokio::test]
async fn cvm_role_credentials_from_the_metadata_service() {
    let (server, _) = metadata(3600).await;
    let creds = provider(&server).provide_credentials().await.unwrap();
    assert_eq!(creds.secret_id(), "AKIDrole1");
    assert_eq!(creds.secret_key(), SECRET_KEY);
    assert_eq!(creds.token(), Some("token1"));
    assert_eq!(creds.provider(), "cvm-role");
    let remaining = creds
        .expires_at()
        .unwrap()
        .duration_since(SystemTime::now())
        .unwrap();
    assert!(remaining > Duration::from_secs(3500));
    assert!(!format!("{creds:?}").contains(SECRET_KEY));
    let targets: Vec<String> = server.requests().iter().map(|r| r.target.clone()).collect();
    assert_eq!(
        targets,
        [
            "/latest/meta-data/cam/security-credentials/".to_owned(),
            format!("/latest/meta-data/cam/security-credentials/{ROLE}"),
        ]
    );
}

#[tokio::test]
async fn cvm_role_failures_are_classified() {
    // No role bound: the listing is 404.
    let server = serve(|_, _| http(404, "text/plain", "")).await;
    let err = provider(&server).provide_credentials().await.unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::NotLoaded);

    // The service refuses.
    let server = serve(|n, _| {
        if n == 0 {
            http(200, "text/plain", ROLE)
        } else {
            json(r#"{"Code":"Failed"}"#)
        }
    })
    .await;
    let err = provider(&server).provide_credentials().await.unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::ProviderError);

    // A document that is not JSON is reported without echoing it.
    let server = serve(|_, _| http(200, "text/plain", "TmpSecretKey=leaked")).await;
    let err = provider(&server)
        .role_name(ROLE)
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::ProviderError);
    assert!(!err.to_string().contains("leaked"));
}

#[tokio::test(start_paused = true)]
async fn cvm_role_credentials_are_refreshed_before_expiry() {
    let (server, fetches) = metadata(7200).await;
    let cache =
        CredentialsCache::new(provider(&server)).refresh_before_expiry(Duration::from_secs(300));
    assert_eq!(cache.credentials().await.unwrap().secret_id(), "AKIDrole1");
    tokio::time::advance(Duration::from_secs(6800)).await;
    assert_eq!(cache.credentials().await.unwrap().secret_id(), "AKIDrole1");
    assert_eq!(fetches.load(Ordering::SeqCst), 1);
    // Within five minutes of expiry: refreshed, although the old ones are still valid.
    tokio::time::advance(Duration::from_secs(120)).await;
    assert_eq!(cache.credentials().await.unwrap().secret_id(), "AKIDrole2");
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_client_signs_with_role_credentials_and_sends_the_token() {
    let (metadata, _) = metadata(3600).await;
    let api = serve(|_, _| ok("", "r")).await;
    let client = common::client(&api)
        .credentials_provider(provider(&metadata))
        .build()
        .unwrap();
    client.call(CreateWidget::named("w")).await.unwrap();
    client.call(CreateWidget::named("w")).await.unwrap();
    let reqs = api.requests();
    assert!(
        reqs.iter()
            .all(|r| r.header("x-tc-token") == Some("token1"))
    );
    assert!(
        reqs[0]
            .header("authorization")
            .unwrap()
            .contains("Credential=AKIDrole1/")
    );
    // The client caches: one listing and one credentials fetch for two calls.
    assert_eq!(metadata.count(), 2);
}
