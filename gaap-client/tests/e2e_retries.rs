//! End to end: the client's retries against faults injected into the emulator: service
//! errors, HTTP 5xx, latency beyond the client timeout, dropped connections, and the
//! emulator's own per-action rate limit.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use gaap_client::{Client, Credentials, Jitter, RateLimitConfig, RetryConfig, SdkError};
use gaap_mock::{Fault, MockServer};

const ID: &str = "AKIDE2ERETRY";
const KEY: &str = "e2e-retry-key";

async fn server(rate_limit: bool) -> MockServer {
    MockServer::builder()
        .credential(ID, KEY)
        .rate_limit(rate_limit)
        .start()
        .await
        .unwrap()
}

fn client(server: &MockServer, attempts: u32) -> Client {
    Client::builder()
        .endpoint(server.url())
        .credentials(Credentials::new(ID, KEY))
        .retry(
            RetryConfig::new()
                .max_attempts(attempts)
                .initial_backoff(Duration::from_millis(5))
                .max_backoff(Duration::from_millis(20))
                .jitter(Jitter::None),
        )
        .rate_limit(RateLimitConfig::disabled())
        .timeout(Some(Duration::from_millis(500)))
        .build()
        .unwrap()
}

#[tokio::test]
async fn retryable_service_errors_and_5xx_are_retried_until_success() {
    let server = server(false).await;
    let client = client(&server, 3);
    server.faults().set(
        "DescribeProxies",
        Fault::Error("InternalError".into()).times(2),
    );
    let out = client.describe_proxies().send().await.unwrap();
    assert_eq!(out.total_count, Some(0));
    assert_eq!(server.request_count("DescribeProxies"), 3);

    server
        .faults()
        .set("DescribeDestRegions", Fault::Http(503).times(2));
    client.describe_dest_regions().send().await.unwrap();
    assert_eq!(server.request_count("DescribeDestRegions"), 3);
}

#[tokio::test]
async fn exhausted_retries_surface_the_last_error() {
    let server = server(false).await;
    let client = client(&server, 3);
    server.faults().set(
        "DescribeProxies",
        Fault::Error("RequestLimitExceeded".into()),
    );
    let err = client.describe_proxies().send().await.unwrap_err();
    assert_eq!(err.code(), Some("RequestLimitExceeded"));
    assert_eq!(server.request_count("DescribeProxies"), 3);
}

#[tokio::test]
async fn non_retryable_errors_are_not_retried() {
    let server = server(false).await;
    let client = client(&server, 3);
    server.faults().set(
        "DescribeProxies",
        Fault::Error("ResourceUnavailable".into()).times(1),
    );
    let err = client.describe_proxies().send().await.unwrap_err();
    assert!(matches!(err, SdkError::Service(_)));
    assert_eq!(err.code(), Some("ResourceUnavailable"));
    assert_eq!(server.request_count("DescribeProxies"), 1);
}

#[tokio::test]
async fn a_slow_answer_times_out_and_is_retried() {
    let server = server(false).await;
    let client = client(&server, 2);
    server.faults().set(
        "DescribeProxies",
        Fault::Latency(Duration::from_millis(1_500)).times(1),
    );
    client.describe_proxies().send().await.unwrap();
    assert_eq!(server.request_count("DescribeProxies"), 2);
}

#[tokio::test]
async fn a_dropped_connection_is_a_transport_error() {
    let server = server(false).await;
    let client = client(&server, 1);
    server.faults().set("DescribeProxies", Fault::Drop.times(1));
    let err = client.describe_proxies().send().await.unwrap_err();
    assert!(matches!(err, SdkError::Transport(_)), "{err:?}");
    client.describe_proxies().send().await.unwrap();
}

#[tokio::test]
async fn the_emulators_rate_limit_is_absorbed_by_retries() {
    let server = server(true).await;
    let client = Client::builder()
        .endpoint(server.url())
        .credentials(Credentials::new(ID, KEY))
        .retry(
            RetryConfig::new()
                .max_attempts(15)
                .initial_backoff(Duration::from_millis(200))
                .max_backoff(Duration::from_millis(1_000)),
        )
        .rate_limit(RateLimitConfig::disabled())
        .build()
        .unwrap();
    // 40 calls need two of the emulator's fixed one-second windows. With full jitter a
    // caller can lose several windows in a row, so the retry budget (15 attempts, at least
    // ~8 s of backoff in expectation) covers many more windows than the two needed.
    let calls: Vec<_> = (0..40)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.describe_proxies().send().await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    // 40 calls sent at once against 20 per second: at least 20 were refused, and every one
    // succeeded on a retry.
    assert!(server.request_count("DescribeProxies") >= 60);
}
