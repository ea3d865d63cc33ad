//! Role providers against a loopback STS: `AssumeRole` (signed with the source
//! credentials) and TKE OIDC `AssumeRoleWithWebIdentity` (unsigned), their refresh under
//! virtual time, one refresh shared by concurrent callers, typed errors for bad answers,
//! timeouts, and the default chain's TKE step and role ARN wrapping.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::*;
use gaap_client::credentials::{
    AssumeRoleProvider, CredentialsErrorKind, CvmRoleProvider, DefaultChain, Env, OidcRoleProvider,
    ProvideCredentials,
};
use gaap_client::signing::{Payload, SignableRequest, Signer};
use gaap_client::{Credentials, CredentialsError};

const ROLE_ARN: &str = "qcs::cam::uin/100000000001:roleName/gaap-ops";

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// An STS whose credentials (numbered per request) live `lifetime` seconds (wall clock;
/// may be negative).
async fn sts(lifetime: Arc<AtomicI64>) -> TestServer {
    serve(move |n, _| {
        let n = n + 1;
        json(&format!(
            r#"{{"Response":{{"Credentials":{{"Token":"tok{n}","TmpSecretId":"AKIDtmp{n}","TmpSecretKey":"tmpsecretkey{n}"}},"ExpiredTime":{},"Expiration":"2030-01-01T00:00:00Z","RequestId":"sts-{n}"}}}}"#,
            now() + lifetime.load(Ordering::SeqCst)
        ))
    })
    .await
}

fn lifetime(secs: i64) -> Arc<AtomicI64> {
    Arc::new(AtomicI64::new(secs))
}

fn assume(server: &TestServer, source: Credentials) -> AssumeRoleProvider {
    AssumeRoleProvider::new(ROLE_ARN, source).endpoint(server.url())
}

fn token_file(name: &str, token: &str) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("gaap-sts-{}-{name}", std::process::id()));
    std::fs::write(&path, token).unwrap();
    path
}

/// A metadata URL where nothing listens (the CVM role step reports "not found").
async fn closed_metadata() -> CvmRoleProvider {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    CvmRoleProvider::new().base_url(format!("http://{addr}/latest/meta-data/"))
}

#[tokio::test]
async fn assume_role_signs_its_call_with_the_source_credentials() {
    let server = sts(lifetime(3600)).await;
    let source = Credentials::temporary(SECRET_ID, SECRET_KEY, "sourcetoken", None);
    let provider = assume(&server, source)
        .session_name("nightly-report")
        .duration(Duration::from_secs(900))
        .policy(r#"{"version":"2.0"}"#)
        .external_id("ext-123")
        .region("ap-singapore");
    let creds = provider.provide_credentials().await.unwrap();
    assert_eq!(creds.secret_id(), "AKIDtmp1");
    assert_eq!(creds.secret_key(), "tmpsecretkey1");
    assert_eq!(creds.token(), Some("tok1"));
    assert_eq!(creds.provider(), "sts-assume-role");
    assert!(creds.expires_at().unwrap() > SystemTime::now() + Duration::from_secs(3500));

    let req = &server.requests()[0];
    assert_eq!(req.method, "POST");
    assert_eq!(req.header("x-tc-action"), Some("AssumeRole"));
    assert_eq!(req.header("x-tc-version"), Some("2018-08-13"));
    assert_eq!(req.header("x-tc-region"), Some("ap-singapore"));
    assert_eq!(req.header("x-tc-token"), Some("sourcetoken"));
    assert_eq!(
        req.json(),
        serde_json::json!({
            "RoleArn": ROLE_ARN,
            "RoleSessionName": "nightly-report",
            "DurationSeconds": 900,
            "Policy": "%7B%22version%22%3A%222.0%22%7D",
            "ExternalId": "ext-123",
        })
    );
    // The signature is TC3 with service `sts`, over exactly what was sent.
    let timestamp: i64 = req.header("x-tc-timestamp").unwrap().parse().unwrap();
    let expected = Signer::new("sts").authorization(
        &SignableRequest {
            method: "POST",
            query: "",
            content_type: req.header("content-type").unwrap(),
            host: req.header("host").unwrap(),
            payload: Payload::Bytes(&req.body),
        },
        SECRET_ID,
        SECRET_KEY,
        timestamp,
    );
    assert_eq!(req.header("authorization"), Some(expected.as_str()));
    assert!(expected.contains("/sts/tc3_request"), "{expected}");
}

#[tokio::test(start_paused = true)]
async fn assume_role_refreshes_before_expiry_with_one_request_for_concurrent_callers() {
    let server = sts(lifetime(3600)).await;
    let provider = assume(&server, Credentials::new(SECRET_ID, SECRET_KEY));
    let all = |p: AssumeRoleProvider| async move {
        let results =
            futures_util::future::join_all((0..16).map(|_| p.provide_credentials())).await;
        results
            .into_iter()
            .map(|r| r.unwrap().secret_id().to_owned())
            .collect::<Vec<_>>()
    };
    assert!(
        all(provider.clone())
            .await
            .iter()
            .all(|id| id == "AKIDtmp1")
    );
    assert_eq!(
        server.count(),
        1,
        "16 concurrent first callers, one STS call"
    );

    tokio::time::advance(Duration::from_secs(3200)).await;
    assert!(
        all(provider.clone())
            .await
            .iter()
            .all(|id| id == "AKIDtmp1")
    );
    assert_eq!(server.count(), 1, "cached until 5 minutes before expiry");

    tokio::time::advance(Duration::from_secs(110)).await;
    assert!(
        all(provider.clone())
            .await
            .iter()
            .all(|id| id == "AKIDtmp2")
    );
    assert_eq!(server.count(), 2, "one refresh shared by 16 callers");
}

#[tokio::test(start_paused = true)]
async fn oidc_is_unsigned_rereads_the_token_file_and_refreshes() {
    let server = sts(lifetime(1200)).await;
    let file = token_file("refresh", "jwt-one\n");
    let env = Env::from_vars([
        ("TKE_REGION", "ap-hongkong"),
        ("TKE_PROVIDER_ID", "oidc-provider-1"),
        ("TKE_WEB_IDENTITY_TOKEN_FILE", file.to_str().unwrap()),
        ("TKE_ROLE_ARN", ROLE_ARN),
    ]);
    let provider = OidcRoleProvider::with_env(env).endpoint(server.url());
    let first = provider.provide_credentials().await.unwrap();
    assert_eq!(first.secret_id(), "AKIDtmp1");
    assert_eq!(first.provider(), "tke-oidc");
    std::fs::write(&file, "jwt-two").unwrap();
    // 1200 s credentials: refreshed 5 minutes before expiry, i.e. after 900 s.
    tokio::time::advance(Duration::from_secs(890)).await;
    assert_eq!(
        provider.provide_credentials().await.unwrap().secret_id(),
        "AKIDtmp1"
    );
    tokio::time::advance(Duration::from_secs(20)).await;
    let results =
        futures_util::future::join_all((0..8).map(|_| provider.provide_credentials())).await;
    assert!(
        results
            .iter()
            .all(|r| r.as_ref().unwrap().secret_id() == "AKIDtmp2")
    );
    assert_eq!(server.count(), 2);

    let reqs = server.requests();
    for req in &reqs {
        assert_eq!(req.header("authorization"), Some("SKIP"));
        assert_eq!(req.header("x-tc-action"), Some("AssumeRoleWithWebIdentity"));
        assert_eq!(req.header("x-tc-version"), Some("2018-08-13"));
        assert_eq!(req.header("x-tc-region"), Some("ap-hongkong"));
        assert_eq!(req.header("x-tc-token"), None);
        let body = req.json();
        assert_eq!(body["ProviderId"], "oidc-provider-1");
        assert_eq!(body["RoleArn"], ROLE_ARN);
        assert_eq!(body["DurationSeconds"], 7200);
        assert!(
            body["RoleSessionName"]
                .as_str()
                .unwrap()
                .starts_with("gaap-sdk-rust-")
        );
    }
    assert_eq!(reqs[0].json()["WebIdentityToken"], "jwt-one");
    assert_eq!(reqs[1].json()["WebIdentityToken"], "jwt-two");
}

async fn oidc_error(reply: &'static str) -> CredentialsError {
    let server = serve(move |_, _| json(reply)).await;
    let file = token_file("err", "jwt");
    OidcRoleProvider::new("ap-hongkong", "p", file, ROLE_ARN)
        .endpoint(server.url())
        .provide_credentials()
        .await
        .unwrap_err()
}

#[tokio::test]
async fn bad_sts_answers_are_typed_errors_naming_the_provider() {
    let err = oidc_error(
        r#"{"Response":{"Error":{"Code":"InvalidParameter.WebIdentityTokenError","Message":"token expired"},"RequestId":"r-1"}}"#,
    )
    .await;
    assert_eq!(err.kind(), CredentialsErrorKind::ProviderError);
    assert_eq!(err.provider(), Some("tke-oidc"));
    assert_eq!(err.code(), Some("InvalidParameter.WebIdentityTokenError"));
    assert_eq!(
        err.to_string(),
        "tke-oidc: STS AssumeRoleWithWebIdentity failed: InvalidParameter.WebIdentityTokenError: token expired (RequestId: r-1)"
    );

    let err = oidc_error(r#"{"Response":{"Credentials":{"TmpSecretId":"x","TmpSecretKey":"leak"},"ExpiredTime":99999999999}}"#).await;
    assert!(err.to_string().contains("malformed STS answer"), "{err}");
    assert!(!err.to_string().contains("leak"));
    let err = oidc_error("not json at all").await;
    assert!(err.to_string().contains("malformed STS answer"), "{err}");
    assert_eq!(err.provider(), Some("tke-oidc"));

    // Credentials that expired already (a wrong clock, a broken STS).
    let server = sts(lifetime(-30)).await;
    let err = assume(&server, Credentials::new(SECRET_ID, SECRET_KEY))
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.provider(), Some("sts-assume-role"));
    assert!(err.to_string().contains("expired in the past"), "{err}");
}

#[tokio::test]
async fn unreachable_and_hung_sts_fail_in_time_naming_the_provider() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let closed = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let err = AssumeRoleProvider::new(ROLE_ARN, Credentials::new(SECRET_ID, SECRET_KEY))
        .endpoint(closed)
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.provider(), Some("sts-assume-role"));
    assert!(err.to_string().contains("could not connect"), "{err}");

    let hung = serve(|_, _| Reply::Hang).await;
    let started = std::time::Instant::now();
    let err = AssumeRoleProvider::new(ROLE_ARN, Credentials::new(SECRET_ID, SECRET_KEY))
        .endpoint(hung.url())
        .timeout(Duration::from_millis(300))
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(err.provider(), Some("sts-assume-role"));
    assert!(
        err.to_string().contains("timed out") || err.to_string().contains("within"),
        "{err}"
    );
    assert!(!err.to_string().contains(SECRET_KEY));
}

#[tokio::test]
async fn the_default_chain_ends_with_tke_oidc_and_wraps_a_role_arn() {
    let home = std::env::temp_dir().join(format!("gaap-sts-home-{}", std::process::id()));
    std::fs::create_dir_all(&home).unwrap();
    let h = home.to_str().unwrap().to_owned();
    let server = sts(lifetime(3600)).await;
    let file = token_file("chain", "jwt");

    // Nothing but the TKE variables: the last step answers.
    let env = Env::from_vars([
        ("HOME", h.as_str()),
        ("TKE_REGION", "ap-hongkong"),
        ("TKE_PROVIDER_ID", "p"),
        ("TKE_WEB_IDENTITY_TOKEN_FILE", file.to_str().unwrap()),
        ("TKE_ROLE_ARN", ROLE_ARN),
    ]);
    let chain = DefaultChain::from_parts(env, closed_metadata().await).sts_endpoint(server.url());
    let creds = chain.provide_credentials().await.unwrap();
    assert_eq!(creds.provider(), "tke-oidc");

    // Static keys plus TENCENTCLOUD_ROLE_ARN: the role is assumed with the keys.
    let env = Env::from_vars([
        ("HOME", h.as_str()),
        ("TENCENTCLOUD_SECRET_ID", SECRET_ID),
        ("TENCENTCLOUD_SECRET_KEY", SECRET_KEY),
        ("TENCENTCLOUD_ROLE_ARN", ROLE_ARN),
        ("TENCENTCLOUD_ROLE_SESSION_NAME", "from-env"),
    ]);
    let chain = DefaultChain::from_parts(env, closed_metadata().await).sts_endpoint(server.url());
    let creds = chain.provide_credentials().await.unwrap();
    assert_eq!(creds.provider(), "sts-assume-role");
    let req = server.requests().pop().unwrap();
    assert_eq!(req.header("x-tc-action"), Some("AssumeRole"));
    assert_eq!(req.json()["RoleSessionName"], "from-env");
    assert!(
        req.header("authorization")
            .unwrap()
            .contains(&format!("Credential={SECRET_ID}/"))
    );

    // role_arn in the profile file does the same.
    let profile = home.join("credentials");
    std::fs::write(
        &profile,
        format!(
            "[default]\nsecret_id = {SECRET_ID}\nsecret_key = {SECRET_KEY}\nrole_arn = {ROLE_ARN}\n"
        ),
    )
    .unwrap();
    let env = Env::from_vars([
        ("HOME", h.as_str()),
        ("TENCENTCLOUD_CREDENTIALS_FILE", profile.to_str().unwrap()),
    ]);
    let chain = DefaultChain::from_parts(env, closed_metadata().await).sts_endpoint(server.url());
    assert_eq!(
        chain.provide_credentials().await.unwrap().provider(),
        "sts-assume-role"
    );

    // A TKE step that fails is named, with why, in the chain's error.
    let env = Env::from_vars([
        ("HOME", h.as_str()),
        ("TKE_REGION", "ap-hongkong"),
        ("TKE_PROVIDER_ID", "p"),
        ("TKE_WEB_IDENTITY_TOKEN_FILE", "/nonexistent/token"),
        ("TKE_ROLE_ARN", ROLE_ARN),
    ]);
    let chain = DefaultChain::from_parts(env, closed_metadata().await).sts_endpoint(server.url());
    let err = chain.provide_credentials().await.unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("tke oidc: error (web identity token"),
        "{text}"
    );
    assert!(text.contains("environment: not found"), "{text}");
}

#[tokio::test]
async fn a_client_calls_with_assumed_role_credentials() {
    let server = sts(lifetime(3600)).await;
    let api = serve(|_, _| ok("", "r")).await;
    let client = common::client(&api)
        .credentials_provider(assume(&server, Credentials::new(SECRET_ID, SECRET_KEY)))
        .build()
        .unwrap();
    client.call(CreateWidget::named("w")).await.unwrap();
    client.call(CreateWidget::named("w")).await.unwrap();
    let reqs = api.requests();
    assert!(reqs.iter().all(|r| r.header("x-tc-token") == Some("tok1")));
    assert!(
        reqs[0]
            .header("authorization")
            .unwrap()
            .contains("Credential=AKIDtmp1/")
    );
    assert_eq!(server.count(), 1);
}

#[test]
fn no_secret_in_the_debug_of_providers() {
    let source = Credentials::temporary(SECRET_ID, SECRET_KEY, "sourcetokensecret", None);
    let shown = [
        format!(
            "{:?}",
            AssumeRoleProvider::new(ROLE_ARN, source.clone()).external_id("externalsecret")
        ),
        format!(
            "{:?}",
            OidcRoleProvider::with_env(Env::from_vars([("TKE_ROLE_ARN", "x")]))
        ),
        format!("{:?}", OidcRoleProvider::new("r", "p", "/token", ROLE_ARN)),
        format!(
            "{:?}",
            DefaultChain::with_env(Env::from_vars([("TENCENTCLOUD_SECRET_KEY", SECRET_KEY)]))
        ),
    ];
    for text in shown {
        for secret in [SECRET_KEY, "sourcetokensecret", "externalsecret"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }
}

#[tokio::test]
async fn a_hung_provider_is_timed_out_by_the_chain_which_moves_on() {
    let home = std::env::temp_dir().join(format!("gaap-sts-hung-{}", std::process::id()));
    std::fs::create_dir_all(&home).unwrap();
    let h = home.to_str().unwrap().to_owned();
    let hung = serve(|_, _| Reply::Hang).await;
    let sts_server = sts(lifetime(3600)).await;
    let file = token_file("hung", "jwt");
    let env = Env::from_vars([
        ("HOME", h.as_str()),
        ("TKE_REGION", "ap-hongkong"),
        ("TKE_PROVIDER_ID", "p"),
        ("TKE_WEB_IDENTITY_TOKEN_FILE", file.to_str().unwrap()),
        ("TKE_ROLE_ARN", ROLE_ARN),
    ]);
    let metadata = CvmRoleProvider::new().base_url(format!("{}/latest/meta-data/", hung.url()));
    let chain = DefaultChain::from_parts(env, metadata)
        .sts_endpoint(sts_server.url())
        .provider_timeout(Duration::from_millis(300));
    let started = std::time::Instant::now();
    let creds = chain.provide_credentials().await.unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(creds.provider(), "tke-oidc");

    // Nothing after it: the chain's error says the CVM step timed out.
    let env = Env::from_vars([("HOME", h.as_str())]);
    let metadata = CvmRoleProvider::new().base_url(format!("{}/latest/meta-data/", hung.url()));
    let chain =
        DefaultChain::from_parts(env, metadata).provider_timeout(Duration::from_millis(300));
    let err = chain.provide_credentials().await.unwrap_err();
    assert!(
        err.to_string()
            .contains("cvm role: error (timed out after 300ms)"),
        "{err}"
    );
}
