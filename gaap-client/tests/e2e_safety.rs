//! End to end through real generated actions against the emulator: a write that the
//! service applied but never answered is not sent again unless it carries a `ClientToken`;
//! a documented error code is a variant to `match` on; the `DescribeProxies` paginator
//! reads `ProxySet`; lenient validation sends what strict validation refuses, and the
//! emulator still enforces the rules.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use futures_util::TryStreamExt;
use gaap_client::{CallOptions, Client, Credentials, Jitter, RetryConfig, SdkError, Validation};
use gaap_mock::{Fault, MockServer};
use gaap_model::{
    operation::create_tcp_listeners::CreateTcpListenersError, types::HealthCheck,
    types::RealServerType, types::Scheduler,
};

const ID: &str = "AKIDE2ESAFETY";
const KEY: &str = "e2e-safety-key";

async fn server(omit_replaced_fields: bool) -> MockServer {
    MockServer::builder()
        .credential(ID, KEY)
        .rate_limit(false)
        .omit_replaced_fields(omit_replaced_fields)
        .start()
        .await
        .unwrap()
}

/// Three attempts, short deterministic backoff, and a short per-attempt timeout so a
/// dropped connection or a hung answer is seen quickly.
fn client(server: &MockServer) -> Client {
    Client::builder()
        .endpoint(server.url())
        .credentials(Credentials::new(ID, KEY))
        .retry(
            RetryConfig::new()
                .max_attempts(3)
                .initial_backoff(Duration::from_millis(5))
                .jitter(Jitter::None),
        )
        .timeout(Some(Duration::from_millis(800)))
        .build()
        .unwrap()
}

async fn create_proxy(client: &Client, name: &str) -> String {
    client
        .create_proxy()
        .project_id(0)
        .proxy_name(name)
        .access_region("Guangzhou")
        .real_server_region("Beijing")
        .bandwidth(10)
        .concurrent(2)
        .send()
        .await
        .unwrap()
        .instance_id
        .unwrap()
}

fn tcp_listener(
    client: &Client,
    proxy_id: &str,
    port: i64,
) -> gaap_client::operation::create_tcp_listeners::CreateTcpListenersFluent {
    client
        .create_tcp_listeners()
        .proxy_id(proxy_id)
        .listener_name("web")
        .ports(vec![port])
        .scheduler(Scheduler::Rr)
        .health_check(HealthCheck::Enabled)
        .real_server_type(RealServerType::Ip)
        .delay_loop(10)
        .connect_timeout(5)
}

async fn listener_count(client: &Client, proxy_id: &str) -> i64 {
    client
        .describe_tcp_listeners()
        .proxy_id(proxy_id)
        .send()
        .await
        .unwrap()
        .total_count
        .unwrap()
}

#[tokio::test]
async fn an_unanswered_create_tcp_listeners_is_not_sent_twice() {
    let server = server(false).await;
    let client = client(&server);
    let proxy_id = create_proxy(&client, "no-double-apply").await;

    server
        .faults()
        .set("CreateTCPListeners", Fault::ApplyThenDrop.times(1));
    let err = tcp_listener(&client, &proxy_id, 8080)
        .send()
        .await
        .unwrap_err();
    // Applied, never answered: the client says it may have been applied, and did not
    // send it again.
    let SdkError::MaybeApplied(m) = &err else {
        panic!("expected MaybeApplied, got {err:?}")
    };
    assert_eq!(m.attempts(), 1);
    assert!(matches!(m.error(), SdkError::Transport(_)), "{err:?}");
    println!("maybe-applied error Display: {err}");
    assert!(
        err.to_string()
            .starts_with("CreateTCPListeners may or may not have been applied (1 attempt); "),
        "{err}"
    );
    assert_eq!(server.request_count("CreateTCPListeners"), 1);
    assert_eq!(listener_count(&client, &proxy_id).await, 1);
}

#[tokio::test]
async fn retry_writes_widens_retries_per_call() {
    let server = server(false).await;
    let client = client(&server);
    let proxy_id = create_proxy(&client, "retry-writes").await;

    server
        .faults()
        .set("CreateTCPListeners", Fault::ApplyThenDrop.times(1));
    let widened = client.with_options(CallOptions::new().retry_writes(true));
    let err = tcp_listener(&widened, &proxy_id, 8080)
        .send()
        .await
        .unwrap_err();
    // The user asked for it: the write was sent again, and collided with its own first,
    // applied, attempt.
    assert_eq!(server.request_count("CreateTCPListeners"), 2);
    assert_eq!(
        err.code(),
        Some("InvalidParameterValue.DuplicatedListenerPort")
    );
}

#[tokio::test]
async fn an_unanswered_create_proxy_is_retried_with_its_client_token_and_creates_one_connection() {
    let server = server(false).await;
    let client = client(&server);
    let before = client.describe_proxies().send().await.unwrap().total_count;
    assert_eq!(before, Some(0));

    server
        .faults()
        .set("CreateProxy", Fault::ApplyThenDrop.times(1));
    let proxy_id = create_proxy(&client, "token").await;
    // Two attempts reached the emulator; the second carried the first's ClientToken and
    // got the first's result back.
    assert_eq!(server.request_count("CreateProxy"), 2);
    let proxies = client.describe_proxies().send().await.unwrap();
    assert_eq!(proxies.total_count, Some(1));
    assert_eq!(
        proxies.proxy_set.unwrap()[0].proxy_id.as_deref(),
        Some(proxy_id.as_str())
    );
}

#[tokio::test]
async fn a_duplicated_port_is_a_variant_to_match_on() {
    let server = server(false).await;
    let client = client(&server);
    let proxy_id = create_proxy(&client, "dup").await;
    tcp_listener(&client, &proxy_id, 9000).send().await.unwrap();

    match tcp_listener(&client, &proxy_id, 9000).send().await {
        Err(SdkError::Service(
            CreateTcpListenersError::InvalidParameterValueDuplicatedListenerPort(meta),
        )) => {
            assert!(meta.request_id.is_some());
            let err: SdkError<CreateTcpListenersError> = SdkError::Service(
                CreateTcpListenersError::InvalidParameterValueDuplicatedListenerPort(meta.clone()),
            );
            let shown = err.to_string();
            println!("service error Display: {shown}");
            assert!(
                shown.starts_with(
                    "CreateTCPListeners failed: InvalidParameterValue.DuplicatedListenerPort: "
                ),
                "{shown}"
            );
            assert!(shown.ends_with(&format!("(RequestId: {})", meta.request_id.unwrap())));
        }
        other => panic!("expected the DuplicatedListenerPort variant, got {other:?}"),
    }
    // Nothing was retried: the service refused before acting, and the code is final.
    assert_eq!(server.request_count("CreateTCPListeners"), 2);
}

#[tokio::test]
async fn the_describe_proxies_paginator_reads_proxy_set() {
    // The emulator leaves out the deprecated `InstanceSet`, as the service may one day.
    let server = server(true).await;
    let client = client(&server);
    let mut created = Vec::new();
    for i in 0..5 {
        created.push(create_proxy(&client, &format!("page-{i}")).await);
    }
    let items: Vec<_> = client
        .describe_proxies()
        .limit(2)
        .into_paginator()
        .unwrap()
        .items()
        .try_collect()
        .await
        .unwrap();
    let mut ids: Vec<_> = items.into_iter().filter_map(|p| p.proxy_id).collect();
    ids.sort();
    created.sort();
    assert_eq!(ids, created);
}

#[tokio::test]
async fn lenient_validation_sends_what_strict_refuses_and_the_emulator_still_checks() {
    let server = server(false).await;
    let client = client(&server);
    let proxy_id = create_proxy(&client, "lenient").await;
    // ConnectTimeout must be less than DelayLoop.
    let broken = |c: &Client| {
        tcp_listener(c, &proxy_id, 7000)
            .delay_loop(5)
            .connect_timeout(9)
    };

    let err = broken(&client).send().await.unwrap_err();
    assert!(matches!(err, SdkError::Validation(_)), "{err:?}");
    println!("validation error Display: {err}");
    assert_eq!(server.request_count("CreateTCPListeners"), 0);

    for mode in [Validation::Warn, Validation::Off] {
        let lenient = client.with_options(CallOptions::new().validation(mode));
        let err = broken(&lenient).send().await.unwrap_err();
        assert!(matches!(err, SdkError::Service(_)), "{err:?}");
        assert!(err.code().unwrap().starts_with("InvalidParameter"), "{err}");
    }
    assert_eq!(server.request_count("CreateTCPListeners"), 2);

    // An enum value this SDK does not know is refused in strict mode, sent in lenient mode.
    let unknown = || Scheduler::Unknown("fastest".to_owned());
    let err = tcp_listener(&client, &proxy_id, 7001)
        .scheduler(unknown())
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, SdkError::Validation(_)), "{err:?}");
    assert_eq!(server.request_count("CreateTCPListeners"), 2);
    let lenient = client.with_options(CallOptions::new().validation(Validation::Warn));
    let err = tcp_listener(&lenient, &proxy_id, 7001)
        .scheduler(unknown())
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, SdkError::Service(_)), "{err:?}");
    assert_eq!(server.request_count("CreateTCPListeners"), 3);
}
