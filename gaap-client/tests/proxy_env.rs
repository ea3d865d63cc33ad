//! The proxy environment variables, honoured on purpose: `HTTP_PROXY` for a plain-HTTP
//! endpoint, `NO_PROXY` to bypass it, and `proxy_from_env(false)` to ignore them. Its own
//! test binary with a single test, because it sets the process environment.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use gaap_client::{Client, Credentials, RetryConfig};

/// A "proxy" that answers every request itself with a success envelope and records it.
async fn answering_proxy() -> TestServer {
    serve(|_, _| ok(r#""TotalCount":0"#, "via-proxy")).await
}

#[tokio::test]
async fn proxy_environment_variables() {
    let proxy = answering_proxy().await;
    let api = serve(|_, _| ok(r#""TotalCount":0"#, "direct")).await;
    // SAFETY: the only test in this binary; no other thread reads the environment here.
    unsafe {
        std::env::remove_var("NO_PROXY");
        std::env::remove_var("no_proxy");
        std::env::remove_var("REQUEST_METHOD");
        std::env::set_var("HTTP_PROXY", proxy.url());
    }
    let build = |from_env: bool| {
        Client::builder()
            .endpoint(api.url())
            .credentials(Credentials::new(SECRET_ID, SECRET_KEY))
            .retry(RetryConfig::disabled())
            .proxy_from_env(from_env)
            .build()
            .unwrap()
    };
    let via = build(true).call(ListWidgets::default()).await.unwrap();
    assert_eq!(via.request_id.as_deref(), Some("via-proxy"));
    assert_eq!(proxy.requests()[0].target, format!("{}/", api.url()));

    let direct = build(false).call(ListWidgets::default()).await.unwrap();
    assert_eq!(direct.request_id.as_deref(), Some("direct"));

    // SAFETY: as above.
    unsafe { std::env::set_var("NO_PROXY", "127.0.0.1") };
    let bypass = build(true).call(ListWidgets::default()).await.unwrap();
    assert_eq!(bypass.request_id.as_deref(), Some("direct"));
    assert_eq!(proxy.count(), 1);

    // A refusing proxy from the environment is named (password redacted) with its variable.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let closed = listener.local_addr().unwrap();
    drop(listener);
    // SAFETY: as above.
    unsafe {
        std::env::remove_var("NO_PROXY");
        std::env::set_var("HTTP_PROXY", format!("http://bob:envsecret@{closed}"));
    }
    let err = build(true).call(ListWidgets::default()).await.unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains(&format!("proxy http://***@{closed} (from HTTP_PROXY)")),
        "{text}"
    );
    assert!(!text.contains("envsecret") && !format!("{err:?}").contains("envsecret"));
}
