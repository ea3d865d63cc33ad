//! The emulator over HTTP: envelope, error codes of the API 3.0 gateway, request styles,
//! fault injection and rate limiting.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::{Duration, Instant};

use gaap_mock::{Clock, Fault, MockServer};
use support::{Call, code};

fn page_example(action: &str) -> serde_json::Map<String, serde_json::Value> {
    let ir: serde_json::Value =
        serde_json::from_str(include_str!("../../api-specs/gaap.json")).unwrap();
    let actions = ir["actions"].as_array().unwrap();
    let found = actions.iter().find(|a| a["name"] == action).unwrap();
    found["examples"][0]["response"]
        .as_object()
        .unwrap()
        .clone()
}

async fn server() -> MockServer {
    MockServer::builder()
        .rate_limit(false)
        .start()
        .await
        .unwrap()
}

#[tokio::test]
async fn success_uses_the_envelope_with_fresh_request_ids() {
    let server = server().await;
    let client = reqwest::Client::new();
    let url = server.url();
    let call = Call::post(&url, "DescribeRegionAndPrice", "{}");
    let (status, content_type, first) = call.send(&client).await;
    assert_eq!((status, content_type.as_str()), (200, "application/json"));
    let mut expected = page_example("DescribeRegionAndPrice");
    let mut got = first["Response"].as_object().unwrap().clone();
    assert!(expected.remove("RequestId").is_some());
    got.remove("RequestId");
    assert_eq!(
        got, expected,
        "the page's Output Example, with a fresh RequestId"
    );
    let (_, _, second) = call.send(&client).await;
    let id = |v: &serde_json::Value| v["Response"]["RequestId"].as_str().unwrap().to_owned();
    assert_ne!(
        id(&first),
        page_example("DescribeRegionAndPrice")["RequestId"]
    );
    assert_ne!(
        id(&first),
        id(&second),
        "a replayed signed request is accepted, with a new id"
    );
    assert_eq!(server.request_count("DescribeRegionAndPrice"), 2);
}

#[tokio::test]
async fn gateway_errors_carry_the_real_codes() {
    let server = server().await;
    let client = reqwest::Client::new();
    let url = server.url();
    let cases: Vec<(Call, &str)> = vec![
        (Call::post(&url, "NoSuchThing", "{}"), "InvalidAction"),
        (
            Call {
                version: "2017-01-01",
                ..Call::post(&url, "DescribeProxies", "{}")
            },
            "NoSuchVersion",
        ),
        (
            Call::post(&url, "DescribeProxies", "{\"Limit\": "),
            "InvalidParameter",
        ),
        (
            Call {
                secret_key: "wrong",
                ..Call::post(&url, "DescribeProxies", "{}")
            },
            "AuthFailure.SignatureFailure",
        ),
        (
            Call {
                secret_id: "AKIDNOBODY",
                ..Call::post(&url, "DescribeProxies", "{}")
            },
            "AuthFailure.SecretIdNotFound",
        ),
        (
            Call {
                timestamp: Clock::system().now() - 301,
                ..Call::post(&url, "DescribeProxies", "{}")
            },
            "AuthFailure.SignatureExpire",
        ),
        (
            Call::post(&url, "DeleteListeners", r#"{"ProxyId": "link-1"}"#),
            "MissingParameter",
        ),
        (
            Call::post(&url, "DescribeProxies", r#"{"Limit": 1, "Bogus": 1}"#),
            "UnknownParameter",
        ),
        (
            Call::post(
                &url,
                "CreateTCPListeners",
                r#"{"ProxyId": "link-1", "ListenerName": "l", "Ports": [80], "Scheduler": "rr",
                    "HealthCheck": 1, "RealServerType": "IP", "DelayLoop": 1}"#,
            ),
            "InvalidParameterValue",
        ),
    ];
    for (call, expected) in cases {
        let (status, content_type, body) = call.send(&client).await;
        assert_eq!(status, 200, "{expected}");
        assert_eq!(content_type, "application/json", "{expected}");
        assert_eq!(code(&body), expected, "{body}");
        assert!(body["Response"]["RequestId"].is_string());
    }
    let no_action = client
        .post(format!("{url}/"))
        .body("{}")
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = serde_json::from_str(&no_action.text().await.unwrap()).unwrap();
    assert_eq!(code(&body), "MissingParameter");
}

#[tokio::test]
async fn signature_uses_the_content_type_and_query_as_sent() {
    let server = server().await;
    let client = reqwest::Client::new();
    let url = server.url();
    let charset = Call {
        content_type: "application/json; charset=utf-8",
        ..Call::post(&url, "DescribeProxies", "{\"Limit\":  5}")
    };
    let (_, _, body) = charset.send(&client).await;
    assert_eq!(code(&body), "", "{body}");
    let get = Call {
        method: "GET",
        content_type: "application/x-www-form-urlencoded",
        query: "Limit=1&Filters.0.Name=AccessRegion&Filters.0.Values.0=ap-hongkong",
        ..Call::post(&url, "DescribeProxies", "")
    };
    let (_, _, body) = get.send(&client).await;
    assert_eq!(body["Response"]["TotalCount"], 0, "{body}");
}

#[tokio::test]
async fn a_fixed_clock_decides_expiry() {
    let clock = Clock::fixed(1_700_000_000);
    let server = MockServer::builder()
        .clock(clock.clone())
        .start()
        .await
        .unwrap();
    let client = reqwest::Client::new();
    let url = server.url();
    let call = Call {
        timestamp: 1_700_000_000,
        ..Call::post(&url, "DescribeProxies", "{}")
    };
    assert_eq!(code(&call.send(&client).await.2), "");
    clock.set(1_700_000_301);
    assert_eq!(
        code(&call.send(&client).await.2),
        "AuthFailure.SignatureExpire"
    );
}

#[tokio::test]
async fn faults_apply_per_action_and_count_down() {
    let server = server().await;
    let client = reqwest::Client::new();
    let url = server.url();
    let call = Call::post(&url, "DescribeProxies", "{}");
    server.faults().set(
        "DescribeProxies",
        Fault::Error("ResourceUnavailable".into()).times(1),
    );
    server
        .faults()
        .set("DescribeRegionAndPrice", Fault::Http(503).times(2));
    assert_eq!(code(&call.send(&client).await.2), "ResourceUnavailable");
    assert_eq!(code(&call.send(&client).await.2), "");
    let other = Call::post(&url, "DescribeRegionAndPrice", "{}");
    assert_eq!(other.send(&client).await.0, 503);
    assert_eq!(other.send(&client).await.0, 503);
    assert_eq!(other.send(&client).await.0, 200);

    server.faults().set("DescribeProxies", Fault::Drop.times(1));
    let dropped = client.execute(call.build(&client)).await;
    assert!(dropped.is_err(), "{dropped:?}");
    assert_eq!(code(&call.send(&client).await.2), "");

    server.faults().set(
        "DescribeProxies",
        Fault::Latency(Duration::from_millis(300)).times(1),
    );
    let start = Instant::now();
    assert_eq!(code(&call.send(&client).await.2), "");
    assert!(start.elapsed() >= Duration::from_millis(300));
    assert_eq!(server.request_count("DescribeProxies"), 5);
}

#[tokio::test]
async fn the_documented_rate_limit_is_enforced_and_switchable() {
    let client = reqwest::Client::new();
    // 60 concurrent calls finish well within one second, so they span at most two
    // one-second windows: at most 2 x 20 pass the documented 20 per second.
    let limited = MockServer::start().await.unwrap();
    let codes = burst(&client, &limited.url(), 60).await;
    let refused = codes
        .iter()
        .filter(|c| *c == "RequestLimitExceeded")
        .count();
    assert!(refused >= 20, "{codes:?}");
    assert!(
        codes
            .iter()
            .all(|c| c.is_empty() || c == "RequestLimitExceeded")
    );

    let open = server().await;
    let codes = burst(&client, &open.url(), 60).await;
    assert!(codes.iter().all(String::is_empty), "{codes:?}");
}

async fn burst(client: &reqwest::Client, url: &str, n: usize) -> Vec<String> {
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..n {
        let (client, url) = (client.clone(), url.to_owned());
        set.spawn(async move {
            let body = Call::post(&url, "DescribeProxies", "{}")
                .send(&client)
                .await
                .2;
            code(&body).to_owned()
        });
    }
    set.join_all().await
}
