//! Per-call identity and headers: `X-TC-TraceId` (fresh per call, the same on every retry,
//! in the span and in errors), extra headers per client and per call (reserved ones
//! refused), the `X-TC-RequestClient` suffix, per-call attempt timeouts, and the generic
//! `call_action`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::*;
use gaap_client::{CallOptions, SdkError};
use serde_json::json;

fn is_uuid_v4(id: &str) -> bool {
    let parts: Vec<&str> = id.split('-').collect();
    parts.iter().map(|p| p.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && id.bytes().all(|b| b == b'-' || b.is_ascii_hexdigit())
        && parts[2].starts_with('4')
}

#[tokio::test]
async fn a_trace_id_per_call_is_kept_across_retries_and_reported_in_errors() {
    // Call 1: rate limited, then OK. Call 2: an error on every attempt.
    let server = serve(|n, _| match n {
        0 => error("RequestLimitExceeded", "slow", "r0"),
        1 => ok("", "r1"),
        _ => error("FailedOperation.WidgetBusy", "busy", "r2"),
    })
    .await;
    let client = common::client(&server).build().unwrap();
    client.call(CreateWidget::named("w")).await.unwrap();
    let err = client.call(CreateWidget::named("w")).await.unwrap_err();
    let reqs = server.requests();
    assert_eq!(reqs.len(), 3);
    let ids: Vec<&str> = reqs
        .iter()
        .map(|r| r.header("x-tc-traceid").unwrap())
        .collect();
    assert!(ids.iter().all(|id| is_uuid_v4(id)), "{ids:?}");
    assert_eq!(ids[0], ids[1], "a retry keeps the call's trace id");
    assert_ne!(ids[1], ids[2], "each call has its own");
    assert_eq!(err.trace_id(), Some(ids[2]));
}

#[tokio::test]
async fn transport_and_response_errors_carry_the_trace_id() {
    let server = serve(|_, _| http(502, "text/html", "<html>bad gateway</html>")).await;
    let client = common::client(&server)
        .retry(gaap_client::RetryConfig::disabled())
        .build()
        .unwrap();
    let err = client.call(ListWidgets::default()).await.unwrap_err();
    assert!(matches!(err, SdkError::Response(_)), "{err}");
    assert_eq!(err.trace_id(), server.requests()[0].header("x-tc-traceid"));

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let closed = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let client = gaap_client::Client::builder()
        .endpoint(closed)
        .credentials(gaap_client::Credentials::new(SECRET_ID, SECRET_KEY))
        .retry(gaap_client::RetryConfig::disabled())
        .build()
        .unwrap();
    let err = client.call(ListWidgets::default()).await.unwrap_err();
    assert!(matches!(err, SdkError::Transport(_)), "{err}");
    assert!(is_uuid_v4(err.trace_id().unwrap()));
}

#[tokio::test]
async fn extra_headers_per_client_and_per_call() {
    let server = serve(|_, _| ok("", "r")).await;
    let client = common::client(&server)
        .default_header("X-Team", "gaap-ops")
        .default_header("X-Env", "staging")
        .request_client_suffix("billing-report_1.2;nightly")
        .build()
        .unwrap();
    client.call(CreateWidget::named("w")).await.unwrap();
    client
        .with_options(
            CallOptions::new()
                .header("X-Env", "prod")
                .header("X-Call", "42"),
        )
        .call(CreateWidget::named("w"))
        .await
        .unwrap();
    let reqs = server.requests();
    assert_eq!(reqs[0].header("x-team"), Some("gaap-ops"));
    assert_eq!(reqs[0].header("x-env"), Some("staging"));
    assert_eq!(reqs[0].header("x-call"), None);
    assert_eq!(reqs[1].header("x-team"), Some("gaap-ops"));
    assert_eq!(reqs[1].header("x-env"), Some("prod"));
    assert_eq!(reqs[1].header("x-call"), Some("42"));
    let version = env!("CARGO_PKG_VERSION");
    for req in &reqs {
        assert_eq!(
            req.header("x-tc-requestclient"),
            Some(format!("gaap-sdk-rust/{version}; billing-report_1.2;nightly").as_str())
        );
        assert_eq!(
            req.headers.iter().filter(|(n, _)| n == "x-env").count(),
            1,
            "a per-call header replaces the client's"
        );
    }
}

#[tokio::test]
async fn signed_and_protocol_headers_cannot_be_overridden() {
    let server = serve(|_, _| ok("", "r")).await;
    for name in [
        "Authorization",
        "Host",
        "Content-Type",
        "X-TC-Action",
        "X-TC-Timestamp",
        "x-tc-token",
        "X-TC-TraceId",
        "X-TC-RequestClient",
        "Content-Length",
        "Accept-Encoding",
    ] {
        let err = common::client(&server)
            .default_header(name, "evil")
            .build()
            .unwrap_err();
        assert!(
            err.to_string().contains("cannot be overridden"),
            "{name}: {err}"
        );
        let client = common::client(&server).build().unwrap();
        let err = client
            .with_options(CallOptions::new().header(name, "evil"))
            .call(CreateWidget::named("w"))
            .await
            .unwrap_err();
        assert!(matches!(err, SdkError::Request(_)), "{name}: {err}");
        assert!(!err.to_string().contains("evil"), "{err}");
    }
    assert_eq!(server.count(), 0, "nothing was sent");
    // Bad names and values, never echoing the value.
    let err = common::client(&server)
        .default_header("X-Secret", "line\nbreak-secretvalue")
        .build()
        .unwrap_err();
    assert!(!err.to_string().contains("secretvalue"), "{err}");
    assert!(
        common::client(&server)
            .default_header("bad name", "v")
            .build()
            .is_err()
    );
}

#[test]
fn request_client_suffixes_are_checked() {
    for bad in ["", "has space", "slash/", "ünï", &"x".repeat(129)] {
        assert!(
            gaap_client::Client::builder()
                .request_client_suffix(bad)
                .build()
                .is_err(),
            "{bad:?}"
        );
    }
    assert!(
        gaap_client::Client::builder()
            .credentials(gaap_client::Credentials::new("a", "b"))
            .request_client_suffix("a-Z_0,9;.".to_owned() + &"x".repeat(119))
            .build()
            .is_ok()
    );
}

#[tokio::test(start_paused = true)]
async fn a_per_call_attempt_timeout_overrides_the_clients() {
    let server = serve(|_, _| Reply::Hang).await;
    let client = common::client(&server)
        .timeout(Some(Duration::from_secs(60)))
        .retry(gaap_client::RetryConfig::disabled())
        .build()
        .unwrap();
    let started = tokio::time::Instant::now();
    let err = client
        .with_options(CallOptions::new().attempt_timeout(Some(Duration::from_secs(2))))
        .call(ListWidgets::default())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("timed out"), "{err}");
    let took = started.elapsed();
    assert!(
        took >= Duration::from_secs(2) && took < Duration::from_secs(10),
        "{took:?}"
    );
}

#[tokio::test]
async fn call_action_signs_retries_and_decodes_like_typed_calls() {
    let server = serve(|n, _| match n {
        0 => error("RequestLimitExceeded", "slow", "r0"),
        1 => ok(r#""TotalCount":2,"ProxySet":[{"ProxyId":"link-1"}]"#, "r1"),
        _ => error("ResourceNotFound", "no such proxy", "r2"),
    })
    .await;
    let client = common::client(&server).build().unwrap();
    let reply = client
        .call_action(
            "DescribeProxies",
            json!({"Limit": 1, "ProxyIds": ["link-1"]}),
        )
        .await
        .unwrap();
    assert_eq!(reply["TotalCount"], 2);
    assert_eq!(reply["RequestId"], "r1");
    let reqs = server.requests();
    assert_eq!(reqs.len(), 2, "rate limit retried");
    assert_eq!(
        reqs[0].header("x-tc-traceid"),
        reqs[1].header("x-tc-traceid")
    );
    for req in &reqs {
        assert_eq!(req.header("x-tc-action"), Some("DescribeProxies"));
        assert_eq!(req.json(), json!({"Limit": 1, "ProxyIds": ["link-1"]}));
        assert!(
            req.header("authorization")
                .unwrap()
                .starts_with(&format!("TC3-HMAC-SHA256 Credential={SECRET_ID}/"))
        );
    }

    let err = client
        .call_action("DescribeProxies", json!({}))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ResourceNotFound"));
    assert_eq!(err.request_id(), Some("r2"));
    assert!(err.trace_id().is_some());

    // Bad names and parameters are refused before sending.
    let before = server.count();
    for (action, params) in [
        ("", json!({})),
        ("Describe Proxies", json!({})),
        ("describeProxies\n", json!({})),
        ("DescribeProxies", json!([1, 2])),
    ] {
        let err = client.call_action(action, params).await.unwrap_err();
        assert!(matches!(err, SdkError::Request(_)), "{action:?}: {err}");
    }
    assert_eq!(server.count(), before);
}

#[tokio::test]
async fn call_action_fills_an_empty_client_token_once_and_keeps_it_across_retries() {
    let server = serve(|n, _| match n {
        0 => error("InternalError", "oops", "r0"),
        _ => ok(r#""InstanceId":"link-9""#, "r1"),
    })
    .await;
    let client = common::client(&server).build().unwrap();
    client
        .call_action("CreateProxy", json!({"ProxyName": "x", "ClientToken": ""}))
        .await
        .unwrap();
    let reqs = server.requests();
    assert_eq!(
        reqs.len(),
        2,
        "a ClientToken write is retried after InternalError"
    );
    let token = reqs[0].json()["ClientToken"].as_str().unwrap().to_owned();
    assert_eq!(token.len(), 36);
    assert_eq!(reqs[1].json()["ClientToken"], token.as_str());

    // Without a token, an ambiguous failure of a write is not repeated.
    let server = serve(|_, _| error("InternalError", "oops", "r0")).await;
    let client = common::client(&server).build().unwrap();
    let err = client
        .call_action("DeleteListeners", json!({"ListenerIds": ["l-1"]}))
        .await
        .unwrap_err();
    assert!(err.may_have_been_applied(), "{err}");
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn call_action_against_the_emulator() {
    let server = gaap_mock::MockServer::builder()
        .credential(SECRET_ID, SECRET_KEY)
        .start()
        .await
        .unwrap();
    let client = gaap_client::Client::builder()
        .endpoint(server.url())
        .credentials(gaap_client::Credentials::new(SECRET_ID, SECRET_KEY))
        .build()
        .unwrap();
    let reply = client
        .call_action("DescribeProxies", json!({"Limit": 5}))
        .await
        .unwrap();
    assert!(reply["TotalCount"].is_number(), "{reply}");
    let err = client
        .call_action("DescribeProxies", json!({"Limit": "many"}))
        .await
        .unwrap_err();
    assert!(err.code().unwrap().starts_with("InvalidParameter"), "{err}");
}
