//! The blocking client: the generated builders' `send_blocking`, `call`/`call_action`
//! without async, refusal (not a panic or a stall) on an async runtime's thread, and its
//! cost per call compared with the async client.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::{SECRET_ID, SECRET_KEY};
use gaap_client::{Client, Credentials, RetryConfig, SdkError};

/// The emulator on a thread (and runtime) of its own, as a synchronous program would have
/// it; returns its URL and a handle that stops it when dropped.
fn emulator() -> (String, mpsc::Sender<()>) {
    let (url_tx, url_rx) = mpsc::channel();
    let (stop_tx, stop_rx) = mpsc::channel::<()>();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let server = runtime.block_on(async {
            gaap_mock::MockServer::builder()
                .credential(SECRET_ID, SECRET_KEY)
                .rate_limit(false)
                .start()
                .await
                .unwrap()
        });
        url_tx.send(server.url()).unwrap();
        let _ = stop_rx.recv();
        drop(server);
    });
    (url_rx.recv().unwrap(), stop_tx)
}

fn builder(url: &str) -> gaap_client::ClientBuilder {
    Client::builder()
        .endpoint(url)
        .credentials(Credentials::new(SECRET_ID, SECRET_KEY))
        .retry(RetryConfig::disabled())
        .rate_limit(gaap_client::RateLimitConfig::disabled())
}

#[test]
fn blocking_calls_from_synchronous_code() {
    let (url, _stop) = emulator();
    let client = builder(&url).build_blocking().unwrap();
    let reply = client.describe_proxies().limit(5).send_blocking().unwrap();
    assert!(reply.total_count.is_some());
    let raw = client
        .call_action("DescribeProxies", serde_json::json!({"Limit": 1}))
        .unwrap();
    assert!(raw["RequestId"].is_string());
    let request =
        gaap_client::gaap_model::operation::describe_proxies::DescribeProxiesRequest::builder()
            .limit(2)
            .build()
            .unwrap();
    assert!(client.call(request).is_ok());
    // Validation is the async client's: nothing is sent.
    let err = client
        .describe_proxies()
        .limit(1000)
        .send_blocking()
        .unwrap_err();
    assert!(matches!(err, SdkError::Validation(_)), "{err}");
    // Clones and per-call options share the runtime; threads take turns.
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let client = client.with_options(gaap_client::CallOptions::new());
            std::thread::spawn(move || client.describe_proxies().send_blocking().is_ok())
        })
        .collect();
    assert!(handles.into_iter().all(|h| h.join().unwrap()));
}

#[test]
fn blocking_pagination() {
    let (url, _stop) = emulator();
    let client = builder(&url).build_blocking().unwrap();
    for i in 0..3 {
        client
            .create_proxy()
            .project_id(0)
            .proxy_name(format!("p{i}"))
            .access_region("Guangzhou")
            .real_server_region("Beijing")
            .bandwidth(10)
            .concurrent(2)
            .send_blocking()
            .unwrap();
    }
    let ids: Vec<_> = client
        .describe_proxies()
        .limit(2)
        .into_paginator()
        .unwrap()
        .items_blocking()
        .map(|p| p.unwrap().proxy_id.unwrap())
        .collect();
    assert_eq!(ids.len(), 3, "{ids:?}");
    // An async client's paginator has no runtime: one error, then the end.
    let async_client = builder(&url).build().unwrap();
    let mut items = async_client
        .describe_proxies()
        .into_paginator()
        .unwrap()
        .items_blocking();
    assert!(matches!(items.next(), Some(Err(SdkError::Request(_)))));
    assert!(items.next().is_none());
}

#[test]
fn a_blocking_call_on_an_async_runtime_thread_is_refused_not_a_panic() {
    let (url, _stop) = emulator();
    let client = builder(&url).build_blocking().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let err = client.describe_proxies().send_blocking().unwrap_err();
        assert!(matches!(err, SdkError::Request(_)), "{err}");
        assert!(err.to_string().contains(".send().await"), "{err}");
        // Dropping a blocking client inside async code does not panic either.
        drop(client.clone());
        drop(builder(&url).build_blocking().unwrap());
    });
    // The fluent builders of an async client have no runtime to block on.
    let async_client = builder(&url).build().unwrap();
    let err = async_client.describe_proxies().send_blocking().unwrap_err();
    assert!(err.to_string().contains("build_blocking"), "{err}");
}

/// Cost per call, blocking vs async, against the emulator on loopback (one connection,
/// sequential calls). A measurement: `cargo test -p gaap-client --test blocking --
/// --ignored --nocapture`.
#[test]
#[ignore = "a measurement; run with --ignored --nocapture"]
fn blocking_overhead_per_call() {
    const N: u32 = 2000;
    let (url, _stop) = emulator();
    let started = Instant::now();
    let client = builder(&url).build_blocking().unwrap();
    let build = started.elapsed();
    client.describe_proxies().send_blocking().unwrap();
    let started = Instant::now();
    for _ in 0..N {
        client.describe_proxies().limit(1).send_blocking().unwrap();
    }
    let blocking = started.elapsed() / N;

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let async_per_call: Duration = runtime.block_on(async {
        let client = builder(&url).build().unwrap();
        client.describe_proxies().send().await.unwrap();
        let started = Instant::now();
        for _ in 0..N {
            client.describe_proxies().limit(1).send().await.unwrap();
        }
        started.elapsed() / N
    });
    println!(
        "build_blocking: {build:?}; per call: blocking {blocking:?}, async {async_per_call:?} ({N} sequential calls each)"
    );
}
